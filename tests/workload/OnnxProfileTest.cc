// The equivalence: a network read from ONNX and the same network read from TOML
// give the same workload profile (every field but the provenance lines).
#include <gtest/gtest.h>

#include <string>

#include "net/onnx/OnnxReader.hh"
#include "workload/Mapping.hh"
#include "workload/Profile.hh"

namespace pf {
namespace {

std::string profileText(const std::string &path) {
  const Network network = readNetworkFile(path);
  Profile profile = profileMapping(mapNetwork(network, AccelConfig{}, {}), network);
  profile.network_file.clear();  // the only field that names the source file
  return profileJson(profile);
}

class OnnxProfile : public ::testing::TestWithParam<const char *> {};

TEST_P(OnnxProfile, EqualsTheTomlProfile) {
  const std::string name = GetParam();
  const std::string from_toml = profileText(PF_SOURCE_DIR "/nets/" + name + ".toml");
  const std::string from_onnx = profileText(PF_SOURCE_DIR "/nets/onnx/" + name + ".onnx");
  ASSERT_GT(from_toml.size(), 1000u);
  EXPECT_EQ(from_onnx, from_toml);
}

INSTANTIATE_TEST_SUITE_P(MlperfTiny, OnnxProfile,
                         ::testing::Values("mlperf_tiny_kws_dscnn", "mlperf_tiny_ic_resnet8",
                                           "mlperf_tiny_ad_fc_autoencoder", "mlperf_tiny_vww_mobilenetv1_025"));

}  // namespace
}  // namespace pf
