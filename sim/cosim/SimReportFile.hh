// The co-simulation report (`out/sim/report.json`, "powerflow-sim" version 2; docs/
// formats.md), typed: what `powerflow report` and other tools read instead of the JSON.
// The writer is sim/cosim/SimReport.cc; readSimReportFile() refuses anything the writer
// would not have written (unknown fields included), naming the file and the field.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/Json.hh"
#include "sched/Instance.hh"
#include "sched/InstanceBuilder.hh"
#include "workload/Profile.hh"

namespace pf {

struct SimLayerReport {
  std::string name;
  bool ran = false, golden_ok = false;
  std::string golden_detail;  // why not, "" when golden_ok
  double clock_mhz = 0.0;
  double start_ns = 0.0, end_ns = 0.0;  // measured, from the period's tick
  double predicted_start_ns = 0.0, predicted_end_ns = 0.0;
  PhaseCycles cycles, profile_cycles;
  int64_t memory_stall_cycles = 0;
  double operand_sparsity = 0.0;
  sched::DomainEnergySplit predicted, measured;
  std::vector<sched::DomainState> domains;  // measured supplies, the report's domain order
};

struct SimPeriodReport {
  double predicted_pj = 0.0, measured_pj = 0.0, relative_difference = 0.0;
  sched::DomainEnergySplit predicted, measured;
  double busy_ns = 0.0, slack_ns = 0.0;
  bool deadline_met = false, outputs_bit_exact = false, cycles_match_profile = false,
       energy_within_tolerance = false;
  int64_t transition_events = 0;
  std::vector<SimLayerReport> layers;
  sched::DomainEnergySplit idle_measured;
  std::vector<sched::DomainState> idle_domains;
  bool idle_clock_stopped = false;
};

struct SimViolationReport {
  int period = 0;
  int64_t cycle = 0;
  double time_ns = 0.0;
  std::string domain, rule, detail;
  int64_t count = 0;
};

struct SimComponentReport {
  std::string where, domain, part;
  double predicted_pj = 0.0, measured_pj = 0.0;
  std::string reason;
};

struct SimReportFile {
  std::string generated_by;
  std::vector<std::pair<std::string, std::string>> inputs;        // role -> path
  std::vector<std::pair<std::string, std::string>> input_sha256;  // role -> hash
  std::string network;
  std::vector<std::string> domains;  // the design's order
  int periods = 0;
  int64_t seed = 0;
  double period_ns = 0.0, deadline_ns = 0.0, energy_tolerance = 0.0, switch_slowdown = 1.0;
  bool passed = false;
  std::vector<std::string> failures;
  std::vector<SimViolationReport> violations;
  std::vector<SimPeriodReport> by_period;
  std::vector<SimComponentReport> components;  // period 0, largest difference first
  int64_t run_cycles = 0;
  double run_simulated_ns = 0.0;
  std::string run_trace;  // "" when none

  // The SHA-256 recorded for an input role ("schedule", ...), "" when none.
  std::string inputHash(const std::string &role) const;
};

// PF-9010 another format, PF-9011 a missing field, PF-9012 a value inconsistent with the
// file; the field reader's numbers (core/JsonNode.hh) for another version, a mistyped or
// unknown field, a number out of range; each names the file, the line and the JSON path
// (PF-1001/PF-1008/PF-1403 for an unreadable file or JSON syntax).
SimReportFile readSimReportFile(const std::string &path);
SimReportFile simReportFromText(const std::string &text, const std::string &path);
SimReportFile simReportFromJson(const Json &json, const std::string &path);

}  // namespace pf
