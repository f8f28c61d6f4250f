// ONNX reader: the shipped ONNX forms of zoo networks give the same network model as
// their TOML; hand-built models check each lowering rule (folding, fusion, quantised
// forms, sparsity measurement); and every kind of bad input (truncated or non-ONNX
// files, unsupported ops, inconsistent shapes) is refused with a message naming the file
// and the node, never a crash.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/Error.hh"
#include "net/NetCommand.hh"
#include "net/Network.hh"
#include "net/onnx/OnnxModel.hh"
#include "net/onnx/OnnxReader.hh"
#include "tests/net/OnnxBuilder.hh"

namespace pf {
namespace {

namespace fs = std::filesystem;
using namespace test::onnxpb;

const fs::path kOnnxNetsDir = fs::path(PF_SOURCE_DIR) / "nets";

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

// The ONNX forms in `dir`/onnx (the zoo: nets/, the test networks: nets/tests/).
std::vector<fs::path> shippedModels(const fs::path &dir = kOnnxNetsDir) {
  std::vector<fs::path> files;
  for (const fs::directory_entry &entry : fs::directory_iterator(dir / "onnx"))
    if (entry.path().extension() == ".onnx") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

const fs::path kTestNetsDir = kOnnxNetsDir / "tests";

// The TOML a shipped ONNX model was made from: <dir>/onnx/X.onnx <- <dir>/X.toml, and
// <dir>/onnx/X_qdq_u8.onnx (onnxruntime's default quantisation) <- <dir>/X.toml.
fs::path tomlOf(const fs::path &onnx_file) {
  std::string stem = onnx_file.stem().string();
  const std::string u8 = "_qdq_u8";
  if (stem.size() > u8.size() && stem.compare(stem.size() - u8.size(), u8.size(), u8) == 0)
    stem.resize(stem.size() - u8.size());
  return onnx_file.parent_path().parent_path() / (stem + ".toml");
}

std::string hostText(const HostParams &p) {
  std::ostringstream out;
  out << "scales " << p.input_scale << " " << p.input2_scale << " " << p.output_scale
      << (p.default_scales ? " (default)" : " (given)") << ", axis " << p.axis << ", perm "
      << p.perm[0] << p.perm[1] << p.perm[2] << ", alpha " << p.alpha << ", beta " << p.beta;
  return out.str();
}

// Equal network models give equal profiles: every field the later stages read.
void expectSameNetworkAsToml(const fs::path &file) {
  SCOPED_TRACE(file.string());
  {
    const Network onnx = readOnnxNetwork(file.string());
    const Network toml = readNetwork(tomlOf(file).string());
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
      // Host operators: scales (from the QDQ nodes, or the defaults of a float model),
      // axis, permutation, alpha and beta; float32 values read back as their decimals.
      EXPECT_EQ(a.host, b.host) << "ONNX vs TOML: " << hostText(a.host) << " vs "
                                << hostText(b.host);
    }
    EXPECT_EQ(onnx_cost.macs, toml_cost.macs);
    EXPECT_EQ(onnx_cost.other_ops, toml_cost.other_ops);
    EXPECT_EQ(onnx_cost.peak_activation_bytes, toml_cost.peak_activation_bytes);
    EXPECT_EQ(onnx.hostLayerCount(), toml.hostLayerCount());
    EXPECT_EQ(onnx.schedulableLayerCount(), toml.schedulableLayerCount());
  }
}

TEST(OnnxZoo, EveryShippedModelGivesTheSameNetworkAsItsToml) {
  const std::vector<fs::path> files = shippedModels();
  EXPECT_GE(files.size(), 3u) << "at least three zoo networks ship in ONNX form";
  for (const fs::path &file : files) expectSameNetworkAsToml(file);
}

// nets/tests/: small networks with host operators, one per ONNX form.
TEST(OnnxZoo, EveryTestNetworkGivesTheSameNetworkAsItsToml) {
  const std::vector<fs::path> files = shippedModels(kTestNetsDir);
  EXPECT_EQ(files.size(), 6u);
  for (const fs::path &file : files) expectSameNetworkAsToml(file);
}

// The test networks stay small (fast tests) and hold what nets/README.md says.
TEST(OnnxZoo, TestNetworksAreSmallAndUseTheHostOperators) {
  struct Expected {
    const char *name;
    size_t layers;
    int host_layers;
    int64_t macs;
  };
  for (const Expected &e : {Expected{"test_cnn_softmax", 9, 1, 2'802'304},
                            Expected{"test_cnn_softmax_qdq_u8", 9, 1, 2'802'304},
                            Expected{"test_mobilenetv3_block", 18, 7, 773'568},
                            Expected{"test_transpose_max_pool", 10, 4, 331'840},
                            Expected{"test_squeezenet_fire", 14, 1, 2'097'152},
                            // The zoo's DS-CNN convolutions: MLTK's 2.657 M (networks.md).
                            Expected{"test_dscnn_pool25x5", 13, 1, 2'656'768}}) {
    SCOPED_TRACE(e.name);
    const Network network =
        readOnnxNetwork((kTestNetsDir / "onnx" / (std::string(e.name) + ".onnx")).string());
    EXPECT_EQ(network.layers.size(), e.layers);
    EXPECT_EQ(network.hostLayerCount(), e.host_layers);
    EXPECT_EQ(networkCost(network).macs, e.macs);
    EXPECT_LT(networkCost(network).macs, 5'000'000);
    for (const NetLayer &layer : network.layers) {  // the accelerator limits of networks.md
      const bool pool = layer.op == NetOp::AvgPool || layer.op == NetOp::MaxPool ||
                        layer.op == NetOp::GlobalAvgPool || layer.op == NetOp::GlobalMaxPool;
      if (!pool) {  // larger pools run in passes (mapping.md, "Large pools")
        EXPECT_LE(std::max(layer.kernel_h, layer.kernel_w), 15) << layer.name;
        EXPECT_LE(std::max(layer.stride_h, layer.stride_w), 15) << layer.name;
      }
    }
  }
  std::set<std::string> ops;
  for (const fs::path &file : shippedModels(kTestNetsDir))
    for (const onnx::OnnxNode &node : onnx::readOnnxFile(file.string()).graph.nodes)
      ops.insert(node.op_type);
  for (const char *op :
       {"Softmax", "Sigmoid", "HardSigmoid", "HardSwish", "Mul", "Transpose", "GlobalMaxPool",
        "Squeeze", "Unsqueeze", "QLinearConv", "QuantizeLinear", "DequantizeLinear", "Concat"})
    EXPECT_EQ(ops.count(op), 1u) << op;
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
  const fs::path onnx = kOnnxNetsDir / "onnx" / "mlperf_tiny_kws_dscnn.onnx";
  const fs::path toml = kOnnxNetsDir / "mlperf_tiny_kws_dscnn.toml";
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
  expectOnnxError("clip4.onnx", m, 6583,
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
  expectOnnxError("bn_after_relu.onnx", m, 6646,
                  {"graph.node[2]", "'bn' (BatchNormalization)", "already applies its activation"});
  // On a tensor also used elsewhere.
  m.nodes = {convNet().nodes[0], bn("c", "n"), {"Add", "sum", {"n", "c"}, {"y"}}};
  expectOnnxError("bn_shared.onnx", m, 6654, {"'bn' (BatchNormalization)", "also used"});
  // After a layer without weights.
  m.nodes = {convNet().nodes[0],
             {"MaxPool", "pool", {"c"}, {"p"}, {intsAttr("kernel_shape", {1, 1})}},
             bn("p", "y")};
  expectOnnxError("bn_after_pool.onnx", m, 6645, {"'bn'", "layer 'pool' (max_pool)"});
  // After the convolution's output was quantised: folding would change the rounding.
  m.initializers.push_back(scalar("s", kFloat, 0.05));
  m.initializers.push_back(scalar("z", kInt8, 0));
  m.nodes = {convNet().nodes[0],
             {"QuantizeLinear", "q", {"c", "s", "z"}, {"cq"}},
             {"DequantizeLinear", "dq", {"cq", "s", "z"}, {"cd"}},
             bn("cd", "y")};
  expectOnnxError("bn_after_q.onnx", m, 6647, {"'bn'", "layer 'c1' is quantised"});
  // On the network input.
  m.initializers = {m.initializers.begin() + 2, m.initializers.begin() + 6};
  m.inputs = {{"x", kFloat, {1, 4, 8, 8}}};
  m.nodes = {bn("x", "y")};
  expectOnnxError("bn_on_input.onnx", m, 6653, {"'bn'", "network input 'x'"});
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
  expectOnnxError("zeros.onnx", m, 6695, {"graph.node[0]", "'fc' (Gemm)", "128 weights is zero"});
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

  // "z" is also the weights' zero point: activations may have one, weights may not.
  m.initializers[1] = scalar("z", kInt8, 3);
  expectOnnxError("zero_point.onnx", m, 6659,
                  {"'conv' (QLinearConv)", "weight zero point ('z') is 3", "asymmetric weights"});
  m.initializers[1] = scalar("z", kUint8, 0);
  expectOnnxError(
      "uint8.onnx", m, 6658,
      {"'conv' (QLinearConv)", "weight zero point ('z') is UINT8", "asymmetric weights"});
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
  expectOnnxError("reorder.onnx", m, 6633, {"'flat' (Reshape)", "NCHW", "HWC"});
  m.initializers.back() = Tensor{"shape", {2}, kInt64, {1, 255}};
  expectOnnxError("count.onnx", m, 6615, {"'flat' (Reshape)", "(256 elements)", "[1,255]"});
}

// ------------------------------------------------------------ host operators

// x [1,4,6,8] -> Conv "c1" (1x1, 4 filters) -> c -> `nodes` (reading "c") -> ... -> y
Model hostNet(std::vector<Node> nodes, std::vector<int64_t> out_dims, int64_t opset = 14) {
  Model m;
  m.opset = opset;
  m.inputs = {{"x", kFloat, {1, 4, 6, 8}}};
  m.outputs = {{"y", kFloat, std::move(out_dims)}};
  m.initializers = {floats("w", {4, 4, 1, 1}, ramp(16))};
  m.nodes = {{"Conv", "c1", {"x", "w"}, {"c"}}};
  for (Node &node : nodes) m.nodes.push_back(std::move(node));
  return m;
}

// The last layer of a hand-built model.
NetLayer lastLayer(const std::string &name, const Model &model) {
  const Network network = readModel(name, model);
  return network.layers.back();
}

TEST(OnnxHostOps, SoftmaxAxisFromOpset13MapsNchwToHwc) {
  struct Case {
    int64_t axis;
    int hwc;
  };
  for (const Case &c : {Case{1, 2}, Case{2, 0}, Case{3, 1}, Case{-1, 1}, Case{-3, 2}}) {
    SCOPED_TRACE(c.axis);
    const NetLayer layer = lastLayer(
        "softmax.onnx",
        hostNet({{"Softmax", "sm", {"c"}, {"y"}, {intAttr("axis", c.axis)}}}, {1, 4, 6, 8}));
    EXPECT_EQ(layer.op, NetOp::Softmax);
    EXPECT_TRUE(runsOnHost(layer.op));
    EXPECT_EQ(layer.output_shape, (TensorShape{6, 8, 4}));
    EXPECT_EQ(layer.host.axis, c.hwc);
    // A float model: the documented defaults, flagged.
    HostParams expected = defaultHostParams(NetOp::Softmax);
    expected.axis = c.hwc;
    EXPECT_EQ(layer.host, expected);
    EXPECT_TRUE(layer.host.default_scales);
  }
  // The default axis is -1 (W on [1,C,H,W]); on a vector it is C.
  EXPECT_EQ(
      lastLayer("default.onnx", hostNet({{"Softmax", "sm", {"c"}, {"y"}}}, {1, 4, 6, 8})).host.axis,
      1);
  Model fc = fcNet();
  fc.outputs = {{"p", kFloat, {1, 8}}};
  fc.nodes.push_back({"Softmax", "sm", {"y"}, {"p"}});
  EXPECT_EQ(lastLayer("vector.onnx", fc).host.axis, 2);
}

TEST(OnnxHostOps, SoftmaxBeforeOpset13OnlyWhereItIsASingleAxisSoftmax) {
  // Coerced to 2-D from the axis on: [1,N] and [1,C,1,1] are softmax along C ...
  Model fc = fcNet();
  fc.opset = 11;
  fc.outputs = {{"p", kFloat, {1, 8}}};
  fc.nodes.push_back({"Softmax", "sm", {"y"}, {"p"}});
  const NetLayer vector = lastLayer("v11.onnx", fc);
  EXPECT_EQ(vector.op, NetOp::Softmax);
  EXPECT_EQ(vector.host.axis, 2);
  Model m;
  m.opset = 11;
  m.inputs = {{"x", kFloat, {1, 3, 8, 8}}};
  m.outputs = {{"y", kFloat, {1, 4, 1, 1}}};
  m.initializers = {floats("w", {4, 3, 3, 3}, ramp(108))};
  m.nodes = {{"Conv", "c1", {"x", "w"}, {"c"}, {intsAttr("strides", {5, 5})}},
             {"GlobalAveragePool", "gap", {"c"}, {"g"}},
             {"Softmax", "sm", {"g"}, {"y"}}};
  EXPECT_EQ(lastLayer("c11.onnx", m).host.axis, 2);
  // ... and [1,C,H,W] with axis 2 and W = 1 along H.
  m.nodes = {{"Conv", "c1", {"x", "w"}, {"c"}, {intsAttr("pads", {1, 0, 1, 0})}},
             {"Softmax", "sm", {"c"}, {"y"}, {intAttr("axis", 2)}}};
  m.initializers = {floats("w", {4, 3, 3, 8}, ramp(288))};
  m.outputs = {{"y", kFloat, {1, 4, 8, 1}}};
  EXPECT_EQ(lastLayer("h11.onnx", m).host.axis, 0);
  // The default axis 1 on [1,C,H,W] normalises all C*H*W values together: refused.
  expectOnnxError("chw11.onnx", hostNet({{"Softmax", "probs", {"c"}, {"y"}}}, {1, 4, 6, 8}, 11),
                  6625,
                  {"graph.node[1]", "'probs' (Softmax)", "opset 11", "one vector of 192 elements",
                   "along one axis", "opset 13"});
  // From opset 13, axis 0 is the batch.
  expectOnnxError("batch.onnx",
                  hostNet({{"Softmax", "probs", {"c"}, {"y"}, {intAttr("axis", 0)}}}, {1, 4, 6, 8}),
                  6626, {"'probs' (Softmax)", "batch axis"});
}

TEST(OnnxHostOps, SigmoidHardSigmoidAndHardSwish) {
  const NetLayer sigmoid =
      lastLayer("sigmoid.onnx", hostNet({{"Sigmoid", "sg", {"c"}, {"y"}}}, {1, 4, 6, 8}));
  EXPECT_EQ(sigmoid.op, NetOp::Sigmoid);
  EXPECT_EQ(sigmoid.name, "sg");
  EXPECT_EQ(sigmoid.inputs, std::vector<std::string>{"c1"});
  EXPECT_EQ(sigmoid.host, defaultHostParams(NetOp::Sigmoid));
  EXPECT_EQ(sigmoid.weight_quant, WeightQuant::None);

  const NetLayer hard = lastLayer(
      "hard_sigmoid.onnx", hostNet({{"HardSigmoid",
                                     "hs",
                                     {"c"},
                                     {"y"},
                                     {floatAttr("alpha", 1.0f / 6), floatAttr("beta", 0.5f)}}},
                                   {1, 4, 6, 8}));
  EXPECT_EQ(hard.op, NetOp::HardSigmoid);
  EXPECT_EQ(hard.host.alpha, 0.16666667);  // float32 1/6, read as its shortest decimal
  EXPECT_EQ(hard.host.beta, 0.5);
  const NetLayer defaults = lastLayer("hard_sigmoid_defaults.onnx",
                                      hostNet({{"HardSigmoid", "hs", {"c"}, {"y"}}}, {1, 4, 6, 8}));
  EXPECT_EQ(defaults.host, defaultHostParams(NetOp::HardSigmoid));  // alpha 0.2, beta 0.5

  const NetLayer swish =
      lastLayer("hard_swish.onnx", hostNet({{"HardSwish", "hw", {"c"}, {"y"}}}, {1, 4, 6, 8}));
  EXPECT_EQ(swish.op, NetOp::HardSwish);
  EXPECT_EQ(swish.host, defaultHostParams(NetOp::HardSwish));
  expectOnnxError("hard_swish13.onnx",
                  hostNet({{"HardSwish", "hw", {"c"}, {"y"}}}, {1, 4, 6, 8}, 13), 6555,
                  {"'hw' (HardSwish)", "opset 14 operator", "imports opset 13"});
  // Host operators have no fused activation.
  expectOnnxError(
      "relu_after_host.onnx",
      hostNet({{"Sigmoid", "sg", {"c"}, {"s"}}, {"Relu", "r", {"s"}, {"y"}}}, {1, 4, 6, 8}), 6651,
      {"'r' (Relu)", "layer 'sg' (sigmoid)", "host operators have no fused"});
}

TEST(OnnxHostOps, MulBroadcastsItsSecondOperandAsTheHostCan) {
  // Swish as exported: x * sigmoid(x), equal shapes.
  const Network swish = readModel(
      "swish.onnx", hostNet({{"Sigmoid", "sg", {"c"}, {"s"}}, {"Mul", "swish", {"c", "s"}, {"y"}}},
                            {1, 4, 6, 8}));
  ASSERT_EQ(swish.layers.size(), 3u);
  EXPECT_EQ(swish.layers[2].op, NetOp::Mul);
  EXPECT_EQ(swish.layers[2].inputs, (std::vector<std::string>{"c1", "sg"}));
  EXPECT_EQ(swish.layers[2].input_shapes[1], (TensorShape{6, 8, 4}));
  EXPECT_EQ(swish.layers[2].host, defaultHostParams(NetOp::Mul));

  // Squeeze-and-excitation: the [1,C,1,1] gate first; the product commutes, so the
  // layer takes the block tensor first and the gate (1x1xC) second.
  const Network se = readModel("se.onnx", hostNet({{"GlobalAveragePool", "gap", {"c"}, {"g"}},
                                                   {"HardSigmoid", "gate", {"g"}, {"h"}},
                                                   {"Mul", "scale", {"h", "c"}, {"y"}}},
                                                  {1, 4, 6, 8}));
  const NetLayer &mul = se.layers.back();
  EXPECT_EQ(mul.inputs, (std::vector<std::string>{"c1", "gate"}));
  EXPECT_EQ(mul.input_shapes[1], (TensorShape{1, 1, 4}));
  EXPECT_EQ(mul.output_shape, (TensorShape{6, 8, 4}));

  // One value per pixel: [1,1,H,W] is HxWx1.
  Model pixel =
      hostNet({{"Conv", "c2", {"c", "w1"}, {"d"}}, {"Mul", "m", {"c", "d"}, {"y"}}}, {1, 4, 6, 8});
  pixel.initializers.push_back(floats("w1", {1, 4, 1, 1}, ramp(4)));
  EXPECT_EQ(lastLayer("pixel.onnx", pixel).input_shapes[1], (TensorShape{6, 8, 1}));

  // [1,C,H,1] is not a host broadcast (H and W broadcast together).
  Model rows =
      hostNet({{"Conv", "c2", {"c", "w2"}, {"d"}}, {"Mul", "m", {"c", "d"}, {"y"}}}, {1, 4, 6, 8});
  rows.initializers.push_back(floats("w2", {4, 4, 1, 8}, ramp(128)));
  expectOnnxError("rows.onnx", rows, 6628,
                  {"graph.node[2]", "'m' (Mul)",
                   "'d' [1,4,6,1] does not broadcast to 'c' [1,4,6,8]", "[1,C,1,1] (1x1xC)"});
  // A [1,N] operand broadcasts along W in ONNX, not along C.
  Model vec = hostNet({{"GlobalAveragePool", "gap", {"c"}, {"g"}},
                       {"Flatten", "f", {"g"}, {"v"}},
                       {"Mul", "m", {"c", "v"}, {"y"}}},
                      {1, 4, 6, 8});
  vec.inputs = {{"x", kFloat, {1, 4, 6, 4}}};
  vec.outputs = {{"y", kFloat, {1, 4, 6, 4}}};
  expectOnnxError("vector.onnx", vec, 6628, {"'m' (Mul)", "[1,4]", "broadcasts along W"});
  // Both operands broadcast: the result is larger than either.
  Model both = hostNet({{"GlobalAveragePool", "gap", {"c"}, {"g"}},
                        {"Conv", "c2", {"c", "w1"}, {"d"}},
                        {"Mul", "m", {"g", "d"}, {"y"}}},
                       {1, 4, 6, 8});
  both.initializers.push_back(floats("w1", {1, 4, 1, 1}, ramp(4)));
  expectOnnxError("both.onnx", both, 6627, {"'m' (Mul)", "broadcasts both operands to [1,4,6,8]"});
}

TEST(OnnxHostOps, MulByAConstantFoldsOrIsRefused) {
  // All ones: the identity, no layer.
  Model ones = hostNet({{"Mul", "one", {"c", "k"}, {"y"}}}, {1, 4, 6, 8});
  ones.initializers.push_back(floats("k", {1}, {1.0}));
  const Network identity = readModel("ones.onnx", ones);
  ASSERT_EQ(identity.layers.size(), 1u);
  EXPECT_EQ(identity.layers[0].op, NetOp::Conv2d);
  // One factor per channel right after the Conv: folded into its weights; a zero factor
  // zeroes that channel's weights.
  Model scale =
      hostNet({{"Mul", "scale", {"k", "c"}, {"m"}}, {"Relu", "r", {"m"}, {"y"}}}, {1, 4, 6, 8});
  scale.initializers.push_back(floats("k", {4, 1, 1}, {0.5, 2.0, 0.0, 1.5}));
  const Network folded = readModel("scale.onnx", scale);
  ASSERT_EQ(folded.layers.size(), 1u);
  EXPECT_EQ(folded.layers[0].activation, Activation::Relu);
  EXPECT_DOUBLE_EQ(folded.layers[0].weight_sparsity, 0.25);
  // A constant that is neither a scalar nor per channel.
  Model plane = hostNet({{"Mul", "mask", {"c", "k"}, {"y"}}}, {1, 4, 6, 8});
  plane.initializers.push_back(floats("k", {1, 1, 6, 8}, std::vector<double>(48, 2.0)));
  expectOnnxError("plane.onnx", plane, 6556,
                  {"'mask' (Mul)", "constant 'k' (FLOAT [1,1,6,8])", "two computed tensors",
                   "one value per channel"});
  // A scale after an activation or without a weighted producer does not fold.
  Model after =
      hostNet({{"Sigmoid", "sg", {"c"}, {"s"}}, {"Mul", "half", {"s", "k"}, {"y"}}}, {1, 4, 6, 8});
  after.initializers.push_back(floats("k", {}, {0.5}));
  expectOnnxError("after.onnx", after, 6645,
                  {"'half' (Mul)", "a constant Mul (scale) folds only into a preceding Conv"});
}

TEST(OnnxHostOps, TransposeKeepsTheBatchFirstAndMapsThePermutationToHwc) {
  struct Case {
    std::vector<int64_t> perm;
    std::array<int, 3> hwc;
    std::vector<int64_t> dims;
  };
  for (const Case &c : {Case{{0, 1, 3, 2}, {1, 0, 2}, {1, 4, 8, 6}},  // swap H and W
                        Case{{0, 2, 3, 1}, {1, 2, 0}, {1, 6, 8, 4}},  // C <- H, H <- W, W <- C
                        Case{{0, 3, 1, 2}, {2, 0, 1}, {1, 8, 4, 6}},  // HWC -> CHW order
                        Case{{0, 1, 2, 3}, {0, 1, 2}, {1, 4, 6, 8}}}) {
    SCOPED_TRACE(c.perm[1] * 100 + c.perm[2] * 10 + c.perm[3]);
    const NetLayer layer =
        lastLayer("transpose.onnx",
                  hostNet({{"Transpose", "t", {"c"}, {"y"}, {intsAttr("perm", c.perm)}}}, c.dims));
    EXPECT_EQ(layer.op, NetOp::Transpose);
    EXPECT_EQ(layer.host.perm, c.hwc);
    const TensorShape in{6, 8, 4};
    const std::array<int64_t, 3> axes = {in.h, in.w, in.c};
    EXPECT_EQ(layer.output_shape, (TensorShape{axes[size_t(c.hwc[0])], axes[size_t(c.hwc[1])],
                                               axes[size_t(c.hwc[2])]}));
    EXPECT_EQ(layer.output_shape, (TensorShape{c.dims[2], c.dims[3], c.dims[1]}));
    // No scales of its own (as the TOML transpose): nothing is defaulted.
    HostParams expected = defaultHostParams(NetOp::Transpose);
    expected.perm = c.hwc;
    expected.default_scales = false;
    EXPECT_EQ(layer.host, expected);
  }
  expectOnnxError(
      "batch.onnx",
      hostNet({{"Transpose", "t", {"c"}, {"y"}, {intsAttr("perm", {1, 0, 2, 3})}}}, {4, 1, 6, 8}),
      6629, {"graph.node[1]", "'t' (Transpose)", "perm [1,0,2,3] moves the batch axis"});
  expectOnnxError("reverse.onnx", hostNet({{"Transpose", "t", {"c"}, {"y"}}}, {8, 6, 4, 1}), 6629,
                  {"'t' (Transpose)", "no perm: ONNX reverses every axis", "batch axis"});
  expectOnnxError(
      "perm.onnx",
      hostNet({{"Transpose", "t", {"c"}, {"y"}, {intsAttr("perm", {0, 1, 1, 2})}}}, {1, 4, 6, 8}),
      6586, {"'t' (Transpose)", "not a permutation"});
}

TEST(OnnxHostOps, GlobalMaxPoolRunsOnTheAccelerator) {
  Model m =
      hostNet({{"GlobalMaxPool", "gmp", {"c"}, {"g"}}, {"Relu", "r", {"g"}, {"y"}}}, {1, 4, 1, 1});
  const NetLayer layer = lastLayer("gmp.onnx", m);
  EXPECT_EQ(layer.op, NetOp::GlobalMaxPool);
  EXPECT_FALSE(runsOnHost(layer.op));
  EXPECT_EQ(layer.kernel_h, 6);
  EXPECT_EQ(layer.kernel_w, 8);
  EXPECT_EQ(layer.output_shape, (TensorShape{1, 1, 4}));
  EXPECT_EQ(layer.activation, Activation::Relu);
}

TEST(OnnxHostOps, SqueezeAndUnsqueezeAreIdentitiesWhenTheHwcShapeStays) {
  // [1,C,1,1] -> Squeeze -> [1,C] -> Gemm -> Unsqueeze -> [1,C,1,1]: no layers of their own.
  for (int64_t opset : {11, 13}) {
    SCOPED_TRACE(opset);
    Model m = hostNet({}, {1, 4, 1, 1}, opset);
    m.initializers.push_back(floats("fw", {4, 4}, ramp(16)));
    m.initializers.push_back(Tensor{"axes", {2}, kInt64, {2, 3}});
    auto axes = [&](const char *op, const char *in, const char *out) {
      return opset < 13 ? Node{op, op, {in}, {out}, {intsAttr("axes", {2, 3})}}
                        : Node{op, op, {in, "axes"}, {out}};
    };
    m.nodes.push_back({"GlobalAveragePool", "gap", {"c"}, {"g"}});
    m.nodes.push_back(axes("Squeeze", "g", "v"));
    m.nodes.push_back({"Gemm", "fc", {"v", "fw"}, {"f"}});
    m.nodes.push_back({"Relu", "r", {"f"}, {"fr"}});  // still fuses into fc
    m.nodes.push_back(axes("Unsqueeze", "fr", "y"));
    const Network network = readModel("squeeze.onnx", m);
    ASSERT_EQ(network.layers.size(), 3u);
    EXPECT_EQ(network.layers[2].op, NetOp::FullyConnected);
    EXPECT_EQ(network.layers[2].inputs, std::vector<std::string>{"gap"});
    EXPECT_EQ(network.layers[2].activation, Activation::Relu);
  }
  // [1,C] -> [1,1,1,C] relabels 1x1xC as 1xCx1: a reshape (layout-neutral).
  Model m = fcNet();
  m.initializers.push_back(Tensor{"axes", {2}, kInt64, {1, 2}});
  m.outputs = {{"z", kFloat, {1, 1, 1, 8}}};
  m.nodes.push_back({"Unsqueeze", "u", {"y", "axes"}, {"z"}});
  const NetLayer reshape = lastLayer("unsqueeze.onnx", m);
  EXPECT_EQ(reshape.op, NetOp::Reshape);
  EXPECT_EQ(reshape.output_shape, (TensorShape{1, 8, 1}));
  // A squeeze to rank 3, and of an axis that is not 1.
  m = hostNet({{"Squeeze", "sq", {"c", "axes"}, {"y"}}}, {1, 4, 6, 8});
  m.initializers.push_back(Tensor{"axes", {1}, kInt64, {0}});
  expectOnnxError("rank3.onnx", m, 6632, {"'sq' (Squeeze)", "[4,6,8]", "[1, C] or [1, C, H, W]"});
  m.initializers.back() = Tensor{"axes", {1}, kInt64, {2}};
  expectOnnxError("not1.onnx", m, 6618, {"'sq' (Squeeze)", "axis 2", "its size is 6"});
}

TEST(OnnxHostOps, DropoutIsTheIdentityAtInference) {
  Model m = hostNet({{"Dropout", "drop", {"c", "ratio", "train"}, {"y"}}}, {1, 4, 6, 8}, 13);
  m.initializers.push_back(scalar("ratio", kFloat, 0.3));
  m.initializers.push_back(scalar("train", kBool, 0));
  EXPECT_EQ(readModel("dropout.onnx", m).layers.size(), 1u);
  // Before opset 12 the ratio is an attribute.
  Model old =
      hostNet({{"Dropout", "drop", {"c"}, {"y"}, {floatAttr("ratio", 0.5f)}}}, {1, 4, 6, 8}, 10);
  EXPECT_EQ(readModel("dropout10.onnx", old).layers.size(), 1u);
  // Training mode, and a used mask, are refused.
  m.initializers.back() = scalar("train", kBool, 1);
  expectOnnxError("training.onnx", m, 6592,
                  {"'drop' (Dropout)", "training_mode ('train') is true"});
  m.initializers.back() = scalar("train", kBool, 0);
  m.nodes.back().outputs = {"d", "mask"};
  m.nodes.push_back({"Mul", "masked", {"d", "mask"}, {"y"}});
  expectOnnxError("mask.onnx", m, 6558,
                  {"graph.node[1]", "'drop' (Dropout)", "mask output 'mask' is used"});
}

// The QDQ form: DequantizeLinear -> host op -> QuantizeLinear gives the op its scales.
TEST(OnnxHostOps, QdqScalesReachTheHostParameters) {
  Model m = hostNet({{"QuantizeLinear", "q0", {"c", "s_in", "z"}, {"cq"}},
                     {"DequantizeLinear", "dq0", {"cq", "s_in", "z"}, {"cd"}},
                     {"Sigmoid", "sg", {"cd"}, {"s"}},
                     {"QuantizeLinear", "q1", {"s", "s_out", "z"}, {"sq"}},
                     {"DequantizeLinear", "dq1", {"sq", "s_out", "z"}, {"y"}}},
                    {1, 4, 6, 8});
  m.initializers.push_back(scalar("s_in", kFloat, 0.05));
  m.initializers.push_back(scalar("s_out", kFloat, 1.0 / 256));
  m.initializers.push_back(scalar("z", kInt8, 0));
  const NetLayer sigmoid = lastLayer("qdq_sigmoid.onnx", m);
  EXPECT_EQ(sigmoid.host.input_scale, 0.05);  // float32 0.05, read as the decimal
  EXPECT_EQ(sigmoid.host.output_scale, 1.0 / 256);
  EXPECT_FALSE(sigmoid.host.default_scales);

  // Output not quantised (a float graph output): the default output scale, flagged.
  Model open = m;
  open.nodes.erase(open.nodes.begin() + 4, open.nodes.end());
  open.nodes.back().outputs = {"y"};
  const NetLayer half = lastLayer("qdq_open.onnx", open);
  EXPECT_EQ(half.host.input_scale, 0.05);
  EXPECT_EQ(half.host.output_scale, defaultHostParams(NetOp::Sigmoid).output_scale);
  EXPECT_TRUE(half.host.default_scales);

  // Mul: both operands' scales, following the operands when they are swapped.
  Model se = hostNet({{"QuantizeLinear", "q0", {"c", "s_in", "z"}, {"cq"}},
                      {"DequantizeLinear", "dq0", {"cq", "s_in", "z"}, {"cd"}},
                      {"GlobalAveragePool", "gap", {"cd"}, {"g"}},
                      {"QuantizeLinear", "q1", {"g", "s_gate", "z"}, {"gq"}},
                      {"DequantizeLinear", "dq1", {"gq", "s_gate", "z"}, {"gd"}},
                      {"Mul", "scale", {"gd", "cd"}, {"p"}},
                      {"QuantizeLinear", "q2", {"p", "s_out", "z"}, {"pq"}},
                      {"DequantizeLinear", "dq2", {"pq", "s_out", "z"}, {"y"}}},
                     {1, 4, 6, 8});
  se.initializers.push_back(scalar("s_in", kFloat, 0.0625));
  se.initializers.push_back(scalar("s_gate", kFloat, 0.0078125));
  se.initializers.push_back(scalar("s_out", kFloat, 0.125));
  se.initializers.push_back(scalar("z", kInt8, 0));
  const NetLayer mul = lastLayer("qdq_mul.onnx", se);
  EXPECT_EQ(mul.inputs, (std::vector<std::string>{"c1", "gap"}));
  EXPECT_EQ(mul.host.input_scale, 0.0625);
  EXPECT_EQ(mul.host.input2_scale, 0.0078125);
  EXPECT_EQ(mul.host.output_scale, 0.125);
  EXPECT_FALSE(mul.host.default_scales);

  // A transpose moves int8 values: the Q after it must keep the DQ's scale.
  Model t = m;
  t.nodes[3] = {"Transpose", "t", {"cd"}, {"s"}, {intsAttr("perm", {0, 1, 3, 2})}};
  t.outputs = {{"y", kFloat, {1, 4, 8, 6}}};
  expectOnnxError("qdq_transpose.onnx", t, 6669,
                  {"'q1' (QuantizeLinear)", "transpose 't'", "scale 0.00390625", "scale 0.05"});
  t.nodes[4].inputs[1] = t.nodes[5].inputs[1] = "s_in";
  EXPECT_EQ(lastLayer("qdq_transpose_ok.onnx", t).op, NetOp::Transpose);
}

TEST(OnnxHostOps, TransposeWorksOnInt8TensorsInTheQOperatorForm) {
  Model m = qopNet();
  m.nodes.insert(m.nodes.begin() + 3,
                 Node{"Transpose", "t", {"rq"}, {"tq"}, {intsAttr("perm", {0, 2, 3, 1})}});
  m.nodes.back().inputs[0] = "tq";
  m.outputs = {{"y", kFloat, {1, 8, 8, 4}}};
  const Network network = readModel("qop_transpose.onnx", m);
  ASSERT_EQ(network.layers.size(), 2u);
  EXPECT_EQ(network.layers[1].op, NetOp::Transpose);
  EXPECT_EQ(network.layers[1].output_shape, (TensorShape{8, 4, 8}));
  // A nonlinearity on the int8 tensor itself is not a quantised op.
  m.nodes[3] = {"Sigmoid", "sg", {"rq"}, {"tq"}};
  m.outputs = {{"y", kFloat, {1, 4, 8, 8}}};
  expectOnnxError("qop_sigmoid.onnx", m, 6516, {"'sg' (Sigmoid)", "int8 tensor"});
}

// ------------------------------------------------------------ concat

// x [1,3,8,8] -> Conv "a" (4, 1x1), Conv "b" (4, 3x3 pads 1), Conv "c" (8, 1x1) (the
// first `branches` of them: every branch must be used) -> `nodes`
Model branchNet(std::vector<Node> nodes, std::vector<int64_t> out_dims, size_t branches = 2) {
  Model m;
  m.inputs = {{"x", kFloat, {1, 3, 8, 8}}};
  m.outputs = {{"y", kFloat, std::move(out_dims)}};
  m.initializers = {floats("wa", {4, 3, 1, 1}, ramp(12)), floats("wb", {4, 3, 3, 3}, ramp(108)),
                    floats("wc", {8, 3, 1, 1}, ramp(24))};
  m.nodes = {{"Conv", "a", {"x", "wa"}, {"ta"}},
             {"Conv", "b", {"x", "wb"}, {"tb"}, {intsAttr("pads", {1, 1, 1, 1})}},
             {"Conv", "c", {"x", "wc"}, {"tc"}}};
  m.nodes.erase(m.nodes.begin() + static_cast<std::ptrdiff_t>(branches), m.nodes.end());
  m.initializers.erase(m.initializers.begin() + static_cast<std::ptrdiff_t>(branches),
                       m.initializers.end());
  for (Node &node : nodes) m.nodes.push_back(std::move(node));
  return m;
}

TEST(OnnxConcat, ChannelsOfSeveralTensorsInInputOrder) {
  for (int64_t axis : {1, -3}) {
    SCOPED_TRACE(axis);
    const Network network =
        readModel("concat.onnx",
                  branchNet({{"Concat", "cat", {"ta", "tb", "tc"}, {"y"}, {intAttr("axis", axis)}}},
                            {1, 16, 8, 8}, 3));
    ASSERT_EQ(network.layers.size(), 4u);
    const NetLayer &cat = network.layers[3];
    EXPECT_EQ(cat.op, NetOp::Concat);
    EXPECT_TRUE(isShapeOnly(cat.op));
    EXPECT_EQ(cat.name, "cat");
    EXPECT_EQ(cat.inputs, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(cat.input_layers, (std::vector<int>{0, 1, 2}));
    EXPECT_EQ(cat.input_shapes, (std::vector<TensorShape>{{8, 8, 4}, {8, 8, 4}, {8, 8, 8}}));
    EXPECT_EQ(cat.output_shape, (TensorShape{8, 8, 16}));
    EXPECT_EQ(networkCost(network).layers[3].macs, 0);
    EXPECT_EQ(network.schedulableLayerCount(), 3);
    // net show lists every input shape when they fit the column.
    EXPECT_NE(formatNetworkTable(network).find("8x8x4+8x8x4+8x8x8"), std::string::npos);
  }
  // [1, C] vectors: axis 1 (or -1) is the channels too.
  Model fc = fcNet();
  fc.initializers.push_back(floats("w2", {8, 16}, ramp(128)));
  fc.nodes.push_back({"Gemm", "fc2", {"x", "w2"}, {"y2"}, {intAttr("transB", 1)}});
  fc.nodes.push_back({"Concat", "cat", {"y", "y2"}, {"v"}, {intAttr("axis", -1)}});
  fc.outputs = {{"v", kFloat, {1, 16}}};
  const NetLayer vector = lastLayer("concat_vector.onnx", fc);
  EXPECT_EQ(vector.op, NetOp::Concat);
  EXPECT_EQ(vector.output_shape, (TensorShape{1, 1, 16}));
  // One input: the identity.
  Model one = convNet();
  one.nodes.push_back({"Concat", "cat", {"y"}, {"z"}, {intAttr("axis", 1)}});
  one.outputs = {{"z", kFloat, {1, 4, 8, 8}}};
  EXPECT_EQ(readModel("concat_one.onnx", one).layers.size(), 1u);
}

TEST(OnnxConcat, RefusesOtherAxesAndMismatchedInputs) {
  const std::vector<int64_t> out = {1, 8, 8, 8};
  expectOnnxError(
      "concat_h.onnx",
      branchNet({{"Concat", "rows", {"ta", "tb"}, {"y"}, {intAttr("axis", 2)}}}, {1, 4, 16, 8}),
      6557,
      {"graph.node[2]", "'rows' (Concat)", "along height (axis 2 of 'ta' [1,4,8,8])",
       "joins channels only (axis 1, or -3 here)", "moves rows", "not a relabelling in HWC"});
  expectOnnxError(
      "concat_w.onnx",
      branchNet({{"Concat", "cols", {"ta", "tb"}, {"y"}, {intAttr("axis", -1)}}}, {1, 4, 8, 16}),
      6557, {"'cols' (Concat)", "along width (axis -1", "interleaves the inputs' rows"});
  expectOnnxError(
      "concat_n.onnx",
      branchNet({{"Concat", "batch", {"ta", "tb"}, {"y"}, {intAttr("axis", 0)}}}, {2, 4, 8, 8}),
      6557, {"'batch' (Concat)", "along the batch axis", "one sample"});
  expectOnnxError("concat_axis.onnx", branchNet({{"Concat", "cat", {"ta", "tb"}, {"y"}}}, out),
                  6587, {"'cat' (Concat)", "'axis' is required"});
  // Different planes.
  Model strided = branchNet({{"Concat", "cat", {"ta", "tb"}, {"y"}, {intAttr("axis", 1)}}}, out);
  strided.nodes[1].attributes.push_back(intsAttr("strides", {2, 2}));
  expectOnnxError(
      "concat_plane.onnx", strided, 6611,
      {"'cat' (Concat)", "'tb' is [1,4,4,4] but 'ta' is [1,4,8,8]", "equal height and width"});
  // A constant operand, and more inputs than the network model's concat takes.
  Model constant = branchNet({{"Concat", "cat", {"ta", "k"}, {"y"}, {intAttr("axis", 1)}}}, out, 1);
  constant.initializers.push_back(floats("k", {1, 4, 8, 8}, std::vector<double>(256, 1.0)));
  expectOnnxError("concat_constant.onnx", constant, 6559, {"'cat' (Concat)", "is a constant"});
  Model many = branchNet(
      {{"Concat", "cat", std::vector<std::string>(65, "ta"), {"y"}, {intAttr("axis", 1)}}},
      {1, 260, 8, 8}, 1);
  expectOnnxError("concat_65.onnx", many, 6630, {"'cat' (Concat)", "65 inputs", "2..64"});
  // An activation after it: the concat only relabels.
  expectOnnxError("concat_relu.onnx",
                  branchNet({{"Concat", "cat", {"ta", "tb"}, {"t"}, {intAttr("axis", 1)}},
                             {"Relu", "r", {"t"}, {"y"}}},
                            out),
                  6650, {"'r' (Relu)", "layer 'cat' (concat), which only relabels"});
}

// QDQ: DequantizeLinear -> Concat -> QuantizeLinear with one scale; QOperator: Concat of
// int8 tensors of one scale.
TEST(OnnxConcat, QuantisedInputsShareOneScaleAndZeroPoint) {
  auto qdq = [](double scale_b, double scale_out) {
    Model m = branchNet({{"QuantizeLinear", "qa", {"ta", "s", "z"}, {"qa"}},
                         {"DequantizeLinear", "da", {"qa", "s", "z"}, {"da"}},
                         {"QuantizeLinear", "qb", {"tb", "sb", "z"}, {"qb"}},
                         {"DequantizeLinear", "db", {"qb", "sb", "z"}, {"db"}},
                         {"Concat", "cat", {"da", "db"}, {"t"}, {intAttr("axis", 1)}},
                         {"QuantizeLinear", "q_out", {"t", "so", "z"}, {"tq"}},
                         {"DequantizeLinear", "d_out", {"tq", "so", "z"}, {"y"}}},
                        {1, 8, 8, 8});
    m.initializers.push_back(scalar("s", kFloat, 0.05));
    m.initializers.push_back(scalar("sb", kFloat, scale_b));
    m.initializers.push_back(scalar("so", kFloat, scale_out));
    m.initializers.push_back(scalar("z", kInt8, 0));
    return m;
  };
  const NetLayer cat = lastLayer("qdq_concat.onnx", qdq(0.05, 0.05));
  EXPECT_EQ(cat.op, NetOp::Concat);
  EXPECT_EQ(cat.output_quant,
            (ActivationQuant{ZeroPointRule::Symmetric, ActivationType::Int8, 0, 0.05}));
  expectOnnxError("qdq_concat_in.onnx", qdq(0.1, 0.05), 6682,
                  {"graph.node[6]", "'cat' (Concat)", "input 'db' is int8 zero point 0, scale 0.1",
                   "requantising concat"});
  expectOnnxError("qdq_concat_out.onnx", qdq(0.05, 0.1), 6675,
                  {"'q_out' (QuantizeLinear)", "layer 'cat' (concat)", "requantising concat"});

  // QOperator: the int8 outputs of two QLinearConv.
  Model q = qopNet();
  q.initializers.push_back(scalar("s2", kFloat, 0.05));
  q.nodes = {q.nodes[0],
             q.nodes[1],
             {"QLinearConv", "conv2", {"xq", "s", "z", "w", "ws", "z", "s2", "z"}, {"c2"}},
             {"Concat", "cat", {"cq", "c2"}, {"tq"}, {intAttr("axis", 1)}},
             {"DequantizeLinear", "dq", {"tq", "s", "z"}, {"y"}}};
  q.outputs = {{"y", kFloat, {1, 8, 8, 8}}};
  EXPECT_EQ(lastLayer("qop_concat.onnx", q).op, NetOp::Concat);
  q.initializers.back() = scalar("s2", kFloat, 0.1);
  expectOnnxError(
      "qop_concat_scales.onnx", q, 6682,
      {"'cat' (Concat)", "input 'c2' is int8 zero point 0, scale 0.1", "requantising concat"});
  // Float and int8 inputs mixed.
  q.nodes[3].inputs = {"cq", "xq2"};
  q.nodes.insert(q.nodes.begin() + 3,
                 Node{"QLinearConv", "conv3", {"xq", "s", "z", "w", "ws", "z", "s", "z"}, {"c3"}});
  q.nodes.insert(q.nodes.begin() + 4, Node{"DequantizeLinear", "dq3", {"c3", "s", "z"}, {"xq2"}});
  q.nodes[2].outputs = {"c2"};
  q.nodes.erase(q.nodes.begin() + 2);  // conv2 unused now
  expectOnnxError("qop_concat_mixed.onnx", q, 6681,
                  {"'cat' (Concat)", "input 'xq2' is float but 'cq' is quantised"});
}

// The SqueezeNet-style test network: two fire modules whose expand convolutions are
// concatenated (QDQ, int8 with zero point 0).
TEST(OnnxConcat, SqueezeNetFireModulesMatchTheTomlAndAnIndependentCount) {
  const Network network =
      readOnnxNetwork((kTestNetsDir / "onnx" / "test_squeezenet_fire.onnx").string());
  // Independently: conv H_out*W_out*C_out*kh*kw*C_in per layer (padding taps counted).
  auto conv = [](int64_t hw, int64_t c_out, int64_t k, int64_t c_in) {
    return hw * hw * c_out * k * k * c_in;
  };
  const int64_t fire1 = conv(16, 16, 1, 32) + conv(16, 32, 1, 16) + conv(16, 32, 3, 16);
  const int64_t fire2 = conv(8, 16, 1, 64) + conv(8, 32, 1, 16) + conv(8, 32, 3, 16);
  const int64_t expected = conv(16, 32, 3, 3) + fire1 + fire2 + conv(8, 10, 1, 64);
  EXPECT_EQ(networkCost(network).macs, expected);
  EXPECT_EQ(expected, 2'097'152);
  for (const char *name : {"fire1_concat", "fire2_concat"}) {
    SCOPED_TRACE(name);
    const NetLayer &cat = network.layers.at(static_cast<size_t>(network.findLayer(name)));
    EXPECT_EQ(cat.op, NetOp::Concat);
    const std::string fire = std::string(name).substr(0, 5);
    EXPECT_EQ(cat.inputs, (std::vector<std::string>{fire + "_expand1x1", fire + "_expand3x3"}));
    EXPECT_EQ(cat.output_shape.c, 64);
    EXPECT_EQ(cat.output_quant.rule, ZeroPointRule::Symmetric);
    EXPECT_EQ(cat.output_quant.type, ActivationType::Int8);
  }
  EXPECT_EQ(network.schedulableLayerCount(), 11);
  // Symmetric: net show prints no zero point notes.
  EXPECT_EQ(formatNetworkTable(network).find("zero point"), std::string::npos);
}

// ------------------------------------------------------------ asymmetric activations

TEST(OnnxZeroPoints, DatapathZeroPointAndScaleOfEachRule) {
  ActivationQuant q{ZeroPointRule::BiasFold, ActivationType::Uint8, 0, 0.025};
  EXPECT_EQ(q.modelDatapathZeroPoint(), -128);
  EXPECT_EQ(q.datapathZeroPoint(), -128);
  EXPECT_EQ(q.datapathScale(), 0.025);
  q.rule = ZeroPointRule::Resymmetrised;  // [0, 255 s] as int8 with zero point 0
  EXPECT_EQ(q.datapathZeroPoint(), 0);
  EXPECT_DOUBLE_EQ(q.datapathScale(), 0.025 * 255 / 127);
  q.zero_point = 192;  // z' = 64: [-192 s, 63 s]
  EXPECT_DOUBLE_EQ(q.datapathScale(), 0.025 * 192 / 127);
  const ActivationQuant shifted{ZeroPointRule::Shift128, ActivationType::Uint8, 128, 0.05};
  EXPECT_EQ(shifted.modelDatapathZeroPoint(), 0);
  EXPECT_EQ(shifted.datapathZeroPoint(), 0);
  EXPECT_EQ(ActivationQuant{}.rule, ZeroPointRule::Symmetric);  // TOML networks
  EXPECT_STREQ(zeroPointRuleName(ZeroPointRule::Resymmetrised), "resymmetrised");
  EXPECT_STREQ(activationTypeName(ActivationType::Uint8), "uint8");
}

// x [1,3,8,8] -> QDQ (uint8 zero point 128, scale 0.05) -> Conv "c1" (4, 1x1) -> c ->
// QuantizeLinear "q1" (scale 0.025, zero point `zero` of `type`) -> DequantizeLinear -> cd
// -> `nodes` -> y. Initializers for the nodes: w3 [4,4,3,3], w1 [4,4,1,1], s, z.
Model zeroPointNet(int32_t type, int64_t zero, std::vector<Node> nodes,
                   std::vector<int64_t> out_dims) {
  Model m;
  m.opset = 14;
  m.inputs = {{"x", kFloat, {1, 3, 8, 8}}};
  m.outputs = {{"y", kFloat, std::move(out_dims)}};
  m.initializers = {floats("w", {4, 3, 1, 1}, ramp(12)), scalar("s_in", kFloat, 0.05),
                    scalar("z_in", kUint8, 128),         scalar("s", kFloat, 0.025),
                    scalar("z", type, double(zero)),     floats("w3", {4, 4, 3, 3}, ramp(144)),
                    floats("w1", {4, 4, 1, 1}, ramp(16))};
  m.nodes = {{"QuantizeLinear", "qx", {"x", "s_in", "z_in"}, {"xq"}},
             {"DequantizeLinear", "dqx", {"xq", "s_in", "z_in"}, {"xd"}},
             {"Conv", "c1", {"xd", "w"}, {"c"}},
             {"QuantizeLinear", "q1", {"c", "s", "z"}, {"cq"}},
             {"DequantizeLinear", "dq1", {"cq", "s", "z"}, {"cd"}}};
  for (Node &node : nodes) m.nodes.push_back(std::move(node));
  return m;
}

Node padded(const std::string &input, const std::string &output) {
  return {"Conv", "c2", {input, "w3"}, {output}, {intsAttr("pads", {1, 1, 1, 1})}};
}
Node unpadded(const std::string &input, const std::string &output) {
  return {"Conv", "c2", {input, "w1"}, {output}};
}

TEST(OnnxZeroPoints, EachRuleFromTheZeroPointAndTheConsumers) {
  const double s = 0.025;
  const std::vector<int64_t> out = {1, 4, 8, 8};
  struct Case {
    const char *what;
    int32_t type;
    int64_t zero;
    bool pads;
    ZeroPointRule rule;
    int64_t datapath_zero;
    double datapath_scale;
    Activation activation;
  };
  for (const Case &c : {
           Case{"int8 zero point 0", kInt8, 0, true, ZeroPointRule::Symmetric, 0, s,
                Activation::None},
           Case{"uint8 zero point 128", kUint8, 128, true, ZeroPointRule::Shift128, 0, s,
                Activation::None},
           // onnxruntime's quantiser after a ReLU it removed: the range starts at 0.
           Case{"uint8 zero point 0", kUint8, 0, false, ZeroPointRule::BiasFold, -128, s,
                Activation::Relu},
           Case{"int8 zero point -128", kInt8, -128, false, ZeroPointRule::BiasFold, -128, s,
                Activation::Relu},
           Case{"uint8 zero point 64", kUint8, 64, false, ZeroPointRule::BiasFold, -64, s,
                Activation::None},
           // Zero padding would read the real value 128 s: resymmetrised, [0, 255 s].
           Case{"uint8 zero point 0, padded", kUint8, 0, true, ZeroPointRule::Resymmetrised, 0,
                s * 255 / 127, Activation::Relu},
       }) {
    SCOPED_TRACE(c.what);
    const Network network = readModel(
        "zero_point.onnx",
        zeroPointNet(c.type, c.zero, {c.pads ? padded("cd", "y") : unpadded("cd", "y")}, out));
    ASSERT_EQ(network.layers.size(), 2u);
    const NetLayer &c1 = network.layers[0];
    EXPECT_EQ(c1.output_quant.rule, c.rule);
    EXPECT_EQ(c1.output_quant.type, c.type == kInt8 ? ActivationType::Int8 : ActivationType::Uint8);
    EXPECT_EQ(c1.output_quant.zero_point, c.zero);
    EXPECT_EQ(c1.output_quant.scale, 0.025);  // float32 0.025, read as the decimal
    EXPECT_EQ(c1.output_quant.datapathZeroPoint(), c.datapath_zero);
    EXPECT_DOUBLE_EQ(c1.output_quant.datapathScale(), c.datapath_scale);
    EXPECT_EQ(c1.activation, c.activation);
    // The input: uint8 zero point 128 is exact as int8 with zero point 0.
    EXPECT_EQ(network.input_quant,
              (ActivationQuant{ZeroPointRule::Shift128, ActivationType::Uint8, 128, 0.05}));
    EXPECT_EQ(network.layers[1].output_quant, ActivationQuant{});  // a float output
  }
}

TEST(OnnxZeroPoints, ResymmetrisedWhereComputedThroughMaxPoolsAndConcats) {
  // A max pool takes the zero point as is, even with padding (it ignores padding).
  const Network pooled =
      readModel("max_pool_pads.onnx",
                zeroPointNet(kUint8, 0,
                             {{"MaxPool",
                               "p",
                               {"cd"},
                               {"y"},
                               {intsAttr("kernel_shape", {3, 3}), intsAttr("pads", {1, 1, 1, 1})}}},
                             {1, 4, 8, 8}));
  EXPECT_EQ(pooled.layers[0].output_quant.rule, ZeroPointRule::BiasFold);
  EXPECT_EQ(pooled.layers[1].output_quant.rule, ZeroPointRule::BiasFold);  // kept
  EXPECT_EQ(pooled.layers[1].activation, Activation::None);
  // A padded convolution after the max pool resymmetrises the pool's input where it is
  // computed (c1) and the pool with it.
  const Network through =
      readModel("max_pool_then_pad.onnx",
                zeroPointNet(kUint8, 0,
                             {{"MaxPool",
                               "p",
                               {"cd"},
                               {"pq0"},
                               {intsAttr("kernel_shape", {2, 2}), intsAttr("strides", {2, 2})}},
                              {"QuantizeLinear", "q2", {"pq0", "s", "z"}, {"pq"}},
                              {"DequantizeLinear", "dq2", {"pq", "s", "z"}, {"pd"}},
                              padded("pd", "y")},
                             {1, 4, 4, 4}));
  EXPECT_EQ(through.layers[0].output_quant.rule, ZeroPointRule::Resymmetrised);
  EXPECT_EQ(through.layers[1].output_quant.rule, ZeroPointRule::Resymmetrised);
  EXPECT_EQ(through.layers[2].output_quant, ActivationQuant{});
  // Two branches concatenated then padded: both branches and the concat.
  Model cat = zeroPointNet(kUint8, 0,
                           {{"Conv", "c1b", {"xd", "w"}, {"e"}},
                            {"QuantizeLinear", "q1b", {"e", "s", "z"}, {"eq"}},
                            {"DequantizeLinear", "dq1b", {"eq", "s", "z"}, {"ed"}},
                            {"Concat", "cat", {"cd", "ed"}, {"t"}, {intAttr("axis", 1)}},
                            {"Conv", "c2", {"t", "w8"}, {"y"}, {intsAttr("pads", {1, 1, 1, 1})}}},
                           {1, 4, 8, 8});
  cat.initializers.push_back(floats("w8", {4, 8, 3, 3}, ramp(288)));
  const Network joined = readModel("concat_pad.onnx", cat);
  ASSERT_EQ(joined.layers.size(), 4u);
  for (size_t i = 0; i < 3; ++i)
    EXPECT_EQ(joined.layers[i].output_quant.rule, ZeroPointRule::Resymmetrised)
        << joined.layers[i].name;
  // The network input, which the host quantises, is resymmetrised like a layer output.
  Model input = zeroPointNet(kUint8, 128, {unpadded("cd", "y")}, {1, 4, 8, 8});
  input.initializers[2] = scalar("z_in", kUint8, 0);
  input.nodes[2].attributes = {intsAttr("pads", {1, 1, 1, 1})};
  input.initializers[0] = floats("w", {4, 3, 3, 3}, ramp(108));
  EXPECT_EQ(readModel("input_pad.onnx", input).input_quant.rule, ZeroPointRule::Resymmetrised);
}

TEST(OnnxZeroPoints, PoolsOfNonNegativeTensorsGetNoImplicitRelu) {
  Model m = zeroPointNet(kUint8, 0,
                         {{"GlobalAveragePool", "gap", {"cd"}, {"g"}},
                          {"QuantizeLinear", "q2", {"g", "s", "z"}, {"gq"}},
                          {"DequantizeLinear", "dq2", {"gq", "s", "z"}, {"y"}}},
                         {1, 4, 1, 1});
  const Network network = readModel("gap.onnx", m);
  EXPECT_EQ(network.layers[0].activation, Activation::Relu);  // the conv: implicit ReLU
  EXPECT_EQ(network.layers[1].activation, Activation::None);  // averages of values >= 0
  EXPECT_EQ(network.layers[1].output_quant.rule, ZeroPointRule::BiasFold);
}

// QOperator: QLinearConv with uint8 activations, as onnxruntime's QOperator format.
TEST(OnnxZeroPoints, QLinearConvWithUint8Activations) {
  Model m;
  m.opset = 13;
  m.inputs = {{"x", kFloat, {1, 3, 8, 8}}};
  m.outputs = {{"y", kFloat, {1, 4, 8, 8}}};
  m.initializers = {scalar("s", kFloat, 0.05),
                    scalar("z128", kUint8, 128),
                    scalar("z0", kUint8, 0),
                    scalar("ws", kFloat, 0.01),
                    scalar("wz", kInt8, 0),
                    Tensor{"w", {4, 3, 1, 1}, kInt8, ramp(12)},
                    Tensor{"w3", {4, 4, 3, 3}, kInt8, std::vector<double>(144, 3)}};
  for (double &v : m.initializers[5].values) v = v > 0 ? 5 : -5;
  m.nodes = {{"QuantizeLinear", "qx", {"x", "s", "z128"}, {"xq"}},
             {"QLinearConv", "c1", {"xq", "s", "z128", "w", "ws", "wz", "s", "z0"}, {"c"}},
             {"QLinearConv",
              "c2",
              {"c", "s", "z0", "w3", "ws", "wz", "s", "z128"},
              {"d"},
              {intsAttr("pads", {1, 1, 1, 1})}},
             {"DequantizeLinear", "dq", {"d", "s", "z128"}, {"y"}}};
  const Network network = readModel("qop_u8.onnx", m);
  ASSERT_EQ(network.layers.size(), 2u);
  EXPECT_EQ(network.input_quant.rule, ZeroPointRule::Shift128);
  EXPECT_EQ(network.layers[0].activation, Activation::Relu);
  EXPECT_EQ(network.layers[0].output_quant.rule, ZeroPointRule::Resymmetrised);
  EXPECT_EQ(network.layers[1].output_quant.rule, ZeroPointRule::Shift128);
  // The consumer must read the zero point the tensor was quantised with.
  m.nodes[2].inputs[2] = "z128";
  expectOnnxError("qop_u8_view.onnx", m, 6664,
                  {"'c2' (QLinearConv)", "x_zero_point reads 'c' as uint8 zero point 128",
                   "quantised as uint8 zero point 0"});
}

TEST(OnnxZeroPoints, HostOperatorOutputsAreResymmetrisedAndInputsMustBeSymmetric) {
  // Sigmoid of a symmetric tensor, its output quantised as onnxruntime does ([0, 1]:
  // uint8 zero point 0): the host writes int8 with zero point 0, so the output scale is
  // the resymmetrised one.
  Model m = zeroPointNet(kUint8, 128,
                         {{"Sigmoid", "sg", {"cd"}, {"g"}},
                          {"QuantizeLinear", "q2", {"g", "s_out", "z0"}, {"gq"}},
                          {"DequantizeLinear", "dq2", {"gq", "s_out", "z0"}, {"y"}}},
                         {1, 4, 8, 8});
  m.initializers.push_back(scalar("s_out", kFloat, 1.0 / 256));
  m.initializers.push_back(scalar("z0", kUint8, 0));
  const NetLayer sigmoid = lastLayer("sigmoid_u8.onnx", m);
  EXPECT_EQ(sigmoid.host.input_scale, 0.025);
  EXPECT_EQ(sigmoid.output_quant.rule, ZeroPointRule::Resymmetrised);
  EXPECT_DOUBLE_EQ(sigmoid.host.output_scale, 255.0 / 256 / 127);
  EXPECT_FALSE(sigmoid.host.default_scales);
  // A host operator reading a tensor whose datapath zero point is not 0.
  m.initializers[4] = scalar("z", kUint8, 0);
  expectOnnxError("sigmoid_asymmetric_in.onnx", m, 6680,
                  {"graph.node[5]", "'sg' (Sigmoid)",
                   "input 'cd' is quantised as uint8 zero point "
                   "0, scale 0.025",
                   "zero point -128 on the datapath", "host operators compute with zero point 0"});
  // A clamp at 0 of an output that can be negative is not what the host computes.
  Model swish = zeroPointNet(kUint8, 128,
                             {{"HardSwish", "hs", {"cd"}, {"h"}},
                              {"QuantizeLinear", "q2", {"h", "s", "z0"}, {"hq"}},
                              {"DequantizeLinear", "dq2", {"hq", "s", "z0"}, {"y"}}},
                             {1, 4, 8, 8});
  swish.initializers.push_back(scalar("z0", kUint8, 0));
  expectOnnxError("hard_swish_u8.onnx", swish, 6670,
                  {"'q2' (QuantizeLinear)", "host layer 'hs' (hard_swish)",
                   "clamps the operator's negative outputs"});
  // A transpose moves values: any zero point.
  const Network moved = readModel(
      "transpose_u8.onnx",
      zeroPointNet(kUint8, 0, {{"Transpose", "t", {"cd"}, {"y"}, {intsAttr("perm", {0, 1, 3, 2})}}},
                   {1, 4, 8, 8}));
  EXPECT_EQ(moved.layers[1].output_quant.rule, ZeroPointRule::BiasFold);
}

TEST(OnnxZeroPoints, RefusesAsymmetricWeightsAndInconsistentZeroPoints) {
  // QDQ weights with a zero point.
  Model w = fcNet();
  w.initializers = {Tensor{"w8", {8, 16}, kInt8, std::vector<double>(128, 5)},
                    scalar("ws", kFloat, 0.01), scalar("wz", kInt8, 3), floats("b", {8}, ramp(8))};
  w.nodes = {{"DequantizeLinear", "dqw", {"w8", "ws", "wz"}, {"w"}}, w.nodes[0]};
  expectOnnxError("weight_zero.onnx", w, 6659,
                  {"graph.node[0]", "'dqw' (DequantizeLinear)", "x_zero_point ('wz') is 3",
                   "asymmetric weights", "cannot apply"});
  w.initializers[0] = Tensor{"w8", {8, 16}, kUint8, std::vector<double>(128, 5)};
  w.initializers[2] = scalar("wz", kUint8, 128);
  expectOnnxError("weight_u8.onnx", w, 6688,
                  {"'dqw' (DequantizeLinear)", "of type UINT8", "asymmetric weights"});
  // A DequantizeLinear with another zero point than its QuantizeLinear.
  Model dq = zeroPointNet(kUint8, 0, {unpadded("cd", "y")}, {1, 4, 8, 8});
  dq.initializers.push_back(scalar("z9", kUint8, 9));
  dq.nodes[4].inputs[2] = "z9";
  expectOnnxError("dq_zero.onnx", dq, 6664,
                  {"'dq1' (DequantizeLinear)", "reads 'cq' as uint8 zero point 9",
                   "quantised as uint8 zero point 0"});
  // Quantised again with another zero point, with no layer in between.
  Model twice = zeroPointNet(kUint8, 0,
                             {{"QuantizeLinear", "q2", {"cd", "s", "z_in"}, {"cq2"}},
                              {"DequantizeLinear", "dq2", {"cq2", "s", "z_in"}, {"y"}}},
                             {1, 4, 8, 8});
  expectOnnxError("requantised.onnx", twice, 6673,
                  {"'q2' (QuantizeLinear)", "quantises 'cd' as uint8 zero point 128",
                   "holds values quantised as uint8 zero point 0"});
  // A max pool does not requantise: its output keeps its input's zero point.
  Model pool = zeroPointNet(kUint8, 0,
                            {{"MaxPool", "p", {"cd"}, {"p0"}, {intsAttr("kernel_shape", {2, 2})}},
                             {"QuantizeLinear", "q2", {"p0", "s", "z_in"}, {"pq"}},
                             {"DequantizeLinear", "dq2", {"pq", "s", "z_in"}, {"y"}}},
                            {1, 4, 7, 7});
  expectOnnxError("max_pool_requantised.onnx", pool, 6675,
                  {"'q2' (QuantizeLinear)", "layer 'p' (max_pool)", "keeps its input's values"});
  // Relu on an int8 tensor with zero point -128 clamps at the real value 128 s.
  Model relu = qopNet();
  relu.initializers[1] = scalar("z", kInt8, 0);
  relu.initializers.push_back(scalar("zm", kInt8, -128));
  relu.nodes[1].inputs[7] = "zm";
  relu.nodes[2] = {"Relu", "r", {"cq"}, {"rq"}};
  relu.nodes[3].inputs[2] = "zm";
  expectOnnxError("relu_int8_zero.onnx", relu, 6679,
                  {"'r' (Relu)", "int8 zero point -128", "clamps at the integer 0"});
  // The implicit ReLU of a range starting at 0 cannot fold into a shared output.
  Model shared = zeroPointNet(
      kUint8, 0, {{"Conv", "c2", {"c", "w1"}, {"e"}}, {"Add", "sum", {"cd", "e"}, {"y"}}},
      {1, 4, 8, 8});
  expectOnnxError("implicit_relu_shared.onnx", shared, 6515,
                  {"'q1' (QuantizeLinear)", "layer 'c1' (conv2d)", "range starts at 0",
                   "also used by another node"});
}

// onnxruntime's default quantisation of the CNN test network: uint8 activations, zero
// point 128 for symmetric ranges and 0 after ReLUs (whose Relu nodes it removes).
TEST(OnnxZeroPoints, OnnxruntimeDefaultQuantisationOfTheCnn) {
  const fs::path file = kTestNetsDir / "onnx" / "test_cnn_softmax_qdq_u8.onnx";
  std::set<std::string> ops;
  for (const onnx::OnnxNode &node : onnx::readOnnxFile(file.string()).graph.nodes)
    ops.insert(node.op_type);
  EXPECT_EQ(ops.count("Relu"), 0u);
  const Network network = readOnnxNetwork(file.string());
  EXPECT_EQ(network.input_quant.rule, ZeroPointRule::Shift128);
  const std::vector<std::pair<std::string, ZeroPointRule>> expected = {
      {"conv1", ZeroPointRule::Resymmetrised},  // pool1 -> conv2 pads it
      {"pool1", ZeroPointRule::Resymmetrised},
      {"conv2", ZeroPointRule::Resymmetrised},
      {"pool2", ZeroPointRule::Resymmetrised},
      {"conv3", ZeroPointRule::BiasFold},  // the global average pool does not pad
      {"gap", ZeroPointRule::BiasFold},
      {"flatten", ZeroPointRule::BiasFold},
      {"logits", ZeroPointRule::Shift128},
      {"probabilities", ZeroPointRule::Symmetric}};  // float output
  ASSERT_EQ(network.layers.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(network.layers[i].name, expected[i].first);
    EXPECT_EQ(network.layers[i].output_quant.rule, expected[i].second) << expected[i].first;
  }
  // net show: a legend and a note per non-symmetric tensor; none for the TOML network.
  const std::string table = formatNetworkTable(network);
  for (const char *needle :
       {"activation zero points (docs/onnx.md, \"Asymmetric activations\"): shift128 = ",
        "  input 'image': shift128: uint8 zero point 128, scale 0.05 -> int8 zero point 0, "
        "scale 0.05\n",
        "  conv1: resymmetrised: uint8 zero point 0, scale 0.025 -> int8 zero point 0, scale "
        "0.0501969\n",
        "  conv3: bias_fold: uint8 zero point 0, scale 0.025 -> int8 zero point -128, scale "
        "0.025\n",
        "  logits: shift128: uint8 zero point 128, scale 0.0625"})
    EXPECT_NE(table.find(needle), std::string::npos) << needle << "\n" << table;
  EXPECT_EQ(table.find("probabilities: "), std::string::npos);
  const std::string toml_table =
      formatNetworkTable(readNetwork((kTestNetsDir / "test_cnn_softmax.toml").string()));
  EXPECT_EQ(toml_table.find("zero point"), std::string::npos);
}

// ------------------------------------------------------------ unsupported input

TEST(OnnxReader, RefusesUnsupportedOpsNamingNodeOpAndReason) {
  Model m = convNet();
  m.nodes[1] = {"LogSoftmax", "log_probabilities", {"c"}, {"y"}};
  expectOnnxError("log_softmax.onnx", m, 6510,
                  {"graph.node[1]", "'log_probabilities' (LogSoftmax)",
                   "the host runs Softmax but not LogSoftmax"});
  m.nodes[1] = {"Tanh", "squash", {"c"}, {"y"}};
  expectOnnxError("tanh.onnx", m, 6510,
                  {"'squash' (Tanh)", "neither the accelerator", "nor the host operators"});
  m.nodes[1] = {"LeakyRelu", "leaky", {"c"}, {"y"}};
  expectOnnxError("leaky.onnx", m, 6510, {"'leaky' (LeakyRelu)", "neither the accelerator"});
  m.nodes[1] = {"Concat", "cat", {"c", "c"}, {"y"}, {intAttr("axis", 2)}};
  expectOnnxError("concat.onnx", m, 6557, {"'cat' (Concat)", "along height"});
  m.nodes[1] = {"Div", "ratio", {"c", "c"}, {"y"}};
  expectOnnxError("div.onnx", m, 6510, {"'ratio' (Div)", "only Mul of two computed tensors"});
  m.nodes[1] = {"FancyActivation", "fancy", {"c"}, {"y"}};
  expectOnnxError("unknown.onnx", m, 6510,
                  {"'fancy' (FancyActivation)", "unsupported op type (supported: Add"});
  m.nodes[1] = {"QLinearAdd", "qadd", {"c"}, {"y"}, {}, "com.microsoft"};
  expectOnnxError("domain.onnx", m, 6560, {"'qadd' (QLinearAdd)", "'com.microsoft'"});
}

TEST(OnnxReader, RefusesConvolutionsTheAcceleratorCannotRun) {
  Model m = convNet();
  m.initializers[0] = floats("w", {4, 1, 3, 3}, ramp(36));
  m.inputs = {{"x", kFloat, {1, 4, 8, 8}}};
  m.nodes[0].attributes = {intAttr("group", 2), intsAttr("pads", {1, 1, 1, 1})};
  m.initializers[0] = floats("w", {4, 2, 3, 3}, ramp(72));
  expectOnnxError("grouped.onnx", m, 6550, {"'c1' (Conv)", "grouped convolution (group = 2"});
  m.inputs = {{"x", kFloat, {1, 2, 8, 8}}};
  m.nodes[0].attributes = {intAttr("group", 2), intsAttr("pads", {1, 1, 1, 1})};
  m.initializers[0] = floats("w", {4, 1, 3, 3}, ramp(36));
  expectOnnxError("multiplier.onnx", m, 6561, {"'c1' (Conv)", "depth multiplier 2"});
  m = convNet();
  m.nodes[0].attributes.push_back(intsAttr("dilations", {2, 2}));
  expectOnnxError("dilated.onnx", m, 6576, {"'c1' (Conv)", "dilations [2,2]"});
  m = convNet();
  m.nodes[0].attributes = {intsAttr("pads", {3, 3, 3, 3})};
  expectOnnxError("pads.onnx", m, 6517, {"'c1' (Conv)", "not smaller than the kernel 3"});
}

TEST(OnnxReader, RefusesInconsistentShapesNamingTheNode) {
  Model m = convNet();
  m.initializers[0] = floats("w", {4, 2, 3, 3}, ramp(72));
  expectOnnxError("channels.onnx", m, 6604,
                  {"graph.node[0]", "'c1' (Conv)", "take 2 input channels", "[1,3,8,8] has 3"});
  m = convNet();
  m.initializers[1] = floats("b", {5}, ramp(5));
  expectOnnxError("bias.onnx", m, 6603, {"'c1' (Conv)", "bias 'b' has shape [5]"});
  m = convNet();
  m.outputs = {{"y", kFloat, {1, 4, 7, 8}}};
  expectOnnxError("declared.onnx", m, 6620,
                  {"'r1' (Relu)", "declared [1,4,7,8]", "gives [1,4,8,8]"});
  m = convNet();
  m.value_info = {{"c", kFloat, {1, 5, 8, 8}}};
  expectOnnxError("value_info.onnx", m, 6620, {"'c1' (Conv)", "output 'c' is declared [1,5,8,8]"});
  m = convNet();
  m.initializers.push_back(floats("w2", {4, 3, 1, 1}, ramp(12)));
  m.nodes = {m.nodes[0],
             {"Conv", "c2", {"x", "w2"}, {"d"}, {intsAttr("strides", {2, 2})}},
             {"Add", "sum", {"c", "d"}, {"y"}}};
  expectOnnxError("add.onnx", m, 6607,
                  {"'sum' (Add)", "'c' is [1,4,8,8], 'd' is [1,4,4,4]", "no broadcasting"});
  Model f = fcNet();
  f.inputs = {{"x", kFloat, {1, 15}}};
  expectOnnxError("gemm.onnx", f, 6606, {"'fc' (Gemm)", "take 16 inputs", "[1,15] has 15"});
}

TEST(OnnxReader, RefusesBrokenGraphs) {
  Model m = convNet();
  std::swap(m.nodes[0], m.nodes[1]);
  expectOnnxError("order.onnx", m, 6537, {"'r1' (Relu)", "input 'c'", "topological order"});
  m = convNet();
  m.nodes.push_back({"Relu", "dangling", {"y"}, {"unused"}});
  expectOnnxError("dangling.onnx", m, 6539, {"'dangling' (Relu)", "none of its outputs"});
  m = convNet();
  m.inputs.push_back({"x2", kFloat, {1, 3, 8, 8}});
  expectOnnxError("inputs.onnx", m, 6525, {"more than one input ('x', 'x2')"});
  m = convNet();
  m.inputs = {{"x", kFloat, {1, 3, -1, 8}}};
  expectOnnxError("symbolic.onnx", m, 6638, {"graph.input 'x'", "symbolic ('N')"});
  m = convNet();
  m.inputs = {{"x", kFloat, {2, 3, 8, 8}}};
  expectOnnxError("batch.onnx", m, 6639, {"batch 2"});
  m = convNet();
  m.opset = 6;
  expectOnnxError("opset.onnx", m, 6522, {"opset 6 is not supported"});
}

// ------------------------------------------------------------ malformed files

bool isOnnxErrorId(int id) { return id >= 6500 && id <= 6699; }

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
  std::vector<fs::path> files = shippedModels();
  for (const fs::path &file : shippedModels(kTestNetsDir)) files.push_back(file);
  for (const fs::path &file : files) {
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
  const std::string bytes = readBytes(kOnnxNetsDir / "onnx" / "mlperf_tiny_ad_fc_autoencoder.onnx");
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
  const Model asymmetric =
      zeroPointNet(kUint8, 0,
                   {{"Conv", "c1b", {"xd", "w"}, {"e"}},
                    {"QuantizeLinear", "q1b", {"e", "s", "z"}, {"eq"}},
                    {"DequantizeLinear", "dq1b", {"eq", "s", "z"}, {"ed"}},
                    {"Concat", "cat", {"cd", "ed"}, {"t"}, {intAttr("axis", 1)}},
                    {"MaxPool", "p", {"t"}, {"y"}, {intsAttr("kernel_shape", {2, 2})}}},
                   {1, 8, 7, 7});
  ASSERT_EQ(readModel("asymmetric.onnx", asymmetric).layers.size(), 4u);
  for (const Model &model : {convNet(), fcNet(), qopNet(), asymmetric}) {
    const std::string bytes = model.encode();
    for (int trial = 0; trial < 5000; ++trial) {
      std::string mutated = bytes;
      for (int flips = 0; flips < 1 + trial % 3; ++flips)
        mutated[random() % mutated.size()] = static_cast<char>(random() & 0xff);
      expectCleanOutcome(mutated, model.nodes[0].op + " trial " + std::to_string(trial));
    }
  }
  // The host-operator test networks (QDQ and QOperator): small enough to flip anywhere.
  for (const char *name : {"test_mobilenetv3_block.onnx", "test_transpose_max_pool.onnx",
                           "test_squeezenet_fire.onnx", "test_cnn_softmax_qdq_u8.onnx"}) {
    const std::string bytes = readBytes(kTestNetsDir / "onnx" / name);
    for (int trial = 0; trial < 1000; ++trial) {
      std::string mutated = bytes;
      for (int flips = 0; flips < 1 + trial % 3; ++flips)
        mutated[random() % mutated.size()] = static_cast<char>(random() & 0xff);
      expectCleanOutcome(mutated, std::string(name) + " trial " + std::to_string(trial));
    }
  }
  // And the structure of a whole shipped model (its weights are most of its bytes).
  const std::string kws = readBytes(kOnnxNetsDir / "onnx" / "mlperf_tiny_kws_dscnn.onnx");
  for (int trial = 0; trial < 300; ++trial) {
    std::string mutated = kws;
    mutated[random() % 4096] = static_cast<char>(random() & 0xff);
    mutated[kws.size() - 1 - random() % 4096] = static_cast<char>(random() & 0xff);
    expectCleanOutcome(mutated, "kws trial " + std::to_string(trial));
  }
}

TEST(OnnxMalformed, NonOnnxFilesAreRefused) {
  expectOnnxError("empty.onnx", std::string(), 6502, {"empty file: not an ONNX model"});
  expectOnnxError("text.onnx", readBytes(kOnnxNetsDir / "mlperf_tiny_kws_dscnn.toml"), 6500,
                  {"byte 0", "group", "not an ONNX model"});
  std::mt19937 random(7);
  for (size_t size : {1u, 7u, 64u, 4096u}) {
    std::string noise(size, '\0');
    for (char &c : noise) c = static_cast<char>(random() & 0xff);
    expectCleanOutcome(noise, "noise " + std::to_string(size));
    EXPECT_THROW(parseOnnxNetwork(noise, "noise.onnx"), Error);
  }
  // A well-formed protobuf that is not a model.
  expectOnnxError("not_model.onnx", intField(5, 3), 6520, {"not an ONNX model"});
}

TEST(OnnxMalformed, TensorDataThatDoesNotMatchItsDimsIsRefused) {
  Model m = convNet();
  m.initializers[0].dims = {4, 3, 3, 4};  // 144 elements, 108 values
  expectOnnxError("short.onnx", m, 6501,
                  {"graph.initializer[0]", "tensor 'w'", "raw_data has 432 bytes"});
}

}  // namespace
}  // namespace pf
