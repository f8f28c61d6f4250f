// Several liberty files as one library (LibertyMerge.hh): the checks, the merged text and
// the union of the typed models.
#include "characterize/liberty/LibertyMerge.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "core/Error.hh"
#include "core/Text.hh"

namespace pf::liberty {

namespace {

// ---- writing --------------------------------------------------------------------------

// Template renames of one file: old name -> new name.
using Renames = std::map<std::string, std::string>;

bool isTemplate(const LibertyGroup &group) {
  return group.type.size() > 9 && group.type.compare(group.type.size() - 9, 9, "_template") == 0;
}

// A table group (it has values) that names its template, e.g. `cell_rise (delay_7x7)`.
bool usesTemplate(const LibertyGroup &group) {
  return group.args.size() == 1 && group.findAttribute("values") != nullptr;
}

std::string valueText(const LibertyValue &value) {
  return value.quoted ? "\"" + value.text + "\"" : value.text;
}

void writeAttribute(std::string &out, const LibertyAttribute &attribute, int indent) {
  const std::string pad(static_cast<size_t>(indent), ' ');
  if (!attribute.is_complex) {
    out += fmt::format("{}{} : {};\n", pad, attribute.name,
                       attribute.values.empty() ? std::string() : valueText(attribute.values[0]));
    return;
  }
  // A table of several rows: one row per line, as the stub PDK writes them.
  const bool rows = attribute.values.size() > 1 &&
                    std::all_of(attribute.values.begin(), attribute.values.end(),
                                [](const LibertyValue &value) { return value.quoted; });
  if (rows) {
    out += pad + attribute.name + " ( \\\n";
    for (size_t i = 0; i < attribute.values.size(); ++i)
      out += fmt::format("{}  {}{} \\\n", pad, valueText(attribute.values[i]),
                         i + 1 < attribute.values.size() ? "," : "");
    out += pad + ");\n";
    return;
  }
  out += pad + attribute.name + " (";
  for (size_t i = 0; i < attribute.values.size(); ++i)
    out += (i ? ", " : "") + valueText(attribute.values[i]);
  out += ");\n";
}

void writeGroup(std::string &out, const LibertyGroup &group, int indent, const Renames &renames);

// The group's statements in the order the file gave them.
void writeBody(std::string &out, const LibertyGroup &group, int indent, const Renames &renames) {
  struct Statement {
    int line, column;
    const LibertyAttribute *attribute;
    const LibertyGroup *group;
  };
  std::vector<Statement> statements;
  for (const LibertyAttribute &attribute : group.attributes)
    statements.push_back({attribute.line, attribute.column, &attribute, nullptr});
  for (const LibertyGroup &sub : group.groups)
    statements.push_back({sub.line, sub.column, nullptr, &sub});
  std::stable_sort(statements.begin(), statements.end(), [](const auto &a, const auto &b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  for (const Statement &statement : statements)
    if (statement.attribute)
      writeAttribute(out, *statement.attribute, indent);
    else
      writeGroup(out, *statement.group, indent, renames);
}

void writeGroup(std::string &out, const LibertyGroup &group, int indent, const Renames &renames) {
  out += std::string(static_cast<size_t>(indent), ' ') + group.type + " (";
  const bool renamed = !renames.empty() && (isTemplate(group) || usesTemplate(group));
  for (size_t i = 0; i < group.args.size(); ++i) {
    LibertyValue arg = group.args[i];
    if (renamed && i == 0)
      if (const auto it = renames.find(arg.text); it != renames.end()) arg.text = it->second;
    out += (i ? ", " : "") + valueText(arg);
  }
  out += ") {\n";
  writeBody(out, group, indent + 2, renames);
  out += std::string(static_cast<size_t>(indent), ' ') + "}\n";
}

// ---- comparing ------------------------------------------------------------------------

bool sameValues(const std::vector<LibertyValue> &a, const std::vector<LibertyValue> &b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(),
                    [](const auto &x, const auto &y) { return x.text == y.text; });
}

// The same statements with the same values in the same order (positions aside).
bool sameGroup(const LibertyGroup &a, const LibertyGroup &b) {
  if (a.type != b.type || !sameValues(a.args, b.args) ||
      a.attributes.size() != b.attributes.size() || a.groups.size() != b.groups.size())
    return false;
  for (size_t i = 0; i < a.attributes.size(); ++i) {
    const LibertyAttribute &x = a.attributes[i], &y = b.attributes[i];
    if (x.name != y.name || x.is_complex != y.is_complex || !sameValues(x.values, y.values))
      return false;
  }
  for (size_t i = 0; i < a.groups.size(); ++i)
    if (!sameGroup(a.groups[i], b.groups[i])) return false;
  return true;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::optional<double> number(std::string_view text) {
  text = trimBlanks(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool sameNumber(double a, double b) {
  return std::abs(a - b) <= 1e-9 * std::max({1e-30, std::abs(a), std::abs(b)});
}

// Two attribute texts agree: as numbers where both are numbers, else as text.
bool sameText(const std::string &a, const std::string &b) {
  const std::optional<double> x = number(a), y = number(b);
  return x && y ? sameNumber(*x, *y) : a == b;
}

// A unit as a quantity in SI: "10ps" -> 1e-11. nullopt if it does not read.
std::optional<double> unitQuantity(std::string_view text, const std::map<std::string, double> &si) {
  text = trimBlanks(text);
  size_t split = text.find_first_not_of("0123456789.eE+-");
  double multiplier = 1;
  if (split != 0) {
    const std::optional<double> value = number(text.substr(0, split));
    if (!value) return std::nullopt;
    multiplier = *value;
  }
  const std::string suffix =
      lower(std::string(trimBlanks(split == std::string_view::npos ? "" : text.substr(split))));
  const auto it = si.find(suffix);
  if (it == si.end()) return std::nullopt;
  return multiplier * it->second;
}

struct UnitKind {
  const char *name;
  std::map<std::string, double> si;
  const char *absent;  // the liberty default when not stated, nullptr if it has none
};

const std::vector<UnitKind> &unitKinds() {
  static const std::vector<UnitKind> kinds = {
      {"time_unit",
       {{"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}, {"ps", 1e-12}, {"fs", 1e-15}},
       "1ns"},
      {"voltage_unit", {{"v", 1}, {"mv", 1e-3}, {"kv", 1e3}}, "1V"},
      {"current_unit",
       {{"a", 1}, {"ma", 1e-3}, {"ua", 1e-6}, {"na", 1e-9}, {"pa", 1e-12}},
       nullptr},
      {"pulling_resistance_unit", {{"ohm", 1}, {"kohm", 1e3}, {"mohm", 1e6}}, nullptr},
      {"leakage_power_unit",
       {{"w", 1}, {"mw", 1e-3}, {"uw", 1e-6}, {"nw", 1e-9}, {"pw", 1e-12}, {"fw", 1e-15}},
       nullptr},
      {"capacitive_load_unit", {{"ff", 1e-15}, {"pf", 1e-12}, {"nf", 1e-9}}, nullptr},
  };
  return kinds;
}

// Not compared: they say nothing about the cells.
bool isInformational(const std::string &name) {
  return name == "comment" || name == "date" || name == "revision";
}

bool isCheckedElsewhere(const std::string &name) {
  if (name == "nom_voltage" || name == "nom_process" || name == "nom_temperature") return true;
  return std::any_of(unitKinds().begin(), unitKinds().end(),
                     [&](const UnitKind &kind) { return name == kind.name; });
}

class Merger {
 public:
  Merger(const std::vector<MergeSource> &sources, const std::string &what)
      : sources_(sources), what_(what) {
    for (const MergeSource &source : sources) groups_.push_back(&libraryGroup(*source.tree));
  }

  MergedLibertyText merge(const std::string &banner) {
    checkCells();
    checkConditions();
    checkUnits();
    checkAttributes();
    collectStatements();
    MergedLibertyText result;
    std::string &out = result.text;
    out = banner;
    if (!renamed_.empty()) {
      out += "/* Templates renamed where two files use one name for different tables:\n";
      for (const std::string &line : renamed_) out += " *   " + line + "\n";
      out += " */\n";
    }
    const LibertyGroup &first = *groups_[0];
    out += "library (";
    for (size_t i = 0; i < first.args.size(); ++i)
      out += (i ? ", " : "") + valueText(first.args[i]);
    out += ") {\n";
    // The header: the first file's statements other than cells, then what the others add.
    LibertyGroup header;
    header.attributes = first.attributes;
    for (const LibertyGroup &group : first.groups)
      if (group.type != "cell") header.groups.push_back(group);
    writeBody(out, header, 2, {});
    for (size_t k = 1; k < groups_.size(); ++k) {
      LibertyGroup added;
      added.attributes = added_attributes_[k];
      for (const LibertyGroup *group : added_groups_[k]) added.groups.push_back(*group);
      writeBody(out, added, 2, renames_[k]);
    }
    for (size_t k = 0; k < groups_.size(); ++k)
      for (const LibertyGroup &group : groups_[k]->groups)
        if (group.type == "cell") writeGroup(out, group, 2, renames_[k]);
    out += "}\n";
    result.renamed = renamed_;
    return result;
  }

 private:
  static const LibertyGroup &libraryGroup(const LibertyGroup &root) {
    for (const LibertyGroup &group : root.groups)
      if (group.type == "library") return group;
    return root;  // not reached for a file the reader accepted
  }

  const std::string &file(size_t k) const { return sources_[k].library->source_file; }

  std::string at(size_t k, int line) const {
    return line > 0 ? fmt::format("{}:{}", file(k), line) : file(k);
  }

  [[noreturn]] void fail(int id, size_t k, int line, const std::string &field,
                         const std::string &message) const {
    throw Error(id, {file(k), line > 0 ? line : groups_[k]->line, 0}, field, message);
  }

  void checkCells() const {
    std::map<std::string, std::pair<size_t, int>> seen;  // cell -> (file, line)
    for (size_t k = 0; k < sources_.size(); ++k)
      for (const Cell &cell : sources_[k].library->cells) {
        const auto [it, inserted] = seen.emplace(cell.name, std::make_pair(k, cell.line));
        if (!inserted)
          fail(5071, k, cell.line, "cell",
               fmt::format("cell '{}' is defined twice in {}: at {} and at {}; they are merged "
                           "into one library, in which a cell name must be unique. Remove it "
                           "from one of the files",
                           cell.name, what_, at(it->second.first, it->second.second),
                           at(k, cell.line)));
      }
  }

  // nom_voltage, nom_process, nom_temperature: one library at one supply, process and
  // temperature.
  void checkConditions() const {
    const Library &base = *sources_[0].library;
    for (size_t k = 1; k < sources_.size(); ++k) {
      const Library &library = *sources_[k].library;
      if (!sameNumber(library.nominal_voltage_v, base.nominal_voltage_v))
        failCondition(k, "nom_voltage", fmt::format("{} V", base.nominal_voltage_v),
                      base.nominal_voltage_line, fmt::format("{} V", library.nominal_voltage_v),
                      library.nominal_voltage_line);
      checkOptional(k, "nom_process", "", &Library::nominal_process,
                    &Library::nominal_process_line);
      checkOptional(k, "nom_temperature", " C", &Library::nominal_temperature_c,
                    &Library::nominal_temperature_line);
    }
  }

  void checkOptional(size_t k, const char *field, const char *unit,
                     std::optional<double> Library::*value, int Library::*line) const {
    const Library &base = *sources_[0].library, &library = *sources_[k].library;
    const std::optional<double> &a = base.*value, &b = library.*value;
    if (!a && !b) return;
    if (a && b && sameNumber(*a, *b)) return;
    failCondition(k, field, a ? fmt::format("{}{}", *a, unit) : "", base.*line,
                  b ? fmt::format("{}{}", *b, unit) : "", library.*line);
  }

  [[noreturn]] void failCondition(size_t k, const char *field, const std::string &first,
                                  int first_line, const std::string &other, int other_line) const {
    auto describe = [&](size_t file_index, const std::string &value, int line) {
      return value.empty() ? fmt::format("not stated in {}", file(file_index))
                           : fmt::format("{} at {}", value, at(file_index, line));
    };
    fail(5065, k, other_line, field,
         fmt::format("{} must be parts of one library, at one supply, process and temperature: "
                     "{} is {} but {}. List in a corner only the files made for its conditions",
                     what_, field, describe(0, first, first_line), describe(k, other, other_line)));
  }

  void checkUnits() const {
    for (const UnitKind &kind : unitKinds()) {
      const bool complex = std::string(kind.name) == "capacitive_load_unit";
      auto quantity = [&](const LibertyAttribute *a) -> std::optional<double> {
        if (!a) return kind.absent ? unitQuantity(kind.absent, kind.si) : std::nullopt;
        if (!complex) return unitQuantity(a->text(), kind.si);
        if (a->values.size() != 2) return std::nullopt;
        const std::optional<double> multiplier = number(a->values[0].text);
        const std::optional<double> unit = unitQuantity("1" + a->values[1].text, kind.si);
        if (!multiplier || !unit) return std::nullopt;
        return *multiplier * *unit;
      };
      auto text = [&](const LibertyAttribute *a) -> std::string {
        if (!a) return "";
        if (!complex) return a->text();
        std::string joined;
        for (const LibertyValue &value : a->values)
          joined += (joined.empty() ? "" : ", ") + value.text;
        return "(" + joined + ")";
      };
      const LibertyAttribute *base = groups_[0]->findAttribute(kind.name);
      for (size_t k = 1; k < groups_.size(); ++k) {
        const LibertyAttribute *other = groups_[k]->findAttribute(kind.name);
        const std::optional<double> a = quantity(base), b = quantity(other);
        const bool same =
            a && b ? sameNumber(*a, *b) : (!base && !other) || text(base) == text(other);
        if (same) continue;
        auto describe = [&](size_t file_index, const LibertyAttribute *stated) {
          if (stated)
            return fmt::format("\"{}\" at {}", text(stated), at(file_index, stated->line));
          return kind.absent ? fmt::format("not stated in {} (the liberty default {})",
                                           file(file_index), kind.absent)
                             : fmt::format("not stated in {}", file(file_index));
        };
        fail(5064, k, other ? other->line : 0, kind.name,
             fmt::format("{} are merged into one library for the tools (Yosys maps onto one "
                         "file), so they must use the same units: {} is {} but {}. Give the "
                         "files one set of units (convert one of them), or the corner one library",
                         what_, kind.name, describe(0, base), describe(k, other)));
      }
    }
  }

  // Every other simple attribute of the library group is the first file's in the merged
  // header: the others must state the same, or their cells would mean something else.
  void checkAttributes() const {
    std::vector<std::string> names;
    for (const LibertyGroup *group : groups_)
      for (const LibertyAttribute &attribute : group->attributes)
        if (!attribute.is_complex && !isInformational(attribute.name) &&
            !isCheckedElsewhere(attribute.name) &&
            std::find(names.begin(), names.end(), attribute.name) == names.end())
          names.push_back(attribute.name);
    for (const std::string &name : names) {
      const LibertyAttribute *base = groups_[0]->findAttribute(name);
      for (size_t k = 1; k < groups_.size(); ++k) {
        const LibertyAttribute *other = groups_[k]->findAttribute(name);
        if (base && other && sameText(base->text(), other->text())) continue;
        if (!base && !other) continue;
        auto describe = [&](size_t file_index, const LibertyAttribute *stated) {
          return stated ? fmt::format("'{}' at {}", stated->text(), at(file_index, stated->line))
                        : fmt::format("not stated in {}", file(file_index));
        };
        fail(5066, k, other ? other->line : 0, name,
             fmt::format("{} are merged into one library whose header is the first file's, so "
                         "the attributes of their library groups must agree: {} is {} but {} "
                         "(the cells of {} would otherwise be read under another header). Make "
                         "the headers agree",
                         what_, name, describe(0, base), describe(k, other), file(k)));
      }
    }
  }

  // What the other files add to the header: complex attributes (voltage_map entries,
  // define, ...) and groups (templates, operating conditions, bus types, ...) the merged
  // library does not have yet; templates of one name and other contents are renamed.
  void collectStatements() {
    std::map<std::string, std::pair<size_t, const LibertyAttribute *>> voltages, defines;
    std::set<std::string> complex_seen;
    std::map<std::string, std::pair<size_t, const LibertyGroup *>> named;  // "type (args)"
    std::set<std::string> template_names;
    for (const LibertyGroup *group : groups_)
      for (const LibertyGroup &sub : group->groups)
        if (isTemplate(sub)) template_names.insert(sub.name());
    added_attributes_.assign(groups_.size(), {});
    added_groups_.assign(groups_.size(), {});
    renames_.assign(groups_.size(), {});
    for (size_t k = 0; k < groups_.size(); ++k) {
      for (const LibertyAttribute &attribute : groups_[k]->attributes) {
        if (!attribute.is_complex || attribute.name == "capacitive_load_unit") continue;
        std::string key = attribute.name;
        for (const LibertyValue &value : attribute.values) key += "\x1f" + value.text;
        if (!complex_seen.insert(key).second) continue;  // stated before, identically
        if (attribute.name == "voltage_map" && attribute.values.size() == 2 &&
            !claim(voltages, attribute.values[0].text, k, attribute, "voltage_map"))
          continue;
        if (attribute.name == "define" && attribute.values.size() == 3 &&
            !claim(defines, attribute.values[0].text + " " + attribute.values[1].text, k, attribute,
                   "define"))
          continue;
        if (k > 0) added_attributes_[k].push_back(attribute);
      }
      // Templates first: a later file's template of a name taken by other contents is
      // renamed, with every table that uses it.
      for (const LibertyGroup &sub : groups_[k]->groups) {
        if (sub.type == "cell" || !isTemplate(sub)) continue;
        const auto found = named.find(groupKey(sub));
        if (found != named.end() && !sameGroup(*found->second.second, sub) &&
            !renames_[k].count(sub.name())) {
          std::string name = sub.name() + "_" + identifier(sources_[k].library->name);
          for (int n = 2; template_names.count(name); ++n)
            name = fmt::format("{}_{}_{}", sub.name(), identifier(sources_[k].library->name), n);
          template_names.insert(name);
          renames_[k][sub.name()] = name;
          renamed_.push_back(
              fmt::format("{} ({}) in {} -> {}", sub.type, sub.name(), file(k), name));
        }
      }
      for (const LibertyGroup &sub : groups_[k]->groups) {
        if (sub.type == "cell") continue;
        std::string key = groupKey(sub);
        if (isTemplate(sub))
          if (const auto it = renames_[k].find(sub.name()); it != renames_[k].end())
            key = sub.type + " (" + it->second + ")";
        const auto [it, inserted] = named.emplace(key, std::make_pair(k, &sub));
        if (inserted) {
          if (k > 0) added_groups_[k].push_back(&sub);
          continue;
        }
        if (sameGroup(*it->second.second, sub)) continue;
        fail(5067, k, sub.line, sub.type,
             fmt::format("{} give the library-level group '{}' with different contents, at {} "
                         "and at {}; the merged library can hold only one. Make them equal or "
                         "rename one (and what refers to it)",
                         what_, key, at(it->second.first, it->second.second->line),
                         at(k, sub.line)));
      }
    }
  }

  static std::string groupKey(const LibertyGroup &group) {
    std::string args;
    for (const LibertyValue &arg : group.args) args += (args.empty() ? "" : ", ") + arg.text;
    return group.type + " (" + args + ")";
  }

  // "lc_seq v0p80" -> "lc_seq_v0p80": a library name as part of a template name.
  static std::string identifier(const std::string &name) {
    std::string out;
    for (const char c : name)
      out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
    return out.empty() ? "lib" : out;
  }

  // A keyed complex attribute (voltage_map by supply name, define by attribute and group):
  // the first file to state a key owns it; another value for it is refused. Returns
  // whether this statement is new.
  bool claim(std::map<std::string, std::pair<size_t, const LibertyAttribute *>> &owners,
             const std::string &key, size_t k, const LibertyAttribute &attribute,
             const char *what) const {
    const auto [it, inserted] = owners.emplace(key, std::make_pair(k, &attribute));
    if (inserted) return true;
    const LibertyAttribute &first = *it->second.second;
    const bool same = first.values.size() == attribute.values.size() &&
                      sameText(first.values.back().text, attribute.values.back().text);
    if (same) return false;
    fail(5073, k, attribute.line, fmt::format("{}({})", what, attribute.values[0].text),
         fmt::format("{} disagree on {} ({}): '{}' at {} but '{}' at {}. Make them agree", what_,
                     what, key, first.values.back().text, at(it->second.first, first.line),
                     attribute.values.back().text, at(k, attribute.line)));
  }

  const std::vector<MergeSource> &sources_;
  const std::string &what_;
  std::vector<const LibertyGroup *> groups_;  // each file's library group
  std::vector<std::vector<LibertyAttribute>> added_attributes_;
  std::vector<std::vector<const LibertyGroup *>> added_groups_;
  std::vector<Renames> renames_;
  std::vector<std::string> renamed_;
};

}  // namespace

MergedLibertyText mergeLibertyFiles(const std::vector<MergeSource> &sources,
                                    const std::string &what, const std::string &banner) {
  return Merger(sources, what).merge(banner);
}

Library unionOfLibraries(const std::vector<const Library *> &libraries) {
  Library merged = *libraries.front();
  for (size_t k = 1; k < libraries.size(); ++k) {
    const Library &library = *libraries[k];
    merged.cells.insert(merged.cells.end(), library.cells.begin(), library.cells.end());
    for (const auto &[name, volts] : library.supply_voltages_v)
      if (merged.supply_voltages_v.emplace(name, volts).second)
        merged.supply_voltage_lines[name] = library.supply_voltage_lines.at(name);
    if (merged.default_input_transition_ns <= 0)
      merged.default_input_transition_ns = library.default_input_transition_ns;
  }
  return merged;
}

std::string writeLibertyText(const LibertyGroup &root) {
  std::string out;
  writeBody(out, root, 0, {});
  return out;
}

}  // namespace pf::liberty
