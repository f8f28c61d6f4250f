// Characterization <-> JSON. Field names carry their units; per-corner arrays follow
// the "corners" array.
#include <fmt/format.h>

#include <cmath>

#include "characterize/Characterization.hh"
#include "core/Error.hh"
#include "core/Files.hh"

namespace pf {

const OperationEnergy *DomainCharacterization::findOperation(const std::string &op_class,
                                                             double sparsity) const {
  for (const OperationEnergy &op : operations)
    if (op.op_class == op_class && std::abs(op.sparsity - sparsity) < 1e-9) return &op;
  return nullptr;
}

const DomainCharacterization *Characterization::findDomain(const std::string &name) const {
  for (const DomainCharacterization &domain : domains)
    if (domain.name == name) return &domain;
  return nullptr;
}

CharacterizationWarning characterizationWarning(int id, const SourceLoc &loc,
                                                const std::string &field,
                                                const std::string &message) {
  const std::string error = Error(id, loc, field, message).formatted();  // "error PF-..."
  return {id, "warning" + error.substr(error.find(' '))};
}

namespace {

Json matrixToJson(const std::vector<std::vector<double>> &rows) {
  Json json = Json::array();
  for (const std::vector<double> &row : rows) json.push(Json::numbers(row));
  return json;
}

Json domainToJson(const DomainCharacterization &domain) {
  Json json = Json::object();
  json.set("name", domain.name);
  json.set("kind", domainKindName(domain.kind));
  if (!domain.macro.empty()) json.set("macro", domain.macro);
  json.set("cells", static_cast<int64_t>(domain.cells));
  json.set("area_um2", domain.area_um2);
  json.set("critical_path_ns", Json::numbers(domain.critical_path_ns));
  json.set("fmax_mhz", Json::numbers(domain.fmax_mhz));
  json.set("leakage_nw", Json::numbers(domain.leakage_nw));
  if (domain.kind != DomainKind::AlwaysOn) {
    json.set("gated_leakage_nw", Json::numbers(domain.gated_leakage_nw));
    json.set("switched_capacitance_pf", domain.switched_capacitance_pf);
    json.set("wake_up_time_ns", Json::numbers(domain.wake_up_time_ns));
    json.set("wake_up_energy_pj", Json::numbers(domain.wake_up_energy_pj));
    json.set("rail_change_time_ns", matrixToJson(domain.rail_change_time_ns));
    json.set("rail_change_energy_pj", matrixToJson(domain.rail_change_energy_pj));
  }
  if (domain.kind == DomainKind::SramBank) {
    json.set("retention_leakage_nw", domain.retention_leakage_nw);
    json.set("retention_voltage_v", domain.retention_voltage_v);
  }
  Json operations = Json::array();
  for (const OperationEnergy &op : domain.operations) {
    Json entry = Json::object();
    entry.set("class", op.op_class);
    entry.set("sparsity", op.sparsity);
    entry.set("energy_pj", Json::numbers(op.energy_pj));
    operations.push(std::move(entry));
  }
  json.set("operations", std::move(operations));
  return json;
}

// Reads fields with errors that name the file and the dotted path.
class FieldReader {
 public:
  FieldReader(const Json &json, std::string file, std::string path)
      : json_(json), file_(std::move(file)), path_(std::move(path)) {}

  const Json &at(const std::string &key) const {
    const Json *value = json_.find(key);
    if (!value) throw Error(5011, {file_}, name(key), "required field is missing");
    return *value;
  }
  double number(const std::string &key) const {
    return guard(key, [&] { return at(key).asNumber(); });
  }
  double numberOr(const std::string &key, double fallback) const {
    return json_.find(key) ? number(key) : fallback;
  }
  std::string string(const std::string &key) const {
    return guard(key, [&] { return at(key).asString(); });
  }
  bool boolean(const std::string &key) const {
    return guard(key, [&] { return at(key).asBool(); });
  }
  std::vector<double> numbers(const std::string &key, size_t expected_size) const {
    if (!json_.find(key)) return {};
    std::vector<double> values;
    for (const Json &item : guard(key, [&] { return at(key).asArray(); }))
      values.push_back(guard(key, [&] { return item.asNumber(); }));
    if (expected_size > 0 && values.size() != expected_size)
      throw Error(5012, {file_}, name(key),
                  fmt::format("has {} entries, one per corner ({}) expected", values.size(),
                              expected_size));
    return values;
  }
  // A corners x corners matrix ([from][to]); absent -> empty.
  std::vector<std::vector<double>> matrix(const std::string &key, size_t corners) const {
    std::vector<std::vector<double>> rows;
    if (!json_.find(key)) return rows;
    const Json::Array &array = guard(key, [&] { return at(key).asArray(); });
    if (array.size() != corners)
      throw Error(5012, {file_}, name(key),
                  fmt::format("has {} rows, one per corner ({}) expected", array.size(), corners));
    for (size_t i = 0; i < array.size(); ++i) {
      const FieldReader row(array[i], file_, fmt::format("{}[{}]", name(key), i));
      std::vector<double> values;
      for (const Json &item : row.guard("", [&] { return array[i].asArray(); }))
        values.push_back(row.guard("", [&] { return item.asNumber(); }));
      if (values.size() != corners)
        throw Error(
            5012, {file_}, fmt::format("{}[{}]", name(key), i),
            fmt::format("has {} entries, one per corner ({}) expected", values.size(), corners));
      rows.push_back(std::move(values));
    }
    return rows;
  }
  std::string name(const std::string &key) const {
    if (key.empty()) return path_;
    return path_.empty() ? key : path_ + "." + key;
  }

 private:
  template <typename F>
  auto guard(const std::string &key, F read) const -> decltype(read()) {
    try {
      return read();
    } catch (const Error &error) {
      throw Error(5013, {file_}, name(key), error.message());
    }
  }
  const Json &json_;
  std::string file_;
  std::string path_;
};

DomainKind kindFromName(const std::string &text, const FieldReader &reader) {
  for (DomainKind kind : {DomainKind::AlwaysOn, DomainKind::PeGroup, DomainKind::SramBank})
    if (text == domainKindName(kind)) return kind;
  throw Error(5014, {}, reader.name("kind"), fmt::format("unknown domain kind '{}'", text));
}

DomainCharacterization domainFromJson(const Json &json, const std::string &file,
                                      const std::string &path, size_t corners) {
  const FieldReader reader(json, file, path);
  DomainCharacterization domain;
  domain.name = reader.string("name");
  domain.kind = kindFromName(reader.string("kind"), reader);
  if (json.find("macro")) domain.macro = reader.string("macro");
  domain.cells = static_cast<long>(reader.number("cells"));
  domain.area_um2 = reader.number("area_um2");
  domain.critical_path_ns = reader.numbers("critical_path_ns", corners);
  domain.fmax_mhz = reader.numbers("fmax_mhz", corners);
  domain.leakage_nw = reader.numbers("leakage_nw", corners);
  domain.gated_leakage_nw = reader.numbers("gated_leakage_nw", corners);
  domain.switched_capacitance_pf = reader.numberOr("switched_capacitance_pf", 0);
  domain.wake_up_time_ns = reader.numbers("wake_up_time_ns", corners);
  domain.wake_up_energy_pj = reader.numbers("wake_up_energy_pj", corners);
  domain.rail_change_time_ns = reader.matrix("rail_change_time_ns", corners);
  domain.rail_change_energy_pj = reader.matrix("rail_change_energy_pj", corners);
  domain.retention_leakage_nw = reader.numberOr("retention_leakage_nw", 0);
  domain.retention_voltage_v = reader.numberOr("retention_voltage_v", 0);
  const Json::Array &operations = reader.at("operations").asArray(reader.name("operations"));
  for (size_t i = 0; i < operations.size(); ++i) {
    const FieldReader op_reader(operations[i], file, fmt::format("{}.operations[{}]", path, i));
    OperationEnergy op;
    op.op_class = op_reader.string("class");
    op.sparsity = op_reader.number("sparsity");
    op.energy_pj = op_reader.numbers("energy_pj", corners);
    domain.operations.push_back(std::move(op));
  }
  return domain;
}

}  // namespace

Json characterizationToJson(const Characterization &table) {
  Json json = Json::object();
  json.set("format", kCharacterizationFormat);
  json.set("version", kCharacterizationVersion);
  json.set("generated_by", table.generated_by);
  json.set("design", table.design);
  json.set("inputs_sha256", table.inputs_sha256);
  Json corners = Json::array();
  for (const CornerInfo &corner : table.corners) {
    Json entry = Json::object();
    entry.set("name", corner.name);
    entry.set("voltage_v", corner.voltage_v);
    if (corner.nom_process) entry.set("nom_process", *corner.nom_process);
    if (corner.nom_temperature_c) entry.set("nom_temperature_c", *corner.nom_temperature_c);
    corners.push(std::move(entry));
  }
  json.set("corners", std::move(corners));
  json.set("mixed_corners", table.mixed_corners);
  Json warnings = Json::array();
  for (const CharacterizationWarning &warning : table.warnings) {
    Json entry = Json::object();
    entry.set("id", warning.id);
    entry.set("text", warning.text);
    warnings.push(std::move(entry));
  }
  json.set("warnings", std::move(warnings));
  json.set("level_shifter_delay_ns", Json::numbers(table.level_shifter_delay_ns));
  Json domains = Json::array();
  for (const DomainCharacterization &domain : table.domains) domains.push(domainToJson(domain));
  json.set("domains", std::move(domains));
  if (table.sequencer.present) {
    const SequencerCharacterization &seq = table.sequencer;
    Json entry = Json::object();
    entry.set("module", seq.module);
    entry.set("rails", seq.rails);
    entry.set("domains", seq.domains);
    entry.set("cells", int64_t(seq.cells));
    entry.set("flip_flops", int64_t(seq.flip_flops));
    entry.set("area_um2", seq.area_um2);
    entry.set("data_activity", seq.data_activity);
    entry.set("leakage_nw", Json::numbers(seq.leakage_nw));
    entry.set("clock_energy_pj", Json::numbers(seq.clock_energy_pj));
    entry.set("energy_per_cycle_pj", Json::numbers(seq.energy_per_cycle_pj));
    json.set("sequencer", std::move(entry));
  }
  return json;
}

Characterization characterizationFromJson(const Json &json, const std::string &file) {
  const FieldReader reader(json, file, "");
  if (reader.string("format") != kCharacterizationFormat)
    throw Error(5015, {file}, "format", fmt::format("not a {} file", kCharacterizationFormat));
  const double version = reader.number("version");
  if (version != kCharacterizationVersion)
    throw Error(5016, {file}, "version",
                fmt::format("version {} is not supported (this powerflow reads version {})",
                            version, kCharacterizationVersion));
  Characterization table;
  table.generated_by = reader.string("generated_by");
  table.design = reader.string("design");
  table.inputs_sha256 = reader.string("inputs_sha256");
  const Json::Array &corners = reader.at("corners").asArray("corners");
  for (size_t i = 0; i < corners.size(); ++i) {
    const FieldReader corner_reader(corners[i], file, fmt::format("corners[{}]", i));
    CornerInfo corner{corner_reader.string("name"), corner_reader.number("voltage_v")};
    if (corners[i].find("nom_process")) corner.nom_process = corner_reader.number("nom_process");
    if (corners[i].find("nom_temperature_c"))
      corner.nom_temperature_c = corner_reader.number("nom_temperature_c");
    table.corners.push_back(std::move(corner));
  }
  // Both absent in tables written before they existed: one process, no warnings.
  if (json.find("mixed_corners")) table.mixed_corners = reader.boolean("mixed_corners");
  if (json.find("warnings")) {
    const Json::Array &warnings = reader.at("warnings").asArray("warnings");
    for (size_t i = 0; i < warnings.size(); ++i) {
      const FieldReader warning(warnings[i], file, fmt::format("warnings[{}]", i));
      table.warnings.push_back({int(warning.number("id")), warning.string("text")});
    }
  }
  table.level_shifter_delay_ns = reader.numbers("level_shifter_delay_ns", table.corners.size());
  const Json::Array &domains = reader.at("domains").asArray("domains");
  for (size_t i = 0; i < domains.size(); ++i)
    table.domains.push_back(
        domainFromJson(domains[i], file, fmt::format("domains[{}]", i), table.corners.size()));
  if (json.find("sequencer")) {
    const FieldReader seq(reader.at("sequencer"), file, "sequencer");
    SequencerCharacterization &out = table.sequencer;
    out.present = true;
    out.module = seq.string("module");
    out.rails = int(seq.number("rails"));
    out.domains = int(seq.number("domains"));
    out.cells = long(seq.number("cells"));
    out.flip_flops = long(seq.number("flip_flops"));
    out.area_um2 = seq.number("area_um2");
    out.data_activity = seq.number("data_activity");
    out.leakage_nw = seq.numbers("leakage_nw", table.corners.size());
    out.clock_energy_pj = seq.numbers("clock_energy_pj", table.corners.size());
    out.energy_per_cycle_pj = seq.numbers("energy_per_cycle_pj", table.corners.size());
  }
  return table;
}

namespace {

std::string operationLabel(const OperationEnergy &op) {
  return op.op_class == "mac_cycle" ? fmt::format("{} s={:.2f}", op.op_class, op.sparsity)
                                    : op.op_class;
}

// One row per operation of every domain, one column per corner.
std::string operationsSummary(const Characterization &table) {
  std::string text =
      "\nenergy per operation, pJ (per clock cycle of the domain; SRAM read/write: "
      "per access)\n";
  text += fmt::format("{:<12} {:<22}", "domain", "operation");
  for (const CornerInfo &corner : table.corners)
    text += fmt::format(" {:>8.2f}V", corner.voltage_v);
  text += '\n';
  for (const DomainCharacterization &domain : table.domains)
    for (size_t i = 0; i < domain.operations.size(); ++i) {
      const OperationEnergy &op = domain.operations[i];
      text += fmt::format("{:<12} {:<22}", i == 0 ? domain.name : "", operationLabel(op));
      for (size_t c = 0; c < table.corners.size(); ++c)
        text += fmt::format(" {:>9.4f}", c < op.energy_pj.size() ? op.energy_pj[c] : 0.0);
      text += '\n';
    }
  return text;
}

}  // namespace

std::string sequencerSummary(const Characterization &table) {
  const SequencerCharacterization &seq = table.sequencer;
  if (!seq.present) return "";
  std::string text = fmt::format(
      "\npower sequencer ({} rails, {} domains; in the always-on domain): {} cells, {} "
      "flip-flops, {:.1f} um2; data nets at {} toggles/cycle (modelled)\n",
      seq.rails, seq.domains, seq.cells, seq.flip_flops, seq.area_um2, seq.data_activity);
  text += fmt::format("{:>8} {:>12} {:>16} {:>16}\n", "V", "leakage_nW", "clock_pJ/cycle",
                      "total_pJ/cycle");
  for (size_t c = 0; c < table.corners.size(); ++c)
    text += fmt::format("{:>8.2f} {:>12.2f} {:>16.3f} {:>16.3f}\n", table.corners[c].voltage_v,
                        seq.leakage_nw[c], seq.clock_energy_pj[c], seq.energy_per_cycle_pj[c]);
  return text;
}

// The warnings first, so nobody reads the numbers without them; a mixed set also lists
// what each corner is.
std::string warningsSummary(const Characterization &table) {
  std::string text;
  for (const CharacterizationWarning &warning : table.warnings) text += warning.text + "\n";
  if (table.mixed_corners) {
    text += "corners (not one process at several voltages):";
    for (const CornerInfo &corner : table.corners) {
      text += fmt::format(" {} {:.2f} V", corner.name, corner.voltage_v);
      if (corner.nom_process) text += fmt::format(" process {}", *corner.nom_process);
      if (corner.nom_temperature_c) text += fmt::format(" {} C", *corner.nom_temperature_c);
      text += ";";
    }
    text.back() = '\n';
  }
  return text.empty() ? text : text + "\n";
}

std::string characterizationSummary(const Characterization &table) {
  std::string text =
      fmt::format("characterization of {} ({} corners)\n", table.design, table.corners.size()) +
      warningsSummary(table);
  text += fmt::format("{:<12} {:<10} {:>8} {:>12} {:>8} {:>10} {:>12}\n", "domain", "kind", "cells",
                      "area_um2", "V", "fmax_MHz", "leakage_nW");
  for (const DomainCharacterization &domain : table.domains)
    for (size_t c = 0; c < table.corners.size(); ++c) {
      const double fmax = c < domain.fmax_mhz.size() ? domain.fmax_mhz[c] : 0;
      const double leakage = c < domain.leakage_nw.size() ? domain.leakage_nw[c] : 0;
      const bool first = c == 0;  // name, kind, cells and area once per domain
      text += fmt::format("{:<12} {:<10} {:>8} {:>12} {:>8.2f} {:>10.1f} {:>12.2f}\n",
                          first ? domain.name : "", first ? domainKindName(domain.kind) : "",
                          first ? fmt::format("{}", domain.cells) : "",
                          first ? fmt::format("{:.1f}", domain.area_um2) : "",
                          table.corners[c].voltage_v, fmax, leakage);
    }
  return text + operationsSummary(table) + sequencerSummary(table);
}

Characterization readCharacterization(const std::string &path) {
  return characterizationFromJson(parseJson(readTextFile(path), path), path);
}

}  // namespace pf
