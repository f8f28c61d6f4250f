#include "gen/Manifest.hh"

#include <fmt/format.h>

#include "core/Error.hh"
#include "core/Files.hh"

namespace pf::gen {

namespace {

Json pairsToJson(const std::vector<std::pair<std::string, std::string>> &pairs) {
  Json json = Json::object();
  for (const auto &[key, value] : pairs) json.set(key, value);
  return json;
}

class Reader {
 public:
  Reader(const Json &root, const std::string &file) : root_(root), file_(file) {}

  [[noreturn]] void fail(int id, const std::string &field, const std::string &why) const {
    throw Error(id, {file_, 0, 0}, field, why);
  }

  const Json &at(const Json &object, const std::string &key, const std::string &field) const {
    if (!object.isObject()) fail(8702, field, "expected an object");
    const Json *value = object.find(key);
    if (!value) fail(8702, field + (field.empty() ? "" : ".") + key, "missing");
    return *value;
  }

  std::string text(const Json &object, const std::string &key, const std::string &field) const {
    const Json &value = at(object, key, field);
    if (!value.isString()) fail(8702, field + "." + key, "expected a string");
    return value.asString();
  }

  int integer(const Json &object, const std::string &key, const std::string &field) const {
    const Json &value = at(object, key, field);
    if (!value.isNumber() || value.asNumber() != double(int64_t(value.asNumber())))
      fail(8702, field + "." + key, "expected an integer");
    return int(value.asNumber());
  }

  std::vector<std::pair<std::string, std::string>> pairs(const std::string &key) const {
    const Json &value = at(root_, key, "");
    if (!value.isObject()) fail(8702, key, "expected an object");
    std::vector<std::pair<std::string, std::string>> result;
    for (const auto &[name, entry] : value.asObject()) {
      if (!entry.isString()) fail(8702, key + "." + name, "expected a string");
      result.emplace_back(name, entry.asString());
    }
    return result;
  }

  template <typename T>
  std::vector<T> list(const Json &object, const std::string &key, const std::string &field) const {
    const Json &value = at(object, key, field);
    if (!value.isArray()) fail(8702, field + "." + key, "expected an array");
    std::vector<T> result;
    for (const Json &entry : value.asArray()) {
      if constexpr (std::is_same_v<T, std::string>) {
        if (!entry.isString()) fail(8702, field + "." + key, "expected strings");
        result.push_back(entry.asString());
      } else if constexpr (std::is_same_v<T, bool>) {
        if (!entry.isBool()) fail(8702, field + "." + key, "expected booleans");
        result.push_back(entry.asBool());
      } else {
        if (!entry.isNumber()) fail(8702, field + "." + key, "expected numbers");
        result.push_back(T(entry.asNumber()));
      }
    }
    return result;
  }

 private:
  const Json &root_;
  const std::string &file_;
};

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
  Reader in(json, file);
  if (in.text(json, "format", "") != kGenManifestFormat ||
      in.integer(json, "version", "") != kGenManifestVersion)
    in.fail(8701, "format",
            fmt::format("not a {} version {} file", kGenManifestFormat, kGenManifestVersion));
  GenManifest m;
  m.generated_by = in.text(json, "generated_by", "");
  m.inputs = in.pairs("inputs");
  m.input_hashes = in.pairs("input_hashes");
  m.design_name = in.text(json, "design_name", "");
  m.network = in.text(json, "network", "");
  const Json &seq = in.at(json, "sequencer", "");
  m.sequencer.module_name = in.text(seq, "module", "sequencer");
  m.sequencer.rails = in.integer(seq, "rails", "sequencer");
  m.sequencer.domains = in.integer(seq, "domains", "sequencer");
  m.sequencer.dividers = in.integer(seq, "dividers", "sequencer");
  m.sequencer.rom_depth = in.integer(seq, "rom_depth", "sequencer");
  m.sequencer.pg_timeout_cycles = in.integer(seq, "pg_timeout_cycles", "sequencer");
  m.sequencer.has_retention = in.list<bool>(seq, "has_retention", "sequencer");
  m.sequencer.div_min = in.list<int>(seq, "div_min", "sequencer");
  m.domains = in.list<std::string>(seq, "domain_names", "sequencer");
  m.dividers = in.list<int>(seq, "divider_values", "sequencer");
  const std::vector<std::string> problems = checkSequencerParams(m.sequencer);
  if (!problems.empty()) in.fail(8702, "sequencer", problems.front());
  if (m.domains.size() != size_t(m.sequencer.domains) ||
      m.dividers.size() != size_t(m.sequencer.dividers))
    in.fail(8702, "sequencer", "domain_names/divider_values do not match domains/dividers");
  const Json &program = in.at(json, "program", "");
  m.program_words = in.integer(program, "words", "program");
  m.loop_address = in.integer(program, "loop_address", "program");
  m.files = in.pairs("files");
  m.file_hashes = in.pairs("file_hashes");
  return m;
}

GenManifest readGenManifest(const std::string &path) {
  return genManifestFromJson(parseJson(readTextFile(path), path), path);
}

}  // namespace pf::gen
