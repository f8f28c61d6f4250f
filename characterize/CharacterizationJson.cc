// Characterization <-> JSON. Field names carry their units; per-corner arrays follow
// the "corners" array.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "characterize/Characterization.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/JsonNode.hh"

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

// The reader's numbers for the field reader's problems; the others (an unknown field, a
// number out of range, an array of another length) are core's.
void characterizationMessage(const JsonProblem &problem) {
  using Kind = JsonProblem::Kind;
  switch (problem.kind) {
    case Kind::Format:
      problem.raise(5015, "expected \"{}\", found {} (this is not a {} file)");
    case Kind::Version:
      problem.raise(5016, "{} is not supported: this powerflow reads {}");
    case Kind::Missing:
      problem.raise(5011, "required field is missing");
    case Kind::Type:
      problem.raise(5013, "expected {}, found {}");
    default:
      return;
  }
}

// Per-corner numbers; an absent key reads as none (a domain kind without the figure).
std::vector<double> numbersFrom(const JsonObject &object, std::string_view key, size_t corners) {
  const std::optional<JsonNode> node = object.find(key);
  if (!node) return {};
  std::vector<double> values;
  for (const JsonNode &item : node->items()) values.push_back(item.number());
  if (corners > 0 && values.size() != corners)
    node->fail(5012,
               fmt::format("has {} entries, one per corner ({}) expected", values.size(), corners));
  return values;
}

std::vector<std::string> stringsFrom(const JsonNode &node) {
  std::vector<std::string> values;
  for (const JsonNode &item : node.items()) values.push_back(item.string());
  return values;
}

// A corners x corners matrix ([from][to]); absent -> empty.
std::vector<std::vector<double>> matrixFrom(const JsonObject &object, std::string_view key,
                                            size_t corners) {
  std::vector<std::vector<double>> rows;
  const std::optional<JsonNode> node = object.find(key);
  if (!node) return rows;
  if (node->size() != corners)
    node->fail(5018,
               fmt::format("has {} rows, one per corner ({}) expected", node->size(), corners));
  for (const JsonNode &row : node->items()) {
    std::vector<double> values;
    for (const JsonNode &item : row.items()) values.push_back(item.number());
    if (values.size() != corners)
      row.fail(5012,
               fmt::format("has {} entries, one per corner ({}) expected", values.size(), corners));
    rows.push_back(std::move(values));
  }
  return rows;
}

double numberOr(const JsonObject &object, std::string_view key, double fallback) {
  const std::optional<JsonNode> node = object.find(key);
  return node ? node->number() : fallback;
}

FigureSource sourceFrom(const JsonNode &node) {
  const std::string &text = node.string();
  for (FigureSource source : {FigureSource::Library, FigureSource::PowerModel,
                              FigureSource::StubDefault, FigureSource::Options, FigureSource::None})
    if (text == figureSourceName(source)) return source;
  node.fail(
      5017,
      fmt::format("unknown source '{}' (library, power_model, stub_default, options, none)", text));
}

// {"figure": {"source": ..., "from": ..., "borrowed": ..., "remark": ...}, ...}: the keys
// are figure names.
ProvenanceList provenanceFrom(const JsonNode &node) {
  ProvenanceList list;
  for (const auto &[figure, value] : node.members()) {
    const JsonObject tag = value.object({"source", "from", "borrowed", "remark"});
    FigureProvenance entry;
    entry.figure = figure;
    entry.source = sourceFrom(tag["source"]);
    entry.from = tag["from"].string();
    entry.borrowed = tag["borrowed"].boolean();
    if (const auto remark = tag.find("remark")) entry.remark = remark->string();
    list.push_back(std::move(entry));
  }
  return list;
}

TableProvenance tableProvenanceFrom(const JsonNode &node) {
  const JsonObject reader = node.object({"power_model", "power_management_cells", "figures"});
  TableProvenance provenance;
  const JsonObject model = reader["power_model"].object(
      {"source", "file", "process", "voltage_range_v", "borrowed", "remark"});
  PowerModelProvenance &power = provenance.power_model;
  power.source = sourceFrom(model["source"]);
  power.file = model["file"].string();
  power.process = model["process"].string();
  const JsonNode range = model["voltage_range_v"].requireSize(2);
  power.min_v = range[0].number(), power.max_v = range[1].number();
  power.borrowed = model["borrowed"].boolean();
  if (const auto remark = model.find("remark")) power.remark = remark->string();
  const JsonObject cells =
      reader["power_management_cells"].object({"header_switch", "isolation", "level_shifter"});
  provenance.cells = {cells["header_switch"].string(), cells["isolation"].string(),
                      cells["level_shifter"].string()};
  provenance.figures = provenanceFrom(reader["figures"]);
  return provenance;
}

DomainKind kindFrom(const JsonNode &node) {
  const std::string &text = node.string();
  for (DomainKind kind : {DomainKind::AlwaysOn, DomainKind::PeGroup, DomainKind::SramBank})
    if (text == domainKindName(kind)) return kind;
  node.fail(5014, fmt::format("unknown domain kind '{}'", text));
}

DomainCharacterization domainFrom(const JsonNode &node, size_t corners, int version) {
  std::vector<std::string_view> fields = {"name",
                                          "kind",
                                          "macro",
                                          "cells",
                                          "area_um2",
                                          "critical_path_ns",
                                          "fmax_mhz",
                                          "leakage_nw",
                                          "gated_leakage_nw",
                                          "switched_capacitance_pf",
                                          "wake_up_time_ns",
                                          "wake_up_energy_pj",
                                          "rail_change_time_ns",
                                          "rail_change_energy_pj",
                                          "retention_leakage_nw",
                                          "retention_voltage_v",
                                          "operations"};
  if (version >= 2) fields.push_back("provenance");
  const JsonObject reader = node.object(fields);
  DomainCharacterization domain;
  domain.name = reader["name"].string();
  domain.kind = kindFrom(reader["kind"]);
  if (const auto macro = reader.find("macro")) domain.macro = macro->string();
  domain.cells = long(reader["cells"].integer(0, INT64_MAX));
  domain.area_um2 = reader["area_um2"].number();
  domain.critical_path_ns = numbersFrom(reader, "critical_path_ns", corners);
  domain.fmax_mhz = numbersFrom(reader, "fmax_mhz", corners);
  domain.leakage_nw = numbersFrom(reader, "leakage_nw", corners);
  domain.gated_leakage_nw = numbersFrom(reader, "gated_leakage_nw", corners);
  domain.switched_capacitance_pf = numberOr(reader, "switched_capacitance_pf", 0);
  domain.wake_up_time_ns = numbersFrom(reader, "wake_up_time_ns", corners);
  domain.wake_up_energy_pj = numbersFrom(reader, "wake_up_energy_pj", corners);
  domain.rail_change_time_ns = matrixFrom(reader, "rail_change_time_ns", corners);
  domain.rail_change_energy_pj = matrixFrom(reader, "rail_change_energy_pj", corners);
  domain.retention_leakage_nw = numberOr(reader, "retention_leakage_nw", 0);
  domain.retention_voltage_v = numberOr(reader, "retention_voltage_v", 0);
  for (const JsonNode &item : reader["operations"].items()) {
    const JsonObject op_reader = item.object({"class", "sparsity", "energy_pj"});
    OperationEnergy op;
    op.op_class = op_reader["class"].string();
    op.sparsity = op_reader["sparsity"].number();
    op.energy_pj = numbersFrom(op_reader, "energy_pj", corners);
    domain.operations.push_back(std::move(op));
  }
  if (version >= 2) domain.provenance = provenanceFrom(reader["provenance"]);
  return domain;
}

SequencerCharacterization sequencerFrom(const JsonNode &node, size_t corners, int version) {
  std::vector<std::string_view> fields = {
      "module",   "rails",         "domains",    "cells",           "flip_flops",
      "area_um2", "data_activity", "leakage_nw", "clock_energy_pj", "energy_per_cycle_pj"};
  if (version >= 2) fields.push_back("provenance");
  const JsonObject seq = node.object(fields);
  SequencerCharacterization out;
  out.present = true;
  out.module = seq["module"].string();
  out.rails = int(seq["rails"].integer(0, 1'000'000));
  out.domains = int(seq["domains"].integer(0, 1'000'000));
  out.cells = long(seq["cells"].integer(0, INT64_MAX));
  out.flip_flops = long(seq["flip_flops"].integer(0, INT64_MAX));
  out.area_um2 = seq["area_um2"].number();
  out.data_activity = seq["data_activity"].number();
  out.leakage_nw = numbersFrom(seq, "leakage_nw", corners);
  out.clock_energy_pj = numbersFrom(seq, "clock_energy_pj", corners);
  out.energy_per_cycle_pj = numbersFrom(seq, "energy_per_cycle_pj", corners);
  if (version >= 2) out.provenance = provenanceFrom(seq["provenance"]);
  return out;
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
  const JsonNode node(json, file, characterizationMessage);
  // Version 1 (before provenance) is still read; its provenance stays empty.
  const int version = node.checkFormat(kCharacterizationFormat, {1, kCharacterizationVersion},
                                       "re-run `powerflow characterize`");
  std::vector<std::string_view> fields = {
      "format",        "version",  "generated_by",           "design",  "inputs_sha256", "corners",
      "mixed_corners", "warnings", "level_shifter_delay_ns", "domains", "sequencer"};
  if (version >= 2) fields.push_back("provenance");
  const JsonObject reader = node.object(fields);
  Characterization table;
  table.generated_by = reader["generated_by"].string();
  table.design = reader["design"].string();
  table.inputs_sha256 = reader["inputs_sha256"].string();
  std::vector<std::string_view> corner_fields = {"name", "voltage_v", "nom_process",
                                                 "nom_temperature_c"};
  if (version >= 2) corner_fields.insert(corner_fields.end(), {"liberty", "sram_liberty"});
  for (const JsonNode &item : reader["corners"].items()) {
    const JsonObject corner_reader = item.object(corner_fields);
    CornerInfo corner{corner_reader["name"].string(), corner_reader["voltage_v"].number()};
    if (const auto process = corner_reader.find("nom_process"))
      corner.nom_process = process->number();
    if (const auto temperature = corner_reader.find("nom_temperature_c"))
      corner.nom_temperature_c = temperature->number();
    if (version >= 2) {
      corner.liberty = stringsFrom(corner_reader["liberty"]);
      corner.sram_liberty = stringsFrom(corner_reader["sram_liberty"]);
    }
    table.corners.push_back(std::move(corner));
  }
  // Both absent in version 1 tables written before they existed (one process, no
  // warnings); required from version 2.
  if (version >= 2 || reader.has("mixed_corners"))
    table.mixed_corners = reader["mixed_corners"].boolean();
  if (version >= 2 || reader.has("warnings"))
    for (const JsonNode &item : reader["warnings"].items()) {
      const JsonObject warning = item.object({"id", "text"});
      table.warnings.push_back({int(warning["id"].integer(0, 9999)), warning["text"].string()});
    }
  if (version >= 2) table.provenance = tableProvenanceFrom(reader["provenance"]);
  table.level_shifter_delay_ns =
      numbersFrom(reader, "level_shifter_delay_ns", table.corners.size());
  for (const JsonNode &domain : reader["domains"].items())
    table.domains.push_back(domainFrom(domain, table.corners.size(), version));
  if (const auto sequencer = reader.find("sequencer"))
    table.sequencer = sequencerFrom(*sequencer, table.corners.size(), version);
  return table;
}

Characterization characterizationFromText(const std::string &text, const std::string &file) {
  return characterizationFromJson(parseJson(text, file), file);
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
  return characterizationFromText(readTextFile(path), path);
}

}  // namespace pf
