// The schedule file ("powerflow-schedule", version 1; docs/formats.md) and its text
// summary. Reporting only: everything here is computed by sched/ before it is written.
#pragma once

#include <string>
#include <vector>

#include "core/Json.hh"
#include "sched/InstanceBuilder.hh"
#include "sched/Schedule.hh"

namespace pf {

inline constexpr const char *kScheduleFormat = "powerflow-schedule";
inline constexpr int kScheduleVersion = 1;

// One baseline policy priced with the same cost model.
struct BaselineRow {
  std::string name;
  bool available = false;  // the policy could be applied to this instance
  sched::Evaluation evaluation;
  std::string note;  // why unavailable, or that it breaks the deadline
};

// One point of the energy-versus-deadline curve (the optimum at that deadline).
struct ParetoPoint {
  sched::Ticks deadline = 0;
  bool feasible = false;
  double energy_pj = 0.0;
  sched::Ticks busy_time = 0;
};

struct ScheduleReportInput {
  std::string generated_by;
  std::vector<std::pair<std::string, std::string>> inputs;  // role -> path
  const sched::Instance *instance = nullptr;
  // Present when the instance was built from physics here (not read from a dump):
  // then the file also splits the energy by domain.
  const sched::ChipModel *chip = nullptr;
  const sched::Workload *workload = nullptr;
  std::string solver;
  sched::SolveResult result;  // must be Optimal or Feasible
  double lower_bound_pj = 0.0;
  std::vector<BaselineRow> baselines;
  std::vector<ParetoPoint> pareto;
};

Json scheduleToJson(const ScheduleReportInput &input);
std::string scheduleSummary(const ScheduleReportInput &input);

}  // namespace pf
