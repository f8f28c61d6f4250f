// Synthesis and static timing of a design's power domains (characterize, part 1+2).
//
// Plain structs in, plain structs out; the tools (Yosys, OpenSTA) run inside, nothing is
// printed. docs/characterize.md "Synthesis and timing" documents the decisions
// (hierarchical synthesis, SRAM macro binding, fan-out buffering, cross-domain model).
//
// Errors are pf::Error with ids 5200-5399, naming the offending file and quoting the
// tool's own message: 52xx synthesis side, 53xx timing side.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/Design.hh"

namespace pf::synth {

// One voltage corner of the user's (or the stub's) library set.
struct LibertyCorner {
  double voltage_v = 0;          // supply of the corner; must be > 0 and unique
  std::string std_cell_liberty;  // standard cells at this voltage
  std::string sram_liberty;      // SRAM macros at this voltage; may be empty if no banks
};

// Explicit binding of an SRAM macro's pins, for libraries whose names the heuristics
// do not recognise. Empty fields fall back to the heuristics. Macro pins are liberty
// pin or bus names; `*_active_low` says the macro pin is active low.
struct SramPinBinding {
  std::string clock, chip_enable, write_enable, address, data_in, data_out;
  int chip_enable_active_low = -1;  // -1: from the name (…N / …B suffix)
  int write_enable_active_low = -1;
};

// The macro pins bound to the clock and enable roles, as the energy characterization
// needs them to tell read, write and idle cycles apart in the clock pin's `when` groups,
// and the RTL port behind every macro pin bound without an inverter, as the always-on
// energy needs it to record what a bank drives into the always-on domain (and to check
// what the domain drives into the bank).
struct SramPinRoles {
  std::string clock;
  std::string chip_enable;
  bool chip_enable_active_low = false;
  std::string write_enable;
  bool write_enable_active_low = false;
  std::map<std::string, std::string> rtl_ports;  // macro pin -> RTL port of the bank module
};

struct SynthOptions {
  std::string work_dir;                  // created if absent; netlists and tool logs go here
  int max_fanout = 16;                   // buffer trees keep every non-clock net at or below this
  int synthesis_corner = -1;             // index into corners to map onto; -1: highest voltage
  std::string clock_port;                // empty: the top port that reaches the flop clock pins
  double level_shifter_load_pf = 0.005;  // load on the level-shifter probe
  double clock_period_ns = 1000;         // only needs to exceed every path
  std::map<std::string, SramPinBinding> sram_pins;    // by macro name
  std::function<void(const std::string &)> progress;  // optional, one line per step
};

struct DomainSynthesis {
  std::string domain;
  DomainKind kind = DomainKind::AlwaysOn;
  std::vector<std::string> modules;  // synthesized module(s) holding the domain's logic
  std::string macro;                 // sram_bank: the liberty macro bound to the bank
  long cells = 0;                    // leaf cells (macros count 1), per domain instance sum
  double area_um2 = 0;
  std::string netlist_file;                 // Verilog of the domain's modules ("" for sram_bank)
  std::map<std::string, long> cell_counts;  // leaf cell type -> instances in the domain
  SramPinRoles sram_pins;                   // sram_bank: how the macro was bound
};

struct SynthesisResult {
  std::string top;
  std::string netlist_file;      // whole design, hierarchical, library cells only
  std::string sta_netlist_file;  // the same plus the level-shifter probe (for STA)
  std::string synthesis_liberty;
  std::vector<DomainSynthesis> domains;  // in DesignSpec order
  long total_cells = 0;
  double total_area_um2 = 0;
  int max_fanout_before = 0;  // worst non-clock net fan-out after Yosys
  int max_fanout_after = 0;   // after buffer insertion
  long buffers_inserted = 0;
  std::string buffer_cell;         // chosen by function from the liberty
  std::string level_shifter_cell;  // "" if the library has none
  std::string clock_port;
  std::vector<std::string> async_reset_ports;  // top ports reaching clear/preset pins
  // Leaf-instance path prefixes ('/'-separated, as OpenSTA names them) per domain;
  // everything not under one of them belongs to the always-on domain.
  std::map<std::string, std::vector<std::string>> domain_instance_paths;
  double yosys_wall_seconds = 0;
  long yosys_peak_rss_kib = 0;
  double netlist_pass_wall_seconds = 0;  // JSON read, SRAM binding, buffering, Verilog out
  // Loaded from <work_dir>/synthesis.cache.json without running Yosys; the tool costs
  // above are then those of the run that produced the cache.
  bool from_cache = false;
};

struct DomainTiming {
  std::string domain;
  std::vector<double> voltages_v;             // ascending, one per corner
  std::vector<double> critical_path_ns;       // min clock period the domain's paths allow
  std::vector<double> fmax_mhz;               // 1000 / critical_path_ns (inf if no path)
  std::vector<bool> critical_crosses_domain;  // that path crosses a domain boundary
  std::vector<double> internal_path_ns;       // worst path with both ends in the domain (0: none)
  std::vector<double> crossing_path_ns;       // worst crossing path incl. level shifter (0: none)
  std::vector<std::string> critical_startpoint, critical_endpoint;  // per corner
};

struct TimingResult {
  std::vector<double> voltages_v;
  std::vector<double> level_shifter_delay_ns;  // per corner (0 without a level shifter)
  std::vector<DomainTiming> domains;           // in DesignSpec order
  long endpoints = 0;                          // timed endpoints per corner
  std::string script_file, log_file;
  double sta_wall_seconds = 0;
  long sta_peak_rss_kib = 0;
  // Loaded from <work_dir>/timing.cache.json without running OpenSTA (costs: of the
  // run that produced the cache).
  bool from_cache = false;
};

// Validates the corners: at least one, voltages > 0 and distinct, every file readable.
// Throws pf::Error 5201 (voltage) / 5202 (file) naming the corner and file.
void checkCorners(const std::vector<LibertyCorner> &corners);

// Synthesizes `design` hierarchically onto the chosen corner's standard cells, binds
// SRAM banks to their macros, buffers high-fan-out nets and writes the netlists.
// Cached in <work_dir>/synthesis.cache.json, keyed by the SHA-256 of what synthesis
// depends on (RTL sources, the design's top/parameters/domains, the synthesis corner's
// liberty files, max_fanout/clock_port/sram_pins, the Yosys version): with the same key
// and the netlists still present, the result is returned without running any tool
// (progress "synthesis: up to date (cache)"). The other corners' libraries are then
// not re-checked here; analyzeTiming() reads them.
SynthesisResult synthesize(const DesignSpec &design, const std::vector<LibertyCorner> &corners,
                           const SynthOptions &options);

// Times the synthesized netlist at every corner in one OpenSTA process. Cached in
// <work_dir>/timing.cache.json, keyed by the STA script, the contents of every corner's
// liberty files and of the STA netlist, the voltages, the domains and the OpenSTA version.
TimingResult analyzeTiming(const DesignSpec &design, const std::vector<LibertyCorner> &corners,
                           const SynthesisResult &synthesis, const SynthOptions &options);

}  // namespace pf::synth
