// Draws a Timeline (Timeline.hh) as one self-contained SVG: its own <style>, so the same
// drawing serves the report page and the README picture. Every bar and mark carries its
// tooltip (<title>); labels are drawn only where they fit.
#pragma once

#include <string>

#include "report/Timeline.hh"

namespace pf::report {

// The fill of the supply "on at rail r" of `rails` rails: green for the lowest voltage
// to red for the highest.
std::string railColor(int rail, int rails);

std::string timelineSvg(const Timeline &timeline);

}  // namespace pf::report
