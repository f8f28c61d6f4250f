#include "gen/Manifest.hh"

#include <fmt/format.h>

#include "core/Error.hh"
#include "core/Files.hh"
#include "core/JsonNode.hh"

namespace pf::gen {

namespace {

Json pairsToJson(const std::vector<std::pair<std::string, std::string>> &pairs) {
  Json json = Json::object();
  for (const auto &[key, value] : pairs) json.set(key, value);
  return json;
}

// The reader's numbers for the field reader's problems; the others are core's.
void manifestMessage(const JsonProblem &problem) {
  if (problem.kind == JsonProblem::Kind::Format)
    problem.raise(8701, "expected \"{}\", found {} (this is not a {} file)");
  if (problem.kind == JsonProblem::Kind::Missing) problem.raise(8702, "required field is missing");
}

int intFrom(const JsonNode &node) { return int(node.integer(INT32_MIN, INT32_MAX)); }

// An object with free keys (roles) and string values.
std::vector<std::pair<std::string, std::string>> pairsFrom(const JsonNode &node) {
  std::vector<std::pair<std::string, std::string>> result;
  for (const auto &[name, entry] : node.members()) result.emplace_back(name, entry.string());
  return result;
}

template <typename T>
std::vector<T> listFrom(const JsonNode &node) {
  std::vector<T> result;
  for (const JsonNode &entry : node.items()) {
    if constexpr (std::is_same_v<T, std::string>)
      result.push_back(entry.string());
    else if constexpr (std::is_same_v<T, bool>)
      result.push_back(entry.boolean());
    else
      result.push_back(intFrom(entry));
  }
  return result;
}

}  // namespace

Json genManifestToJson(const GenManifest &m) {
  Json json = Json::object();
  json.set("format", kGenManifestFormat);
  json.set("version", kGenManifestVersion);
  json.set("generated_by", m.generated_by);
  json.set("inputs", pairsToJson(m.inputs));
  json.set("input_hashes", pairsToJson(m.input_hashes));
  json.set("design_name", m.design_name);
  json.set("network", m.network);
  Json seq = Json::object();
  seq.set("module", m.sequencer.module_name);
  seq.set("rails", m.sequencer.rails);
  seq.set("domains", m.sequencer.domains);
  seq.set("dividers", m.sequencer.dividers);
  seq.set("rom_depth", m.sequencer.rom_depth);
  seq.set("pg_timeout_cycles", m.sequencer.pg_timeout_cycles);
  Json retention = Json::array();
  for (bool flag : m.sequencer.has_retention) retention.push(flag);
  seq.set("has_retention", std::move(retention));
  Json limits = Json::array();
  for (int limit : m.sequencer.div_min) limits.push(limit);
  seq.set("div_min", std::move(limits));
  Json names = Json::array();
  for (const std::string &name : m.domains) names.push(name);
  seq.set("domain_names", std::move(names));
  Json dividers = Json::array();
  for (int divider : m.dividers) dividers.push(divider);
  seq.set("divider_values", std::move(dividers));
  json.set("sequencer", std::move(seq));
  Json program = Json::object();
  program.set("words", m.program_words);
  program.set("loop_address", m.loop_address);
  json.set("program", std::move(program));
  json.set("files", pairsToJson(m.files));
  json.set("file_hashes", pairsToJson(m.file_hashes));
  return json;
}

GenManifest genManifestFromJson(const Json &json, const std::string &file) {
  const JsonNode node(json, file, manifestMessage);
  node.checkFormat(kGenManifestFormat, {kGenManifestVersion}, "re-run `powerflow gen`");
  const JsonObject root =
      node.object({"format", "version", "generated_by", "inputs", "input_hashes", "design_name",
                   "network", "sequencer", "program", "files", "file_hashes"});
  GenManifest m;
  m.generated_by = root["generated_by"].string();
  m.inputs = pairsFrom(root["inputs"]);
  m.input_hashes = pairsFrom(root["input_hashes"]);
  m.design_name = root["design_name"].string();
  m.network = root["network"].string();
  const JsonObject seq = root["sequencer"].object(
      {"module", "rails", "domains", "dividers", "rom_depth", "pg_timeout_cycles", "has_retention",
       "div_min", "domain_names", "divider_values"});
  m.sequencer.module_name = seq["module"].string();
  m.sequencer.rails = intFrom(seq["rails"]);
  m.sequencer.domains = intFrom(seq["domains"]);
  m.sequencer.dividers = intFrom(seq["dividers"]);
  m.sequencer.rom_depth = intFrom(seq["rom_depth"]);
  m.sequencer.pg_timeout_cycles = intFrom(seq["pg_timeout_cycles"]);
  m.sequencer.has_retention = listFrom<bool>(seq["has_retention"]);
  m.sequencer.div_min = listFrom<int>(seq["div_min"]);
  m.domains = listFrom<std::string>(seq["domain_names"]);
  m.dividers = listFrom<int>(seq["divider_values"]);
  const std::vector<std::string> problems = checkSequencerParams(m.sequencer);
  if (!problems.empty())
    seq.fail(8703, fmt::format("sequencer parameters gen does not make: {}", problems.front()));
  if (m.domains.size() != size_t(m.sequencer.domains) ||
      m.dividers.size() != size_t(m.sequencer.dividers))
    seq.fail(8704, "domain_names/divider_values do not match domains/dividers");
  const JsonObject program = root["program"].object({"words", "loop_address"});
  m.program_words = intFrom(program["words"]);
  m.loop_address = intFrom(program["loop_address"]);
  m.files = pairsFrom(root["files"]);
  m.file_hashes = pairsFrom(root["file_hashes"]);
  return m;
}

GenManifest genManifestFromText(const std::string &text, const std::string &file) {
  return genManifestFromJson(parseJson(text, file), file);
}

GenManifest readGenManifest(const std::string &path) {
  return genManifestFromText(readTextFile(path), path);
}

}  // namespace pf::gen
