// Internal to the ONNX reader: the state of turning an ONNX graph into a pf::Network,
// shared by the graph walk (OnnxReader.cc) and the per-op handlers (OnnxOps.cc).
//
// Every tensor name of the graph is bound to a Value as the nodes are walked in order:
// either an activation (a tensor the network computes, in ONNX's NCHW shape, produced
// by a layer or the network input) or a constant (an initializer or Constant output,
// with its quantisation if it went through QuantizeLinear/DequantizeLinear). A node
// either becomes a layer (Conv, Gemm, pools, Add, Flatten, host operators such as
// Softmax or Mul, ...), folds into the layer that produced its input (BatchNormalization,
// a bias Add, a constant Mul, Relu/Clip), or passes its input through (Identity, Dropout,
// a layout-neutral Squeeze/Unsqueeze, QuantizeLinear/DequantizeLinear on activations).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "net/Network.hh"
#include "net/onnx/OnnxModel.hh"

namespace pf::onnx {

// Message numbers are written at each site (docs/messages.md); docs/onnx.md ("Messages")
// groups them by kind.

// A tensor computed by the network.
struct ComputedTensor {
  int layer = kNetworkInput;  // producing layer index, or the network input
  std::vector<int64_t> dims;  // ONNX shape: [1, C] or [1, C, H, W]
  // Reached from the producing layer's output through single-use pass-throughs only, so
  // a following BatchNormalization, bias or activation may still be folded into it.
  bool fusable = false;
  bool int8 = false;  // a quantised tensor (QuantizeLinear or QLinear* output)
  double scale = 0;   // its quantisation scale when int8 and known
  // Quantised since the layer computed it: a BatchNormalization or bias folded now would
  // change the rounding, so only activations (exact with zero point 0) may still fuse.
  bool requantized = false;
  // A float tensor holding int8 values times this scale: the output of a
  // DequantizeLinear (seen through pass-throughs and transposes), 0 otherwise. A host
  // operator reading it takes this as its input scale.
  double dequantized_scale = 0;
  // The model's quantisation of the values: of this tensor when `int8` (an int8 or uint8
  // tensor), of the quantised tensor it holds dequantised when float (a DequantizeLinear
  // output, seen through pass-throughs, max pools and relabellings); type None otherwise.
  // The rule is the one known while walking: Resymmetrised for a host operator's output,
  // else from the type and zero point (the final rule is decided in Lowering::finish()).
  ActivationQuant quant = {};
};

// A tensor known when the model is read.
struct Constant {
  const OnnxTensor *tensor = nullptr;
  bool int8_domain = false;          // holds int8 values (int8 data or a QuantizeLinear output)
  bool quantized = false;            // int8 weights with `scales`
  bool quantize_from_float = false;  // float values that QuantizeLinear rounds with `scales`
  std::vector<double> scales;        // one (per tensor) or one per index of `axis`
  int64_t axis = 0;
};

using Value = std::variant<ComputedTensor, Constant>;

// What a layer still needs after its node: folding may change it later.
struct LayerState {
  std::vector<int64_t> zeros;  // zero weights per output channel
  int64_t per_channel = 0;     // weights per output channel
  std::vector<bool> zeroed;    // channel scaled by 0 in a folded BatchNormalization
  bool activated = false;      // an activation is fused: nothing may fold after it
  size_t node = 0;             // index of the node that made the layer
  // Host operators: every input scale came from the model (a DequantizeLinear or an int8
  // input), and the output scale once a QuantizeLinear of the output has given it.
  bool input_scales_given = false;
  bool output_scale_given = false;
  // The layer's output_quant came from the model (a QuantizeLinear of its output or a
  // QLinear op's y_scale and y_zero_point).
  bool output_quant_given = false;
};

// Layers whose output holds their input's values (max pools, relabellings, transposes):
// they do not requantise, so their output is quantised as their input.
bool keepsQuantization(NetOp op);

class Lowering {
 public:
  explicit Lowering(const OnnxModel &model);
  Network run();

  // For the op handlers.
  [[noreturn]] void fail(int id, const OnnxNode &node, const std::string &why) const;
  std::string describe(const OnnxNode &node) const;  // "node 3 'conv1' (Conv)"
  int64_t opset() const { return opset_; }

  bool hasInput(const OnnxNode &node, size_t i) const;
  bool isConstant(const OnnxNode &node, size_t i) const;
  const ComputedTensor &computed(const OnnxNode &node, size_t i) const;
  const Constant &constant(const OnnxNode &node, size_t i, const char *role) const;
  int uses(const std::string &tensor) const;
  const OnnxTensor &keep(OnnxTensor tensor);  // stores a tensor made while lowering

  void define(const OnnxNode &node, size_t output, Value value);
  // Binds output 0 of `node` to input `i`, seen through (Identity, activation Q/DQ);
  // `dequantized` is the scale of a float tensor holding int8 steps (DequantizeLinear).
  // The quantisation stays the input's unless `quant` is given (a QuantizeLinear).
  void passThrough(const OnnxNode &node, size_t i, bool int8, double scale, double dequantized = 0,
                   const std::optional<ActivationQuant> &quant = std::nullopt);
  // Appends a layer computed by `node` from inputs `input_indices` of the node.
  int addLayer(const OnnxNode &node, NetLayer layer, const std::vector<size_t> &input_indices,
               LayerState state = {});
  // The layer whose output is input `i`, if `what` may still be folded into it;
  // otherwise fails saying why not.
  int foldTarget(const OnnxNode &node, size_t i, const std::string &what) const;

  NetLayer &layer(int index) { return network_.layers.at(static_cast<size_t>(index)); }
  // The quantisation of the output of layer `index`, or of the network input.
  ActivationQuant &quantOf(int index) {
    return index == kNetworkInput ? network_.input_quant : layer(index).output_quant;
  }
  LayerState &state(int index) { return states_.at(static_cast<size_t>(index)); }
  const std::string &file() const { return model_.file; }

 private:
  void checkModel() const;
  void countUses();
  void defineInitializers();
  void defineInput();
  void lowerNode(const OnnxNode &node);
  void checkDeclared(const OnnxNode &node, const std::string &tensor,
                     const ComputedTensor &value) const;
  std::string layerName(const OnnxNode &node) const;
  void finish();
  void decideZeroPointRules();
  [[noreturn]] void failGraph(int id, const std::string &field, const std::string &why) const;

  const OnnxModel &model_;
  int64_t opset_ = 0;
  Network network_;
  std::vector<LayerState> states_;
  std::map<std::string, Value> values_;
  std::map<std::string, int> uses_;
  std::map<std::string, const OnnxValueInfo *> declared_;
  std::deque<OnnxTensor> kept_;  // deque: references stay valid as it grows
};

// How an ONNX op type is lowered; nullptr if the op is not supported.
using OpHandler = void (*)(Lowering &, const OnnxNode &);
struct OpRule {
  OpHandler handler;
  size_t max_inputs;
};
const OpRule *findOpRule(const std::string &op_type);
// Why an op type is not supported, for the message.
std::string whyUnsupported(const std::string &op_type);

// [1, C] -> 1x1xC, [1, C, H, W] -> HxWxC.
TensorShape hwcShape(const std::vector<int64_t> &dims);
// "[1,16,32,32]"
std::string dimsText(const std::vector<int64_t> &dims);

}  // namespace pf::onnx
