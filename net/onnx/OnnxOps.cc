// Per-op lowering rules of the ONNX reader (docs/onnx.md, "Supported ops"). Each handler
// checks its node completely (attributes, operand kinds, shapes, quantisation) and
// either appends a layer, folds into the layer that produced its input, or passes its
// input through. Anything it cannot represent exactly is refused, naming the node.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

#include "net/onnx/OnnxLowering.hh"

namespace pf::onnx {

namespace {

// ---------------------------------------------------------------- attributes

void checkAttributes(const Lowering &L, const OnnxNode &node,
                     std::initializer_list<std::string_view> known) {
  for (const OnnxAttribute &attribute : node.attributes)
    if (std::find(known.begin(), known.end(), attribute.name) == known.end())
      L.fail(6511, node,
             fmt::format(
                 "attribute '{}' is not supported for {} (known: {})", attribute.name, node.op_type,
                 known.size() ? fmt::format("{}", fmt::join(known, ", ")) : std::string("none")));
}

const OnnxAttribute *findAttribute(const Lowering &L, const OnnxNode &node, const char *name,
                                   int32_t type, const char *type_name) {
  const OnnxAttribute *attribute = node.attribute(name);
  if (attribute && attribute->type != OnnxAttribute::kUnset && attribute->type != type)
    L.fail(6570, node,
           fmt::format("attribute '{}' has attribute type {}, expected {}", name, attribute->type,
                       type_name));
  return attribute;
}

int64_t intAttribute(const Lowering &L, const OnnxNode &node, const char *name, int64_t fallback) {
  const OnnxAttribute *a = findAttribute(L, node, name, OnnxAttribute::kInt, "INT");
  return a ? a->i : fallback;
}

float floatAttribute(const Lowering &L, const OnnxNode &node, const char *name, float fallback) {
  const OnnxAttribute *a = findAttribute(L, node, name, OnnxAttribute::kFloatAttr, "FLOAT");
  return a ? a->f : fallback;
}

std::string stringAttribute(const Lowering &L, const OnnxNode &node, const char *name,
                            const std::string &fallback) {
  const OnnxAttribute *a = findAttribute(L, node, name, OnnxAttribute::kStringAttr, "STRING");
  return a ? a->s : fallback;
}

std::optional<std::vector<int64_t>> intsAttribute(const Lowering &L, const OnnxNode &node,
                                                  const char *name) {
  const OnnxAttribute *a = findAttribute(L, node, name, OnnxAttribute::kInts, "INTS");
  if (!a) return std::nullopt;
  return a->ints;
}

// A two-element attribute (strides, kernel_shape) with values in 1..2^24.
std::pair<int64_t, int64_t> pairAttribute(const Lowering &L, const OnnxNode &node, const char *name,
                                          std::pair<int64_t, int64_t> fallback) {
  const std::optional<std::vector<int64_t>> values = intsAttribute(L, node, name);
  if (!values) return fallback;
  if (values->size() != 2)
    L.fail(6571, node,
           fmt::format("{} {} has {} values; only 2-D windows (two values) are supported", name,
                       dimsText(*values), values->size()));
  for (int64_t value : *values)
    if (value < 1 || value > kMaxDimension)
      L.fail(6572, node,
             fmt::format("{} {}: each value must be in 1..{}", name, dimsText(*values),
                         kMaxDimension));
  return {(*values)[0], (*values)[1]};
}

// ---------------------------------------------------------------- operands

void requireRank(const Lowering &L, const OnnxNode &node, const ComputedTensor &x, size_t rank,
                 const char *what) {
  if (x.dims.size() != rank)
    L.fail(6513, node,
           fmt::format("input '{}' is {} (rank {}); {}", node.inputs[0], dimsText(x.dims),
                       x.dims.size(), what));
}

void requireFloat(const Lowering &L, const OnnxNode &node, const ComputedTensor &x, size_t i) {
  if (x.int8)
    L.fail(6516, node,
           fmt::format("input '{}' is an int8 tensor; {} computes in float, so a "
                       "DequantizeLinear must come first (or use the QLinear form)",
                       node.inputs[i], node.op_type));
}

bool isFloatType(int32_t type) { return type == kFloat || type == kDouble || type == kFloat16; }

// A constant operand with the given rank and no empty dimension.
const OnnxTensor &weightTensor(const Lowering &L, const OnnxNode &node, const Constant &w,
                               size_t rank, const char *expected) {
  const OnnxTensor &t = *w.tensor;
  bool ok = t.dims.size() == rank;
  for (int64_t dim : t.dims) ok = ok && dim >= 1 && dim <= kMaxDimension;
  if (!ok)
    L.fail(
        6512, node,
        fmt::format("weights '{}' have shape {}, expected {}", t.name, dimsText(t.dims), expected));
  return t;
}

double scalarConstant(const Lowering &L, const OnnxNode &node, size_t i, const char *role) {
  const OnnxTensor &t = *L.constant(node, i, role).tensor;
  if (t.element_count != 1 || !(t.isInteger() || isFloatType(t.data_type)))
    L.fail(6573, node,
           fmt::format("{} ('{}') must be a single number, not {} {}", role, t.name,
                       dataTypeName(t.data_type), dimsText(t.dims)));
  return t.real(0);
}

// ---------------------------------------------------------------- quantisation

// Scales: one (per tensor) or a 1-D tensor (per index of an axis); finite and positive.
std::vector<double> readScales(const Lowering &L, const OnnxNode &node, size_t i,
                               const char *role) {
  const OnnxTensor &t = *L.constant(node, i, role).tensor;
  if (!isFloatType(t.data_type) || t.dims.size() > 1 || t.element_count < 1)
    L.fail(6655, node,
           fmt::format("{} ('{}') is {} {}; expected a float scalar or 1-D tensor", role, t.name,
                       dataTypeName(t.data_type), dimsText(t.dims)));
  std::vector<double> scales;
  for (int64_t k = 0; k < t.element_count; ++k) {
    const double scale = t.real(k);
    if (!(std::isfinite(scale) && scale > 0))
      L.fail(6656, node,
             fmt::format("{} ('{}') holds {}, not a positive finite scale", role, t.name, scale));
    scales.push_back(scale);
  }
  return scales;
}

// A float32 value as the shortest decimal with the same float32 value (0.05f -> 0.05):
// ONNX stores scales and attributes as float32, a TOML file writes decimals.
double decimalOf(double value) {
  if (!(std::abs(value) <= std::numeric_limits<float>::max())) return value;
  const auto single = static_cast<float>(value);
  if (static_cast<double>(single) != value) return value;  // not a float32 value
  const std::string text = fmt::format("{}", single);      // shortest round trip
  double decimal = value;
  std::from_chars(text.data(), text.data() + text.size(), decimal);
  return decimal;
}

// Why the datapath takes only symmetric weights, for the messages.
const char *const kSymmetricWeights =
    "asymmetric weights would need a correction of every output by the weight zero point "
    "times the sum of its input window, which the datapath cannot apply; quantise weights "
    "as int8 with zero point 0 (onnxruntime: weight_type QInt8, WeightSymmetric)";

// Zero points of weights (int8) and biases (int32) must be 0 of type `type`. Absent means
// 0 of the quantised type, which for QuantizeLinear is uint8 (`required` then).
void checkZeroPoints(const Lowering &L, const OnnxNode &node, size_t i, size_t count,
                     const char *role, bool required, int32_t type = kInt8) {
  const char *const why = type == kInt8 ? kSymmetricWeights : "a bias has zero point 0";
  if (!L.hasInput(node, i)) {
    if (required)
      L.fail(6657, node,
             fmt::format("{} is missing, so the weights would be uint8: {}", role, why));
    return;
  }
  const OnnxTensor &t = *L.constant(node, i, role).tensor;
  if (t.data_type != type)
    L.fail(6658, node,
           fmt::format("{} ('{}') is {}: the accelerator computes with {} {} with zero point 0; "
                       "{}",
                       role, t.name, dataTypeName(t.data_type), dataTypeName(type),
                       type == kInt8 ? "weights" : "biases", why));
  if (static_cast<size_t>(t.element_count) != count)
    L.fail(6600, node,
           fmt::format("{} ('{}') has {} elements but its scale has {}", role, t.name,
                       t.element_count, count));
  for (int64_t k = 0; k < t.element_count; ++k)
    if (t.integer(k) != 0)
      L.fail(6659, node, fmt::format("{} ('{}') is {}: {}", role, t.name, t.integer(k), why));
}

ActivationType activationType(int32_t data_type) {
  return data_type == kUint8  ? ActivationType::Uint8
         : data_type == kInt8 ? ActivationType::Int8
                              : ActivationType::None;
}

// The rule of a tensor quantised as `q` while no consumer has been seen (the consumers
// may still make it Resymmetrised, Lowering::decideZeroPointRules()).
ZeroPointRule readRule(const ActivationQuant &q) {
  if (q.modelDatapathZeroPoint() != 0) return ZeroPointRule::BiasFold;
  return q.type == ActivationType::Uint8 ? ZeroPointRule::Shift128 : ZeroPointRule::Symmetric;
}

// "uint8 zero point 0, scale 0.02"
std::string quantText(const ActivationQuant &q) {
  return fmt::format("{} zero point {}{}", activationTypeName(q.type), q.zero_point,
                     q.scale > 0 ? fmt::format(", scale {}", q.scale) : std::string());
}

// Per-tensor int8 or uint8 quantisation of an activation: scale input `scale_input`, zero
// point input `zero_input`; an absent zero point is 0 of type `absent` (QuantizeLinear:
// uint8 or its output_dtype; DequantizeLinear and the QLinear ops: the tensor's type).
ActivationQuant activationQuant(const Lowering &L, const OnnxNode &node, size_t scale_input,
                                size_t zero_input, const char *scale_role, const char *zero_role,
                                ActivationType absent) {
  const std::vector<double> scales = readScales(L, node, scale_input, scale_role);
  if (scales.size() != 1)
    L.fail(6660, node,
           fmt::format("{} has {} elements: activations are quantised per tensor", scale_role,
                       scales.size()));
  ActivationQuant q;
  q.scale = decimalOf(scales[0]);  // float32 read as its shortest decimal (0.025f is 0.025)
  q.type = absent;
  if (L.hasInput(node, zero_input)) {
    const OnnxTensor &t = *L.constant(node, zero_input, zero_role).tensor;
    q.type = activationType(t.data_type);
    if (q.type == ActivationType::None)
      L.fail(6661, node,
             fmt::format("{} ('{}') is {}: activations are quantised as int8 or uint8", zero_role,
                         t.name, dataTypeName(t.data_type)));
    if (t.element_count != 1)
      L.fail(6662, node,
             fmt::format("{} ('{}') has {} elements: activations are quantised per tensor",
                         zero_role, t.name, t.element_count));
    q.zero_point = t.integer(0);
  }
  if (q.type == ActivationType::None)
    L.fail(6663, node, fmt::format("{} is missing and the tensor's type is not known", zero_role));
  q.rule = readRule(q);
  return q;
}

// A consumer's view of quantised tensor `x` (input `i`): the zero point it was quantised
// with. (Scales are not compared: a consumer may read the values at another scale.)
void checkSameZeroPoint(const Lowering &L, const OnnxNode &node, size_t i, const ComputedTensor &x,
                        const ActivationQuant &view, const char *zero_role) {
  if (x.quant.type == ActivationType::None) return;
  if (view.type != x.quant.type || view.zero_point != x.quant.zero_point)
    L.fail(6664, node,
           fmt::format("{} reads '{}' as {} zero point {}, but it was quantised as {} zero point "
                       "{}: a consumer must use the zero point of the tensor it reads",
                       zero_role, node.inputs[i], activationTypeName(view.type), view.zero_point,
                       activationTypeName(x.quant.type), x.quant.zero_point));
}

// The quantisation axis of a constant of rank `rank` for `count` scales.
int64_t quantAxis(const Lowering &L, const OnnxNode &node, const OnnxTensor &t, size_t count) {
  if (count == 1) return 0;
  const auto rank = static_cast<int64_t>(t.dims.size());
  int64_t axis = intAttribute(L, node, "axis", 1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank || t.dims[static_cast<size_t>(axis)] != static_cast<int64_t>(count))
    L.fail(6601, node,
           fmt::format("{} scales along axis {} of '{}' {}: the sizes differ", count,
                       intAttribute(L, node, "axis", 1), t.name, dimsText(t.dims)));
  return axis;
}

void checkNoBlocks(const Lowering &L, const OnnxNode &node) {
  if (intAttribute(L, node, "block_size", 0) != 0)
    L.fail(6665, node,
           "blocked quantisation (block_size) is not supported: per tensor or per output "
           "channel only");
}

// The int8 weights of a QLinear op with their scales and zero points.
Constant qlinearWeights(const Lowering &L, const OnnxNode &node, size_t w_input, size_t scale_input,
                        size_t zero_input, int64_t axis) {
  Constant w = L.constant(node, w_input, "weights");
  if (!w.int8_domain)
    L.fail(6666, node,
           fmt::format("weights '{}' are {}; {} takes int8 weights{}", w.tensor->name,
                       dataTypeName(w.tensor->data_type), node.op_type,
                       w.tensor->data_type == kUint8 ? std::string(": ") + kSymmetricWeights
                                                     : std::string()));
  const std::vector<double> scales = readScales(L, node, scale_input, "weight scale");
  checkZeroPoints(L, node, zero_input, scales.size(), "weight zero point", false);
  if (!w.quantize_from_float) {
    w.scales = scales;
    w.axis = axis;
  }
  w.quantized = true;
  w.int8_domain = false;
  return w;
}

// How the weights are quantised, and which are zero per output channel (axis
// `out_axis`): int8 zeros, floats that QuantizeLinear rounds to zero, or exact float zeros.
LayerState countWeights(const Lowering &L, const OnnxNode &node, const Constant &w, size_t out_axis,
                        WeightQuant &quant) {
  const OnnxTensor &t = *w.tensor;
  const int64_t channels = t.dims[out_axis];
  if (w.quantized) {
    if (w.scales.size() == 1) {
      quant = WeightQuant::Int8PerTensor;
    } else if (w.axis != static_cast<int64_t>(out_axis) ||
               static_cast<int64_t>(w.scales.size()) != channels) {
      L.fail(6667, node,
             fmt::format("weights '{}' {} are quantised with {} scales along axis {}; the "
                         "accelerator scales per output channel (axis {}, {} channels) or per "
                         "tensor",
                         t.name, dimsText(t.dims), w.scales.size(), w.axis, out_axis, channels));
    } else {
      quant = WeightQuant::Int8PerChannel;
    }
  } else if (isFloatType(t.data_type)) {
    // Float weights are quantised by the flow, per output channel (the TOML default).
    quant = WeightQuant::Int8PerChannel;
  } else {
    L.fail(6668, node,
           fmt::format("weights '{}' are {} without a DequantizeLinear giving their scale", t.name,
                       dataTypeName(t.data_type)));
  }
  int64_t inner = 1;
  for (size_t d = out_axis + 1; d < t.dims.size(); ++d) inner *= t.dims[d];
  int64_t scale_inner = 1;
  for (size_t d = static_cast<size_t>(w.axis) + 1; d < t.dims.size(); ++d) scale_inner *= t.dims[d];
  const auto scale_count = static_cast<int64_t>(w.scales.size());

  LayerState state;
  state.zeros.assign(static_cast<size_t>(channels), 0);
  state.zeroed.assign(static_cast<size_t>(channels), false);
  state.per_channel = t.element_count / channels;
  for (int64_t i = 0; i < t.element_count; ++i) {
    const double value = t.real(i);
    bool zero = value == 0;
    if (w.quantize_from_float) {
      const double scale = w.scales[static_cast<size_t>((i / scale_inner) % scale_count)];
      zero = std::nearbyint(value / scale) == 0;  // round half to even, as QuantizeLinear
    }
    if (zero) ++state.zeros[static_cast<size_t>((i / inner) % channels)];
  }
  return state;
}

// ---------------------------------------------------------------- windows

struct Window {
  int64_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1;
  Padding padding;
  PaddingRule rule = PaddingRule::Valid;
  int64_t out_h = 1, out_w = 1;
};

// SAME_UPPER: output ceil(n / s), the odd padding row/column at the end (as the TOML
// reader's "same").
std::pair<int64_t, int64_t> samePadding(int64_t in, int64_t kernel, int64_t stride) {
  const int64_t out = (in + stride - 1) / stride;
  const int64_t total = std::max<int64_t>((out - 1) * stride + kernel - in, 0);
  return {total / 2, total - total / 2};
}

int64_t windowOutput(const Lowering &L, const OnnxNode &node, const char *axis, int64_t in,
                     int64_t kernel, int64_t stride, int64_t before, int64_t after, bool ceil) {
  if (before >= kernel || after >= kernel)
    L.fail(6517, node,
           fmt::format("padding {}+{} along the {} is not smaller than the kernel {}: an output "
                       "would see only padding",
                       before, after, axis, kernel));
  const int64_t span = in + before + after - kernel;
  if (span < 0)
    L.fail(6519, node,
           fmt::format("kernel {} {} is larger than the padded input {} ({} + {} + {})", axis,
                       kernel, in + before + after, in, before, after));
  // With ceil_mode the sizes agree only when the windows tile the axis exactly; otherwise
  // the last partial window is kept or dropped depending on where it starts.
  if (ceil && span % stride != 0)
    L.fail(6574, node,
           fmt::format("ceil_mode = 1 and the windows do not tile the {} exactly ({} + {} + {} "
                       "with kernel {} and stride {}); the network model uses the floor rule",
                       axis, in, before, after, kernel, stride));
  return span / stride + 1;
}

Window readWindow(const Lowering &L, const OnnxNode &node, const ComputedTensor &x,
                  std::optional<std::pair<int64_t, int64_t>> weight_kernel) {
  Window w;
  const std::optional<std::vector<int64_t>> kernel_shape = intsAttribute(L, node, "kernel_shape");
  if (weight_kernel) {
    if (kernel_shape &&
        *kernel_shape != std::vector<int64_t>{weight_kernel->first, weight_kernel->second})
      L.fail(6602, node,
             fmt::format("kernel_shape {} differs from the weights' kernel [{},{}]",
                         dimsText(*kernel_shape), weight_kernel->first, weight_kernel->second));
    std::tie(w.kernel_h, w.kernel_w) = *weight_kernel;
  } else {
    if (!kernel_shape) L.fail(6575, node, "kernel_shape is required");
    std::tie(w.kernel_h, w.kernel_w) = pairAttribute(L, node, "kernel_shape", {1, 1});
  }
  std::tie(w.stride_h, w.stride_w) = pairAttribute(L, node, "strides", {1, 1});
  if (const auto dilations = intsAttribute(L, node, "dilations"))
    for (int64_t d : *dilations)
      if (d != 1)
        L.fail(
            6576, node,
            fmt::format("dilations {}: dilated windows are not supported", dimsText(*dilations)));

  const std::string auto_pad = stringAttribute(L, node, "auto_pad", "NOTSET");
  std::vector<int64_t> pads = intsAttribute(L, node, "pads").value_or(std::vector<int64_t>(4, 0));
  if (pads.size() != 4 ||
      std::any_of(pads.begin(), pads.end(), [](int64_t p) { return p < 0 || p > kMaxDimension; }))
    L.fail(6577, node,
           fmt::format("pads {}: expected 4 values [top, left, bottom, right] in 0..{}",
                       dimsText(pads), kMaxDimension));
  const bool explicit_pads = std::any_of(pads.begin(), pads.end(), [](int64_t p) { return p; });
  const int64_t in_h = x.dims[2], in_w = x.dims[3];
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    auto [top, bottom] = samePadding(in_h, w.kernel_h, w.stride_h);
    auto [left, right] = samePadding(in_w, w.kernel_w, w.stride_w);
    if (auto_pad == "SAME_LOWER") {
      std::swap(top, bottom);
      std::swap(left, right);
    }
    w.padding = {top, left, bottom, right};
    w.rule = auto_pad == "SAME_UPPER" ? PaddingRule::Same : PaddingRule::Explicit;
  } else if (auto_pad == "NOTSET" || auto_pad == "VALID") {
    if (auto_pad == "VALID") pads.assign(4, 0);
    w.padding = {pads[0], pads[1], pads[2], pads[3]};
    w.rule = explicit_pads && auto_pad == "NOTSET" ? PaddingRule::Explicit : PaddingRule::Valid;
  } else {
    L.fail(
        6578, node,
        fmt::format("auto_pad '{}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER", auto_pad));
  }
  if (auto_pad != "NOTSET" && explicit_pads)
    L.fail(6579, node,
           fmt::format("both auto_pad '{}' and pads {} are given", auto_pad, dimsText(pads)));
  const bool ceil = intAttribute(L, node, "ceil_mode", 0) != 0;
  w.out_h = windowOutput(L, node, "height", in_h, w.kernel_h, w.stride_h, w.padding.top,
                         w.padding.bottom, ceil);
  w.out_w = windowOutput(L, node, "width", in_w, w.kernel_w, w.stride_w, w.padding.left,
                         w.padding.right, ceil);
  return w;
}

void applyWindow(NetLayer &layer, const Window &w) {
  layer.kernel_h = w.kernel_h;
  layer.kernel_w = w.kernel_w;
  layer.stride_h = w.stride_h;
  layer.stride_w = w.stride_w;
  layer.padding = w.padding;
  layer.padding_rule = w.rule;
}

// A bias: a constant with one value per output channel.
void checkBias(const Lowering &L, const OnnxNode &node, size_t i, int64_t channels) {
  if (!L.hasInput(node, i)) return;
  const OnnxTensor &b = *L.constant(node, i, "bias").tensor;
  const bool shape_ok = b.dims.size() == 1 || (b.dims.size() == 2 && b.dims[0] == 1);
  if (!shape_ok || b.element_count != channels)
    L.fail(6603, node,
           fmt::format("bias '{}' has shape {}; expected [{}], one value per output channel",
                       b.name, dimsText(b.dims), channels));
}

// ---------------------------------------------------------------- activation quantisation

// A clamp at 0 given by a quantisation of the output of layer `index` whose real range
// starts at 0 (datapath zero point -128: uint8 zero point 0, int8 zero point -128): what
// onnxruntime's quantiser leaves of a Relu it removes. It is the layer's ReLU unless the
// layer already clamps, or it is a pool or add of inputs that cannot be negative.
void implicitRelu(Lowering &L, const OnnxNode &node, int index, const ActivationQuant &q,
                  bool fusable) {
  if (q.modelDatapathZeroPoint() != -128) return;
  NetLayer &producer = L.layer(index);
  if (producer.activation != pf::Activation::None) return;
  if (producer.op == NetOp::AvgPool || producer.op == NetOp::GlobalAvgPool ||
      producer.op == NetOp::Add) {
    bool non_negative = true;
    for (int input : producer.input_layers) {
      const ActivationQuant &in = L.quantOf(input);
      non_negative =
          non_negative &&
          ((in.type != ActivationType::None && in.modelDatapathZeroPoint() == -128) ||
           (input != kNetworkInput && L.layer(input).activation != pf::Activation::None));
    }
    if (non_negative) return;
  }
  if (!fusable)
    L.fail(6515, node,
           fmt::format("quantises the output of layer '{}' ({}) as {}, whose range starts at 0: "
                       "that clamps it at 0 (a ReLU, as onnxruntime's quantiser leaves a Relu it "
                       "removes), but the layer's output is also used by another node, which "
                       "would see it unclamped",
                       producer.name, netOpName(producer.op), quantText(q)));
  producer.activation = pf::Activation::Relu;
  L.state(index).activated = true;
}

// A QuantizeLinear of host operator output `x` (DequantizeLinear -> op -> QuantizeLinear)
// gives the operator's output scale. The host writes int8 with zero point 0 (docs/host.md):
// a zero point that is not 0 on the datapath is resymmetrised, unless it clamps an output
// that can be negative. A transpose moves int8 values unchanged, so quantising its output
// with another scale than its input's would be a requantisation it does not do.
ActivationQuant quantizeHostOutput(Lowering &L, const OnnxNode &node, const ComputedTensor &x,
                                   ActivationQuant q) {
  NetLayer &producer = L.layer(x.layer);
  if (producer.op == NetOp::Transpose) {
    if (x.dequantized_scale > 0 && decimalOf(q.scale) != decimalOf(x.dequantized_scale))
      L.fail(6669, node,
             fmt::format("quantises the output of transpose '{}' with scale {}, but its input "
                         "was dequantised with scale {}: a transpose moves int8 values "
                         "unchanged (give both the same scale)",
                         producer.name, decimalOf(q.scale), decimalOf(x.dequantized_scale)));
    return q;
  }
  const int64_t z = q.modelDatapathZeroPoint();
  const bool signed_output = producer.op == NetOp::HardSwish || producer.op == NetOp::Mul;
  if (z == -128 && signed_output)
    L.fail(6670, node,
           fmt::format("quantises the output of host layer '{}' ({}) as {}, whose range starts "
                       "at 0: that clamps the operator's negative outputs at 0, which the host "
                       "operator does not do (quantise its output symmetric)",
                       producer.name, netOpName(producer.op), quantText(q)));
  if (z != 0) q.rule = ZeroPointRule::Resymmetrised;
  LayerState &state = L.state(x.layer);
  const double output =
      q.rule == ZeroPointRule::Resymmetrised ? q.datapathScale() : decimalOf(q.scale);
  if (state.output_scale_given && producer.host.output_scale != output)
    L.fail(6671, node,
           fmt::format("quantises the output of host layer '{}' ({}) with scale {}, but another "
                       "QuantizeLinear gives it {}: a host operator has one output scale",
                       producer.name, netOpName(producer.op), output, producer.host.output_scale));
  producer.host.output_scale = output;
  producer.output_quant = q;
  state.output_scale_given = true;
  state.output_quant_given = true;
  producer.host.default_scales = !state.input_scales_given;
  return q;
}

// Tensor `x` quantised as `q` by a QuantizeLinear (or the output of a QLinear op, whose
// raw output `x` is). Records how the layer that made the values quantises its output
// and returns the quantisation of the result. `fusable`: the quantised tensor is that
// layer's output used only here, so a clamp the quantisation implies may fuse into it.
ActivationQuant quantizeOutput(Lowering &L, const OnnxNode &node, const ComputedTensor &x,
                               ActivationQuant q, bool fusable) {
  const int64_t z = q.modelDatapathZeroPoint();
  if (x.layer == kNetworkInput) {
    ActivationQuant &input = L.quantOf(kNetworkInput);
    if (input.type != ActivationType::None && input.modelDatapathZeroPoint() != z)
      L.fail(6672, node,
             fmt::format("quantises the network input as {}, but it is also quantised as {}: "
                         "one tensor has one zero point",
                         quantText(q), quantText(input)));
    if (input.type == ActivationType::None) input = q;
    return q;
  }
  if (x.requantized && x.quant.type != ActivationType::None) {
    // Values quantised before (QuantizeLinear -> DequantizeLinear -> QuantizeLinear): no
    // layer requantises them, so the zero point must stay.
    if (x.quant.modelDatapathZeroPoint() != z)
      L.fail(6673, node,
             fmt::format("quantises '{}' as {}, but it holds values quantised as {}: no layer "
                         "requantises them in between (quantise with the same zero point)",
                         node.inputs[0], quantText(q), quantText(x.quant)));
    q.rule = x.quant.rule;
    return q;
  }
  NetLayer &producer = L.layer(x.layer);
  LayerState &state = L.state(x.layer);
  if (runsOnHost(producer.op) && producer.op != NetOp::Transpose)
    return quantizeHostOutput(L, node, x, q);
  if (producer.op == NetOp::Transpose) quantizeHostOutput(L, node, x, q);  // its scale check
  if (keepsQuantization(producer.op)) {
    ActivationQuant &kept = producer.output_quant;
    const bool concat = producer.op == NetOp::Concat;
    if (kept.type == ActivationType::None) {
      if (z != 0)
        L.fail(6674, node,
               fmt::format("quantises the output of layer '{}' ({}) as {}, but that layer keeps "
                           "its input's values and its input is not quantised: quantise the "
                           "input that way ({} does not requantise)",
                           producer.name, netOpName(producer.op), quantText(q),
                           netOpName(producer.op)));
      kept = q;
      state.output_quant_given = true;
      return q;
    }
    if (kept.modelDatapathZeroPoint() != z ||
        (concat && decimalOf(kept.scale) != decimalOf(q.scale)))
      L.fail(6675, node,
             fmt::format("quantises the output of layer '{}' ({}) as {}, but its input is "
                         "quantised as {}: {} keeps its input's values and does not "
                         "requantise{}",
                         producer.name, netOpName(producer.op), quantText(q), quantText(kept),
                         netOpName(producer.op),
                         concat ? " (a requantising concat: give every input and the output "
                                  "one scale and zero point)"
                                : " (quantise its output with its input's zero point)"));
    q.rule = kept.rule;
    return q;
  }
  if (state.output_quant_given) {
    if (producer.output_quant.modelDatapathZeroPoint() != z)
      L.fail(6676, node,
             fmt::format("quantises the output of layer '{}' ({}) as {}, but it is also "
                         "quantised as {}: one tensor has one zero point",
                         producer.name, netOpName(producer.op), quantText(q),
                         quantText(producer.output_quant)));
    return producer.output_quant;
  }
  producer.output_quant = q;
  state.output_quant_given = true;
  implicitRelu(L, node, x.layer, q, fusable);
  return q;
}

// The activations of QLinearConv (x, `roles`) and QLinearMatMul (a): the input's zero
// point must be the one the input tensor was quantised with; returns the output's (y).
ActivationQuant qlinearActivations(const Lowering &L, const OnnxNode &node, const ComputedTensor &x,
                                   std::pair<const char *, const char *> roles) {
  const ActivationQuant in =
      activationQuant(L, node, 1, 2, roles.first, roles.second, x.quant.type);
  checkSameZeroPoint(L, node, 0, x, in, roles.second);
  return activationQuant(L, node, 6, 7, "y_scale", "y_zero_point", in.type);
}

// Output 0 of a Conv/Gemm/MatMul (float) or QLinearConv/QLinearMatMul (quantised as `y`).
void defineWeightedOutput(Lowering &L, const OnnxNode &node, int index, std::vector<int64_t> dims,
                          bool quantized, const ActivationQuant &y) {
  ComputedTensor out{index, std::move(dims), true, quantized, y.scale, quantized};
  if (quantized) out.quant = quantizeOutput(L, node, ComputedTensor{index, out.dims}, y, true);
  L.define(node, 0, out);
}

// The output (ONNX shape `dims`) of layer `index`, which keeps the values of its input `x`
// (keepsQuantization: a max pool, relabelling or transpose): quantised as `x`.
ComputedTensor keptOutput(Lowering &L, int index, std::vector<int64_t> dims,
                          const ComputedTensor &x) {
  L.layer(index).output_quant = x.quant;
  ComputedTensor out{index, std::move(dims), true, x.int8, x.scale};
  out.dequantized_scale = x.dequantized_scale;
  out.quant = x.quant;
  return out;
}

// ---------------------------------------------------------------- layers

void lowerConv(Lowering &L, const OnnxNode &node) {
  const bool quantized = node.op_type == "QLinearConv";
  checkAttributes(L, node, {"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"});
  const ComputedTensor x = L.computed(node, 0);
  requireRank(L, node, x, 4, "a 2-D convolution takes [N, C, H, W]");
  ActivationQuant y;
  if (quantized) {
    if (!x.int8)
      L.fail(6677, node,
             fmt::format("input '{}' is float; QLinearConv takes an int8 or uint8 tensor",
                         node.inputs[0]));
    y = qlinearActivations(L, node, x, {"x_scale", "x_zero_point"});
  } else {
    requireFloat(L, node, x, 0);
  }
  const Constant w = quantized ? qlinearWeights(L, node, 3, 4, 5, 0) : L.constant(node, 1, "W");
  const OnnxTensor &wt = weightTensor(L, node, w, 4, "[M, C/group, kH, kW]");
  const int64_t c = x.dims[1], m = wt.dims[0], c_per_group = wt.dims[1];
  const int64_t group = intAttribute(L, node, "group", 1);
  NetLayer layer;
  if (group == 1) {
    if (c_per_group != c)
      L.fail(6604, node,
             fmt::format("weights '{}' {} take {} input channels but input '{}' {} has {}", wt.name,
                         dimsText(wt.dims), c_per_group, node.inputs[0], dimsText(x.dims), c));
    layer.op = NetOp::Conv2d;
  } else if (group < 1 || group > c || c % group != 0 || c_per_group * group != c ||
             m % group != 0) {
    L.fail(6605, node,
           fmt::format("group = {} does not fit input channels {} and weights {}", group, c,
                       dimsText(wt.dims)));
  } else if (group == c && m == c) {
    layer.op = NetOp::DepthwiseConv2d;
  } else if (group == c) {
    L.fail(6561, node,
           fmt::format("depthwise convolution with depth multiplier {} ({} outputs from {} "
                       "channels): only multiplier 1 is supported",
                       m / c, m, c));
  } else {
    L.fail(6550, node,
           fmt::format("grouped convolution (group = {} of {} channels): only dense (group = 1) "
                       "and depthwise (group = channels) convolutions are supported",
                       group, c));
  }
  const Window window = readWindow(L, node, x, std::pair{wt.dims[2], wt.dims[3]});
  checkBias(L, node, quantized ? 8 : 2, m);
  applyWindow(layer, window);
  layer.output_shape = {window.out_h, window.out_w, m};
  LayerState state = countWeights(L, node, w, 0, layer.weight_quant);
  const int index = L.addLayer(node, layer, {0}, std::move(state));
  defineWeightedOutput(L, node, index, {1, m, window.out_h, window.out_w}, quantized, y);
}

// Gemm, MatMul and QLinearMatMul with constant weights: a fully connected layer.
void lowerFullyConnected(Lowering &L, const OnnxNode &node) {
  const bool gemm = node.op_type == "Gemm";
  const bool quantized = node.op_type == "QLinearMatMul";
  const size_t b_input = quantized ? 3 : 1;
  if (gemm)
    checkAttributes(L, node, {"alpha", "beta", "transA", "transB"});
  else
    checkAttributes(L, node, {});
  if (L.isConstant(node, 0))
    L.fail(6551, node,
           "the left operand is a constant: only activation x constant weights (a fully "
           "connected layer) is supported");
  if (!L.isConstant(node, b_input))
    L.fail(6552, node,
           fmt::format("the weights (input {}, '{}') are computed at run time: only products "
                       "with constant weights (fully connected) are supported",
                       b_input, L.hasInput(node, b_input) ? node.inputs[b_input] : ""));
  const ComputedTensor x = L.computed(node, 0);
  requireRank(L, node, x, 2, "a fully connected layer takes [1, K] (insert a Flatten)");
  ActivationQuant y;
  if (quantized) {
    if (!x.int8)
      L.fail(6678, node,
             fmt::format("input '{}' is float; QLinearMatMul takes an int8 or uint8 tensor",
                         node.inputs[0]));
    y = qlinearActivations(L, node, x, {"a_scale", "a_zero_point"});
  } else {
    requireFloat(L, node, x, 0);
  }
  if (gemm && intAttribute(L, node, "transA", 0) != 0)
    L.fail(6580, node, "transA = 1 would multiply along the batch dimension");
  const bool trans_b = gemm && intAttribute(L, node, "transB", 0) != 0;
  const Constant w =
      quantized ? qlinearWeights(L, node, 3, 4, 5, 1) : L.constant(node, b_input, "weights");
  const OnnxTensor &wt = weightTensor(L, node, w, 2, trans_b ? "[N, K] (transB = 1)" : "[K, N]");
  const size_t out_axis = trans_b ? 0 : 1;
  const int64_t k = wt.dims[1 - out_axis], n = wt.dims[out_axis];
  if (k != x.dims[1])
    L.fail(6606, node,
           fmt::format("weights '{}' {} take {} inputs but input '{}' {} has {}", wt.name,
                       dimsText(wt.dims), k, node.inputs[0], dimsText(x.dims), x.dims[1]));
  if (gemm && floatAttribute(L, node, "alpha", 1.0f) == 0.0f)
    L.fail(6518, node, "alpha = 0 multiplies every weight by zero");
  if (gemm) checkBias(L, node, 2, n);
  NetLayer layer;
  layer.op = NetOp::FullyConnected;
  layer.output_shape = {1, 1, n};
  LayerState state = countWeights(L, node, w, out_axis, layer.weight_quant);
  const int index = L.addLayer(node, layer, {0}, std::move(state));
  defineWeightedOutput(L, node, index, {1, n}, quantized, y);
}

void lowerPool(Lowering &L, const OnnxNode &node) {
  const bool max = node.op_type == "MaxPool";
  if (max)
    checkAttributes(
        L, node,
        {"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"});
  else
    checkAttributes(L, node,
                    {"auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape",
                     "pads", "strides"});
  if (max && node.outputs.size() > 1 && L.uses(node.outputs[1]) > 0)
    L.fail(6553, node, "its Indices output is used: max unpooling is not supported");
  const ComputedTensor x = L.computed(node, 0);
  requireRank(L, node, x, 4, "pooling takes [N, C, H, W]");
  if (!max) requireFloat(L, node, x, 0);  // max commutes with int8 quantisation, averaging not
  const Window window = readWindow(L, node, x, std::nullopt);
  NetLayer layer;
  layer.op = max ? NetOp::MaxPool : NetOp::AvgPool;
  applyWindow(layer, window);
  layer.output_shape = {window.out_h, window.out_w, x.dims[1]};
  const int index = L.addLayer(node, layer, {0});
  const std::vector<int64_t> dims = {1, x.dims[1], window.out_h, window.out_w};
  // Max commutes with any quantisation (a monotone map): a max pool keeps its input's.
  L.define(node, 0, max ? keptOutput(L, index, dims, x) : ComputedTensor{index, dims, true});
}

// GlobalAveragePool and GlobalMaxPool: the accelerator's AVGPOOL or MAXPOOL with the
// whole plane as the window (both are float-only ops in ONNX).
void lowerGlobalPool(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {});
  const ComputedTensor x = L.computed(node, 0);
  requireRank(L, node, x, 4, "global pooling takes [N, C, H, W]");
  requireFloat(L, node, x, 0);
  NetLayer layer;
  layer.op = node.op_type == "GlobalMaxPool" ? NetOp::GlobalMaxPool : NetOp::GlobalAvgPool;
  layer.kernel_h = x.dims[2];
  layer.kernel_w = x.dims[3];
  layer.output_shape = {1, 1, x.dims[1]};
  const int index = L.addLayer(node, layer, {0});
  const std::vector<int64_t> dims = {1, x.dims[1], 1, 1};
  L.define(node, 0,
           layer.op == NetOp::GlobalMaxPool ? keptOutput(L, index, dims, x)
                                            : ComputedTensor{index, dims, true});
}

// An elementwise sum of two computed tensors: a residual add.
void lowerResidualAdd(Lowering &L, const OnnxNode &node) {
  const ComputedTensor a = L.computed(node, 0);
  const ComputedTensor b = L.computed(node, 1);
  requireFloat(L, node, a, 0);
  requireFloat(L, node, b, 1);
  if (a.dims != b.dims)
    L.fail(6607, node,
           fmt::format("input shapes differ: '{}' is {}, '{}' is {} (a residual add needs equal "
                       "shapes; no broadcasting)",
                       node.inputs[0], dimsText(a.dims), node.inputs[1], dimsText(b.dims)));
  NetLayer layer;
  layer.op = NetOp::Add;
  layer.output_shape = hwcShape(a.dims);
  const int index = L.addLayer(node, layer, {0, 1});
  L.define(node, 0, ComputedTensor{index, a.dims, true, false, 0});
}

// The layer `what` folds into: one with weights whose activation is not applied yet.
int weightedFoldTarget(Lowering &L, const OnnxNode &node, size_t i, const std::string &what) {
  const int index = L.foldTarget(node, i, what);
  const NetLayer &producer = L.layer(index);
  if (!hasWeights(producer.op))
    L.fail(6645, node,
           fmt::format("{} folds only into a preceding Conv, Gemm or MatMul; its input comes "
                       "from layer '{}' ({})",
                       what, producer.name, netOpName(producer.op)));
  if (L.state(index).activated)
    L.fail(6646, node,
           fmt::format("layer '{}' already applies its activation ({}) before this node, so {} "
                       "cannot fold into its weights and bias",
                       producer.name, activationName(producer.activation), what));
  if (L.computed(node, i).requantized)
    L.fail(6647, node,
           fmt::format("the output of layer '{}' is quantised (QuantizeLinear or a QLinear op) "
                       "before this node, so folding {} into its weights and bias would change "
                       "the result; fold it before quantising",
                       producer.name, what));
  return index;
}

// Whether constant `b` broadcasts (right-aligned) onto `dims` as one value per channel:
// C at axis 1 and 1 everywhere else.
bool perChannelConstant(const OnnxTensor &b, const std::vector<int64_t> &dims) {
  bool per_channel = b.dims.size() <= dims.size() && b.element_count == dims[1];
  for (size_t d = 0; per_channel && d < b.dims.size(); ++d) {
    const size_t axis = dims.size() - b.dims.size() + d;
    per_channel = b.dims[d] == (axis == 1 ? dims[1] : 1);
  }
  return per_channel;
}

// A constant added to a convolution or fully connected output: its bias.
void foldBias(Lowering &L, const OnnxNode &node, size_t act_input, size_t bias_input) {
  weightedFoldTarget(L, node, act_input, "a constant Add (bias)");
  const ComputedTensor x = L.computed(node, act_input);
  const OnnxTensor &b = *L.constant(node, bias_input, "bias").tensor;
  if (!perChannelConstant(b, x.dims))
    L.fail(6608, node,
           fmt::format("the constant '{}' {} is not a per-channel bias of '{}' {}", b.name,
                       dimsText(b.dims), node.inputs[act_input], dimsText(x.dims)));
  ComputedTensor out = x;
  out.fusable = true;
  L.define(node, 0, out);
}

void lowerAdd(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {});
  const bool c0 = L.isConstant(node, 0), c1 = L.isConstant(node, 1);
  if (c0 && c1)
    L.fail(6554, node, "both operands are constants (fold constant subgraphs before export)");
  if (c0 || c1)
    foldBias(L, node, c0 ? 1 : 0, c0 ? 0 : 1);
  else
    lowerResidualAdd(L, node);
}

void lowerBatchNormalization(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {"epsilon", "momentum", "spatial", "training_mode"});
  if (intAttribute(L, node, "training_mode", 0) != 0)
    L.fail(6581, node,
           "training_mode = 1: export the model in inference mode (running statistics)");
  if (intAttribute(L, node, "spatial", 1) != 1)
    L.fail(6582, node,
           "spatial = 0 normalises per element, which cannot fold into per-channel weights");
  for (size_t o = 1; o < node.outputs.size(); ++o)
    if (L.uses(node.outputs[o]) > 0)
      L.fail(
          6648, node,
          fmt::format("its training output '{}' is used, so it cannot be folded", node.outputs[o]));
  const int index = weightedFoldTarget(L, node, 0, "BatchNormalization");
  const ComputedTensor x = L.computed(node, 0);
  requireFloat(L, node, x, 0);
  const int64_t channels = x.dims[1];
  const char *const roles[] = {"scale", "B", "mean", "var"};
  std::vector<const OnnxTensor *> params;
  for (size_t i = 0; i < 4; ++i) {
    const OnnxTensor &t = *L.constant(node, i + 1, roles[i]).tensor;
    if (!isFloatType(t.data_type) || t.element_count != channels || t.dims.size() != 1)
      L.fail(6609, node,
             fmt::format("{} ('{}') is {} {}; expected {} values, one per channel of '{}' {}",
                         roles[i], t.name, dataTypeName(t.data_type), dimsText(t.dims), channels,
                         node.inputs[0], dimsText(x.dims)));
    params.push_back(&t);
  }
  const double epsilon = floatAttribute(L, node, "epsilon", 1e-5f);
  LayerState &state = L.state(index);
  for (int64_t c = 0; c < channels; ++c) {
    const double variance = params[3]->real(c) + epsilon;
    const double factor = params[0]->real(c) / std::sqrt(variance);
    if (!(variance > 0) || !std::isfinite(factor))
      L.fail(
          6649, node,
          fmt::format("channel {}: var + epsilon = {} gives no finite scale to fold", c, variance));
    // A zero factor zeroes the whole output channel's weights after folding.
    if (factor == 0) state.zeroed[static_cast<size_t>(c)] = true;
  }
  ComputedTensor out = x;
  out.fusable = true;
  L.define(node, 0, out);
}

// Relu, or Clip as ReLU (0, +inf) or ReLU6 (0, 6); on an int8 tensor the bounds are in
// quantised units (ReLU6 = round(6 / scale)).
pf::Activation activationOf(const Lowering &L, const OnnxNode &node, const ComputedTensor &x) {
  if (node.op_type == "Relu") {
    checkAttributes(L, node, {});
    if (x.int8 && x.quant.zero_point != 0)
      L.fail(6679, node,
             fmt::format("Relu of '{}', quantised as {}, clamps at the integer 0, which is the "
                         "real value {}, not 0 (use Clip with min = the zero point, or a "
                         "float Relu between DequantizeLinear and QuantizeLinear)",
                         node.inputs[0], quantText(x.quant),
                         static_cast<double>(-x.quant.zero_point) * x.quant.scale));
    return pf::Activation::Relu;
  }
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  if (L.opset() < 11) {
    checkAttributes(L, node, {"min", "max"});
    low = floatAttribute(L, node, "min", std::numeric_limits<float>::lowest());
    high = floatAttribute(L, node, "max", std::numeric_limits<float>::max());
  } else {
    checkAttributes(L, node, {});
    if (L.hasInput(node, 1)) low = scalarConstant(L, node, 1, "min");
    if (L.hasInput(node, 2)) high = scalarConstant(L, node, 2, "max");
  }
  const auto reject = [&](const std::string &detail) {
    L.fail(6583, node,
           fmt::format("Clip(min = {}, max = {}) is neither ReLU (0, +inf) nor ReLU6 (0, 6){}: "
                       "the requantisation clamp is the accelerator's only nonlinearity",
                       low, high, detail));
  };
  if (x.int8) {  // bounds in quantised units: real 0 is the zero point
    const auto zero = static_cast<double>(x.quant.zero_point);
    const double top = x.quant.type == ActivationType::Uint8 ? 255 : 127;
    const std::string type = activationTypeName(x.quant.type);
    if (low != zero)
      reject(fmt::format(" on an {} tensor with zero point {} (ReLU is min = {})", type,
                         x.quant.zero_point, x.quant.zero_point));
    if (high >= top) return pf::Activation::Relu;
    const double six = x.scale > 0 ? std::min(top, zero + std::nearbyint(6.0 / x.scale)) : -1;
    if (high == six) return pf::Activation::Relu6;
    reject(x.scale > 0 ? fmt::format(" on an {} tensor of scale {} and zero point {} (ReLU6 is "
                                     "max = {})",
                                     type, x.scale, x.quant.zero_point, six)
                       : fmt::format(" on an {} tensor of unknown scale", type));
  }
  if (low != 0) reject("");
  if (high >= std::numeric_limits<float>::max()) return pf::Activation::Relu;
  if (high == 6) return pf::Activation::Relu6;
  reject("");
  return pf::Activation::None;
}

void lowerActivation(Lowering &L, const OnnxNode &node) {
  const ComputedTensor x = L.computed(node, 0);
  const pf::Activation kind = activationOf(L, node, x);
  const int index = L.foldTarget(node, 0, node.op_type);
  NetLayer &producer = L.layer(index);
  if (isShapeOnly(producer.op))
    L.fail(6650, node,
           fmt::format("follows layer '{}' ({}), which only relabels its input; the activation "
                       "must follow the layer that computes the tensor",
                       producer.name, netOpName(producer.op)));
  if (runsOnHost(producer.op))
    L.fail(6651, node,
           fmt::format("follows layer '{}' ({}), a host operator: host operators have no fused "
                       "activation (ReLU/ReLU6 is the accelerator's requantisation clamp)",
                       producer.name, netOpName(producer.op)));
  // Clamps compose exactly: ReLU after ReLU6 (or the reverse) is ReLU6.
  if (producer.activation == pf::Activation::None || kind == pf::Activation::Relu6)
    producer.activation = kind;
  L.state(index).activated = true;
  ComputedTensor out = x;
  out.fusable = true;
  L.define(node, 0, out);
}

// ---------------------------------------------------------------- host operators

// The scale of a host operator's (float) input when the model gives it: that of the
// DequantizeLinear that made the tensor.
std::optional<double> givenScale(const ComputedTensor &x) {
  if (!x.int8 && x.dequantized_scale > 0) return decimalOf(x.dequantized_scale);
  return std::nullopt;
}

// Appends host operator `layer` (op, output shape and op parameters set) reading the
// node's inputs `inputs` in the layer's operand order. Input scales come from the model
// where it gives them, else from defaultHostParams(); the output scale is the default
// until a QuantizeLinear of the output gives it (quantizeHostOutput), and default_scales
// stays true unless every scale came from the model.
int addHostLayer(Lowering &L, const OnnxNode &node, NetLayer layer,
                 const std::vector<size_t> &inputs) {
  const HostParams defaults = defaultHostParams(layer.op);
  HostParams &p = layer.host;
  p.input_scale = defaults.input_scale;
  p.input2_scale = defaults.input2_scale;
  p.output_scale = defaults.output_scale;
  p.default_scales = true;
  LayerState state;
  state.input_scales_given = true;
  for (size_t k = 0; k < inputs.size(); ++k) {
    const ComputedTensor &x = L.computed(node, inputs[k]);
    if (x.quant.type != ActivationType::None && x.quant.rule != ZeroPointRule::Resymmetrised &&
        x.quant.modelDatapathZeroPoint() != 0)
      L.fail(6680, node,
             fmt::format("input '{}' is quantised as {}, which is int8 with zero point {} on the "
                         "datapath; the host operators compute with zero point 0 (docs/host.md), "
                         "so quantise this tensor symmetric (int8 zero point 0 or uint8 zero "
                         "point 128; onnxruntime: ActivationSymmetric)",
                         node.inputs[inputs[k]], quantText(x.quant),
                         x.quant.modelDatapathZeroPoint()));
    const std::optional<double> scale = givenScale(x);
    if (scale)
      (k == 0 ? p.input_scale : p.input2_scale) = *scale;
    else
      state.input_scales_given = false;
  }
  return L.addLayer(node, std::move(layer), inputs, std::move(state));
}

// Output 0 of a host operator: a float tensor (its QuantizeLinear, if any, follows).
void defineHostOutput(Lowering &L, const OnnxNode &node, int index,
                      const std::vector<int64_t> &dims) {
  L.define(node, 0, ComputedTensor{index, dims, true, false, 0});
}

// The HWC axis (0 = H, 1 = W, 2 = C) of NCHW axis `axis` (1..3) of a rank-`rank` tensor.
int hwcAxis(int64_t axis, size_t rank) {
  if (rank == 2) return 2;
  return axis == 1 ? 2 : static_cast<int>(axis) - 2;
}

// Softmax along one axis. From opset 13 `axis` (default -1) is the axis; before, the
// input is coerced to 2-D [prod(dims[:axis]), prod(dims[axis:])] (default axis 1) and
// normalised over the second dimension, which is a single-axis softmax only when at
// most one of dims[axis:] is above 1.
void lowerSoftmax(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {"axis"});
  const ComputedTensor x = L.computed(node, 0);
  requireFloat(L, node, x, 0);
  const auto rank = static_cast<int64_t>(x.dims.size());
  const bool coerced = L.opset() < 13;
  const int64_t given = intAttribute(L, node, "axis", coerced ? 1 : -1);
  const int64_t axis = given < 0 ? given + rank : given;
  if (axis < 0 || axis >= rank)
    L.fail(6584, node,
           fmt::format("axis {} is outside the rank {} of input '{}' {}", given, rank,
                       node.inputs[0], dimsText(x.dims)));
  int64_t along = axis;
  if (coerced) {
    std::vector<int64_t> wide;  // dimensions above 1 in the normalised range
    for (int64_t d = std::max<int64_t>(axis, 1); d < rank; ++d)
      if (x.dims[static_cast<size_t>(d)] > 1) wide.push_back(d);
    if (wide.size() > 1) {
      int64_t count = 1;
      for (int64_t d = axis; d < rank; ++d) count *= x.dims[static_cast<size_t>(d)];
      L.fail(6625, node,
             fmt::format("opset {} Softmax (axis {}) normalises dimensions {}..{} of {} together "
                         "as one vector of {} elements; the host's softmax runs along one axis "
                         "(export with opset 13 or later, or give it a tensor with one dimension "
                         "above 1 from the axis on, such as [1,N] or [1,C,1,1])",
                         L.opset(), given, axis, rank - 1, dimsText(x.dims), count));
    }
    along = wide.empty() ? rank - 1 : wide[0];
  } else if (axis == 0) {
    L.fail(6626, node,
           fmt::format("axis {} normalises over the batch axis of {}; the network model has no "
                       "batch axis (batch 1): softmax along C, H or W",
                       given, dimsText(x.dims)));
  }
  NetLayer layer;
  layer.op = NetOp::Softmax;
  layer.output_shape = hwcShape(x.dims);
  layer.host.axis = hwcAxis(along, x.dims.size());
  defineHostOutput(L, node, addHostLayer(L, node, layer, {0}), x.dims);
}

// Sigmoid, HardSigmoid (alpha, beta) and HardSwish: elementwise, same shape.
void lowerElementwiseHost(Lowering &L, const OnnxNode &node) {
  NetLayer layer;
  if (node.op_type == "HardSigmoid") {
    checkAttributes(L, node, {"alpha", "beta"});
    layer.op = NetOp::HardSigmoid;
    layer.host.alpha = decimalOf(floatAttribute(L, node, "alpha", 0.2f));
    layer.host.beta = decimalOf(floatAttribute(L, node, "beta", 0.5f));
    if (!std::isfinite(layer.host.alpha) || !std::isfinite(layer.host.beta))
      L.fail(6585, node,
             fmt::format("alpha {} and beta {} must be finite", layer.host.alpha, layer.host.beta));
  } else {
    checkAttributes(L, node, {});
    layer.op = node.op_type == "Sigmoid" ? NetOp::Sigmoid : NetOp::HardSwish;
  }
  if (layer.op == NetOp::HardSwish && L.opset() < 14)
    L.fail(6555, node,
           fmt::format("HardSwish is an opset 14 operator, but the model imports opset {}",
                       L.opset()));
  const ComputedTensor x = L.computed(node, 0);
  requireFloat(L, node, x, 0);
  layer.output_shape = hwcShape(x.dims);
  defineHostOutput(L, node, addHostLayer(L, node, layer, {0}), x.dims);
}

// A computed tensor times a constant. The host's Mul multiplies two computed tensors;
// a constant factor is only accepted where it changes nothing (all ones) or folds
// exactly (one value, or one per channel, right after a Conv/Gemm/MatMul: it scales that
// layer's weights and bias, as a BatchNormalization does).
void foldConstantMul(Lowering &L, const OnnxNode &node, size_t act_input, size_t const_input) {
  const ComputedTensor x = L.computed(node, act_input);
  requireFloat(L, node, x, act_input);
  const OnnxTensor &k = *L.constant(node, const_input, "factor").tensor;
  const bool single = k.element_count == 1 && k.dims.size() <= x.dims.size();
  if (!isFloatType(k.data_type) || !(single || perChannelConstant(k, x.dims)))
    L.fail(6556, node,
           fmt::format("multiplies '{}' {} by the constant '{}' ({} {}): the host's Mul takes two "
                       "computed tensors, and a constant factor folds into the preceding "
                       "Conv/Gemm/MatMul only as a float scalar or one value per channel",
                       node.inputs[act_input], dimsText(x.dims), k.name, dataTypeName(k.data_type),
                       dimsText(k.dims)));
  bool ones = true;
  for (int64_t i = 0; i < k.element_count; ++i) ones = ones && k.real(i) == 1.0;
  if (ones) {  // multiplying by one: the identity
    L.passThrough(node, act_input, false, 0, x.dequantized_scale);
    return;
  }
  const int index = weightedFoldTarget(L, node, act_input, "a constant Mul (scale)");
  LayerState &state = L.state(index);
  for (int64_t c = 0; c < x.dims[1]; ++c) {
    const double factor = k.real(single ? 0 : c);
    if (!std::isfinite(factor))
      L.fail(6652, node,
             fmt::format("the factor of channel {} is {}: no finite scale to fold", c, factor));
    if (factor == 0) state.zeroed[static_cast<size_t>(c)] = true;
  }
  ComputedTensor out = x;
  out.fusable = true;
  L.define(node, 0, out);
}

// Mul of two computed tensors: the host's elementwise product, whose second operand may
// broadcast to the first (HxWxC, 1x1xC, HxWx1 or 1x1x1). ONNX broadcasts either operand
// (right-aligned); the product commutes, so the operand that keeps the result's shape
// becomes the first.
void lowerMul(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {});
  const bool c0 = L.isConstant(node, 0), c1 = L.isConstant(node, 1);
  if (c0 && c1)
    L.fail(6554, node, "both operands are constants (fold constant subgraphs before export)");
  if (c0 || c1) {
    foldConstantMul(L, node, c0 ? 1 : 0, c0 ? 0 : 1);
    return;
  }
  const ComputedTensor a = L.computed(node, 0), b = L.computed(node, 1);
  requireFloat(L, node, a, 0);
  requireFloat(L, node, b, 1);
  const size_t rank = std::max(a.dims.size(), b.dims.size());
  std::vector<int64_t> result(rank, 1);
  for (size_t d = 0; d < rank; ++d) {
    const int64_t da = d + a.dims.size() >= rank ? a.dims[d + a.dims.size() - rank] : 1;
    const int64_t db = d + b.dims.size() >= rank ? b.dims[d + b.dims.size() - rank] : 1;
    if (da != db && da != 1 && db != 1)
      L.fail(6610, node,
             fmt::format("'{}' {} and '{}' {} do not broadcast together", node.inputs[0],
                         dimsText(a.dims), node.inputs[1], dimsText(b.dims)));
    result[d] = std::max(da, db);
  }
  const std::string why =
      "the host's Mul broadcasts its second operand to the first only as [1,C,H,W] "
      "(equal), [1,C,1,1] (1x1xC), [1,1,H,W] (HxWx1) or a single value (1x1x1)";
  size_t first = 0, second = 1;
  if (result == b.dims && result != a.dims) std::swap(first, second);
  const ComputedTensor &big = first == 0 ? a : b, &small = first == 0 ? b : a;
  if (result != big.dims)
    L.fail(6627, node,
           fmt::format("'{}' {} times '{}' {} broadcasts both operands to {}: {}", node.inputs[0],
                       dimsText(a.dims), node.inputs[1], dimsText(b.dims), dimsText(result), why));
  const TensorShape sa = hwcShape(big.dims), sb = hwcShape(small.dims);
  bool ok = small.dims.size() == big.dims.size()
                ? ((sb.h == 1 && sb.w == 1) || (sb.h == sa.h && sb.w == sa.w)) &&
                      (sb.c == 1 || sb.c == sa.c)
                : small.dims[1] == 1;  // [1,1] on [1,C,H,W]; [1,N] would run along W
  if (!ok)
    L.fail(6628, node,
           fmt::format("'{}' {} does not broadcast to '{}' {} as the host can: {}{}",
                       node.inputs[second], dimsText(small.dims), node.inputs[first],
                       dimsText(big.dims), why,
                       small.dims.size() < big.dims.size()
                           ? " (a [1,N] operand broadcasts along W in ONNX; reshape it to "
                             "[1,N,1,1] to scale channels)"
                           : ""));
  NetLayer layer;
  layer.op = NetOp::Mul;
  layer.output_shape = sa;
  defineHostOutput(L, node, addHostLayer(L, node, layer, {first, second}), big.dims);
}

// Transpose of [1, C, H, W] with the batch axis kept first: a permutation of H, W and C.
// It moves int8 values unchanged: an int8 input gives an int8 output of the same scale,
// and like the TOML transpose it carries no scales of its own (the scale fields keep
// defaultHostParams' values and default_scales is false: nothing is defaulted).
void lowerTranspose(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {"perm"});
  const ComputedTensor x = L.computed(node, 0);
  const size_t rank = x.dims.size();
  const std::optional<std::vector<int64_t>> given = intsAttribute(L, node, "perm");
  std::vector<int64_t> perm;
  for (size_t d = 0; d < rank; ++d) perm.push_back(static_cast<int64_t>(rank - 1 - d));
  if (given) perm = *given;
  std::vector<int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  bool permutation = sorted.size() == rank;
  for (size_t d = 0; permutation && d < rank; ++d)
    permutation = sorted[d] == static_cast<int64_t>(d);
  if (!permutation)
    L.fail(6586, node,
           fmt::format("perm {} is not a permutation of the {} axes of '{}' {}", dimsText(perm),
                       rank, node.inputs[0], dimsText(x.dims)));
  if (perm[0] != 0)
    L.fail(6629, node,
           fmt::format("perm {}{} moves the batch axis of '{}' {}: the network model has no "
                       "batch axis, so only permutations of C, H and W with the batch axis "
                       "first ([0, ...]) are supported",
                       dimsText(perm), given ? "" : " (no perm: ONNX reverses every axis)",
                       node.inputs[0], dimsText(x.dims)));
  std::vector<int64_t> dims = x.dims;
  NetLayer layer;
  layer.op = NetOp::Transpose;
  layer.host = defaultHostParams(NetOp::Transpose);
  layer.host.default_scales = false;
  if (rank == 4) {
    for (size_t d = 1; d < 4; ++d) dims[d] = x.dims[static_cast<size_t>(perm[d])];
    // Output H, W, C are ONNX output axes 2, 3, 1.
    layer.host.perm = {hwcAxis(perm[2], 4), hwcAxis(perm[3], 4), hwcAxis(perm[1], 4)};
  }
  layer.output_shape = hwcShape(dims);
  const int index = L.addLayer(node, layer, {0});
  ComputedTensor out = keptOutput(L, index, dims, x);
  out.dequantized_scale = x.int8 ? 0 : x.dequantized_scale;
  L.define(node, 0, out);
}

// ---------------------------------------------------------------- shape-only layers

// Concat along channels: NetOp::Concat, a relabelling of its inputs' channels in input
// order. The values do not change, so every input must be quantised alike (one scale and
// one datapath zero point), which the output keeps. A one-input Concat is the identity.
void lowerConcat(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {"axis"});
  const size_t count = node.inputs.size();
  if (count == 0) L.fail(6503, node, "Concat needs at least one input");
  const ComputedTensor first = L.computed(node, 0);
  const auto rank = static_cast<int64_t>(first.dims.size());
  const OnnxAttribute *given = node.attribute("axis");
  if (!given && L.opset() >= 4) L.fail(6587, node, "attribute 'axis' is required (from opset 4)");
  const int64_t written = intAttribute(L, node, "axis", 1);  // opset < 4: default 1
  const int64_t axis = written < 0 ? written + rank : written;
  if (axis < 0 || axis >= rank)
    L.fail(6584, node,
           fmt::format("axis {} is outside the rank {} of input '{}' {}", written, rank,
                       node.inputs[0], dimsText(first.dims)));
  if (axis != 1) {
    const char *what = axis == 0 ? "the batch axis" : axis == 2 ? "height" : "width";
    L.fail(6557, node,
           fmt::format("concatenates along {} (axis {} of '{}' {}): the network model's concat "
                       "joins channels only (axis 1, or -{} here), a relabelling of the "
                       "channel blocks; {}",
                       what, written, node.inputs[0], dimsText(first.dims), rank - 1,
                       axis == 0 ? "the network model runs one sample (batch 1)"
                                 : "joining along height or width moves rows (along width "
                                   "it interleaves the inputs' rows in HWC memory), which is "
                                   "not a relabelling in HWC and no layer does"));
  }
  if (count > 64)
    L.fail(6630, node,
           fmt::format("{} inputs: the network model's concat joins 2..64 tensors", count));
  int64_t channels = 0;
  std::vector<size_t> inputs;
  for (size_t i = 0; i < count; ++i) {
    const ComputedTensor &x = L.computed(node, i);
    bool same = x.dims.size() == first.dims.size();
    for (size_t d = 0; same && d < x.dims.size(); ++d) same = d == 1 || x.dims[d] == first.dims[d];
    if (!same)
      L.fail(6611, node,
             fmt::format("input '{}' is {} but '{}' is {}: concatenating channels needs equal "
                         "height and width (and rank)",
                         node.inputs[i], dimsText(x.dims), node.inputs[0], dimsText(first.dims)));
    if (x.int8 != first.int8)
      L.fail(6681, node,
             fmt::format("input '{}' is {} but '{}' is {}: quantise every input alike",
                         node.inputs[i], x.int8 ? "quantised" : "float", node.inputs[0],
                         first.int8 ? "quantised" : "float"));
    // One scale and datapath zero point: a concat does not requantise.
    const ActivationQuant &q = x.quant, &q0 = first.quant;
    const bool known = q.type != ActivationType::None, known0 = q0.type != ActivationType::None;
    if (known != known0 || (known && (decimalOf(q.scale) != decimalOf(q0.scale) ||
                                      q.modelDatapathZeroPoint() != q0.modelDatapathZeroPoint())))
      L.fail(6682, node,
             fmt::format("input '{}' is {} but '{}' is {}: a concat relabels channels without "
                         "requantising, so every input needs the same scale and zero point (a "
                         "requantising concat is not supported)",
                         node.inputs[i], known ? quantText(q) : std::string("not quantised"),
                         node.inputs[0], known0 ? quantText(q0) : std::string("not quantised")));
    channels += x.dims[1];
    inputs.push_back(i);
  }
  if (count == 1) {
    L.passThrough(node, 0, first.int8, first.scale, first.dequantized_scale);
    return;
  }
  std::vector<int64_t> dims = first.dims;
  dims[1] = channels;
  NetLayer layer;
  layer.op = NetOp::Concat;
  layer.output_shape = hwcShape(dims);
  const int index = L.addLayer(node, layer, inputs);
  L.define(node, 0, keptOutput(L, index, dims, first));
}

void lowerFlatten(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {"axis"});
  const ComputedTensor x = L.computed(node, 0);
  const auto rank = static_cast<int64_t>(x.dims.size());
  int64_t axis = intAttribute(L, node, "axis", 1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis > rank)
    L.fail(6588, node, fmt::format("axis {} is outside the rank {} of its input", axis, rank));
  int64_t lead = 1, total = 1;
  for (int64_t d = 0; d < rank; ++d) {
    total *= x.dims[static_cast<size_t>(d)];
    if (d < axis) lead *= x.dims[static_cast<size_t>(d)];
  }
  if (lead != 1)
    L.fail(6631, node,
           fmt::format("axis {} flattens {} into [{},{}]; the result must be [1, N]", axis,
                       dimsText(x.dims), lead, total / lead));
  NetLayer layer;
  layer.op = NetOp::Flatten;
  layer.output_shape = {1, 1, total};
  const int index = L.addLayer(node, layer, {0});
  L.define(node, 0, keptOutput(L, index, {1, total}, x));  // a relabelling keeps the values
}

// ONNX relabels elements in NCHW order, the network model in HWC order. The two agree
// when a tensor has one spatial position or one channel; any other 4-D reshape would
// move elements differently, so it is refused. A reshape to [1, N] is a flatten, whose
// CHW order only permutes the inputs of the fully connected layer that consumes it.
bool layoutNeutral(const TensorShape &shape) { return shape.h * shape.w == 1 || shape.c == 1; }

std::vector<int64_t> reshapeTarget(const Lowering &L, const OnnxNode &node,
                                   const ComputedTensor &x) {
  std::vector<int64_t> spec;
  if (L.opset() < 5) {
    spec = intsAttribute(L, node, "shape").value_or(std::vector<int64_t>{});
  } else {
    const OnnxTensor &t = *L.constant(node, 1, "shape").tensor;
    if (t.data_type != kInt64 || t.dims.size() != 1)
      L.fail(6612, node,
             fmt::format("shape ('{}') is {} {}; expected a 1-D INT64 tensor", t.name,
                         dataTypeName(t.data_type), dimsText(t.dims)));
    for (int64_t k = 0; k < t.element_count; ++k) spec.push_back(t.integer(k));
  }
  const bool allow_zero = intAttribute(L, node, "allowzero", 0) != 0;
  int64_t total = 1, known = 1;
  for (int64_t dim : x.dims) total *= dim;
  std::vector<int64_t> target = spec;
  int infer = -1;
  for (size_t d = 0; d < spec.size(); ++d) {
    if (spec[d] == 0 && !allow_zero) {
      if (d >= x.dims.size())
        L.fail(6613, node,
               fmt::format("shape {} copies dimension {} (0), which {} does not have",
                           dimsText(spec), d, dimsText(x.dims)));
      target[d] = x.dims[d];
    } else if (spec[d] == -1 && infer < 0) {
      infer = static_cast<int>(d);
      continue;
    } else if (spec[d] < 1 || spec[d] > kMaxDimension) {
      L.fail(6614, node, fmt::format("shape {}: dimension {} is {}", dimsText(spec), d, spec[d]));
    }
    if (__builtin_mul_overflow(known, target[d], &known) || known > total)
      L.fail(6615, node,
             fmt::format("cannot reshape '{}' {} ({} elements) to {}", node.inputs[0],
                         dimsText(x.dims), total, dimsText(spec)));
  }
  if (infer >= 0 && total % known == 0) target[static_cast<size_t>(infer)] = total / known;
  int64_t count = 1;
  for (int64_t dim : target) count *= dim;
  if ((infer >= 0 && total % known != 0) || count != total)
    L.fail(6615, node,
           fmt::format("cannot reshape '{}' {} ({} elements) to {}", node.inputs[0],
                       dimsText(x.dims), total, dimsText(spec)));
  return target;
}

// Output 0 of `node` is input 0 `x` relabelled to the ONNX shape `target` (Reshape,
// Squeeze, Unsqueeze): no layer when the HWC shape stays the same, otherwise a reshape
// layer if the relabelling is the same in NCHW and HWC order; refused otherwise.
void defineRelabelled(Lowering &L, const OnnxNode &node, const ComputedTensor &x,
                      const std::vector<int64_t> &target, bool layer_always = true) {
  if ((target.size() != 2 && target.size() != 4) || target[0] != 1)
    L.fail(6632, node,
           fmt::format("{} {} to {}; the network model's tensors are [1, C] or [1, C, H, W]",
                       node.op_type == "Reshape" ? "reshapes" : "relabels", dimsText(x.dims),
                       dimsText(target)));
  const TensorShape in = hwcShape(x.dims), out = hwcShape(target);
  if (target.size() == 4 && !(layoutNeutral(in) && layoutNeutral(out)))
    L.fail(6633, node,
           fmt::format("reshaping {} to {} moves elements differently in ONNX's NCHW order and "
                       "the accelerator's HWC order",
                       dimsText(x.dims), dimsText(target)));
  if (!layer_always && in == out) {  // the same HWC tensor: nothing to do
    ComputedTensor same = x;
    same.dims = target;
    same.fusable = x.fusable && L.uses(node.inputs[0]) == 1;
    L.define(node, 0, same);
    return;
  }
  NetLayer layer;
  layer.op = NetOp::Reshape;
  layer.output_shape = out;
  const int index = L.addLayer(node, layer, {0});
  L.define(node, 0, keptOutput(L, index, target, x));  // a relabelling keeps the values
}

void lowerReshape(Lowering &L, const OnnxNode &node) {
  if (L.opset() < 5)
    checkAttributes(L, node, {"shape", "consumed_inputs"});
  else
    checkAttributes(L, node, {"allowzero"});
  const ComputedTensor x = L.computed(node, 0);
  const std::vector<int64_t> target = reshapeTarget(L, node, x);
  defineRelabelled(L, node, x, target);
}

// ---------------------------------------------------------------- pass-throughs

void lowerQuantize(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {"axis", "saturate", "block_size", "output_dtype"});
  checkNoBlocks(L, node);
  const int64_t output_type = intAttribute(L, node, "output_dtype", 0);
  if (output_type != 0 && output_type != kInt8 && output_type != kUint8)
    L.fail(6683, node,
           fmt::format("output_dtype {}: activations are quantised as int8 or uint8 and weights "
                       "as int8",
                       dataTypeName(static_cast<int32_t>(output_type))));
  if (L.isConstant(node, 0)) {  // weights stored as float and quantised in the graph
    const Constant &x = L.constant(node, 0, "x");
    if (x.int8_domain || x.quantized || !isFloatType(x.tensor->data_type))
      L.fail(6684, node,
             fmt::format("quantises '{}', which is not a float constant", node.inputs[0]));
    if (output_type == kUint8)
      L.fail(6685, node,
             fmt::format("quantises the weights '{}' as UINT8: {}", node.inputs[0],
                         kSymmetricWeights));
    Constant q = x;
    q.scales = readScales(L, node, 1, "y_scale");
    q.axis = quantAxis(L, node, *x.tensor, q.scales.size());
    checkZeroPoints(L, node, 2, q.scales.size(), "y_zero_point", output_type != kInt8);
    q.int8_domain = q.quantized = q.quantize_from_float = true;
    L.define(node, 0, q);
    return;
  }
  const ComputedTensor &x = L.computed(node, 0);
  if (x.int8)
    L.fail(6686, node, fmt::format("quantises '{}', which is already quantised", node.inputs[0]));
  // Without a zero point (or output_dtype) QuantizeLinear gives uint8 with zero point 0.
  const ActivationQuant given =
      activationQuant(L, node, 1, 2, "y_scale", "y_zero_point",
                      output_type == kInt8 ? ActivationType::Int8 : ActivationType::Uint8);
  if (output_type != 0 && given.type != activationType(static_cast<int32_t>(output_type)))
    L.fail(6616, node,
           fmt::format("output_dtype {} differs from the zero point's type {}",
                       dataTypeName(static_cast<int32_t>(output_type)),
                       activationTypeName(given.type)));
  const ActivationQuant q =
      quantizeOutput(L, node, x, given, x.fusable && L.uses(node.inputs[0]) == 1);
  L.passThrough(node, 0, true, q.scale, 0, q);
}

void lowerDequantize(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {"axis", "block_size"});
  checkNoBlocks(L, node);
  if (!L.isConstant(node, 0)) {
    const ComputedTensor &x = L.computed(node, 0);
    if (!x.int8)
      L.fail(6687, node,
             fmt::format("dequantises '{}', which is not a quantised tensor", node.inputs[0]));
    const ActivationQuant view =
        activationQuant(L, node, 1, 2, "x_scale", "x_zero_point", x.quant.type);
    checkSameZeroPoint(L, node, 0, x, view, "x_zero_point");
    // A host operator reading the float values takes their scale: the datapath's when
    // the tensor is re-expressed symmetric.
    const double scale =
        x.quant.rule == ZeroPointRule::Resymmetrised ? x.quant.datapathScale() : view.scale;
    L.passThrough(node, 0, false, 0, scale);
    return;
  }
  Constant x = L.constant(node, 0, "x");
  const std::vector<double> scales = readScales(L, node, 1, "x_scale");
  if (x.int8_domain) {  // int8 weights
    checkZeroPoints(L, node, 2, scales.size(), "x_zero_point", false);
    if (!x.quantize_from_float) {
      x.scales = scales;
      x.axis = quantAxis(L, node, *x.tensor, scales.size());
    }
    x.quantized = true;
    x.int8_domain = false;
  } else if (x.tensor->data_type == kInt32) {  // an int32 bias
    checkZeroPoints(L, node, 2, scales.size(), "x_zero_point", false, kInt32);
  } else {
    L.fail(6688, node,
           fmt::format("dequantises '{}' of type {}: weights must be int8 and biases int32, "
                       "both with zero point 0{}",
                       node.inputs[0], dataTypeName(x.tensor->data_type),
                       x.tensor->data_type == kUint8 ? std::string(" (") + kSymmetricWeights + ")"
                                                     : std::string()));
  }
  L.define(node, 0, x);
}

void lowerIdentity(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {});
  if (L.isConstant(node, 0)) {
    L.define(node, 0, L.constant(node, 0, "input"));
    return;
  }
  const ComputedTensor &x = L.computed(node, 0);
  L.passThrough(node, 0, x.int8, x.scale, x.dequantized_scale);
}

// Squeeze and Unsqueeze: the axes come from input 1 (opset 13) or the `axes` attribute
// (before). The result must be a network tensor; it is the same tensor when the HWC
// shape does not change (e.g. [1,C,1,1] <-> [1,C]), otherwise a reshape under the
// Reshape rules.
void lowerSqueeze(Lowering &L, const OnnxNode &node) {
  const bool squeeze = node.op_type == "Squeeze";
  std::optional<std::vector<int64_t>> axes;
  if (L.opset() < 13) {
    checkAttributes(L, node, {"axes"});
    axes = intsAttribute(L, node, "axes");
    if (L.hasInput(node, 1))
      L.fail(
          6530, node,
          fmt::format("axes are an attribute before opset 13, not input 1 (opset {})", L.opset()));
  } else {
    checkAttributes(L, node, {});
    if (L.hasInput(node, 1)) {
      const OnnxTensor &t = *L.constant(node, 1, "axes").tensor;
      if (t.data_type != kInt64 || t.dims.size() != 1)
        L.fail(6617, node,
               fmt::format("axes ('{}') is {} {}; expected a 1-D INT64 tensor", t.name,
                           dataTypeName(t.data_type), dimsText(t.dims)));
      // An empty axes tensor means none given (onnxruntime: squeeze every size-1 axis).
      if (t.element_count > 0) axes.emplace();
      for (int64_t i = 0; i < t.element_count; ++i) axes->push_back(t.integer(i));
    }
  }
  const ComputedTensor x = L.computed(node, 0);
  if (!squeeze && !axes) L.fail(6589, node, "Unsqueeze needs axes");
  const auto out_rank =
      static_cast<int64_t>(x.dims.size()) + (squeeze ? 0 : static_cast<int64_t>(axes->size()));
  std::vector<bool> marked(static_cast<size_t>(out_rank), false);
  for (int64_t axis : axes.value_or(std::vector<int64_t>{})) {
    const int64_t a = axis < 0 ? axis + out_rank : axis;
    if (a < 0 || a >= out_rank || marked[static_cast<size_t>(a)])
      L.fail(6590, node,
             fmt::format("axes {}: axis {} is repeated or outside the rank {}", dimsText(*axes),
                         axis, out_rank));
    if (squeeze && x.dims[static_cast<size_t>(a)] != 1)
      L.fail(6618, node,
             fmt::format("cannot squeeze axis {} of '{}' {}: its size is {}, not 1", axis,
                         node.inputs[0], dimsText(x.dims), x.dims[static_cast<size_t>(a)]));
    marked[static_cast<size_t>(a)] = true;
  }
  std::vector<int64_t> target;
  if (squeeze) {
    for (size_t d = 0; d < x.dims.size(); ++d)
      if (axes ? !marked[d] : x.dims[d] != 1) target.push_back(x.dims[d]);
  } else {
    size_t next = 0;
    for (size_t d = 0; d < marked.size(); ++d) target.push_back(marked[d] ? 1 : x.dims[next++]);
  }
  defineRelabelled(L, node, x, target, false);
}

// Dropout is the identity at inference, unless the model trains (training_mode) or uses
// the random mask.
void lowerDropout(Lowering &L, const OnnxNode &node) {
  if (L.opset() < 12)
    checkAttributes(L, node, {"ratio"});
  else
    checkAttributes(L, node, {"seed"});
  if (node.outputs.size() > 1 && L.uses(node.outputs[1]) > 0)
    L.fail(6558, node,
           fmt::format("its mask output '{}' is used: the mask is the random pattern of "
                       "training-time dropout, which inference does not compute",
                       node.outputs[1]));
  if (L.hasInput(node, 1)) L.constant(node, 1, "ratio");  // ignored at inference
  if (L.hasInput(node, 2)) {
    const OnnxTensor &t = *L.constant(node, 2, "training_mode").tensor;
    if (t.element_count != 1)
      L.fail(6591, node,
             fmt::format("training_mode ('{}') must be a single value, not {}", t.name,
                         dimsText(t.dims)));
    if (t.real(0) != 0)
      L.fail(6592, node,
             fmt::format("training_mode ('{}') is true: this dropout drops values at random; "
                         "export the model in inference mode",
                         t.name));
  }
  if (L.isConstant(node, 0)) {
    L.define(node, 0, L.constant(node, 0, "data"));
    return;
  }
  const ComputedTensor &x = L.computed(node, 0);
  L.passThrough(node, 0, x.int8, x.scale, x.dequantized_scale);
}

void lowerConstant(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {"value", "value_float", "value_floats", "value_int", "value_ints"});
  if (node.attributes.size() != 1)
    L.fail(6593, node, "a Constant needs exactly one value attribute");
  const OnnxAttribute &a = node.attributes[0];
  OnnxTensor t;
  if (a.name == "value") {
    if (!a.t) L.fail(6594, node, "attribute 'value' holds no tensor");
    t = *a.t;
  } else if (a.name == "value_float" || a.name == "value_floats") {
    t.data_type = kFloat;
    if (a.name == "value_float")
      t.reals = {a.f};
    else
      t.reals.assign(a.floats.begin(), a.floats.end());
    if (a.name == "value_floats") t.dims = {static_cast<int64_t>(t.reals.size())};
    t.element_count = static_cast<int64_t>(t.reals.size());
  } else {
    t.data_type = kInt64;
    t.integers = a.name == "value_int" ? std::vector<int64_t>{a.i} : a.ints;
    if (a.name == "value_ints") t.dims = {static_cast<int64_t>(t.integers.size())};
    t.element_count = static_cast<int64_t>(t.integers.size());
  }
  t.name = node.outputs.empty() ? std::string() : node.outputs[0];
  Constant c;
  c.tensor = &L.keep(std::move(t));
  c.int8_domain = c.tensor->data_type == kInt8;
  L.define(node, 0, c);
}

// Each supported op type with the most inputs its ONNX definition takes: an extra input
// would be an operand this reader does not know the meaning of.
const std::map<std::string, OpRule> &rules() {
  static const std::map<std::string, OpRule> table = {
      {"Conv", {lowerConv, 3}},
      {"QLinearConv", {lowerConv, 9}},
      {"Gemm", {lowerFullyConnected, 3}},
      {"MatMul", {lowerFullyConnected, 2}},
      {"QLinearMatMul", {lowerFullyConnected, 8}},
      {"MaxPool", {lowerPool, 1}},
      {"AveragePool", {lowerPool, 1}},
      {"GlobalAveragePool", {lowerGlobalPool, 1}},
      {"GlobalMaxPool", {lowerGlobalPool, 1}},
      {"Add", {lowerAdd, 2}},
      {"BatchNormalization", {lowerBatchNormalization, 5}},
      {"Relu", {lowerActivation, 1}},
      {"Clip", {lowerActivation, 3}},
      {"Flatten", {lowerFlatten, 1}},
      {"Reshape", {lowerReshape, 2}},
      {"QuantizeLinear", {lowerQuantize, 3}},
      {"DequantizeLinear", {lowerDequantize, 3}},
      {"Identity", {lowerIdentity, 1}},
      {"Constant", {lowerConstant, 0}},
      {"Softmax", {lowerSoftmax, 1}},
      {"Sigmoid", {lowerElementwiseHost, 1}},
      {"HardSigmoid", {lowerElementwiseHost, 1}},
      {"HardSwish", {lowerElementwiseHost, 1}},
      {"Mul", {lowerMul, 2}},
      {"Transpose", {lowerTranspose, 1}},
      {"Squeeze", {lowerSqueeze, 2}},
      {"Unsqueeze", {lowerSqueeze, 2}},
      {"Dropout", {lowerDropout, 3}},
      // Variadic: lowerConcat refuses more inputs than the network model's concat takes.
      {"Concat", {lowerConcat, std::numeric_limits<size_t>::max()}},
  };
  return table;
}

}  // namespace

const OpRule *findOpRule(const std::string &op_type) {
  auto it = rules().find(op_type);
  return it == rules().end() ? nullptr : &it->second;
}

// Ops people commonly export, with the reason each is refused, so the message says what
// to do instead of only "unsupported".
std::string whyUnsupported(const std::string &op_type) {
  static const std::string nonlinear =
      "neither the accelerator (whose only nonlinearity is the ReLU/ReLU6 requantisation "
      "clamp) nor the host operators (Softmax, Sigmoid, HardSigmoid, HardSwish, Mul, "
      "Transpose; docs/host.md) compute it";
  static const std::string runtime_shape =
      "it computes shapes at run time; export with constant folding (e.g. "
      "torch.onnx.export(do_constant_folding=True)) or simplify the model (onnxsim) so that "
      "shapes are constants";
  static const std::string elementwise =
      "neither an accelerator op (only the residual Add) nor a host operator (only Mul of "
      "two computed tensors)";
  static const std::map<std::string, std::string> reasons = {
      {"LogSoftmax",
       "the host runs Softmax but not LogSoftmax (log-probabilities are unbounded below, "
       "outside the host's int8 operator set; docs/host.md): end at the logits or use Softmax"},
      {"Tanh", nonlinear},
      {"LeakyRelu", nonlinear},
      {"PRelu", nonlinear},
      {"Elu", nonlinear},
      {"Selu", nonlinear},
      {"Gelu", nonlinear},
      {"Softplus", nonlinear},
      {"Mish", nonlinear},
      {"Exp", nonlinear},
      {"Div", "elementwise division is " + elementwise},
      {"Sub", "elementwise subtraction is " + elementwise},
      {"Split", "the network model has no split"},
      {"Slice", "the network model has no slicing"},
      {"Pad", "give the padding on the Conv or pool that consumes the tensor"},
      {"ConvTranspose", "the accelerator has no transposed convolution"},
      {"Shape", runtime_shape},
      {"Gather", runtime_shape},
      {"ConstantOfShape", runtime_shape},
      {"Cast", "type conversions are not modelled: quantise with QuantizeLinear"},
      {"ReduceMean", "use GlobalAveragePool for averaging over the plane"},
      {"ReduceMax", "use GlobalMaxPool for the maximum over the plane"},
      {"LRN", "only BatchNormalization, folded into a convolution, is supported"},
      {"InstanceNormalization", "only BatchNormalization, folded into a convolution, is supported"},
      {"LayerNormalization", "only BatchNormalization, folded into a convolution, is supported"},
      {"Resize", "the accelerator has no upsampling"},
      {"Upsample", "the accelerator has no upsampling"},
      {"LSTM", "recurrent layers are not supported"},
      {"GRU", "recurrent layers are not supported"},
      {"RNN", "recurrent layers are not supported"},
      {"ConvInteger", "integer ops without requantisation: use QLinearConv or the QDQ form"},
      {"MatMulInteger", "integer ops without requantisation: use QLinearMatMul or the QDQ form"},
  };
  if (auto it = reasons.find(op_type); it != reasons.end()) return "unsupported: " + it->second;
  std::vector<std::string> names;
  for (const auto &[name, rule] : rules()) names.push_back(name);
  return fmt::format("unsupported op type (supported: {})", fmt::join(names, ", "));
}

}  // namespace pf::onnx
