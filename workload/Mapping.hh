// Mapping a network onto pf_accel (docs/mapping.md): the descriptors ("tiles") that run
// each layer, where every tensor lives (data buffer, external memory or both), and the
// external-memory image (descriptor table, weight images, spilled tensors).
//
// Pure: a Network and an AccelConfig in, a Mapping out; no I/O. A layer that cannot be
// mapped throws pf::Error (PF-67xx) located at the layer's [[layer]] table and naming it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Design.hh"
#include "golden/HostOps.hh"
#include "golden/Layer.hh"
#include "net/Network.hh"

namespace pf {

struct MappingOptions {
  uint32_t ext_base = 0;   // first byte of the external-memory image (64-byte aligned)
  bool spill_all = false;  // store every layer output and reload it (tests, debugging)
};

// A tensor as the accelerator stores it. Its channels are split into blocks
// [block_start[b], block_start[b+1]); each block is a padded HWC tensor of its own and
// the blocks lie back to back (block b at words h*w*CW(channels before b)). One block
// is the plain layout of docs/accelerator.md; with h = w = 1 the blocked layout is
// byte-identical to the plain one.
struct MappedTensor {
  std::string name;   // the producing layer's name, or the network input's
  int producer = -1;  // index into Network::layers, -1 for the network input
  int h = 1, w = 1, c = 1;
  std::vector<int> block_start = {0, 1};  // block_start.front() = 0, back() = c
  int words = 0;                          // data-buffer words of all blocks
  bool on_chip = false;        // resident in the data buffer from its producer to its last use
  int act_base = -1;           // data-buffer word address while on chip
  bool external = false;       // lives in external memory (network input/output, spilled)
  uint32_t ext_addr = 0;       // byte address of the external copy
  std::vector<int> consumers;  // indices into Network::layers (schedulable layers)
  // >= 0: this tensor is the plain copy of the channel-blocked tensor `gather_of`, which
  // the gather tiles of its producer (the first convolution reading it) write; always in
  // external memory. The convolutions reading that tensor read this copy.
  int gather_of = -1;
  // A concat's output (docs/mapping.md, "Concat"): the tensors whose channels it joins, in
  // order. Its channel blocks start at each of them; `producer` is the concat layer.
  std::vector<int> concat_of;
  // >= 0: a concat input stored in place. The tensor has no storage of its own: it is
  // channels [alias_channel, alias_channel + c) of tensor `alias_of` (a concat's output,
  // whose block boundaries include this tensor's), and its producer writes it there. Its
  // on_chip, act_base, external and ext_addr are those of its storage
  // (Mapping::storageOf) plus its offset there (Mapping::storageOffsetWords).
  int alias_of = -1;
  int alias_channel = 0;

  int blockCount() const { return int(block_start.size()) - 1; }
  int blockChannels(int b) const { return block_start[size_t(b) + 1] - block_start[size_t(b)]; }
  // Word offset of block b within the tensor.
  int blockOffsetWords(int b, const AccelConfig &cfg) const;
  int lastUse() const { return consumers.empty() ? producer : consumers.back(); }
};

// Where a descriptor's external transfer goes: a tensor (index into Mapping::tensors) and
// a byte offset inside it. tensor = -1: no transfer.
struct ExtRef {
  int tensor = -1;
  int64_t offset_bytes = 0;
};

// One descriptor: a part of a layer (some output channels, some output rows or one
// output pixel).
struct MappedTile {
  LayerDesc desc;          // complete, with buffer placement and external addresses
  uint32_t desc_addr = 0;  // where the descriptor lies in external memory
  int block = 0;           // channel block of the layer (index into MappedLayer::block_start)
  int row0 = 0, row1 = 0;  // output rows [row0, row1) of the layer
  int col0 = 0, col1 = 0;  // output columns [col0, col1)
  ExtRef act, act2, out;   // external transfers (loads of act/act2, the store of out)
  // Index into Mapping::weight_images of the weights the tile uses (-1: MAXPOOL). Only the
  // first tile of a block loads them (desc.w_dma_words > 0); the others find them resident.
  int weight_image = -1;
  // A gather tile (docs/mapping.md): copies pixel (row0, col0) of channel block `block` of
  // a blocked tensor into its plain copy with a 1x1 MAXPOOL (the identity). block, rows
  // and columns then refer to the blocked tensor, not to the layer's output.
  bool gather = false;
  // A concat copy tile (docs/mapping.md, "Concat"): copies rows [row0, row1) of channel
  // block `block` of a concat input that is not stored in place into the concat's output
  // with a 1x1 MAXPOOL (the identity); block and rows refer to that input,
  // MappedLayer::copies[copy_index].
  bool copy = false;
  int copy_index = -1;
  // A tile of the first pass of a pool split in two (docs/mapping.md, "Large pools"): it
  // computes rows [row0, row1) of block `block` of MappedLayer::intermediate with the
  // first pass's parameters.
  bool pass1 = false;
};

// A concat input that is not stored in place (the network input, a tensor already stored
// as part of another concat, an input given twice): the copy tiles of the first layer
// reading the concat's output copy it there (docs/mapping.md, "Concat").
struct ConcatCopy {
  int source = -1;  // into Mapping::tensors
  int concat = -1;  // the concat's output, into Mapping::tensors
  int channel = 0;  // first channel of `source` in it
};

// How a layer is cut into tiles (docs/mapping.md, "Tiling").
enum class TileScheme {
  RowBands,  // per channel block, bands of whole output rows (one band = the whole layer)
  Pixels,    // per channel block, one output pixel each (pointwise CONV whose weights do
             // not fit and whose output must stay in the plain layout)
};
const char *tileSchemeName(TileScheme scheme);

struct MappedLayer {
  int index = -1;                         // into Network::layers
  LayerDesc shape;                        // the whole layer as one descriptor (shape fields only)
  bool refolded = false;                  // a pooling window over whole rows refolded to fit 15x15
  std::vector<int> inputs;                // into Mapping::tensors, one per network input
  int output = -1;                        // into Mapping::tensors
  std::vector<int> block_start = {0, 1};  // output-channel blocks (weight images)
  TileScheme scheme = TileScheme::RowBands;
  int rows_per_band = 1;
  int row_bands = 1;
  // A pool too large for one descriptor split into two passes (docs/mapping.md, "Large
  // pools"): the first (`pass1`, shape fields only) pools the input into the tensor
  // `intermediate`, the second (`shape`) pools that into the output. -1: one pass.
  int intermediate = -1;
  LayerDesc pass1;
  // Tiles in execution order: concat copies, gathers, the first pass, then the layer's own.
  std::vector<MappedTile> tiles;
  std::vector<int> gathers;           // plain copies (into Mapping::tensors) it writes
  std::vector<ConcatCopy> copies;     // concat inputs it copies into place
  uint32_t live_after_act_banks = 0;  // banks holding on-chip tensors live after the layer
  uint32_t scratch_base = 0;          // data-buffer words used for streamed tiles
  int scratch_words = 0;

  int blockCount() const { return int(block_start.size()) - 1; }
};

// A layer the host processor runs (runsOnHost, docs/host.md). The accelerator stores its
// inputs to external memory and loads its output from there; the host reads and writes
// them in their stored layout (golden/Packing), so the mapping only has to keep them off
// chip.
struct MappedHostLayer {
  int index = -1;           // into Network::layers
  HostOpDesc desc;          // the op on unpadded HWC tensors (the network's view of them)
  std::vector<int> inputs;  // into Mapping::tensors, one per network input
  int output = -1;          // into Mapping::tensors
};

// The host op of a host layer (runsOnHost(layer.op)).
HostOpDesc hostOpDesc(const NetLayer &layer);

// A weight image in external memory: the weight tiles of one channel block of a layer,
// as golden/Packing's packWeights() lays them out for that block's descriptor.
struct WeightImage {
  int layer = -1;  // index into Mapping::layers
  int block = 0;
  int words = 0;  // weight words
  uint32_t ext_addr = 0;
};

// Byte ranges of the external-memory image, each 64-byte aligned, in this order.
struct ExternalMap {
  uint32_t descriptors_addr = 0;
  uint32_t descriptors_bytes = 0;
  uint32_t weights_addr = 0;
  uint32_t weights_bytes = 0;
  uint32_t tensors_addr = 0;
  uint32_t tensors_bytes = 0;
  uint32_t end = 0;  // first byte past the image
};

struct Mapping {
  AccelConfig cfg;
  std::vector<MappedTensor> tensors;         // tensors[0] is the network input
  std::vector<MappedLayer> layers;           // accelerator layers in network order
  std::vector<MappedHostLayer> host_layers;  // host layers in network order
  std::vector<WeightImage> weight_images;
  ExternalMap ext;
  int spill_rounds = 0;  // re-plans after moving a tensor off chip (for reports)

  int tileCount() const;
  // The tensor holding tensor t's words (t itself unless t is a concat input stored in
  // place), and t's word offset in it.
  int storageOf(int tensor) const;
  int storageOffsetWords(int tensor) const;
};

// One stage of a mapped network: an accelerator layer (index into Mapping::layers) or a
// host layer (index into Mapping::host_layers).
struct MappedStage {
  bool host = false;
  int index = -1;
};

// The stages in network order: the order of the profile's and the schedule's layers.
std::vector<MappedStage> mappedStages(const Mapping &mapping);

// Everything wrong with an accelerator configuration for mapping (the parameter rules of
// docs/accelerator.md). Empty means usable.
std::vector<std::string> checkAccelConfig(const AccelConfig &cfg);

// The accelerator parameters of a design (ROWS, COLS, ... of [design.parameters]; the
// documented defaults for any that are absent). Throws PF-6707 if they are unusable.
AccelConfig accelConfigOf(const DesignSpec &design);

// Maps every schedulable layer of `network`. Throws pf::Error (PF-67xx) naming the layer
// and what does not fit when a layer cannot be mapped, PF-6707 for a bad configuration.
Mapping mapNetwork(const Network &network, const AccelConfig &cfg,
                   const MappingOptions &options = {});

}  // namespace pf
