#include "report/Timeline.hh"

#include <fmt/format.h>

#include <algorithm>

#include "report/Svg.hh"

namespace pf::report {

std::string supplyName(const sched::DomainState &state, const std::vector<double> &rails) {
  switch (state.mode) {
    case sched::DomainMode::On:
      return state.rail >= 0 && state.rail < int(rails.size())
                 ? fmt::format("on {:.2f} V", rails[size_t(state.rail)])
                 : "on";
    case sched::DomainMode::Retention:
      return "retention";
    case sched::DomainMode::Off:
      break;
  }
  return "off";
}

namespace {

std::string stateClass(const sched::DomainState &state) {
  switch (state.mode) {
    case sched::DomainMode::On:
      return fmt::format("state on r{}", state.rail);
    case sched::DomainMode::Retention:
      return "state ret";
    case sched::DomainMode::Off:
      break;
  }
  return "state off";
}

std::string energyText(const sched::DomainEnergySplit &e) {
  return fmt::format("{} predicted (dynamic {}, leakage {}, transition {})",
                     formatEnergy(e.totalPj()), formatEnergy(e.dynamic_pj),
                     formatEnergy(e.leakage_pj), formatEnergy(e.transition_pj));
}

struct Span {
  double start_ns = 0.0, end_ns = 0.0;
};

class Builder {
 public:
  Builder(const ScheduleFile &schedule, const SimReportFile *sim) : s_(schedule), sim_(sim) {}

  Timeline build(int layers_per_row) {
    t_.source = sim_ ? TimelineSource::CoSimulation : TimelineSource::Schedule;
    t_.network = s_.network;
    t_.lanes = {"layer", "clock"};
    t_.lanes.insert(t_.lanes.end(), s_.domains.begin(), s_.domains.end());
    t_.rail_voltages_v = s_.rail_voltages_v;
    t_.deadline_ns = s_.deadline_ns;
    t_.period_ns = s_.period_ns;
    for (size_t i = 0; i < s_.layers.size(); ++i) addLayer(i);
    addIdle();
    addRows(std::max(1, layers_per_row));
    return std::move(t_);
  }

 private:
  const sched::DomainState &measuredOr(size_t layer, size_t d) const {
    if (sim_ && !sim_->by_period.empty()) {
      const std::vector<sched::DomainState> &m = sim_->by_period[0].layers[layer].domains;
      if (m.size() == s_.domains.size()) return m[d];
    }
    return s_.layers[layer].domains[d];
  }

  Span layerSpan(size_t i) const {
    if (sim_ && !sim_->by_period.empty() && sim_->by_period[0].layers[i].ran)
      return {sim_->by_period[0].layers[i].start_ns, sim_->by_period[0].layers[i].end_ns};
    return {s_.layers[i].start_ns, s_.layers[i].end_ns};
  }

  double previousEnd(size_t i) const { return i == 0 ? 0.0 : layerSpan(i - 1).end_ns; }

  void addLayer(size_t i) {
    const ScheduleLayer &layer = s_.layers[i];
    const Span span = layerSpan(i);
    const std::string when =
        fmt::format("{} to {} ({})", formatTime(span.start_ns), formatTime(span.end_ns),
                    formatTime(span.end_ns - span.start_ns));
    for (size_t d = 0; d < s_.domains.size(); ++d) {
      const sched::DomainState &state = measuredOr(i, d);
      std::string title =
          fmt::format("{} · {} · {} · {} · {}", layer.name, s_.domains[d],
                      supplyName(state, s_.rail_voltages_v), when, energyText(layer.by_domain[d]));
      std::string css = stateClass(state);
      if (!(state == layer.domains[d])) {
        const std::string scheduled = supplyName(layer.domains[d], s_.rail_voltages_v);
        t_.mismatches.push_back(fmt::format("{} {}: measured {}, scheduled {}", layer.name,
                                            s_.domains[d], supplyName(state, s_.rail_voltages_v),
                                            scheduled));
        title += " · MEASURED DIFFERENT FROM THE SCHEDULE (" + scheduled + ")";
        css += " mismatch";
      }
      t_.states.push_back(
          {int(i), kFirstDomainLane + int(d), span.start_ns, span.end_ns, css, "", title});
    }
    addClock(int(i), span, layer.clock_divider, when);
    std::string css = layer.host ? "layer host" : "layer";
    std::string label = layer.host ? "host: " + layer.host->op : layer.name;
    std::string title = fmt::format("{} · {} · {}", layer.name, when, layer.state);
    if (layer.host)
      title += fmt::format(" · on the host: {} for {}, host energy {}", layer.host->op,
                           formatTime(layer.host->time_ns), formatEnergy(layer.host->energy_pj));
    t_.layers.push_back({int(i), kLayerLane, span.start_ns, span.end_ns, css, label, title});
    addTransitions(int(i), layer.transition_in, previousEnd(i), span.start_ns, layer.name);
  }

  void addClock(int layer, Span span, int divider, const std::string &when) {
    const double mhz = divider > 0 ? s_.clock.base_mhz / divider : 0.0;
    const std::string label = divider > 0 ? fmt::format("/{}", divider) : "stopped";
    const std::string title =
        divider > 0 ? fmt::format("clock /{} = {} MHz · {}", divider, num(mhz), when)
                    : fmt::format("clock stopped (the sleep timer counts the period) · {}", when);
    t_.clocks.push_back({layer, kClockLane, span.start_ns, span.end_ns,
                         divider > 0 ? "clock" : "clock stopped", label, title});
  }

  // Each change of the boundary: out of the previous layer's end, or, for a look-ahead
  // change, ending when the layer starts.
  void addTransitions(int layer, const ScheduleTransition &boundary, double from_ns, double to_ns,
                      const std::string &into) {
    for (const sched::DomainChange &change : boundary.changes) {
      const double start = change.lookahead ? to_ns - change.time_ns : from_ns;
      const std::string title = fmt::format(
          "{}: {} → {} into {} · latency {}, {}{}", s_.domains[size_t(change.domain)],
          supplyName(change.from, s_.rail_voltages_v), supplyName(change.to, s_.rail_voltages_v),
          into, formatTime(change.time_ns), formatEnergy(change.energy_pj),
          change.lookahead ? " (look-ahead: during the previous layer)" : "");
      t_.transitions.push_back(
          {layer, kFirstDomainLane + change.domain, start, start + change.time_ns, title});
    }
  }

  void addIdle() {
    const ScheduleIdle &idle = s_.idle;
    const double busy = s_.layers.empty() ? 0.0 : layerSpan(s_.layers.size() - 1).end_ns;
    t_.busy_ns = busy;
    t_.idle_start_ns = busy + idle.transition_in.time_ns;
    addTransitions(-1, idle.transition_in, busy, t_.idle_start_ns, "idle");
    const Span span{t_.idle_start_ns, s_.period_ns};
    const std::string when =
        fmt::format("{} to the next tick at {} ({})", formatTime(span.start_ns),
                    formatTime(span.end_ns), formatTime(span.end_ns - span.start_ns));
    for (size_t d = 0; d < s_.domains.size(); ++d) {
      sched::DomainState state = idle.domains[d];
      std::string css = stateClass(state);
      std::string title =
          fmt::format("idle · {} · {} · {} · {}", s_.domains[d],
                      supplyName(state, s_.rail_voltages_v), when, energyText(idle.by_domain[d]));
      if (sim_ && !sim_->by_period.empty() &&
          sim_->by_period[0].idle_domains.size() == s_.domains.size()) {
        const sched::DomainState &measured = sim_->by_period[0].idle_domains[d];
        if (!(measured == state)) {
          t_.mismatches.push_back(fmt::format("idle {}: measured {}, scheduled {}", s_.domains[d],
                                              supplyName(measured, s_.rail_voltages_v),
                                              supplyName(state, s_.rail_voltages_v)));
          css = stateClass(measured) + " mismatch";
          title += " · MEASURED DIFFERENT FROM THE SCHEDULE";
        }
      }
      t_.states.push_back(
          {-1, kFirstDomainLane + int(d), span.start_ns, span.end_ns, css, "", title});
    }
    addClock(-1, span, idle.clock_divider, when);
    t_.layers.push_back(
        {-1, kLayerLane, span.start_ns, span.end_ns, "layer idle", "idle",
         fmt::format("idle ({}) · {} · {}", idle.state, when, formatPower(idle.power_uw))});
  }

  void addRows(int layers_per_row) {
    const int count = int(s_.layers.size());
    const int rows = std::max(1, (count + layers_per_row - 1) / layers_per_row);
    // Even rows: 140 layers at 30 per row are 5 rows of 28, not 4 of 30 and one of 20.
    const int per_row = std::max(1, (count + rows - 1) / rows);
    for (int first = 0; first < count || (count == 0 && t_.rows.empty()); first += per_row) {
      TimelineRow row;
      row.first_layer = first;
      row.end_layer = std::min(count, first + per_row);
      row.start_ns = first == 0 ? 0.0 : previousEnd(size_t(first));
      row.last = row.end_layer == count;
      row.end_ns = row.last ? std::max({t_.deadline_ns, t_.idle_start_ns, t_.busy_ns})
                            : layerSpan(size_t(row.end_layer - 1)).end_ns;
      t_.rows.push_back(row);
      if (count == 0) break;
    }
  }

  const ScheduleFile &s_;
  const SimReportFile *sim_;
  Timeline t_;
};

}  // namespace

Timeline buildTimeline(const ScheduleFile &schedule, const SimReportFile *sim, int layers_per_row) {
  return Builder(schedule, sim).build(layers_per_row);
}

}  // namespace pf::report
