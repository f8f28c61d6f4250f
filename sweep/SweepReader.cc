#include "sweep/SweepReader.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "core/Toml.hh"

namespace pf::sweep {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kTopKeys = {"sweep", "axes", "design_point"};
const std::vector<std::string> kSweepKeys = {
    "name", "design", "corners", "characterization_cache", "sim_periods", "sparsity_seed"};
const std::vector<std::string> kAxes = {"rails",        "networks",           "periods_us",
                                        "deadlines_us", "deadline_fractions", "parameters"};
const std::vector<std::string> kPointKeys = {"name", "design", "parameters"};

// Paths in the sweep file are relative to it, as in the design file.
std::string resolve(const std::string &sweep_file, const std::string &path) {
  const fs::path p(path);
  if (p.is_absolute()) return p.lexically_normal().string();
  return (fs::path(sweep_file).parent_path() / p).lexically_normal().string();
}

// A name that is also a directory name in the sweep's output.
bool isPlainName(const std::string &name) {
  return !name.empty() && name.size() <= 64 && name != "." && name != ".." &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
         });
}

const toml::array &requireAxisArray(const TomlReader &axes, const std::string &key) {
  const toml::array *array = axes.table().get(key)->as_array();
  if (!array) axes.fail(11010, key, "expected an array");
  if (array->empty())
    axes.fail(11002, key, "the axis is empty: give at least one value, or leave the axis out");
  return *array;
}

std::vector<double> numberAxis(const TomlReader &axes, const std::string &key, double min,
                               double max, const std::string &unit) {
  std::vector<double> values;
  for (const toml::node &element : requireAxisArray(axes, key)) {
    const SourceLoc loc = locationOf(element, axes.file());
    if (!element.is_number()) throw Error(1105, loc, axes.fieldPath(key), "expected a number");
    const double value = *element.value<double>();
    if (!(value > min && value <= max))
      throw Error(11004, loc, axes.fieldPath(key),
                  fmt::format("{:g} is outside ({:g}, {:g}]{}", value, min, max, unit));
    if (std::find(values.begin(), values.end(), value) != values.end())
      throw Error(11003, loc, axes.fieldPath(key), fmt::format("{:g} is given twice", value));
    values.push_back(value);
  }
  return values;
}

std::vector<double> railSet(const toml::node &element, const TomlReader &axes) {
  const SourceLoc loc = locationOf(element, axes.file());
  const toml::array *set = element.as_array();
  if (!set)
    throw Error(11011, loc, axes.fieldPath("rails"),
                "expected a list of rail voltages, e.g. [0.6, 1.1]");
  if (set->empty() || set->size() > 8)
    throw Error(11012, loc, axes.fieldPath("rails"),
                fmt::format("a rail set has 1 to 8 voltages, not {}", set->size()));
  std::vector<double> volts;
  for (const toml::node &v : *set) {
    if (!v.is_number())
      throw Error(1105, locationOf(v, axes.file()), axes.fieldPath("rails"), "expected a number");
    const double value = *v.value<double>();
    if (!(value > 0.0 && value < 5.0))
      throw Error(11013, locationOf(v, axes.file()), axes.fieldPath("rails"),
                  fmt::format("{:g} V is not a plausible supply voltage (0..5 V)", value));
    if (!volts.empty() && value <= volts.back())
      throw Error(11008, locationOf(v, axes.file()), axes.fieldPath("rails"),
                  "rail voltages must be strictly ascending within a set");
    volts.push_back(value);
  }
  return volts;
}

std::vector<std::vector<double>> railsAxis(const TomlReader &axes) {
  std::vector<std::vector<double>> sets;
  for (const toml::node &element : requireAxisArray(axes, "rails")) {
    std::vector<double> set = railSet(element, axes);
    if (std::find(sets.begin(), sets.end(), set) != sets.end())
      throw Error(11014, locationOf(element, axes.file()), axes.fieldPath("rails"),
                  "this rail set is given twice");
    sets.push_back(std::move(set));
  }
  return sets;
}

std::vector<NetworkSpec> networksAxis(const TomlReader &axes) {
  std::vector<NetworkSpec> networks;
  for (const toml::node &element : requireAxisArray(axes, "networks")) {
    const SourceLoc loc = locationOf(element, axes.file());
    if (!element.is_string())
      throw Error(11015, loc, axes.fieldPath("networks"), "expected a file name");
    NetworkSpec net;
    net.file = resolve(axes.file(), *element.value<std::string>());
    net.name = fs::path(net.file).stem().string();
    net.loc = loc;
    if (!isPlainName(net.name))
      throw Error(
          11006, loc, axes.fieldPath("networks"),
          fmt::format("the file name '{}' must be letters, digits, '_', '-' or '.'", net.name));
    for (const NetworkSpec &other : networks)
      if (other.name == net.name)
        throw Error(11016, loc, axes.fieldPath("networks"),
                    fmt::format("two networks named '{}' (the file name without its extension "
                                "names a network's results)",
                                net.name));
    networks.push_back(std::move(net));
  }
  return networks;
}

int64_t parameterValue(const toml::node &node, const std::string &file, const std::string &field) {
  if (!node.is_integer())
    throw Error(11009, locationOf(node, file), field, "a design parameter is a whole number");
  const int64_t value = *node.value<int64_t>();
  if (value < 1 || value > 65536)
    throw Error(11017, locationOf(node, file), field, fmt::format("{} is outside 1..65536", value));
  return value;
}

// "COL_GROUPS2-W_BANKS4": the point's name from its parameters (axis order).
std::string nameOf(const std::map<std::string, int64_t> &parameters,
                   const std::vector<std::string> &order) {
  std::string name;
  for (const std::string &key : order)
    name += (name.empty() ? "" : "-") + key + std::to_string(parameters.at(key));
  return name.empty() ? "base" : name;
}

// [axes] parameters = { COL_GROUPS = [2, 4], W_BANKS = [2, 4] }: every combination.
std::vector<DesignPointSpec> parameterAxis(const TomlReader &axes, const std::string &base) {
  const toml::table *table = axes.table().get("parameters")->as_table();
  if (!table) axes.fail(11018, "parameters", "expected a table: { NAME = [values], ... }");
  if (table->empty()) axes.fail(11019, "parameters", "the axis is empty");
  std::vector<std::string> order;
  std::vector<std::vector<int64_t>> values;
  for (const auto &[key, node] : *table) {
    const std::string field = axes.fieldPath("parameters." + std::string(key.str()));
    const toml::array *array = node.as_array();
    if (!array) throw Error(11020, locationOf(node, axes.file()), field, "expected an array");
    if (array->empty())
      throw Error(11021, locationOf(node, axes.file()), field, "the axis is empty");
    order.emplace_back(key.str());
    values.emplace_back();
    for (const toml::node &element : *array) {
      const int64_t value = parameterValue(element, axes.file(), field);
      if (std::find(values.back().begin(), values.back().end(), value) != values.back().end())
        throw Error(11022, locationOf(element, axes.file()), field,
                    fmt::format("{} is given twice", value));
      values.back().push_back(value);
    }
  }
  std::vector<DesignPointSpec> points(1);
  for (size_t k = 0; k < order.size(); ++k) {
    std::vector<DesignPointSpec> next;
    for (const DesignPointSpec &point : points)
      for (int64_t value : values[k]) {
        DesignPointSpec extended = point;
        extended.parameters[order[k]] = value;
        next.push_back(std::move(extended));
      }
    points = std::move(next);
  }
  for (DesignPointSpec &point : points) {
    point.name = nameOf(point.parameters, order);
    point.base_design = base;
    point.loc = axes.locationOf("parameters");
    point.field = axes.fieldPath("parameters");
  }
  return points;
}

DesignPointSpec designPoint(const TomlReader &entry, size_t index, const std::string &base) {
  entry.rejectUnknownKeys(kPointKeys);
  DesignPointSpec point;
  point.field = fmt::format("design_point[{}]", index);
  point.loc = locationOf(entry.table(), entry.file());
  point.name = entry.requireString("name");
  if (!isPlainName(point.name))
    entry.fail(11023, "name",
               "a design point's name is 1 to 64 letters, digits, '_', '-' or '.' (it names "
               "the point's folder)");
  point.base_design =
      entry.has("design") ? resolve(entry.file(), entry.requireString("design")) : base;
  if (point.base_design.empty())
    entry.fail(11024, "design", "no design: give [sweep] design or the point's own design");
  if (entry.has("parameters")) {
    const toml::table *table = entry.table().get("parameters")->as_table();
    if (!table) entry.fail(11025, "parameters", "expected a table: { NAME = value, ... }");
    for (const auto &[key, node] : *table)
      point.parameters[std::string(key.str())] = parameterValue(
          node, entry.file(), entry.fieldPath("parameters." + std::string(key.str())));
  }
  return point;
}

std::vector<DesignPointSpec> designPoints(const TomlReader &root, const TomlReader *axes,
                                          const std::string &base) {
  const bool has_entries = root.has("design_point");
  const bool has_axis = axes && axes->has("parameters");
  if (has_entries && has_axis)
    axes->fail(11007, "parameters",
               "design points are given twice: as [[design_point]] entries and as this axis "
               "(use one)");
  std::vector<DesignPointSpec> points;
  if (has_axis) {
    if (base.empty()) axes->fail(11026, "parameters", "[sweep] design is missing");
    points = parameterAxis(*axes, base);
  } else if (has_entries) {
    const std::vector<TomlReader> entries = root.tableArray("design_point");
    if (entries.empty()) root.fail(11027, "design_point", "no design points");
    for (size_t i = 0; i < entries.size(); ++i) points.push_back(designPoint(entries[i], i, base));
  } else {
    if (base.empty()) root.fail(11028, "sweep.design", "no design: give [sweep] design");
    DesignPointSpec point;
    point.name = "base";
    point.base_design = base;
    point.loc = root.locationOf("sweep");
    point.field = "sweep.design";
    points.push_back(point);
  }
  for (size_t i = 0; i < points.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (points[i].name == points[j].name)
        throw Error(11029, points[i].loc, points[i].field + ".name",
                    fmt::format("two design points named '{}'", points[i].name));
  return points;
}

void rejectUnknownAxes(const TomlReader &axes) {
  for (const auto &[key, node] : axes.table())
    if (std::find(kAxes.begin(), kAxes.end(), std::string(key.str())) == kAxes.end())
      throw Error(11001, locationOf(node, axes.file()), axes.fieldPath(std::string(key.str())),
                  fmt::format("unknown axis (the axes are: {})", fmt::join(kAxes, ", ")));
}

void readAxes(const TomlReader &axes, SweepSpec &spec) {
  rejectUnknownAxes(axes);
  for (const std::string &key : kAxes)
    if (axes.has(key)) spec.field_locs["axes." + key] = axes.locationOf(key);
  if (axes.has("rails")) spec.rails_v = railsAxis(axes);
  spec.networks = networksAxis(axes);  // required: a sweep without a network has no points
  spec.periods_us = numberAxis(axes, "periods_us", 0.0, 1e9, " us");
  if (axes.has("deadlines_us") && axes.has("deadline_fractions"))
    axes.fail(11005, "deadline_fractions",
              "give deadlines_us or deadline_fractions (of the period), not both");
  if (axes.has("deadlines_us"))
    spec.deadlines_us = numberAxis(axes, "deadlines_us", 0.0, 1e9, " us");
  if (axes.has("deadline_fractions"))
    spec.deadline_fractions = numberAxis(axes, "deadline_fractions", 0.0, 1.0, " of the period");
}

}  // namespace

SweepSpec readSweepFile(const std::string &path) {
  const toml::table root_table = parseTomlFile(path);
  const TomlReader root(root_table, path);
  root.rejectUnknownKeys(kTopKeys);
  SweepSpec spec;
  spec.file = path;
  const TomlReader sweep = root.requireTable("sweep");
  sweep.rejectUnknownKeys(kSweepKeys);
  spec.name = sweep.stringOr("name", fs::path(path).stem().string());
  const std::string base = sweep.has("design") ? resolve(path, sweep.requireString("design")) : "";
  spec.corners = resolve(path, sweep.requireString("corners"));
  spec.field_locs["sweep.corners"] = sweep.locationOf("corners");
  if (sweep.has("characterization_cache"))
    spec.characterization_cache = resolve(path, sweep.requireString("characterization_cache"));
  spec.sim_periods = int(sweep.integerOr("sim_periods", 1));
  if (spec.sim_periods < 0 || spec.sim_periods > 1000)
    sweep.fail(11030, "sim_periods", "co-simulated periods per point: 0 (none) to 1000");
  spec.sparsity_seed = sweep.integerOr("sparsity_seed", 0);
  if (spec.sparsity_seed < 0 || spec.sparsity_seed > 999999999)
    sweep.fail(11031, "sparsity_seed", "0 to 999999999");
  const TomlReader axes = root.requireTable("axes");
  readAxes(axes, spec);
  spec.designs = designPoints(root, &axes, base);
  return spec;
}

}  // namespace pf::sweep
