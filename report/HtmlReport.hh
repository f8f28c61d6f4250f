// The report page: one self-contained HTML file (inline SVG and CSS; no script, no font,
// nothing fetched) from the checked inputs. Pure: the command writes it.
#pragma once

#include <string>

#include "report/ReportInputs.hh"
#include "report/Timeline.hh"

namespace pf::report {

struct ReportOptions {
  std::string command;      // the command line, for the banner
  int layers_per_row = 30;  // the timeline folds a longer network into rows
};

// The timeline the page shows (from the co-simulation when there is one).
Timeline reportTimeline(const ReportInputs &inputs, const ReportOptions &options);

// `timeline` is reportTimeline(inputs, options), built once by the caller.
std::string reportHtml(const ReportInputs &inputs, const Timeline &timeline,
                       const ReportOptions &options);

// The timeline alone as an SVG file with a banner (the README picture).
std::string timelineSvgFile(const Timeline &timeline);

}  // namespace pf::report
