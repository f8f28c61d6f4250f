// Network TOML reader: parse -> validate -> infer shapes -> typed Network.
// The format and every check are documented in docs/networks.md.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "core/Toml.hh"
#include "net/Network.hh"

namespace pf {

namespace {

// Upper bound for any single dimension, kernel or stride: far above every real network,
// low enough that shape arithmetic cannot overflow before layerCost() checks products.
constexpr int64_t kMaxDimension = int64_t{1} << 24;
constexpr size_t kMaxConcatInputs = 64;

struct OpInfo {
  NetOp op;
  const char *name;
  std::vector<std::string> keys;  // allowed TOML keys besides the common ones
};

const std::vector<std::string> kCommonKeys = {"name", "op", "inputs", "output_hwc"};

const std::vector<OpInfo> &opTable() {
  static const std::vector<OpInfo> table = {
      {NetOp::Conv2d,
       "conv2d",
       {"out_channels", "kernel", "stride", "padding", "activation", "weight_quantization",
        "weight_sparsity", "activation_sparsity"}},
      {NetOp::DepthwiseConv2d,
       "depthwise_conv2d",
       {"kernel", "stride", "padding", "activation", "weight_quantization", "weight_sparsity",
        "activation_sparsity"}},
      {NetOp::FullyConnected,
       "fully_connected",
       {"out_channels", "activation", "weight_quantization", "weight_sparsity",
        "activation_sparsity"}},
      {NetOp::MaxPool,
       "max_pool",
       {"kernel", "stride", "padding", "activation", "activation_sparsity"}},
      {NetOp::AvgPool,
       "avg_pool",
       {"kernel", "stride", "padding", "activation", "activation_sparsity"}},
      {NetOp::GlobalAvgPool, "global_avg_pool", {"activation", "activation_sparsity"}},
      {NetOp::Add, "add", {"activation", "activation_sparsity"}},
      {NetOp::Flatten, "flatten", {}},
      {NetOp::Reshape, "reshape", {"shape_hwc"}},
      {NetOp::GlobalMaxPool, "global_max_pool", {"activation", "activation_sparsity"}},
      {NetOp::Softmax, "softmax", {"axis", "input_scale", "output_scale"}},
      {NetOp::Sigmoid, "sigmoid", {"input_scale", "output_scale"}},
      {NetOp::HardSigmoid, "hard_sigmoid", {"alpha", "beta", "input_scale", "output_scale"}},
      {NetOp::HardSwish, "hard_swish", {"input_scale", "output_scale"}},
      {NetOp::Mul, "mul", {"input_scale", "input2_scale", "output_scale"}},
      {NetOp::Transpose, "transpose", {"perm_hwc"}},
      {NetOp::Concat, "concat", {}},
  };
  return table;
}

const OpInfo &opInfo(NetOp op) {
  for (const OpInfo &info : opTable())
    if (info.op == op) return info;
  throw std::logic_error("opInfo: op missing from table");
}

std::string supportedOpList() {
  std::vector<std::string> names;
  for (const OpInfo &info : opTable()) names.emplace_back(info.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

// Ops people commonly bring from a framework graph, with the reason each is refused,
// so the message says what to do instead of only "unknown".
std::optional<std::string> whyUnsupported(const std::string &op) {
  static const std::map<std::string, std::string> reasons = {
      {"relu", "activations are fused: set activation = \"relu\" on the producing layer"},
      {"relu6", "activations are fused: set activation = \"relu6\" on the producing layer"},
      {"batch_norm", "fold batch normalisation into the preceding layer's weights and bias"},
      {"batchnorm", "fold batch normalisation into the preceding layer's weights and bias"},
      {"dropout", "dropout is the identity at inference: leave it out"},
      {"tanh", "neither the accelerator nor the host model has tanh (host ops: docs/host.md)"},
      {"swish", "write it as sigmoid followed by mul (both run on the host)"},
      {"gelu", "neither the accelerator nor the host model has gelu (host ops: docs/host.md)"},
      {"pad", "give the padding on the layer that consumes the tensor"},
      {"conv_transpose", "the accelerator has no transposed convolution"},
      {"grouped_conv2d", "only dense (groups = 1) and depthwise (groups = channels) convolutions"},
      {"matmul",
       "use fully_connected (constant weights); activation x activation is not supported"},
  };
  if (auto it = reasons.find(op); it != reasons.end()) return it->second;
  return std::nullopt;
}

NetOp parseOp(const TomlReader &reader, const std::string &layer_name) {
  const std::string op = reader.requireString("op");
  for (const OpInfo &info : opTable())
    if (op == info.name) return info.op;
  const std::string why =
      whyUnsupported(op).value_or(fmt::format("unknown op (supported: {})", supportedOpList()));
  reader.fail(6001, "op",
              fmt::format("layer '{}' (op '{}'): unsupported: {}", layer_name, op, why));
}

// Message prefix naming the layer and its op, used by every layer error.
std::string who(const NetLayer &layer) {
  return fmt::format("layer '{}' ({})", layer.name, netOpName(layer.op));
}

int64_t checkDimension(const TomlReader &reader, const std::string &key, const toml::node &node,
                       const std::string &what) {
  if (!node.is_integer())
    throw Error(6025, locationOf(node, reader.file()), reader.fieldPath(key),
                fmt::format("{}: expected an integer", what));
  const int64_t value = *node.value<int64_t>();
  if (value < 1 || value > kMaxDimension)
    throw Error(6007, locationOf(node, reader.file()), reader.fieldPath(key),
                fmt::format("{}: {} is outside 1..{}", what, value, kMaxDimension));
  return value;
}

int64_t requireDimension(const TomlReader &reader, const std::string &key,
                         const std::string &what) {
  const toml::node *node = reader.table().get(key);
  if (!node) reader.fail(6021, key, what + ": required field is missing");
  return checkDimension(reader, key, *node, what);
}

// An integer, or an array [h, w], each positive; `fallback` when absent (if given).
std::pair<int64_t, int64_t> readPair(const TomlReader &reader, const std::string &key,
                                     const std::string &what,
                                     std::optional<int64_t> fallback = std::nullopt) {
  const toml::node *node = reader.table().get(key);
  if (!node) {
    if (!fallback) reader.fail(6021, key, fmt::format("{}: required field is missing", what));
    return {*fallback, *fallback};
  }
  if (const toml::array *array = node->as_array()) {
    if (array->size() != 2)
      reader.fail(6026, key, fmt::format("{}: expected an integer or [height, width]", what));
    return {checkDimension(reader, key, *array->get(0), what),
            checkDimension(reader, key, *array->get(1), what)};
  }
  const int64_t value = checkDimension(reader, key, *node, what);
  return {value, value};
}

std::optional<TensorShape> readShape(const TomlReader &reader, const std::string &key,
                                     const std::string &what) {
  const toml::node *node = reader.table().get(key);
  if (!node) return std::nullopt;
  const toml::array *array = node->as_array();
  if (!array || array->size() != 3)
    reader.fail(6027, key, fmt::format("{}: expected [height, width, channels]", what));
  return TensorShape{checkDimension(reader, key, *array->get(0), what),
                     checkDimension(reader, key, *array->get(1), what),
                     checkDimension(reader, key, *array->get(2), what)};
}

Activation parseActivation(const TomlReader &reader, const NetLayer &layer) {
  const std::string text = reader.stringOr("activation", "none");
  if (text == "none") return Activation::None;
  if (text == "relu") return Activation::Relu;
  if (text == "relu6") return Activation::Relu6;
  reader.fail(6015, "activation",
              fmt::format("{}: activation '{}' is not supported (none, relu or relu6: the "
                          "requantisation clamp is the accelerator's only nonlinearity)",
                          who(layer), text));
}

WeightQuant parseWeightQuant(const std::string &text, const TomlReader &reader,
                             const std::string &key, const std::string &subject) {
  if (text == "int8_per_channel") return WeightQuant::Int8PerChannel;
  if (text == "int8_per_tensor") return WeightQuant::Int8PerTensor;
  reader.fail(6016, key,
              fmt::format("{}: weight quantisation '{}' is not supported (int8_per_channel or "
                          "int8_per_tensor: the accelerator multiplies int8 x int8 with a "
                          "per-channel int32 bias and scale)",
                          subject, text));
}

double readFraction(const TomlReader &reader, const std::string &key, const NetLayer &layer) {
  if (!reader.has(key)) return 0.0;
  const double value = reader.requireNumber(key);
  if (!(value >= 0.0 && value < 1.0))
    reader.fail(
        6017, key,
        fmt::format("{}: {} = {} is not a fraction of zeros in [0, 1)", who(layer), key, value));
  return value;
}

// Network-wide settings that layers inherit.
struct Defaults {
  WeightQuant weight_quant = WeightQuant::Int8PerChannel;
};

// Resolves the `inputs` names against the network input and the layers read so far.
void resolveInputs(const TomlReader &reader, const Network &network, NetLayer &layer,
                   const std::set<std::string> &all_layer_names) {
  std::vector<std::string> names = reader.stringArrayOr("inputs");
  if (!reader.has("inputs"))
    names = {network.layers.empty() ? network.input_name : network.layers.back().name};
  const size_t expected = layer.op == NetOp::Add || layer.op == NetOp::Mul ? 2 : 1;
  if (layer.op == NetOp::Concat && (names.size() < 2 || names.size() > kMaxConcatInputs))
    reader.fail(6024, "inputs",
                fmt::format("{}: takes 2..{} inputs, {} given", who(layer), kMaxConcatInputs,
                            names.size()));
  if (layer.op != NetOp::Concat && names.size() != expected)
    reader.fail(6006, "inputs",
                fmt::format("{}: takes {} input{}, {} given", who(layer), expected,
                            expected == 1 ? "" : "s", names.size()));
  layer.inputs = names;
  for (const std::string &input : names) {
    if (input == network.input_name) {
      layer.input_layers.push_back(kNetworkInput);
      layer.input_shapes.push_back(network.input_shape);
      continue;
    }
    const int index = network.findLayer(input);
    if (index < 0) {
      if (all_layer_names.count(input) > 0)
        reader.fail(6005, "inputs",
                    fmt::format("{}: input '{}' is defined later (layers must be listed in "
                                "topological order)",
                                who(layer), input));
      reader.fail(6004, "inputs",
                  fmt::format("{}: unknown input '{}' (neither the network input '{}' nor an "
                              "earlier layer)",
                              who(layer), input, network.input_name));
    }
    layer.input_layers.push_back(index);
    layer.input_shapes.push_back(network.layers[static_cast<size_t>(index)].output_shape);
  }
}

// Output size of a sliding window along one axis; `axis` is "height" or "width".
int64_t windowOutput(const TomlReader &reader, const NetLayer &layer, const char *axis, int64_t in,
                     int64_t kernel, int64_t stride, int64_t before, int64_t after) {
  if (before >= kernel || after >= kernel)
    reader.fail(6010, "padding",
                fmt::format("{}: padding {}+{} along the {} is not smaller than the kernel {}: "
                            "an output would see only padding",
                            who(layer), before, after, axis, kernel));
  if (in + before + after < kernel)
    reader.fail(6009, "kernel",
                fmt::format("{}: kernel {} {} is larger than the padded input {} ({} + {} + {})",
                            who(layer), axis, kernel, in + before + after, in, before, after));
  return (in + before + after - kernel) / stride + 1;
}

// TF/ONNX SAME_UPPER: output = ceil(in / stride); the total padding is split with the
// odd one at the bottom/right.
std::pair<int64_t, int64_t> samePadding(int64_t in, int64_t kernel, int64_t stride) {
  const int64_t out = (in + stride - 1) / stride;
  const int64_t total = std::max<int64_t>((out - 1) * stride + kernel - in, 0);
  return {total / 2, total - total / 2};
}

void readPadding(const TomlReader &reader, NetLayer &layer) {
  const TensorShape &in = layer.input_shapes[0];
  const toml::node *node = reader.table().get("padding");
  if (!node || (node->is_string() && *node->value<std::string>() == "valid")) {
    layer.padding_rule = PaddingRule::Valid;
    layer.padding = {};
  } else if (node->is_string() && *node->value<std::string>() == "same") {
    layer.padding_rule = PaddingRule::Same;
    const auto [top, bottom] = samePadding(in.h, layer.kernel_h, layer.stride_h);
    const auto [left, right] = samePadding(in.w, layer.kernel_w, layer.stride_w);
    layer.padding = {top, left, bottom, right};
  } else {
    layer.padding_rule = PaddingRule::Explicit;
    std::vector<int64_t> values;
    if (node->is_integer()) {
      values.assign(4, *node->value<int64_t>());
    } else if (const toml::array *array = node->as_array(); array && array->size() == 4) {
      for (const toml::node &element : *array) {
        if (!element.is_integer()) break;
        values.push_back(*element.value<int64_t>());
      }
    }
    const bool ok = values.size() == 4 && std::all_of(values.begin(), values.end(), [](int64_t v) {
                      return v >= 0 && v <= kMaxDimension;
                    });
    if (!ok)
      reader.fail(6008, "padding",
                  fmt::format("{}: padding must be \"same\", \"valid\", an integer (all sides) "
                              "or [top, left, bottom, right] of non-negative integers",
                              who(layer)));
    layer.padding = {values[0], values[1], values[2], values[3]};
  }
}

void inferWindowed(const TomlReader &reader, NetLayer &layer, bool stride_required) {
  std::tie(layer.kernel_h, layer.kernel_w) = readPair(reader, "kernel", who(layer) + ": kernel");
  std::tie(layer.stride_h, layer.stride_w) =
      stride_required ? readPair(reader, "stride", who(layer) + ": stride")
                      : readPair(reader, "stride", who(layer) + ": stride", 1);
  readPadding(reader, layer);
  const TensorShape &in = layer.input_shapes[0];
  const int64_t out_h = windowOutput(reader, layer, "height", in.h, layer.kernel_h, layer.stride_h,
                                     layer.padding.top, layer.padding.bottom);
  const int64_t out_w = windowOutput(reader, layer, "width", in.w, layer.kernel_w, layer.stride_w,
                                     layer.padding.left, layer.padding.right);
  int64_t out_c = in.c;
  if (layer.op == NetOp::Conv2d)
    out_c = requireDimension(reader, "out_channels", who(layer) + ": out_channels");
  layer.output_shape = {out_h, out_w, out_c};
}

void inferFullyConnected(const TomlReader &reader, NetLayer &layer) {
  const TensorShape &in = layer.input_shapes[0];
  if (in.h != 1 || in.w != 1)
    reader.fail(6012, reader.has("inputs") ? "inputs" : "op",
                fmt::format("{}: input is {}; fully_connected takes a 1x1xC vector (insert a "
                            "flatten layer before it)",
                            who(layer), formatShape(in)));
  layer.output_shape = {1, 1,
                        requireDimension(reader, "out_channels", who(layer) + ": out_channels")};
}

void inferAdd(const TomlReader &reader, NetLayer &layer) {
  const TensorShape &a = layer.input_shapes[0];
  const TensorShape &b = layer.input_shapes[1];
  if (!(a == b))
    reader.fail(
        6011, "inputs",
        fmt::format("{}: input shapes differ: {} is {}, {} is {} (add needs equal shapes; "
                    "no broadcasting)",
                    who(layer), layer.inputs[0], formatShape(a), layer.inputs[1], formatShape(b)));
  layer.output_shape = a;
}

void inferReshape(const TomlReader &reader, NetLayer &layer) {
  const std::optional<TensorShape> target =
      readShape(reader, "shape_hwc", who(layer) + ": shape_hwc");
  if (!target) reader.fail(6021, "shape_hwc", who(layer) + ": required field is missing");
  const TensorShape &in = layer.input_shapes[0];
  if (target->elements() != in.elements())
    reader.fail(
        6013, "shape_hwc",
        fmt::format("{}: cannot reshape {} ({} elements) to {} ({} elements)", who(layer),
                    formatShape(in), in.elements(), formatShape(*target), target->elements()));
  layer.output_shape = *target;
}

// Concat joins channels: every input has the first one's H and W.
void inferConcat(const TomlReader &reader, NetLayer &layer) {
  const TensorShape &first = layer.input_shapes[0];
  int64_t channels = 0;
  for (size_t k = 0; k < layer.input_shapes.size(); ++k) {
    const TensorShape &s = layer.input_shapes[k];
    if (s.h != first.h || s.w != first.w)
      reader.fail(6029, "inputs",
                  fmt::format("{}: {} is {} but {} is {}: concat joins channels of tensors with "
                              "equal height and width",
                              who(layer), layer.inputs[k], formatShape(s), layer.inputs[0],
                              formatShape(first)));
    channels += s.c;
  }
  if (channels > kMaxDimension)
    reader.fail(
        6028, "inputs",
        fmt::format("{}: {} channels in all is above {}", who(layer), channels, kMaxDimension));
  layer.output_shape = {first.h, first.w, channels};
}

// Mul's second operand equals the first or broadcasts along H and W, along C, or both.
void inferMul(const TomlReader &reader, NetLayer &layer) {
  const TensorShape &a = layer.input_shapes[0];
  const TensorShape &b = layer.input_shapes[1];
  const bool hw = (b.h == 1 && b.w == 1) || (b.h == a.h && b.w == a.w);
  const bool c = b.c == 1 || b.c == a.c;
  if (!hw || !c)
    reader.fail(
        6030, "inputs",
        fmt::format("{}: {} ({}) does not broadcast to {} ({}): the second operand must "
                    "be HxWxC, 1x1xC, HxWx1 or 1x1x1 of the first",
                    who(layer), layer.inputs[1], formatShape(b), layer.inputs[0], formatShape(a)));
  layer.output_shape = a;
}

// A scale: the real value of one int8 step, positive and finite.
double readScale(const TomlReader &reader, const NetLayer &layer, const std::string &key,
                 double fallback, bool &defaulted) {
  if (!reader.has(key)) {
    defaulted = true;
    return fallback;
  }
  const double value = reader.requireNumber(key);
  if (!(value > 0.0 && value < 1e30))
    reader.fail(6020, key,
                fmt::format("{}: {} = {} is not a positive finite scale", who(layer), key, value));
  return value;
}

void readHostParams(const TomlReader &reader, NetLayer &layer) {
  HostParams &p = layer.host;
  const std::array<int, 3> perm = p.perm;  // inferTranspose read it with the shape
  p = defaultHostParams(layer.op);
  p.perm = perm;
  bool defaulted = false;
  if (layer.op != NetOp::Transpose) {
    p.input_scale = readScale(reader, layer, "input_scale", p.input_scale, defaulted);
    p.output_scale = readScale(reader, layer, "output_scale", p.output_scale, defaulted);
  }
  if (layer.op == NetOp::Mul)
    p.input2_scale = readScale(reader, layer, "input2_scale", p.input2_scale, defaulted);
  p.default_scales = defaulted;
  if (layer.op == NetOp::HardSigmoid) {
    p.alpha = reader.numberOr("alpha", p.alpha);
    p.beta = reader.numberOr("beta", p.beta);
    if (!(std::abs(p.alpha) < 1e6 && std::abs(p.beta) < 1e6))
      reader.fail(6032, "alpha", fmt::format("{}: alpha and beta must be finite", who(layer)));
  }
  if (layer.op == NetOp::Softmax) {
    const std::string axis = reader.stringOr("axis", "c");
    const std::string axes = "hwc";
    if (axis.size() != 1 || axes.find(axis[0]) == std::string::npos)
      reader.fail(6033, "axis",
                  fmt::format("{}: axis '{}' is not \"h\", \"w\" or \"c\"", who(layer), axis));
    p.axis = int(axes.find(axis[0]));
  }
}

void inferTranspose(const TomlReader &reader, NetLayer &layer) {
  const std::vector<double> perm = reader.requireNumberArray("perm_hwc");
  std::array<int, 3> axes{};
  bool ok = perm.size() == 3;
  for (size_t i = 0; ok && i < 3; ++i) {
    ok = perm[i] == 0.0 || perm[i] == 1.0 || perm[i] == 2.0;
    if (ok) axes[i] = int(perm[i]);
  }
  if (ok) ok = axes[0] != axes[1] && axes[1] != axes[2] && axes[0] != axes[2];
  if (!ok)
    reader.fail(6034, "perm_hwc",
                fmt::format("{}: perm_hwc must be a permutation of [0, 1, 2] (0 = H, 1 = W, "
                            "2 = C; output axis i is input axis perm_hwc[i])",
                            who(layer)));
  layer.host.perm = axes;
  const TensorShape &in = layer.input_shapes[0];
  const std::array<int64_t, 3> dims = {in.h, in.w, in.c};
  layer.output_shape = {dims[size_t(axes[0])], dims[size_t(axes[1])], dims[size_t(axes[2])]};
}

void inferShape(const TomlReader &reader, NetLayer &layer) {
  const TensorShape &in = layer.input_shapes[0];
  switch (layer.op) {
    case NetOp::Conv2d:
    case NetOp::DepthwiseConv2d:
      inferWindowed(reader, layer, /*stride_required=*/false);
      break;
    case NetOp::MaxPool:
    case NetOp::AvgPool:
      // Frameworks disagree on the default pooling stride (1 vs the window), so it is
      // required rather than guessed.
      inferWindowed(reader, layer, /*stride_required=*/true);
      break;
    case NetOp::FullyConnected:
      inferFullyConnected(reader, layer);
      break;
    case NetOp::GlobalAvgPool:
    case NetOp::GlobalMaxPool:
      layer.kernel_h = in.h;
      layer.kernel_w = in.w;
      layer.output_shape = {1, 1, in.c};
      break;
    case NetOp::Add:
      inferAdd(reader, layer);
      break;
    case NetOp::Flatten:
      layer.output_shape = {1, 1, in.elements()};
      break;
    case NetOp::Reshape:
      inferReshape(reader, layer);
      break;
    case NetOp::Softmax:
    case NetOp::Sigmoid:
    case NetOp::HardSigmoid:
    case NetOp::HardSwish:
      layer.output_shape = in;
      break;
    case NetOp::Mul:
      inferMul(reader, layer);
      break;
    case NetOp::Transpose:
      inferTranspose(reader, layer);
      break;
    case NetOp::Concat:
      inferConcat(reader, layer);
      break;
  }
  if (runsOnHost(layer.op)) readHostParams(reader, layer);
}

NetLayer readLayer(const TomlReader &reader, const Network &network, const Defaults &defaults,
                   const std::set<std::string> &all_layer_names) {
  NetLayer layer;
  layer.loc = locationOf(reader.table(), reader.file());
  layer.name = reader.requireString("name");
  if (layer.name.empty()) reader.fail(6002, "name", "layer name is empty");
  layer.op = parseOp(reader, layer.name);
  std::vector<std::string> known = kCommonKeys;
  const std::vector<std::string> &op_keys = opInfo(layer.op).keys;
  known.insert(known.end(), op_keys.begin(), op_keys.end());
  reader.rejectUnknownKeys(known);

  resolveInputs(reader, network, layer, all_layer_names);
  inferShape(reader, layer);
  if (std::optional<TensorShape> declared =
          readShape(reader, "output_hwc", who(layer) + ": output_hwc");
      declared && !(*declared == layer.output_shape))
    reader.fail(6014, "output_hwc",
                fmt::format("{}: declared output shape {} differs from the inferred {} (input {})",
                            who(layer), formatShape(*declared), formatShape(layer.output_shape),
                            formatShape(layer.input_shapes[0])));

  if (reader.has("activation")) layer.activation = parseActivation(reader, layer);
  if (hasWeights(layer.op))
    layer.weight_quant = reader.has("weight_quantization")
                             ? parseWeightQuant(reader.requireString("weight_quantization"), reader,
                                                "weight_quantization", who(layer))
                             : defaults.weight_quant;
  layer.weight_sparsity = readFraction(reader, "weight_sparsity", layer);
  layer.activation_sparsity = readFraction(reader, "activation_sparsity", layer);
  layerCost(layer);  // rejects layers whose counts overflow, located at the layer
  return layer;
}

void readHeader(const TomlReader &root, Network &network, Defaults &defaults) {
  const TomlReader header = root.requireTable("network");
  header.rejectUnknownKeys(
      {"name", "source", "description", "weight_quantization", "activation_quantization"});
  network.name = header.requireString("name");
  network.source = header.stringOr("source", "");
  if (header.has("weight_quantization"))
    defaults.weight_quant = parseWeightQuant(header.requireString("weight_quantization"), header,
                                             "weight_quantization", "network");
  const std::string act_quant = header.stringOr("activation_quantization", "int8_per_tensor");
  if (act_quant != "int8_per_tensor")
    header.fail(6031, "activation_quantization",
                fmt::format("activation quantisation '{}' is not supported (int8_per_tensor: "
                            "int8 activations with one scale per tensor and zero point 0)",
                            act_quant));

  const TomlReader input = root.requireTable("input");
  input.rejectUnknownKeys({"name", "shape_hwc"});
  network.input_name = input.stringOr("name", "input");
  if (network.input_name.empty()) input.fail(6022, "name", "input name is empty");
  const std::optional<TensorShape> shape = readShape(input, "shape_hwc", "network input");
  if (!shape) input.fail(1102, "shape_hwc", "required field is missing");
  network.input_shape = *shape;
}

std::set<std::string> collectLayerNames(const std::vector<TomlReader> &tables,
                                        const Network &network) {
  std::set<std::string> names;
  for (const TomlReader &table : tables) {
    if (!table.has("name")) continue;  // reported by readLayer with its location
    const std::string name = table.requireString("name");
    if (name == network.input_name)
      table.fail(6023, "name",
                 fmt::format("layer name '{}' is also the network input's name", name));
    if (!names.insert(name).second)
      table.fail(6003, "name", fmt::format("layer name '{}' is used twice", name));
  }
  return names;
}

// Every layer but the last must feed a later layer: a dangling output is almost always
// a mistyped `inputs`, and the tool does not guess which tensor is the network output.
void checkAllOutputsUsed(const Network &network, const std::vector<TomlReader> &tables) {
  std::vector<bool> used(network.layers.size(), false);
  for (const NetLayer &layer : network.layers)
    for (int producer : layer.input_layers)
      if (producer != kNetworkInput) used[static_cast<size_t>(producer)] = true;
  for (size_t i = 0; i + 1 < network.layers.size(); ++i)
    if (!used[i])
      tables[i].fail(6018, "name",
                     fmt::format("{}: its output is used by no later layer (only the last layer "
                                 "is the network output)",
                                 who(network.layers[i])));
}

}  // namespace

Network readNetwork(const std::string &path) {
  const toml::table table = parseTomlFile(path);
  const TomlReader root(table, path);
  root.rejectUnknownKeys({"network", "input", "layer"});
  Network network;
  network.source_file = path;
  Defaults defaults;
  readHeader(root, network, defaults);

  const std::vector<TomlReader> tables = root.tableArray("layer");
  if (tables.empty()) root.fail(6019, "layer", "the network has no [[layer]] entries");
  const std::set<std::string> names = collectLayerNames(tables, network);
  for (const TomlReader &layer_table : tables)
    network.layers.push_back(readLayer(layer_table, network, defaults, names));
  checkAllOutputsUsed(network, tables);
  return network;
}

}  // namespace pf
