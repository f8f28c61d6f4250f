// Network TOML reader: shape inference and padding rules on small hand-checked
// networks, and every kind of bad input refused with a located message that names the
// layer and its op.
#include <gtest/gtest.h>

#include "net/Network.hh"
#include "tests/net/NetTestUtil.hh"

namespace pf {
namespace {

using test::expectNetError;
using test::writeNet;

// Line numbers below count from 1 at "[network]".
const char *const kHeader = R"([network]
name = "t"
[input]
name = "x"
shape_hwc = [8, 8, 3]
)";  // 5 lines

std::string net(const std::string &layers) { return std::string(kHeader) + layers; }

TEST(NetworkReader, InfersShapesAndResolvesSamePaddingTheTfWay) {
  const Network network = readNetwork(writeNet("same.toml", net(R"([[layer]]
name = "c1"
op = "conv2d"
out_channels = 4
kernel = 3
stride = 2
padding = "same"
activation = "relu6"
)")));
  ASSERT_EQ(network.layers.size(), 1u);
  const NetLayer &layer = network.layers[0];
  EXPECT_EQ(layer.output_shape, (TensorShape{4, 4, 4}));
  // 8 -> 4 with k3 s2 needs 1 row of padding in total; SAME puts the odd one bottom/right.
  EXPECT_EQ(layer.padding, (Padding{0, 0, 1, 1}));
  EXPECT_EQ(layer.activation, Activation::Relu6);
  EXPECT_EQ(layer.weight_quant, WeightQuant::Int8PerChannel);
  EXPECT_EQ(layer.input_layers, std::vector<int>{kNetworkInput});
  EXPECT_EQ(network.input_name, "x");
}

TEST(NetworkReader, ExplicitPaddingFollowsTheFloorRule) {
  const Network network = readNetwork(writeNet("explicit.toml", R"([network]
name = "t"
[input]
shape_hwc = [224, 224, 3]
[[layer]]
name = "conv1"
op = "conv2d"
out_channels = 64
kernel = 7
stride = 2
padding = 3
[[layer]]
name = "pool"
op = "max_pool"
kernel = 3
stride = 2
padding = [1, 1, 1, 1]
[[layer]]
name = "asym"
op = "conv2d"
out_channels = 8
kernel = [3, 1]
stride = [1, 2]
padding = [1, 0, 1, 0]
weight_quantization = "int8_per_tensor"
weight_sparsity = 0.5
activation_sparsity = 0.25
)"));
  EXPECT_EQ(network.input_name, "input");  // the documented default
  EXPECT_EQ(network.layers[0].output_shape, (TensorShape{112, 112, 64}));
  EXPECT_EQ(network.layers[1].output_shape, (TensorShape{56, 56, 64}));
  EXPECT_EQ(network.layers[1].padding_rule, PaddingRule::Explicit);
  const NetLayer &asym = network.layers[2];
  EXPECT_EQ(asym.output_shape, (TensorShape{56, 28, 8}));
  EXPECT_EQ(asym.weight_quant, WeightQuant::Int8PerTensor);
  EXPECT_DOUBLE_EQ(asym.weight_sparsity, 0.5);
  EXPECT_DOUBLE_EQ(asym.activation_sparsity, 0.25);
}

TEST(NetworkReader, ResidualGraphWithExplicitInputs) {
  const Network network = readNetwork(writeNet("residual.toml", net(R"([[layer]]
name = "a"
op = "conv2d"
out_channels = 3
kernel = 1
[[layer]]
name = "b"
op = "depthwise_conv2d"
kernel = 3
padding = "same"
[[layer]]
name = "sum"
op = "add"
inputs = ["x", "b"]
activation = "relu"
output_hwc = [8, 8, 3]
[[layer]]
name = "flat"
op = "flatten"
[[layer]]
name = "back"
op = "reshape"
shape_hwc = [2, 4, 24]
[[layer]]
name = "gap"
op = "global_avg_pool"
[[layer]]
name = "fc"
op = "fully_connected"
out_channels = 5
)")));
  ASSERT_EQ(network.layers.size(), 7u);
  EXPECT_EQ(network.layers[1].input_layers, std::vector<int>{0});  // implied: previous layer
  EXPECT_EQ(network.layers[2].input_layers, (std::vector<int>{kNetworkInput, 1}));
  EXPECT_EQ(network.layers[3].output_shape, (TensorShape{1, 1, 192}));
  EXPECT_EQ(network.layers[4].output_shape, (TensorShape{2, 4, 24}));
  EXPECT_EQ(network.layers[5].output_shape, (TensorShape{1, 1, 24}));
  EXPECT_EQ(network.layers[6].output_shape, (TensorShape{1, 1, 5}));
  EXPECT_EQ(network.schedulableLayerCount(), 5);
}

// Concat joins channels of tensors of equal height and width, in input order (the
// network input may be one of them); a TOML network's activations are symmetric int8.
TEST(NetworkReader, ConcatJoinsChannelsInInputOrder) {
  const Network network = readNetwork(writeNet("concat.toml", net(R"([[layer]]
name = "a"
op = "conv2d"
out_channels = 8
kernel = 1
[[layer]]
name = "b"
op = "conv2d"
inputs = ["x"]
out_channels = 16
kernel = 3
padding = "same"
[[layer]]
name = "cat"
op = "concat"
inputs = ["b", "x", "a"]
output_hwc = [8, 8, 27]
)")));
  ASSERT_EQ(network.layers.size(), 3u);
  const NetLayer &cat = network.layers[2];
  EXPECT_EQ(cat.op, NetOp::Concat);
  EXPECT_EQ(cat.input_layers, (std::vector<int>{1, kNetworkInput, 0}));
  EXPECT_EQ(cat.input_shapes, (std::vector<TensorShape>{{8, 8, 16}, {8, 8, 3}, {8, 8, 8}}));
  EXPECT_EQ(cat.output_shape, (TensorShape{8, 8, 27}));
  EXPECT_TRUE(isShapeOnly(cat.op));
  EXPECT_EQ(network.schedulableLayerCount(), 2);
  EXPECT_EQ(networkCost(network).layers[2].macs, 0);
  for (const NetLayer &layer : network.layers) EXPECT_EQ(layer.output_quant, ActivationQuant{});
  EXPECT_EQ(network.input_quant, ActivationQuant{});
}

// --- bad input: each one a located message naming the layer -------------------------

TEST(NetworkReaderErrors, UnsupportedOpNamesLayerOpAndReason) {
  expectNetError("tanh.toml", net(R"([[layer]]
name = "gate"
op = "tanh"
)"),
                 6001, 8, {"layer[0].op", "layer 'gate'", "op 'tanh'", "docs/host.md"});
  expectNetError("bn.toml", net(R"([[layer]]
name = "bn1"
op = "batch_norm"
)"),
                 6001, 8, {"layer 'bn1'", "op 'batch_norm'", "fold batch normalisation"});
  expectNetError("unknown_op.toml", net(R"([[layer]]
name = "mystery"
op = "frobnicate"
)"),
                 6001, 8, {"layer 'mystery'", "op 'frobnicate'", "supported: conv2d"});
}

TEST(NetworkReaderErrors, ConcatNeedsEqualPlanesAndTwoTo64Inputs) {
  expectNetError("concat_plane.toml", net(R"([[layer]]
name = "a"
op = "conv2d"
out_channels = 4
kernel = 3
[[layer]]
name = "cat"
op = "concat"
inputs = ["x", "a"]
)"),
                 6029, 14,
                 {"layer 'cat' (concat)", "a is 6x6x4 but x is 8x8x3", "equal height and width"});
  expectNetError("concat_one.toml", net(R"([[layer]]
name = "cat"
op = "concat"
inputs = ["x"]
)"),
                 6024, 9, {"layer 'cat' (concat)", "takes 2..64 inputs, 1 given"});
}

TEST(NetworkReaderErrors, DeclaredShapeDisagreeingWithInferredOne) {
  expectNetError("shape.toml", net(R"([[layer]]
name = "c1"
op = "conv2d"
out_channels = 4
kernel = 3
output_hwc = [8, 8, 4]
)"),
                 6014, 11,
                 {"layer 'c1' (conv2d)", "declared output shape 8x8x4", "inferred 6x6x4"});
}

TEST(NetworkReaderErrors, UnknownAndLaterInputs) {
  expectNetError("unknown_input.toml", net(R"([[layer]]
name = "c1"
op = "conv2d"
out_channels = 4
kernel = 1
inputs = ["imgae"]
)"),
                 6004, 11, {"layer 'c1' (conv2d)", "unknown input 'imgae'"});
  expectNetError("later_input.toml", net(R"([[layer]]
name = "c1"
op = "conv2d"
out_channels = 4
kernel = 1
inputs = ["c2"]
[[layer]]
name = "c2"
op = "conv2d"
out_channels = 4
kernel = 1
inputs = ["x"]
)"),
                 6005, 11, {"layer 'c1'", "'c2' is defined later", "topological order"});
}

TEST(NetworkReaderErrors, KernelLargerThanPaddedInput) {
  expectNetError("kernel.toml", net(R"([[layer]]
name = "big"
op = "conv2d"
out_channels = 4
kernel = [3, 11]
padding = 1
)"),
                 6009, 10, {"layer 'big' (conv2d)", "kernel width 11", "padded input 10"});
}

TEST(NetworkReaderErrors, PaddingNotSmallerThanKernel) {
  expectNetError("pad.toml", net(R"([[layer]]
name = "p"
op = "max_pool"
kernel = 2
stride = 2
padding = 2
)"),
                 6010, 11, {"layer 'p' (max_pool)", "not smaller than the kernel"});
}

TEST(NetworkReaderErrors, AddWithMismatchedShapes) {
  expectNetError("add.toml", net(R"([[layer]]
name = "down"
op = "conv2d"
out_channels = 3
kernel = 1
stride = 2
[[layer]]
name = "sum"
op = "add"
inputs = ["x", "down"]
)"),
                 6011, 15, {"layer 'sum' (add)", "x is 8x8x3", "down is 4x4x3"});
  expectNetError("add_arity.toml", net(R"([[layer]]
name = "sum"
op = "add"
inputs = ["x"]
)"),
                 6006, 9, {"layer 'sum' (add)", "takes 2 inputs, 1 given"});
}

TEST(NetworkReaderErrors, FullyConnectedNeedsAVector) {
  expectNetError("fc.toml", net(R"([[layer]]
name = "fc"
op = "fully_connected"
out_channels = 10
)"),
                 6012, 8, {"layer 'fc' (fully_connected)", "input is 8x8x3", "flatten"});
}

TEST(NetworkReaderErrors, ReshapeMustKeepTheElementCount) {
  expectNetError("reshape.toml", net(R"([[layer]]
name = "r"
op = "reshape"
shape_hwc = [1, 1, 100]
)"),
                 6013, 9, {"layer 'r' (reshape)", "8x8x3 (192 elements)", "1x1x100 (100"});
}

TEST(NetworkReaderErrors, MalformedTomlHasLineAndColumn) {
  expectNetError("syntax.toml", net(R"([[layer]]
name = "c1"
op = "conv2d
)"),
                 1101, 8, {"TOML syntax error"});
}

TEST(NetworkReaderErrors, UnknownFieldIsRejectedWithItsPath) {
  expectNetError("typo.toml", net(R"([[layer]]
name = "c1"
op = "conv2d"
out_channels = 4
kernal = 3
)"),
                 1104, 10, {"layer[0].kernal", "unknown field"});
  // A field that exists, but not for this op, is just as unknown.
  expectNetError("wrong_op_field.toml", net(R"([[layer]]
name = "sum"
op = "add"
inputs = ["x", "x"]
kernel = 3
)"),
                 1104, 10, {"layer[0].kernel"});
  expectNetError("top_typo.toml", std::string(kHeader) + "[networks]\n", 1104, 6, {"'networks'"});
}

TEST(NetworkReaderErrors, ValuesOutsideTheirDomain) {
  expectNetError("act.toml", net(R"([[layer]]
name = "c1"
op = "conv2d"
out_channels = 4
kernel = 1
activation = "swish"
)"),
                 6015, 11, {"layer 'c1' (conv2d)", "activation 'swish'"});
  expectNetError("quant.toml", net(R"([[layer]]
name = "c1"
op = "conv2d"
out_channels = 4
kernel = 1
weight_quantization = "int4"
)"),
                 6016, 11, {"layer 'c1' (conv2d)", "'int4'"});
  expectNetError("sparsity.toml", net(R"([[layer]]
name = "c1"
op = "conv2d"
out_channels = 4
kernel = 1
weight_sparsity = 1.0
)"),
                 6017, 11, {"layer 'c1' (conv2d)", "weight_sparsity = 1"});
  expectNetError("zero_stride.toml", net(R"([[layer]]
name = "c1"
op = "conv2d"
out_channels = 4
kernel = 1
stride = 0
)"),
                 6007, 11, {"layer 'c1' (conv2d): stride", "0 is outside"});
  expectNetError("act_quant.toml", R"([network]
name = "t"
activation_quantization = "uint8_asymmetric"
[input]
shape_hwc = [8, 8, 3]
)",
                 6031, 3, {"'uint8_asymmetric'"});
}

TEST(NetworkReaderErrors, PoolingStrideIsRequiredNotGuessed) {
  expectNetError("pool_stride.toml", net(R"([[layer]]
name = "p"
op = "avg_pool"
kernel = 2
)"),
                 6021, 6, {"layer 'p' (avg_pool): stride", "missing"});
}

TEST(NetworkReaderErrors, NamesAndGraphStructure) {
  expectNetError("dup.toml", net(R"([[layer]]
name = "c1"
op = "conv2d"
out_channels = 4
kernel = 1
[[layer]]
name = "c1"
op = "conv2d"
out_channels = 4
kernel = 1
)"),
                 6003, 12, {"'c1' is used twice"});
  expectNetError("dangling.toml", net(R"([[layer]]
name = "orphan"
op = "conv2d"
out_channels = 4
kernel = 1
[[layer]]
name = "c2"
op = "conv2d"
out_channels = 4
kernel = 1
inputs = ["x"]
)"),
                 6018, 7, {"layer 'orphan' (conv2d)", "used by no later layer"});
  expectNetError("empty.toml", std::string(kHeader), 6019, 1, {"no [[layer]]"});
}

}  // namespace
}  // namespace pf
