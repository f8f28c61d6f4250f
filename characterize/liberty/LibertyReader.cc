// Second layer of the liberty stack: the generic group tree from LibertyParser -> the typed
// model of Liberty.hh, in canonical units, with the structural checks a consumer relies on
// (units present, tables matching their templates, bus types resolvable).
//
// Message ids: 5101 syntax (parser), 5102 library group, 5103 units, 5104 supply voltage,
// 5105 unknown table template, 5106 table shape/values, 5107 attribute value,
// 5108 bus type, 5109 cell/pin structure, 5110 binary file (parser), 5111 empty file.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <map>
#include <set>
#include <string_view>

#include "characterize/liberty/Liberty.hh"
#include "characterize/liberty/LibertyParser.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Text.hh"

namespace pf::liberty {

namespace {

// Scale factors from the library's units to the canonical ones of Liberty.hh.
struct Units {
  double time_ns = 1;     // time_unit; the liberty default is 1ns
  double voltage_v = 1;   // voltage_unit; the liberty default is 1V
  double cap_pf = 0;      // capacitive_load_unit; no default, required
  double leakage_nw = 0;  // leakage_power_unit; no default, required
  // Liberty has no energy unit attribute: internal_power tables are in
  // capacitive_load_unit x voltage_unit^2 (the energy of charging one unit load through one
  // unit swing, Liberty Reference "internal_power"; OpenSTA derives its energy scale the
  // same way). pF * V^2 = pJ, fF * V^2 = fJ = 1e-3 pJ.
  double energyPj() const { return cap_pf * voltage_v * voltage_v; }
};

struct Template {
  TableVariable variable_1 = TableVariable::None;
  TableVariable variable_2 = TableVariable::None;
  bool has_variable_3 = false;
  std::vector<double> index_1, index_2, index_3;  // raw, in library units
};

struct BusType {
  int bit_from = 0;
  int bit_to = 0;
};

enum class TableKind { Delay, Power };

bool equalsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Parses a whole number; false if `text` is not exactly one number.
bool parseNumber(std::string_view text, double &value) {
  text = trimBlanks(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

TableVariable tableVariable(std::string_view name) {
  if (name == "input_net_transition" || name == "input_transition_time")
    return TableVariable::InputTransitionNs;
  // Both are the capacitance the output drives; the second appears in power tables of
  // cells with two outputs switching together.
  if (name == "total_output_net_capacitance" || name == "equal_or_opposite_output_net_capacitance")
    return TableVariable::OutputLoadPf;
  if (name == "related_pin_transition") return TableVariable::RelatedPinTransitionNs;
  if (name == "constrained_pin_transition") return TableVariable::ConstrainedPinTransitionNs;
  return TableVariable::Other;
}

bool isTime(TableVariable variable) {
  return variable == TableVariable::InputTransitionNs ||
         variable == TableVariable::RelatedPinTransitionNs ||
         variable == TableVariable::ConstrainedPinTransitionNs;
}

// "A B" or "A, B" -> {"A", "B"}: related_pin may name several pins.
std::vector<std::string> splitNames(std::string_view text) {
  std::vector<std::string> names;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t begin = text.find_first_not_of(" \t,", pos);
    if (begin == std::string_view::npos) break;
    size_t end = text.find_first_of(" \t,", begin);
    if (end == std::string_view::npos) end = text.size();
    names.emplace_back(text.substr(begin, end - begin));
    pos = end;
  }
  return names;
}

class Reader {
 public:
  explicit Reader(const std::string &file) : file_(file) {}

  Library read(const LibertyGroup &root) {
    const LibertyGroup &group = libraryGroup(root);
    Library library;
    library.name = group.name();
    library.source_file = file_;
    library.line = group.line;
    readUnits(group);
    readLibraryAttributes(group, library);
    readTemplates(group, library);
    readTypes(group, library_types_);
    readCells(group, library);
    library.main_supply = mainSupply(group, library);
    return library;
  }

 private:
  [[noreturn]] void fail(int id, int line, const std::string &field,
                         const std::string &message) const {
    throw Error(id, {file_, line, 0}, field, message);
  }

  const LibertyGroup &libraryGroup(const LibertyGroup &root) const {
    if (root.groups.empty() && root.attributes.empty())
      fail(5112, 1, "library", "is empty: no library group, only whitespace or comments");
    if (!root.attributes.empty())
      fail(5102, root.attributes.front().line, root.attributes.front().name,
           "a statement outside the library group");
    const LibertyGroup *library = nullptr;
    for (const LibertyGroup &group : root.groups) {
      if (group.type != "library")
        fail(5113, group.line, "",
             fmt::format("expected a 'library' group, found '{}'", group.type));
      if (library) fail(5114, group.line, "", "more than one library group in one file");
      library = &group;
    }
    if (!library) fail(5115, 0, "", "no library group");
    return *library;
  }

  // ---- values ----------------------------------------------------------------------------

  double number(const LibertyAttribute &attribute) const {
    double value = 0;
    if (attribute.values.size() != 1 || !parseNumber(attribute.text(), value))
      fail(5120, attribute.line, attribute.name,
           fmt::format("expected a number, found '{}'", attribute.text()));
    return value;
  }

  bool boolean(const LibertyAttribute &attribute) const {
    const std::string &text = attribute.text();
    if (equalsNoCase(text, "true")) return true;
    if (equalsNoCase(text, "false")) return false;
    fail(5121, attribute.line, attribute.name,
         fmt::format("expected true or false, found '{}'", text));
  }

  int integer(const LibertyAttribute &attribute) const {
    double value = number(attribute);
    if (value != static_cast<double>(static_cast<int>(value)))
      fail(5122, attribute.line, attribute.name, "expected an integer");
    return static_cast<int>(value);
  }

  // Numbers of every value of a complex attribute, e.g. index_1 ("1, 2, 3") or
  // values ("1, 2", "3, 4"); `rows` (if given) receives the count per quoted string.
  std::vector<double> numberList(const LibertyAttribute &attribute,
                                 std::vector<size_t> *rows = nullptr) const {
    std::vector<double> numbers;
    for (const LibertyValue &value : attribute.values) {
      size_t before = numbers.size();
      std::string_view text = value.text;
      size_t pos = 0;
      while (pos < text.size()) {
        size_t begin = text.find_first_not_of(" \t\r\n,", pos);
        if (begin == std::string_view::npos) break;
        size_t end = text.find_first_of(" \t\r\n,", begin);
        if (end == std::string_view::npos) end = text.size();
        double number = 0;
        if (!parseNumber(text.substr(begin, end - begin), number))
          fail(5118, value.line, attribute.name,
               fmt::format("'{}' is not a number", text.substr(begin, end - begin)));
        numbers.push_back(number);
        pos = end;
      }
      if (rows) rows->push_back(numbers.size() - before);
    }
    return numbers;
  }

  // ---- library level ---------------------------------------------------------------------

  // "10ps" -> 10 * (ps in the canonical unit). `scales` maps lower-case suffixes.
  double unitScale(const LibertyAttribute &attribute,
                   const std::map<std::string, double> &scales) const {
    std::string_view text = trimBlanks(attribute.text());
    size_t split = text.find_first_not_of("0123456789.eE+-");
    double multiplier = 1;
    if (split != 0 && !parseNumber(text.substr(0, split), multiplier)) split = 0;
    std::string suffix(split == std::string_view::npos ? "" : text.substr(split));
    std::transform(suffix.begin(), suffix.end(), suffix.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto found = scales.find(std::string(trimBlanks(suffix)));
    if (found == scales.end() || multiplier <= 0)
      fail(5103, attribute.line, attribute.name,
           fmt::format("unknown unit '{}'", attribute.text()));
    return multiplier * found->second;
  }

  void readUnits(const LibertyGroup &library) {
    if (const LibertyAttribute *a = library.findAttribute("time_unit"))
      units_.time_ns = unitScale(
          *a, {{"s", 1e9}, {"ms", 1e6}, {"us", 1e3}, {"ns", 1}, {"ps", 1e-3}, {"fs", 1e-6}});
    if (const LibertyAttribute *a = library.findAttribute("voltage_unit"))
      units_.voltage_v = unitScale(*a, {{"v", 1}, {"mv", 1e-3}, {"kv", 1e3}});
    if (const LibertyAttribute *a = library.findAttribute("leakage_power_unit"))
      units_.leakage_nw = unitScale(
          *a, {{"w", 1e9}, {"mw", 1e6}, {"uw", 1e3}, {"nw", 1}, {"pw", 1e-3}, {"fw", 1e-6}});
    else
      fail(5116, library.line, "leakage_power_unit", "missing (liberty has no default)");
    const LibertyAttribute *cap = library.findAttribute("capacitive_load_unit");
    if (!cap) fail(5116, library.line, "capacitive_load_unit", "missing (liberty has no default)");
    readCapacitiveLoadUnit(*cap);
  }

  // capacitive_load_unit (1, ff)
  void readCapacitiveLoadUnit(const LibertyAttribute &attribute) {
    static const std::map<std::string, double> kScales{{"ff", 1e-3}, {"pf", 1}, {"nf", 1e3}};
    double multiplier = 0;
    std::string unit = attribute.values.size() == 2 ? attribute.values[1].text : "";
    std::transform(unit.begin(), unit.end(), unit.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto found = kScales.find(unit);
    if (attribute.values.size() != 2 || !parseNumber(attribute.values[0].text, multiplier) ||
        multiplier <= 0 || found == kScales.end())
      fail(5117, attribute.line, attribute.name, "expected (number, ff|pf|nf)");
    units_.cap_pf = multiplier * found->second;
  }

  void readLibraryAttributes(const LibertyGroup &group, Library &library) {
    const LibertyAttribute *voltage = group.findAttribute("nom_voltage");
    if (!voltage)
      fail(5104, group.line, "nom_voltage",
           fmt::format("no supply voltage: library '{}' has no nom_voltage", library.name));
    library.nominal_voltage_v = number(*voltage) * units_.voltage_v;
    library.nominal_voltage_line = voltage->line;
    if (const LibertyAttribute *a = group.findAttribute("nom_temperature")) {
      library.temperature_c = number(*a);
      library.nominal_temperature_c = library.temperature_c;
      library.nominal_temperature_line = a->line;
    }
    if (const LibertyAttribute *a = group.findAttribute("nom_process")) {
      library.nominal_process = number(*a);
      library.nominal_process_line = a->line;
    }
    if (const LibertyAttribute *a = group.findAttribute("default_cell_leakage_power"))
      default_leakage_nw_ = number(*a) * units_.leakage_nw;
    if (const LibertyAttribute *a = group.findAttribute("default_input_pin_cap"))
      default_input_cap_pf_ = number(*a) * units_.cap_pf;
    if (const LibertyAttribute *a = group.findAttribute("default_inout_pin_cap"))
      default_inout_cap_pf_ = number(*a) * units_.cap_pf;
    for (const LibertyAttribute &attribute : group.attributes) {
      if (attribute.name != "voltage_map") continue;
      double value = 0;
      if (attribute.values.size() != 2 || !parseNumber(attribute.values[1].text, value))
        fail(5123, attribute.line, "voltage_map", "expected (name, voltage)");
      library.supply_voltages_v[attribute.values[0].text] = value * units_.voltage_v;
      library.supply_voltage_lines[attribute.values[0].text] = attribute.line;
    }
  }

  // The voltage_map name of the cells' main supply (Liberty.hh, Library::main_supply).
  static std::string mainSupply(const LibertyGroup &library_group, const Library &library) {
    std::map<std::string, int> uses;  // primary_power voltage_name -> cells
    size_t index = 0;                 // readCells keeps the cell groups' order
    for (const LibertyGroup &cell : library_group.groups) {
      if (cell.type != "cell") continue;
      if (library.cells[index++].is_level_shifter) continue;
      std::set<std::string> names;
      for (const LibertyGroup &pin : cell.groups) {
        if (pin.type != "pg_pin") continue;
        const LibertyAttribute *type = pin.findAttribute("pg_type");
        const LibertyAttribute *name = pin.findAttribute("voltage_name");
        if (type && name && type->text() == "primary_power") names.insert(name->text());
      }
      for (const std::string &name : names) ++uses[name];
    }
    std::string best;
    for (const auto &[name, count] : uses)
      if (best.empty() || count > uses[best]) best = name;
    if (!best.empty()) return best;
    for (const auto &[name, volts] : library.supply_voltages_v)
      if (equalsNoCase(name, "VDD") || equalsNoCase(name, "VPWR") || equalsNoCase(name, "VCC"))
        return name;
    return "";
  }

  void readTemplates(const LibertyGroup &group, Library &library) {
    for (const LibertyGroup &sub : group.groups) {
      if (sub.type == "lu_table_template") {
        Template &table = delay_templates_[sub.name()] = readTemplate(sub);
        noteInputTransition(table, library);
      } else if (sub.type == "power_lut_template") {
        power_templates_[sub.name()] = readTemplate(sub);
      }
    }
  }

  // Liberty has no standard default input slew; the smallest characterized input transition
  // of the first delay template (in file order) stands in for an ideal driver.
  void noteInputTransition(const Template &table, Library &library) const {
    if (library.default_input_transition_ns > 0) return;
    if (table.variable_1 == TableVariable::InputTransitionNs && !table.index_1.empty())
      library.default_input_transition_ns = table.index_1.front() * units_.time_ns;
    else if (table.variable_2 == TableVariable::InputTransitionNs && !table.index_2.empty())
      library.default_input_transition_ns = table.index_2.front() * units_.time_ns;
  }

  Template readTemplate(const LibertyGroup &group) const {
    if (group.args.size() != 1)
      fail(5127, group.line, group.type, "a table template needs exactly one name");
    Template table;
    if (const LibertyAttribute *a = group.findAttribute("variable_1"))
      table.variable_1 = tableVariable(a->text());
    if (const LibertyAttribute *a = group.findAttribute("variable_2"))
      table.variable_2 = tableVariable(a->text());
    table.has_variable_3 = group.findAttribute("variable_3") != nullptr;
    if (const LibertyAttribute *a = group.findAttribute("index_1")) table.index_1 = numberList(*a);
    if (const LibertyAttribute *a = group.findAttribute("index_2")) table.index_2 = numberList(*a);
    if (const LibertyAttribute *a = group.findAttribute("index_3")) table.index_3 = numberList(*a);
    return table;
  }

  void readTypes(const LibertyGroup &parent, std::map<std::string, BusType> &types) const {
    for (const LibertyGroup &group : parent.groups) {
      if (group.type != "type") continue;
      BusType type;
      const LibertyAttribute *from = group.findAttribute("bit_from");
      const LibertyAttribute *to = group.findAttribute("bit_to");
      const LibertyAttribute *width = group.findAttribute("bit_width");
      if (!width) fail(5124, group.line, "bit_width", "type group needs bit_width");
      int bits = integer(*width);
      type.bit_from = from ? integer(*from) : 0;
      // downto without bit_to: the range runs from bit_from down (or up) bit_width bits.
      bool downto = false;
      if (const LibertyAttribute *a = group.findAttribute("downto")) downto = boolean(*a);
      type.bit_to = to ? integer(*to) : type.bit_from + (downto ? 1 - bits : bits - 1);
      if (bits <= 0 || std::abs(type.bit_to - type.bit_from) + 1 != bits)
        fail(5125, group.line, "bit_width",
             fmt::format("bit_width {} does not match bit_from {} .. bit_to {}", bits,
                         type.bit_from, type.bit_to));
      types[group.name()] = type;
    }
  }

  // ---- tables ----------------------------------------------------------------------------

  Table readTable(const LibertyGroup &group, TableKind kind, double value_scale) const {
    Template shape = findTemplate(group, kind);
    if (const LibertyAttribute *a = group.findAttribute("index_1")) shape.index_1 = numberList(*a);
    if (const LibertyAttribute *a = group.findAttribute("index_2")) shape.index_2 = numberList(*a);
    if (const LibertyAttribute *a = group.findAttribute("index_3")) shape.index_3 = numberList(*a);
    const LibertyAttribute *values = group.findAttribute("values");
    if (!values) fail(5119, group.line, group.type, "table has no values");
    std::vector<size_t> rows;
    std::vector<double> numbers = numberList(*values, &rows);
    checkShape(group, *values, shape, numbers.size(), rows);

    Table table;
    table.variable_1 = shape.index_1.empty() ? TableVariable::None : shape.variable_1;
    table.variable_2 = shape.index_2.empty() ? TableVariable::None : shape.variable_2;
    table.index_1 = scaleIndex(shape.index_1, table.variable_1);
    table.index_2 = scaleIndex(shape.index_2, table.variable_2);
    // A third axis (rare: power of cells with two outputs) is reduced to its first point.
    size_t stride_3 = std::max<size_t>(1, shape.index_3.size());
    table.values.reserve(numbers.size() / stride_3);
    for (size_t i = 0; i < numbers.size(); i += stride_3)
      table.values.push_back(numbers[i] * value_scale);
    return table;
  }

  Template findTemplate(const LibertyGroup &group, TableKind kind) const {
    const std::string &name = group.name();
    // "scalar" is predefined: one value, no axes.
    if (group.args.empty() || name == "scalar") return {};
    const auto &primary = kind == TableKind::Delay ? delay_templates_ : power_templates_;
    const auto &secondary = kind == TableKind::Delay ? power_templates_ : delay_templates_;
    if (auto found = primary.find(name); found != primary.end()) return found->second;
    if (auto found = secondary.find(name); found != secondary.end()) return found->second;
    fail(5105, group.line, group.type, fmt::format("unknown table template '{}'", name));
  }

  void checkShape(const LibertyGroup &group, const LibertyAttribute &values, const Template &shape,
                  size_t count, const std::vector<size_t> &rows) const {
    size_t n1 = std::max<size_t>(1, shape.index_1.size());
    size_t n2 = std::max<size_t>(1, shape.index_2.size());
    size_t n3 = std::max<size_t>(1, shape.index_3.size());
    bool rows_ok = rows.size() == 1 || std::all_of(rows.begin(), rows.end(), [&](size_t r) {
                     return r == count / rows.size();
                   });
    if (count == n1 * n2 * n3 && rows_ok) return;
    fail(5106, values.line, group.type,
         fmt::format("{} values in {} row(s), but the indices need {} x {}{} (index_1 x "
                     "index_2{})",
                     count, rows.size(), n1, n2, n3 > 1 ? fmt::format(" x {}", n3) : "",
                     n3 > 1 ? " x index_3" : ""));
  }

  std::vector<double> scaleIndex(std::vector<double> index, TableVariable variable) const {
    double scale = isTime(variable)                          ? units_.time_ns
                   : variable == TableVariable::OutputLoadPf ? units_.cap_pf
                                                             : 1.0;
    for (double &value : index) value *= scale;
    return index;
  }

  // ---- cells -----------------------------------------------------------------------------

  void readCells(const LibertyGroup &library_group, Library &library) const {
    std::map<std::string, int> seen;
    for (const LibertyGroup &group : library_group.groups) {
      if (group.type != "cell") continue;
      if (group.args.size() != 1) fail(5128, group.line, "cell", "a cell needs exactly one name");
      auto [it, inserted] = seen.emplace(group.name(), group.line);
      if (!inserted)
        fail(5109, group.line, "cell",
             fmt::format("cell '{}' defined twice (first at line {})", group.name(), it->second));
      library.cells.push_back(readCell(group));
    }
  }

  Cell readCell(const LibertyGroup &group) const {
    Cell cell;
    cell.name = group.name();
    cell.line = group.line;
    cell.leakage_power_nw = default_leakage_nw_;
    for (const LibertyAttribute &a : group.attributes) readCellAttribute(a, cell);
    std::map<std::string, BusType> types = library_types_;
    readTypes(group, types);
    for (const LibertyGroup &sub : group.groups) {
      if (sub.type == "pin") {
        readPins(sub, cell);
      } else if (sub.type == "bus") {
        readBus(sub, types, cell);
      } else if (sub.type == "bundle") {
        readBundle(sub, cell);
      } else if (sub.type == "ff" || sub.type == "ff_bank" || sub.type == "latch" ||
                 sub.type == "latch_bank") {
        if (!cell.sequential) cell.sequential = readSequential(sub);
      } else if (sub.type == "memory") {
        cell.is_macro = true;
      }
    }
    for (Pin &pin : cell.pins) applyDefaultCapacitance(pin);
    return cell;
  }

  void readCellAttribute(const LibertyAttribute &a, Cell &cell) const {
    const std::string &name = a.name;
    if (name == "area") {
      cell.area_um2 = number(a);
    } else if (name == "cell_leakage_power") {
      cell.leakage_power_nw = number(a) * units_.leakage_nw;
    } else if (name == "dont_use") {
      cell.dont_use = boolean(a);
    } else if (name == "is_macro_cell") {
      cell.is_macro = cell.is_macro || boolean(a);
    } else if (name == "clock_gating_integrated_cell") {
      cell.is_clock_gating_cell = !a.text().empty();
    } else if (name == "is_isolation_cell") {
      cell.is_isolation_cell = boolean(a);
    } else if (name == "is_level_shifter") {
      cell.is_level_shifter = boolean(a);
    } else if (name == "switch_cell_type") {
      cell.is_power_switch = true;
    }
  }

  Sequential readSequential(const LibertyGroup &group) const {
    Sequential seq;
    seq.is_latch = group.type == "latch" || group.type == "latch_bank";
    if (group.args.size() >= 1) seq.state_var = group.args[0].text;
    if (group.args.size() >= 2) seq.state_var_inv = group.args[1].text;
    auto text = [&](const char *name) {
      const LibertyAttribute *a = group.findAttribute(name);
      return a ? a->text() : std::string();
    };
    seq.clocked_on = text(seq.is_latch ? "enable" : "clocked_on");
    seq.next_state = text(seq.is_latch ? "data_in" : "next_state");
    seq.clear = text("clear");
    seq.preset = text("preset");
    if (seq.clocked_on.empty() && !seq.is_latch)
      fail(5129, group.line, "clocked_on", "ff group without clocked_on");
    return seq;
  }

  // pin (A) or pin (A, B): each name gets the group's attributes.
  void readPins(const LibertyGroup &group, Cell &cell) const {
    if (group.args.empty()) fail(5130, group.line, "pin", "pin group without a name");
    for (const LibertyValue &name : group.args) {
      Pin pin;
      pin.name = name.text;
      pin.line = group.line;
      pin.capacitance_pf = -1;  // "not given": defaults apply after reading
      applyPinGroup(group, pin);
      cell.pins.push_back(std::move(pin));
    }
  }

  // bus (Q) { bus_type : T; ... pin (Q[3]) {...} }: one pin per bit ("Q[3]") with the bus
  // attributes, then the bit-level pin groups on top of them.
  void readBus(const LibertyGroup &group, const std::map<std::string, BusType> &types,
               Cell &cell) const {
    const LibertyAttribute *type_name = group.findAttribute("bus_type");
    if (!type_name) fail(5126, group.line, "bus_type", "bus group without bus_type");
    auto type = types.find(type_name->text());
    if (type == types.end())
      fail(5108, type_name->line, "bus_type",
           fmt::format("unknown bus type '{}'", type_name->text()));
    std::vector<std::string> bits;
    int step = type->second.bit_to >= type->second.bit_from ? 1 : -1;
    for (int i = type->second.bit_from;; i += step) {
      bits.push_back(fmt::format("{}[{}]", group.name(), i));
      if (i == type->second.bit_to) break;
    }
    readMembers(group, bits, cell);
  }

  // bundle (B) { members (a, b); ... }
  void readBundle(const LibertyGroup &group, Cell &cell) const {
    const LibertyAttribute *members = group.findAttribute("members");
    if (!members) fail(5131, group.line, "members", "bundle group without members");
    std::vector<std::string> names;
    for (const LibertyValue &value : members->values) names.push_back(value.text);
    readMembers(group, names, cell);
  }

  void readMembers(const LibertyGroup &group, const std::vector<std::string> &names,
                   Cell &cell) const {
    size_t first = cell.pins.size();
    Pin shared;
    shared.line = group.line;
    shared.capacitance_pf = -1;
    applyPinGroup(group, shared);
    for (const std::string &name : names) {
      cell.pins.push_back(shared);
      cell.pins.back().name = name;
    }
    for (const LibertyGroup &sub : group.groups) {
      if (sub.type != "pin") continue;
      for (const LibertyValue &arg : sub.args) {
        for (const std::string &name : expandRange(group.name(), arg.text)) {
          auto pin = std::find_if(cell.pins.begin() + static_cast<std::ptrdiff_t>(first),
                                  cell.pins.end(), [&](const Pin &p) { return p.name == name; });
          if (pin == cell.pins.end())
            fail(5132, sub.line, "pin",
                 fmt::format("pin '{}' is not a member of '{}'", name, group.name()));
          pin->line = sub.line;
          applyPinGroup(sub, *pin);
        }
      }
    }
  }

  // "Q[0:3]" -> Q[0] .. Q[3]; "Q[2]" and plain names unchanged; "3" -> bus[3].
  std::vector<std::string> expandRange(const std::string &bus, const std::string &name) const {
    size_t open = name.find('[');
    size_t colon = name.find(':', open == std::string::npos ? 0 : open);
    if (open == std::string::npos) {
      double index = 0;
      if (parseNumber(name, index)) return {fmt::format("{}[{}]", bus, name)};
      return {name};
    }
    if (colon == std::string::npos) return {name};
    double from = 0, to = 0;
    if (!parseNumber(std::string_view(name).substr(open + 1, colon - open - 1), from) ||
        !parseNumber(std::string_view(name).substr(colon + 1, name.size() - colon - 2), to))
      return {name};
    std::vector<std::string> names;
    int step = to >= from ? 1 : -1;
    for (int i = static_cast<int>(from);; i += step) {
      names.push_back(fmt::format("{}[{}]", name.substr(0, open), i));
      if (i == static_cast<int>(to)) break;
    }
    return names;
  }

  void applyPinGroup(const LibertyGroup &group, Pin &pin) const {
    double rise_cap = -1, fall_cap = -1;
    for (const LibertyAttribute &a : group.attributes) {
      if (a.name == "direction") {
        pin.direction = direction(a);
      } else if (a.name == "capacitance") {
        pin.capacitance_pf = number(a) * units_.cap_pf;
      } else if (a.name == "rise_capacitance") {
        rise_cap = number(a) * units_.cap_pf;
      } else if (a.name == "fall_capacitance") {
        fall_cap = number(a) * units_.cap_pf;
      } else if (a.name == "function") {
        pin.function = a.text();
      } else if (a.name == "clock") {
        pin.is_clock = boolean(a);
      } else if (a.name == "state_function") {
        pin.state_function = a.text();
      }
    }
    // Only rise/fall given: their mean is the capacitance switching sees on average.
    if (pin.capacitance_pf < 0 && rise_cap >= 0 && fall_cap >= 0)
      pin.capacitance_pf = 0.5 * (rise_cap + fall_cap);
    else if (pin.capacitance_pf < 0 && std::max(rise_cap, fall_cap) >= 0)
      pin.capacitance_pf = std::max(rise_cap, fall_cap);
    for (const LibertyGroup &sub : group.groups) {
      if (sub.type == "internal_power")
        readInternalPower(sub, pin);
      else if (sub.type == "timing")
        readTiming(sub, pin);
    }
  }

  void applyDefaultCapacitance(Pin &pin) const {
    if (pin.capacitance_pf >= 0) return;
    pin.capacitance_pf = pin.direction == PinDirection::Input   ? default_input_cap_pf_
                         : pin.direction == PinDirection::Inout ? default_inout_cap_pf_
                                                                : 0.0;
  }

  PinDirection direction(const LibertyAttribute &a) const {
    const std::string &text = a.text();
    if (text == "input") return PinDirection::Input;
    if (text == "output") return PinDirection::Output;
    if (text == "inout") return PinDirection::Inout;
    if (text == "internal") return PinDirection::Internal;
    fail(5107, a.line, "direction",
         fmt::format("expected input, output, inout or internal, found '{}'", text));
  }

  static std::string attributeText(const LibertyGroup &group, const char *name) {
    const LibertyAttribute *a = group.findAttribute(name);
    return a ? a->text() : std::string();
  }

  // One InternalPower per related pin ("A B" -> two entries with the same tables).
  void readInternalPower(const LibertyGroup &group, Pin &pin) const {
    InternalPower power;
    power.when = attributeText(group, "when");
    double scale = units_.energyPj();
    for (const LibertyGroup &sub : group.groups) {
      if (sub.type == "rise_power") {
        power.rise_energy_pj = readTable(sub, TableKind::Power, scale);
      } else if (sub.type == "fall_power") {
        power.fall_energy_pj = readTable(sub, TableKind::Power, scale);
      } else if (sub.type == "power") {  // one table for both directions
        power.rise_energy_pj = readTable(sub, TableKind::Power, scale);
        power.fall_energy_pj = power.rise_energy_pj;
      }
    }
    std::vector<std::string> related = splitNames(attributeText(group, "related_pin"));
    if (related.empty()) related.emplace_back();
    for (std::string &name : related) {
      power.related_pin = std::move(name);
      pin.internal_power.push_back(power);
    }
  }

  void readTiming(const LibertyGroup &group, Pin &pin) const {
    TimingArc arc;
    arc.timing_type = attributeText(group, "timing_type");
    if (arc.timing_type.empty()) arc.timing_type = "combinational";  // liberty default
    arc.timing_sense = attributeText(group, "timing_sense");
    double scale = units_.time_ns;
    for (const LibertyGroup &sub : group.groups) {
      Table *table = sub.type == "cell_rise"         ? &arc.cell_rise_ns
                     : sub.type == "cell_fall"       ? &arc.cell_fall_ns
                     : sub.type == "rise_transition" ? &arc.rise_transition_ns
                     : sub.type == "fall_transition" ? &arc.fall_transition_ns
                     : sub.type == "rise_constraint" ? &arc.rise_constraint_ns
                     : sub.type == "fall_constraint" ? &arc.fall_constraint_ns
                                                     : nullptr;
      if (table) *table = readTable(sub, TableKind::Delay, scale);
    }
    std::vector<std::string> related = splitNames(attributeText(group, "related_pin"));
    if (related.empty()) related.emplace_back();
    for (std::string &name : related) {
      arc.related_pin = std::move(name);
      pin.timing.push_back(arc);
    }
  }

  const std::string &file_;
  Units units_;
  double default_leakage_nw_ = 0;
  double default_input_cap_pf_ = 0;
  double default_inout_cap_pf_ = 0;
  std::map<std::string, Template> delay_templates_;
  std::map<std::string, Template> power_templates_;
  std::map<std::string, BusType> library_types_;
};

}  // namespace

Library readLiberty(const std::string &path) {
  const std::string text = readTextFile(path);
  if (text.empty())
    throw Error(5111, {path, 1, 0}, "library", "is empty (0 bytes): no library group");
  const LibertyGroup root = parseLibertyText(text, path);
  return Reader(path).read(root);
}

}  // namespace pf::liberty
