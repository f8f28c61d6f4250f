// Corner-set TOML reader: parse -> validate -> typed CornerSet.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "characterize/Corners.hh"
#include "core/Toml.hh"

namespace pf {

namespace fs = std::filesystem;

const Corner &CornerSet::synthesisCorner() const {
  for (const Corner &corner : corners)
    if (corner.name == synthesis_corner) return corner;
  return corners.back();
}

namespace {

// "v0p60" for 0.6 V: a name that sorts with the voltage and is safe in file names.
std::string defaultCornerName(double voltage_v) {
  std::string text = fmt::format("v{:.2f}", voltage_v);
  std::replace(text.begin(), text.end(), '.', 'p');
  return text;
}

std::vector<std::string> resolveFiles(const TomlReader &reader, const std::string &key,
                                      const fs::path &base_dir, bool required) {
  std::vector<std::string> files = reader.stringArrayOr(key);
  if (required && files.empty()) reader.fail(5002, key, "needs at least one liberty file");
  for (std::string &file : files) {
    const fs::path resolved = (base_dir / file).lexically_normal();
    if (!fs::is_regular_file(resolved))
      reader.fail(5003, key, fmt::format("liberty file '{}' does not exist", resolved.string()));
    file = resolved.string();
  }
  return files;
}

Corner readCorner(const TomlReader &reader, const fs::path &base_dir) {
  reader.rejectUnknownKeys({"name", "voltage_v", "liberty", "sram_liberty"});
  if (!reader.has("voltage_v"))
    reader.fail(5001, "voltage_v", "every corner needs its supply voltage (voltage_v)");
  Corner corner;
  corner.voltage_v = reader.requireNumberIn("voltage_v", 0.05, 5.0);
  corner.voltage_field = reader.fieldPath("voltage_v");
  corner.voltage_loc = reader.locationOf("voltage_v");
  corner.name = reader.stringOr("name", defaultCornerName(corner.voltage_v));
  corner.std_liberty = resolveFiles(reader, "liberty", base_dir, true);
  corner.sram_liberty = resolveFiles(reader, "sram_liberty", base_dir, false);
  return corner;
}

void checkDistinct(const TomlReader &root, const std::vector<TomlReader> &tables,
                   const std::vector<Corner> &corners) {
  for (size_t i = 0; i < corners.size(); ++i)
    for (size_t j = 0; j < i; ++j) {
      if (std::abs(corners[i].voltage_v - corners[j].voltage_v) < 1e-9)
        tables[i].fail(5004, "voltage_v", fmt::format("two corners at {} V", corners[i].voltage_v));
      if (corners[i].name == corners[j].name)
        tables[i].fail(5005, "name",
                       fmt::format("corner name '{}' is used twice", corners[i].name));
    }
  if (corners.empty()) root.fail(5006, "corner", "at least one [[corner]] is required");
}

}  // namespace

CornerSet readCornerSet(const std::string &path) {
  const toml::table table = parseTomlFile(path);
  const TomlReader root(table, path);
  root.rejectUnknownKeys({"corner", "power_model", "synthesis_corner"});
  const fs::path base_dir = fs::path(path).parent_path();
  CornerSet set;
  set.source_file = path;
  const std::vector<TomlReader> tables = root.tableArray("corner");
  for (const TomlReader &corner_table : tables)
    set.corners.push_back(readCorner(corner_table, base_dir));
  checkDistinct(root, tables, set.corners);
  if (root.has("power_model")) {
    const fs::path resolved = (base_dir / root.requireString("power_model")).lexically_normal();
    if (!fs::is_regular_file(resolved))
      root.fail(5007, "power_model", fmt::format("file '{}' does not exist", resolved.string()));
    set.power_model = resolved.string();
  }
  std::sort(set.corners.begin(), set.corners.end(),
            [](const Corner &a, const Corner &b) { return a.voltage_v < b.voltage_v; });
  // Synthesis maps onto the nominal (highest) corner unless told otherwise: the
  // netlist is then timed and simulated unchanged at every corner.
  set.synthesis_corner = root.stringOr("synthesis_corner", set.corners.back().name);
  const bool known = std::any_of(set.corners.begin(), set.corners.end(),
                                 [&](const Corner &c) { return c.name == set.synthesis_corner; });
  if (!known)
    root.fail(5008, "synthesis_corner", fmt::format("no corner named '{}'", set.synthesis_corner));
  return set;
}

}  // namespace pf
