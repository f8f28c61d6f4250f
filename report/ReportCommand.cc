#include "report/ReportCommand.hh"

#include <fmt/format.h>

#include <filesystem>

#include "core/Error.hh"
#include "core/Files.hh"
#include "report/HtmlReport.hh"
#include "report/ReportInputs.hh"

namespace pf {

const char *const kReportCommandSummary =
    "one HTML page: power-state timeline, energy breakdowns, baselines, Pareto curve";
const char *const kReportCommandHelp =
    "usage: powerflow report --schedule FILE [--characterization FILE] [--profile FILE]\n"
    "                        [--gen DIR] [--sim FILE] [--out DIR] [--timeline-svg FILE]\n"
    "                        [--layers-per-row N]\n"
    "\n"
    "Writes DIR/index.html (default out/report/index.html): one self-contained page (inline\n"
    "SVG and CSS, nothing fetched, opens from disk) with the power-state timeline of one\n"
    "period, energy per layer by domain and by kind, predicted against measured energy,\n"
    "the baselines against the optimum, energy against the deadline, the characterization\n"
    "against voltage, and the provenance of every part (docs/report.md).\n"
    "\n"
    "  --schedule FILE          from powerflow schedule (required)\n"
    "  --characterization FILE  the schedule's characterization\n"
    "  --profile FILE           the schedule's profile\n"
    "  --gen DIR                powerflow gen's output directory (its manifest.json)\n"
    "  --sim FILE               powerflow sim's report.json: the timeline is then measured\n"
    "  --out DIR                output directory (default out/report)\n"
    "  --timeline-svg FILE      also write the timeline alone as an SVG (the README picture)\n"
    "  --layers-per-row N       fold the timeline into rows of at most N layers (default 30)\n"
    "\n"
    "A part whose input is not given says so on the page. Refused, with nothing written:\n"
    "files of different runs (each file's recorded SHA-256 of its inputs is checked: a\n"
    "characterization or profile other than the schedule's, a gen output or co-simulation\n"
    "of another schedule), a schedule solved from a dumped instance.\n";

namespace {

struct Arguments {
  report::ReportPaths paths;
  std::string out = "out/report";
  std::string timeline_svg;
  report::ReportOptions options;
};

int layersPerRow(const std::string &flag, const std::string &value) {
  const bool digits = !value.empty() && value.size() < 5 &&
                      value.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stoi(value) < 1)
    throw Error(1203, {}, flag, fmt::format("'{}' is not a layer count of 1 or more", value));
  return std::stoi(value);
}

Arguments parseArguments(const std::vector<std::string> &args) {
  Arguments parsed;
  parsed.options.command = "powerflow report";
  for (const std::string &arg : args) parsed.options.command += " " + arg;
  for (size_t i = 0; i < args.size(); i += 2) {
    const std::string &flag = args[i];
    if (i + 1 >= args.size()) throw Error(1202, {}, flag, "expects a value");
    const std::string &value = args[i + 1];
    if (flag == "--schedule")
      parsed.paths.schedule = value;
    else if (flag == "--characterization")
      parsed.paths.characterization = value;
    else if (flag == "--profile")
      parsed.paths.profile = value;
    else if (flag == "--gen")
      parsed.paths.gen_dir = value;
    else if (flag == "--sim")
      parsed.paths.sim = value;
    else if (flag == "--out")
      parsed.out = value;
    else if (flag == "--timeline-svg")
      parsed.timeline_svg = value;
    else if (flag == "--layers-per-row")
      parsed.options.layers_per_row = layersPerRow(flag, value);
    else
      throw Error(1204, {}, flag, "unknown option (see powerflow report --help)");
  }
  if (parsed.paths.schedule.empty())
    throw Error(9501, {}, "--schedule", "required: the schedule the page is about");
  return parsed;
}

}  // namespace

int runReportCommand(const std::vector<std::string> &args) {
  const Arguments parsed = parseArguments(args);
  const report::ReportInputs inputs = report::loadReportInputs(parsed.paths);
  const std::string page = (std::filesystem::path(parsed.out) / "index.html").string();
  OutputSet outputs;
  const report::Timeline timeline = report::reportTimeline(inputs, parsed.options);
  outputs.add(page, report::reportHtml(inputs, timeline, parsed.options));
  if (!parsed.timeline_svg.empty())
    outputs.add(parsed.timeline_svg, report::timelineSvgFile(timeline));
  outputs.commit();
  fmt::print("report: {} layers, {} domains, timeline {}{}\n", inputs.schedule.layers.size(),
             inputs.schedule.domains.size(),
             timeline.source == report::TimelineSource::CoSimulation ? "measured in co-simulation"
                                                                     : "from the schedule",
             timeline.mismatches.empty()
                 ? ""
                 : fmt::format("; {} supplies measured different from the schedule",
                               timeline.mismatches.size()));
  for (const report::ReportSource &source : inputs.sources)
    if (source.path.empty()) fmt::print("report: {}: {}\n", source.role, source.note);
  fmt::print("wrote {}{}\n", page,
             parsed.timeline_svg.empty() ? "" : " and " + parsed.timeline_svg);
  return 0;
}

}  // namespace pf
