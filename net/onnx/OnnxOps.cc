// Per-op lowering rules of the ONNX reader (docs/onnx.md, "Supported ops"). Each handler
// checks its node completely (attributes, operand kinds, shapes, quantisation) and
// either appends a layer, folds into the layer that produced its input, or passes its
// input through. Anything it cannot represent exactly is refused, naming the node.
#include <fmt/format.h>

#include <algorithm>
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

constexpr int64_t kMaxDimension = int64_t{1} << 24;

// ---------------------------------------------------------------- attributes

void checkAttributes(const Lowering &L, const OnnxNode &node,
                     std::initializer_list<std::string_view> known) {
  for (const OnnxAttribute &attribute : node.attributes)
    if (std::find(known.begin(), known.end(), attribute.name) == known.end())
      L.fail(kUnsupportedAttribute, node,
             fmt::format(
                 "attribute '{}' is not supported for {} (known: {})", attribute.name, node.op_type,
                 known.size() ? fmt::format("{}", fmt::join(known, ", ")) : std::string("none")));
}

const OnnxAttribute *findAttribute(const Lowering &L, const OnnxNode &node, const char *name,
                                   int32_t type, const char *type_name) {
  const OnnxAttribute *attribute = node.attribute(name);
  if (attribute && attribute->type != OnnxAttribute::kUnset && attribute->type != type)
    L.fail(kUnsupportedAttribute, node,
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
    L.fail(kUnsupportedAttribute, node,
           fmt::format("{} {} has {} values; only 2-D windows (two values) are supported", name,
                       dimsText(*values), values->size()));
  for (int64_t value : *values)
    if (value < 1 || value > kMaxDimension)
      L.fail(kUnsupportedAttribute, node,
             fmt::format("{} {}: each value must be in 1..{}", name, dimsText(*values),
                         kMaxDimension));
  return {(*values)[0], (*values)[1]};
}

// ---------------------------------------------------------------- operands

void requireRank(const Lowering &L, const OnnxNode &node, const ComputedTensor &x, size_t rank,
                 const char *what) {
  if (x.dims.size() != rank)
    L.fail(kUnsupportedShape, node,
           fmt::format("input '{}' is {} (rank {}); {}", node.inputs[0], dimsText(x.dims),
                       x.dims.size(), what));
}

void requireFloat(const Lowering &L, const OnnxNode &node, const ComputedTensor &x, size_t i) {
  if (x.int8)
    L.fail(kUnsupportedQuantization, node,
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
        kInconsistentShape, node,
        fmt::format("weights '{}' have shape {}, expected {}", t.name, dimsText(t.dims), expected));
  return t;
}

double scalarConstant(const Lowering &L, const OnnxNode &node, size_t i, const char *role) {
  const OnnxTensor &t = *L.constant(node, i, role).tensor;
  if (t.element_count != 1 || !(t.isInteger() || isFloatType(t.data_type)))
    L.fail(kUnsupportedAttribute, node,
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
    L.fail(kUnsupportedQuantization, node,
           fmt::format("{} ('{}') is {} {}; expected a float scalar or 1-D tensor", role, t.name,
                       dataTypeName(t.data_type), dimsText(t.dims)));
  std::vector<double> scales;
  for (int64_t k = 0; k < t.element_count; ++k) {
    const double scale = t.real(k);
    if (!(std::isfinite(scale) && scale > 0))
      L.fail(kUnsupportedQuantization, node,
             fmt::format("{} ('{}') holds {}, not a positive finite scale", role, t.name, scale));
    scales.push_back(scale);
  }
  return scales;
}

// Zero points must be 0 of type `type` (int8 for weights and activations: the accelerator
// computes symmetric int8; int32 for biases). Absent means 0 of the quantised type, which
// for QuantizeLinear is uint8 (`required` then).
void checkZeroPoints(const Lowering &L, const OnnxNode &node, size_t i, size_t count,
                     const char *role, bool required, int32_t type = kInt8) {
  if (!L.hasInput(node, i)) {
    if (required)
      L.fail(kUnsupportedQuantization, node,
             fmt::format("{} is missing, so the output would be uint8; the accelerator takes "
                         "int8 with zero point 0",
                         role));
    return;
  }
  const OnnxTensor &t = *L.constant(node, i, role).tensor;
  if (t.data_type != type)
    L.fail(kUnsupportedQuantization, node,
           fmt::format("{} ('{}') is {}: the accelerator computes with {} values and zero point "
                       "0 (symmetric quantisation)",
                       role, t.name, dataTypeName(t.data_type), dataTypeName(type)));
  if (static_cast<size_t>(t.element_count) != count)
    L.fail(kInconsistentShape, node,
           fmt::format("{} ('{}') has {} elements but its scale has {}", role, t.name,
                       t.element_count, count));
  for (int64_t k = 0; k < t.element_count; ++k)
    if (t.integer(k) != 0)
      L.fail(kUnsupportedQuantization, node,
             fmt::format("{} ('{}') is {}: only symmetric quantisation (zero point 0) is "
                         "supported",
                         role, t.name, t.integer(k)));
}

// Per-tensor int8 quantisation of an activation; returns its scale.
double activationScale(const Lowering &L, const OnnxNode &node, size_t scale_input,
                       size_t zero_input, const char *scale_role, const char *zero_role,
                       bool zero_required) {
  const std::vector<double> scales = readScales(L, node, scale_input, scale_role);
  if (scales.size() != 1)
    L.fail(kUnsupportedQuantization, node,
           fmt::format("{} has {} elements: activations are quantised per tensor", scale_role,
                       scales.size()));
  checkZeroPoints(L, node, zero_input, 1, zero_role, zero_required);
  return scales[0];
}

// The quantisation axis of a constant of rank `rank` for `count` scales.
int64_t quantAxis(const Lowering &L, const OnnxNode &node, const OnnxTensor &t, size_t count) {
  if (count == 1) return 0;
  const auto rank = static_cast<int64_t>(t.dims.size());
  int64_t axis = intAttribute(L, node, "axis", 1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank || t.dims[static_cast<size_t>(axis)] != static_cast<int64_t>(count))
    L.fail(kInconsistentShape, node,
           fmt::format("{} scales along axis {} of '{}' {}: the sizes differ", count,
                       intAttribute(L, node, "axis", 1), t.name, dimsText(t.dims)));
  return axis;
}

void checkNoBlocks(const Lowering &L, const OnnxNode &node) {
  if (intAttribute(L, node, "block_size", 0) != 0)
    L.fail(kUnsupportedQuantization, node,
           "blocked quantisation (block_size) is not supported: per tensor or per output "
           "channel only");
}

// The int8 weights of a QLinear op with their scales and zero points.
Constant qlinearWeights(const Lowering &L, const OnnxNode &node, size_t w_input, size_t scale_input,
                        size_t zero_input, int64_t axis) {
  Constant w = L.constant(node, w_input, "weights");
  if (!w.int8_domain)
    L.fail(kUnsupportedQuantization, node,
           fmt::format("weights '{}' are {}; {} takes int8 weights", w.tensor->name,
                       dataTypeName(w.tensor->data_type), node.op_type));
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
      L.fail(kUnsupportedQuantization, node,
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
    L.fail(kUnsupportedQuantization, node,
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
    L.fail(kBadPadding, node,
           fmt::format("padding {}+{} along the {} is not smaller than the kernel {}: an output "
                       "would see only padding",
                       before, after, axis, kernel));
  const int64_t span = in + before + after - kernel;
  if (span < 0)
    L.fail(kBadPadding, node,
           fmt::format("kernel {} {} is larger than the padded input {} ({} + {} + {})", axis,
                       kernel, in + before + after, in, before, after));
  // With ceil_mode the sizes agree only when the windows tile the axis exactly; otherwise
  // the last partial window is kept or dropped depending on where it starts.
  if (ceil && span % stride != 0)
    L.fail(kUnsupportedAttribute, node,
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
      L.fail(kInconsistentShape, node,
             fmt::format("kernel_shape {} differs from the weights' kernel [{},{}]",
                         dimsText(*kernel_shape), weight_kernel->first, weight_kernel->second));
    std::tie(w.kernel_h, w.kernel_w) = *weight_kernel;
  } else {
    if (!kernel_shape) L.fail(kUnsupportedAttribute, node, "kernel_shape is required");
    std::tie(w.kernel_h, w.kernel_w) = pairAttribute(L, node, "kernel_shape", {1, 1});
  }
  std::tie(w.stride_h, w.stride_w) = pairAttribute(L, node, "strides", {1, 1});
  if (const auto dilations = intsAttribute(L, node, "dilations"))
    for (int64_t d : *dilations)
      if (d != 1)
        L.fail(
            kUnsupportedAttribute, node,
            fmt::format("dilations {}: dilated windows are not supported", dimsText(*dilations)));

  const std::string auto_pad = stringAttribute(L, node, "auto_pad", "NOTSET");
  std::vector<int64_t> pads = intsAttribute(L, node, "pads").value_or(std::vector<int64_t>(4, 0));
  if (pads.size() != 4 ||
      std::any_of(pads.begin(), pads.end(), [](int64_t p) { return p < 0 || p > kMaxDimension; }))
    L.fail(kUnsupportedAttribute, node,
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
        kUnsupportedAttribute, node,
        fmt::format("auto_pad '{}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER", auto_pad));
  }
  if (auto_pad != "NOTSET" && explicit_pads)
    L.fail(kUnsupportedAttribute, node,
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
    L.fail(kInconsistentShape, node,
           fmt::format("bias '{}' has shape {}; expected [{}], one value per output channel",
                       b.name, dimsText(b.dims), channels));
}

// ---------------------------------------------------------------- layers

void lowerConv(Lowering &L, const OnnxNode &node) {
  const bool quantized = node.op_type == "QLinearConv";
  checkAttributes(L, node, {"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"});
  const ComputedTensor x = L.computed(node, 0);
  requireRank(L, node, x, 4, "a 2-D convolution takes [N, C, H, W]");
  double y_scale = 0;
  if (quantized) {
    if (!x.int8)
      L.fail(kUnsupportedQuantization, node,
             fmt::format("input '{}' is float; QLinearConv takes an int8 tensor", node.inputs[0]));
    activationScale(L, node, 1, 2, "x_scale", "x_zero_point", false);
    y_scale = activationScale(L, node, 6, 7, "y_scale", "y_zero_point", false);
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
      L.fail(kInconsistentShape, node,
             fmt::format("weights '{}' {} take {} input channels but input '{}' {} has {}", wt.name,
                         dimsText(wt.dims), c_per_group, node.inputs[0], dimsText(x.dims), c));
    layer.op = NetOp::Conv2d;
  } else if (group < 1 || group > c || c % group != 0 || c_per_group * group != c ||
             m % group != 0) {
    L.fail(kInconsistentShape, node,
           fmt::format("group = {} does not fit input channels {} and weights {}", group, c,
                       dimsText(wt.dims)));
  } else if (group == c && m == c) {
    layer.op = NetOp::DepthwiseConv2d;
  } else if (group == c) {
    L.fail(kUnsupportedOp, node,
           fmt::format("depthwise convolution with depth multiplier {} ({} outputs from {} "
                       "channels): only multiplier 1 is supported",
                       m / c, m, c));
  } else {
    L.fail(kUnsupportedOp, node,
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
  L.define(node, 0,
           ComputedTensor{
               index, {1, m, window.out_h, window.out_w}, true, quantized, y_scale, quantized});
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
    L.fail(kUnsupportedOp, node,
           "the left operand is a constant: only activation x constant weights (a fully "
           "connected layer) is supported");
  if (!L.isConstant(node, b_input))
    L.fail(kUnsupportedOp, node,
           fmt::format("the weights (input {}, '{}') are computed at run time: only products "
                       "with constant weights (fully connected) are supported",
                       b_input, L.hasInput(node, b_input) ? node.inputs[b_input] : ""));
  const ComputedTensor x = L.computed(node, 0);
  requireRank(L, node, x, 2, "a fully connected layer takes [1, K] (insert a Flatten)");
  double y_scale = 0;
  if (quantized) {
    if (!x.int8)
      L.fail(
          kUnsupportedQuantization, node,
          fmt::format("input '{}' is float; QLinearMatMul takes an int8 tensor", node.inputs[0]));
    activationScale(L, node, 1, 2, "a_scale", "a_zero_point", false);
    y_scale = activationScale(L, node, 6, 7, "y_scale", "y_zero_point", false);
  } else {
    requireFloat(L, node, x, 0);
  }
  if (gemm && intAttribute(L, node, "transA", 0) != 0)
    L.fail(kUnsupportedAttribute, node, "transA = 1 would multiply along the batch dimension");
  const bool trans_b = gemm && intAttribute(L, node, "transB", 0) != 0;
  const Constant w =
      quantized ? qlinearWeights(L, node, 3, 4, 5, 1) : L.constant(node, b_input, "weights");
  const OnnxTensor &wt = weightTensor(L, node, w, 2, trans_b ? "[N, K] (transB = 1)" : "[K, N]");
  const size_t out_axis = trans_b ? 0 : 1;
  const int64_t k = wt.dims[1 - out_axis], n = wt.dims[out_axis];
  if (k != x.dims[1])
    L.fail(kInconsistentShape, node,
           fmt::format("weights '{}' {} take {} inputs but input '{}' {} has {}", wt.name,
                       dimsText(wt.dims), k, node.inputs[0], dimsText(x.dims), x.dims[1]));
  if (gemm && floatAttribute(L, node, "alpha", 1.0f) == 0.0f)
    L.fail(kAllWeightsZero, node, "alpha = 0 multiplies every weight by zero");
  if (gemm) checkBias(L, node, 2, n);
  NetLayer layer;
  layer.op = NetOp::FullyConnected;
  layer.output_shape = {1, 1, n};
  LayerState state = countWeights(L, node, w, out_axis, layer.weight_quant);
  const int index = L.addLayer(node, layer, {0}, std::move(state));
  L.define(node, 0, ComputedTensor{index, {1, n}, true, quantized, y_scale, quantized});
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
    L.fail(kUnsupportedOp, node, "its Indices output is used: max unpooling is not supported");
  const ComputedTensor x = L.computed(node, 0);
  requireRank(L, node, x, 4, "pooling takes [N, C, H, W]");
  if (!max) requireFloat(L, node, x, 0);  // max commutes with int8 quantisation, averaging not
  const Window window = readWindow(L, node, x, std::nullopt);
  NetLayer layer;
  layer.op = max ? NetOp::MaxPool : NetOp::AvgPool;
  applyWindow(layer, window);
  layer.output_shape = {window.out_h, window.out_w, x.dims[1]};
  const int index = L.addLayer(node, layer, {0});
  L.define(
      node, 0,
      ComputedTensor{index, {1, x.dims[1], window.out_h, window.out_w}, true, x.int8, x.scale});
}

void lowerGlobalAveragePool(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {});
  const ComputedTensor x = L.computed(node, 0);
  requireRank(L, node, x, 4, "global pooling takes [N, C, H, W]");
  requireFloat(L, node, x, 0);
  NetLayer layer;
  layer.op = NetOp::GlobalAvgPool;
  layer.kernel_h = x.dims[2];
  layer.kernel_w = x.dims[3];
  layer.output_shape = {1, 1, x.dims[1]};
  const int index = L.addLayer(node, layer, {0});
  L.define(node, 0, ComputedTensor{index, {1, x.dims[1], 1, 1}, true, false, 0});
}

// An elementwise sum of two computed tensors: a residual add.
void lowerResidualAdd(Lowering &L, const OnnxNode &node) {
  const ComputedTensor a = L.computed(node, 0);
  const ComputedTensor b = L.computed(node, 1);
  requireFloat(L, node, a, 0);
  requireFloat(L, node, b, 1);
  if (a.dims != b.dims)
    L.fail(kInconsistentShape, node,
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
    L.fail(kCannotFold, node,
           fmt::format("{} folds only into a preceding Conv, Gemm or MatMul; its input comes "
                       "from layer '{}' ({})",
                       what, producer.name, netOpName(producer.op)));
  if (L.state(index).activated)
    L.fail(kCannotFold, node,
           fmt::format("layer '{}' already applies its activation ({}) before this node, so {} "
                       "cannot fold into its weights and bias",
                       producer.name, activationName(producer.activation), what));
  if (L.computed(node, i).requantized)
    L.fail(kCannotFold, node,
           fmt::format("the output of layer '{}' is quantised (QuantizeLinear or a QLinear op) "
                       "before this node, so folding {} into its weights and bias would change "
                       "the result; fold it before quantising",
                       producer.name, what));
  return index;
}

// A constant added to a convolution or fully connected output: its bias.
void foldBias(Lowering &L, const OnnxNode &node, size_t act_input, size_t bias_input) {
  weightedFoldTarget(L, node, act_input, "a constant Add (bias)");
  const ComputedTensor x = L.computed(node, act_input);
  const OnnxTensor &b = *L.constant(node, bias_input, "bias").tensor;
  // Right-aligned broadcasting: per channel means C at axis 1 and 1 everywhere else.
  bool per_channel = b.dims.size() <= x.dims.size() && b.element_count == x.dims[1];
  for (size_t d = 0; per_channel && d < b.dims.size(); ++d) {
    const size_t axis = x.dims.size() - b.dims.size() + d;
    per_channel = b.dims[d] == (axis == 1 ? x.dims[1] : 1);
  }
  if (!per_channel)
    L.fail(kInconsistentShape, node,
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
    L.fail(kUnsupportedOp, node,
           "both operands are constants (fold constant subgraphs before export)");
  if (c0 || c1)
    foldBias(L, node, c0 ? 1 : 0, c0 ? 0 : 1);
  else
    lowerResidualAdd(L, node);
}

void lowerBatchNormalization(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {"epsilon", "momentum", "spatial", "training_mode"});
  if (intAttribute(L, node, "training_mode", 0) != 0)
    L.fail(kUnsupportedAttribute, node,
           "training_mode = 1: export the model in inference mode (running statistics)");
  if (intAttribute(L, node, "spatial", 1) != 1)
    L.fail(kUnsupportedAttribute, node,
           "spatial = 0 normalises per element, which cannot fold into per-channel weights");
  for (size_t o = 1; o < node.outputs.size(); ++o)
    if (L.uses(node.outputs[o]) > 0)
      L.fail(
          kCannotFold, node,
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
      L.fail(kInconsistentShape, node,
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
          kCannotFold, node,
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
    L.fail(kUnsupportedAttribute, node,
           fmt::format("Clip(min = {}, max = {}) is neither ReLU (0, +inf) nor ReLU6 (0, 6){}: "
                       "the requantisation clamp is the accelerator's only nonlinearity",
                       low, high, detail));
  };
  if (low != 0) reject("");
  if (x.int8) {
    if (high >= 127) return pf::Activation::Relu;
    const double six = x.scale > 0 ? std::min(127.0, std::nearbyint(6.0 / x.scale)) : -1;
    if (high == six) return pf::Activation::Relu6;
    reject(x.scale > 0
               ? fmt::format(" on an int8 tensor of scale {} (ReLU6 is max = {})", x.scale, six)
               : std::string(" on an int8 tensor of unknown scale"));
  }
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
    L.fail(kCannotFold, node,
           fmt::format("follows layer '{}' ({}), which only relabels its input; the activation "
                       "must follow the layer that computes the tensor",
                       producer.name, netOpName(producer.op)));
  // Clamps compose exactly: ReLU after ReLU6 (or the reverse) is ReLU6.
  if (producer.activation == pf::Activation::None || kind == pf::Activation::Relu6)
    producer.activation = kind;
  L.state(index).activated = true;
  ComputedTensor out = x;
  out.fusable = true;
  L.define(node, 0, out);
}

// ---------------------------------------------------------------- shape-only layers

void lowerFlatten(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {"axis"});
  const ComputedTensor x = L.computed(node, 0);
  const auto rank = static_cast<int64_t>(x.dims.size());
  int64_t axis = intAttribute(L, node, "axis", 1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis > rank)
    L.fail(kUnsupportedAttribute, node,
           fmt::format("axis {} is outside the rank {} of its input", axis, rank));
  int64_t lead = 1, total = 1;
  for (int64_t d = 0; d < rank; ++d) {
    total *= x.dims[static_cast<size_t>(d)];
    if (d < axis) lead *= x.dims[static_cast<size_t>(d)];
  }
  if (lead != 1)
    L.fail(kUnsupportedShape, node,
           fmt::format("axis {} flattens {} into [{},{}]; the result must be [1, N]", axis,
                       dimsText(x.dims), lead, total / lead));
  NetLayer layer;
  layer.op = NetOp::Flatten;
  layer.output_shape = {1, 1, total};
  const int index = L.addLayer(node, layer, {0});
  L.define(node, 0, ComputedTensor{index, {1, total}, true, x.int8, x.scale});
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
      L.fail(kInconsistentShape, node,
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
        L.fail(kInconsistentShape, node,
               fmt::format("shape {} copies dimension {} (0), which {} does not have",
                           dimsText(spec), d, dimsText(x.dims)));
      target[d] = x.dims[d];
    } else if (spec[d] == -1 && infer < 0) {
      infer = static_cast<int>(d);
      continue;
    } else if (spec[d] < 1 || spec[d] > kMaxDimension) {
      L.fail(kInconsistentShape, node,
             fmt::format("shape {}: dimension {} is {}", dimsText(spec), d, spec[d]));
    }
    if (__builtin_mul_overflow(known, target[d], &known) || known > total)
      L.fail(kInconsistentShape, node,
             fmt::format("cannot reshape '{}' {} ({} elements) to {}", node.inputs[0],
                         dimsText(x.dims), total, dimsText(spec)));
  }
  if (infer >= 0 && total % known == 0) target[static_cast<size_t>(infer)] = total / known;
  int64_t count = 1;
  for (int64_t dim : target) count *= dim;
  if ((infer >= 0 && total % known != 0) || count != total)
    L.fail(kInconsistentShape, node,
           fmt::format("cannot reshape '{}' {} ({} elements) to {}", node.inputs[0],
                       dimsText(x.dims), total, dimsText(spec)));
  return target;
}

void lowerReshape(Lowering &L, const OnnxNode &node) {
  if (L.opset() < 5)
    checkAttributes(L, node, {"shape", "consumed_inputs"});
  else
    checkAttributes(L, node, {"allowzero"});
  const ComputedTensor x = L.computed(node, 0);
  const std::vector<int64_t> target = reshapeTarget(L, node, x);
  if ((target.size() != 2 && target.size() != 4) || target[0] != 1)
    L.fail(kUnsupportedShape, node,
           fmt::format("reshapes to {}; the network model's tensors are [1, C] or [1, C, H, W]",
                       dimsText(target)));
  const TensorShape in = hwcShape(x.dims), out = hwcShape(target);
  if (target.size() == 4 && !(layoutNeutral(in) && layoutNeutral(out)))
    L.fail(kUnsupportedShape, node,
           fmt::format("reshaping {} to {} moves elements differently in ONNX's NCHW order and "
                       "the accelerator's HWC order",
                       dimsText(x.dims), dimsText(target)));
  NetLayer layer;
  layer.op = NetOp::Reshape;
  layer.output_shape = out;
  const int index = L.addLayer(node, layer, {0});
  L.define(node, 0, ComputedTensor{index, target, true, x.int8, x.scale});
}

// ---------------------------------------------------------------- pass-throughs

void lowerQuantize(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {"axis", "saturate", "block_size", "output_dtype"});
  checkNoBlocks(L, node);
  const int64_t output_type = intAttribute(L, node, "output_dtype", 0);
  if (output_type != 0 && output_type != kInt8)
    L.fail(kUnsupportedQuantization, node,
           fmt::format("output_dtype {}: the accelerator takes int8",
                       dataTypeName(static_cast<int32_t>(output_type))));
  const bool zero_required = output_type != kInt8;
  if (L.isConstant(node, 0)) {  // weights stored as float and quantised in the graph
    const Constant &x = L.constant(node, 0, "x");
    if (x.int8_domain || x.quantized || !isFloatType(x.tensor->data_type))
      L.fail(kUnsupportedQuantization, node,
             fmt::format("quantises '{}', which is not a float constant", node.inputs[0]));
    Constant q = x;
    q.scales = readScales(L, node, 1, "y_scale");
    q.axis = quantAxis(L, node, *x.tensor, q.scales.size());
    checkZeroPoints(L, node, 2, q.scales.size(), "y_zero_point", zero_required);
    q.int8_domain = q.quantized = q.quantize_from_float = true;
    L.define(node, 0, q);
    return;
  }
  const ComputedTensor &x = L.computed(node, 0);
  if (x.int8)
    L.fail(kUnsupportedQuantization, node,
           fmt::format("quantises '{}', which is already int8", node.inputs[0]));
  const double scale = activationScale(L, node, 1, 2, "y_scale", "y_zero_point", zero_required);
  L.passThrough(node, 0, true, scale);
}

void lowerDequantize(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {"axis", "block_size"});
  checkNoBlocks(L, node);
  if (!L.isConstant(node, 0)) {
    const ComputedTensor &x = L.computed(node, 0);
    if (!x.int8)
      L.fail(kUnsupportedQuantization, node,
             fmt::format("dequantises '{}', which is not an int8 tensor", node.inputs[0]));
    activationScale(L, node, 1, 2, "x_scale", "x_zero_point", false);
    L.passThrough(node, 0, false, 0);
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
    L.fail(kUnsupportedQuantization, node,
           fmt::format("dequantises '{}' of type {}: weights must be int8 and biases int32, "
                       "both with zero point 0",
                       node.inputs[0], dataTypeName(x.tensor->data_type)));
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
  L.passThrough(node, 0, x.int8, x.scale);
}

void lowerConstant(Lowering &L, const OnnxNode &node) {
  checkAttributes(L, node, {"value", "value_float", "value_floats", "value_int", "value_ints"});
  if (node.attributes.size() != 1)
    L.fail(kUnsupportedAttribute, node, "a Constant needs exactly one value attribute");
  const OnnxAttribute &a = node.attributes[0];
  OnnxTensor t;
  if (a.name == "value") {
    if (!a.t) L.fail(kUnsupportedAttribute, node, "attribute 'value' holds no tensor");
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
      {"GlobalAveragePool", {lowerGlobalAveragePool, 1}},
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
      "the accelerator's only nonlinearity is the ReLU/ReLU6 requantisation clamp";
  static const std::string runtime_shape =
      "it computes shapes at run time; export with constant folding (e.g. "
      "torch.onnx.export(do_constant_folding=True)) or simplify the model (onnxsim) so that "
      "shapes are constants";
  static const std::map<std::string, std::string> reasons = {
      {"Softmax", "softmax runs on the host: end the network at the logits"},
      {"LogSoftmax", "softmax runs on the host: end the network at the logits"},
      {"Sigmoid", nonlinear},
      {"Tanh", nonlinear},
      {"HardSigmoid", nonlinear},
      {"HardSwish", nonlinear},
      {"LeakyRelu", nonlinear},
      {"PRelu", nonlinear},
      {"Elu", nonlinear},
      {"Selu", nonlinear},
      {"Gelu", nonlinear},
      {"Softplus", nonlinear},
      {"Mish", nonlinear},
      {"Mul", "elementwise multiplication (e.g. squeeze-and-excitation) is not an accelerator op"},
      {"Div", "elementwise division is not an accelerator op"},
      {"Sub", "elementwise subtraction is not an accelerator op (only residual Add)"},
      {"Concat", "the accelerator has no concatenation and the network model does not have one"},
      {"Split", "the network model has no split"},
      {"Slice", "the network model has no slicing"},
      {"Pad", "give the padding on the Conv or pool that consumes the tensor"},
      {"ConvTranspose", "the accelerator has no transposed convolution"},
      {"Transpose",
       "layout changes are not modelled: export in NCHW without Transpose nodes (for tf2onnx: "
       "--inputs-as-nchw)"},
      {"Dropout", "dropout is the identity at inference: export in inference mode without it"},
      {"Shape", runtime_shape},
      {"Gather", runtime_shape},
      {"Unsqueeze", "use Flatten or Reshape with a constant shape"},
      {"Squeeze", "use Flatten or Reshape with a constant shape"},
      {"ConstantOfShape", runtime_shape},
      {"Cast", "type conversions are not modelled: quantise with QuantizeLinear"},
      {"GlobalMaxPool", "global max pooling is not modelled; use MaxPool over the whole plane"},
      {"ReduceMean", "use GlobalAveragePool for averaging over the plane"},
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
