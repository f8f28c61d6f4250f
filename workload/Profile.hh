// The workload profile: per layer, what the scheduler needs to price the layer at any
// clock f and external bandwidth B (docs/mapping.md, docs/formats.md "Workload profile").
//
// Cycle counts come from golden/Timing (the RTL's exact timing, checked in Verilator by
// tests/workload), summed over the layer's descriptors. Layer time at clock f and
// bandwidth B (phases run in sequence, as in the RTL):
//
//   t(f, B) = (compute + control) / f
//           + sum over p in {fetch, load, store}: (cycles_p - beats_p) / f
//                                                 + max(beats_p / f, bytes_p / B)
//
// beats_p are the 64-bit transfers of the phase (one per cycle with an always-ready
// memory); the rest of a DMA phase is fixed handshake/latency overhead at the profile's
// read latency.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "golden/Layer.hh"
#include "net/Network.hh"
#include "workload/HostModel.hh"
#include "workload/Mapping.hh"

namespace pf {

inline constexpr const char *kProfileFormat = "powerflow-profile";
inline constexpr int kProfileVersion = 2;  // 2: host layers

// Cycles per RTL phase, summed over a layer's descriptors, with an always-ready memory
// answering reads after the profile's read latency. control = the start cycle and the
// done cycle of every descriptor; total = all of them = what the layer takes when its
// descriptors are started back to back.
struct PhaseCycles {
  int64_t fetch = 0;
  int64_t load = 0;
  int64_t compute = 0;
  int64_t store = 0;
  int64_t control = 0;
  int64_t total = 0;

  bool operator==(const PhaseCycles &other) const = default;
};

// External-memory traffic of a layer.
struct LayerTraffic {
  int64_t fetch_beats = 0, fetch_bytes = 0;  // descriptors (64 bytes each)
  int64_t load_beats = 0, load_bytes = 0;    // everything loaded
  int64_t store_beats = 0, store_bytes = 0;  // everything stored
  // Load/store split by what moves (words of the respective buffer).
  int64_t weight_load_words = 0, weight_load_bytes = 0;
  int64_t input_load_words = 0, input_load_bytes = 0;  // the network input
  int64_t spill_load_words = 0, spill_load_bytes = 0;  // tensors kept in external memory
  int64_t spill_store_words = 0, spill_store_bytes = 0;
  int64_t output_store_words = 0, output_store_bytes = 0;  // the network output

  bool operator==(const LayerTraffic &other) const = default;
};

// Word accesses per bank (DMA and compute, reads and writes).
struct BankAccesses {
  std::vector<int64_t> act_reads_words, act_writes_words;  // one entry per data bank
  std::vector<int64_t> w_reads_words, w_writes_words;      // one entry per weight bank

  bool operator==(const BankAccesses &other) const = default;
};

struct ProfileTile {
  uint32_t desc_addr = 0;
  LayerDesc desc;
  int block = 0;
  int row0 = 0, row1 = 0, col0 = 0, col1 = 0;
};

// What the host processor spends on a host layer (workload/HostModel.hh).
struct HostLayerCost {
  int64_t cycles = 0;  // host clock cycles
  double time_ns = 0.0;
  double energy_pj = 0.0;
  int64_t bytes_read = 0;  // from external memory
  int64_t bytes_written = 0;

  bool operator==(const HostLayerCost &other) const = default;
};

struct LayerProfile {
  std::string name;
  std::string op;                   // network op ("conv2d", ...)
  std::string accel_op;             // descriptor op ("CONV", ...); "HOST" for a host layer
  int network_index = 0;            // index into the network's layers (shape-only ones included)
  std::vector<std::string> inputs;  // tensor names
  std::string output;
  std::vector<std::array<int64_t, 3>> input_hwc;
  std::array<int64_t, 3> output_hwc{};

  // Tiling (docs/mapping.md).
  std::string scheme;  // "row_bands" | "pixels"
  int tiles = 0;
  int channel_blocks = 1;
  int row_bands = 1;
  int rows_per_band = 1;
  bool refolded = false;
  std::vector<int> block_start;  // output channel blocks

  PhaseCycles cycles;
  LayerTraffic traffic;
  int64_t macs = 0;
  int64_t other_ops = 0;

  uint32_t pe_groups = 0;             // PE column groups the layer clocks
  uint32_t act_banks_used = 0;        // data banks accessed (must be on)
  uint32_t w_banks_used = 0;          // weight banks accessed
  uint32_t act_banks_live_after = 0;  // data banks holding tensors live after the layer
  BankAccesses accesses;

  double weight_sparsity = 0.0;      // from the network
  double activation_sparsity = 0.0;  // from the network (of the layer's inputs)
  double operand_sparsity = 0.0;     // 1 - (1 - w)(1 - a): a MAC with a zero operand

  std::vector<std::string> input_location;  // "on_chip" | "external", one per input
  std::string output_location;              // "on_chip" | "external"
  std::vector<ProfileTile> descriptors;

  // A host layer (docs/host.md) runs on the host processor while the accelerator waits: it
  // has no descriptors, tiles, cycles, accelerator traffic or bank accesses (scheme "host");
  // host_op is what it computes, host_cost what it costs under the profile's host model.
  bool on_host = false;
  HostOpDesc host_op;
  bool host_default_scales = false;  // its scales are defaultHostParams(), not the model's
  HostLayerCost host_cost;
};

struct ProfileTensor {
  std::string name;
  std::string producer;  // layer name, "" for the network input
  std::array<int64_t, 3> hwc{};
  std::vector<int> block_start;
  int64_t words = 0;
  bool on_chip = false;
  int64_t act_base = -1;
  bool external = false;
  int64_t ext_addr = 0;
  std::vector<std::string> consumers;
};

struct Profile {
  std::string generated_by;  // the command that wrote it
  std::string network;
  std::string network_file;
  AccelConfig accel;
  int read_latency_cycles = 2;
  // Where the layers' weight and activation sparsity come from: "network" (declared in
  // the network file, 0 when not declared) or "data, seed N" (measured on the golden
  // model's run over the seeded random data the co-simulation also generates,
  // sim/DataSparsity.hh).
  std::string sparsity_source = "network";
  std::vector<LayerProfile> layers;  // accelerator and host layers in network order
  std::vector<ProfileTensor> tensors;
  ExternalMap ext;
  HostModel host_model;  // prices the host layers

  bool hasHostLayers() const;

  // Sums over the layers.
  PhaseCycles totalCycles() const;
  LayerTraffic totalTraffic() const;
  int64_t totalMacs() const;
  const LayerProfile *findLayer(const std::string &name) const;
};

struct ProfileOptions {
  int read_latency = 2;                       // cycles from an accepted read to its data (>= 1)
  std::string generated_by;                   // recorded in the file
  HostModel host_model = defaultHostModel();  // prices host layers
};

// Word accesses of one descriptor per bank, added to `counts` (sized by the caller's
// config). The model of the "Signals and checks" section of docs/accelerator.md.
void countBufferAccesses(const LayerDesc &desc, const AccelConfig &cfg, BankAccesses &counts);

// The profile of a mapping. `network` must be the one mapped.
Profile profileMapping(const Mapping &mapping, const Network &network,
                       const ProfileOptions &options = {});

// JSON text of the profile (deterministic: the same profile gives the same bytes).
std::string profileJson(const Profile &profile);
// Parses profile JSON; errors are pf::Error naming `file`, the line and the JSON path
// (PF-1403 for JSON syntax, PF-6710..6715 for content, the field reader's numbers of
// core/JsonNode.hh for a number out of range or an array of another length).
Profile parseProfile(const std::string &text, const std::string &file);
Profile readProfile(const std::string &path);

}  // namespace pf
