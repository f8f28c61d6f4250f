#include "sweep/SweepPage.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <tuple>

#include "core/Banner.hh"
#include "report/PageStyle.hh"
#include "report/Svg.hh"

namespace pf::sweep {

using report::escapeXml;
using report::formatEnergy;
using report::formatTime;
using report::niceTicks;
using report::num;
using report::Scale;
using report::SvgBuilder;

namespace {

// The shared look (report/PageStyle.hh) and the classes of the sweep's charts.
const std::string kCss = std::string(report::basePageCss()) +
                         R"(h3{font-size:14px;margin:4px 0}
tr.infeasible td{background:#fff5f5}
tr.missing td{color:#868e96}
#points td{white-space:nowrap}
#points td.why{white-space:normal;min-width:240px}
.chart .curve{fill:none;stroke:#2f9e44;stroke-width:1.5}
.chart .point{fill:#748ffc}
.chart .front{fill:#2f9e44;stroke:#fff;stroke-width:1}
figure{margin:0}
)";
std::string esc(const std::string &text) { return escapeXml(text); }

std::string section(const std::string &id, const std::string &title, const std::string &body) {
  return report::pageSection(id, title, body);
}

double energyPj(const PointResult &p) { return p.scheduled->energy_uj * 1e6; }

// "0.6/1.1 V", or the design's own rails (the plan's axis value, the same for every
// status, so a series keeps its name).
std::string railsLabel(const PointResult &p) {
  if (p.rails_v.empty()) return "design rails";
  return fmt::format("{} V", fmt::join(p.rails_v, "/"));
}

std::string pointLabel(const PointResult &p) { return p.design + " · " + railsLabel(p); }

// Area in mm² (the accelerator's scale: tenths of a mm²), at most four significant digits.
std::string formatArea(double um2) {
  const double mm2 = um2 / 1e6;
  const int decimals = mm2 >= 100 ? 1 : mm2 >= 10 ? 2 : mm2 >= 1 ? 3 : mm2 >= 0.1 ? 4 : 5;
  return num(mm2, decimals) + " mm²";
}

// Decimals that tell ticks `step` apart (steps are 1, 2 or 5 x 10^k).
int tickDecimals(double step) {
  return step > 0 ? std::max(0, int(-std::floor(std::log10(step) + 1e-9))) : 0;
}

// A tick's value with the decimals its step needs (a lone tick: two more than its own).
std::string tickLabel(double value, const std::vector<double> &ticks) {
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : std::abs(value);
  return num(value, tickDecimals(step) + (ticks.size() > 1 ? 0 : 2));
}

// A domain around [lo, hi] with a margin, never empty.
std::pair<double, double> padded(double lo, double hi) {
  const double pad = std::max((hi - lo) * 0.08, std::max(std::abs(hi), 1e-12) * 0.02);
  return {lo - pad, hi + pad};
}

// The colour of series `index` of `count`: hues spread round the wheel.
std::string seriesColor(size_t index, size_t count) {
  const int hue = int((index * 360) / std::max<size_t>(count, 1) + 210) % 360;
  return fmt::format("hsl({},65%,{}%)", hue, index % 2 ? 32 : 45);
}

struct Axes {
  double left, top, plot_w, plot_h;
  Scale x, y;
};

// A plot's box at (left, top) with both ranges padded (padded()).
Axes axesOf(double left, double top, double plot_w, double plot_h,
            std::pair<double, double> x_range, std::pair<double, double> y_range) {
  const auto [x_lo, x_hi] = padded(x_range.first, x_range.second);
  const auto [y_lo, y_hi] = padded(y_range.first, y_range.second);
  return {left,
          top,
          plot_w,
          plot_h,
          {x_lo, x_hi, left, left + plot_w},
          {y_lo, y_hi, top + plot_h, top}};
}

void drawAxes(SvgBuilder &svg, const Axes &a, const std::string &x_title,
              const std::function<std::string(double, const std::vector<double> &)> &x_label,
              const std::string &y_title) {
  svg.line(a.left, a.top + a.plot_h, a.left + a.plot_w, a.top + a.plot_h, "axis");
  svg.line(a.left, a.top, a.left, a.top + a.plot_h, "axis");
  const std::vector<double> xt = niceTicks(a.x.domain_lo, a.x.domain_hi, 5);
  for (double t : xt) {
    svg.line(a.x(t), a.top + a.plot_h, a.x(t), a.top + a.plot_h + 4, "axis");
    svg.text(a.x(t), a.top + a.plot_h + 16, x_label(t, xt), "small", "middle");
  }
  for (double t : niceTicks(a.y.domain_lo, a.y.domain_hi, 5)) {
    svg.line(a.left - 4, a.y(t), a.left, a.y(t), "axis");
    svg.text(a.left - 6, a.y(t) + 4, formatEnergy(t), "small", "end");
  }
  svg.text(a.left + a.plot_w / 2, a.top + a.plot_h + 34, x_title, "", "middle");
  svg.text(a.left, a.top - 8, y_title, "small");
}

// ---- header ----------------------------------------------------------------------------

std::string header(const SweepResults &r) {
  std::string out = fmt::format("<h1>powerflow sweep: {}</h1>\n", esc(r.name));
  const int scheduled = r.count(PointStatus::Scheduled);
  const int infeasible = r.count(PointStatus::Infeasible);
  const int missing = r.count(PointStatus::Missing);
  out += fmt::format(
      "<p class=\"lead\">{} points: {} scheduled, {} infeasible, {} missing. {}</p>\n",
      r.points.size(), scheduled, infeasible, missing,
      r.sim_periods == 0 ? std::string("Not co-simulated (the sweep's sim_periods is 0).")
                         : fmt::format("Co-simulation of {} period(s): {} passed, {} failed.",
                                       r.sim_periods, r.simPassed(), r.simFailed()));
  if (missing > 0)
    out += fmt::format(
        "<p class=\"note\">{} point(s) have no result yet: the workflow has not finished them "
        "(run powerflow sweep again; it does only what is missing).</p>\n",
        missing);
  if (r.simFailed() > 0) {
    out += "<p class=\"bad\">Co-simulation failed:";
    for (const PointResult &p : r.points)
      if (p.scheduled && p.scheduled->sim && !p.scheduled->sim->passed)
        out += fmt::format("<br><code>{}</code>: {}", esc(p.id),
                           esc(fmt::format("{}", fmt::join(p.scheduled->sim->failures, "; "))));
    out += "</p>\n";
  }
  return out;
}

// ---- Pareto plots ----------------------------------------------------------------------

std::string groupTitle(const ParetoGroup &g) {
  return fmt::format("{} · period {} · deadline {}", g.network, formatTime(g.period_us * 1e3),
                     formatTime(g.deadline_us * 1e3));
}

std::string paretoSvg(const SweepResults &r, const ParetoGroup &g) {
  const double left = 78, top = 24, plot_w = 380, plot_h = 220, bottom = 44, right = 24;
  double a_lo = 1e300, a_hi = -1e300, e_lo = 1e300, e_hi = -1e300;
  for (size_t i : g.points) {
    const PointResult &p = r.points[i];
    if (!p.scheduled) continue;
    a_lo = std::min(a_lo, p.scheduled->area_um2 / 1e6);
    a_hi = std::max(a_hi, p.scheduled->area_um2 / 1e6);
    e_lo = std::min(e_lo, energyPj(p));
    e_hi = std::max(e_hi, energyPj(p));
  }
  const Axes a = axesOf(left, top, plot_w, plot_h, {a_lo, a_hi}, {e_lo, e_hi});
  SvgBuilder svg;
  drawAxes(
      svg, a, "area (mm²)",
      [](double t, const std::vector<double> &ticks) { return tickLabel(t, ticks); },
      "energy per period");
  std::vector<std::pair<double, double>> line;
  for (size_t i : g.front)
    line.emplace_back(a.x(r.points[i].scheduled->area_um2 / 1e6), a.y(energyPj(r.points[i])));
  svg.polyline(line, "curve");
  for (size_t i : g.points) {
    const PointResult &p = r.points[i];
    if (!p.scheduled) continue;
    const bool on_front = std::find(g.front.begin(), g.front.end(), i) != g.front.end();
    const double cx = a.x(p.scheduled->area_um2 / 1e6), cy = a.y(energyPj(p));
    svg.circle(
        cx, cy, on_front ? 4.5 : 3.5, on_front ? "front" : "point",
        fmt::format("{} · {} · {} · busy {}{} ({})", pointLabel(p), formatEnergy(energyPj(p)),
                    formatArea(p.scheduled->area_um2), formatTime(p.scheduled->busy_us * 1e3),
                    on_front ? " · Pareto-optimal" : "", p.id));
    if (on_front) {
      const bool near_right = cx > left + plot_w * 0.7;
      svg.text(near_right ? cx - 7 : cx + 7, cy - 6, pointLabel(p), "small",
               near_right ? "end" : "start");
    }
  }
  return svg.svg(left + plot_w + right, top + plot_h + bottom, "chart",
                 "Energy per period against area, " + groupTitle(g));
}

std::string frontTable(const SweepResults &r, const ParetoGroup &g) {
  std::string out =
      "<table><tr><th class=\"l\">Pareto-optimal</th><th>area</th><th>energy</th>"
      "<th>busy</th></tr>\n";
  for (size_t i : g.front) {
    const PointResult &p = r.points[i];
    out += fmt::format("<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       esc(pointLabel(p)), formatArea(p.scheduled->area_um2),
                       formatEnergy(energyPj(p)), formatTime(p.scheduled->busy_us * 1e3));
  }
  return out + "</table>\n";
}

std::string paretoFigure(const SweepResults &r, const ParetoGroup &g) {
  int scheduled = 0, infeasible = 0, missing = 0;
  for (size_t i : g.points) {
    scheduled += r.points[i].status == PointStatus::Scheduled;
    infeasible += r.points[i].status == PointStatus::Infeasible;
    missing += r.points[i].status == PointStatus::Missing;
  }
  std::string out = fmt::format(
      "<figure class=\"pareto\">\n<h3>{}</h3>\n<p class=\"lead\">{} scheduled, {} infeasible, "
      "{} missing</p>\n",
      esc(groupTitle(g)), scheduled, infeasible, missing);
  if (scheduled == 0)
    return out + "<p class=\"note\">No point of this group was scheduled.</p>\n</figure>\n";
  return out + paretoSvg(r, g) + frontTable(r, g) + "</figure>\n";
}

std::string paretoSection(const SweepResults &r) {
  std::string body =
      "<p class=\"lead\">Energy per period against the design's area (every domain and the "
      "power sequencer, SRAM macros included), one plot per network, period and deadline. "
      "Every scheduled point is a dot (hover: design point, rail set, energy, area); the "
      "Pareto-optimal ones (no other point of the plot has less or equal area and energy, "
      "one of them less) are green, joined by a line and listed under the plot.</p>\n"
      "<div class=\"multiples\">\n";
  for (const ParetoGroup &g : paretoGroups(r)) body += paretoFigure(r, g);
  return section("pareto", "Energy against area (Pareto)", body + "</div>\n");
}

// ---- energy against the deadline ---------------------------------------------------------

struct Series {
  std::string label;                        // design point · rail set
  std::vector<const PointResult *> points;  // ascending deadline
};

// The series of one network and period, in the order the results first name them.
std::vector<Series> seriesOf(const SweepResults &r, const std::string &network, double period_us) {
  std::vector<Series> series;
  for (const PointResult &p : r.points) {
    if (p.network != network || p.period_us != period_us) continue;
    const std::string label = pointLabel(p);
    auto it = std::find_if(series.begin(), series.end(),
                           [&](const Series &s) { return s.label == label; });
    if (it == series.end()) it = series.insert(series.end(), Series{label, {}});
    it->points.push_back(&p);
  }
  for (Series &s : series)
    std::stable_sort(
        s.points.begin(), s.points.end(),
        [](const PointResult *a, const PointResult *b) { return a->deadline_us < b->deadline_us; });
  return series;
}

std::string deadlineSvg(const std::vector<Series> &series) {
  const double left = 78, top = 24, plot_w = 560, plot_h = 240, right = 24, legend_line = 16;
  double d_lo = 1e300, d_hi = -1e300, e_lo = 1e300, e_hi = -1e300;
  for (const Series &s : series)
    for (const PointResult *p : s.points) {
      d_lo = std::min(d_lo, p->deadline_us * 1e3);
      d_hi = std::max(d_hi, p->deadline_us * 1e3);
      if (!p->scheduled) continue;
      e_lo = std::min(e_lo, energyPj(*p));
      e_hi = std::max(e_hi, energyPj(*p));
    }
  if (e_lo > e_hi) e_lo = e_hi = 1.0;  // nothing scheduled: only the x marks
  const Axes a = axesOf(left, top, plot_w, plot_h, {d_lo, d_hi}, {e_lo, e_hi});
  SvgBuilder svg;
  drawAxes(
      svg, a, "deadline", [](double t, const std::vector<double> &) { return formatTime(t); },
      "energy per period");
  double ly = top + plot_h + 56;
  for (size_t k = 0; k < series.size(); ++k) {
    const Series &s = series[k];
    const std::string color = seriesColor(k, series.size());
    std::string coords;
    for (const PointResult *p : s.points)
      if (p->scheduled)
        coords += (coords.empty() ? "" : " ") + num(a.x(p->deadline_us * 1e3)) + "," +
                  num(a.y(energyPj(*p)));
    svg.raw(
        fmt::format("<polyline class=\"series\" stroke=\"{}\" points=\"{}\"/>\n", color, coords));
    for (const PointResult *p : s.points) {
      const double x = a.x(p->deadline_us * 1e3);
      if (p->scheduled) {
        svg.raw(fmt::format(
            "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{}\"><title>{}</title></circle>\n", num(x),
            num(a.y(energyPj(*p))), color,
            esc(fmt::format("{} · deadline {} · {} · busy {}", s.label,
                            formatTime(p->deadline_us * 1e3), formatEnergy(energyPj(*p)),
                            formatTime(p->scheduled->busy_us * 1e3)))));
      } else if (p->status == PointStatus::Infeasible) {
        svg.text(
            x, top + plot_h - 6, "×", "red", "middle",
            fmt::format("{} · deadline {}: infeasible", s.label, formatTime(p->deadline_us * 1e3)));
      }
    }
    svg.rect(left, ly - 9, 12, 10, "", "", color);
    svg.text(left + 16, ly, s.label, "small");
    ly += legend_line;
  }
  return svg.svg(left + plot_w + right, ly, "chart", "Energy per period against the deadline");
}

std::string deadlineSection(const SweepResults &r) {
  std::vector<std::pair<std::string, double>> keys;  // (network, period), first-seen order
  for (const PointResult &p : r.points)
    if (std::find(keys.begin(), keys.end(), std::make_pair(p.network, p.period_us)) == keys.end())
      keys.emplace_back(p.network, p.period_us);
  std::string body =
      "<p class=\"lead\">The optimum's energy per period against the deadline, one plot per "
      "network and period, a line per design point and rail set; x marks a deadline the "
      "point cannot meet.</p>\n<div class=\"multiples\">\n";
  for (const auto &[network, period_us] : keys) {
    const std::vector<Series> series = seriesOf(r, network, period_us);
    size_t deadlines = 0;
    for (const Series &s : series) deadlines = std::max(deadlines, s.points.size());
    body += fmt::format("<figure>\n<h3>{} · period {}</h3>\n", esc(network),
                        formatTime(period_us * 1e3));
    body += deadlines < 2 ? "<p class=\"note\">One deadline per point: no curve to draw.</p>\n"
                          : deadlineSvg(series);
    body += "</figure>\n";
  }
  return section("deadline", "Energy against the deadline", body + "</div>\n");
}

// ---- the table -------------------------------------------------------------------------

// The verdict and the largest energy difference; what failed is in the next column.
std::string simCell(const ScheduledResult &s) {
  if (!s.sim) return "not simulated";
  return fmt::format("{}, energy ±{:.2f} %", s.sim->passed ? "passed" : "FAILED",
                     100.0 * s.sim->max_abs_relative_difference);
}

std::string tableRow(const PointResult &p, bool pareto) {
  std::string cells = fmt::format(
      "<td class=\"l\"><code>{}</code></td><td class=\"l\">{}</td><td class=\"l\">{}</td>"
      "<td>{}</td><td>{}</td><td>{}</td><td class=\"l\">{}</td>",
      esc(p.id), esc(p.design), esc(p.network), esc(railsLabel(p)), formatTime(p.period_us * 1e3),
      formatTime(p.deadline_us * 1e3), pointStatusName(p.status));
  if (p.scheduled) {
    const ScheduledResult &s = *p.scheduled;
    cells += fmt::format("<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                         formatEnergy(energyPj(p)), formatTime(s.busy_us * 1e3),
                         formatTime(s.min_latency_us * 1e3), formatArea(s.area_um2),
                         pareto ? "yes" : "");
    cells += s.best_baseline
                 ? fmt::format("<td class=\"l\">{}</td><td>{}</td><td>{:.1f} %</td>",
                               esc(s.best_baseline->name),
                               formatEnergy(s.best_baseline->energy_uj * 1e6),
                               100.0 * s.best_baseline->saving)
                 : std::string("<td class=\"l\">none meets the deadline</td><td></td><td></td>");
    const std::string failures = s.sim ? fmt::format("{}", fmt::join(s.sim->failures, "; ")) : "";
    cells += fmt::format("<td class=\"l\">{}</td><td class=\"l why\">{}</td>", esc(simCell(s)),
                         esc(failures));
  } else {
    const std::string why = p.status == PointStatus::Infeasible
                                ? p.message
                                : "the workflow has not finished this point";
    cells += fmt::format("<td colspan=\"10\" class=\"l why\">{}</td>", esc(why));
  }
  return fmt::format("<tr class=\"{}\">{}</tr>\n", pointStatusName(p.status), cells);
}

std::string tableSection(const SweepResults &r) {
  std::vector<bool> pareto(r.points.size(), false);
  for (const ParetoGroup &g : paretoGroups(r))
    for (size_t i : g.front) pareto[i] = true;
  std::string body =
      "<p class=\"lead\">Every point of the plan (results.csv and results.json hold the same). "
      "Energy per period and busy time are the optimum's; min latency is every layer at the "
      "fastest clock; the saving is against the best baseline that meets the deadline.</p>\n"
      "<div class=\"scroll\">\n<table><tr><th class=\"l\">point</th><th class=\"l\">design</th>"
      "<th class=\"l\">network</th><th>rails</th><th>period</th><th>deadline</th>"
      "<th class=\"l\">status</th><th>energy</th><th>busy</th><th>min latency</th><th>area</th>"
      "<th>Pareto</th><th class=\"l\">best baseline</th><th>its energy</th><th>saving</th>"
      "<th class=\"l\">co-simulation</th><th class=\"l\">failures</th></tr>\n";
  for (size_t i = 0; i < r.points.size(); ++i) body += tableRow(r.points[i], pareto[i]);
  return section("points", "Every point", body + "</table>\n</div>\n");
}

// ---- stage times -----------------------------------------------------------------------

std::string stageTimesSection(const StageTimes &times) {
  std::string body =
      "<p class=\"note\">Measured wall times of the workflow's jobs (Snakemake's benchmark "
      "files, benchmarks/): they differ from run to run, and are the only part of this page "
      "that does. A job done in an earlier run keeps the time it took then.</p>\n";
  if (times.empty())
    return section("stage-times", "Stage times",
                   body + "<p class=\"lead\">No benchmark file was found.</p>\n");
  body +=
      "<table><tr><th class=\"l\">rule</th><th>jobs</th><th>total</th><th>mean</th>"
      "<th>max</th></tr>\n";
  for (const StageTime &t : times)
    body += fmt::format(
        "<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
        esc(t.rule), t.jobs, formatTime(t.total_s * 1e9),
        formatTime(t.jobs > 0 ? t.total_s / t.jobs * 1e9 : 0.0), formatTime(t.max_s * 1e9));
  return section("stage-times", "Stage times", body + "</table>\n");
}

}  // namespace

std::vector<ParetoGroup> paretoGroups(const SweepResults &results) {
  std::vector<std::string> networks;  // first-seen order
  std::map<std::tuple<size_t, double, double>, ParetoGroup> groups;
  for (size_t i = 0; i < results.points.size(); ++i) {
    const PointResult &p = results.points[i];
    auto n = std::find(networks.begin(), networks.end(), p.network);
    if (n == networks.end()) n = networks.insert(networks.end(), p.network);
    ParetoGroup &g = groups[{size_t(n - networks.begin()), p.period_us, p.deadline_us}];
    g.network = p.network;
    g.period_us = p.period_us;
    g.deadline_us = p.deadline_us;
    g.points.push_back(i);
  }
  std::vector<ParetoGroup> out;
  for (auto &[key, g] : groups) {
    std::vector<size_t> scheduled;
    std::vector<std::pair<double, double>> values;
    for (size_t i : g.points)
      if (const std::optional<ScheduledResult> &s = results.points[i].scheduled) {
        scheduled.push_back(i);
        values.emplace_back(s->area_um2, s->energy_uj);
      }
    for (size_t k : paretoFront(values)) g.front.push_back(scheduled[k]);
    out.push_back(std::move(g));
  }
  return out;
}

std::string sweepPageHtml(const SweepResults &results, const StageTimes &times) {
  std::string html = "<!DOCTYPE html>\n<!--\n" +
                     generatedBanner("  ", "powerflow sweep-results --dir SWEEP_FOLDER") +
                     "-->\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += fmt::format("<title>powerflow sweep: {}</title>\n<style>\n{}</style>\n</head>\n<body>\n",
                      esc(results.name), kCss);
  html += header(results);
  html += paretoSection(results);
  html += deadlineSection(results);
  html += tableSection(results);
  html += stageTimesSection(times);
  return html + "</body>\n</html>\n";
}

}  // namespace pf::sweep
