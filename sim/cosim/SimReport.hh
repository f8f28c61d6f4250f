// The verdict of a co-simulated run (the checks of docs/sim.md) and its report: JSON
// ("powerflow-sim", version 2; docs/formats.md) and a text summary for people. Computing
// is split from writing: judge() decides, the writers only format.
#pragma once

#include <string>
#include <vector>

#include "core/Json.hh"
#include "sim/cosim/CoSim.hh"

namespace pf::sim {

inline constexpr const char *kSimFormat = "powerflow-sim";
inline constexpr int kSimVersion = 3;
inline constexpr double kEnergyTolerance = 0.01;  // measured vs predicted, per period

struct ComponentDiff {
  std::string where;  // a layer's name, or "idle"
  std::string domain;
  std::string part;  // dynamic | leakage | transition
  double predicted_pj = 0.0;
  double measured_pj = 0.0;
  std::string reason;  // the known cause, when there is one
};

struct PeriodVerdict {
  double predicted_pj = 0.0;
  double measured_pj = 0.0;
  double relative_difference = 0.0;  // (measured - predicted) / predicted
  bool energy_ok = false;
  bool outputs_ok = false;
  bool deadline_ok = false;
  bool cycles_ok = false;
  double slack_ns = 0.0;  // deadline - busy
  EnergySplit predicted_split, measured_split;
};

struct SimVerdict {
  bool passed = false;
  std::vector<PeriodVerdict> periods;
  std::vector<std::string> failures;      // one line per failed check
  std::vector<ComponentDiff> components;  // period 0, largest differences first
};

SimVerdict judge(const CoSimSetup &setup, const CoSimResult &result,
                 double tolerance = kEnergyTolerance);

struct SimRunInfo {
  std::string generated_by;
  std::vector<std::pair<std::string, std::string>> inputs;  // role -> path
  std::vector<std::pair<std::string, std::string>> input_hashes;
  std::string trace;  // path, "" when none
};

Json simReportJson(const CoSimSetup &setup, const CoSimResult &result, const SimVerdict &verdict,
                   const SimRunInfo &info);
std::string simSummaryText(const CoSimSetup &setup, const CoSimResult &result,
                           const SimVerdict &verdict);

}  // namespace pf::sim
