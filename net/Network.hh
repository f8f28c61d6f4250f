// The typed model of a neural network (nets/*.toml, docs/networks.md).
//
// Plain data: readNetwork() parses and validates a network TOML at the tool's edge and
// infers every tensor shape; later stages (workload profile, mapping, schedule) consume
// this model without any knowledge of TOML.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Error.hh"

namespace pf {

// The operators a network may use: exactly what the pf_accel mapping can run
// (docs/accelerator.md) plus shape-only layers. Anything else is rejected by the reader.
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
};

// The TOML spelling ("conv2d", "depthwise_conv2d", ...).
const char *netOpName(NetOp op);

// Shape-only layers change how a tensor is indexed, not its values: they cost no MACs and
// are not scheduled. (In the accelerator's channel-padded layout a relabelling is free
// only when C is a multiple of ROWS; fixing up the padding is the mapping's job.)
bool isShapeOnly(NetOp op);

// Ops with a weight tensor (and an int32 bias per output channel after BN folding).
bool hasWeights(NetOp op);

// Fused activation, applied by the producing layer's requantisation clamp.
enum class Activation { None, Relu, Relu6 };
const char *activationName(Activation activation);

// Weight quantisation. Activations are always int8 per tensor with zero point 0.
enum class WeightQuant { None, Int8PerChannel, Int8PerTensor };
const char *weightQuantName(WeightQuant quant);

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

  SourceLoc loc;  // the layer's [[layer]] table
};

struct Network {
  std::string source_file;
  std::string name;
  std::string source;  // citation of the reference definition
  std::string input_name;
  TensorShape input_shape;
  std::vector<NetLayer> layers;  // topological order; the last layer is the output

  // Index of the layer called `layer_name`, or -1.
  int findLayer(const std::string &layer_name) const;
  // Layers that run on the accelerator (every layer but flatten/reshape).
  int schedulableLayerCount() const;
};

// Reads and validates a network TOML and infers all shapes; throws pf::Error (PF-6xxx
// or PF-11xx) naming the file, line, field and layer of the first problem.
Network readNetwork(const std::string &path);

// Work and storage of one layer under the counting rule of docs/networks.md.
struct LayerCost {
  int64_t macs = 0;          // multiply-accumulates of conv/depthwise/FC; bias adds excluded
  int64_t other_ops = 0;     // pooling compares/adds and residual adds (not MACs)
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
