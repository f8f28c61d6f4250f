// The corner set's liberty files through the project's own parser and reader, then the
// corners against their libraries (LibraryCheck.hh). Runs no external program.
#include "characterize/LibraryCheck.hh"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>

#include "characterize/liberty/LibertyMerge.hh"
#include "characterize/liberty/LibertyParser.hh"
#include "core/Banner.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Hash.hh"

namespace pf {

const liberty::Library &CheckedCorner::stdLibrary() const {
  return std_union ? *std_union : std_cells.front();
}

const liberty::Library *CheckedCorner::sramLibrary() const {
  if (sram_union) return &*sram_union;
  return srams.empty() ? nullptr : &srams.front();
}

namespace {

struct LibraryRef {
  const liberty::Library *library;
  const Corner *corner;
  const char *kind;  // "standard-cell" or "SRAM"
};

// Reads one file; a refusal keeps its id, location and field and says which corner the
// file belongs to.
liberty::Library readChecked(const std::string &path, const Corner &corner, const char *kind) {
  try {
    return liberty::readLiberty(path);
  } catch (const Error &error) {
    throw Error(error.id(), error.loc(), error.field(),
                fmt::format("{} (the {} library of corner '{}'; checked before any tool ran)",
                            error.message(), kind, corner.name));
  }
}

// "lib/x.lib:18"
std::string at(const liberty::Library &library, int line) {
  return line > 0 ? fmt::format("{}:{}", library.source_file, line) : library.source_file;
}

std::string at(const SourceLoc &loc) {
  return loc.line > 0 ? fmt::format("{}:{}", loc.file, loc.line) : loc.file;
}

// A standard-cell library describes its corner's supply: nom_voltage, and the main supply
// of its voltage_map where it has one.
void checkVoltage(const LibraryRef &ref, const LibraryCheckOptions &options) {
  const liberty::Library &library = *ref.library;
  const Corner &corner = *ref.corner;
  if (std::abs(library.nominal_voltage_v - corner.voltage_v) > options.voltage_tolerance_v)
    throw Error(5050, corner.voltage_loc, corner.voltage_field,
                fmt::format("corner '{}' is declared at {} V, but its {} library has "
                            "nom_voltage {} V at {} (library '{}'): a corner's voltage is the "
                            "one its libraries were characterized at; set voltage_v = {} or list "
                            "the library made for {} V",
                            corner.name, corner.voltage_v, ref.kind, library.nominal_voltage_v,
                            at(library, library.nominal_voltage_line), library.name,
                            library.nominal_voltage_v, corner.voltage_v));
}

// The main supply of a library's voltage_map, where it has one, is its nom_voltage (and so,
// for a standard-cell library, the corner's voltage).
void checkSupply(const LibraryRef &ref, const LibraryCheckOptions &options) {
  const liberty::Library &library = *ref.library;
  const Corner &corner = *ref.corner;
  const auto supply = library.supply_voltages_v.find(library.main_supply);
  if (supply == library.supply_voltages_v.end()) return;
  if (std::abs(supply->second - library.nominal_voltage_v) > options.voltage_tolerance_v)
    throw Error(5051, {library.source_file, library.supply_voltage_lines.at(supply->first), 0},
                fmt::format("voltage_map({})", supply->first),
                fmt::format("the cells' supply {} is {} V, but nom_voltage is {} V (line {}) and "
                            "corner '{}' is declared at {} V ({}, {}): the {} library "
                            "contradicts itself",
                            supply->first, supply->second, library.nominal_voltage_v,
                            library.nominal_voltage_line, corner.name, corner.voltage_v,
                            at(corner.voltage_loc), corner.voltage_field, ref.kind));
}

// An SRAM library made for another voltage (a user's cells paired with borrowed macros) is
// used, with a warning: its macros' energy, leakage and timing are those of its own voltage.
std::optional<CharacterizationWarning> sramVoltageWarning(const LibraryRef &ref,
                                                          const LibraryCheckOptions &options) {
  const liberty::Library &library = *ref.library;
  const Corner &corner = *ref.corner;
  if (std::abs(library.nominal_voltage_v - corner.voltage_v) <= options.voltage_tolerance_v)
    return std::nullopt;
  return characterizationWarning(
      5057, corner.voltage_loc, corner.voltage_field,
      fmt::format("corner '{}' is at {} V, but its SRAM library has nom_voltage {} V at {} "
                  "(library '{}'): the SRAM macros' energy, leakage and timing at this corner "
                  "are those of {} V",
                  corner.name, corner.voltage_v, library.nominal_voltage_v,
                  at(library, library.nominal_voltage_line), library.name,
                  library.nominal_voltage_v));
}

struct Condition {
  const char *field;  // "nom_process" or "nom_temperature"
  const char *unit;   // for messages
  std::optional<double> liberty::Library::*value;
  int liberty::Library::*line;
};

const Condition kConditions[] = {
    {"nom_process", "", &liberty::Library::nominal_process,
     &liberty::Library::nominal_process_line},
    {"nom_temperature", " C", &liberty::Library::nominal_temperature_c,
     &liberty::Library::nominal_temperature_line},
};

// The first condition both libraries state with different values, or nullptr.
const Condition *differingCondition(const liberty::Library &a, const liberty::Library &b) {
  for (const Condition &condition : kConditions) {
    const std::optional<double> &x = a.*condition.value, &y = b.*condition.value;
    if (x && y && std::abs(*x - *y) > 1e-9 * std::max(1.0, std::abs(*x))) return &condition;
  }
  return nullptr;
}

std::string conditionValue(const liberty::Library &library, const Condition &condition) {
  return fmt::format("{}{}", *(library.*condition.value), condition.unit);
}

// A corner's SRAM libraries describe the same process and temperature as its cells.
void checkSramAgrees(const LibraryRef &sram, const liberty::Library &cells) {
  const Condition *differs = differingCondition(*sram.library, cells);
  if (!differs) return;
  throw Error(
      5053, {sram.library->source_file, sram.library->*differs->line, 0}, differs->field,
      fmt::format("the SRAM library of corner '{}' is at {} {}, but the corner's "
                  "standard-cell library {} is at {}: the macros must be characterized "
                  "at the same process and temperature as the cells",
                  sram.corner->name, differs->field, conditionValue(*sram.library, *differs),
                  at(cells, cells.*differs->line), conditionValue(cells, *differs)));
}

// "v0p60 process 1, 125 C; v1p10 process 1, 25 C"
std::string cornerConditions(const CornerSet &corners, const CheckedLibraries &checked) {
  std::string text;
  for (size_t c = 0; c < corners.corners.size(); ++c) {
    const liberty::Library &library = checked.corners[c].std_cells.front();
    text += fmt::format("{}{} {:.2f} V", text.empty() ? "" : "; ", corners.corners[c].name,
                        corners.corners[c].voltage_v);
    if (library.nominal_process) text += fmt::format(", process {}", *library.nominal_process);
    if (library.nominal_temperature_c)
      text += fmt::format(", {} C", *library.nominal_temperature_c);
  }
  return text;
}

// ---- several files per corner (PF-5063..5067) ---------------------------------------

// "corner[3].liberty" from a corner's "corner[3].voltage_v".
std::string cornerField(const Corner &corner, const std::string &key);

// No cell twice among all the files of a corner (standard-cell and SRAM): the tools read
// them together, and the stage looks cells up by name.
void checkUniqueCells(const Corner &corner, const CheckedCorner &libraries) {
  struct File {
    const std::string *path;
    const liberty::Library *library;
    const char *kind;
    const char *key;
  };
  std::vector<File> files;
  for (size_t i = 0; i < corner.std_liberty.size(); ++i)
    files.push_back({&corner.std_liberty[i], &libraries.std_cells[i], "standard-cell", "liberty"});
  for (size_t i = 0; i < corner.sram_liberty.size(); ++i)
    files.push_back({&corner.sram_liberty[i], &libraries.srams[i], "SRAM", "sram_liberty"});
  for (size_t j = 0; j < files.size(); ++j)
    for (size_t i = 0; i < j; ++i)
      if (*files[i].path == *files[j].path)
        throw Error(5072, corner.voltage_loc, cornerField(corner, files[j].key),
                    fmt::format("corner '{}' lists {} twice (as a {} and as a {} library): "
                                "every cell of it would be defined twice. List it once",
                                corner.name, *files[j].path, files[i].kind, files[j].kind));
  std::map<std::string, std::pair<size_t, int>> seen;  // cell -> (file, line)
  for (size_t k = 0; k < files.size(); ++k)
    for (const liberty::Cell &cell : files[k].library->cells) {
      const auto [it, inserted] = seen.emplace(cell.name, std::make_pair(k, cell.line));
      if (inserted) continue;
      const File &first = files[it->second.first];
      throw Error(
          5063, {*files[k].path, cell.line, 0}, "cell",
          fmt::format("cell '{}' is defined twice in corner '{}': in its {} library {}:{} and "
                      "in its {} library {}:{}. The tools read a corner's libraries together "
                      "(its standard-cell files merged into one library), so a cell name must "
                      "be unique among them: remove one of the two",
                      cell.name, corner.name, first.kind, *first.path, it->second.second,
                      files[k].kind, *files[k].path, cell.line));
    }
}

// The merged library of a corner's files of one kind, with a banner naming the command and
// every file with its SHA-256 (so the text, and every cache keyed by it, covers them all).
void mergeCornerFiles(const CornerSet &corners, const Corner &corner,
                      const std::vector<std::string> &paths,
                      const std::vector<liberty::Library> &libraries, const char *kind,
                      std::optional<liberty::Library> &merged, std::string &text) {
  if (paths.size() < 2) return;
  std::vector<liberty::LibertyGroup> trees;
  std::string files;
  for (const std::string &path : paths) {
    const std::string contents = readTextFile(path);
    trees.push_back(liberty::parseLibertyText(contents, path));
    std::string name = path;  // a "*/" in it would end the comment
    for (size_t at = name.find("*/"); at != std::string::npos; at = name.find("*/"))
      name.replace(at, 2, "* /");
    files += fmt::format(" *   {} (SHA-256 {})\n", name, Sha256().update(contents).hexDigest());
  }
  std::vector<liberty::MergeSource> sources;
  std::vector<const liberty::Library *> models;
  for (size_t k = 0; k < paths.size(); ++k) {
    sources.push_back({&trees[k], &libraries[k]});
    models.push_back(&libraries[k]);
  }
  const std::string banner =
      "/*\n" +
      generatedBanner(" *",
                      fmt::format("powerflow characterize --corners {}", corners.source_file)) +
      fmt::format(
          " *\n * The {} libraries of corner '{}' ({} V) as one library, which Yosys and "
          "OpenSTA\n * read (Yosys 0.23 maps onto one file). Merged from, in this "
          "order:\n",
          kind, corner.name, corner.voltage_v) +
      files + " */\n";
  text = liberty::mergeLibertyFiles(
             sources, fmt::format("the {} libraries of corner '{}'", kind, corner.name), banner)
             .text;
  merged = liberty::unionOfLibraries(models);
}

// ---- one file for several corners (PF-5058) -----------------------------------------

struct FileUse {
  std::string path;
  std::string digest;  // SHA-256 of the contents
  size_t corner;
  const char *kind;  // "standard-cell", "SRAM"
  const char *key;   // "liberty", "sram_liberty"
};

// "corner[3].sram_liberty" from a corner's "corner[3].voltage_v".
std::string cornerField(const Corner &corner, const std::string &key) {
  const std::string &field = corner.voltage_field;
  const size_t dot = field.rfind('.');
  return (dot == std::string::npos ? std::string("corner") : field.substr(0, dot)) + "." + key;
}

void duplicateFileWarnings(const CornerSet &corners, const CheckedLibraries &checked,
                           std::vector<CharacterizationWarning> &warnings) {
  std::vector<FileUse> uses;
  for (size_t c = 0; c < corners.corners.size(); ++c) {
    const Corner &corner = corners.corners[c];
    for (const std::string &path : corner.std_liberty)
      uses.push_back(
          {path, Sha256().update(readTextFile(path)).hexDigest(), c, "standard-cell", "liberty"});
    for (const std::string &path : corner.sram_liberty)
      uses.push_back(
          {path, Sha256().update(readTextFile(path)).hexDigest(), c, "SRAM", "sram_liberty"});
  }
  std::vector<bool> reported(uses.size(), false);
  for (size_t i = 0; i < uses.size(); ++i) {
    if (reported[i]) continue;
    std::vector<size_t> group = {i};
    for (size_t j = i + 1; j < uses.size(); ++j)
      if (!reported[j] && uses[j].digest == uses[i].digest && uses[j].corner != uses[i].corner &&
          std::none_of(group.begin(), group.end(),
                       [&](size_t k) { return uses[k].corner == uses[j].corner; }))
        group.push_back(j);
    if (group.size() < 2) continue;
    std::vector<std::string> corner_names, files;
    for (size_t k : group) {
      reported[k] = true;
      const Corner &corner = corners.corners[uses[k].corner];
      corner_names.push_back(fmt::format("'{}' ({} V)", corner.name, corner.voltage_v));
      if (std::find(files.begin(), files.end(), uses[k].path) == files.end())
        files.push_back(uses[k].path);
    }
    const FileUse &first = uses[i];
    const liberty::Library *library = nullptr;  // the parsed file, for its nom_voltage
    const CheckedCorner &parsed = checked.corners[first.corner];
    const Corner &owner = corners.corners[first.corner];
    const std::vector<std::string> &paths =
        std::string(first.key) == "liberty" ? owner.std_liberty : owner.sram_liberty;
    const std::vector<liberty::Library> &libraries =
        std::string(first.key) == "liberty" ? parsed.std_cells : parsed.srams;
    for (size_t k = 0; k < paths.size(); ++k)
      if (paths[k] == first.path) library = &libraries[k];
    const Corner &last = corners.corners[uses[group.back()].corner];
    warnings.push_back(characterizationWarning(
        5058, last.voltage_loc, cornerField(last, first.key),
        fmt::format(
            "one {} library stands for corners {}: {}{}. Its figures (leakage, energy, "
            "timing of its cells) are those of the one voltage it was made for{}, at "
            "every one of these corners, so they do not follow the supply between them "
            "(and OpenSTA reads the library once: 'library already exists'); give each "
            "corner the library made for its voltage",
            first.kind, fmt::join(corner_names, ", "), fmt::join(files, " and "),
            files.size() == 1 ? " (the same file)" : " (the same contents)",
            library ? fmt::format(" (nom_voltage {} V)", library->nominal_voltage_v) : "")));
  }
}

// ---- the power model against the corners and their libraries (PF-5059..5062) --------

std::string fileName(const std::string &path) {
  return std::filesystem::path(path).filename().string();
}

// The first cell of the synthesis corner's standard-cell libraries with the property.
std::string findCellWith(const CheckedCorner &corner, bool liberty::Cell::*property) {
  for (const liberty::Library &library : corner.std_cells)
    for (const liberty::Cell &cell : library.cells)
      if (cell.*property) return cell.name;
  return "";
}

bool hasCell(const CheckedCorner &corner, const std::string &name) {
  for (const liberty::Library &library : corner.std_cells)
    if (library.findCell(name)) return true;
  return false;
}

// How to write a power model, for the messages.
const char *const kHowToWritePowerModel =
    "write a power model for your PDK (its keys and what each figure takes from it: "
    "docs/formats.md, \"Power model\"; pdk_stub/lib/pf40lp_power.toml is a complete example) "
    "and name it in the corner set: power_model = \"my_power.toml\"";

void checkPowerModel(const CornerSet &corners, size_t synthesis, CheckedLibraries &checked) {
  PowerModel &model = checked.power_model;
  model = corners.power_model.empty() ? stubPowerModel() : readPowerModel(corners.power_model);
  const CheckedCorner &synth = checked.corners[synthesis];
  const std::string synth_file = synth.std_cells.front().source_file;
  std::vector<std::string> synth_files;  // for messages: every file of the corner
  for (const liberty::Library &library : synth.std_cells)
    synth_files.push_back(library.source_file);
  const std::string synth_files_text = fmt::format("{}", fmt::join(synth_files, " and "));
  std::vector<CharacterizationWarning> &warnings = checked.warnings;

  // Defaults (PF-5060).
  if (model.built_in)
    warnings.push_back(characterizationWarning(
        5060, {corners.source_file}, "power_model",
        fmt::format("the corner set names no power model: {} applies. Its regulator efficiency, "
                    "header-switch wake-up and gated leakage, rail-switch timing and SRAM "
                    "retention are those of the 40 nm-class stub process, not of your PDK; "
                    "the table and its summary mark them stub_default (borrowed). To use your "
                    "own, {}",
                    model.displayName(), kHowToWritePowerModel)));
  else if (!model.defaulted.empty())
    warnings.push_back(characterizationWarning(
        5068, {model.source_file}, model.defaulted.front(),
        fmt::format("the power model does not give {}: the stub PDK's values apply for them "
                    "({}), and the figures that use them are marked stub_default (borrowed) in "
                    "the table and its summary. Add them (docs/formats.md, \"Power model\")",
                    fmt::join(model.defaulted, ", "), kStubPowerModelPath)));

  // Made for other libraries (PF-5061).
  if (!model.built_in) {
    std::vector<std::string> reasons;
    SourceLoc loc{model.source_file};
    std::string field = "power_model";
    if (!model.std_liberty_files.empty()) {
      std::vector<std::string> used;
      bool any_listed = false;
      for (const Corner &corner : corners.corners)
        for (const std::string &path : corner.std_liberty) {
          used.push_back(fileName(path));
          any_listed = any_listed ||
                       std::find(model.std_liberty_files.begin(), model.std_liberty_files.end(),
                                 fileName(path)) != model.std_liberty_files.end();
        }
      if (!any_listed) {
        reasons.push_back(
            fmt::format("it was made for the libraries {} (its std_liberty_files), "
                        "and the corners use {}",
                        fmt::join(model.std_liberty_files, ", "), fmt::join(used, ", ")));
        loc = model.std_liberty_files_loc;
        field = "std_liberty_files";
      }
    }
    if (!model.header_switch_cell.empty() && !hasCell(synth, model.header_switch_cell)) {
      reasons.push_back(
          fmt::format("its header switch '{}' (header_switch.cell) is not a cell of "
                      "{}",
                      model.header_switch_cell, synth_files_text));
      if (field == "power_model") {
        loc = model.header_switch_cell_loc;
        field = "header_switch.cell";
      }
    }
    if (!reasons.empty()) {
      checked.power_model_borrowed = true;
      checked.power_model_mismatch = fmt::format("{}", fmt::join(reasons, "; "));
      const bool stub = model.process == kStubProcess;
      warnings.push_back(characterizationWarning(
          5061, loc, field,
          fmt::format("the power model was made for other libraries than the corner set's: {}. "
                      "The figures taken from it (gated leakage, wake-up, rail change, "
                      "retention) are borrowed{}, and marked {} in the table and its summary. "
                      "Either {}, or, if this model does describe these libraries, remove "
                      "std_liberty_files and name your header-switch cell",
                      checked.power_model_mismatch,
                      stub ? fmt::format(" from the stub PDK (process {})", kStubProcess) : "",
                      stub ? "stub_default" : "power_model, borrowed", kHowToWritePowerModel)));
    }
  }

  // Its voltage range (PF-5059).
  std::vector<std::string> outside;
  for (const Corner &corner : corners.corners)
    if (corner.voltage_v < model.minVoltage() - 1e-3 ||
        corner.voltage_v > model.maxVoltage() + 1e-3) {
      checked.corners_outside_power_model.push_back(corner.name);
      outside.push_back(
          fmt::format("'{}' at {} V ({})", corner.name, corner.voltage_v, at(corner.voltage_loc)));
    }
  if (!outside.empty()) {
    const bool own_table = !model.built_in && !model.corners_v_from_stub;
    warnings.push_back(characterizationWarning(
        5059, own_table ? model.corners_v_loc : SourceLoc{corners.source_file},
        own_table ? "corners_v" : "power_model",
        fmt::format("corner{} {} {} outside the voltages {} was made for ({}-{} V, corners_v{}): "
                    "its per-corner table (the header switch's gated_leakage_ratio) is "
                    "extrapolated there, and its switch and regulator constants were not made "
                    "for that supply; give the model's corners_v and tables at these voltages",
                    outside.size() == 1 ? "" : "s", fmt::join(outside, ", "),
                    outside.size() == 1 ? "is" : "are", model.displayName(), model.minVoltage(),
                    model.maxVoltage(),
                    own_table ? " at " + at(model.corners_v_loc)
                              : (model.built_in ? "" : ", the stub's: the model gives none"))));
  }

  // The power-management cells (PF-5062).
  checked.cells = {findCellWith(synth, &liberty::Cell::is_power_switch),
                   findCellWith(synth, &liberty::Cell::is_isolation_cell),
                   findCellWith(synth, &liberty::Cell::is_level_shifter)};
  std::vector<std::string> missing, meaning;
  if (checked.cells.header_switch.empty()) {
    missing.push_back("header switch (switch_cell_type)");
    meaning.push_back(fmt::format(
        "the switched domains' gated leakage and wake-up come from the "
        "power model alone ({}{})",
        model.displayName(),
        model.header_switch_cell.empty() ? "" : ", whose switch is " + model.header_switch_cell));
  }
  if (checked.cells.isolation.empty()) {
    missing.push_back("isolation cell (is_isolation_cell)");
    meaning.push_back("isolation is not priced (no figure in the table)");
  }
  if (checked.cells.level_shifter.empty()) {
    missing.push_back("level shifter (is_level_shifter)");
    meaning.push_back(
        "no level-shifter delay is added to paths that cross power domains (level_shifter_delay_ns "
        "is 0: optimistic when the domains run at different voltages)");
  }
  if (!missing.empty())
    warnings.push_back(characterizationWarning(
        5062, {synth_file}, "cell",
        fmt::format("the synthesis corner's library has no {}: {}", fmt::join(missing, ", no "),
                    fmt::join(meaning, "; "))));
}

}  // namespace

CheckedLibraries checkCornerLibraries(const CornerSet &corners,
                                      const LibraryCheckOptions &options) {
  CheckedLibraries checked;
  // Every file is parsed and read before any relation between them is checked, so a broken
  // file is reported as such, whatever else is wrong.
  for (const Corner &corner : corners.corners) {
    CheckedCorner entry;
    for (const std::string &path : corner.std_liberty)
      entry.std_cells.push_back(readChecked(path, corner, "standard-cell"));
    for (const std::string &path : corner.sram_liberty)
      entry.srams.push_back(readChecked(path, corner, "SRAM"));
    checked.corners.push_back(std::move(entry));
  }
  // The files of each corner as one library (merged where there are several), before
  // anything is compared with them: files that cannot be one library are refused, naming
  // both files.
  for (size_t c = 0; c < corners.corners.size(); ++c) {
    const Corner &corner = corners.corners[c];
    CheckedCorner &entry = checked.corners[c];
    checkUniqueCells(corner, entry);
    mergeCornerFiles(corners, corner, corner.std_liberty, entry.std_cells, "standard-cell",
                     entry.std_union, entry.std_merged_text);
    mergeCornerFiles(corners, corner, corner.sram_liberty, entry.srams, "SRAM", entry.sram_union,
                     entry.sram_merged_text);
  }
  for (size_t c = 0; c < corners.corners.size(); ++c) {
    const Corner &corner = corners.corners[c];
    for (const liberty::Library &library : checked.corners[c].std_cells) {
      checkVoltage({&library, &corner, "standard-cell"}, options);
      checkSupply({&library, &corner, "standard-cell"}, options);
    }
    checked.sram_other_voltage.emplace_back();
    for (const liberty::Library &library : checked.corners[c].srams) {
      checkSupply({&library, &corner, "SRAM"}, options);
      if (const auto warning = sramVoltageWarning({&library, &corner, "SRAM"}, options)) {
        // One warning per corner (the files of one corner share their nom_voltage).
        if (checked.sram_other_voltage.back().empty()) checked.warnings.push_back(*warning);
        checked.sram_other_voltage.back() += fmt::format(
            "{}{} (nom_voltage {} V)", checked.sram_other_voltage.back().empty() ? "" : ", ",
            library.source_file, library.nominal_voltage_v);
      }
    }
    for (const liberty::Library &cells : checked.corners[c].std_cells)
      for (const liberty::Library &library : checked.corners[c].srams)
        checkSramAgrees({&library, &corner, "SRAM"}, cells);
  }
  // One process at one temperature, several voltages: every standard-cell library against
  // the synthesis corner's (the netlist is mapped onto it).
  size_t reference = 0;
  for (size_t c = 0; c < corners.corners.size(); ++c)
    if (corners.corners[c].name == corners.synthesisCorner().name) reference = c;
  const liberty::Library &base = checked.corners[reference].std_cells.front();
  for (size_t c = 0; c < corners.corners.size(); ++c)
    for (const liberty::Library &library : checked.corners[c].std_cells) {
      const Condition *differs = differingCondition(library, base);
      if (!differs) continue;
      checked.mixed = true;
      if (options.allow_mixed_corners) continue;
      throw Error(
          5052, {library.source_file, library.*differs->line, 0}, differs->field,
          fmt::format("corner '{}' is at {} {}, but the synthesis corner '{}' ({}) is at {}: "
                      "this corner set is not one process at several supply voltages but "
                      "different process/temperature corners, so energies would not follow V^2 "
                      "and leakage need not rise with V. Give libraries of one process and "
                      "temperature at several voltages, or accept the mix with "
                      "--allow-mixed-corners (make ALLOW_MIXED_CORNERS=1), which marks every "
                      "output with a warning",
                      corners.corners[c].name, differs->field, conditionValue(library, *differs),
                      corners.corners[reference].name, at(base, base.*differs->line),
                      conditionValue(base, *differs)));
    }
  if (checked.mixed)
    checked.warnings.insert(
        checked.warnings.begin(),
        characterizationWarning(
            5054, {corners.source_file}, "corner",
            fmt::format(
                "mixed corner set, accepted with --allow-mixed-corners: the corners differ "
                "in process or temperature ({}). This is not a voltage sweep of one "
                "process: energy and leakage between corners mix the effect of the supply "
                "with that of process and temperature, so do not read them as DVFS "
                "trends, and the schedule's choice of rail is not a choice of voltage alone",
                cornerConditions(corners, checked))));
  duplicateFileWarnings(corners, checked, checked.warnings);
  checkPowerModel(corners, reference, checked);
  return checked;
}

}  // namespace pf
