// MAC / op / byte counting on a small network whose every number is computed by hand
// in the comments (the counting rule of docs/networks.md), plus the overflow guard and
// the table `powerflow net show` prints.
#include <gtest/gtest.h>

#include "net/NetCommand.hh"
#include "net/Network.hh"
#include "tests/net/NetTestUtil.hh"

namespace pf {
namespace {

const char *const kTinyNet = R"([network]
name = "tiny"
source = "hand-made for tests"
[input]
name = "x"
shape_hwc = [8, 8, 3]
[[layer]]            # 8x8x4: 8*8*4 outputs x 3*3*3 taps = 6912 MACs; 108 w + 16 B bias
name = "c1"
op = "conv2d"
out_channels = 4
kernel = 3
padding = "same"
activation = "relu"
[[layer]]            # 4x4x4: 4*4*4 x 9 = 576 MACs; 36 w + 16 B bias
name = "dw"
op = "depthwise_conv2d"
kernel = 3
stride = 2
padding = "same"
[[layer]]            # 4x4x8: 4*4*8 x 4 = 512 MACs; 32 w + 32 B bias
name = "pw"
op = "conv2d"
out_channels = 8
kernel = 1
[[layer]]            # 4x4x8: 4*4*8 x 3*3*8 = 9216 MACs; 576 w + 32 B bias
name = "c3"
op = "conv2d"
out_channels = 8
kernel = 3
padding = 1
[[layer]]            # 128 adds, 0 MACs
name = "sum"
op = "add"
inputs = ["pw", "c3"]
activation = "relu"
[[layer]]            # 2x2x8: 32 outputs x 4 compares = 128 other ops
name = "pool"
op = "max_pool"
kernel = 2
stride = 2
[[layer]]            # 1x1x32, free
name = "flat"
op = "flatten"
[[layer]]            # 32 x 10 = 320 MACs; 320 w + 40 B bias
name = "fc"
op = "fully_connected"
out_channels = 10
)";

TEST(Macs, HandComputedTinyNetwork) {
  const Network network = readNetwork(test::writeNet("tiny.toml", kTinyNet));
  const NetworkCost cost = networkCost(network);
  ASSERT_EQ(cost.layers.size(), 8u);
  const std::vector<int64_t> macs = {6912, 576, 512, 9216, 0, 0, 0, 320};
  for (size_t i = 0; i < macs.size(); ++i)
    EXPECT_EQ(cost.layers[i].macs, macs[i]) << network.layers[i].name;
  EXPECT_EQ(cost.macs, 17536);
  EXPECT_EQ(cost.other_ops, 128 + 128);
  EXPECT_EQ(cost.weight_bytes, 108 + 36 + 32 + 576 + 320);
  EXPECT_EQ(cost.bias_bytes, 4 * (4 + 4 + 8 + 8 + 10));
  EXPECT_EQ(cost.layers[4].input_bytes, 2 * 128);  // both add inputs
  EXPECT_EQ(cost.layers[4].output_bytes, 128);
  EXPECT_EQ(cost.layers[6].macs + cost.layers[6].other_ops, 0);  // flatten is free
  EXPECT_EQ(cost.peak_activation_bytes, 192 + 256);              // c1: 8x8x3 in, 8x8x4 out
}

TEST(Macs, GlobalAveragePoolAndAvgPoolAreOtherOps) {
  const Network network = readNetwork(test::writeNet("gap.toml", R"([network]
name = "gap"
[input]
shape_hwc = [7, 7, 16]
[[layer]]
name = "avg"
op = "avg_pool"
kernel = 7
stride = 7
[[layer]]
name = "gap"
op = "global_avg_pool"
)"));
  const NetworkCost cost = networkCost(network);
  EXPECT_EQ(cost.macs, 0);
  EXPECT_EQ(cost.layers[0].other_ops, 16 * 49);
  EXPECT_EQ(cost.layers[1].other_ops, 16);
}

TEST(Macs, CountsThatDoNotFitIn64BitsAreRejectedAtTheLayer) {
  test::expectNetError("huge.toml", R"([network]
name = "huge"
[input]
shape_hwc = [16000000, 16000000, 16000000]
[[layer]]
name = "c"
op = "conv2d"
out_channels = 16000000
kernel = 1
)",
                       6040, 5, {"layer 'c' (conv2d)", "64-bit"});
}

TEST(NetCommand, TableListsEveryLayerAndTheTotals) {
  const Network network = readNetwork(test::writeNet("tiny_table.toml", kTinyNet));
  const std::string table = formatNetworkTable(network);
  EXPECT_NE(table.find("network tiny from "), std::string::npos) << table;
  EXPECT_NE(table.find("8 layers, 7 schedulable"), std::string::npos) << table;
  EXPECT_NE(table.find("4x4x8+4x4x8"), std::string::npos) << table;  // the add's two inputs
  EXPECT_NE(table.find("3x3/s2 same"), std::string::npos) << table;
  EXPECT_NE(table.find("3x3/s1 p1,1,1,1"), std::string::npos) << table;
  EXPECT_NE(table.find("9,216"), std::string::npos) << table;
  EXPECT_NE(table.find("total MACs: 17,536 (17.536 k)"), std::string::npos) << table;
  EXPECT_NE(table.find("1,072 B int8 + 136 B int32 bias = 1,208 B"), std::string::npos) << table;
}

TEST(NetCommand, UsageErrors) {
  EXPECT_THROW(runNetCommand({}), Error);
  EXPECT_THROW(runNetCommand({"show"}), Error);
  EXPECT_THROW(runNetCommand({"list", "x.toml"}), Error);
}

}  // namespace
}  // namespace pf
