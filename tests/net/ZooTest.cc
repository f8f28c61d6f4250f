// The model zoo (nets/): every network parses, and its MAC total matches the figure
// published for it to within 2%. The expected figures are transcribed from the cited
// publications, never computed by this code base.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <set>

#include "net/Network.hh"

namespace pf {
namespace {

namespace fs = std::filesystem;

const fs::path kNetsDir = fs::path(PF_SOURCE_DIR) / "nets";

struct PublishedMacs {
  const char *file;
  double macs;
  const char *citation;
};

// Counting rule of all figures: multiply-accumulates of conv/depthwise/FC layers
// ("mult-adds", "MACs"; He et al. call them FLOPs); bias adds not counted.
const PublishedMacs kPublished[] = {
    // MLPerf Tiny reference models as summarised by Silicon Labs MLTK from the reference
    // .tflite files ("Total MACs" in the docstrings of mltk/models/tinyml/*.py).
    {"mlperf_tiny_kws_dscnn.toml", 2.657e6, "MLTK keyword_spotting.py: Total MACs 2.657 M"},
    {"mlperf_tiny_ic_resnet8.toml", 12.502e6, "MLTK image_classification.py: Total MACs 12.502 M"},
    {"mlperf_tiny_vww_mobilenetv1_025.toml", 7.490e6,
     "MLTK visual_wake_words.py: Total MACs 7.490 M"},
    {"mlperf_tiny_ad_fc_autoencoder.toml", 264.192e3,
     "MLTK anomaly_detection.py: Total MACs 264.192 k"},
    // DS-CNN (S) in Zhang et al., "Hello Edge: Keyword Spotting on Microcontrollers",
    // arXiv:1711.07128, small DS-CNN: 5.4 M operations = 2.7 M MACs.
    {"mlperf_tiny_kws_dscnn.toml", 2.7e6, "Zhang et al. 2017, DS-CNN S: 5.4 M ops"},
    // Sandler et al., "MobileNetV2", CVPR 2018, Table 4: 300 M multiply-adds.
    {"mobilenetv2_1.0_224.toml", 300e6, "Sandler et al. 2018: 300 M MAdds"},
    // He et al., "Deep Residual Learning", CVPR 2016, Table 1: 1.8e9 and 7.6e9 FLOPs
    // (multiply-adds).
    {"resnet18.toml", 1.8e9, "He et al. 2016 Table 1: 1.8 x 10^9"},
    {"resnet101.toml", 7.6e9, "He et al. 2016 Table 1: 7.6 x 10^9"},
};

TEST(Zoo, EveryNetworkFileParses) {
  std::set<std::string> files;
  for (const fs::directory_entry &entry : fs::directory_iterator(kNetsDir))
    if (entry.path().extension() == ".toml") files.insert(entry.path().string());
  EXPECT_GE(files.size(), 7u);
  for (const std::string &file : files) {
    SCOPED_TRACE(file);
    try {
      const Network network = readNetwork(file);
      EXPECT_FALSE(network.source.empty()) << "zoo networks cite their source";
      EXPECT_GT(networkCost(network).macs, 0);
    } catch (const Error &error) {
      ADD_FAILURE() << error.formatted();
    }
  }
}

TEST(Zoo, MacTotalsMatchPublishedFiguresWithinTwoPercent) {
  for (const PublishedMacs &published : kPublished) {
    SCOPED_TRACE(published.file);
    const Network network = readNetwork((kNetsDir / published.file).string());
    const auto macs = static_cast<double>(networkCost(network).macs);
    EXPECT_LE(std::abs(macs - published.macs) / published.macs, 0.02)
        << "ours " << macs << " vs " << published.citation;
  }
}

// With S power states per layer the schedule space is S^L; the PowerFlow-DNN claim of
// more than 10^160 schedules needs L * log10(S) > 160, i.e. S >= 14 at L = 140.
TEST(Zoo, DeepNetworkHasAtLeastOneHundredSchedulableLayers) {
  const Network network = readNetwork((kNetsDir / "resnet101.toml").string());
  EXPECT_EQ(network.schedulableLayerCount(), 140);
  EXPECT_GT(network.schedulableLayerCount() * std::log10(14.0), 160.0);
}

// Spot checks of shapes against the reference definitions (MLTK summaries of the MLPerf
// Tiny models; torchvision layer shapes).
TEST(Zoo, ReferenceShapes) {
  const Network kws = readNetwork((kNetsDir / "mlperf_tiny_kws_dscnn.toml").string());
  EXPECT_EQ(kws.layers.front().output_shape, (TensorShape{25, 5, 64}));
  const Network vww = readNetwork((kNetsDir / "mlperf_tiny_vww_mobilenetv1_025.toml").string());
  EXPECT_EQ(vww.layers[vww.findLayer("block14_pw")].output_shape, (TensorShape{3, 3, 256}));
  const Network v2 = readNetwork((kNetsDir / "mobilenetv2_1.0_224.toml").string());
  EXPECT_EQ(v2.layers[v2.findLayer("features.17.project")].output_shape, (TensorShape{7, 7, 320}));
  EXPECT_EQ(v2.layers.back().output_shape, (TensorShape{1, 1, 1000}));
  const Network r18 = readNetwork((kNetsDir / "resnet18.toml").string());
  EXPECT_EQ(r18.layers[r18.findLayer("maxpool")].output_shape, (TensorShape{56, 56, 64}));
  EXPECT_EQ(r18.layers[r18.findLayer("layer4.1.add")].output_shape, (TensorShape{7, 7, 512}));
}

}  // namespace
}  // namespace pf
