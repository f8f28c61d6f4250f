// sim/NetData: onChipWords() against the data layout of docs/accelerator.md and against
// packStored(), on the MLPerf Tiny networks mapped with the default and the wide
// configuration, and on channel-blocked tensors (tests/workload's gather network).
#include <gtest/gtest.h>

#include <string>

#include "golden/Packing.hh"
#include "net/Network.hh"
#include "sim/NetData.hh"
#include "tests/workload/TestNetworks.hh"
#include "workload/Mapping.hh"

namespace pf {
namespace {

Network zoo(const std::string &name) {
  return readNetwork(std::string(PF_SOURCE_DIR) + "/nets/" + name + ".toml");
}

void expectOnChipWords(const Mapping &m, const std::string &what) {
  const NetData data = makeNetData(m, 3);
  int on_chip = 0;
  for (size_t i = 0; i < m.tensors.size(); ++i) {
    const MappedTensor &t = m.tensors[i];
    const std::vector<std::vector<uint8_t>> words = onChipWords(m, int(i), data.values[i]);
    if (!t.on_chip) {
      EXPECT_TRUE(words.empty()) << what << " " << t.name;
      continue;
    }
    ++on_chip;
    ASSERT_EQ(int(words.size()), t.words) << what << " " << t.name;
    // Lane r of word (block offset + pixel * CW(block) + ct) holds channel
    // block_start + ct * ROWS + r of the pixel; padding lanes are 0.
    const int rows = m.cfg.rows;
    const int pixels = t.h * t.w;
    for (int b = 0; b < t.blockCount(); ++b) {
      const int cb = t.blockChannels(b);
      const int cw = (cb + rows - 1) / rows;
      for (int p = 0; p < pixels; ++p) {
        for (int ct = 0; ct < cw; ++ct) {
          const std::vector<uint8_t> &word =
              words[size_t(t.blockOffsetWords(b, m.cfg) + p * cw + ct)];
          ASSERT_EQ(int(word.size()), rows);
          for (int r = 0; r < rows; ++r) {
            const int c = ct * rows + r;
            const uint8_t expected =
                c < cb ? uint8_t(data.values[i][size_t(p) * size_t(t.c) +
                                                size_t(t.block_start[size_t(b)] + c)])
                       : 0;
            ASSERT_EQ(word[size_t(r)], expected)
                << what << " " << t.name << " block " << b << " pixel " << p << " lane " << r;
          }
        }
      }
    }
    // And the words are the stored bytes, as the DMA copies them.
    std::vector<uint8_t> joined;
    for (const std::vector<uint8_t> &word : words)
      joined.insert(joined.end(), word.begin(), word.end());
    EXPECT_EQ(joined, packStored(m, int(i), data.values[i])) << what << " " << t.name;
  }
  EXPECT_GT(on_chip, 0) << what;
}

TEST(NetData, OnChipWordsFollowTheStoredLayout) {
  AccelConfig wide;  // the RTL's second parameter set: 16 lanes
  wide.rows = 16;
  wide.cols = 32;
  wide.act_banks = 2;
  wide.w_banks = 2;
  wide.w_bank_words = 64;
  for (const char *name : {"mlperf_tiny_ic_resnet8", "mlperf_tiny_kws_dscnn"}) {
    const Network net = zoo(name);
    expectOnChipWords(mapNetwork(net, AccelConfig{}), std::string(name) + " default");
    expectOnChipWords(mapNetwork(net, wide), std::string(name) + " wide");
  }
  // Channel-blocked tensors on chip.
  const Network gather = test::networkFromToml("sim_gather.toml", test::kGatherNetworkToml);
  const Mapping m = mapNetwork(gather, AccelConfig{});
  bool blocked_on_chip = false;
  for (const MappedTensor &t : m.tensors) blocked_on_chip |= t.on_chip && t.blockCount() > 1;
  EXPECT_TRUE(blocked_on_chip);
  expectOnChipWords(m, "gather");
}

TEST(NetData, OnChipWordsOfAnOffChipTensorAreEmpty) {
  const Mapping m = mapNetwork(zoo("mlperf_tiny_kws_dscnn"), AccelConfig{});
  const NetData data = makeNetData(m, 1);
  ASSERT_FALSE(m.tensors[0].on_chip);  // the network input lives in external memory
  EXPECT_TRUE(onChipWords(m, 0, data.values[0]).empty());
}

}  // namespace
}  // namespace pf
