// The schedule file ("powerflow-schedule", version 2; docs/formats.md) as a typed model:
// everything the file holds, so later stages (gen: microcode, sequencer, UPF; sim:
// co-simulation) read the schedule without parsing display strings.
//
// scheduleFileToJson() and scheduleFileFromJson() are exact inverses on what this
// library writes: write -> read -> write gives the same bytes (core/Json writes doubles
// round-trip exact). The writer path is solver result -> ScheduleFile
// (sched/io/ScheduleReport.hh) -> JSON.
//
// A schedule solved from a dumped instance (`powerflow schedule --instance`) has no chip,
// workload or profile behind it: `physical` is false, and the fields marked "physical"
// below are absent from the file and empty (or zero) here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/Json.hh"
#include "sched/Instance.hh"
#include "sched/InstanceBuilder.hh"
#include "sched/Schedule.hh"
#include "workload/Profile.hh"

namespace pf {

inline constexpr const char *kScheduleFormat = "powerflow-schedule";
inline constexpr int kScheduleVersion = 3;  // 3: host segments

// The design's clock generator (physical): the datapath runs at base_mhz / divider.
struct ScheduleClock {
  double base_mhz = 0.0;
  std::vector<int> dividers;  // the design's settings, in its order (ascending)
  double switch_time_ns = 0.0;
  double sleep_timer_khz = 0.0;  // the period timer's clock while the datapath is stopped

  // Index of `divider` in `dividers`, -1 if it is not one (0, a stopped clock, is not).
  int dividerIndex(int divider) const;
};

// SHA-256 (64 lower-case hex digits) of the contents of the files the schedule was made
// from (physical), so a later stage can refuse a schedule made for another design.
struct ScheduleInputHashes {
  std::string design;
  std::string characterization;
  std::string profile;
};

struct ScheduleSolver {
  sched::SolverKind kind = sched::SolverKind::Exact;
  sched::SolveStatus status = sched::SolveStatus::Optimal;
  int64_t labels_created = 0;
  int64_t labels_dominated = 0;
  int64_t labels_pruned = 0;
  int64_t peak_labels = 0;
  int64_t nodes = 0;
  int64_t ilp_columns = 0;
  int64_t ilp_columns_fixed = 0;
  std::string message;  // empty: none
};

struct ScheduleTotals {
  double busy_ns = 0.0;
  double slack_ns = 0.0;  // deadline - busy
  double layer_dynamic_pj = 0.0;
  double layer_leakage_pj = 0.0;
  double transition_pj = 0.0;
  double idle_pj = 0.0;
  double total_pj = 0.0;
};

// A stage boundary: the change of power state into a layer (or into idle).
struct ScheduleTransition {
  double time_ns = 0.0;  // visible time, rounded up to ticks as in the timeline
  double energy_pj = 0.0;
  bool clock_divider_changes = false;
  // Every domain whose (mode, rail) changes, in domain order; `domain` indexes
  // ScheduleFile::domains. time_ns, energy_pj and lookahead are physical (zero/false
  // when the file is not).
  std::vector<sched::DomainChange> changes;
};

// The layer's descriptor chain in external memory: `count` descriptors of 64 bytes
// each, back to back from `first_addr` (bytes).
struct ScheduleDescriptors {
  uint32_t first_addr = 0;
  int64_t count = 0;
};

// A host segment (docs/host.md): the host processor runs the layer while the accelerator
// waits in the layer's power state. Its time and energy come from the profile's host model;
// the energy is the host's, outside the accelerator totals.
struct ScheduleHost {
  std::string op;  // "softmax", ...
  double time_ns = 0.0;
  double energy_pj = 0.0;
};

struct ScheduleLayer {
  std::string name;
  int option = 0;     // index into the instance's options of this layer
  std::string state;  // the power state's display name
  int clock_divider = 1;
  double clock_mhz = 0.0;                   // physical
  std::vector<sched::DomainState> domains;  // per ScheduleFile::domains
  ScheduleTransition transition_in;         // from the previous layer (layer 0: from idle)
  double start_ns = 0.0;                    // from the period start (the wake-up included)
  double end_ns = 0.0;
  double dynamic_pj = 0.0;
  double leakage_pj = 0.0;
  // Physical: per ScheduleFile::domains, the domains that must be on during the layer
  // (PE groups and banks it uses; the always-on domain is not listed) and the banks
  // that hold a tensor live across it (off is not allowed; retention is).
  std::vector<bool> uses;
  std::vector<bool> keeps_data;
  ScheduleDescriptors descriptors;                  // physical; count 0 on the host
  PhaseCycles cycles;                               // physical: the profile's cycles
  std::optional<ScheduleHost> host;                 // physical: set for a host segment
  std::vector<sched::DomainEnergySplit> by_domain;  // physical; transition: transition_in
};

struct ScheduleIdle {
  int option = 0;  // index into the instance's idle options
  std::string state;
  sched::IdleKind kind = sched::IdleKind::PowerGated;
  int clock_divider = 0;  // 0: clock stopped
  std::vector<sched::DomainState> domains;
  double power_uw = 0.0;
  ScheduleTransition transition_in;  // from the last layer
  double idle_ns = 0.0;
  double idle_pj = 0.0;
  std::vector<sched::DomainEnergySplit> by_domain;  // physical; transition: transition_in
};

struct ScheduleBaseline {
  std::string name;
  bool available = false;
  // When available:
  bool feasible = false;
  double energy_pj = 0.0;
  double busy_ns = 0.0;
  double energy_vs_schedule = 0.0;  // energy_pj / the schedule's; NaN (null) when not finite
  std::string note;                 // empty: none
};

struct SchedulePoint {  // a point of the energy-versus-deadline curve
  double deadline_ns = 0.0;
  bool feasible = false;
  double energy_pj = 0.0;  // when feasible
  double busy_ns = 0.0;    // when feasible
};

struct ScheduleFile {
  std::string generated_by;
  std::vector<std::pair<std::string, std::string>> inputs;  // role -> path, in file order
  bool physical = false;
  std::string design_name;           // physical
  ScheduleInputHashes input_hashes;  // physical
  std::string network;
  double tick_ns = 0.0;
  double period_ns = 0.0;
  double deadline_ns = 0.0;
  std::vector<double> rail_voltages_v;
  std::vector<std::string> domains;  // design order, the always-on domain included
  ScheduleClock clock;               // physical
  double schedule_space_log10 = 0.0;
  double min_busy_ns = 0.0;
  ScheduleSolver solver;
  ScheduleTotals totals;
  double energy_lower_bound_pj = 0.0;
  double gap_to_lower_bound = 0.0;  // total / bound - 1; NaN (null) when not finite
  std::vector<sched::DomainEnergySplit> energy_by_domain;  // physical
  std::vector<ScheduleLayer> layers;
  ScheduleIdle idle;
  std::vector<ScheduleBaseline> baselines;
  std::vector<SchedulePoint> pareto;

  int domainIndex(const std::string &name) const;  // -1 if absent
};

Json scheduleFileToJson(const ScheduleFile &file);

// Throws pf::Error naming `file`, the line and the JSON path (e.g.
// layers[3].domains[1].rail): PF-7301 another format; PF-7302 a missing field; PF-7303 a
// value inconsistent with the rest of the file (a rail beyond rail_voltages_v, a rail
// other than -1 for a domain that is not on, an unknown mode or domain name, a list not
// one entry per domain, a divider not among clock.dividers); the field reader's numbers
// (core/JsonNode.hh) for another version, a value of another type, a field the format
// does not have (physical fields in a file that is not) and a number out of range.
ScheduleFile scheduleFileFromJson(const Json &json, const std::string &file);
// The same from the file's text (PF-1403 for JSON syntax).
ScheduleFile scheduleFileFromText(const std::string &text, const std::string &file);

// Reads and parses a schedule file (the same errors, plus PF-1001/PF-1403 for an
// unreadable file or JSON syntax).
ScheduleFile readScheduleFile(const std::string &path);

}  // namespace pf
