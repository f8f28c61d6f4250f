// Names and small queries of the network model (net/Network.hh).
#include "net/Network.hh"

#include <fmt/format.h>

#include <algorithm>

namespace pf {

const char *netOpName(NetOp op) {
  switch (op) {
    case NetOp::Conv2d:
      return "conv2d";
    case NetOp::DepthwiseConv2d:
      return "depthwise_conv2d";
    case NetOp::FullyConnected:
      return "fully_connected";
    case NetOp::MaxPool:
      return "max_pool";
    case NetOp::AvgPool:
      return "avg_pool";
    case NetOp::GlobalAvgPool:
      return "global_avg_pool";
    case NetOp::Add:
      return "add";
    case NetOp::Flatten:
      return "flatten";
    case NetOp::Reshape:
      return "reshape";
    case NetOp::GlobalMaxPool:
      return "global_max_pool";
    case NetOp::Concat:
      return "concat";
    case NetOp::Softmax:
      return "softmax";
    case NetOp::Sigmoid:
      return "sigmoid";
    case NetOp::HardSigmoid:
      return "hard_sigmoid";
    case NetOp::HardSwish:
      return "hard_swish";
    case NetOp::Mul:
      return "mul";
    case NetOp::Transpose:
      return "transpose";
  }
  return "?";
}

bool isShapeOnly(NetOp op) {
  return op == NetOp::Flatten || op == NetOp::Reshape || op == NetOp::Concat;
}

bool runsOnHost(NetOp op) {
  switch (op) {
    case NetOp::Softmax:
    case NetOp::Sigmoid:
    case NetOp::HardSigmoid:
    case NetOp::HardSwish:
    case NetOp::Mul:
    case NetOp::Transpose:
      return true;
    default:
      return false;
  }
}

HostParams defaultHostParams(NetOp op) {
  // Defaults for models that carry no scales (docs/host.md, "Default scales"): a ReLU6-ish
  // input range of +-8 in steps of 1/16, probabilities and gates 0..1 in steps of 1/128.
  constexpr double kWide = 1.0 / 16, kUnit = 1.0 / 128;
  HostParams p;
  p.input_scale = kWide;
  p.input2_scale = kUnit;  // Mul: the gate of a squeeze-and-excitation block
  p.output_scale = kWide;
  if (op == NetOp::Softmax || op == NetOp::Sigmoid || op == NetOp::HardSigmoid)
    p.output_scale = kUnit;
  return p;
}

bool hasWeights(NetOp op) {
  return op == NetOp::Conv2d || op == NetOp::DepthwiseConv2d || op == NetOp::FullyConnected;
}

const char *activationName(Activation activation) {
  switch (activation) {
    case Activation::None:
      return "none";
    case Activation::Relu:
      return "relu";
    case Activation::Relu6:
      return "relu6";
  }
  return "?";
}

const char *weightQuantName(WeightQuant quant) {
  switch (quant) {
    case WeightQuant::None:
      return "none";
    case WeightQuant::Int8PerChannel:
      return "int8_per_channel";
    case WeightQuant::Int8PerTensor:
      return "int8_per_tensor";
  }
  return "?";
}

const char *zeroPointRuleName(ZeroPointRule rule) {
  switch (rule) {
    case ZeroPointRule::Symmetric:
      return "symmetric";
    case ZeroPointRule::Shift128:
      return "shift128";
    case ZeroPointRule::BiasFold:
      return "bias_fold";
    case ZeroPointRule::Resymmetrised:
      return "resymmetrised";
  }
  return "?";
}

const char *activationTypeName(ActivationType type) {
  switch (type) {
    case ActivationType::None:
      return "none";
    case ActivationType::Int8:
      return "int8";
    case ActivationType::Uint8:
      return "uint8";
  }
  return "?";
}

int64_t ActivationQuant::modelDatapathZeroPoint() const {
  return type == ActivationType::Uint8 ? zero_point - 128 : zero_point;
}

int64_t ActivationQuant::datapathZeroPoint() const {
  return rule == ZeroPointRule::BiasFold ? modelDatapathZeroPoint() : 0;
}

double ActivationQuant::datapathScale() const {
  if (rule != ZeroPointRule::Resymmetrised) return scale;
  const int64_t z = modelDatapathZeroPoint();
  return scale * static_cast<double>(std::max(128 + z, 127 - z)) / 127.0;
}

const char *paddingRuleName(PaddingRule rule) {
  switch (rule) {
    case PaddingRule::Valid:
      return "valid";
    case PaddingRule::Same:
      return "same";
    case PaddingRule::Explicit:
      return "explicit";
  }
  return "?";
}

std::string formatShape(const TensorShape &shape) {
  return fmt::format("{}x{}x{}", shape.h, shape.w, shape.c);
}

int Network::findLayer(const std::string &layer_name) const {
  for (size_t i = 0; i < layers.size(); ++i)
    if (layers[i].name == layer_name) return static_cast<int>(i);
  return -1;
}

int Network::hostLayerCount() const {
  int count = 0;
  for (const NetLayer &layer : layers)
    if (runsOnHost(layer.op)) ++count;
  return count;
}

int Network::schedulableLayerCount() const {
  int count = 0;
  for (const NetLayer &layer : layers)
    if (!isShapeOnly(layer.op)) ++count;
  return count;
}

}  // namespace pf
