#include "report/Charts.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "report/Svg.hh"

namespace pf::report {

namespace {

// Families of colours, lighter for later members of a family.
std::string shade(int hue, int member, int members) {
  const int lightness = 38 + (members > 1 ? member * 36 / (members - 1) : 0);
  return fmt::format("hsl({},65%,{}%)", hue, lightness);
}

int familyOf(const std::string &name) {
  if (name.rfind("pe", 0) == 0) return 1;
  if (name.rfind("act", 0) == 0) return 2;
  if (name.rfind("w_", 0) == 0 || name.rfind("wt", 0) == 0) return 3;
  if (name.rfind("aon", 0) == 0) return 0;
  return 4;
}

const char *const kPartNames[] = {"dynamic", "leakage", "transition"};
const char *const kPartColors[] = {"#4263eb", "#adb5bd", "#212529"};

}  // namespace

std::string domainColor(const std::vector<std::string> &domains, size_t d) {
  static const int kHues[] = {210, 28, 205, 135, 275};
  const int family = familyOf(domains[d]);
  int member = 0, members = 0;
  for (size_t i = 0; i < domains.size(); ++i) {
    if (familyOf(domains[i]) != family) continue;
    if (i < d) ++member;
    ++members;
  }
  if (family == 0) return "#868e96";
  return shade(kHues[family], member, members);
}

std::string energyPerLayerSvg(const ScheduleFile &s) {
  struct Row {
    std::string name;
    std::vector<sched::DomainEnergySplit> by_domain;
  };
  std::vector<Row> rows;
  for (const ScheduleLayer &layer : s.layers)
    rows.push_back({layer.host ? layer.name + " (host)" : layer.name, layer.by_domain});
  rows.push_back({"idle", s.idle.by_domain});
  double largest = 0.0;
  for (const Row &row : rows) {
    double sum = 0.0;
    for (const auto &e : row.by_domain) sum += e.totalPj();
    largest = std::max(largest, sum);
  }
  const double label_w = 150, panel_w = 560, gap = 90, row_h = 14, top = 40;
  const double width = label_w + 2 * panel_w + gap + 90;
  SvgBuilder svg;
  svg.text(label_w, 14, "by domain", "head");
  svg.text(label_w + panel_w + gap, 14, "by kind of energy", "head");
  // Legends as their own lines above the bars.
  double lx = label_w + panel_w + gap;
  for (int p = 0; p < 3; ++p) {
    svg.rect(lx, 22, 12, 10, "", "", kPartColors[p]);
    svg.text(lx + 16, 31, kPartNames[p], "small");
    lx += 16 + textWidthPx(kPartNames[p], 10) + 12;
  }
  const Scale x{0.0, std::max(largest, 1e-9), 0.0, panel_w};
  double y = top;
  for (const Row &row : rows) {
    std::string name = row.name.size() > 22 ? row.name.substr(0, 21) + "…" : row.name;
    double sum = 0.0;
    for (const auto &e : row.by_domain) sum += e.totalPj();
    svg.text(label_w - 6, y + 10, name, "", "end", row.name + ": " + formatEnergy(sum));
    double bx = label_w;
    for (size_t d = 0; d < row.by_domain.size(); ++d) {
      const double w = x(row.by_domain[d].totalPj());
      if (w <= 0) continue;
      svg.rect(bx, y, w, row_h - 3, "seg",
               fmt::format("{} · {} · {}", row.name, s.domains[d],
                           formatEnergy(row.by_domain[d].totalPj())),
               domainColor(s.domains, d));
      bx += w;
    }
    svg.text(bx + 4, y + 10, formatEnergy(sum), "small");
    double parts[3] = {0, 0, 0};
    for (const auto &e : row.by_domain) {
      parts[0] += e.dynamic_pj;
      parts[1] += e.leakage_pj;
      parts[2] += e.transition_pj;
    }
    bx = label_w + panel_w + gap;
    for (int p = 0; p < 3; ++p) {
      const double w = x(parts[p]);
      if (w <= 0) continue;
      svg.rect(bx, y, w, row_h - 3, "seg",
               fmt::format("{} · {} · {}", row.name, kPartNames[p], formatEnergy(parts[p])),
               kPartColors[p]);
      bx += w;
    }
    y += row_h;
  }
  // The domain legend, wrapped into lines under the bars.
  y += 8;
  lx = label_w;
  for (size_t d = 0; d < s.domains.size(); ++d) {
    const double w = 16 + textWidthPx(s.domains[d], 10) + 12;
    if (lx + w > width) {
      lx = label_w;
      y += 16;
    }
    svg.rect(lx, y, 12, 10, "", "", domainColor(s.domains, d));
    svg.text(lx + 16, y + 9, s.domains[d], "small");
    lx += w;
  }
  return svg.svg(width, y + 20, "chart", "Energy per layer, by domain and by kind");
}

std::string baselinesSvg(const ScheduleFile &s) {
  struct Entry {
    std::string name, note;
    bool feasible = true;
    double energy_pj = 0.0, busy_ns = 0.0;
  };
  std::vector<Entry> feasible, infeasible, unavailable;
  feasible.push_back(
      {"optimum (this schedule)", "exact", true, s.totals.total_pj, s.totals.busy_ns});
  for (const ScheduleBaseline &b : s.baselines) {
    if (!b.available)
      unavailable.push_back({b.name, b.note, false, 0, 0});
    else if (b.feasible)
      feasible.push_back({b.name, b.note, true, b.energy_pj, b.busy_ns});
    else
      infeasible.push_back({b.name, b.note, false, b.energy_pj, b.busy_ns});
  }
  std::stable_sort(feasible.begin() + 1, feasible.end(),
                   [](const Entry &a, const Entry &b) { return a.energy_pj < b.energy_pj; });
  double largest = 0.0;
  for (const auto *group : {&feasible, &infeasible})
    for (const Entry &e : *group) largest = std::max(largest, e.energy_pj);
  const double label_w = 190, bar_w = 700, row_h = 20, width = label_w + bar_w + 260;
  const Scale x{0.0, std::max(largest, 1e-9), 0.0, bar_w};
  SvgBuilder svg;
  svg.raw(
      "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
      "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffe3e3\"/>"
      "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#c92a2a\" stroke-width=\"2\"/>"
      "</pattern></defs>\n");
  double y = 8;
  auto bar = [&](const Entry &e, const std::string &css) {
    // A 0 pJ optimum (an instance without energies) has no ratio to show.
    const std::string vs =
        s.totals.total_pj > 0
            ? fmt::format("{:.3f}x the optimum", e.energy_pj / s.totals.total_pj)
            : (e.energy_pj > 0 ? "more than the 0 pJ optimum" : "0 pJ as the optimum");
    const std::string title = fmt::format(
        "{} · {} · busy {} (deadline {}) · {}{}", e.name, formatEnergy(e.energy_pj),
        formatTime(e.busy_ns), formatTime(s.deadline_ns), vs, e.note.empty() ? "" : " · " + e.note);
    svg.text(label_w - 6, y + 13, e.name, "", "end", title);
    svg.rect(label_w, y + 2, x(e.energy_pj), row_h - 5, css, title);
    const std::string value =
        e.feasible ? fmt::format("{} ({})", formatEnergy(e.energy_pj), vs)
                   : fmt::format("INFEASIBLE: busy {} > deadline", formatTime(e.busy_ns));
    svg.text(label_w + x(e.energy_pj) + 6, y + 13, value, e.feasible ? "small" : "small red");
    y += row_h;
  };
  for (size_t i = 0; i < feasible.size(); ++i)
    bar(feasible[i], i == 0 ? "bar optimum" : "bar baseline");
  if (!infeasible.empty()) {
    y += 6;
    svg.text(label_w, y + 12, "misses the deadline (not ranked):", "small red");
    y += row_h;
    for (const Entry &e : infeasible) bar(e, "bar infeasible");
  }
  for (const Entry &e : unavailable) {
    svg.text(label_w - 6, y + 13, e.name, "", "end");
    svg.text(label_w, y + 13, "not available: " + e.note, "small");
    y += row_h;
  }
  return svg.svg(width, y + 8, "chart", "Baselines against the optimum");
}

std::string paretoSvg(const ScheduleFile &s) {
  const double left = 90, right = 40, top = 20, bottom = 46, plot_w = 760, plot_h = 260;
  std::vector<const SchedulePoint *> points;
  double x_hi = s.deadline_ns, y_hi = s.totals.total_pj, y_lo = s.totals.total_pj;
  double x_lo = s.deadline_ns;
  for (const SchedulePoint &p : s.pareto) {
    x_hi = std::max(x_hi, p.deadline_ns);
    x_lo = std::min(x_lo, p.deadline_ns);
    if (!p.feasible) continue;
    points.push_back(&p);
    y_hi = std::max(y_hi, p.energy_pj);
    y_lo = std::min(y_lo, p.energy_pj);
  }
  const double y_pad = std::max((y_hi - y_lo) * 0.08, y_hi * 0.01);
  const Scale x{x_lo * 0.95, x_hi * 1.02, left, left + plot_w};
  const Scale y{y_lo - y_pad, y_hi + y_pad, top + plot_h, top};
  SvgBuilder svg;
  svg.line(left, top + plot_h, left + plot_w, top + plot_h, "axis");
  svg.line(left, top, left, top + plot_h, "axis");
  for (double t : niceTicks(x.domain_lo, x.domain_hi, 6)) {
    svg.line(x(t), top + plot_h, x(t), top + plot_h + 4, "axis");
    svg.text(x(t), top + plot_h + 16, formatTime(t), "small", "middle");
  }
  for (double t : niceTicks(y.domain_lo, y.domain_hi, 5)) {
    svg.line(left - 4, y(t), left, y(t), "axis");
    svg.text(left - 6, y(t) + 4, formatEnergy(t), "small", "end");
  }
  svg.text(left + plot_w / 2, top + plot_h + 34, "deadline", "", "middle");
  std::vector<std::pair<double, double>> line;
  for (const SchedulePoint *p : points) line.emplace_back(x(p->deadline_ns), y(p->energy_pj));
  svg.polyline(line, "curve");
  for (const SchedulePoint &p : s.pareto) {
    if (p.feasible) {
      svg.circle(x(p.deadline_ns), y(p.energy_pj), 3.5, "point",
                 fmt::format("deadline {} · {} · busy {}", formatTime(p.deadline_ns),
                             formatEnergy(p.energy_pj), formatTime(p.busy_ns)));
    } else {
      svg.text(x(p.deadline_ns), top + plot_h - 6, "×", "red", "middle",
               fmt::format("deadline {}: infeasible", formatTime(p.deadline_ns)));
    }
  }
  svg.circle(x(s.deadline_ns), y(s.totals.total_pj), 6, "chosen",
             fmt::format("this schedule: deadline {} · {}", formatTime(s.deadline_ns),
                         formatEnergy(s.totals.total_pj)));
  svg.text(x(s.deadline_ns) + 9, y(s.totals.total_pj) - 8, "this schedule", "small");
  return svg.svg(left + plot_w + right, top + plot_h + bottom, "chart",
                 "Energy per period against the deadline");
}

namespace {

// A small plot of one quantity against voltage, one line per group of equal domains.
struct Series {
  std::string label;
  std::vector<double> values;
  std::string color;
};

std::string voltagePlot(const std::string &title, const std::string &unit,
                        const std::vector<double> &volts, const std::vector<Series> &series,
                        bool log_y) {
  const double left = 70, top = 24, plot_w = 300, plot_h = 180, legend_line = 14;
  double lo = 1e300, hi = -1e300;
  for (const Series &s : series)
    for (double v : s.values)
      if (v > 0 || !log_y) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
  if (lo > hi) lo = hi = 1.0;
  auto f = [&](double v) { return log_y ? std::log10(std::max(v, 1e-30)) : v; };
  const double pad = std::max((f(hi) - f(lo)) * 0.08, std::abs(f(hi)) * 0.02 + 1e-9);
  const Scale x{volts.front() - 0.03, volts.back() + 0.03, left, left + plot_w};
  const Scale y{f(lo) - pad, f(hi) + pad, top + plot_h, top};
  SvgBuilder svg;
  svg.text(left, 14, title + " (" + unit + (log_y ? ", log scale" : "") + ")", "head");
  svg.line(left, top + plot_h, left + plot_w, top + plot_h, "axis");
  svg.line(left, top, left, top + plot_h, "axis");
  for (double v : volts) {
    svg.line(x(v), top + plot_h, x(v), top + plot_h + 4, "axis");
  }
  // Voltage labels only where they do not touch the previous one.
  double last_right = -1e9;
  for (double v : volts) {
    const std::string label = num(v, 2);
    const double half = textWidthPx(label, 10) / 2;
    if (x(v) - half < last_right + 4) continue;
    svg.text(x(v), top + plot_h + 16, label, "small", "middle");
    last_right = x(v) + half;
  }
  svg.text(left + plot_w, top + plot_h + 30, "V", "small", "end");
  const std::vector<double> ticks =
      log_y ? niceTicks(std::floor(y.domain_lo), std::ceil(y.domain_hi), 4)
            : niceTicks(y.domain_lo, y.domain_hi, 4);
  for (double t : ticks) {
    if (t < y.domain_lo || t > y.domain_hi) continue;
    const double value = log_y ? std::pow(10.0, t) : t;
    if (log_y && t != std::floor(t)) continue;
    svg.line(left - 4, y(t), left, y(t), "axis");
    svg.text(left - 6, y(t) + 4, num(value, value < 10 ? 2 : 0), "small", "end");
  }
  double ly = top + plot_h + 44;
  for (const Series &s : series) {
    std::vector<std::pair<double, double>> points;
    for (size_t c = 0; c < volts.size() && c < s.values.size(); ++c) {
      if (log_y && s.values[c] <= 0) continue;
      points.emplace_back(x(volts[c]), y(f(s.values[c])));
    }
    svg.raw(fmt::format("<g stroke=\"{}\" fill=\"{}\">\n", s.color, s.color));
    svg.polyline(points, "series");
    for (size_t c = 0; c < points.size(); ++c)
      svg.circle(
          points[c].first, points[c].second, 2.5, "dot",
          fmt::format("{} at {:.2f} V: {} {}", s.label, volts[c], num(s.values[c], 3), unit));
    svg.raw("</g>\n");
    svg.rect(left, ly - 9, 12, 10, "", "", s.color);
    svg.text(left + 16, ly, s.label, "small");
    ly += legend_line;
  }
  return svg.svg(left + plot_w + 20, ly + 4, "chart small-multiple", title);
}

// Domains whose numbers are all equal share one series ("pe_grp0–3").
// `names[i]` is the domain of values[i], `labels[i]` its legend text.
std::vector<Series> groupSeries(const std::vector<std::vector<double>> &values,
                                const std::vector<std::string> &names,
                                const std::vector<std::string> &labels) {
  std::vector<Series> series;
  std::vector<bool> used(values.size(), false);
  for (size_t i = 0; i < values.size(); ++i) {
    if (used[i] || values[i].empty()) continue;
    std::vector<size_t> same = {i};
    for (size_t j = i + 1; j < values.size(); ++j)
      if (!used[j] && values[j] == values[i]) same.push_back(j);
    for (size_t j : same) used[j] = true;
    std::string label = labels[i];
    if (same.size() > 1)
      label += fmt::format(" (and {} equal, to {})", same.size() - 1, names[same.back()]);
    series.push_back({label, values[i], domainColor(names, i)});
  }
  return series;
}

// The energy figure that stands for a domain's work: a MAC cycle of a PE group (dense
// operands), an SRAM read, the always-on domain's busy cycle.
const OperationEnergy *workOperation(const DomainCharacterization &d) {
  for (const char *op : {"mac_cycle", "read", "active_cycle"})
    if (const OperationEnergy *found = d.findOperation(op, 0.0)) return found;
  return nullptr;
}

}  // namespace

std::string characterizationSvg(const Characterization &table) {
  std::vector<double> volts;
  for (const CornerInfo &c : table.corners) volts.push_back(c.voltage_v);
  std::vector<std::string> names;
  std::vector<std::vector<double>> fmax, leakage, energy;
  std::vector<std::string> energy_names;
  for (const DomainCharacterization &d : table.domains) {
    names.push_back(d.name);
    fmax.push_back(d.fmax_mhz);
    leakage.push_back(d.leakage_nw);
    const OperationEnergy *op = workOperation(d);
    energy.push_back(op ? op->energy_pj : std::vector<double>{});
    energy_names.push_back(op ? d.name + " " + op->op_class : d.name);
  }
  std::string out = "<div class=\"multiples\">\n";
  out += voltagePlot("fmax", "MHz", volts, groupSeries(fmax, names, names), false);
  out += voltagePlot("leakage, powered on", "nW", volts, groupSeries(leakage, names, names), true);
  out += voltagePlot("energy per operation", "pJ", volts, groupSeries(energy, names, energy_names),
                     true);
  return out + "</div>\n";
}

}  // namespace pf::report
