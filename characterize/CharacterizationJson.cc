// Characterization <-> JSON. Field names carry their units; per-corner arrays follow
// the "corners" array.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
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

const char *figureSourceName(FigureSource source) {
  switch (source) {
    case FigureSource::Library:
      return "library";
    case FigureSource::PowerModel:
      return "power_model";
    case FigureSource::StubDefault:
      return "stub_default";
    case FigureSource::Options:
      return "options";
    case FigureSource::None:
      break;
  }
  return "none";
}

const FigureProvenance *findProvenance(const ProvenanceList &list, const std::string &figure) {
  for (const FigureProvenance &entry : list)
    if (entry.figure == figure) return &entry;
  return nullptr;
}

namespace {

Json provenanceToJson(const ProvenanceList &list) {
  Json json = Json::object();
  for (const FigureProvenance &entry : list) {
    Json tag = Json::object();
    tag.set("source", figureSourceName(entry.source));
    tag.set("from", entry.from);
    tag.set("borrowed", entry.borrowed);
    if (!entry.remark.empty()) tag.set("remark", entry.remark);
    json.set(entry.figure, std::move(tag));
  }
  return json;
}

Json tableProvenanceToJson(const TableProvenance &provenance) {
  Json json = Json::object();
  const PowerModelProvenance &model = provenance.power_model;
  Json power = Json::object();
  power.set("source", figureSourceName(model.source));
  power.set("file", model.file);
  power.set("process", model.process);
  power.set("voltage_range_v", Json::numbers({model.min_v, model.max_v}));
  power.set("borrowed", model.borrowed);
  if (!model.remark.empty()) power.set("remark", model.remark);
  json.set("power_model", std::move(power));
  Json cells = Json::object();
  cells.set("header_switch", provenance.cells.header_switch);
  cells.set("isolation", provenance.cells.isolation);
  cells.set("level_shifter", provenance.cells.level_shifter);
  json.set("power_management_cells", std::move(cells));
  json.set("figures", provenanceToJson(provenance.figures));
  return json;
}

Json stringsToJson(const std::vector<std::string> &values) {
  Json json = Json::array();
  for (const std::string &value : values) json.push(value);
  return json;
}

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
  json.set("provenance", provenanceToJson(domain.provenance));
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
  std::vector<std::string> strings(const std::string &key) const {
    std::vector<std::string> values;
    for (const Json &item : guard(key, [&] { return at(key).asArray(); }))
      values.push_back(guard(key, [&] { return item.asString(); }));
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

  // Runs `read`, turning a JSON type error into one naming the file and field `key`.
  template <typename F>
  auto guard(const std::string &key, F read) const -> decltype(read()) {
    try {
      return read();
    } catch (const Error &error) {
      throw Error(5013, {file_}, name(key), error.message());
    }
  }

 private:
  const Json &json_;
  std::string file_;
  std::string path_;
};

FigureSource sourceFromName(const std::string &text, const FieldReader &reader) {
  for (FigureSource source : {FigureSource::Library, FigureSource::PowerModel,
                              FigureSource::StubDefault, FigureSource::Options, FigureSource::None})
    if (text == figureSourceName(source)) return source;
  throw Error(
      5017, {}, reader.name("source"),
      fmt::format("unknown source '{}' (library, power_model, stub_default, options, none)", text));
}

// {"figure": {"source": ..., "from": ..., "borrowed": ..., "remark": ...}, ...}
ProvenanceList provenanceFromJson(const Json &json, const std::string &file,
                                  const std::string &path) {
  ProvenanceList list;
  const FieldReader holder(json, file, path);
  for (const auto &[figure, value] : holder.guard("", [&] { return json.asObject(); })) {
    const FieldReader tag(value, file, path + "." + figure);
    FigureProvenance entry;
    entry.figure = figure;
    entry.source = sourceFromName(tag.string("source"), tag);
    entry.from = tag.string("from");
    entry.borrowed = tag.boolean("borrowed");
    if (value.find("remark")) entry.remark = tag.string("remark");
    list.push_back(std::move(entry));
  }
  return list;
}

TableProvenance tableProvenanceFromJson(const Json &json, const std::string &file) {
  const FieldReader reader(json, file, "provenance");
  TableProvenance provenance;
  const FieldReader model(reader.at("power_model"), file, "provenance.power_model");
  PowerModelProvenance &power = provenance.power_model;
  power.source = sourceFromName(model.string("source"), model);
  power.file = model.string("file");
  power.process = model.string("process");
  const std::vector<double> range = model.numbers("voltage_range_v", 2);
  if (range.size() != 2)
    throw Error(5011, {file}, model.name("voltage_range_v"), "required field is missing");
  power.min_v = range[0], power.max_v = range[1];
  power.borrowed = model.boolean("borrowed");
  if (reader.at("power_model").find("remark")) power.remark = model.string("remark");
  const FieldReader cells(reader.at("power_management_cells"), file,
                          "provenance.power_management_cells");
  provenance.cells = {cells.string("header_switch"), cells.string("isolation"),
                      cells.string("level_shifter")};
  provenance.figures = provenanceFromJson(reader.at("figures"), file, "provenance.figures");
  return provenance;
}

DomainKind kindFromName(const std::string &text, const FieldReader &reader) {
  for (DomainKind kind : {DomainKind::AlwaysOn, DomainKind::PeGroup, DomainKind::SramBank})
    if (text == domainKindName(kind)) return kind;
  throw Error(5014, {}, reader.name("kind"), fmt::format("unknown domain kind '{}'", text));
}

DomainCharacterization domainFromJson(const Json &json, const std::string &file,
                                      const std::string &path, size_t corners, int version) {
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
  if (version >= 2)
    domain.provenance =
        provenanceFromJson(reader.at("provenance"), file, reader.name("provenance"));
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
    entry.set("liberty", stringsToJson(corner.liberty));
    entry.set("sram_liberty", stringsToJson(corner.sram_liberty));
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
  json.set("provenance", tableProvenanceToJson(table.provenance));
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
    entry.set("provenance", provenanceToJson(seq.provenance));
    json.set("sequencer", std::move(entry));
  }
  return json;
}

Characterization characterizationFromJson(const Json &json, const std::string &file) {
  const FieldReader reader(json, file, "");
  if (reader.string("format") != kCharacterizationFormat)
    throw Error(5015, {file}, "format", fmt::format("not a {} file", kCharacterizationFormat));
  const double version_number = reader.number("version");
  // Version 1 (before provenance) is still read; its provenance stays empty.
  if (version_number != 1 && version_number != kCharacterizationVersion)
    throw Error(5016, {file}, "version",
                fmt::format("version {} is not supported (this powerflow reads versions 1 to {})",
                            version_number, kCharacterizationVersion));
  const int version = int(version_number);
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
    if (version >= 2) {
      corner.liberty = corner_reader.strings("liberty");
      corner.sram_liberty = corner_reader.strings("sram_liberty");
    }
    table.corners.push_back(std::move(corner));
  }
  // Both absent in version 1 tables written before they existed (one process, no
  // warnings); required from version 2.
  if (version >= 2 || json.find("mixed_corners"))
    table.mixed_corners = reader.boolean("mixed_corners");
  if (version >= 2 || json.find("warnings")) {
    const Json::Array &warnings = reader.at("warnings").asArray("warnings");
    for (size_t i = 0; i < warnings.size(); ++i) {
      const FieldReader warning(warnings[i], file, fmt::format("warnings[{}]", i));
      table.warnings.push_back({int(warning.number("id")), warning.string("text")});
    }
  }
  if (version >= 2) table.provenance = tableProvenanceFromJson(reader.at("provenance"), file);
  table.level_shifter_delay_ns = reader.numbers("level_shifter_delay_ns", table.corners.size());
  const Json::Array &domains = reader.at("domains").asArray("domains");
  for (size_t i = 0; i < domains.size(); ++i)
    table.domains.push_back(domainFromJson(domains[i], file, fmt::format("domains[{}]", i),
                                           table.corners.size(), version));
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
    if (version >= 2)
      out.provenance = provenanceFromJson(seq.at("provenance"), file, "sequencer.provenance");
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

namespace {

bool sameProvenance(const FigureProvenance &a, const FigureProvenance &b) {
  return a.figure == b.figure && a.source == b.source && a.from == b.from &&
         a.borrowed == b.borrowed && a.remark == b.remark;
}

bool recorded(const TableProvenance &provenance) {
  return provenance.power_model.source != FigureSource::None || !provenance.figures.empty();
}

// A figure family and one provenance of it, with the parts of the table that share it.
struct ProvenanceGroup {
  int part;  // 0 the whole table, 1 the domains, 2 the sequencer
  const FigureProvenance *tag;
  std::vector<std::string> owners;  // "table", domain names, "sequencer"
};

// The table's figures first, then the domains', then the sequencer's; within each, the
// families in the order the lists give them.
std::vector<ProvenanceGroup> provenanceGroups(const Characterization &table) {
  std::vector<ProvenanceGroup> groups;
  std::vector<std::string> figures[3];  // per part, in order
  auto add = [&](int part, const std::string &owner, const ProvenanceList &list) {
    // A family not seen before goes right after the one before it in this list, so the
    // order of every list is kept (an always-on domain has fewer families than a bank).
    std::vector<std::string> &order = figures[part];
    size_t next = 0;
    for (const FigureProvenance &tag : list) {
      auto known = std::find(order.begin(), order.end(), tag.figure);
      if (known == order.end())
        known =
            order.insert(order.begin() + std::ptrdiff_t(std::min(next, order.size())), tag.figure);
      next = size_t(known - order.begin()) + 1;
      auto same = std::find_if(groups.begin(), groups.end(), [&](const ProvenanceGroup &group) {
        return group.part == part && sameProvenance(*group.tag, tag);
      });
      if (same == groups.end())
        groups.push_back({part, &tag, {owner}});
      else
        same->owners.push_back(owner);
    }
  };
  add(0, "table", table.provenance.figures);
  for (const DomainCharacterization &domain : table.domains) add(1, domain.name, domain.provenance);
  if (table.sequencer.present) add(2, "sequencer", table.sequencer.provenance);
  auto rank = [&](const ProvenanceGroup &group) {
    const std::vector<std::string> &order = figures[group.part];
    return std::make_pair(group.part,
                          std::find(order.begin(), order.end(), group.tag->figure) - order.begin());
  };
  std::stable_sort(
      groups.begin(), groups.end(),
      [&](const ProvenanceGroup &a, const ProvenanceGroup &b) { return rank(a) < rank(b); });
  return groups;
}

// "all switchable domains (13)" where the owners are exactly such a set, else the names.
std::string ownersText(const Characterization &table, const std::vector<std::string> &owners) {
  auto names = [&](auto keep) {
    std::vector<std::string> list;
    for (const DomainCharacterization &domain : table.domains)
      if (keep(domain)) list.push_back(domain.name);
    return list;
  };
  const std::pair<std::string, std::vector<std::string>> sets[] = {
      {"all domains", names([](const DomainCharacterization &) { return true; })},
      {"all switchable domains",
       names([](const DomainCharacterization &d) { return d.kind != DomainKind::AlwaysOn; })},
      {"all SRAM banks",
       names([](const DomainCharacterization &d) { return d.kind == DomainKind::SramBank; })},
      {"all PE groups",
       names([](const DomainCharacterization &d) { return d.kind == DomainKind::PeGroup; })}};
  for (const auto &[label, set] : sets)
    if (set.size() > 1 && set == owners) return fmt::format("{} ({})", label, set.size());
  return fmt::format("{}", fmt::join(owners, ", "));
}

std::string cellName(const std::string &cell) { return cell.empty() ? "none" : cell; }

// Where every figure comes from, one line per figure family and provenance; '!' flags a
// borrowed figure, '-' a figure that is not there (zero or absent).
std::string provenanceSummary(const Characterization &table) {
  if (!recorded(table.provenance)) return "";
  const TableProvenance &provenance = table.provenance;
  const PowerModelProvenance &model = provenance.power_model;
  std::string text =
      "\nprovenance (where each figure comes from; '!' borrowed: not from your libraries or "
      "power model; '-' no figure)\n";
  text += fmt::format(
      "{} power model: {} ({}tables {:.2f}-{:.2f} V): {}{}\n", model.borrowed ? '!' : ' ',
      model.file.empty() ? "the stub PDK's, built in" : model.file,
      model.process.empty() ? "" : "process " + model.process + ", ", model.min_v, model.max_v,
      figureSourceName(model.source), model.remark.empty() ? "" : "; " + model.remark);
  text += fmt::format(
      "  power-management cells in the synthesis corner's libraries: header switch {}, "
      "isolation {}, level shifter {}\n",
      cellName(provenance.cells.header_switch), cellName(provenance.cells.isolation),
      cellName(provenance.cells.level_shifter));
  text += fmt::format("  {:<24} {:<13} {}\n", "figure", "source", "of");
  for (const ProvenanceGroup &group : provenanceGroups(table)) {
    const FigureProvenance &tag = *group.tag;
    const char flag = tag.borrowed ? '!' : tag.source == FigureSource::None ? '-' : ' ';
    text += fmt::format("{} {:<24} {:<13} {}\n", flag, tag.figure, figureSourceName(tag.source),
                        ownersText(table, group.owners));
    text += fmt::format("      from: {}\n", tag.from);
    if (!tag.remark.empty())
      text += fmt::format("      {}: {}\n", tag.borrowed ? "borrowed" : "remark", tag.remark);
  }
  return text;
}

// One line on top naming the borrowed figure families, so nobody misses them.
std::string borrowedSummary(const Characterization &table) {
  std::vector<std::string> borrowed;
  if (table.provenance.power_model.borrowed) borrowed.push_back("power model");
  for (const ProvenanceGroup &group : provenanceGroups(table))
    if (group.tag->borrowed &&
        std::find(borrowed.begin(), borrowed.end(), group.tag->figure) == borrowed.end())
      borrowed.push_back(group.tag->figure);
  if (borrowed.empty()) return "";
  return fmt::format(
      "borrowed figures (not from your libraries or power model): {}; flagged '!' under "
      "provenance below\n\n",
      fmt::join(borrowed, ", "));
}

}  // namespace

std::string characterizationSummary(const Characterization &table) {
  std::string text =
      fmt::format("characterization of {} ({} corners)\n", table.design, table.corners.size()) +
      warningsSummary(table) + borrowedSummary(table);
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
  return text + operationsSummary(table) + sequencerSummary(table) + provenanceSummary(table);
}

Characterization readCharacterization(const std::string &path) {
  return characterizationFromJson(parseJson(readTextFile(path), path), path);
}

}  // namespace pf
