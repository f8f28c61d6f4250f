// ONNX reader: the shipped ONNX forms of zoo networks give the same network model as
// their TOML; hand-built models check each lowering rule (folding, fusion, quantised
// forms, sparsity measurement); and every kind of bad input (truncated or non-ONNX
// files, unsupported ops, inconsistent shapes) is refused with a message naming the file
// and the node, never a crash.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/Error.hh"
#include "net/Network.hh"
#include "net/onnx/OnnxModel.hh"
#include "net/onnx/OnnxReader.hh"
#include "tests/net/OnnxBuilder.hh"

namespace pf {
namespace {

namespace fs = std::filesystem;
using namespace test::onnxpb;

const fs::path kNetsDir = fs::path(PF_SOURCE_DIR) / "nets";

fs::path scratchDir() {
  const fs::path dir = fs::temp_directory_path() / ("pf_onnx_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

std::string writeBytes(const std::string &name, const std::string &bytes) {
  const fs::path path = scratchDir() / name;
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path.string();
}

std::string readBytes(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Network readModel(const std::string &name, const Model &model) {
  return readOnnxNetwork(writeBytes(name, model.encode()));
}

// The reader must refuse `bytes` with message `id`, naming the file, and the formatted
// message must contain every needle (node name, op type, reason, ...).
void expectOnnxError(const std::string &name, const std::string &bytes, int id,
                     const std::vector<std::string> &needles) {
  const std::string path = writeBytes(name, bytes);
  try {
    readOnnxNetwork(path);
    ADD_FAILURE() << name << ": accepted, expected PF-" << id;
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), id) << error.formatted();
    EXPECT_EQ(error.loc().file, path);
    for (const std::string &needle : needles)
      EXPECT_NE(error.formatted().find(needle), std::string::npos)
          << "'" << needle << "' missing from: " << error.formatted();
  }
}

void expectOnnxError(const std::string &name, const Model &model, int id,
                     const std::vector<std::string> &needles) {
  expectOnnxError(name, model.encode(), id, needles);
}

// Nonzero weights 0.01, -0.02, 0.03, ...
std::vector<double> ramp(size_t count) {
  std::vector<double> values;
  for (size_t i = 0; i < count; ++i) values.push_back((i % 2 ? -0.01 : 0.01) * double(i + 1));
  return values;
}

Tensor floats(const std::string &name, std::vector<int64_t> dims, std::vector<double> values) {
  return Tensor{name, std::move(dims), kFloat, std::move(values)};
}
Tensor scalar(const std::string &name, int32_t type, double value) {
  return Tensor{name, {}, type, {value}};
}

// x [1,3,8,8] -> Conv "c1" (4 filters 3x3, pads 1) -> Relu -> y [1,4,8,8]
Model convNet() {
  Model m;
  m.inputs = {{"x", kFloat, {-1, 3, 8, 8}}};
  m.outputs = {{"y", kFloat, {1, 4, 8, 8}}};
  m.initializers = {floats("w", {4, 3, 3, 3}, ramp(108)), floats("b", {4}, {0.1, 0.2, 0.3, 0.4})};
  m.nodes = {{"Conv", "c1", {"x", "w", "b"}, {"c"}, {intsAttr("pads", {1, 1, 1, 1})}},
             {"Relu", "r1", {"c"}, {"y"}}};
  return m;
}

// x [1,16] -> Gemm "fc" (8 outputs, transB) -> y [1,8]
Model fcNet() {
  Model m;
  m.inputs = {{"x", kFloat, {1, 16}}};
  m.outputs = {{"y", kFloat, {1, 8}}};
  m.initializers = {floats("w", {8, 16}, ramp(128)), floats("b", {8}, ramp(8))};
  m.nodes = {{"Gemm", "fc", {"x", "w", "b"}, {"y"}, {intAttr("transB", 1)}}};
  return m;
}

// ------------------------------------------------------------ shipped zoo models

std::vector<fs::path> shippedModels() {
  std::vector<fs::path> files;
  for (const fs::directory_entry &entry : fs::directory_iterator(kNetsDir / "onnx"))
    if (entry.path().extension() == ".onnx") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// Equal network models give equal profiles: every field the later stages read.
TEST(OnnxZoo, EveryShippedModelGivesTheSameNetworkAsItsToml) {
  const std::vector<fs::path> files = shippedModels();
  EXPECT_GE(files.size(), 3u) << "at least three zoo networks ship in ONNX form";
  for (const fs::path &file : files) {
    SCOPED_TRACE(file.string());
    const Network onnx = readOnnxNetwork(file.string());
    const Network toml = readNetwork((kNetsDir / file.stem()).string() + ".toml");
    EXPECT_EQ(onnx.name, toml.name);
    EXPECT_EQ(onnx.input_name, toml.input_name);
    EXPECT_EQ(onnx.input_shape, toml.input_shape);
    ASSERT_EQ(onnx.layers.size(), toml.layers.size());
    const NetworkCost onnx_cost = networkCost(onnx), toml_cost = networkCost(toml);
    for (size_t i = 0; i < onnx.layers.size(); ++i) {
      const NetLayer &a = onnx.layers[i], &b = toml.layers[i];
      SCOPED_TRACE(b.name);
      EXPECT_EQ(a.name, b.name);  // the generator names layer nodes after the TOML
      EXPECT_EQ(a.op, b.op);
      EXPECT_EQ(a.inputs, b.inputs);
      EXPECT_EQ(a.input_layers, b.input_layers);
      EXPECT_EQ(a.input_shapes, b.input_shapes);
      EXPECT_EQ(a.output_shape, b.output_shape);
      EXPECT_EQ(a.kernel_h, b.kernel_h);
      EXPECT_EQ(a.kernel_w, b.kernel_w);
      EXPECT_EQ(a.stride_h, b.stride_h);
      EXPECT_EQ(a.stride_w, b.stride_w);
      EXPECT_EQ(a.padding, b.padding);  // the spelling (same/explicit) may differ
      EXPECT_EQ(a.activation, b.activation);
      EXPECT_EQ(a.weight_quant, b.weight_quant);
      const auto weights =
          static_cast<double>(std::max<int64_t>(onnx_cost.layers[i].weight_bytes, 1));
      EXPECT_NEAR(a.weight_sparsity, b.weight_sparsity, 1.0 / weights);
      EXPECT_EQ(a.activation_sparsity, b.activation_sparsity);
      EXPECT_EQ(onnx_cost.layers[i].macs, toml_cost.layers[i].macs);
      EXPECT_EQ(onnx_cost.layers[i].other_ops, toml_cost.layers[i].other_ops);
      EXPECT_EQ(onnx_cost.layers[i].weight_bytes, toml_cost.layers[i].weight_bytes);
      EXPECT_EQ(onnx_cost.layers[i].bias_bytes, toml_cost.layers[i].bias_bytes);
      EXPECT_EQ(onnx_cost.layers[i].input_bytes, toml_cost.layers[i].input_bytes);
      EXPECT_EQ(onnx_cost.layers[i].output_bytes, toml_cost.layers[i].output_bytes);
    }
    EXPECT_EQ(onnx_cost.macs, toml_cost.macs);
    EXPECT_EQ(onnx_cost.peak_activation_bytes, toml_cost.peak_activation_bytes);
  }
}

// The shipped models cover the forms the reader supports, so the equivalence above
// exercises each of them on a whole network.
TEST(OnnxZoo, ShippedModelsCoverFloatQdqAndQOperatorForms) {
  std::set<std::string> ops;
  for (const fs::path &file : shippedModels())
    for (const onnx::OnnxNode &node : onnx::readOnnxFile(file.string()).graph.nodes)
      ops.insert(node.op_type);
  for (const char *op :
       {"Conv", "BatchNormalization", "Relu", "QuantizeLinear", "DequantizeLinear", "QLinearConv",
        "QLinearMatMul", "Gemm", "MatMul", "Add", "AveragePool", "Flatten"})
    EXPECT_EQ(ops.count(op), 1u) << op;
}

TEST(OnnxZoo, ReadNetworkFileDispatchesOnNameAndContent) {
  const fs::path onnx = kNetsDir / "onnx" / "mlperf_tiny_kws_dscnn.onnx";
  const fs::path toml = kNetsDir / "mlperf_tiny_kws_dscnn.toml";
  EXPECT_TRUE(isOnnxFile(onnx.string()));
  EXPECT_FALSE(isOnnxFile(toml.string()));
  const std::string renamed = writeBytes("model.bin", readBytes(onnx));  // sniffed by content
  EXPECT_TRUE(isOnnxFile(renamed));
  EXPECT_EQ(networkCost(readNetworkFile(renamed)).macs,
            networkCost(readNetworkFile(toml.string())).macs);
}

// ------------------------------------------------------------ lowering rules

TEST(OnnxReader, LowersAConvWithFusedReluAndNchwToHwcShapes) {
  const Network network = readModel("conv.onnx", convNet());
  EXPECT_EQ(network.name, "hand_built");
  EXPECT_EQ(network.input_name, "x");
  EXPECT_EQ(network.input_shape, (TensorShape{8, 8, 3}));  // symbolic batch read as 1
  ASSERT_EQ(network.layers.size(), 1u);
  const NetLayer &layer = network.layers[0];
  EXPECT_EQ(layer.name, "c1");
  EXPECT_EQ(layer.op, NetOp::Conv2d);
  EXPECT_EQ(layer.output_shape, (TensorShape{8, 8, 4}));
  EXPECT_EQ(layer.padding, (Padding{1, 1, 1, 1}));
  EXPECT_EQ(layer.padding_rule, PaddingRule::Explicit);
  EXPECT_EQ(layer.activation, Activation::Relu);
  EXPECT_EQ(layer.weight_quant, WeightQuant::Int8PerChannel);
  EXPECT_EQ(layer.weight_sparsity, 0.0);
  EXPECT_EQ(networkCost(network).macs, 8 * 8 * 4 * 9 * 3);
}

TEST(OnnxReader, NamesLayersByNodeThenOutputThenOpAndIndex) {
  Model m = convNet();
  m.nodes[0].name = "";
  EXPECT_EQ(readModel("unnamed.onnx", m).layers[0].name, "c");  // the output tensor
  m.nodes[0].name = "x";  // taken by the input, as is the output name below
  m.nodes[0].outputs = {"x2"};
  m.nodes[1].inputs = {"x2"};
  EXPECT_EQ(readModel("clash.onnx", m).layers[0].name, "x2");
  // Name and output both taken by the first layer: op type and node index.
  m = convNet();
  m.initializers.push_back(floats("w2", {4, 4, 1, 1}, ramp(16)));
  m.nodes = {m.nodes[0], {"Conv", "c1", {"c", "w2"}, {"c1"}}, {"Relu", "r1", {"c1"}, {"y"}}};
  const Network twice = readModel("twice.onnx", m);
  ASSERT_EQ(twice.layers.size(), 2u);
  EXPECT_EQ(twice.layers[1].name, "Conv_1");
  EXPECT_EQ(twice.layers[1].inputs, std::vector<std::string>{"c1"});
}

TEST(OnnxReader, DepthwiseIsAConvWithOneGroupPerChannel) {
  Model m = convNet();
  m.initializers[0] = floats("w", {3, 1, 3, 3}, ramp(27));
  m.initializers[1] = floats("b", {3}, {0, 0, 0});
  m.nodes[0].attributes = {intAttr("group", 3), stringAttr("auto_pad", "SAME_UPPER"),
                           intsAttr("strides", {2, 2})};
  m.outputs = {{"y", kFloat, {1, 3, 4, 4}}};
  const NetLayer layer = readModel("dw.onnx", m).layers.at(0);
  EXPECT_EQ(layer.op, NetOp::DepthwiseConv2d);
  EXPECT_EQ(layer.output_shape, (TensorShape{4, 4, 3}));
  EXPECT_EQ(layer.padding_rule, PaddingRule::Same);
  EXPECT_EQ(layer.padding, (Padding{0, 0, 1, 1}));  // SAME_UPPER: the odd row at the bottom
}

TEST(OnnxReader, ClipZeroSixIsRelu6AndOtherBoundsAreRefused) {
  Model m = convNet();
  m.nodes[1] = {"Clip", "clip", {"c", "lo", "hi"}, {"y"}};
  m.initializers.push_back(scalar("lo", kFloat, 0));
  m.initializers.push_back(scalar("hi", kFloat, 6));
  EXPECT_EQ(readModel("relu6.onnx", m).layers[0].activation, Activation::Relu6);
  m.initializers.back() = scalar("hi", kFloat, 4);
  expectOnnxError("clip4.onnx", m, 6511,
                  {"graph.node[1]", "'clip' (Clip)", "min = 0, max = 4", "neither ReLU"});
}

// With zero point 0, quantisation commutes with the ReLU clamp, so a Relu after a
// QuantizeLinear/DequantizeLinear pair still fuses into the convolution.
TEST(OnnxReader, ReluFusesAcrossActivationQuantization) {
  Model m = convNet();
  m.initializers.push_back(scalar("s", kFloat, 0.05));
  m.initializers.push_back(scalar("z", kInt8, 0));
  m.nodes = {m.nodes[0],
             {"QuantizeLinear", "q", {"c", "s", "z"}, {"cq"}},
             {"DequantizeLinear", "dq", {"cq", "s", "z"}, {"cd"}},
             {"Relu", "r1", {"cd"}, {"y"}}};
  const Network network = readModel("qdq_relu.onnx", m);
  ASSERT_EQ(network.layers.size(), 1u);
  EXPECT_EQ(network.layers[0].activation, Activation::Relu);
}

TEST(OnnxReader, FoldsBatchNormalizationAndABiasAddIntoTheConvolution) {
  Model m = convNet();
  m.initializers.push_back(floats("gamma", {4}, {1, 0, 1, 1}));  // channel 1 scaled to zero
  m.initializers.push_back(floats("beta", {4}, {0, 0, 0, 0}));
  m.initializers.push_back(floats("mean", {4}, {0, 0, 0, 0}));
  m.initializers.push_back(floats("var", {4}, {1, 1, 1, 1}));
  m.initializers.push_back(floats("bias2", {4, 1, 1}, {1, 2, 3, 4}));
  m.nodes = {{"Conv", "c1", {"x", "w"}, {"c"}, {intsAttr("pads", {1, 1, 1, 1})}},
             {"BatchNormalization", "bn", {"c", "gamma", "beta", "mean", "var"}, {"n"}},
             {"Add", "bias", {"n", "bias2"}, {"a"}},
             {"Relu", "r1", {"a"}, {"y"}}};
  const Network network = readModel("bn.onnx", m);
  ASSERT_EQ(network.layers.size(), 1u);
  EXPECT_EQ(network.layers[0].activation, Activation::Relu);
  // Folding multiplies channel 1's 27 weights by 0: a quarter of the weights are zero.
  EXPECT_DOUBLE_EQ(network.layers[0].weight_sparsity, 27.0 / 108.0);
}

TEST(OnnxReader, RefusesABatchNormalizationThatCannotFold) {
  Model m = convNet();
  for (const char *name : {"gamma", "beta", "mean", "var"})
    m.initializers.push_back(floats(name, {4}, {1, 1, 1, 1}));
  const std::vector<std::string> bn_inputs = {"gamma", "beta", "mean", "var"};
  auto bn = [&](const std::string &input, const std::string &output) {
    std::vector<std::string> inputs = {input};
    inputs.insert(inputs.end(), bn_inputs.begin(), bn_inputs.end());
    return Node{"BatchNormalization", "bn", inputs, {output}};
  };
  // After the activation.
  m.nodes = {m.nodes[0], {"Relu", "r1", {"c"}, {"r"}}, bn("r", "y")};
  expectOnnxError("bn_after_relu.onnx", m, 6515,
                  {"graph.node[2]", "'bn' (BatchNormalization)", "already applies its activation"});
  // On a tensor also used elsewhere.
  m.nodes = {convNet().nodes[0], bn("c", "n"), {"Add", "sum", {"n", "c"}, {"y"}}};
  expectOnnxError("bn_shared.onnx", m, 6515, {"'bn' (BatchNormalization)", "also used"});
  // After a layer without weights.
  m.nodes = {convNet().nodes[0],
             {"MaxPool", "pool", {"c"}, {"p"}, {intsAttr("kernel_shape", {1, 1})}},
             bn("p", "y")};
  expectOnnxError("bn_after_pool.onnx", m, 6515, {"'bn'", "layer 'pool' (max_pool)"});
  // After the convolution's output was quantised: folding would change the rounding.
  m.initializers.push_back(scalar("s", kFloat, 0.05));
  m.initializers.push_back(scalar("z", kInt8, 0));
  m.nodes = {convNet().nodes[0],
             {"QuantizeLinear", "q", {"c", "s", "z"}, {"cq"}},
             {"DequantizeLinear", "dq", {"cq", "s", "z"}, {"cd"}},
             bn("cd", "y")};
  expectOnnxError("bn_after_q.onnx", m, 6515, {"'bn'", "layer 'c1' is quantised"});
  // On the network input.
  m.initializers = {m.initializers.begin() + 2, m.initializers.begin() + 6};
  m.inputs = {{"x", kFloat, {1, 4, 8, 8}}};
  m.nodes = {bn("x", "y")};
  expectOnnxError("bn_on_input.onnx", m, 6515, {"'bn'", "network input 'x'"});
}

TEST(OnnxReader, GemmAndMatMulAreFullyConnectedLayers) {
  const Network gemm = readModel("gemm.onnx", fcNet());
  EXPECT_EQ(gemm.layers.at(0).op, NetOp::FullyConnected);
  EXPECT_EQ(gemm.layers[0].output_shape, (TensorShape{1, 1, 8}));
  EXPECT_EQ(networkCost(gemm).macs, 128);
  Model m = fcNet();
  m.initializers[0] = floats("w", {16, 8}, ramp(128));
  m.nodes = {{"MatMul", "mm", {"x", "w"}, {"p"}}, {"Add", "bias", {"p", "b"}, {"y"}}};
  const Network matmul = readModel("matmul.onnx", m);
  ASSERT_EQ(matmul.layers.size(), 1u);
  EXPECT_EQ(matmul.layers[0].name, "mm");
  EXPECT_EQ(networkCost(matmul).macs, 128);
}

TEST(OnnxReader, MeasuresWeightSparsityFromFloatAndInt8Weights) {
  Model m = convNet();
  std::vector<double> w = ramp(108);
  for (size_t i = 0; i < 27; ++i) w[i * 4] = 0;  // 27 exact zeros
  m.initializers[0].values = w;
  EXPECT_DOUBLE_EQ(readModel("sparse.onnx", m).layers[0].weight_sparsity, 27.0 / 108.0);

  // QDQ: int8 weights per output channel behind DequantizeLinear; 10 of 128 are 0.
  Model q = fcNet();
  std::vector<double> w8(128, 5);
  for (size_t i = 0; i < 10; ++i) w8[i * 11] = 0;
  q.initializers = {Tensor{"w8", {8, 16}, kInt8, w8}, floats("ws", {8}, ramp(8)),
                    Tensor{"wz", {8}, kInt8, std::vector<double>(8, 0)}, floats("b", {8}, ramp(8))};
  for (auto &s : q.initializers[1].values) s = std::abs(s);
  q.nodes = {{"DequantizeLinear", "dq", {"w8", "ws", "wz"}, {"w"}, {intAttr("axis", 0)}},
             q.nodes[0]};
  const NetLayer fc = readModel("qdq.onnx", q).layers.at(0);
  EXPECT_EQ(fc.weight_quant, WeightQuant::Int8PerChannel);
  EXPECT_DOUBLE_EQ(fc.weight_sparsity, 10.0 / 128.0);

  // QuantizeLinear of float weights: values under half a step round to zero.
  Model f = fcNet();
  std::vector<double> small(128, 1.0);
  for (size_t i = 0; i < 32; ++i) small[i] = 0.004;  // scale 0.01: rounds to 0
  f.initializers = {floats("wf", {8, 16}, small), scalar("s", kFloat, 0.01), scalar("z", kInt8, 0),
                    floats("b", {8}, ramp(8))};
  f.nodes = {{"QuantizeLinear", "q", {"wf", "s", "z"}, {"wq"}},
             {"DequantizeLinear", "dq", {"wq", "s", "z"}, {"w"}},
             f.nodes[0]};
  const NetLayer rounded = readModel("qfloat.onnx", f).layers.at(0);
  EXPECT_EQ(rounded.weight_quant, WeightQuant::Int8PerTensor);
  EXPECT_DOUBLE_EQ(rounded.weight_sparsity, 0.25);
}

TEST(OnnxReader, RefusesWeightsThatAreAllZero) {
  Model m = fcNet();
  m.initializers[0].values.assign(128, 0.0);
  expectOnnxError("zeros.onnx", m, 6518, {"graph.node[0]", "'fc' (Gemm)", "128 weights is zero"});
}

// x -> QuantizeLinear -> QLinearConv (int8 weights, per tensor) -> Clip(int8 0, 120) ->
// DequantizeLinear -> y
Model qopNet() {
  Model m;
  m.opset = 14;
  m.inputs = {{"x", kFloat, {1, 3, 8, 8}}};
  m.outputs = {{"y", kFloat, {1, 4, 8, 8}}};
  m.initializers = {scalar("s", kFloat, 0.05),
                    scalar("z", kInt8, 0),
                    Tensor{"w", {4, 3, 1, 1}, kInt8, {1, 2, 3, -1, -2, -3, 1, 0, 1, 2, 2, 2}},
                    scalar("ws", kFloat, 0.01),
                    scalar("lo", kInt8, 0),
                    scalar("hi", kInt8, 120)};  // round(6 / 0.05) = 120: ReLU6
  m.nodes = {{"QuantizeLinear", "qx", {"x", "s", "z"}, {"xq"}},
             {"QLinearConv", "conv", {"xq", "s", "z", "w", "ws", "z", "s", "z"}, {"cq"}},
             {"Clip", "clip", {"cq", "lo", "hi"}, {"rq"}},
             {"DequantizeLinear", "dq", {"rq", "s", "z"}, {"y"}}};
  return m;
}

TEST(OnnxReader, QOperatorFormWithInt8ReluAndQuantizedClip) {
  Model m = qopNet();
  const NetLayer conv = readModel("qop.onnx", m).layers.at(0);
  EXPECT_EQ(conv.op, NetOp::Conv2d);
  EXPECT_EQ(conv.activation, Activation::Relu6);
  EXPECT_EQ(conv.weight_quant, WeightQuant::Int8PerTensor);
  EXPECT_DOUBLE_EQ(conv.weight_sparsity, 1.0 / 12.0);

  m.initializers[1] = scalar("z", kInt8, 3);
  expectOnnxError("zero_point.onnx", m, 6516,
                  {"'qx' (QuantizeLinear)", "y_zero_point", "is 3", "symmetric"});
  m.initializers[1] = scalar("z", kUint8, 0);
  expectOnnxError("uint8.onnx", m, 6516, {"'qx' (QuantizeLinear)", "UINT8"});
}

TEST(OnnxReader, ReshapeToAVectorAndLayoutNeutralReshapesOnly) {
  Model m = convNet();
  m.initializers.push_back(Tensor{"shape", {2}, kInt64, {1, -1}});
  m.nodes.push_back({"Reshape", "flat", {"y", "shape"}, {"v"}});
  m.outputs = {{"v", kFloat, {1, 256}}};
  const Network network = readModel("reshape.onnx", m);
  EXPECT_EQ(network.layers.at(1).op, NetOp::Reshape);
  EXPECT_EQ(network.layers[1].output_shape, (TensorShape{1, 1, 256}));

  m.initializers.back() = Tensor{"shape", {4}, kInt64, {1, 16, 4, 4}};
  m.outputs = {{"v", kFloat, {1, 16, 4, 4}}};
  expectOnnxError("reorder.onnx", m, 6513, {"'flat' (Reshape)", "NCHW", "HWC"});
  m.initializers.back() = Tensor{"shape", {2}, kInt64, {1, 255}};
  expectOnnxError("count.onnx", m, 6512, {"'flat' (Reshape)", "(256 elements)", "[1,255]"});
}

// ------------------------------------------------------------ unsupported input

TEST(OnnxReader, RefusesUnsupportedOpsNamingNodeOpAndReason) {
  Model m = convNet();
  m.nodes[1] = {"Softmax", "probabilities", {"c"}, {"y"}};
  expectOnnxError("softmax.onnx", m, 6510,
                  {"graph.node[1]", "'probabilities' (Softmax)", "runs on the host"});
  m.nodes[1] = {"FancyActivation", "fancy", {"c"}, {"y"}};
  expectOnnxError("unknown.onnx", m, 6510,
                  {"'fancy' (FancyActivation)", "unsupported op type (supported: Add"});
  m.nodes[1] = {"QLinearAdd", "qadd", {"c"}, {"y"}, {}, "com.microsoft"};
  expectOnnxError("domain.onnx", m, 6510, {"'qadd' (QLinearAdd)", "'com.microsoft'"});
}

TEST(OnnxReader, RefusesConvolutionsTheAcceleratorCannotRun) {
  Model m = convNet();
  m.initializers[0] = floats("w", {4, 1, 3, 3}, ramp(36));
  m.inputs = {{"x", kFloat, {1, 4, 8, 8}}};
  m.nodes[0].attributes = {intAttr("group", 2), intsAttr("pads", {1, 1, 1, 1})};
  m.initializers[0] = floats("w", {4, 2, 3, 3}, ramp(72));
  expectOnnxError("grouped.onnx", m, 6510, {"'c1' (Conv)", "grouped convolution (group = 2"});
  m.inputs = {{"x", kFloat, {1, 2, 8, 8}}};
  m.nodes[0].attributes = {intAttr("group", 2), intsAttr("pads", {1, 1, 1, 1})};
  m.initializers[0] = floats("w", {4, 1, 3, 3}, ramp(36));
  expectOnnxError("multiplier.onnx", m, 6510, {"'c1' (Conv)", "depth multiplier 2"});
  m = convNet();
  m.nodes[0].attributes.push_back(intsAttr("dilations", {2, 2}));
  expectOnnxError("dilated.onnx", m, 6511, {"'c1' (Conv)", "dilations [2,2]"});
  m = convNet();
  m.nodes[0].attributes = {intsAttr("pads", {3, 3, 3, 3})};
  expectOnnxError("pads.onnx", m, 6517, {"'c1' (Conv)", "not smaller than the kernel 3"});
}

TEST(OnnxReader, RefusesInconsistentShapesNamingTheNode) {
  Model m = convNet();
  m.initializers[0] = floats("w", {4, 2, 3, 3}, ramp(72));
  expectOnnxError("channels.onnx", m, 6512,
                  {"graph.node[0]", "'c1' (Conv)", "take 2 input channels", "[1,3,8,8] has 3"});
  m = convNet();
  m.initializers[1] = floats("b", {5}, ramp(5));
  expectOnnxError("bias.onnx", m, 6512, {"'c1' (Conv)", "bias 'b' has shape [5]"});
  m = convNet();
  m.outputs = {{"y", kFloat, {1, 4, 7, 8}}};
  expectOnnxError("declared.onnx", m, 6512,
                  {"'r1' (Relu)", "declared [1,4,7,8]", "gives [1,4,8,8]"});
  m = convNet();
  m.value_info = {{"c", kFloat, {1, 5, 8, 8}}};
  expectOnnxError("value_info.onnx", m, 6512, {"'c1' (Conv)", "output 'c' is declared [1,5,8,8]"});
  m = convNet();
  m.initializers.push_back(floats("w2", {4, 3, 1, 1}, ramp(12)));
  m.nodes = {m.nodes[0],
             {"Conv", "c2", {"x", "w2"}, {"d"}, {intsAttr("strides", {2, 2})}},
             {"Add", "sum", {"c", "d"}, {"y"}}};
  expectOnnxError("add.onnx", m, 6512,
                  {"'sum' (Add)", "'c' is [1,4,8,8], 'd' is [1,4,4,4]", "no broadcasting"});
  Model f = fcNet();
  f.inputs = {{"x", kFloat, {1, 15}}};
  expectOnnxError("gemm.onnx", f, 6512, {"'fc' (Gemm)", "take 16 inputs", "[1,15] has 15"});
}

TEST(OnnxReader, RefusesBrokenGraphs) {
  Model m = convNet();
  std::swap(m.nodes[0], m.nodes[1]);
  expectOnnxError("order.onnx", m, 6503, {"'r1' (Relu)", "input 'c'", "topological order"});
  m = convNet();
  m.nodes.push_back({"Relu", "dangling", {"y"}, {"unused"}});
  expectOnnxError("dangling.onnx", m, 6503, {"'dangling' (Relu)", "none of its outputs"});
  m = convNet();
  m.inputs.push_back({"x2", kFloat, {1, 3, 8, 8}});
  expectOnnxError("inputs.onnx", m, 6502, {"more than one input ('x', 'x2')"});
  m = convNet();
  m.inputs = {{"x", kFloat, {1, 3, -1, 8}}};
  expectOnnxError("symbolic.onnx", m, 6513, {"graph.input 'x'", "symbolic ('N')"});
  m = convNet();
  m.inputs = {{"x", kFloat, {2, 3, 8, 8}}};
  expectOnnxError("batch.onnx", m, 6513, {"batch 2"});
  m = convNet();
  m.opset = 6;
  expectOnnxError("opset.onnx", m, 6502, {"opset 6 is not supported"});
}

// ------------------------------------------------------------ malformed files

bool isOnnxErrorId(int id) { return id >= 6500 && id <= 6599; }

// Reading `bytes` either succeeds or throws pf::Error PF-65xx naming the file; nothing
// else may escape (an std::out_of_range from a missed bounds check would, and a crash
// would end the test). In memory: thousands of cases run in well under a second.
void expectCleanOutcome(const std::string &bytes, const std::string &what) {
  const std::string path = "mutated.onnx";
  try {
    parseOnnxNetwork(bytes, path);
  } catch (const Error &error) {
    EXPECT_TRUE(isOnnxErrorId(error.id()) || error.id() == 6040)
        << what << ": " << error.formatted();
    EXPECT_EQ(error.loc().file, path) << what;
  } catch (const std::exception &other) {
    ADD_FAILURE() << what << ": escaped as " << typeid(other).name() << ": " << other.what();
  }
}

TEST(OnnxMalformed, TruncatedShippedModelsGiveLocatedWireErrors) {
  for (const fs::path &file : shippedModels()) {
    const std::string bytes = readBytes(file);
    std::vector<size_t> cuts = {1,
                                2,
                                3,
                                5,
                                10,
                                50,
                                100,
                                bytes.size() / 3,
                                bytes.size() / 2,
                                bytes.size() - 100,
                                bytes.size() - 1};
    for (size_t i = 1; i < 40; ++i) cuts.push_back(bytes.size() * i / 40 + i);
    for (size_t cut : cuts) {
      const std::string what = file.filename().string() + " cut at " + std::to_string(cut);
      const std::string path = writeBytes("truncated.onnx", bytes.substr(0, cut));
      try {
        readOnnxNetwork(path);
        ADD_FAILURE() << what << ": accepted";
      } catch (const Error &error) {
        EXPECT_TRUE(isOnnxErrorId(error.id())) << what << ": " << error.formatted();
        EXPECT_EQ(error.loc().file, path);
        if (error.id() == 6500) {  // a wire error says where and in which message
          EXPECT_NE(error.formatted().find("byte "), std::string::npos) << error.formatted();
        }
      } catch (const std::exception &other) {
        ADD_FAILURE() << what << ": " << other.what();
      }
    }
  }
}

TEST(OnnxMalformed, ACutInsideAnInitializerNamesTheMessageAndOffset) {
  const std::string bytes = readBytes(kNetsDir / "onnx" / "mlperf_tiny_ad_fc_autoencoder.onnx");
  expectOnnxError("cut.onnx", bytes.substr(0, bytes.size() / 2), 6500,
                  {"field 'ModelProto'", "byte ", "field 7 (graph): length", "runs past the end",
                   "truncated, corrupt or not an ONNX model"});
}

TEST(OnnxMalformed, EveryPrefixOfASmallModelIsHandled) {
  const std::string bytes = convNet().encode();
  for (size_t cut = 0; cut < bytes.size(); ++cut)
    expectCleanOutcome(bytes.substr(0, cut), "prefix " + std::to_string(cut));
}

TEST(OnnxMalformed, FlippedBytesNeverEscapeAsAnythingButAnError) {
  std::mt19937 random(12345);
  for (const Model &model : {convNet(), fcNet(), qopNet()}) {
    const std::string bytes = model.encode();
    for (int trial = 0; trial < 5000; ++trial) {
      std::string mutated = bytes;
      for (int flips = 0; flips < 1 + trial % 3; ++flips)
        mutated[random() % mutated.size()] = static_cast<char>(random() & 0xff);
      expectCleanOutcome(mutated, model.nodes[0].op + " trial " + std::to_string(trial));
    }
  }
  // And the structure of a whole shipped model (its weights are most of its bytes).
  const std::string kws = readBytes(kNetsDir / "onnx" / "mlperf_tiny_kws_dscnn.onnx");
  for (int trial = 0; trial < 300; ++trial) {
    std::string mutated = kws;
    mutated[random() % 4096] = static_cast<char>(random() & 0xff);
    mutated[kws.size() - 1 - random() % 4096] = static_cast<char>(random() & 0xff);
    expectCleanOutcome(mutated, "kws trial " + std::to_string(trial));
  }
}

TEST(OnnxMalformed, NonOnnxFilesAreRefused) {
  expectOnnxError("empty.onnx", std::string(), 6502, {"empty file: not an ONNX model"});
  expectOnnxError("text.onnx", readBytes(kNetsDir / "mlperf_tiny_kws_dscnn.toml"), 6500,
                  {"byte 0", "group", "not an ONNX model"});
  std::mt19937 random(7);
  for (size_t size : {1u, 7u, 64u, 4096u}) {
    std::string noise(size, '\0');
    for (char &c : noise) c = static_cast<char>(random() & 0xff);
    expectCleanOutcome(noise, "noise " + std::to_string(size));
    EXPECT_THROW(parseOnnxNetwork(noise, "noise.onnx"), Error);
  }
  // A well-formed protobuf that is not a model.
  expectOnnxError("not_model.onnx", intField(5, 3), 6502, {"not an ONNX model"});
}

TEST(OnnxMalformed, TensorDataThatDoesNotMatchItsDimsIsRefused) {
  Model m = convNet();
  m.initializers[0].dims = {4, 3, 3, 4};  // 144 elements, 108 values
  expectOnnxError("short.onnx", m, 6501,
                  {"graph.initializer[0]", "tensor 'w'", "raw_data has 432 bytes"});
}

}  // namespace
}  // namespace pf
