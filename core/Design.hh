// The typed model of a design description (rtl/design.toml and user designs).
//
// Plain data: produced by readDesign() at the tool's edge, consumed by every later
// stage (characterize, schedule, gen, sim) without any knowledge of TOML.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/Error.hh"

namespace pf {

enum class DomainKind { AlwaysOn, PeGroup, SramBank };

const char *domainKindName(DomainKind kind);

// One power domain and its boundary ports on the top module.
struct DomainSpec {
  std::string name;
  DomainKind kind = DomainKind::AlwaysOn;
  std::vector<std::string> modules;    // whole RTL modules in the domain (always-on)
  std::vector<std::string> instances;  // hierarchical instance paths
  std::vector<int> columns;            // PE columns of a pe_group
  std::string module;                  // pe_group: RTL module of the group (energy stimulus)
  std::string macro;                   // liberty macro of an sram_bank
  int64_t words = 0;                   // sram_bank depth
  int64_t bits = 0;                    // sram_bank word width
  std::string pgood_port;              // power-good input (switchable domains)
  std::string iso_port;                // isolation enable
  std::string reset_port;              // domain reset (pe_group)
  std::string retention_port;          // retention request (sram_bank)
  SourceLoc loc;                       // where the domain is described
};

// The clock generator: the datapath runs at base_mhz / divider for one of `dividers`.
struct ClockSpec {
  bool given = false;  // the design has a [clock] table (schedule needs it)
  double base_mhz = 0;
  std::vector<int64_t> dividers;    // ascending, each >= 1
  double switch_time_ns = 0;        // a glitch-free divider change
  double sleep_timer_khz = 32.768;  // the period timer's clock while the datapath sleeps
  SourceLoc loc;
};

// The external memory port: a fixed bandwidth independent of the accelerator clock.
struct MemorySpec {
  bool given = false;  // the design has a [memory] table (schedule needs it)
  double bandwidth_mb_per_s = 0;
  SourceLoc loc;
};

// How a domain's supply and the clock change state (docs/transitions.md): the physics the
// scheduler prices every rail change and clock switch with. The defaults are the default
// design's chip: fixed rails behind a power multiplexer per domain (the characterization's
// rail-change times and energies) and a glitch-free clock divider ([clock] switch_time_ns).
enum class RailChangeModel { PowerMux, Regulator };
enum class ClockChangeModel { Divider, Pll };

const char *railChangeModelName(RailChangeModel model);    // "power_mux", "regulator"
const char *clockChangeModelName(ClockChangeModel model);  // "divider", "pll"

struct TransitionSpec {
  bool given = false;  // the design has a [transitions] table
  RailChangeModel rail_change = RailChangeModel::PowerMux;
  // rail_change = regulator: the PE groups share one regulator output and the buffer banks
  // another; a rail change is that output ramping to the other voltage.
  double regulator_ramp_v_per_us = 0;     // slew of the regulator output
  double regulator_settle_us = 0;         // fixed settling after the ramp
  double regulator_capacitance_uf = 0;    // output (decoupling) capacitance of one supply
  double regulator_efficiency_ratio = 0;  // power from the source / power into the supply
  ClockChangeModel clock_change = ClockChangeModel::Divider;
  double pll_relock_us = 0;  // clock_change = pll: every clock change waits for this
  SourceLoc loc;

  // Today's chip: power multiplexers and a divider clock.
  bool isDefault() const {
    return rail_change == RailChangeModel::PowerMux && clock_change == ClockChangeModel::Divider;
  }
};

// "rail change regulator (0.05 V/us, settle 2 us, 4.7 uF, efficiency 0.85), clock change
// pll (relock 100 us)": the transition physics in one line, for people.
std::string transitionsText(const TransitionSpec &transitions);

struct DesignSpec {
  std::string source_file;  // the design TOML it was read from
  std::string name;
  std::string top;
  std::string filelist;        // resolved path of the simulation file list
  std::string synth_filelist;  // resolved path of the synthesis file list
  std::map<std::string, int64_t> parameters;
  std::vector<double> rail_voltages_v;  // R shared rails, ascending
  int always_on_rail = 0;               // index of the rail the always-on domain sits on
  ClockSpec clock;
  MemorySpec memory;
  TransitionSpec transitions;
  std::vector<DomainSpec> domains;

  const DomainSpec *findDomain(const std::string &domain_name) const;
  int countDomains(DomainKind kind) const;
};

// Limits the hardware model puts on a design (DESIGN.md: 1 to 8 rails).
inline constexpr int kMinRails = 1;
inline constexpr int kMaxRails = 8;

// Reads and validates a design TOML; throws pf::Error (PF-3xxx or PF-11xx) naming
// the file, line and field of the first problem.
DesignSpec readDesign(const std::string &path);

// Replaces the design's rails by `voltages` ("0.6 0.9" or "0.6,0.9"), as the --rails
// option of the commands does: 1..8 plausible, strictly ascending voltages, else a
// pf::Error (PF-3017) naming `flag`. The always-on domain stays on its voltage if it is
// among the new rails, else it moves to the highest one.
void overrideRails(DesignSpec &design, const std::string &voltages, const std::string &flag);

}  // namespace pf
