#include "characterize/energy/AlwaysOnEnergy.hh"

#include <fmt/format.h>

#include "characterize/energy/NativeToggleSim.hh"
#include "characterize/energy/ToggleCounts.hh"
#include "characterize/energy/ToggleSim.hh"
#include "core/Error.hh"

namespace pf::energy {

namespace {

constexpr const char *kClock = "clk";
constexpr const char *kReset = "rst_n";
constexpr const char *kResetClass = "reset";
constexpr const char *kDoneClass = "done";  // the one-cycle done state: busy, phase 0

std::string cycleClass(uint32_t status) {
  if (!(status & CycleStatus::kResetReleased)) return kResetClass;
  if (!(status & CycleStatus::kBusy)) return "idle_clocked";
  switch (CycleStatus::phase(status)) {
    case 1:
      return "fetch";
    case 2:
      return "load";
    case 3:
      return "compute";
    case 4:
      return "store";
    default:
      return kDoneClass;
  }
}

bool isBusyClass(const std::string &cls) { return cls != kResetClass && cls != "idle_clocked"; }

RecorderSpec recorderSpec(const GateNetlist &netlist, const AlwaysOnRtl &rtl,
                          const AlwaysOnBoundary &boundary, const Stimulus &stimulus) {
  RecorderSpec spec;
  spec.top = rtl.top;
  spec.rtl_files = rtl.files;
  spec.parameters = rtl.parameters;
  spec.tied_inputs = boundary.tied_inputs;
  for (const NetlistPort &port : netlist.ports) {
    const int width = static_cast<int>(port.nets.size());
    if (port.is_input && boundary.instance_outputs.count(port.name)) continue;
    if (!port.is_input && boundary.instance_inputs.count(port.name)) {
      const std::string &rtl_signal = boundary.instance_inputs.at(port.name);
      if (!rtl_signal.empty())
        for (int b = 0; b < width; ++b) spec.checked.push_back({rtl_signal, b, width, true});
      continue;
    }
    spec.ports.push_back({port.name, width, port.is_input});
    if (!port.is_input)
      for (int b = 0; b < width; ++b) spec.checked.push_back({port.name, b, width, false});
  }
  for (const auto &[port_name, bit] : stimulus.inputSlots()) {
    const int width = static_cast<int>(netlist.findPort(port_name)->nets.size());
    const auto source = boundary.instance_outputs.find(port_name);
    if (source == boundary.instance_outputs.end())
      spec.recorded.push_back({port_name, bit, width, false});
    else
      spec.recorded.push_back({source->second, bit, width, true});
  }
  return spec;
}

std::vector<RecorderStep> workloadSteps(const AcceleratorWorkload &workload,
                                        const AlwaysOnEnergyOptions &options) {
  std::vector<RecorderStep> steps = {{RecorderStep::Reset, options.reset_cycles, 0}};
  for (const WorkloadLayer &layer : workload.layers) {
    steps.push_back({RecorderStep::Run, options.layer_timeout_cycles, layer.desc_addr});
    steps.push_back({RecorderStep::Idle, options.idle_cycles_per_layer, 0});
  }
  return steps;
}

// The workload must have run as the golden model says, or its trace is no workload.
void checkWorkloadRan(const AcceleratorWorkload &workload, const RecorderTrace &trace) {
  for (size_t i = 0; i < workload.layers.size(); ++i) {
    const WorkloadLayer &layer = workload.layers[i];
    const RecordedRun *run = i < trace.runs.size() ? &trace.runs[i] : nullptr;
    std::string problem;
    if (!run || !run->done)
      problem = "did not finish";
    else if (run->err_code != 0)
      problem = fmt::format("ended with err_code {}", run->err_code);
    else if (const int64_t wrong = outputMismatches(workload, layer, trace.memory); wrong > 0)
      problem = fmt::format("stored {} of {} output bytes that differ from the golden model", wrong,
                            layer.expected.size());
    if (!problem.empty())
      throw Error(
          5365, {}, layer.name,
          fmt::format("always-on energy workload: layer '{}' {} on the RTL", layer.name, problem));
  }
  if (trace.bad_accesses > 0)
    throw Error(5393, {}, "memory",
                fmt::format("always-on energy workload: {} memory requests outside the image",
                            trace.bad_accesses));
}

struct Replay {
  Stimulus stimulus;
  std::vector<std::string> classes;  // per stimulus phase
};

// One stimulus phase per run of cycles of the same class; the clock edge of trace cycle c
// samples the inputs of cycle c - 1, as in the RTL.
Replay replayStimulus(const GateNetlist &netlist, const RecorderTrace &trace) {
  Replay replay{Stimulus(netlist, kClock), {}};
  Stimulus &s = replay.stimulus;
  const int words = trace.recorded_words;
  s.beginPhase(kResetClass);
  replay.classes.push_back(kResetClass);
  // An explicit edge of the reset, so asynchronous clear and preset models see it.
  s.setSlotWords(trace.recorded.data(), size_t(words));
  s.set(kReset, 1);
  s.settle();
  s.setSlotWords(trace.recorded.data(), size_t(words));
  s.settle();
  for (int64_t c = 0; c < trace.cycles(); ++c) {
    const std::string cls = cycleClass(trace.status[size_t(c)]);
    if (cls != replay.classes.back()) {
      s.beginPhase(fmt::format("{}#{}", cls, c));
      replay.classes.push_back(cls);
    }
    s.setSlotWords(trace.recorded.data() + size_t(c) * size_t(words), size_t(words));
    s.clockCycle();
  }
  return replay;
}

// The netlist nets behind the checked RTL signals, in spec.checked order: a top-level
// output port, or the output port that drove the removed instance's pin.
std::vector<int> checkedNets(const GateNetlist &netlist, const AlwaysOnBoundary &boundary) {
  std::vector<int> nets;
  for (const NetlistPort &port : netlist.ports) {
    if (port.is_input) continue;
    const auto removed = boundary.instance_inputs.find(port.name);
    if (removed != boundary.instance_inputs.end() && removed->second.empty()) continue;
    nets.insert(nets.end(), port.nets.begin(), port.nets.end());
  }
  return nets;
}

std::string checkedName(const SignalBit &bit) {
  return bit.width == 1 ? bit.signal : fmt::format("{}[{}]", bit.signal, bit.bit);
}

// Every cycle, every checked output of the gate netlist against the RTL's value.
void checkReplay(const RecorderSpec &spec, const RecorderTrace &trace, const std::vector<int> &nets,
                 const std::vector<uint32_t> &samples, int observed_count) {
  const int sample_words = (observed_count + 31) / 32;
  if (samples.size() != size_t(trace.cycles()) * size_t(sample_words))
    throw Error(5395, {}, "replay", "the gate-level replay returned a truncated sample");
  int64_t mismatches = 0;
  std::string first;
  for (int64_t c = 0; c < trace.cycles(); ++c) {
    if (!(trace.status[size_t(c)] & CycleStatus::kResetReleased)) continue;
    int observed = 0;
    for (size_t j = 0; j < nets.size(); ++j) {
      const int net = nets[j];
      const bool gate =
          net >= 0 ? trace.bit(samples, sample_words, c, observed++) : net == GateNetlist::kConst1;
      if (gate == trace.bit(trace.checked, trace.checked_words, c, int(j))) continue;
      if (mismatches++ == 0)
        first = fmt::format("{} is {} instead of {} at cycle {}", checkedName(spec.checked[j]),
                            int(gate), int(!gate), c);
    }
  }
  if (mismatches > 0)
    throw Error(5366, {}, "replay",
                fmt::format("gate-level replay departs from the RTL in {} bit-cycles (first: "
                            "{}); the cut netlist does not compute what the RTL does",
                            mismatches, first));
}

using ClassToggles = ClassToggleCounts;

std::vector<ClassToggles> sumByClass(const GateNetlist &netlist, const Replay &replay,
                                     const std::vector<PhaseToggles> &phases) {
  std::vector<ClassToggles> sums;
  for (const std::string &cls : alwaysOnClasses()) {
    ClassToggles sum{cls, 0, 0, std::vector<uint32_t>(size_t(netlist.numNets())),
                     std::vector<uint32_t>(size_t(netlist.numNets()))};
    for (size_t p = 0; p < phases.size(); ++p) {
      const std::string &phase_class = replay.classes[p];
      if (phase_class != cls && !(cls == "active" && isBusyClass(phase_class))) continue;
      sum.cycles += phases[p].clock_cycles;
      for (size_t n = 0; n < sum.rise.size(); ++n) {
        sum.rise[n] += phases[p].rise[n];
        sum.fall[n] += phases[p].fall[n];
      }
    }
    if (sum.cycles == 0)
      throw Error(5394, {}, cls, fmt::format("always-on energy workload has no '{}' cycles", cls));
    sums.push_back(std::move(sum));
  }
  return sums;
}

}  // namespace

const std::vector<std::string> &alwaysOnClasses() {
  static const std::vector<std::string> classes = {"active", "idle_clocked", "fetch",
                                                   "load",   "compute",      "store"};
  return classes;
}

const AlwaysOnClassEnergy *AlwaysOnEnergyTable::find(const std::string &op_class) const {
  for (const AlwaysOnClassEnergy &c : classes)
    if (c.op_class == op_class) return &c;
  return nullptr;
}

std::vector<AlwaysOnEnergyTable> characterizeAlwaysOn(
    const GateNetlist &netlist, const AlwaysOnRtl &rtl, const AlwaysOnBoundary &boundary,
    const AcceleratorWorkload &workload, const std::vector<const liberty::Library *> &libraries,
    const AlwaysOnEnergyOptions &options, const std::string &work_dir, AlwaysOnRunStats *stats) {
  if (libraries.empty()) throw Error(5396, {}, "libraries", "no liberty library given");
  for (const NetlistPort &port : netlist.ports)
    if (port.is_input && port.name != kClock && port.name.find('.') != std::string::npos &&
        !boundary.instance_outputs.count(port.name))
      throw Error(5397, {}, port.name,
                  fmt::format("netlist input '{}' belongs to no removed instance the RTL "
                              "knows: cannot record it",
                              port.name));
  const Stimulus slots(netlist, kClock);
  const RecorderSpec spec = recorderSpec(netlist, rtl, boundary, slots);
  AlwaysOnRunStats local;
  ProgressStep rtl_step(
      options.progress,
      fmt::format("workload of {} layers on the RTL (Verilator)", workload.layers.size()));
  const RecorderTrace trace =
      recordRtl(spec, workload.memory, options.memory, workloadSteps(workload, options),
                work_dir + "/rtl", &local.recorder);
  checkWorkloadRan(workload, trace);
  rtl_step.done(fmt::format("{} cycles, {}", trace.cycles(),
                            local.recorder.reused_build
                                ? std::string("build reused")
                                : fmt::format("build {:.1f} s", local.recorder.build_seconds)));

  const Replay replay = replayStimulus(netlist, trace);
  const std::vector<int> nets = checkedNets(netlist, boundary);
  std::vector<int> observed;
  for (int net : nets)
    if (net >= 0) observed.push_back(net);
  // The in-process simulator where it models the netlist exactly (it builds nothing),
  // else a Verilator build of the netlist.
  const bool native = NativeToggleSim::supports(netlist, *libraries.front(), kClock);
  ProgressStep gate_step(
      options.progress,
      fmt::format("gate-level replay on {} cells, checked against the RTL ({})",
                  netlist.cells.size(), native ? "native simulator" : "Verilator"));
  std::vector<uint32_t> samples;
  ToggleSimStats sim_stats;
  const std::vector<PhaseToggles> phases =
      simulateToggles(netlist, *libraries.front(), kClock, work_dir + "/gates", replay.stimulus,
                      observed, samples, &sim_stats);
  local.gate_build_seconds = sim_stats.build_seconds;
  local.gate_run_seconds = sim_stats.run_seconds;
  local.cycles = trace.cycles();
  checkReplay(spec, trace, nets, samples, int(observed.size()));
  // Where Verilator was used, say why the native simulator was not.
  gate_step.done(sim_stats.native
                     ? fmt::format("simulated in {:.1f} s", sim_stats.run_seconds)
                     : fmt::format("{}; not native: {}",
                                   sim_stats.reused_build
                                       ? std::string("build reused")
                                       : fmt::format("build {:.1f} s", sim_stats.build_seconds),
                                   sim_stats.not_native));
  local.checked_bits = int64_t(nets.size());
  for (size_t i = 0; i < workload.layers.size(); ++i)
    local.layer_cycles.emplace_back(workload.layers[i].name, trace.runs[i].cycles);

  const std::vector<ClassToggles> sums = sumByClass(netlist, replay, phases);
  writeToggleCounts(work_dir + "/" + kToggleCountsFile, netlist, sums);
  std::vector<AlwaysOnEnergyTable> tables;
  for (const liberty::Library *library : libraries) {
    const EnergyModel model(netlist, *library, options.energy);
    AlwaysOnEnergyTable table{library->name, library->nominal_voltage_v, {}};
    for (const ClassToggles &sum : sums)
      table.classes.push_back({sum.op_class, sum.cycles,
                               model.energy(sum.rise, sum.fall).scaled(1.0 / double(sum.cycles))});
    tables.push_back(std::move(table));
  }
  if (stats) *stats = local;
  return tables;
}

}  // namespace pf::energy
