// MAC, operation and byte counting (docs/networks.md, "Counting rule").
//
// One MAC is one multiply-accumulate of a weight with an activation in conv2d,
// depthwise_conv2d or fully_connected, counted for every kernel tap including taps that
// fall on zero padding (the convention of the published figures). Bias additions,
// requantisation, activations, pooling and residual adds are not MACs; pooling and adds
// are reported separately as "other ops".
#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>

#include "net/Network.hh"

namespace pf {

namespace {

// Product that refuses to wrap: a silently wrapped MAC count would corrupt every
// energy estimate downstream.
int64_t product(const NetLayer &layer, std::initializer_list<int64_t> factors) {
  int64_t result = 1;
  for (int64_t factor : factors)
    if (__builtin_mul_overflow(result, factor, &result))
      throw Error(6040, layer.loc, "",
                  fmt::format("layer '{}' ({}): its work does not fit in a 64-bit count",
                              layer.name, netOpName(layer.op)));
  return result;
}

constexpr int64_t kBiasBytesPerChannel = 4;  // int32 bias per output channel

}  // namespace

LayerCost layerCost(const NetLayer &layer) {
  LayerCost cost;
  const TensorShape &in = layer.input_shapes.at(0);
  const TensorShape &out = layer.output_shape;
  const int64_t window = product(layer, {layer.kernel_h, layer.kernel_w});
  switch (layer.op) {
    case NetOp::Conv2d:
      cost.macs = product(layer, {out.h, out.w, out.c, window, in.c});
      cost.weight_bytes = product(layer, {window, in.c, out.c});
      break;
    case NetOp::DepthwiseConv2d:
      cost.macs = product(layer, {out.h, out.w, out.c, window});
      cost.weight_bytes = product(layer, {window, out.c});
      break;
    case NetOp::FullyConnected:
      cost.macs = product(layer, {in.c, out.c});
      cost.weight_bytes = cost.macs;
      break;
    case NetOp::MaxPool:
    case NetOp::AvgPool:
    case NetOp::GlobalAvgPool:
    case NetOp::GlobalMaxPool:
      cost.other_ops = product(layer, {out.h, out.w, out.c, window});
      break;
    case NetOp::Add:
    case NetOp::Softmax:
    case NetOp::Sigmoid:
    case NetOp::HardSigmoid:
    case NetOp::HardSwish:
    case NetOp::Mul:
    case NetOp::Transpose:
      cost.other_ops = out.elements();  // one per output element (host ops: docs/host.md)
      break;
    case NetOp::Flatten:
    case NetOp::Reshape:
    case NetOp::Concat:
      break;
  }
  if (hasWeights(layer.op)) cost.bias_bytes = product(layer, {out.c, kBiasBytesPerChannel});
  for (const TensorShape &input : layer.input_shapes)
    cost.input_bytes += product(layer, {input.h, input.w, input.c});
  cost.output_bytes = product(layer, {out.h, out.w, out.c});
  return cost;
}

NetworkCost networkCost(const Network &network) {
  NetworkCost total;
  for (const NetLayer &layer : network.layers) {
    const LayerCost cost = layerCost(layer);
    total.layers.push_back(cost);
    total.macs += cost.macs;
    total.other_ops += cost.other_ops;
    total.weight_bytes += cost.weight_bytes;
    total.bias_bytes += cost.bias_bytes;
    if (!isShapeOnly(layer.op))
      total.peak_activation_bytes =
          std::max(total.peak_activation_bytes, cost.input_bytes + cost.output_bytes);
  }
  return total;
}

}  // namespace pf
