// Network TOML reader: the host operators, global max pool and concat (issue 12): shapes,
// parameters, defaults flagged as defaults, and every bad parameter refused with a
// located message naming the layer and its op.
#include <gtest/gtest.h>

#include "net/Network.hh"
#include "tests/net/NetTestUtil.hh"

namespace pf {
namespace {

using test::expectNetError;
using test::writeNet;

// Line numbers below count from 1 at "[network]".
const char *const kHostHeader = R"([network]
name = "t"
[input]
name = "x"
shape_hwc = [8, 6, 16]
)";  // 5 lines

std::string hostNet(const std::string &layers) { return std::string(kHostHeader) + layers; }

TEST(NetworkReaderHost, HostOpsKeepOrPermuteTheShapeAndCarryTheirParameters) {
  const Network network = readNetwork(writeNet("host.toml", hostNet(R"([[layer]]
name = "gap"
op = "global_avg_pool"
[[layer]]
name = "gate"
op = "hard_sigmoid"
alpha = 0.25
[[layer]]
name = "se"
op = "mul"
inputs = ["x", "gate"]
input_scale = 0.05
input2_scale = 0.01
output_scale = 0.1
[[layer]]
name = "tr"
op = "transpose"
perm_hwc = [2, 0, 1]
[[layer]]
name = "p"
op = "softmax"
axis = "w"
input_scale = 0.125
output_scale = 0.0078125
)")));
  ASSERT_EQ(network.layers.size(), 5u);
  EXPECT_EQ(network.hostLayerCount(), 4);
  EXPECT_EQ(network.schedulableLayerCount(), 5);
  const NetLayer &gate = network.layers[1];
  EXPECT_TRUE(runsOnHost(gate.op));
  EXPECT_EQ(gate.output_shape, (TensorShape{1, 1, 16}));
  EXPECT_DOUBLE_EQ(gate.host.alpha, 0.25);
  EXPECT_DOUBLE_EQ(gate.host.beta, 0.5);  // the ONNX default
  EXPECT_TRUE(gate.host.default_scales);  // neither scale given
  EXPECT_EQ(gate.host.input_scale, defaultHostParams(NetOp::HardSigmoid).input_scale);
  const NetLayer &se = network.layers[2];
  EXPECT_EQ(se.output_shape, (TensorShape{8, 6, 16}));
  EXPECT_EQ(se.input_shapes[1], (TensorShape{1, 1, 16}));
  EXPECT_FALSE(se.host.default_scales);
  EXPECT_DOUBLE_EQ(se.host.input2_scale, 0.01);
  const NetLayer &tr = network.layers[3];
  EXPECT_EQ(tr.output_shape, (TensorShape{16, 8, 6}));  // (C, H, W)
  EXPECT_EQ(tr.host.perm, (std::array<int, 3>{2, 0, 1}));
  const NetLayer &p = network.layers[4];
  EXPECT_EQ(p.host.axis, 1);
  EXPECT_FALSE(p.host.default_scales);
  EXPECT_EQ(layerCost(p).other_ops, 16 * 8 * 6);
  EXPECT_EQ(layerCost(p).macs, 0);
}

TEST(NetworkReaderHost, GlobalMaxPoolAndConcat) {
  const Network network = readNetwork(writeNet("concat.toml", hostNet(R"([[layer]]
name = "a"
op = "conv2d"
out_channels = 8
kernel = 1
[[layer]]
name = "b"
op = "conv2d"
inputs = ["x"]
out_channels = 24
kernel = 3
padding = "same"
[[layer]]
name = "cat"
op = "concat"
inputs = ["a", "b", "x"]
[[layer]]
name = "gmp"
op = "global_max_pool"
)")));
  EXPECT_EQ(network.layers[2].output_shape, (TensorShape{8, 6, 48}));
  EXPECT_TRUE(isShapeOnly(NetOp::Concat));
  EXPECT_EQ(network.layers[3].output_shape, (TensorShape{1, 1, 48}));
  EXPECT_EQ(network.layers[3].kernel_h, 8);
  EXPECT_EQ(network.layers[3].kernel_w, 6);
  EXPECT_EQ(network.schedulableLayerCount(), 3);  // a, b, gmp
}

TEST(NetworkReaderHost, BadParametersAreRefusedNamingTheLayer) {
  expectNetError("scale.toml", hostNet(R"([[layer]]
name = "s"
op = "sigmoid"
input_scale = 0.0
)"),
                 6020, 9, {"layer[0].input_scale", "layer 's' (sigmoid)", "positive finite"});
  expectNetError("axis.toml", hostNet(R"([[layer]]
name = "p"
op = "softmax"
axis = "n"
)"),
                 6033, 9, {"layer[0].axis", "layer 'p' (softmax)", "\"h\", \"w\" or \"c\""});
  expectNetError("perm.toml", hostNet(R"([[layer]]
name = "t"
op = "transpose"
perm_hwc = [0, 0, 2]
)"),
                 6034, 9, {"layer[0].perm_hwc", "layer 't' (transpose)", "permutation"});
  expectNetError("perm_missing.toml", hostNet(R"([[layer]]
name = "t"
op = "transpose"
)"),
                 1102, 6, {"layer[0].perm_hwc"});
  expectNetError("broadcast.toml", hostNet(R"([[layer]]
name = "g"
op = "global_avg_pool"
[[layer]]
name = "f"
op = "fully_connected"
out_channels = 4
[[layer]]
name = "m"
op = "mul"
inputs = ["x", "f"]
)"),
                 6030, 16, {"layer[2].inputs", "layer 'm' (mul)", "1x1x4", "does not broadcast"});
  expectNetError("concat_hw.toml", hostNet(R"([[layer]]
name = "d"
op = "max_pool"
kernel = 2
stride = 2
[[layer]]
name = "c"
op = "concat"
inputs = ["x", "d"]
)"),
                 6029, 14, {"layer[1].inputs", "layer 'c' (concat)", "equal height and width"});
  expectNetError("concat_one.toml", hostNet(R"([[layer]]
name = "c"
op = "concat"
inputs = ["x"]
)"),
                 6024, 9, {"layer[0].inputs", "takes 2..64 inputs"});
  expectNetError("mul_unknown_key.toml", hostNet(R"([[layer]]
name = "m"
op = "mul"
inputs = ["x", "x"]
axis = "c"
)"),
                 1104, 10, {"layer[0].axis"});
}

}  // namespace
}  // namespace pf
