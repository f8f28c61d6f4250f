#include "report/ReportCommand.hh"

#include <fmt/format.h>

#include <filesystem>
#include <optional>

#include "core/Error.hh"
#include "core/Files.hh"
#include "report/HtmlReport.hh"
#include "report/ReportInputs.hh"

namespace pf {

const cli::Spec &reportCommandLine() {
  static const cli::Spec spec = [] {
    cli::Spec s("powerflow report",
                "one HTML page: power-state timeline, energy breakdowns, baselines, Pareto curve");
    s.description(
        "Writes DIR/index.html (default out/report/index.html): one self-contained page (inline\n"
        "SVG and CSS, nothing fetched, opens from disk) with the power-state timeline of one\n"
        "period, energy per layer by domain and by kind, predicted against measured energy,\n"
        "the baselines against the optimum, energy against the deadline, the characterization\n"
        "against voltage, and the provenance of every part (docs/report.md).");
    s.path("--schedule", "FILE", "from powerflow schedule").isRequired();
    s.path("--characterization", "FILE", "the schedule's characterization");
    s.path("--profile", "FILE", "the schedule's profile");
    s.path("--gen", "DIR", "powerflow gen's output directory (its manifest.json)");
    s.path("--sim", "FILE", "powerflow sim's report.json: the timeline is then measured");
    s.path("--out", "DIR", "output directory").defaultValue("out/report");
    s.path("--timeline-svg", "FILE",
           "also write the timeline alone as an SVG (the README picture)");
    s.integer("--layers-per-row", "N", "fold the timeline into rows of at most N layers")
        .range(1, 9999)
        .defaultValue(30);
    s.epilogue(
        "A part whose input is not given says so on the page. Refused, with nothing written:\n"
        "files of different runs (each file's recorded SHA-256 of its inputs is checked: a\n"
        "characterization or profile other than the schedule's, a gen output or co-simulation\n"
        "of another schedule), a schedule solved from a dumped instance.\n");
    return s;
  }();
  return spec;
}

namespace {

struct Arguments {
  report::ReportPaths paths;
  std::string out;
  std::string timeline_svg;
  report::ReportOptions options;
};

Arguments argumentsOf(const cli::Args &args) {
  Arguments parsed;
  parsed.options.command = "powerflow report";
  for (const std::string &arg : args.words()) parsed.options.command += " " + arg;
  parsed.paths.schedule = args.text("--schedule");
  parsed.paths.characterization = args.text("--characterization");
  parsed.paths.profile = args.text("--profile");
  parsed.paths.gen_dir = args.text("--gen");
  parsed.paths.sim = args.text("--sim");
  parsed.out = args.text("--out");
  parsed.timeline_svg = args.text("--timeline-svg");
  parsed.options.layers_per_row = int(args.integer("--layers-per-row"));
  return parsed;
}

}  // namespace

int runReportCommand(const std::vector<std::string> &args) {
  const std::optional<cli::Args> command_line = reportCommandLine().parseOrPrintHelp(args);
  if (!command_line) return 0;
  const Arguments parsed = argumentsOf(*command_line);
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
