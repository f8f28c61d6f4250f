// The typed model of a neural network (nets/*.toml, docs/networks.md).
//
// Plain data: readNetwork() parses and validates a network TOML at the tool's edge and
// infers every tensor shape; later stages (workload profile, mapping, schedule) consume
// this model without any knowledge of TOML.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/Error.hh"

namespace pf {

// The operators a network may use: what the pf_accel mapping can run (docs/accelerator.md),
// shape-only layers, and host operators that the host processor runs between accelerator
// layers (docs/host.md). Anything else is rejected by the reader.
enum class NetOp {
  Conv2d,           // dense convolution; pointwise is a 1x1 conv2d
  DepthwiseConv2d,  // one filter per channel (depth multiplier 1)
  FullyConnected,   // on a 1x1xC vector
  MaxPool,
  AvgPool,
  GlobalAvgPool,  // average over the whole HxW plane
  Add,            // elementwise sum of two equally shaped tensors (residual)
  Flatten,        // HxWxC -> 1x1x(H*W*C): a relabelling of the same HWC elements
  Reshape,        // same element count, new HxWxC: a relabelling of the same HWC elements
  GlobalMaxPool,  // maximum over the whole HxW plane (the accelerator's MAXPOOL)
  Concat,         // channels of 2+ tensors of equal HxW, in input order (a relabelling)
  // Host operators (runsOnHost): int8 in, int8 out, semantics in docs/host.md.
  Softmax,      // along one axis (HostParams::axis)
  Sigmoid,      // 1 / (1 + exp(-x))
  HardSigmoid,  // max(0, min(1, alpha * x + beta))
  HardSwish,    // x * max(0, min(1, x / 6 + 1/2))
  Mul,          // elementwise product; the second operand broadcasts (1x1xC, HxWx1, 1x1x1)
  Transpose,    // permutes the H, W and C axes (HostParams::perm)
};

// The TOML spelling ("conv2d", "depthwise_conv2d", ...).
const char *netOpName(NetOp op);

// Shape-only layers change how a tensor is indexed, not its values: they cost no MACs and
// are not scheduled (flatten, reshape, concat). (In the accelerator's channel-padded layout a
// relabelling is free only when C is a multiple of ROWS; fixing up the padding is the mapping's
// job.)
bool isShapeOnly(NetOp op);

// Ops the host processor runs (docs/host.md): the accelerator waits meanwhile.
bool runsOnHost(NetOp op);

// Ops with a weight tensor (and an int32 bias per output channel after BN folding).
bool hasWeights(NetOp op);

// Fused activation, applied by the producing layer's requantisation clamp.
enum class Activation { None, Relu, Relu6 };
const char *activationName(Activation activation);

// Weight quantisation: int8, symmetric (zero point 0).
enum class WeightQuant { None, Int8PerChannel, Int8PerTensor };
const char *weightQuantName(WeightQuant quant);

// Activation quantisation (docs/onnx.md, "Asymmetric activations"). The accelerator stores
// activations as int8 per tensor and pads windows with the int8 value 0. A model may
// quantise a tensor q as int8 or uint8 with a zero point z (real value (q - z) * scale);
// on the datapath it is int8 q' with zero point z' = z - 128 for uint8 (q' = q - 128,
// exact) and z' = z for int8. ZeroPointRule says how the tensor's datapath form is
// obtained from the model's:
enum class ZeroPointRule {
  Symmetric,      // int8 with zero point 0 as read, or not quantised by the model (TOML, float
                  // ONNX: the flow quantises it symmetric): nothing to do
  Shift128,       // uint8 with zero point 128: stored as q - 128, int8 with zero point 0; exact
  BiasFold,       // z' != 0 kept on the datapath: each conv / depthwise / fully connected /
                  // avg pool / add consumer folds -z'·Σw (avg pool: -z'·N; add: the zero points
                  // times the input weights) into its int32 bias, max pool takes it as is (max
                  // commutes with the shift); exact, as no consumer zero-pads it
  Resymmetrised,  // z' != 0 but a consumer zero-pads the tensor (its padding would be the
                  // real value -z'·scale, not 0), or a host operator computes it: re-expressed
                  // at its producer as int8 with zero point 0 and a scale covering the same
                  // real range (datapathScale()); one bit of resolution lost for a one-sided
                  // range such as the output of a ReLU
};
const char *zeroPointRuleName(ZeroPointRule rule);  // "symmetric", "shift128", ...

// The element type the model quantises a tensor to; None when it does not quantise it.
enum class ActivationType { None, Int8, Uint8 };
const char *activationTypeName(ActivationType type);  // "none", "int8", "uint8"

// How one tensor is quantised: as read from the model (type, zero point, scale) and how
// the datapath holds it (rule). The default is a tensor the model does not quantise.
struct ActivationQuant {
  ZeroPointRule rule = ZeroPointRule::Symmetric;
  ActivationType type = ActivationType::None;
  int64_t zero_point = 0;  // the model's, in `type` (uint8: 0..255, int8: -128..127)
  double scale = 0.0;      // the model's real value of one step; 0 where unknown

  // The zero point z' of the int8 datapath form: z - 128 (uint8) or z (int8) for BiasFold,
  // 0 for every other rule.
  int64_t datapathZeroPoint() const;
  // The zero point z' the model's own values have on the datapath, whatever the rule.
  int64_t modelDatapathZeroPoint() const;
  // The datapath scale: `scale`, except for Resymmetrised, where int8 with zero point 0
  // covers the model's real range [(-128 - z')·s, (127 - z')·s]:
  // s · max(128 + z', 127 - z') / 127 (255/127 of s for z' = -128).
  double datapathScale() const;

  bool operator==(const ActivationQuant &other) const = default;
};

// Parameters of a host operator. Tensors are int8 with zero point 0; a scale is the real
// value of one int8 step. Scales a model does not give (a float model, a TOML file without
// them) are the documented defaults of defaultHostParams(), flagged by default_scales.
struct HostParams {
  double input_scale = 0.0;   // input 0
  double input2_scale = 0.0;  // Mul's second operand
  double output_scale = 0.0;
  bool default_scales = true;
  int axis = 2;                         // Softmax: 0 = H, 1 = W, 2 = C
  std::array<int, 3> perm = {0, 1, 2};  // Transpose: output axis i is input axis perm[i]
  double alpha = 0.2, beta = 0.5;       // HardSigmoid (the ONNX defaults)

  bool operator==(const HostParams &other) const = default;
};

// The default scales of a host op (docs/host.md, "Default scales"): input 1/16 (range
// +-8), sigmoid-like outputs 1/128 (range 0..1), HardSwish and Mul outputs 1/16.
HostParams defaultHostParams(NetOp op);

struct TensorShape {
  int64_t h = 1;
  int64_t w = 1;
  int64_t c = 1;

  int64_t elements() const { return h * w * c; }
  bool operator==(const TensorShape &other) const = default;
};

// "HxWxC", e.g. "32x32x16".
std::string formatShape(const TensorShape &shape);

// Zero rows/columns around the input (max pooling ignores them).
struct Padding {
  int64_t top = 0;
  int64_t left = 0;
  int64_t bottom = 0;
  int64_t right = 0;

  bool operator==(const Padding &other) const = default;
};

// How the padding was given: the "same"/"valid" rules are resolved to explicit amounts
// by the reader, this keeps the spelling for display.
enum class PaddingRule { Valid, Same, Explicit };
const char *paddingRuleName(PaddingRule rule);

// Index of the network input in NetLayer::input_layers.
inline constexpr int kNetworkInput = -1;

struct NetLayer {
  std::string name;
  NetOp op = NetOp::Conv2d;
  std::vector<std::string> inputs;        // producer names as written (or implied)
  std::vector<int> input_layers;          // producer indices in Network::layers, or kNetworkInput
  std::vector<TensorShape> input_shapes;  // one per input
  TensorShape output_shape;

  int64_t kernel_h = 1, kernel_w = 1;  // conv, depthwise and pooling windows
  int64_t stride_h = 1, stride_w = 1;
  Padding padding;
  PaddingRule padding_rule = PaddingRule::Valid;

  Activation activation = Activation::None;
  WeightQuant weight_quant = WeightQuant::None;  // None for ops without weights
  double weight_sparsity = 0.0;                  // fraction of weights that are zero, [0, 1)
  double activation_sparsity = 0.0;  // fraction of input activations that are zero, [0, 1)
  HostParams host;                   // host ops only
  // How the layer's output tensor is quantised (read from an ONNX model; the default,
  // Symmetric and not quantised, for a TOML network). Max pools, shape-only layers and
  // transposes do not requantise: their output is quantised as their input.
  ActivationQuant output_quant;

  SourceLoc loc;  // the layer's [[layer]] table
};

struct Network {
  std::string source_file;
  std::string name;
  std::string source;  // citation of the reference definition
  std::string input_name;
  TensorShape input_shape;
  ActivationQuant input_quant;   // how the network input is quantised (see output_quant)
  std::vector<NetLayer> layers;  // topological order; the last layer is the output

  // Index of the layer called `layer_name`, or -1.
  int findLayer(const std::string &layer_name) const;
  // Layers that run somewhere, on the accelerator or the host (all but flatten/reshape):
  // the stages of a schedule.
  int schedulableLayerCount() const;
  // Layers that run on the host processor.
  int hostLayerCount() const;
};

// Reads and validates a network TOML and infers all shapes; throws pf::Error (PF-6xxx
// or PF-11xx) naming the file, line, field and layer of the first problem.
Network readNetwork(const std::string &path);

// Work and storage of one layer under the counting rule of docs/networks.md.
struct LayerCost {
  int64_t macs = 0;          // multiply-accumulates of conv/depthwise/FC; bias adds excluded
  int64_t other_ops = 0;     // pooling compares/adds, residual adds, host ops (not MACs)
  int64_t weight_bytes = 0;  // int8 weights
  int64_t bias_bytes = 0;    // int32 bias per output channel (BN folded)
  int64_t input_bytes = 0;   // all int8 inputs
  int64_t output_bytes = 0;  // int8 output
};

struct NetworkCost {
  std::vector<LayerCost> layers;  // one per Network::layers entry
  int64_t macs = 0;
  int64_t other_ops = 0;
  int64_t weight_bytes = 0;
  int64_t bias_bytes = 0;
  int64_t peak_activation_bytes = 0;  // largest input+output of a single schedulable layer
};

// Throws pf::Error PF-6040 (at the layer) if a count does not fit in 64 bits.
LayerCost layerCost(const NetLayer &layer);
NetworkCost networkCost(const Network &network);

}  // namespace pf
