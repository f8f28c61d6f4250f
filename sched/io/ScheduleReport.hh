// From a solved schedule to the schedule file (sched/io/ScheduleFile.hh; docs/formats.md)
// and its text summary. Reporting only: every cost is computed by sched/ (the solver's
// evaluation, the transition physics of sched/InstanceBuilder.hh) before it is written.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/Design.hh"
#include "core/Json.hh"
#include "sched/InstanceBuilder.hh"
#include "sched/Schedule.hh"
#include "sched/io/ScheduleFile.hh"
#include "workload/Profile.hh"

namespace pf {

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

// What the instance was built from, when it was built from physics here (not read from
// a dumped instance). All or nothing: a physical schedule file needs every part.
struct SchedulePhysics {
  const DesignSpec *design = nullptr;
  const sched::ChipModel *chip = nullptr;     // from design + characterization
  const sched::Workload *workload = nullptr;  // from profile + design
  const Profile *profile = nullptr;
  std::string profile_file;  // named in errors about the profile
  ScheduleInputHashes input_hashes;
};

struct ScheduleReportInput {
  std::string generated_by;
  std::vector<std::pair<std::string, std::string>> inputs;  // role -> path
  const sched::Instance *instance = nullptr;
  std::optional<SchedulePhysics> physics;  // absent for a dumped instance
  sched::SolverKind solver = sched::SolverKind::Exact;
  sched::SolveResult result;  // must be Optimal or Feasible
  double lower_bound_pj = 0.0;
  std::vector<BaselineRow> baselines;
  std::vector<ParetoPoint> pareto;
  std::vector<std::string> warnings;  // "warning PF-NNNN: ...", at the top of the summary
};

// The schedule file of a result. Throws pf::Error naming the profile file when the
// profile does not describe the instance's layers (PF-7311) or a layer's descriptors
// are not one contiguous chain of 64-byte descriptors (PF-7310).
ScheduleFile scheduleFile(const ScheduleReportInput &input);
std::string scheduleSummary(const ScheduleReportInput &input);

}  // namespace pf
