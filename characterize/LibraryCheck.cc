// The corner set's liberty files through the project's own parser and reader, then the
// corners against their libraries (LibraryCheck.hh). Runs no external program.
#include "characterize/LibraryCheck.hh"

#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "core/Error.hh"

namespace pf {

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
  for (size_t c = 0; c < corners.corners.size(); ++c) {
    const Corner &corner = corners.corners[c];
    for (const liberty::Library &library : checked.corners[c].std_cells) {
      checkVoltage({&library, &corner, "standard-cell"}, options);
      checkSupply({&library, &corner, "standard-cell"}, options);
    }
    for (const liberty::Library &library : checked.corners[c].srams) {
      checkSupply({&library, &corner, "SRAM"}, options);
      if (const auto warning = sramVoltageWarning({&library, &corner, "SRAM"}, options))
        checked.warnings.push_back(*warning);
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
  return checked;
}

}  // namespace pf
