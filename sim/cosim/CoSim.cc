#include "sim/cosim/CoSim.hh"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <random>

#include "golden/Packing.hh"
#include "sim/DataSparsity.hh"
#include "sim/ExternalMemory.hh"
#include "sim/NetData.hh"
#include "sim/cosim/PowerNetwork.hh"

namespace pf::sim {

namespace {

constexpr uint8_t kUnwrittenMarker = 0xcc;
constexpr double kNever = 1e300;

class Run {
 public:
  Run(const CoSimSetup &setup, SystemModel &model)
      : setup_(setup),
        model_(model),
        memory_(memorySize(setup.mapping), memoryTiming(setup)),
        network_(physicsOf(setup), int(setup.chip.rail_voltages_v.size()), setup.switch_slowdown),
        meter_(setup.chip, setup.units),
        stages_(mappedStages(setup.mapping)) {
    for (size_t i = 0; i < setup.schedule.layers.size(); ++i) {
      const ScheduleDescriptors &chain = setup.schedule.layers[i].descriptors;
      for (int64_t k = 0; k < chain.count; ++k)
        layer_of_desc_[chain.first_addr + uint32_t(k * kDescriptorBytes)] = int(i);
    }
  }

  CoSimResult run();

 private:
  static size_t memorySize(const Mapping &mapping) {
    return std::max<size_t>(size_t(mapping.ext.end) + 4096, size_t{1} << 20);
  }
  static MemoryTiming memoryTiming(const CoSimSetup &setup) {
    MemoryTiming timing;
    timing.read_latency = setup.read_latency_cycles;
    timing.bandwidth_bytes_per_ns = setup.chip.ext_bandwidth_bytes_per_ns;
    return timing;
  }
  static std::vector<const sched::DomainPhysics *> physicsOf(const CoSimSetup &setup) {
    std::vector<const sched::DomainPhysics *> physics;
    for (int d : setup.switchable) physics.push_back(&setup.chip.domains[size_t(d)]);
    return physics;
  }

  double cycleNs(int div_sel) const {
    const std::vector<int> &dividers = setup_.schedule.clock.dividers;
    const int index = std::clamp(div_sel, 0, int(dividers.size()) - 1);
    return 1000.0 * dividers[size_t(index)] / setup_.schedule.clock.base_mhz;
  }
  size_t layerCount() const { return setup_.schedule.layers.size(); }
  std::vector<EnergySplit> &bucket() {
    PeriodMeasure &p = result_.periods[size_t(period_)];
    return segment_ < layerCount() ? p.layers[segment_].by_domain : p.idle;
  }

  void startPeriod(int period);
  void reportPeriod(bool run_stops);
  void reportProgress();
  void cycle();
  void monitor(const PfCosimIn &in, const PfCosimOut &out);
  void track(const PfCosimIn &in, const PfCosimOut &out, double period_ns);
  void endLayer(size_t layer);
  void endHostSegment(uint32_t rom_addr);
  void checkLayerOutput(size_t layer);
  int outputTensor(size_t layer) const {
    const MappedStage &stage = stages_[layer];
    return stage.host ? setup_.mapping.host_layers[size_t(stage.index)].output
                      : setup_.mapping.layers[size_t(stage.index)].output;
  }
  void violation(const std::string &rule, const std::string &domain, std::string detail);
  void updateStates();
  std::vector<sched::DomainState> designStates() const;  // every design domain's supply now
  void annotate();
  std::string domainName(int s) const {
    return setup_.chip.domains[size_t(setup_.switchable[size_t(s)])].name;
  }

  const CoSimSetup &setup_;
  SystemModel &model_;
  ExternalMemory memory_;
  PowerNetwork network_;
  EnergyMeter meter_;
  std::vector<MappedStage> stages_;  // per schedule layer: where it is in the mapping
  std::map<uint32_t, int> layer_of_desc_;
  CoSimResult result_;
  NetData data_;
  std::vector<double> sparsity_;

  PfCosimIn in_{};
  PfCosimOut out_{};
  PfCosimOut prev_{};
  double now_ns_ = 0.0;
  double first_tick_ns_ = 0.0;
  double next_tick_ns_ = kNever;
  int period_ = -1;
  size_t segment_ = 0;
  int current_layer_ = -1;  // layer of the descriptor in flight, -1 none
  int64_t done_in_layer_ = 0;
  bool in_flight_ = false;
  std::vector<TransitionEvent> events_;
  bool stop_seen_ = false;
  std::mt19937_64 scramble_rng_{setup_.seed};
  // Progress (setup_.progress): where the current period began, when the last line went out.
  std::chrono::steady_clock::time_point period_wall_start_, last_line_;
  uint64_t period_first_cycle_ = 0;
};

void Run::violation(const std::string &rule, const std::string &domain, std::string detail) {
  for (Violation &v : result_.violations) {
    if (v.period == period_ && v.rule == rule && v.domain == domain) {
      ++v.count;
      return;
    }
  }
  const double tick = first_tick_ns_ + std::max(0, period_) * setup_.schedule.period_ns;
  result_.violations.push_back(
      {period_, result_.cycles, now_ns_ - tick, domain, rule, std::move(detail), 1});
}

// "sim: period 2/3 done (10.0 ms simulated, 1.23 M cycles, 8.1 s)".
void Run::reportPeriod(bool run_stops) {
  if (!setup_.progress) return;
  const auto now = std::chrono::steady_clock::now();
  const double tick = first_tick_ns_ + period_ * setup_.schedule.period_ns;
  const double cycles = double(result_.cycles - period_first_cycle_);
  setup_.progress->line(
      fmt::format("sim: period {}/{} done ({:.1f} ms simulated, {}, {:.1f} s){}", period_ + 1,
                  setup_.periods, (now_ns_ - tick) / 1e6,
                  cycles >= 1e6 ? fmt::format("{:.2f} M cycles", cycles / 1e6)
                                : fmt::format("{:.1f} k cycles", cycles / 1e3),
                  std::chrono::duration<double>(now - period_wall_start_).count(),
                  run_stops ? "; the run stops here: the sequencer is in its error state" : ""));
  last_line_ = now;
}

// Called every kProgressCheckCycles cycles: in a long period, the layer that runs.
void Run::reportProgress() {
  const auto now = std::chrono::steady_clock::now();
  if (period_ < 0 ||
      std::chrono::duration<double>(now - last_line_).count() < kProgressIntervalSeconds)
    return;
  const std::string where = segment_ < layerCount()
                                ? fmt::format("layer {}/{} {}", segment_ + 1, layerCount(),
                                              setup_.schedule.layers[segment_].name)
                                : std::string("idle after the last layer");
  setup_.progress->line(fmt::format("sim: period {}/{}, {}", period_ + 1, setup_.periods, where));
  last_line_ = now;
}

void Run::startPeriod(int period) {
  if (period_ >= 0) {
    result_.periods[size_t(period_)].idle_domains = designStates();
    reportPeriod(false);
  }
  period_wall_start_ = std::chrono::steady_clock::now();
  period_first_cycle_ = result_.cycles;
  period_ = period;
  data_ = makeNetData(setup_.mapping, kNetworkWeightSeed, setup_.seed + uint32_t(period));
  const std::vector<LayerSparsity> sparsity = dataSparsity(setup_.mapping, data_);
  sparsity_.clear();
  for (const MappedStage &stage : stages_)
    sparsity_.push_back(stage.host ? 0.0 : sparsity[size_t(stage.index)].operand);
  memory_.write(0, externalImage(setup_.mapping, data_));
  for (size_t layer = 0; layer < stages_.size(); ++layer) {
    const int tensor = outputTensor(layer);
    const MappedTensor &out = setup_.mapping.tensors[size_t(tensor)];
    if (out.external)
      memory_.fill(out.ext_addr,
                   packStored(setup_.mapping, tensor, data_.values[size_t(tensor)]).size(),
                   kUnwrittenMarker);
  }
  PeriodMeasure measure;
  const size_t domains = setup_.chip.domains.size();
  measure.layers.resize(layerCount());
  for (LayerMeasure &layer : measure.layers) layer.by_domain.assign(domains, {});
  measure.idle.assign(domains, {});
  result_.periods.push_back(std::move(measure));
  segment_ = 0;
  done_in_layer_ = 0;
}

std::vector<sched::DomainState> Run::designStates() const {
  std::vector<sched::DomainState> states(setup_.chip.domains.size());
  states[size_t(setup_.units.always_on)] = {sched::DomainMode::On, setup_.chip.always_on_rail};
  for (int s = 0; s < network_.size(); ++s)
    states[size_t(setup_.switchable[size_t(s)])] = network_.state(s);
  return states;
}

void Run::updateStates() { meter_.setStates(designStates()); }

void Run::monitor(const PfCosimIn &in, const PfCosimOut &out) {
  const uint32_t all = network_.size() >= 32 ? ~0u : (1u << network_.size()) - 1u;
  const uint32_t powered = out.dom_sw & in.dom_pgood;
  const uint32_t released = ~out.dom_iso & all;
  for (int s = 0; s < network_.size(); ++s) {
    const uint32_t bit = 1u << s;
    if ((released & bit) && !(powered & bit))
      violation(kRuleIsolation, domainName(s),
                (out.dom_sw & bit) ? "isolation off before power-good"
                                   : "isolation off with the switch open");
    const bool was_released = !(prev_.dom_iso & bit);
    const bool rail_moved = network_.railOf(prev_, s) != network_.railOf(out, s);
    if (was_released && (prev_.dom_sw & bit) && rail_moved)
      violation(kRuleRailActive, domainName(s), "rail select changed while not isolated");
    if (released & bit) {
      const int rail = network_.railOf(out, s);
      const double f_mhz = 1000.0 / cycleNs(out.div_sel);
      const sched::DomainPhysics &physics =
          setup_.chip.domains[size_t(setup_.switchable[size_t(s)])];
      if (rail >= 0 && f_mhz > physics.fmax_mhz[size_t(rail)] * (1.0 + 1e-9))
        violation(kRuleFmax, domainName(s),
                  fmt::format("{:.4g} MHz on rail {} (fmax {:.4g} MHz)", f_mhz, rail,
                              physics.fmax_mhz[size_t(rail)]));
    }
  }
  // Activity: a clocked PE group or an accessed bank must be powered, released and not
  // retained.
  auto activity = [&](const std::vector<int> &unit_domains, uint32_t active, const char *what) {
    for (size_t u = 0; u < unit_domains.size(); ++u) {
      if (!(active >> u & 1u)) continue;
      const auto it =
          std::find(setup_.switchable.begin(), setup_.switchable.end(), unit_domains[u]);
      const int s = int(it - setup_.switchable.begin());
      const uint32_t bit = 1u << s;
      const bool usable = (powered & bit) && !(out.dom_iso & bit) && !(out.dom_ret & bit);
      if (!usable)
        violation(kRuleActivity, domainName(s),
                  fmt::format("{} while {}", what,
                              (out.dom_ret & bit) ? "in retention"
                              : !(powered & bit)  ? "not powered"
                                                  : "isolated"));
    }
  };
  activity(setup_.units.pe_groups, out.pe_active, "clocked");
  activity(setup_.units.act_banks, out.act_bank_active, "accessed");
  activity(setup_.units.w_banks, out.w_bank_active, "accessed");
  const sched::DomainPhysics &aon = setup_.chip.domains[size_t(setup_.units.always_on)];
  if (1000.0 / cycleNs(out.div_sel) >
      aon.fmax_mhz[size_t(setup_.chip.always_on_rail)] * (1.0 + 1e-9))
    violation(kRuleFmax, aon.name, "clock above the always-on domain's fmax");
  if (out.seq_err && !prev_.seq_err) {
    // docs/microcode.md, "Errors": the causes a power-aware simulator names as such.
    static const char *const kCauses[] = {"",
                                          "illegal encoding",
                                          "illegal use",
                                          "power-good timeout",
                                          "power-good lost",
                                          "datapath error"};
    const int cause = out.seq_err_cause;
    const char *rule = cause == 3   ? kRulePowerGoodTimeout
                       : cause == 4 ? kRulePowerGoodLost
                                    : kRuleSequencer;
    violation(rule, "",
              fmt::format("the sequencer entered its error state: cause {} ({})", cause,
                          cause >= 1 && cause <= 5 ? kCauses[cause] : "unknown"));
  }
  if (out.seq_overrun && !prev_.seq_overrun)
    violation(kRuleOverrun, "", "a period tick came before the program slept");
}

void Run::checkLayerOutput(size_t layer) {
  LayerMeasure &measure = result_.periods[size_t(period_)].layers[layer];
  const Mapping &mapping = setup_.mapping;
  const int tensor = outputTensor(layer);
  const MappedTensor &t = mapping.tensors[size_t(tensor)];
  const std::vector<int8_t> &golden = data_.values[size_t(tensor)];
  measure.golden_ok = true;
  if (t.external) {
    const std::vector<uint8_t> expected = packStored(mapping, tensor, golden);
    const std::vector<uint8_t> got = memory_.read(t.ext_addr, expected.size());
    const auto diff = std::mismatch(expected.begin(), expected.end(), got.begin());
    if (diff.first != expected.end()) {
      measure.golden_ok = false;
      measure.golden_detail = fmt::format("external byte {} is {:#04x}, golden {:#04x}",
                                          diff.first - expected.begin(), *diff.second, *diff.first);
      return;
    }
  }
  if (!t.on_chip) return;
  const std::vector<std::vector<uint8_t>> words = onChipWords(mapping, tensor, golden);
  const int bank_words = mapping.cfg.act_bank_words;
  for (size_t k = 0; k < words.size(); ++k) {
    const int flat = t.act_base + int(k);
    uint32_t got[PF_COSIM_MAX_DATA_WORDS] = {};
    const bool valid = model_.peekAct(flat / bank_words, flat % bank_words, got);
    bool same = valid;
    for (size_t byte = 0; same && byte < words[k].size(); ++byte)
      same = uint8_t(got[byte / 4] >> (8 * (byte % 4))) == words[k][byte];
    if (!same) {
      measure.golden_ok = false;
      std::string got_hex, want_hex;
      for (size_t byte = words[k].size(); byte-- > 0;) {
        got_hex += fmt::format("{:02x}", uint8_t(got[byte / 4] >> (8 * (byte % 4))));
        want_hex += fmt::format("{:02x}", words[k][byte]);
      }
      measure.golden_detail = fmt::format(
          "data buffer word {} (bank {}, address {}, word {} of the tensor) {}", flat,
          flat / bank_words, flat % bank_words, k,
          valid ? fmt::format("is {}, golden {}", got_hex, want_hex) : "was lost (power)");
      return;
    }
  }
}

void Run::endLayer(size_t layer) {
  LayerMeasure &measure = result_.periods[size_t(period_)].layers[layer];
  const double tick = first_tick_ns_ + period_ * setup_.schedule.period_ns;
  measure.end_ns = now_ns_ + cycleNs(out_.div_sel) - tick;
  measure.ran = true;
  checkLayerOutput(layer);
  if (layer + 1 == layerCount()) {
    PeriodMeasure &p = result_.periods[size_t(period_)];
    p.busy_ns = measure.end_ns;
    p.deadline_met = p.busy_ns <= setup_.schedule.deadline_ns + 1e-6;
    if (!p.deadline_met)
      violation(kRuleDeadline, "",
                fmt::format("the last layer ended {:.1f} ns after the tick; deadline {:.1f} ns",
                            p.busy_ns, setup_.schedule.deadline_ns));
  }
  segment_ = layer + 1;
  if (segment_ < layerCount() && stages_[segment_].host)
    result_.periods[size_t(period_)].layers[segment_].start_ns = measure.end_ns;
}

// The sequencer's pc left `rom_addr`: if that ends a host segment, the host has finished its
// layer, so its output is written to external memory now (sim/NetData's runHostLayer on
// the tensors the accelerator stored) and checked like any layer's.
void Run::endHostSegment(uint32_t rom_addr) {
  for (size_t layer = 0; layer < setup_.host_end_address.size(); ++layer) {
    if (setup_.host_end_address[layer] != int(rom_addr) || !stages_[layer].host) continue;
    const Mapping &m = setup_.mapping;
    const MappedHostLayer &host = m.host_layers[size_t(stages_[layer].index)];
    memory_.write(m.tensors[size_t(host.output)].ext_addr,
                  runHostLayer(m, host, memory_.read(0, m.ext.end)));
    LayerMeasure &measure = result_.periods[size_t(period_)].layers[layer];
    measure.clock_mhz = 1000.0 / cycleNs(out_.div_sel);
    measure.domains = designStates();
    endLayer(layer);
  }
}

void Run::track(const PfCosimIn &in, const PfCosimOut &out, double period_ns) {
  const double tick = first_tick_ns_ + period_ * setup_.schedule.period_ns;
  if (out.start) {
    const auto found = layer_of_desc_.find(out.desc_addr);
    current_layer_ = found == layer_of_desc_.end() ? -1 : found->second;
    in_flight_ = true;
    if (current_layer_ >= 0) {
      const size_t layer = size_t(current_layer_);
      segment_ = layer;  // a chain that skipped layers moves the accounting along
      LayerMeasure &measure = result_.periods[size_t(period_)].layers[layer];
      if (measure.descriptors == 0) {
        measure.start_ns = now_ns_ - tick;
        measure.clock_mhz = 1000.0 / period_ns;
        measure.sparsity = sparsity_[layer];
        measure.domains = designStates();
        meter_.setSparsity(sparsity_[layer]);
      }
      ++measure.descriptors;
      const std::vector<bool> &uses = setup_.schedule.layers[layer].uses;
      for (int s = 0; s < network_.size(); ++s) {
        const size_t d = size_t(setup_.switchable[size_t(s)]);
        const uint32_t bit = 1u << s;
        const bool ready = (out.dom_sw & in.dom_pgood & bit) && !(out.dom_iso & bit) &&
                           !(out.dom_ret & bit) && (out.dom_rst_n & bit);
        if (uses[d] && !ready)
          violation(kRuleNotReady, domainName(s),
                    fmt::format("layer {} started with it not ready",
                                setup_.schedule.layers[layer].name));
      }
    }
  }
  if (in_flight_ && current_layer_ >= 0) {
    LayerMeasure &measure = result_.periods[size_t(period_)].layers[size_t(current_layer_)];
    PhaseCycles &c = measure.cycles;
    ++c.total;
    switch (out.phase) {
      case 1:
        ++c.fetch;
        break;
      case 2:
        ++c.load;
        break;
      case 3:
        ++c.compute;
        break;
      case 4:
        ++c.store;
        break;
      default:
        ++c.control;
        break;
    }
    if (out.dma_req_valid && !in.dma_req_ready) ++measure.stall_cycles;
  }
  if (out.done && in_flight_) {
    in_flight_ = false;
    if (out.err_code != 0)
      violation(kRuleDatapath, "",
                fmt::format("descriptor at {:#x} ended with err_code {}", out.desc_addr,
                            int(out.err_code)));
    if (current_layer_ >= 0) {
      const size_t layer = size_t(current_layer_);
      const LayerMeasure &measure = result_.periods[size_t(period_)].layers[layer];
      if (measure.descriptors == setup_.schedule.layers[layer].descriptors.count) endLayer(layer);
    }
  }
}

void Run::cycle() {
  in_.tick = now_ns_ >= next_tick_ns_ - 1e-9 ? 1 : 0;
  if (in_.tick) {
    startPeriod(period_ + 1);
    next_tick_ns_ = first_tick_ns_ + (period_ + 1) * setup_.schedule.period_ns;
  }
  in_.dom_pgood = network_.powerGood(now_ns_);
  in_.scramble_bits = scramble_rng_();
  in_.dma_req_ready = memory_.requestReady(result_.cycles, now_ns_) ? 1 : 0;
  uint64_t data = 0;
  in_.dma_rsp_valid = memory_.takeResponse(result_.cycles, data) ? 1 : 0;
  in_.dma_rsp_rdata = data;
  in_.time_ps = uint64_t(std::llround(now_ns_ * 1000.0));
  model_.cycle(in_, out_);
  const double cycle_ns = cycleNs(out_.div_sel);
  in_.half_period_ps = uint32_t(std::llround(cycle_ns * 500.0));
  events_.clear();
  if (network_.observe(out_, now_ns_, events_)) updateStates();
  if (period_ >= 0) {
    for (const TransitionEvent &event : events_) {
      // A change made while a chain runs is look-ahead for the next layer; between
      // layers it is the boundary into the layer about to start.
      const size_t segment = std::min(segment_ + (out_.busy ? 1 : 0), layerCount());
      PeriodMeasure &p = result_.periods[size_t(period_)];
      std::vector<EnergySplit> &target =
          segment < layerCount() ? p.layers[segment].by_domain : p.idle;
      target[size_t(setup_.switchable[size_t(event.domain)])].transition_pj += event.energy_pj;
      ++p.transition_events;
    }
    monitor(in_, out_);
    track(in_, out_, cycle_ns);
    if (out_.rom_addr != prev_.rom_addr) endHostSegment(prev_.rom_addr);
    if (setup_.account_energy) meter_.cycle(out_, cycle_ns, bucket());
  }
  if (out_.dma_req_valid && in_.dma_req_ready)
    memory_.acceptRequest(result_.cycles, now_ns_, out_.dma_req_we, out_.dma_req_addr,
                          out_.dma_req_wdata);
  annotate();
  now_ns_ += cycle_ns;
  ++result_.cycles;
  prev_ = out_;
  if (setup_.progress && (result_.cycles & (kProgressCheckCycles - 1)) == 0) reportProgress();
}

void Run::annotate() {
  for (int s = 0; s < network_.size(); ++s) {
    const sched::DomainState &state = network_.state(s);
    uint8_t code = 0;
    if (network_.waking(s, now_ns_))
      code = 1;
    else if (state.mode == sched::DomainMode::On)
      code = 2;
    else if (state.mode == sched::DomainMode::Retention)
      code = 3;
    in_.power_state[s] = code;
    in_.rail[s] = uint8_t(state.rail + 1);
  }
  in_.divider = uint8_t(1000.0 / cycleNs(out_.div_sel) > 0
                            ? setup_.schedule.clock.base_mhz * cycleNs(out_.div_sel) / 1000.0 + 0.5
                            : 0);
}

CoSimResult Run::run() {
  const auto wall_start = std::chrono::steady_clock::now();
  last_line_ = wall_start;
  in_.rst_n = 0;
  for (int i = 0; i < setup_.reset_cycles; ++i) cycle();
  in_.rst_n = 1;
  memory_.clearPending();
  first_tick_ns_ = now_ns_ + 16.0 * cycleNs(out_.div_sel);  // the program waits in SLEEP
  next_tick_ns_ = first_tick_ns_;
  const double end_ns = first_tick_ns_ + setup_.periods * setup_.schedule.period_ns;
  bool dead = false;
  while (now_ns_ < end_ns - 1e-9) {
    cycle();
    if (out_.clk_stop && !stop_seen_ && !out_.seq_err) {
      // The clock generator stops the clock on the request's rising edge and restarts it
      // at the period timer's next tick (clk_stop clears a cycle after that).
      const double wake_ns = std::min(next_tick_ns_, end_ns);
      if (period_ >= 0) result_.periods[size_t(period_)].idle_clock_stopped = true;
      if (wake_ns > now_ns_) {
        if (period_ >= 0) meter_.stopped(wake_ns - now_ns_, bucket());
        now_ns_ = wake_ns;
      }
    }
    stop_seen_ = out_.clk_stop != 0;
    if (out_.seq_err && period_ >= 0 &&
        now_ns_ > first_tick_ns_ + (period_ + 1) * setup_.schedule.period_ns) {
      dead = true;
      break;  // the sequencer is dead: the rest of the run cannot add information
    }
  }
  if (period_ >= 0) {
    result_.periods[size_t(period_)].idle_domains = designStates();
    reportPeriod(dead);
  }
  result_.simulated_ns = now_ns_ - first_tick_ns_;
  for (size_t p = 0; p < result_.periods.size(); ++p) {
    for (size_t i = 0; i < layerCount(); ++i) {
      LayerMeasure &layer = result_.periods[p].layers[i];
      if (!layer.ran && layer.golden_detail.empty()) layer.golden_detail = "the layer did not run";
    }
  }
  result_.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result_;
}

}  // namespace

EnergySplit sumSplits(const std::vector<EnergySplit> &splits) {
  EnergySplit total;
  for (const EnergySplit &s : splits) {
    total.dynamic_pj += s.dynamic_pj;
    total.leakage_pj += s.leakage_pj;
    total.transition_pj += s.transition_pj;
  }
  return total;
}

CoSimResult runCoSim(const CoSimSetup &setup, SystemModel &model) {
  return Run(setup, model).run();
}

}  // namespace pf::sim
