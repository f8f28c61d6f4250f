#include "characterize/energy/NativeToggleSim.hh"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "characterize/energy/BoolExpr.hh"
#include "characterize/energy/CellModels.hh"
#include "core/Error.hh"

namespace pf::energy {

namespace {

// Stimulus::encoded() op codes (ToggleSim.cc); own names as the library builds as one unit.
constexpr uint32_t kStimulusEndPhase = 0;
constexpr uint32_t kStimulusClockCycle = 1;

// One liberty cell as truth tables; the variables are the input pins in liberty order, then
// the state (IQ; IQN is its complement). Empty optional with `why` set if not modellable.
struct CompiledCell {
  std::vector<std::string> input_pins;
  std::vector<std::string> output_pins;
  int inputs = 0;
  bool sequential = false;
  std::vector<std::vector<bool>> output;
  std::vector<bool> clock, clear, preset, next;
};

std::optional<CompiledCell> compileCell(const liberty::Cell &cell, std::string &why) {
  CompiledCell out;
  for (const liberty::Pin &pin : cell.pins) {
    if (pin.direction == liberty::PinDirection::Inout) {
      why = fmt::format("cell {} has an inout pin {}", cell.name, pin.name);
      return std::nullopt;
    }
  }
  for (const liberty::Pin *pin : cell.inputs()) out.input_pins.push_back(pin->name);
  for (const liberty::Pin *pin : cell.outputs()) out.output_pins.push_back(pin->name);
  out.inputs = static_cast<int>(out.input_pins.size());
  if (cell.sequential && cell.sequential->is_latch) {
    why = fmt::format("cell {} is a latch", cell.name);
    return std::nullopt;
  }
  out.sequential = cell.sequential.has_value();
  const int vars = out.inputs + (out.sequential ? 1 : 0);
  if (vars > NativeToggleSim::kMaxCellVariables) {
    why = fmt::format("cell {} has {} inputs and states (at most {})", cell.name, vars,
                      NativeToggleSim::kMaxCellVariables);
    return std::nullopt;
  }
  std::map<std::string, std::pair<int, bool>> var_of;  // name -> (variable, inverted)
  for (int k = 0; k < out.inputs; ++k) var_of[out.input_pins[k]] = {k, false};
  if (out.sequential) {
    if (!cell.sequential->state_var.empty()) var_of[cell.sequential->state_var] = {vars - 1, false};
    if (!cell.sequential->state_var_inv.empty())
      var_of[cell.sequential->state_var_inv] = {vars - 1, true};
  }
  bool unknown = false;
  auto table = [&](const std::string &text, const std::string &what) {
    const BoolExpr expr = BoolExpr::parse(text, fmt::format("cell {} {}", cell.name, what));
    std::vector<bool> bits(size_t{1} << vars);
    for (uint32_t a = 0; a < bits.size(); ++a) {
      bits[a] = expr.eval([&](const std::string &name) {
        const auto it = var_of.find(name);
        if (it == var_of.end()) {
          if (!unknown) why = fmt::format("cell {} {} uses unknown '{}'", cell.name, what, name);
          unknown = true;
          return false;
        }
        return (((a >> it->second.first) & 1u) != 0) != it->second.second;
      });
    }
    return bits;
  };
  for (const liberty::Pin *pin : cell.outputs()) {
    if (pin->function.empty()) {
      why = fmt::format("cell {} output {} has no function", cell.name, pin->name);
      return std::nullopt;
    }
    out.output.push_back(table(pin->function, "pin " + pin->name));
  }
  if (out.sequential) {
    const liberty::Sequential &seq = *cell.sequential;
    out.clock = table(seq.clocked_on, "clocked_on");
    out.next = table(seq.next_state, "next_state");
    if (!seq.clear.empty()) out.clear = table(seq.clear, "clear");
    if (!seq.preset.empty()) out.preset = table(seq.preset, "preset");
  }
  if (unknown) return std::nullopt;
  return out;
}

// Bit `a` of an optional table (an absent clear or preset is never active).
bool bitOf(const std::vector<bool> &table, uint32_t a) { return !table.empty() && table[a]; }

}  // namespace

bool NativeToggleSim::supports(const GateNetlist &netlist, const liberty::Library &library,
                               const std::string &clock_port, std::string *why) {
  std::string reason;
  auto refuse = [&](std::string text) {
    if (why) *why = std::move(text);
    return false;
  };
  if (!clock_port.empty() && !netlist.findPort(clock_port))
    return refuse(fmt::format("netlist has no clock port '{}'", clock_port));
  if (const NetlistPort *clock = clock_port.empty() ? nullptr : netlist.findPort(clock_port);
      clock && (!clock->is_input || clock->nets.size() != 1 || clock->nets[0] < 0))
    return refuse(fmt::format("clock port '{}' is not a single-bit input", clock_port));
  // The Verilator models: whatever generateCellModels() leaves out is an error there too.
  const CellModelSet models = generateCellModels(library);
  const std::set<std::string> modelled(models.modelled.begin(), models.modelled.end());
  std::map<std::string, CompiledCell> compiled;
  std::vector<int> drivers(static_cast<size_t>(netlist.numNets()), 0);
  for (const NetlistPort &port : netlist.ports) {
    if (!port.is_input) continue;
    for (int net : port.nets)
      if (net >= 0) ++drivers[net];
  }
  for (const NetlistCell &inst : netlist.cells) {
    if (!modelled.count(inst.type))
      return refuse(fmt::format("cell type '{}' has no model", inst.type));
    auto it = compiled.find(inst.type);
    if (it == compiled.end()) {
      std::optional<CompiledCell> cell = compileCell(*library.findCell(inst.type), reason);
      if (!cell) return refuse(reason);
      it = compiled.emplace(inst.type, std::move(*cell)).first;
    }
    std::set<std::string> seen;
    for (const auto &[pin, net] : inst.pins) {
      if (!seen.insert(pin).second)
        return refuse(fmt::format("cell {} connects pin {} twice", inst.name, pin));
      const bool input =
          std::count(it->second.input_pins.begin(), it->second.input_pins.end(), pin);
      const bool output =
          std::count(it->second.output_pins.begin(), it->second.output_pins.end(), pin);
      if (!input && !output)
        return refuse(fmt::format("cell {} has no pin {} in the liberty", inst.name, pin));
      if (output) {
        if (net < 0)
          return refuse(fmt::format("output {}.{} is tied to a constant", inst.name, pin));
        ++drivers[net];
      }
    }
    for (const std::string &pin : it->second.input_pins)
      if (!seen.count(pin))
        return refuse(fmt::format("input {}.{} is not connected", inst.name, pin));
  }
  for (int n = 0; n < netlist.numNets(); ++n)
    if (drivers[n] > 1)
      return refuse(fmt::format("net {} has {} drivers", netlist.net_names[n], drivers[n]));
  // Combinational loops: the constructor levelizes; it throws on a loop.
  std::optional<NativeToggleSim> probe;
  try {
    probe.emplace(netlist, library, clock_port);
  } catch (const Error &error) {
    return refuse(error.what());
  }
  return probe->flopStartIsDefined(why);
}

bool NativeToggleSim::flopStartIsDefined(std::string *why) {
  // Verilator folds constants: an edge expression that folds to a constant never
  // triggers. And whether it sees a rising edge at its first eval depends on how it
  // compiled the expression: its edge history starts at 0 for the variable it chose, so
  // `posedge v` fires where v settles to 1, but it may have rewritten the expression as
  // `negedge w` of another flop's control (never fires at the start) or inlined it down to
  // flop states (no edge). So no flop's clock, clear or preset may read a constant, an
  // undriven net or a tie cell, however far back (how far Verilator folds is not
  // modelled), and no flop may start with its clock active where the edge would change
  // it. A clear or preset active at the start is defined here: it sets or clears the flop
  // at the first eval, as the asynchronous (level-sensitive) control does in silicon; on
  // such a flop Verilator's own model may miss the edge (docs/characterize-energy.md).
  const int nets = netlist_.numNets();
  std::vector<std::pair<int, int>> driver(static_cast<size_t>(nets), {-1, -1});  // cell, output
  for (int c = 0; c < static_cast<int>(cells_.size()); ++c)
    for (int o = 0; o < cells_[c].outputs; ++o)
      if (const int net = out_nets_[cells_[c].first_out + o]; net >= 0) driver[net] = {c, o};
  std::vector<uint8_t> primary(static_cast<size_t>(nets), 0);
  for (int net : input_nets_)
    if (net >= 0) primary[net] = 1;
  if (clock_net_ >= 0) primary[clock_net_] = 1;
  // Whether the combinational fan-in of a net (up to inputs and flop outputs) reaches a
  // constant; memoized, recursion as deep as the logic.
  enum : uint8_t { kDone = 1, kConstant = 2 };
  std::vector<uint8_t> reach(static_cast<size_t>(nets), 0);
  std::function<uint8_t(int)> sources = [&](int net) -> uint8_t {
    if (net >= nets) return kConstant;
    if (reach[net] & kDone) return reach[net];
    uint8_t found = 0;
    if (!primary[net]) {
      const auto [c, o] = driver[net];
      if (c < 0) {
        found = kConstant;  // undriven
      } else if (cells_[c].flop < 0) {
        const CellType &type = types_[cells_[c].type];
        const uint32_t depends = type.depends[o];
        if (depends == 0) found = kConstant;  // a tie cell
        for (int k = 0; k < type.inputs; ++k)
          if ((depends >> k) & 1u) found |= sources(in_nets_[cells_[c].first_in + k]);
      }
    }
    reach[net] = found | kDone;
    return reach[net];
  };
  // The initial settle, as in run(): which flops an edge at the start would change.
  reset();
  settle();
  for (int f = 0; f < static_cast<int>(flop_cell_.size()); ++f) {
    const Instance &cell = cells_[flop_cell_[f]];
    const CellType &type = types_[cell.type];
    const std::string &name = netlist_.cells[flop_cell_[f]].name;
    auto refuse = [&](const std::string &text) {
      if (why) *why = fmt::format("flop {}: {}", name, text);
      return false;
    };
    if (type.constant_control) return refuse("a constant clock, clear or preset");
    uint8_t found = 0;
    for (int k = 0; k < type.inputs; ++k)
      if ((type.control_depends >> k) & 1u) found |= sources(in_nets_[cell.first_in + k]);
    if (found & kConstant)
      return refuse("its clock, clear or preset reads a constant, undriven or tie net");
    const uint32_t a = address(cell);
    const bool clear = bitOf(type.clear, a), preset = bitOf(type.preset, a);
    if (clear || preset) continue;  // level-sensitive: defined (above)
    if (type.clock[a] && (type.next[a] ? 1 : 0) != state_[f])
      return refuse(
          "its clock starts active and the edge would change it (whether Verilator sees that "
          "as an edge is not modelled)");
  }
  return true;
}

NativeToggleSim::NativeToggleSim(const GateNetlist &netlist, const liberty::Library &library,
                                 std::string clock_port)
    : netlist_(netlist), clock_port_(std::move(clock_port)) {
  const int nets = netlist.numNets();
  auto netIndex = [&](int net) {
    return net == GateNetlist::kConst0 ? nets : net == GateNetlist::kConst1 ? nets + 1 : net;
  };
  for (const NetlistPort &port : netlist.ports) {
    if (!port.is_input) continue;
    const bool clock = !clock_port_.empty() && port.name == clock_port_;
    for (int net : port.nets) {
      if (clock) {
        clock_net_ = net;
      } else {
        input_nets_.push_back(net >= 0 ? net : -1);
      }
    }
  }
  input_bits_ = static_cast<int>(input_nets_.size());

  std::map<std::string, int> type_of;
  std::vector<CompiledCell> compiled;
  std::vector<int> driver(static_cast<size_t>(nets), -1);
  for (const NetlistCell &inst : netlist.cells) {
    auto it = type_of.find(inst.type);
    if (it == type_of.end()) {
      std::string why;
      const liberty::Cell *lib_cell = library.findCell(inst.type);
      std::optional<CompiledCell> cell = lib_cell ? compileCell(*lib_cell, why) : std::nullopt;
      if (!cell)
        throw Error(5339, {}, inst.name,
                    fmt::format("the native toggle simulator cannot model cell type '{}': {}",
                                inst.type, why.empty() ? "not in the liberty" : why));
      CellType type;
      type.inputs = cell->inputs;
      type.sequential = cell->sequential;
      type.output = cell->output;
      type.clock = cell->clock;
      type.clear = cell->clear;
      type.preset = cell->preset;
      type.next = cell->next;
      for (const std::vector<bool> &table : type.output) {
        uint32_t mask = 0;
        for (int k = 0; k < type.inputs; ++k)
          for (uint32_t a = 0; a < table.size() && !((mask >> k) & 1u); ++a)
            if (table[a] != table[a ^ (1u << k)]) mask |= 1u << k;
        type.depends.push_back(mask);
      }
      for (const std::vector<bool> *table : {&type.clock, &type.clear, &type.preset}) {
        if (table->empty()) continue;
        bool reads = false;
        for (int k = 0; k < type.inputs + (type.sequential ? 1 : 0); ++k)
          for (uint32_t a = 0; a < table->size(); ++a)
            if ((*table)[a] != (*table)[a ^ (1u << k)]) {
              reads = true;
              if (k < type.inputs) type.control_depends |= 1u << k;
            }
        type.constant_control = type.constant_control || !reads;
      }
      it = type_of.emplace(inst.type, static_cast<int>(types_.size())).first;
      types_.push_back(std::move(type));
      compiled.push_back(std::move(*cell));
    }
    const CompiledCell &cc = compiled[it->second];
    Instance cell;
    cell.type = it->second;
    cell.first_in = static_cast<int>(in_nets_.size());
    cell.first_out = static_cast<int>(out_nets_.size());
    cell.outputs = static_cast<int>(cc.output_pins.size());
    auto netOf = [&](const std::string &pin) {
      for (const auto &[name, net] : inst.pins)
        if (name == pin) return std::optional<int>(net);
      return std::optional<int>();
    };
    for (const std::string &pin : cc.input_pins) {
      const std::optional<int> net = netOf(pin);
      if (!net)
        throw Error(5338, {}, inst.name,
                    fmt::format("the native toggle simulator needs input {} connected", pin));
      in_nets_.push_back(netIndex(*net));
    }
    for (const std::string &pin : cc.output_pins) {
      const std::optional<int> net = netOf(pin);
      const int index = net && *net >= 0 ? *net : -1;
      out_nets_.push_back(index);
      if (index >= 0) driver[index] = static_cast<int>(cells_.size());
    }
    if (cc.sequential) {
      cell.flop = static_cast<int>(flop_cell_.size());
      flop_cell_.push_back(static_cast<int>(cells_.size()));
    }
    cells_.push_back(cell);
  }

  // Levelize over the real combinational dependencies (a flop's Q depends on its state
  // only), so each cell settles once per pass, after everything it depends on.
  const int n_cells = static_cast<int>(cells_.size());
  std::vector<std::vector<int>> comb_readers(static_cast<size_t>(nets) + 2),
      seq_readers(static_cast<size_t>(nets) + 2);
  std::vector<int> pending(static_cast<size_t>(n_cells), 0);
  for (int c = 0; c < n_cells; ++c) {
    const Instance &cell = cells_[c];
    const CellType &type = types_[cell.type];
    uint32_t depends = 0;
    for (uint32_t mask : type.depends) depends |= mask;
    for (int k = 0; k < type.inputs; ++k) {
      const int net = in_nets_[cell.first_in + k];
      if (((depends >> k) & 1u) && std::find(comb_readers[net].begin(), comb_readers[net].end(),
                                             c) == comb_readers[net].end()) {
        comb_readers[net].push_back(c);
        if (net < nets && driver[net] >= 0) ++pending[c];
      }
      if (cell.flop >= 0 && std::find(seq_readers[net].begin(), seq_readers[net].end(),
                                      cell.flop) == seq_readers[net].end())
        seq_readers[net].push_back(cell.flop);
    }
  }
  std::vector<int> ready;
  for (int c = 0; c < n_cells; ++c)
    if (pending[c] == 0) ready.push_back(c);
  int ordered = 0, max_level = 0;
  while (!ready.empty()) {
    const int c = ready.back();
    ready.pop_back();
    ++ordered;
    max_level = std::max(max_level, cells_[c].level);
    for (int o = 0; o < cells_[c].outputs; ++o) {
      const int net = out_nets_[cells_[c].first_out + o];
      if (net < 0) continue;
      for (int reader : comb_readers[net]) {
        cells_[reader].level = std::max(cells_[reader].level, cells_[c].level + 1);
        if (--pending[reader] == 0) ready.push_back(reader);
      }
    }
  }
  if (ordered != n_cells)
    throw Error(5340, {}, netlist.top,
                fmt::format("the native toggle simulator cannot settle a combinational loop "
                            "({} of {} cells on or behind one)",
                            n_cells - ordered, n_cells));
  auto flatten = [](const std::vector<std::vector<int>> &lists, std::vector<int> &first,
                    std::vector<int> &items) {
    first.assign(1, 0);
    for (const std::vector<int> &list : lists) {
      items.insert(items.end(), list.begin(), list.end());
      first.push_back(static_cast<int>(items.size()));
    }
  };
  flatten(comb_readers, comb_first_, comb_fanout_);
  flatten(seq_readers, seq_first_, seq_fanout_);
  levels_.resize(static_cast<size_t>(max_level) + 1);
  scheduled_.assign(static_cast<size_t>(n_cells), 0);
  stats_.native = true;
}

uint32_t NativeToggleSim::address(const Instance &cell) const {
  const CellType &type = types_[cell.type];
  uint32_t a = 0;
  for (int k = 0; k < type.inputs; ++k) a |= uint32_t{value_[in_nets_[cell.first_in + k]]} << k;
  if (cell.flop >= 0) a |= uint32_t{state_[cell.flop]} << type.inputs;
  return a;
}

void NativeToggleSim::setNet(int net, uint8_t value) {
  if (value_[net] == value) return;
  value_[net] = value;
  if (!is_touched_[net]) {
    is_touched_[net] = 1;
    touched_.push_back(net);
  }
  for (int i = comb_first_[net]; i < comb_first_[net + 1]; ++i) {
    const int c = comb_fanout_[i];
    if (!scheduled_[c]) {
      scheduled_[c] = 1;
      levels_[cells_[c].level].push_back(c);
    }
  }
  for (int i = seq_first_[net]; i < seq_first_[net + 1]; ++i) {
    const int f = seq_fanout_[i];
    if (!check_pending_[f]) {
      check_pending_[f] = 1;
      check_.push_back(f);
    }
  }
}

void NativeToggleSim::evaluate(int c) {
  const Instance &cell = cells_[c];
  const CellType &type = types_[cell.type];
  const uint32_t a = address(cell);
  for (int o = 0; o < cell.outputs; ++o) {
    const int net = out_nets_[cell.first_out + o];
    if (net >= 0) setNet(net, type.output[o][a] ? 1 : 0);
  }
}

void NativeToggleSim::settle() {
  // Dependencies point to strictly higher levels: one pass in level order settles.
  for (std::vector<int> &level : levels_) {
    for (size_t i = 0; i < level.size(); ++i) {
      scheduled_[level[i]] = 0;
      evaluate(level[i]);
    }
    level.clear();
  }
}

void NativeToggleSim::eval() {
  // Verilator's scheduling: settle the logic, detect rising edges of every flop's clock,
  // clear and preset expressions against their values at the previous detection, run the
  // triggered flops on the values before any of them updates (non-blocking), repeat until
  // no edge.
  std::vector<std::pair<int, uint8_t>> updates;
  for (;;) {
    settle();
    updates.clear();
    for (int f : check_) {
      check_pending_[f] = 0;
      const Instance &cell = cells_[flop_cell_[f]];
      const CellType &type = types_[cell.type];
      const uint32_t a = address(cell);
      const uint8_t clock = type.clock[a], clear = bitOf(type.clear, a),
                    preset = bitOf(type.preset, a);
      const bool edge =
          (clock && !prev_clock_[f]) || (clear && !prev_clear_[f]) || (preset && !prev_preset_[f]);
      prev_clock_[f] = clock;
      prev_clear_[f] = clear;
      prev_preset_[f] = preset;
      if (edge) updates.emplace_back(f, clear ? 0 : preset ? 1 : type.next[a] ? 1 : 0);
    }
    check_.clear();
    if (updates.empty()) return;
    for (const auto &[f, q] : updates) {
      if (state_[f] == q) continue;
      state_[f] = q;
      const int c = flop_cell_[f];
      if (!scheduled_[c]) {
        scheduled_[c] = 1;
        levels_[cells_[c].level].push_back(c);
      }
      if (!check_pending_[f]) {  // its clock/clear/preset may read the state
        check_pending_[f] = 1;
        check_.push_back(f);
      }
    }
  }
}

void NativeToggleSim::reset() {
  const size_t nets = static_cast<size_t>(netlist_.numNets());
  value_.assign(nets + 2, 0);
  value_[nets + 1] = 1;
  is_touched_.assign(nets + 2, 0);
  touched_.clear();
  const size_t flops = flop_cell_.size();
  state_.assign(flops, 0);
  // Verilator (--x-initial fast) starts every variable at 0, the trigger history included,
  // and settles the logic before its first edge detection: a clock, clear or preset that
  // is 1 once the initial values settle is a rising edge at the first eval.
  prev_clock_.assign(flops, 0);
  prev_clear_.assign(flops, 0);
  prev_preset_.assign(flops, 0);
  check_pending_.assign(flops, 1);
  check_.resize(flops);
  for (size_t f = 0; f < flops; ++f) check_[f] = static_cast<int>(f);
  for (int c = 0; c < static_cast<int>(cells_.size()); ++c) {
    scheduled_[c] = 1;
    levels_[cells_[c].level].push_back(c);
  }
}

void NativeToggleSim::count(std::vector<uint32_t> &rise, std::vector<uint32_t> &fall) {
  for (int net : touched_) {
    is_touched_[net] = 0;
    if (value_[net] == prev_[net]) continue;
    if (value_[net]) {
      ++rise[net];
    } else {
      ++fall[net];
    }
    prev_[net] = value_[net];
  }
  touched_.clear();
}

std::vector<PhaseToggles> NativeToggleSim::run(const Stimulus &stimulus) {
  std::vector<uint32_t> no_samples;
  return run(stimulus, {}, no_samples);
}

std::vector<PhaseToggles> NativeToggleSim::run(const Stimulus &stimulus,
                                               const std::vector<int> &observed_nets,
                                               std::vector<uint32_t> &samples) {
  const auto start = std::chrono::steady_clock::now();
  if (stimulus.inputBits() != input_bits_ || stimulus.clockPort() != clock_port_)
    throw Error(5329, {}, "stimulus", "stimulus was made for another netlist or clock port");
  const int nets = netlist_.numNets();
  for (int net : observed_nets)
    if (net < 0 || net >= nets)
      throw Error(5330, {}, "observed_nets", fmt::format("no net {} to observe", net));
  samples.clear();
  const size_t sample_words = (observed_nets.size() + 31) / 32;

  // The harness of VerilatorToggleSim, step for step (toggleHarnessCpp()).
  reset();
  eval();
  prev_ = value_;
  for (int net : touched_) is_touched_[net] = 0;
  touched_.clear();
  std::vector<uint32_t> rise(static_cast<size_t>(nets)), fall(static_cast<size_t>(nets));
  int64_t cycles = 0;
  std::vector<PhaseToggles> phases;
  auto endPhase = [&]() {
    PhaseToggles phase;
    if (phases.size() < stimulus.phaseNames().size())
      phase.name = stimulus.phaseNames()[phases.size()];
    phase.clock_cycles = cycles;
    phase.rise = rise;
    phase.fall = fall;
    phase.final_value.assign(prev_.begin(), prev_.begin() + nets);
    phases.push_back(std::move(phase));
    std::fill(rise.begin(), rise.end(), 0u);
    std::fill(fall.begin(), fall.end(), 0u);
    cycles = 0;
  };
  auto setClock = [&](uint8_t value) {
    if (clock_net_ >= 0) setNet(clock_net_, value);
  };
  const std::vector<uint32_t> &ops = stimulus.encoded();
  const size_t in_words = static_cast<size_t>(std::max(3, (input_bits_ + 31) / 32));
  for (size_t i = 0; i < ops.size();) {
    const uint32_t op = ops[i++];
    if (op == kStimulusEndPhase) {
      endPhase();
      continue;
    }
    if (i + in_words > ops.size())
      throw Error(5337, {}, "stimulus", "the encoded stimulus is truncated");
    const uint32_t *words = &ops[i];
    i += in_words;
    auto apply = [&]() {
      for (int s = 0; s < input_bits_; ++s)
        if (input_nets_[s] >= 0) setNet(input_nets_[s], (words[s / 32] >> (s % 32)) & 1u);
    };
    if (op == kStimulusClockCycle) {
      setClock(1);
      eval();
      apply();
      eval();
      count(rise, fall);
      setClock(0);
      eval();
      count(rise, fall);
      if (!observed_nets.empty()) {
        const size_t row = samples.size();
        samples.resize(row + sample_words, 0u);
        for (size_t k = 0; k < observed_nets.size(); ++k)
          if (prev_[observed_nets[k]]) samples[row + k / 32] |= 1u << (k % 32);
      }
      ++cycles;
    } else {
      apply();
      eval();
      count(rise, fall);
    }
  }
  endPhase();
  phases.resize(stimulus.phaseNames().size());
  stats_.build_seconds = 0;
  stats_.reused_build = false;
  stats_.run_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return phases;
}

std::vector<PhaseToggles> simulateToggles(const GateNetlist &netlist,
                                          const liberty::Library &library,
                                          const std::string &clock_port,
                                          const std::string &work_dir, const Stimulus &stimulus,
                                          const std::vector<int> &observed_nets,
                                          std::vector<uint32_t> &samples, ToggleSimStats *stats) {
  std::string why;
  if (NativeToggleSim::supports(netlist, library, clock_port, &why)) {
    NativeToggleSim sim(netlist, library, clock_port);
    std::vector<PhaseToggles> phases = sim.run(stimulus, observed_nets, samples);
    if (stats) *stats = sim.stats();
    return phases;
  }
  VerilatorToggleSim sim(netlist, library, clock_port, work_dir);
  std::vector<PhaseToggles> phases = sim.run(stimulus, observed_nets, samples);
  if (stats) {
    *stats = sim.stats();
    stats->native = false;
    stats->not_native = why;
  }
  return phases;
}

}  // namespace pf::energy
