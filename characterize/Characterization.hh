// The characterization table: what `powerflow characterize` writes and the scheduler
// and co-simulation read. Plain data; per-corner vectors are indexed like `corners`.
// File format (JSON, versioned): docs/formats.md, "Characterization file".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/Design.hh"
#include "core/Error.hh"
#include "core/Json.hh"

namespace pf {

inline constexpr const char *kCharacterizationFormat = "powerflow-characterization";
// Version 2 added where every figure comes from (provenance) and the corners' liberty
// files; version 1 tables (without them) are still read.
inline constexpr int kCharacterizationVersion = 2;

// Where a figure came from (docs/formats.md, "Provenance"):
//   Library      the user's liberty files (the corners' `liberty` / `sram_liberty`);
//   PowerModel   the corner set's power model (rails, header switch, retention);
//   StubDefault  a number of the stub PDK (pdk_stub/): its power model built in when the
//                corner set names none, or the stub's own model used with other libraries;
//   Options      a documented default of the stage (e.g. a modelled toggle rate);
//   None         no figure: zero or absent, the remark says why.
enum class FigureSource { Library, PowerModel, StubDefault, Options, None };
const char *figureSourceName(FigureSource source);  // "library", "power_model", ...

// The provenance of one figure family: every number of the family shares it (`remark`
// names the corners where one differs, e.g. an SRAM library of another voltage).
struct FigureProvenance {
  std::string figure;  // the family: "timing", "leakage_nw", "wake_up", ...
  FigureSource source = FigureSource::None;
  std::string from;       // what exactly: files, keys, tools
  bool borrowed = false;  // not from the user's own libraries or power model
  std::string remark;     // why it is borrowed, or zero; empty if nothing to add
};

using ProvenanceList = std::vector<FigureProvenance>;  // in the order of the figures
const FigureProvenance *findProvenance(const ProvenanceList &list, const std::string &figure);

struct CornerInfo {
  std::string name;
  double voltage_v = 0;
  // The standard-cell library's nom_process and nom_temperature, where it states them.
  std::optional<double> nom_process = std::nullopt;
  std::optional<double> nom_temperature_c = std::nullopt;
  // The corner set's files for this corner (version 2): what a "library" figure came from.
  std::vector<std::string> liberty = {};
  std::vector<std::string> sram_liberty = {};
};

// A warning the stage raised, repeated by every output (the file, its summary, the
// terminal), e.g. a mixed corner set (PF-5054) or a clock above a domain's fmax (PF-5055).
struct CharacterizationWarning {
  int id = 0;
  std::string text;  // the whole message: "warning PF-5054: corners.toml: field '...': ..."
};

// "warning PF-NNNN: file:line: field 'f': message", as pf::Error formats an error.
CharacterizationWarning characterizationWarning(int id, const SourceLoc &loc,
                                                const std::string &field,
                                                const std::string &message);

// Energy of one operation class of a domain, per corner; `sparsity` is the fraction of
// zero operands for MAC classes and 0 otherwise.
struct OperationEnergy {
  std::string
      op_class;  // "mac_cycle", "idle_clocked_cycle", "clock_gated_cycle", "read", "write", ...
  double sparsity = 0;
  std::vector<double> energy_pj;
};

struct DomainCharacterization {
  std::string name;
  DomainKind kind = DomainKind::AlwaysOn;
  std::string macro;  // sram_bank
  long cells = 0;
  double area_um2 = 0;
  std::vector<double> critical_path_ns;  // min clock period the domain's paths allow
  std::vector<double> fmax_mhz;
  std::vector<double> leakage_nw;        // powered on, at each corner
  std::vector<double> gated_leakage_nw;  // behind its header switch, off (switchable domains)
  double retention_leakage_nw = 0;       // sram_bank in retention
  double retention_voltage_v = 0;
  double switched_capacitance_pf = 0;   // charged on wake-up
  std::vector<double> wake_up_time_ns;  // off -> on at each corner's voltage
  std::vector<double> wake_up_energy_pj;
  // Moving the powered domain from the rail of corner `from` to that of corner `to`:
  // [from][to], zero on the diagonal (switchable domains).
  std::vector<std::vector<double>> rail_change_time_ns;
  std::vector<std::vector<double>> rail_change_energy_pj;
  std::vector<OperationEnergy> operations;
  // One entry per figure family the domain has (docs/formats.md, "Provenance"): area
  // (cells, area_um2), timing (critical_path_ns, fmax_mhz), leakage_nw, operations; for
  // switchable domains gated_leakage_nw, switched_capacitance_pf, wake_up (time, energy),
  // rail_change (time, energy); for SRAM banks retention (leakage, voltage).
  ProvenanceList provenance;

  const OperationEnergy *findOperation(const std::string &op_class, double sparsity = 0) const;
};

// The power sequencer (gen/, in the always-on domain) for the design's rail and
// switchable-domain counts: its own area, leakage and energy per clock cycle, added to
// the always-on domain by the scheduler (characterize/SequencerCost.hh says what is
// measured and what is modelled).
struct SequencerCharacterization {
  bool present = false;  // absent in tables written before it was characterized
  std::string module;
  int rails = 0;
  int domains = 0;
  long cells = 0;
  long flip_flops = 0;
  double area_um2 = 0;
  double data_activity = 0;                 // the modelled toggle rate of its data nets
  std::vector<double> leakage_nw;           // per corner (liberty sum)
  std::vector<double> clock_energy_pj;      // per cycle and corner (liberty tables)
  std::vector<double> energy_per_cycle_pj;  // per cycle and corner: clock + modelled data
  // area (cells, flip_flops, area_um2), leakage_nw, clock_energy_pj, energy_per_cycle_pj.
  ProvenanceList provenance;
};

// The power model the stage used, and whether it describes the user's libraries.
struct PowerModelProvenance {
  FigureSource source = FigureSource::None;  // PowerModel, StubDefault (None: not recorded)
  std::string file;             // as the corner set names it; "" for the built-in stub model
  std::string process;          // the model's `process`, if it states one
  double min_v = 0, max_v = 0;  // the voltages its tables cover (corners_v)
  bool borrowed = false;        // made for other libraries (or the built-in stub model)
  std::string remark;           // why it is taken as borrowed
};

// The power-management cells the synthesis corner's standard-cell libraries have ("" none):
// the header switch (switch_cell_type), isolation (is_isolation_cell), level shifter
// (is_level_shifter).
struct PowerManagementCells {
  std::string header_switch;
  std::string isolation;
  std::string level_shifter;
};

struct TableProvenance {
  PowerModelProvenance power_model;
  PowerManagementCells cells;
  // Figures of the whole table: level_shifter_delay_ns, isolation (which has no figure).
  ProvenanceList figures;
};

struct Characterization {
  std::string generated_by;  // the command line that made it
  std::string design;
  std::string inputs_sha256;  // of RTL, liberty files, corner set and options
  std::vector<CornerInfo> corners;
  // The corners differ in process or temperature (accepted with --allow-mixed-corners):
  // not a voltage sweep of one process; `warnings` says so.
  bool mixed_corners = false;
  std::vector<CharacterizationWarning> warnings;
  std::vector<double> level_shifter_delay_ns;  // per corner, added on domain crossings
  std::vector<DomainCharacterization> domains;
  SequencerCharacterization sequencer;
  TableProvenance provenance;  // version 2; empty in a version 1 table

  const DomainCharacterization *findDomain(const std::string &name) const;
};

Json characterizationToJson(const Characterization &table);
// Reads versions 1 and 2. Throws pf::Error naming `file`, the line and the JSON path on a
// malformed table: PF-5015 another format, PF-5016 another version, PF-5011 a missing
// field, PF-5013 a value of another type, PF-5012 a per-corner array of the wrong length,
// PF-5014 an unknown domain kind, PF-5017 an unknown provenance source; the field
// reader's numbers (core/JsonNode.hh) for an unknown field, a number out of range, an
// array of another length.
Characterization characterizationFromJson(const Json &json, const std::string &file);
// The same from the file's text (PF-1403 for JSON syntax).
Characterization characterizationFromText(const std::string &text, const std::string &file);
// Reads and parses a characterization file (the same errors, plus PF-1001/PF-1008 for an
// unreadable file and PF-1403 for JSON syntax).
Characterization readCharacterization(const std::string &path);

// A fixed-width summary table for people (one line per domain and corner).
std::string characterizationSummary(const Characterization &table);

}  // namespace pf
