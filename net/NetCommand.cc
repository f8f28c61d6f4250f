#include "net/NetCommand.hh"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "core/Error.hh"
#include "net/onnx/OnnxReader.hh"

namespace pf {

const cli::Spec &netCommandLine() {
  static const cli::Spec spec = [] {
    cli::Spec s("powerflow net",
                "read a network (TOML or ONNX) and print its layers, shapes and MACs");
    s.description(
        "Reads a network description: the TOML of docs/networks.md (the model zoo is in nets/)\n"
        "or an ONNX model (docs/onnx.md; FILE ends in .onnx or starts like an ONNX ModelProto).\n"
        "It checks it and infers every tensor shape from the input shape, then prints one row per\n"
        "layer: op, input and output shape (HxWxC), kernel/stride/padding, fused activation,\n"
        "MACs, weight bytes (int8 weights + int32 bias) and input/output activation bytes\n"
        "(int8), followed by the totals. An ONNX model that quantises activations with a zero\n"
        "point gets a note per such tensor: how the int8 datapath holds it (docs/onnx.md,\n"
        "\"Asymmetric activations\").");
    s.word("show", "print the network's layers and totals");
    s.positional("FILE", "the network: TOML or ONNX");
    s.epilogue(
        "Counting rule: one MAC per multiply-accumulate of conv2d, depthwise_conv2d and\n"
        "fully_connected, padding taps included; bias adds, activations, pooling and residual\n"
        "adds are not MACs (pooling and adds are shown as other ops).\n"
        "\n"
        "Exit status 0 when the network is valid; otherwise the first problem is reported with\n"
        "file, line, column, field and the layer it concerns (for ONNX: the node, its op type and\n"
        "why, or the byte offset of a malformed file), and the status is 1.\n");
    return s;
  }();
  return spec;
}

namespace {

// 12501632 -> "12,501,632": totals are compared by eye with published figures.
std::string grouped(int64_t value) {
  std::string digits = fmt::format("{}", value);
  std::string out;
  const size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out += digits.substr(0, first);
  for (size_t i = first; i < digits.size(); i += 3) out += "," + digits.substr(i, 3);
  return out;
}

std::string scaled(int64_t value) {
  const auto v = static_cast<double>(value);
  if (value >= 1'000'000'000) return fmt::format("{:.3f} G", v / 1e9);
  if (value >= 1'000'000) return fmt::format("{:.3f} M", v / 1e6);
  if (value >= 1'000) return fmt::format("{:.3f} k", v / 1e3);
  return fmt::format("{}", value);
}

std::string describeWindow(const NetLayer &layer) {
  switch (layer.op) {
    case NetOp::Conv2d:
    case NetOp::DepthwiseConv2d:
    case NetOp::MaxPool:
    case NetOp::AvgPool: {
      std::string pad = paddingRuleName(layer.padding_rule);
      if (layer.padding_rule == PaddingRule::Explicit)
        pad = fmt::format("p{},{},{},{}", layer.padding.top, layer.padding.left,
                          layer.padding.bottom, layer.padding.right);
      return fmt::format("{}x{}/s{}{} {}", layer.kernel_h, layer.kernel_w, layer.stride_h,
                         layer.stride_w == layer.stride_h ? "" : fmt::format("x{}", layer.stride_w),
                         pad);
    }
    case NetOp::GlobalAvgPool:
      return fmt::format("{}x{} global", layer.kernel_h, layer.kernel_w);
    default:
      return "-";
  }
}

std::string describeInputs(const NetLayer &layer) {
  if (layer.input_shapes.size() == 2)
    return fmt::format("{}+{}", formatShape(layer.input_shapes[0]),
                       formatShape(layer.input_shapes[1]));
  if (layer.input_shapes.size() > 2) {  // a concat: every shape if it fits the column
    std::vector<std::string> shapes;
    for (const TensorShape &shape : layer.input_shapes) shapes.push_back(formatShape(shape));
    const std::string all = fmt::format("{}", fmt::join(shapes, "+"));
    if (all.size() <= 22) return all;
    return fmt::format("{} x {}x{}", layer.input_shapes.size(), layer.input_shapes[0].h,
                       layer.input_shapes[0].w);
  }
  return formatShape(layer.input_shapes[0]);
}

// "uint8 zero point 0, scale 0.025 -> int8 zero point 0, scale 0.0502"
std::string describeQuant(const ActivationQuant &q) {
  std::string text = fmt::format("{}: {} zero point {}", zeroPointRuleName(q.rule),
                                 activationTypeName(q.type), q.zero_point);
  if (q.scale > 0) text += fmt::format(", scale {:.6g}", q.scale);
  text += fmt::format(" -> int8 zero point {}", q.datapathZeroPoint());
  if (q.scale > 0) text += fmt::format(", scale {:.6g}", q.datapathScale());
  return text;
}

// Notes on the tensors a model quantises with a zero point (none for symmetric networks).
std::string describeZeroPoints(const Network &network) {
  std::string notes;
  if (network.input_quant.rule != ZeroPointRule::Symmetric)
    notes +=
        fmt::format("  input '{}': {}\n", network.input_name, describeQuant(network.input_quant));
  for (const NetLayer &layer : network.layers)
    if (layer.output_quant.rule != ZeroPointRule::Symmetric)
      notes += fmt::format("  {}: {}\n", layer.name, describeQuant(layer.output_quant));
  if (notes.empty()) return notes;
  return "activation zero points (docs/onnx.md, \"Asymmetric activations\"): shift128 = uint8 "
         "zero point 128 stored as int8 zero point 0 (exact); bias_fold = zero point z' kept, "
         "its consumers fold -z'*sum(w) into their bias (exact); resymmetrised = re-expressed "
         "as int8 zero point 0 where it is computed (one bit lost for a one-sided range)\n" +
         notes;
}

std::string describeSparsity(const NetLayer &layer) {
  std::string text;
  if (layer.weight_sparsity > 0) text += fmt::format(" wsp={:.2f}", layer.weight_sparsity);
  if (layer.activation_sparsity > 0) text += fmt::format(" asp={:.2f}", layer.activation_sparsity);
  return text;
}

bool hasConcat(const Network &network) {
  for (const NetLayer &layer : network.layers)
    if (layer.op == NetOp::Concat) return true;
  return false;
}

std::string hostLayerNames(const Network &network) {
  std::string names;
  for (const NetLayer &layer : network.layers)
    if (runsOnHost(layer.op)) names += (names.empty() ? "" : ", ") + layer.name;
  return names;
}

}  // namespace

std::string formatNetworkTable(const Network &network) {
  const NetworkCost cost = networkCost(network);
  std::string out = fmt::format("network {} from {}\n", network.name, network.source_file);
  if (!network.source.empty()) out += fmt::format("source: {}\n", network.source);
  const int host_layers = network.hostLayerCount();
  out += fmt::format(
      "input '{}' {}; {} layers, {} schedulable{} ({} shape-only)\n", network.input_name,
      formatShape(network.input_shape), network.layers.size(), network.schedulableLayerCount(),
      host_layers > 0 ? fmt::format(", {} of them on the host", host_layers) : "",
      host_layers > 0 || hasConcat(network) ? "flatten/reshape/concat are" : "flatten/reshape are");
  out += fmt::format(
      "{:>4}  {:<24} {:<17} {:<22} {:<12} {:<16} {:<5} {:>14} {:>11} {:>10} {:>10}\n", "#", "layer",
      "op", "input", "output", "kernel/stride", "act", "MACs", "weights B", "in B", "out B");
  for (size_t i = 0; i < network.layers.size(); ++i) {
    const NetLayer &layer = network.layers[i];
    const LayerCost &c = cost.layers[i];
    out += fmt::format(
        "{:>4}  {:<24} {:<17} {:<22} {:<12} {:<16} {:<5} {:>14} {:>11} {:>10} {:>10}{}\n", i + 1,
        layer.name, netOpName(layer.op), describeInputs(layer), formatShape(layer.output_shape),
        describeWindow(layer),
        layer.activation == Activation::None ? "-" : activationName(layer.activation),
        grouped(c.macs), grouped(c.weight_bytes + c.bias_bytes), grouped(c.input_bytes),
        grouped(c.output_bytes), describeSparsity(layer));
  }
  out += describeZeroPoints(network);
  if (host_layers > 0)
    out += fmt::format("on the host processor (docs/host.md): {}\n", hostLayerNames(network));
  out += fmt::format("total MACs: {} ({})\n", grouped(cost.macs), scaled(cost.macs));
  out += fmt::format("other ops (pooling, adds, host ops): {}\n", grouped(cost.other_ops));
  out += fmt::format("weights: {} B int8 + {} B int32 bias = {} B\n", grouped(cost.weight_bytes),
                     grouped(cost.bias_bytes), grouped(cost.weight_bytes + cost.bias_bytes));
  out += fmt::format("largest layer working set (inputs + output): {} B\n",
                     grouped(cost.peak_activation_bytes));
  return out;
}

int runNetCommand(const std::vector<std::string> &args) {
  const std::optional<cli::Args> parsed = netCommandLine().parseOrPrintHelp(args);
  if (!parsed) return 0;
  fmt::print("{}", formatNetworkTable(readNetworkFile(parsed->text("FILE"))));
  return 0;
}

}  // namespace pf
