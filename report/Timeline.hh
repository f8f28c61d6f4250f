// The power-state timeline of one period: the model (which bar goes where, from the
// schedule and, when there is one, the co-simulation) apart from its drawing
// (TimelineSvg.hh). Pure: typed files in, plain structs out.
//
// What is drawn (docs/report.md): per schedule layer and per design domain one state bar
// (the domain's supply during the layer), one more per domain for the idle state until
// the next tick, and one transition mark per domain change the schedule makes at a
// boundary (into each layer and into idle). So a page shows (layers + 1) x domains state
// bars and as many transition marks as the schedule has changes. With a co-simulation
// the layers' times and the supplies are the measured ones; a supply measured different
// from the schedule's is drawn as measured and flagged.
#pragma once

#include <string>
#include <vector>

#include "sched/io/ScheduleFile.hh"
#include "sim/cosim/SimReportFile.hh"

namespace pf::report {

enum class TimelineSource { CoSimulation, Schedule };

struct TimelineBar {
  int layer = -1;  // schedule layer; -1: the idle state
  int lane = 0;    // TimelineLanes: kLayerLane, kClockLane, or kFirstDomainLane + domain
  double start_ns = 0.0, end_ns = 0.0;  // from the period's tick
  std::string css_class;                // "state on r0", "state off", "layer host", ...
  std::string label;                    // drawn inside the bar when it fits
  std::string title;                    // the tooltip
};

struct TimelineMark {  // a domain's change of supply
  int layer = -1;      // the boundary into this layer; -1: into idle
  int lane = 0;
  double start_ns = 0.0, end_ns = 0.0;  // the change's latency (0 for a power-down)
  std::string title;
};

// Layers are folded into rows of at most N layers, each row on its own time axis.
struct TimelineRow {
  int first_layer = 0, end_layer = 0;  // [first, end)
  double start_ns = 0.0, end_ns = 0.0;
  bool last = false;  // the row that ends with the idle state, the deadline and the period
};

inline constexpr int kLayerLane = 0;
inline constexpr int kClockLane = 1;
inline constexpr int kFirstDomainLane = 2;

struct Timeline {
  TimelineSource source = TimelineSource::Schedule;
  std::string network;
  std::vector<std::string> lanes;  // names: "layer", "clock", then the domains
  std::vector<double> rail_voltages_v;
  std::vector<TimelineBar> states;  // (layers + 1) x domains
  std::vector<TimelineBar> clocks;  // per layer, and idle
  std::vector<TimelineBar> layers;  // per layer (accelerator or host)
  std::vector<TimelineMark> transitions;
  std::vector<TimelineRow> rows;
  double busy_ns = 0.0, deadline_ns = 0.0, period_ns = 0.0;
  double idle_start_ns = 0.0;           // the idle state's start (after the last change)
  std::vector<std::string> mismatches;  // measured supplies that differ from the schedule
};

// `sim` may be null (the schedule's times); layers_per_row >= 1.
Timeline buildTimeline(const ScheduleFile &schedule, const SimReportFile *sim, int layers_per_row);

// "on 0.60 V", "off", "retention".
std::string supplyName(const sched::DomainState &state, const std::vector<double> &rails);

}  // namespace pf::report
