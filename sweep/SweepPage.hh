// The sweep's page (OUT/results/index.html): one self-contained HTML file (inline SVG
// and CSS in the report's look, report/HtmlReport.cc; no script, nothing fetched) made
// from the results table alone:
//   - the counts: points scheduled, infeasible and missing, co-simulations passed/failed;
//   - per (network, period, deadline) a Pareto plot of energy per period against area,
//     every point a dot (tooltip: design point, rail set, energy, area), the
//     Pareto-optimal ones joined by a line and listed under it;
//   - per (network, period) the energy against the deadline, a line per (design point,
//     rail set), infeasible deadlines marked x;
//   - the table of every point (an infeasible one says why);
//   - the measured wall times of the workflow's stages, in a section of their own: the
//     only part that differs between two runs of the same sweep.
// Pure: the same results and stage times give the same bytes.
#pragma once

#include <string>
#include <vector>

#include "sweep/SweepResults.hh"

namespace pf::sweep {

// The points one Pareto plot draws: one network, period and deadline.
struct ParetoGroup {
  std::string network;
  double period_us = 0.0;
  double deadline_us = 0.0;
  std::vector<size_t> points;  // every point of the group, indices into results.points
  std::vector<size_t> front;   // its Pareto-optimal scheduled points (area, energy),
                               // ascending by area
};

// The groups in the order of their networks in the results, then by period and deadline.
std::vector<ParetoGroup> paretoGroups(const SweepResults &results);

std::string sweepPageHtml(const SweepResults &results, const StageTimes &times);

}  // namespace pf::sweep
