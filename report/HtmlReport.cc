#include "report/HtmlReport.hh"

#include <fmt/format.h>

#include <cmath>

#include "core/Banner.hh"
#include "report/Charts.hh"
#include "report/PageStyle.hh"
#include "report/Svg.hh"
#include "report/TimelineSvg.hh"
#include "sched/Schedule.hh"

namespace pf::report {

namespace {

// The shared look (report/PageStyle.hh) and the classes of this page's charts.
const std::string kCss = std::string(basePageCss()) +
                         R"(.chart .bar.optimum{fill:#2f9e44}
.chart .bar.baseline{fill:#748ffc}
.chart .bar.infeasible{fill:url(#hatch);stroke:#c92a2a}
.chart .curve{fill:none;stroke:#4263eb;stroke-width:1.5}
.chart .point{fill:#4263eb}
.chart .chosen{fill:none;stroke:#c92a2a;stroke-width:2.5}
.chart .seg{stroke:#fff;stroke-width:0.3}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 14px;margin:6px 0}
dt{color:#495057}dd{margin:0}
)";
std::string esc(const std::string &text) { return escapeXml(text); }

std::string section(const std::string &id, const std::string &title, const std::string &body) {
  return pageSection(id, title, body);
}

std::string missing(const std::string &what) {
  return fmt::format("<p class=\"note\">{}</p>\n", esc(what));
}

std::string header(const ReportInputs &in) {
  const ScheduleFile &s = in.schedule;
  std::string out =
      fmt::format("<h1>powerflow report: {} on {}</h1>\n", esc(s.network), esc(s.design_name));
  out += fmt::format(
      "<p class=\"lead\">{} per period of {} (deadline {}): the network is busy {} "
      "(slack {}), rails {} V, solver {}{}.</p>\n",
      formatEnergy(s.totals.total_pj), formatTime(s.period_ns), formatTime(s.deadline_ns),
      formatTime(s.totals.busy_ns), formatTime(s.totals.slack_ns),
      esc(fmt::format("{}", fmt::join(s.rail_voltages_v, " / "))),
      sched::solverKindName(s.solver.kind),
      s.gap_to_lower_bound >= 0
          ? fmt::format(" (the optimum; {:.1f} % above the energy lower bound)",
                        100.0 * s.gap_to_lower_bound)
          : "");
  if (in.sim) {
    const SimReportFile &sim = *in.sim;
    out += fmt::format(
        "<p class=\"{}\">Co-simulation of {} period(s): {}.</p>\n", sim.passed ? "lead" : "bad",
        sim.periods,
        sim.passed ? "passed (outputs bit-exact, monitors silent, deadlines met, cycles equal "
                     "the profile, energy within tolerance)"
                   : esc("FAILED: " + fmt::format("{}", fmt::join(sim.failures, "; "))));
  } else {
    out += missing(
        "No co-simulation report was given (--sim): the timeline is the schedule's, "
        "and nothing on this page is measured.");
  }
  return out;
}

std::string timelineSection(const Timeline &t) {
  std::string body;
  body += fmt::format(
      "<p class=\"lead\">One period from the tick: a lane per domain (its supply), the clock "
      "divider and the layers; dark marks are changes of supply (their latency; hover for "
      "energy). {} The idle state until the next tick is drawn compressed at the right.</p>\n",
      t.source == TimelineSource::CoSimulation
          ? "Layer times and supplies as measured in the co-simulation (period 1); latencies "
            "and energies of the changes are the characterized ones."
          : "Times from the schedule (no co-simulation given).");
  if (!t.mismatches.empty()) {
    body += "<p class=\"bad\">Measured supplies that differ from the schedule (outlined red):";
    for (const std::string &m : t.mismatches) body += "<br>" + esc(m);
    body += "</p>\n";
  }
  body += "<div class=\"scroll\">\n" + timelineSvg(t) + "</div>\n";
  return section("timeline", "Power-state timeline", body);
}

std::string splitRow(const std::string &name, double predicted, double measured) {
  const double diff = predicted != 0 ? (measured - predicted) / predicted * 100.0 : 0.0;
  return fmt::format("<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{:+.2f} %</td></tr>\n",
                     esc(name), formatEnergy(predicted), formatEnergy(measured), diff);
}

std::string periodEnergySection(const ReportInputs &in) {
  if (!in.sim)
    return section("period-energy", "Energy per period: predicted against measured",
                   missing("No co-simulation report (--sim): nothing measured to compare."));
  const SimReportFile &sim = *in.sim;
  std::string body = fmt::format(
      "<p class=\"lead\">The schedule's prediction against the energy integrated every cycle in "
      "the co-simulation (tolerance {:.0f} %).</p>\n<table><tr><th class=\"l\">period</th>"
      "<th>predicted</th><th>measured</th><th>difference</th><th>busy</th><th>deadline met</th>"
      "<th>outputs bit-exact</th></tr>\n",
      100.0 * sim.energy_tolerance);
  for (size_t p = 0; p < sim.by_period.size(); ++p) {
    const SimPeriodReport &period = sim.by_period[p];
    body += fmt::format(
        "<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{:+.3f} %</td><td>{}</td>"
        "<td>{}</td><td>{}</td></tr>\n",
        p + 1, formatEnergy(period.predicted_pj), formatEnergy(period.measured_pj),
        100.0 * period.relative_difference, formatTime(period.busy_ns),
        period.deadline_met ? "yes" : "NO", period.outputs_bit_exact ? "yes" : "NO");
  }
  body += "</table>\n";
  const SimPeriodReport &first = sim.by_period[0];
  body +=
      "<table><tr><th class=\"l\">period 1, by kind</th><th>predicted</th><th>measured</th>"
      "<th>difference</th></tr>\n";
  body += splitRow("dynamic", first.predicted.dynamic_pj, first.measured.dynamic_pj);
  body += splitRow("leakage", first.predicted.leakage_pj, first.measured.leakage_pj);
  body += splitRow("transition", first.predicted.transition_pj, first.measured.transition_pj);
  body += splitRow("total", first.predicted.totalPj(), first.measured.totalPj());
  body += "</table>\n";
  if (!sim.components.empty()) {
    body +=
        "<table><tr><th class=\"l\">largest component differences (period 1)</th>"
        "<th>predicted</th><th>measured</th><th class=\"l\">known cause</th></tr>\n";
    for (size_t c = 0; c < sim.components.size() && c < 8; ++c) {
      const SimComponentReport &d = sim.components[c];
      body += fmt::format(
          "<tr><td class=\"l\">{} · {} · {}</td><td>{}</td><td>{}</td><td "
          "class=\"l\">{}</td></tr>\n",
          esc(d.where), esc(d.domain), esc(d.part), formatEnergy(d.predicted_pj),
          formatEnergy(d.measured_pj), esc(d.reason));
    }
    body += "</table>\n";
  }
  return section("period-energy", "Energy per period: predicted against measured", body);
}

std::string provenanceSection(const ReportInputs &in, const ReportOptions &options) {
  std::string body =
      fmt::format("<p class=\"lead\">This page: <code>{}</code></p>\n", esc(options.command));
  body +=
      "<table><tr><th class=\"l\">part</th><th class=\"l\">file</th><th class=\"l\">SHA-256"
      "</th><th class=\"l\">made by</th></tr>\n";
  for (const ReportSource &source : in.sources) {
    if (source.path.empty()) {
      body += fmt::format("<tr><td class=\"l\">{}</td><td class=\"l\" colspan=\"3\">{}</td></tr>\n",
                          esc(source.role), esc(source.note));
      continue;
    }
    body += fmt::format(
        "<tr><td class=\"l\">{}</td><td class=\"l\"><code>{}</code></td><td class=\"l\">"
        "<code>{}</code></td><td class=\"l\"><code>{}</code></td></tr>\n",
        esc(source.role), esc(source.path), esc(source.sha256), esc(source.generated_by));
  }
  body +=
      "</table>\n<p class=\"lead\">Recorded inputs of the schedule (SHA-256): design "
      "<code>" +
      esc(in.schedule.input_hashes.design) + "</code>, characterization <code>" +
      esc(in.schedule.input_hashes.characterization) + "</code>, profile <code>" +
      esc(in.schedule.input_hashes.profile) + "</code>";
  if (in.characterization)
    body += "; the characterization's inputs (RTL, liberty, corners, options) <code>" +
            esc(in.characterization->inputs_sha256) + "</code>";
  body +=
      ".</p>\n<p class=\"lead\">Tools found when this page was made (the stages key their "
      "caches by these versions; the files above do not record them):</p>\n<dl>";
  for (const auto &[tool, version] : in.tool_versions)
    body += fmt::format("<dt>{}</dt><dd><code>{}</code></dd>", esc(tool), esc(version));
  body += "</dl>\n";
  return section("provenance", "Provenance", body);
}

std::string characterizationSection(const ReportInputs &in) {
  if (!in.characterization)
    return section("characterization", "Characterization",
                   missing("No characterization was given (--characterization): fmax, leakage "
                           "and energy against voltage are not shown. The schedule was made "
                           "from the file with SHA-256 " +
                           in.schedule.input_hashes.characterization + "."));
  const Characterization &c = *in.characterization;
  std::string body = fmt::format(
      "<p class=\"lead\">{} at {} corners, per domain; the energy is that of a domain's unit "
      "of work (a PE group's MAC cycle with dense operands, an SRAM bank's read, the "
      "always-on domain's busy cycle).</p>\n",
      esc(c.design), c.corners.size());
  return section("characterization", "Characterization", body + characterizationSvg(c));
}

}  // namespace

Timeline reportTimeline(const ReportInputs &inputs, const ReportOptions &options) {
  return buildTimeline(inputs.schedule, inputs.sim ? &*inputs.sim : nullptr,
                       options.layers_per_row);
}

std::string reportHtml(const ReportInputs &in, const Timeline &timeline,
                       const ReportOptions &options) {
  std::string html = "<!DOCTYPE html>\n<!--\n" + generatedBanner("  ", options.command) +
                     "-->\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += fmt::format("<title>powerflow report: {}</title>\n<style>\n{}</style>\n</head>\n<body>\n",
                      esc(in.schedule.network), kCss);
  html += header(in);
  html += timelineSection(timeline);
  html += section("layer-energy", "Energy per layer (predicted)",
                  "<p class=\"lead\">The schedule's energy of each layer, its boundary into it "
                  "included, and of the idle state.</p>\n<div class=\"scroll\">\n" +
                      energyPerLayerSvg(in.schedule) + "</div>\n");
  html += periodEnergySection(in);
  html += section("baselines", "Baselines against the optimum",
                  "<p class=\"lead\">Energy per period of each published method on the same "
                  "chip model, evaluated like the optimum. A baseline that misses the deadline "
                  "is shown apart, not ranked.</p>\n" +
                      baselinesSvg(in.schedule));
  html += section("pareto", "Energy against the deadline",
                  "<p class=\"lead\">The optimum at other deadlines (same period); the circle is "
                  "this schedule.</p>\n" +
                      paretoSvg(in.schedule));
  html += characterizationSection(in);
  html += provenanceSection(in, options);
  return html + "</body>\n</html>\n";
}

std::string timelineSvgFile(const Timeline &timeline) {
  // No paths in the banner: the README picture must not depend on where it was made.
  const std::string command =
      "powerflow report --schedule FILE --sim FILE --timeline-svg FILE (docs/timeline.svg: make "
      "timeline-picture)";
  return "<!--\n" + generatedBanner("  ", command) + "-->\n" + timelineSvg(timeline);
}

}  // namespace pf::report
