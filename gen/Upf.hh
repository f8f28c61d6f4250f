// IEEE 1801 (UPF 2.1) power intent for a design and its rails: a pure function from a
// plain description to text. The conventions (object names, power-state encoding, the
// subset of 1801 used) are in docs/upf.md; gen/upf_check.tcl reads the result back.
#pragma once

#include <string>
#include <vector>

namespace pf::gen {

// Values of UpfPowerState::rail_of_domain besides a rail index.
inline constexpr int kUpfOff = -1;        // switch open, contents lost
inline constexpr int kUpfRetention = -2;  // switch open, SRAM array kept (sram_bank only)

struct UpfDomain {
  std::string name;  // "pe_grp0"; an identifier
  std::string kind;  // "always_on" | "pe_group" | "sram_bank"
  // Instance paths relative to the UPF scope, '/' between hierarchy levels (generate
  // blocks are levels: "u_accel/u_pe_array/g_group[0]/u_group"; see upfElementPath).
  // May be empty for the always-on domain, which always includes the scope itself.
  std::vector<std::string> elements;
  // Nets or ports of the UPF scope (the caller guarantees they exist in the RTL).
  // Empty for the always-on domain.
  std::vector<std::string> switch_ctrl;  // one per rail, one-hot: closes the switch onto rail r
  std::string pgood;                     // the switch's acknowledge (power good)
  std::string iso;                       // isolation enable, active high, clamps outputs to 0
  std::string retention;                 // sram_bank: retention request, active high; else ""
};

struct UpfPowerState {
  std::string name;                 // an identifier (the schedule's layer or "idle")
  std::vector<int> rail_of_domain;  // per domain: rail index, kUpfOff or kUpfRetention
};

struct UpfSpec {
  std::string scope_top;                // the RTL top module the UPF applies to
  std::string generated_by;             // command line for the banner (one line)
  std::vector<double> rail_voltages_v;  // R rails, strictly ascending, 1 <= R <= 8
  int always_on_rail = -1;              // index into rail_voltages_v
  std::vector<UpfDomain> domains;       // the always-on domain first
  std::vector<UpfPowerState> states;    // exactly the states the schedule uses
};

// Problems that would make writeUpf's output wrong or not Tcl (empty = ok): sizes,
// names, R in 1..8, unique names, one-hot control counts, states that fit the domains.
std::vector<std::string> checkUpfSpec(const UpfSpec &spec);

// The UPF text; same spec, same bytes. Throws pf::Error PF-8601 naming the first problem
// when checkUpfSpec(spec) is not empty.
std::string writeUpf(const UpfSpec &spec);

// A design instance path (rtl/design.toml: Yosys/Verilator style, '.'-separated, e.g.
// "u_pe_array.g_group[0].u_group") as a UPF element below `instance` (the design's
// instance in the UPF scope, "" if the design is the scope): every '.' becomes '/'.
std::string upfElementPath(const std::string &instance, const std::string &design_path);

}  // namespace pf::gen
