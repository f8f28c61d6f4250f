// Reads a sweep file (TOML, docs/sweep.md) into a SweepSpec: the edge of the sweep stage.
// Only the file itself is checked here (fields, types, empty or repeated axis values,
// ranges); what needs other files (the design points, the networks, the corners of the
// rails) is checked by validateSweep (sweep/SweepPlan.hh) before any job starts.
#pragma once

#include <string>

#include "sweep/SweepSpec.hh"

namespace pf::sweep {

// Throws pf::Error naming the file, line and field (docs/messages.md lists every number):
// PF-11001 an unknown axis; PF-11002 an empty axis (PF-11019/11021 of parameters, PF-11027
// no design points); PF-11003/11014/11016/11022 a value given twice (a number, a rail set,
// a network name, a parameter value); PF-11004/11012/11013/11017/11030/11031 a value out of
// range; PF-11005 both deadlines_us and deadline_fractions; PF-11006/11023 a network's or
// design point's name that cannot name a folder, PF-11029 two design points of one name;
// PF-11007 design points given twice; PF-11008 a rail set not ascending; PF-11009 a
// parameter value that is not a whole number; PF-11010/11011/11015/11018/11020/11025 a
// value of another type; PF-11024/11026/11028 no design; the TOML reader's numbers (core)
// for syntax, missing fields, mistyped values and unknown keys.
SweepSpec readSweepFile(const std::string &path);

}  // namespace pf::sweep
