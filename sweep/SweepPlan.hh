// The plan of a sweep: every design point, network and point (design x rails x network x
// period x deadline) with the files each is made from, written by `powerflow sweep` as
// OUT/plan.json ("powerflow-sweep-plan" version 1, docs/formats.md) for the workflow
// (sweep/Snakefile) and for `powerflow sweep-results`. Paths in the plan are relative to
// OUT, the folder the workflow runs in.
//
// A point's id is made of its values, not of its place in the axes
// ("g2/kws/r0.6_1.1/p20000-d2000"), so adding a value to an axis leaves the ids, and so
// the finished work, of every other point as they were.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/Json.hh"
#include "sweep/SweepSpec.hh"

namespace pf::sweep {

inline constexpr const char *kPlanFormat = "powerflow-sweep-plan";
inline constexpr int kPlanVersion = 1;

struct PlanDesign {
  std::string name;
  std::string design;  // designs/<name>/design.toml, or the base design when it replaces nothing
  // Where its characterization is made and kept: <cache>/<name>-<first 16 hex digits of
  // the SHA-256 of the design file>, so points of equal design files share it and a
  // changed design never reads an old table (powerflow characterize rechecks its inputs).
  std::string cache;
  std::map<std::string, int64_t> parameters;  // as replaced by the sweep
};

struct PlanNetwork {
  std::string name;
  std::string file;
};

struct PlanPoint {
  std::string id;
  std::string design;           // PlanDesign::name
  std::string network;          // PlanNetwork::name
  std::vector<double> rails_v;  // empty: the design's own rails
  double period_us = 0.0;
  double deadline_us = 0.0;
};

struct SweepPlan {
  std::string generated_by;
  std::string name;
  std::string powerflow;  // the powerflow binary the workflow runs (absolute)
  std::string corners;
  int sim_periods = 1;
  int64_t sparsity_seed = 0;
  std::vector<PlanDesign> designs;
  std::vector<PlanNetwork> networks;
  std::vector<PlanPoint> points;

  const PlanDesign &design(const std::string &name) const;
  const PlanNetwork &network(const std::string &name) const;
};

// The point's id from its values.
std::string pointId(const std::string &design, const std::string &network,
                    const std::vector<double> &rails_v, double period_us, double deadline_us);

// Every combination of the axes, design-point-major (the table's order). The deadline of
// a fraction is fraction x period; a deadline above a period is refused (PF-11201 at the
// axis), and so are two fractions that give one deadline.
std::vector<PlanPoint> expandPoints(const SweepSpec &spec);

Json planToJson(const SweepPlan &plan);
// PF-11202 another format, PF-11203 a point naming a design or network the plan does not
// have; the field reader's numbers for the rest (core/JsonNode.hh).
SweepPlan planFromText(const std::string &text, const std::string &file);
SweepPlan readPlan(const std::string &path);

}  // namespace pf::sweep
