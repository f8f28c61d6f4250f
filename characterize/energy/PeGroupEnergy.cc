#include "characterize/energy/PeGroupEnergy.hh"

#include <fmt/format.h>

#include <cmath>
#include <random>

#include "characterize/energy/NativeToggleSim.hh"
#include "characterize/energy/ToggleCounts.hh"
#include "core/Error.hh"

namespace pf::energy {

namespace {

int portWidth(const GateNetlist &netlist, const std::string &name) {
  const NetlistPort *port = netlist.findPort(name);
  if (!port)
    throw Error(5351, {}, name, fmt::format("netlist {} has no port '{}'", netlist.top, name));
  return static_cast<int>(port->nets.size());
}

// Byte streams with a given zero fraction and bit activity: a lane's next non-zero value
// flips each bit of its previous non-zero value with probability `bit_activity`.
class OperandStream {
 public:
  OperandStream(int lanes, double sparsity, double bit_activity, std::mt19937_64 &rng)
      : previous_(lanes, 0x5a), sparsity_(sparsity), bit_activity_(bit_activity), rng_(rng) {}

  uint8_t next(int lane) {
    uint8_t value = previous_[lane];
    for (int bit = 0; bit < 8; ++bit) {
      if (uniform_(rng_) < bit_activity_) value ^= static_cast<uint8_t>(1u << bit);
    }
    if (value == 0) value = static_cast<uint8_t>(1u << (rng_() % 8));
    previous_[lane] = value;
    return uniform_(rng_) < sparsity_ ? 0 : value;
  }

 private:
  std::vector<uint8_t> previous_;
  double sparsity_;
  double bit_activity_;
  std::mt19937_64 &rng_;
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
};

void setBytes(Stimulus &stimulus, const std::string &port, int bytes, OperandStream &stream) {
  for (int b = 0; b < bytes; ++b) stimulus.set(port, stream.next(b), 8 * b, 8);
}

std::string macPhase(size_t i) { return fmt::format("mac_{}", i); }

}  // namespace

const PeGroupClassEnergy *PeGroupEnergyTable::find(const std::string &op_class,
                                                   double sparsity) const {
  for (const PeGroupClassEnergy &c : classes) {
    if (c.op_class == op_class && std::abs(c.sparsity - sparsity) < 1e-9) return &c;
  }
  return nullptr;
}

Stimulus makePeGroupStimulus(const GateNetlist &netlist, const PeGroupEnergyOptions &options) {
  const int x_bytes = portWidth(netlist, "x_in") / 8;
  const int w_bytes = portWidth(netlist, "w_in") / 8;
  const int columns = portWidth(netlist, "init_val") / 32;
  std::mt19937_64 rng(options.seed);
  Stimulus s(netlist, "clk");
  const int n = options.cycles_per_point;

  s.beginPhase("warmup");
  s.set("iso", 0);
  s.set("max_mode", 0);
  s.set("rst_n", 1);
  s.settle();
  s.set("rst_n", 0);  // an explicit edge, so asynchronous clear/preset models see it
  s.settle();
  s.set("rst_n", 1);
  s.set("ce", 1);
  s.set("init", 1);
  for (int c = 0; c < columns; ++c) s.set("init_val", rng() & 0xffffffffu, 32 * c, 32);
  s.clockCycle();
  s.set("init", 0);
  s.set("ld", 1);
  OperandStream warm_x(x_bytes, 0.0, options.bit_activity, rng);
  OperandStream warm_w(w_bytes, 0.0, options.bit_activity, rng);
  for (int i = 0; i < 8; ++i) {
    setBytes(s, "x_in", x_bytes, warm_x);
    setBytes(s, "w_in", w_bytes, warm_w);
    s.clockCycle();
  }

  for (size_t i = 0; i < options.sparsities.size(); ++i) {
    s.beginPhase(macPhase(i));
    OperandStream x(x_bytes, options.sparsities[i], options.bit_activity, rng);
    OperandStream w(w_bytes, options.weight_sparsity, options.bit_activity, rng);
    for (int c = 0; c < n; ++c) {
      setBytes(s, "x_in", x_bytes, x);
      setBytes(s, "w_in", w_bytes, w);
      s.clockCycle();
    }
  }

  // Idle and gated groups still see the broadcast operand buses move when other groups
  // compute ("bus" classes); the "quiet" classes hold every input.
  OperandStream bus_x(x_bytes, 0.0, options.bit_activity, rng);
  OperandStream bus_w(w_bytes, 0.0, options.bit_activity, rng);
  s.beginPhase("idle_clocked");
  s.set("ce", 0);
  for (int c = 0; c < n; ++c) {
    setBytes(s, "x_in", x_bytes, bus_x);
    setBytes(s, "w_in", w_bytes, bus_w);
    s.clockCycle();
  }
  s.beginPhase("idle_clocked_quiet");
  for (int c = 0; c < n; ++c) s.clockCycle();
  s.beginPhase("gated");
  for (int c = 0; c < n; ++c) {
    setBytes(s, "x_in", x_bytes, bus_x);
    setBytes(s, "w_in", w_bytes, bus_w);
    s.settle();
  }
  s.beginPhase("gated_quiet");
  for (int c = 0; c < n; ++c) s.settle();
  return s;
}

std::vector<PeGroupEnergyTable> characterizePeGroup(
    const GateNetlist &netlist, const std::vector<const liberty::Library *> &libraries,
    const PeGroupEnergyOptions &options, const std::string &work_dir, ToggleSimStats *stats) {
  if (libraries.empty()) throw Error(5352, {}, "libraries", "no liberty library given");
  if (options.cycles_per_point <= 0) throw Error(5353, {}, "cycles_per_point", "must be positive");
  const Stimulus stimulus = makePeGroupStimulus(netlist, options);
  // In process where the native simulator models the netlist exactly, else in Verilator.
  std::vector<uint32_t> no_samples;
  const std::vector<PhaseToggles> phases = simulateToggles(
      netlist, *libraries.front(), "clk", work_dir, stimulus, {}, no_samples, stats);

  // The classes' toggles (every phase but the warm-up stands for cycles_per_point cycles,
  // clocked or not), kept for pricing again without simulating.
  std::vector<ClassToggleCounts> counts;
  for (const PhaseToggles &phase : phases) {
    if (phase.name == "warmup") continue;
    ClassToggleCounts cls{phase.name, 0, options.cycles_per_point, phase.rise, phase.fall};
    for (size_t i = 0; i < options.sparsities.size(); ++i) {
      if (phase.name == macPhase(i)) {
        cls.op_class = "mac";
        cls.sparsity = options.sparsities[i];
      }
    }
    counts.push_back(std::move(cls));
  }
  writeToggleCounts(work_dir + "/" + kToggleCountsFile, netlist, counts);

  std::vector<PeGroupEnergyTable> tables;
  const double per_cycle = 1.0 / options.cycles_per_point;
  for (const liberty::Library *library : libraries) {
    const EnergyModel model(netlist, *library, options.energy);
    PeGroupEnergyTable table;
    table.library = library->name;
    table.voltage_v = library->nominal_voltage_v;
    table.lanes = portWidth(netlist, "x_in") / 8;
    table.columns = portWidth(netlist, "init_val") / 32;
    for (const ClassToggleCounts &cls : counts) {
      PeGroupClassEnergy entry;
      entry.op_class = cls.op_class;
      entry.sparsity = cls.sparsity;
      entry.per_cycle = model.energy(cls.rise, cls.fall).scaled(per_cycle);
      table.classes.push_back(entry);
    }
    tables.push_back(std::move(table));
  }
  return tables;
}

}  // namespace pf::energy
