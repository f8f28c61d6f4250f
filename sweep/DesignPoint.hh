// A design point as a design file: the base design TOML with some [design.parameters]
// replaced, written where the sweep keeps it, and checked as every stage would check it.
//
// pf_accel's power domains come in families whose size is a parameter: the PE groups
// (COL_GROUPS, kind pe_group, named pe_grp<i>), the activation banks (ACT_BANKS,
// act_bank<i>) and the weight banks (W_BANKS, w_bank<i>). When a point changes a family's
// size (or COLS, which moves the PE groups' columns), the family is written anew from its
// first domain: index i replaces the first domain's index in the name and in every "[k]"
// of its instance and signal names, and a PE group covers columns i*COLS/COL_GROUPS up to
// the next group's. The SRAM macros are not chosen by the sweep: a point whose bank words
// or widths (ACT_BANK_WORDS, W_BANK_WORDS, ROWS, COLS) no longer match its banks' macros
// is refused (a design file of its own, with the right macro, is the way to sweep them).
#pragma once

#include <string>

#include "core/Design.hh"
#include "sweep/SweepSpec.hh"

namespace pf::sweep {

// The design TOML text of `point` (its file lists name the base design's by absolute
// path, so the text does not depend on where it is written), starting with a banner
// naming `command`. Throws pf::Error at
// the point's entry in the sweep file: PF-11101 a parameter the base design does not
// have (PF-11106 a base design without [design.parameters]), PF-11102 a base design whose
// family does not match its own parameter, PF-11103 a bank whose macro no longer fits the
// parameters, PF-11105 COL_GROUPS that do not divide COLS; the base design's TOML errors
// as its parser gives them.
std::string designPointText(const DesignPointSpec &point, const std::string &command);

// Reads the written design point back and checks it as the stages will (the design
// reader, the accelerator's parameter rules, one domain per family member); a problem is
// re-thrown at the point's entry in the sweep file (PF-11104), naming the point.
DesignSpec checkDesignPoint(const DesignPointSpec &point, const std::string &written_path);

}  // namespace pf::sweep
