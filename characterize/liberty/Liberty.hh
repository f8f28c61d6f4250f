// Typed model of a liberty (.lib) library, in canonical units.
//
// Layering follows OpenSTA's liberty/: LibertyParser (text -> generic groups and
// attributes, with line numbers) -> LibertyReader (groups -> this model, unit
// conversion, validation) -> consumers (synthesis scripts, STA, energy, leakage).
// Nothing here knows pdk_stub: cell and pin names, functions and tables all come from
// the file, so a user's library in any naming convention works.
//
// Canonical units (every field name says which): time ns, capacitance pF, energy pJ,
// power nW, voltage V, area um^2 (liberty area is unit-less; by convention um^2).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pf::liberty {

// An NLDM lookup table: values[i1 * index_2.size() + i2]. A scalar table has empty
// indices and one value. What index_1/index_2 mean (input transition, output load, ...)
// is given by the template's variables, resolved by the reader into `variable_1/2`.
enum class TableVariable {
  None,
  InputTransitionNs,
  OutputLoadPf,
  RelatedPinTransitionNs,
  ConstrainedPinTransitionNs,
  Other
};

struct Table {
  TableVariable variable_1 = TableVariable::None;
  TableVariable variable_2 = TableVariable::None;
  std::vector<double> index_1;
  std::vector<double> index_2;
  std::vector<double> values;

  bool empty() const { return values.empty(); }
  // Bilinear interpolation in the table's own axes; linear extrapolation outside the
  // grid (as STA tools do). The caller passes (input transition, output load) and the
  // table maps them onto its variables, so templates with swapped axes work.
  double lookup(double input_transition_ns, double output_load_pf) const;
  // The same interpolation with the coordinates given directly on index_1 / index_2 (in the
  // canonical unit of each variable), e.g. (constrained, related) slews of a setup table.
  double lookupByIndex(double index_1_value, double index_2_value) const;
};

// Energy per transition of an output (or input) pin, from an internal_power group.
// Values are in pJ per transition of the pin that owns the group.
struct InternalPower {
  std::string related_pin;  // empty: the group is not tied to an input (input pins)
  std::string when;         // boolean condition over pins, empty if unconditional
  Table rise_energy_pj;
  Table fall_energy_pj;
};

struct TimingArc {
  std::string related_pin;
  std::string timing_type;   // "combinational", "rising_edge", "setup_rising", ...
  std::string timing_sense;  // "positive_unate", "negative_unate", "non_unate", ""
  Table cell_rise_ns, cell_fall_ns, rise_transition_ns, fall_transition_ns;
  Table rise_constraint_ns, fall_constraint_ns;  // setup/hold arcs
};

enum class PinDirection { Input, Output, Inout, Internal };

struct Pin {
  std::string name;  // bit name, e.g. "A" or "Q[3]" (buses are expanded)
  PinDirection direction = PinDirection::Input;
  double capacitance_pf = 0;
  std::string function;  // liberty boolean expression, output pins only
  bool is_clock = false;
  std::string state_function;  // switch cells / isolation, if present
  std::vector<InternalPower> internal_power;
  std::vector<TimingArc> timing;
  int line = 0;  // where the pin group starts in the file
};

// Sequential behaviour from an ff group (latch groups fill the same struct with
// `is_latch`, `clocked_on` = enable, `next_state` = data_in).
struct Sequential {
  bool is_latch = false;
  std::string state_var;      // e.g. "IQ"
  std::string state_var_inv;  // e.g. "IQN"
  std::string clocked_on;     // "CK", "!CK" (for latches: enable)
  std::string next_state;     // "D", "(D&E)|(IQ&!E)"
  std::string clear;          // async clear expression, "" if none
  std::string preset;         // async preset expression, "" if none
};

struct Cell {
  std::string name;
  double area_um2 = 0;
  double leakage_power_nw = 0;  // cell_leakage_power
  bool dont_use = false;
  bool is_macro = false;              // is_macro_cell, or memory group
  bool is_clock_gating_cell = false;  // clock_gating_integrated_cell
  bool is_isolation_cell = false;
  bool is_level_shifter = false;
  bool is_power_switch = false;  // switch_cell_type
  std::optional<Sequential> sequential;
  std::vector<Pin> pins;
  int line = 0;

  const Pin *findPin(const std::string &pin_name) const;
  std::vector<const Pin *> inputs() const;
  std::vector<const Pin *> outputs() const;
};

struct Library {
  std::string name;
  std::string source_file;
  int line = 0;                  // where the library group starts
  double nominal_voltage_v = 0;  // nom_voltage (the corner's supply)
  int nominal_voltage_line = 0;
  double temperature_c = 0;                     // nom_temperature, 0 if not given
  std::optional<double> nominal_temperature_c;  // nom_temperature, if given
  int nominal_temperature_line = 0;
  std::optional<double> nominal_process;  // nom_process (a process scaling factor), if given
  int nominal_process_line = 0;
  // Liberty has no standard default slew: the first input-transition index point of the
  // first delay template (the smallest characterized slew, an ideal driver).
  double default_input_transition_ns = 0;
  std::vector<Cell> cells;
  std::map<std::string, double> supply_voltages_v;  // voltage_map (name, V), e.g. VDD, VDDL
  std::map<std::string, int> supply_voltage_lines;  // the line of each voltage_map entry
  // The cells' main supply, a voltage_map name: the voltage_name most cells' primary_power
  // pg_pin uses (level shifters, whose input side has its own rail, not counted); without
  // pg_pins, the voltage_map entry called VDD, VPWR or VCC (any case); "" if neither.
  std::string main_supply;

  const Cell *findCell(const std::string &cell_name) const;
};

// Reads a liberty file; throws pf::Error (PF-51xx) naming file, line and attribute on
// syntax errors, missing units or tables that do not match their template.
// Ids: 5101 syntax (a truncated file: "the file ends inside" the open groups, the field
// the innermost one), 5102 no/extra library group or a statement outside it, 5103 units
// (capacitive_load_unit and leakage_power_unit are required; time 1ns and voltage 1V by
// default), 5104 no nom_voltage, 5105 unknown table template, 5106 table values vs indices,
// 5107 attribute value, 5108 bus type, 5109 cell/pin structure, 5110 a binary file (a
// control byte: its line, the statement, the line quoted with control bytes escaped;
// gzip named as such), 5111 an empty file (nothing but whitespace or comments). An
// unreadable file is PF-1001 (core/Files.hh). Unknown groups and attributes are ignored.
Library readLiberty(const std::string &path);

}  // namespace pf::liberty
