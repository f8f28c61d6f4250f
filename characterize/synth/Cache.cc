// Stage caches of synthesize() and analyzeTiming() (see Cache.hh).
#include "characterize/synth/Cache.hh"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <stdexcept>

#include "characterize/synth/ToolRun.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Hash.hh"
#include "core/Json.hh"
#include "core/JsonNode.hh"
#include "core/Subprocess.hh"

namespace pf::synth {
namespace {

// Bump when the code changes what a stage produces from the same inputs, so results
// of an older powerflow are not reused.
constexpr int kSynthesisCacheVersion = 2;  // 2: SRAM pins' RTL ports in the result
constexpr int kTimingCacheVersion = 1;
constexpr const char *kSynthesisFormat = "powerflow-synthesis-cache";
constexpr const char *kTimingFormat = "powerflow-timing-cache";

std::string exact(double value) { return fmt::format("{:.17g}", value); }

// File contents for a key; a missing file gets a marker (the stage itself then reports
// it with its usual error), so computing the key never throws for that.
std::string contentsForKey(const std::string &path) {
  if (path.empty()) return std::string("\0none", 5);
  try {
    return readTextFile(path);
  } catch (const Error &) {
    return std::string("\0missing", 8);
  }
}

void hashStrings(Sha256 &hash, const std::string &label, const std::vector<std::string> &items) {
  hash.field(label, std::to_string(items.size()));
  for (const std::string &item : items) hash.field(label, item);
}

void hashFile(Sha256 &hash, const std::string &label, const std::string &path) {
  hash.field(label, path.empty() ? "" : absolutePath(path));
  hash.field("contents", contentsForKey(path));
}

// --- JSON <-> result structs (pf::Json from core/Json.hh) ----------------------------

[[noreturn]] void bad(const std::string &what) {
  throw std::runtime_error("malformed cache entry: " + what);
}

Json number(double value) {
  if (std::isfinite(value)) return Json(value);
  return Json(std::isnan(value) ? "nan" : value > 0 ? "inf" : "-inf");
}

// Cache files are read with the field reader (core/JsonNode.hh, core's message numbers);
// any refusal is a miss.
double toNumber(const JsonNode &node) {
  if (node.json().isString()) {
    const std::string &text = node.string();
    if (text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
    if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
    bad(node.path());
  }
  return node.number();
}

long toLong(const JsonNode &node) { return long(node.integer(INT64_MIN, INT64_MAX)); }

Json numbers(const std::vector<double> &values) {
  Json array = Json::array();
  for (const double value : values) array.push(number(value));
  return array;
}

std::vector<double> toNumbers(const JsonNode &node) {
  std::vector<double> values;
  for (const JsonNode &item : node.items()) values.push_back(toNumber(item));
  return values;
}

Json strings(const std::vector<std::string> &values) {
  Json array = Json::array();
  for (const std::string &value : values) array.push(value);
  return array;
}

std::vector<std::string> toStrings(const JsonNode &node) {
  std::vector<std::string> values;
  for (const JsonNode &item : node.items()) values.push_back(item.string());
  return values;
}

DomainKind toKind(const std::string &name) {
  for (const DomainKind kind : {DomainKind::AlwaysOn, DomainKind::PeGroup, DomainKind::SramBank})
    if (name == domainKindName(kind)) return kind;
  bad("domain kind '" + name + "'");
}

Json toJson(const DomainSynthesis &domain) {
  Json counts = Json::object();
  for (const auto &[type, count] : domain.cell_counts) counts.set(type, Json(int64_t{count}));
  Json pins = Json::object();
  pins.set("clock", domain.sram_pins.clock);
  pins.set("chip_enable", domain.sram_pins.chip_enable);
  pins.set("chip_enable_active_low", domain.sram_pins.chip_enable_active_low);
  pins.set("write_enable", domain.sram_pins.write_enable);
  pins.set("write_enable_active_low", domain.sram_pins.write_enable_active_low);
  Json rtl_ports = Json::object();
  for (const auto &[pin, port] : domain.sram_pins.rtl_ports) rtl_ports.set(pin, port);
  pins.set("rtl_ports", std::move(rtl_ports));
  Json json = Json::object();
  json.set("domain", domain.domain);
  json.set("kind", domainKindName(domain.kind));
  json.set("modules", strings(domain.modules));
  json.set("macro", domain.macro);
  json.set("cells", Json(int64_t{domain.cells}));
  json.set("area_um2", number(domain.area_um2));
  json.set("netlist_file", domain.netlist_file);
  json.set("cell_counts", std::move(counts));
  json.set("sram_pins", std::move(pins));
  return json;
}

DomainSynthesis domainFromJson(const JsonNode &node) {
  const JsonObject json = node.object({"domain", "kind", "modules", "macro", "cells", "area_um2",
                                       "netlist_file", "cell_counts", "sram_pins"});
  DomainSynthesis domain;
  domain.domain = json["domain"].string();
  domain.kind = toKind(json["kind"].string());
  domain.modules = toStrings(json["modules"]);
  domain.macro = json["macro"].string();
  domain.cells = toLong(json["cells"]);
  domain.area_um2 = toNumber(json["area_um2"]);
  domain.netlist_file = json["netlist_file"].string();
  for (const auto &[type, count] : json["cell_counts"].members())  // keyed by cell type
    domain.cell_counts[type] = toLong(count);
  const JsonObject pins =
      json["sram_pins"].object({"clock", "chip_enable", "chip_enable_active_low", "write_enable",
                                "write_enable_active_low", "rtl_ports"});
  domain.sram_pins.clock = pins["clock"].string();
  domain.sram_pins.chip_enable = pins["chip_enable"].string();
  domain.sram_pins.chip_enable_active_low = pins["chip_enable_active_low"].boolean();
  domain.sram_pins.write_enable = pins["write_enable"].string();
  domain.sram_pins.write_enable_active_low = pins["write_enable_active_low"].boolean();
  for (const auto &[pin, port] : pins["rtl_ports"].members())  // keyed by macro pin
    domain.sram_pins.rtl_ports[pin] = port.string();
  return domain;
}

Json toJson(const SynthesisResult &result) {
  Json domains = Json::array();
  for (const DomainSynthesis &domain : result.domains) domains.push(toJson(domain));
  Json paths = Json::object();
  for (const auto &[domain, prefixes] : result.domain_instance_paths)
    paths.set(domain, strings(prefixes));
  Json json = Json::object();
  json.set("top", result.top);
  json.set("netlist_file", result.netlist_file);
  json.set("sta_netlist_file", result.sta_netlist_file);
  json.set("synthesis_liberty", result.synthesis_liberty);
  json.set("domains", std::move(domains));
  json.set("total_cells", Json(int64_t{result.total_cells}));
  json.set("total_area_um2", number(result.total_area_um2));
  json.set("max_fanout_before", result.max_fanout_before);
  json.set("max_fanout_after", result.max_fanout_after);
  json.set("buffers_inserted", Json(int64_t{result.buffers_inserted}));
  json.set("buffer_cell", result.buffer_cell);
  json.set("level_shifter_cell", result.level_shifter_cell);
  json.set("clock_port", result.clock_port);
  json.set("async_reset_ports", strings(result.async_reset_ports));
  json.set("domain_instance_paths", std::move(paths));
  json.set("yosys_wall_seconds", number(result.yosys_wall_seconds));
  json.set("yosys_peak_rss_kib", Json(int64_t{result.yosys_peak_rss_kib}));
  json.set("netlist_pass_wall_seconds", number(result.netlist_pass_wall_seconds));
  return json;
}

SynthesisResult synthesisFromJson(const JsonNode &node) {
  const JsonObject json = node.object(
      {"top", "netlist_file", "sta_netlist_file", "synthesis_liberty", "domains", "total_cells",
       "total_area_um2", "max_fanout_before", "max_fanout_after", "buffers_inserted", "buffer_cell",
       "level_shifter_cell", "clock_port", "async_reset_ports", "domain_instance_paths",
       "yosys_wall_seconds", "yosys_peak_rss_kib", "netlist_pass_wall_seconds"});
  SynthesisResult result;
  result.top = json["top"].string();
  result.netlist_file = json["netlist_file"].string();
  result.sta_netlist_file = json["sta_netlist_file"].string();
  result.synthesis_liberty = json["synthesis_liberty"].string();
  for (const JsonNode &domain : json["domains"].items())
    result.domains.push_back(domainFromJson(domain));
  result.total_cells = toLong(json["total_cells"]);
  result.total_area_um2 = toNumber(json["total_area_um2"]);
  result.max_fanout_before = int(json["max_fanout_before"].integer(INT32_MIN, INT32_MAX));
  result.max_fanout_after = int(json["max_fanout_after"].integer(INT32_MIN, INT32_MAX));
  result.buffers_inserted = toLong(json["buffers_inserted"]);
  result.buffer_cell = json["buffer_cell"].string();
  result.level_shifter_cell = json["level_shifter_cell"].string();
  result.clock_port = json["clock_port"].string();
  result.async_reset_ports = toStrings(json["async_reset_ports"]);
  for (const auto &[domain, prefixes] : json["domain_instance_paths"].members())  // by domain
    result.domain_instance_paths[domain] = toStrings(prefixes);
  result.yosys_wall_seconds = toNumber(json["yosys_wall_seconds"]);
  result.yosys_peak_rss_kib = toLong(json["yosys_peak_rss_kib"]);
  result.netlist_pass_wall_seconds = toNumber(json["netlist_pass_wall_seconds"]);
  return result;
}

Json toJson(const DomainTiming &timing) {
  Json crosses = Json::array();
  for (const bool value : timing.critical_crosses_domain) crosses.push(value);
  Json json = Json::object();
  json.set("domain", timing.domain);
  json.set("voltages_v", numbers(timing.voltages_v));
  json.set("critical_path_ns", numbers(timing.critical_path_ns));
  json.set("fmax_mhz", numbers(timing.fmax_mhz));
  json.set("critical_crosses_domain", std::move(crosses));
  json.set("internal_path_ns", numbers(timing.internal_path_ns));
  json.set("crossing_path_ns", numbers(timing.crossing_path_ns));
  json.set("critical_startpoint", strings(timing.critical_startpoint));
  json.set("critical_endpoint", strings(timing.critical_endpoint));
  return json;
}

DomainTiming domainTimingFromJson(const JsonNode &node) {
  const JsonObject json = node.object(
      {"domain", "voltages_v", "critical_path_ns", "fmax_mhz", "critical_crosses_domain",
       "internal_path_ns", "crossing_path_ns", "critical_startpoint", "critical_endpoint"});
  DomainTiming timing;
  timing.domain = json["domain"].string();
  timing.voltages_v = toNumbers(json["voltages_v"]);
  timing.critical_path_ns = toNumbers(json["critical_path_ns"]);
  timing.fmax_mhz = toNumbers(json["fmax_mhz"]);
  for (const JsonNode &value : json["critical_crosses_domain"].items())
    timing.critical_crosses_domain.push_back(value.boolean());
  timing.internal_path_ns = toNumbers(json["internal_path_ns"]);
  timing.crossing_path_ns = toNumbers(json["crossing_path_ns"]);
  timing.critical_startpoint = toStrings(json["critical_startpoint"]);
  timing.critical_endpoint = toStrings(json["critical_endpoint"]);
  return timing;
}

Json toJson(const TimingResult &result) {
  Json domains = Json::array();
  for (const DomainTiming &domain : result.domains) domains.push(toJson(domain));
  Json json = Json::object();
  json.set("voltages_v", numbers(result.voltages_v));
  json.set("level_shifter_delay_ns", numbers(result.level_shifter_delay_ns));
  json.set("domains", std::move(domains));
  json.set("endpoints", Json(int64_t{result.endpoints}));
  json.set("script_file", result.script_file);
  json.set("log_file", result.log_file);
  json.set("sta_wall_seconds", number(result.sta_wall_seconds));
  json.set("sta_peak_rss_kib", Json(int64_t{result.sta_peak_rss_kib}));
  return json;
}

TimingResult timingFromJson(const JsonNode &node) {
  const JsonObject json =
      node.object({"voltages_v", "level_shifter_delay_ns", "domains", "endpoints", "script_file",
                   "log_file", "sta_wall_seconds", "sta_peak_rss_kib"});
  TimingResult result;
  result.voltages_v = toNumbers(json["voltages_v"]);
  result.level_shifter_delay_ns = toNumbers(json["level_shifter_delay_ns"]);
  for (const JsonNode &domain : json["domains"].items())
    result.domains.push_back(domainTimingFromJson(domain));
  result.endpoints = toLong(json["endpoints"]);
  result.script_file = json["script_file"].string();
  result.log_file = json["log_file"].string();
  result.sta_wall_seconds = toNumber(json["sta_wall_seconds"]);
  result.sta_peak_rss_kib = toLong(json["sta_peak_rss_kib"]);
  return result;
}

std::string cacheText(const char *format, const std::string &key, Json result) {
  Json json = Json::object();
  json.set("format", format);
  json.set("key", key);
  json.set("result", std::move(result));
  return json.dump();
}

// Reads the "result" of a cache file whose format and key match with `read`; nullopt
// otherwise. Throws on malformed content (callers turn that into a miss).
template <typename Read>
auto cachedResult(const std::string &file, const char *format, const std::string &key, Read read)
    -> std::optional<decltype(read(std::declval<const JsonNode &>()))> {
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) return std::nullopt;
  const Json json = parseJson(readTextFile(file), file);
  const JsonObject top = JsonNode(json, file).object({"format", "key", "result"});
  if (top["format"].string() != format || top["key"].string() != key) return std::nullopt;
  return read(top["result"]);
}

bool exists(const std::string &path) {
  std::error_code error;
  return !path.empty() && std::filesystem::is_regular_file(path, error);
}

}  // namespace

std::string toolVersion(const std::vector<std::string> &argv) {
  static std::mutex mutex;
  static std::map<std::vector<std::string>, std::string> known;
  const std::lock_guard<std::mutex> lock(mutex);
  auto it = known.find(argv);
  if (it != known.end()) return it->second;
  std::string version = "unavailable";
  try {
    const ProcessResult run = runProcess(argv);
    if (run.exit_status == 0) version = run.output.substr(0, run.output.find('\n'));
  } catch (const Error &) {
  }
  known[argv] = version;
  return version;
}

std::string synthesisCacheKey(const DesignSpec &design, const std::vector<std::string> &sources,
                              const LibertyCorner &corner, const SynthOptions &options,
                              const std::string &work_dir) {
  Sha256 hash;
  hash.field("format", fmt::format("{} {}", kSynthesisFormat, kSynthesisCacheVersion));
  hash.field("yosys", toolVersion({"yosys", "-V"}));
  hash.field("work_dir", work_dir);
  hash.field("top", design.top);
  hash.field("parameters", std::to_string(design.parameters.size()));
  for (const auto &[name, value] : design.parameters)
    hash.field("parameter", name).field("value", std::to_string(value));
  hash.field("domains", std::to_string(design.domains.size()));
  for (const DomainSpec &domain : design.domains) {
    hash.field("domain", domain.name).field("kind", domainKindName(domain.kind));
    hashStrings(hash, "modules", domain.modules);
    hashStrings(hash, "instances", domain.instances);
    hash.field("columns", fmt::format("{}", fmt::join(domain.columns, ",")));
    hash.field("module", domain.module).field("macro", domain.macro);
    hash.field("words", std::to_string(domain.words)).field("bits", std::to_string(domain.bits));
    hash.field("pgood", domain.pgood_port).field("iso", domain.iso_port);
    hash.field("reset", domain.reset_port).field("retention", domain.retention_port);
  }
  hash.field("sources", std::to_string(sources.size()));
  for (const std::string &source : sources) hashFile(hash, "source", source);
  hashFile(hash, "std_cell_liberty", corner.std_cell_liberty);
  hashFile(hash, "sram_liberty", corner.sram_liberty);
  hash.field("max_fanout", std::to_string(options.max_fanout));
  hash.field("clock_port", options.clock_port);
  hash.field("sram_pins", std::to_string(options.sram_pins.size()));
  for (const auto &[macro, pins] : options.sram_pins) {
    hash.field("macro", macro);
    hashStrings(hash, "pins",
                {pins.clock, pins.chip_enable, pins.write_enable, pins.address, pins.data_in,
                 pins.data_out});
    hash.field("active_low",
               fmt::format("{} {}", pins.chip_enable_active_low, pins.write_enable_active_low));
  }
  return hash.hexDigest();
}

std::string timingCacheKey(const DesignSpec &design, const std::vector<LibertyCorner> &corners,
                           const SynthesisResult &synthesis, const SynthOptions &options,
                           const std::string &script, const std::string &work_dir) {
  Sha256 hash;
  hash.field("format", fmt::format("{} {}", kTimingFormat, kTimingCacheVersion));
  hash.field("sta", toolVersion({"sta", "-version"}));
  hash.field("work_dir", work_dir);
  hash.field("script", script);
  hash.field("corners", std::to_string(corners.size()));
  for (const LibertyCorner &corner : corners) {
    hash.field("voltage_v", exact(corner.voltage_v));
    hashFile(hash, "std_cell_liberty", corner.std_cell_liberty);
    hashFile(hash, "sram_liberty", corner.sram_liberty);
  }
  hashFile(hash, "sta_netlist", synthesis.sta_netlist_file);
  hash.field("domains", std::to_string(design.domains.size()));
  for (const DomainSpec &domain : design.domains)
    hash.field("domain", domain.name).field("kind", domainKindName(domain.kind));
  hash.field("domain_instance_paths", std::to_string(synthesis.domain_instance_paths.size()));
  for (const auto &[domain, paths] : synthesis.domain_instance_paths)
    hashStrings(hash, domain, paths);
  hash.field("clock_period_ns", exact(options.clock_period_ns));
  hash.field("level_shifter_load_pf", exact(options.level_shifter_load_pf));
  return hash.hexDigest();
}

std::optional<SynthesisResult> loadSynthesisCache(const std::string &file, const std::string &key) {
  try {
    std::optional<SynthesisResult> cached =
        cachedResult(file, kSynthesisFormat, key, synthesisFromJson);
    if (!cached) return std::nullopt;
    SynthesisResult &result = *cached;
    if (!exists(result.netlist_file) || !exists(result.sta_netlist_file)) return std::nullopt;
    for (const DomainSynthesis &domain : result.domains)
      if (!domain.netlist_file.empty() && !exists(domain.netlist_file)) return std::nullopt;
    result.from_cache = true;
    return std::move(result);
  } catch (const std::exception &) {
    return std::nullopt;  // unreadable or malformed: recompute
  }
}

std::optional<TimingResult> loadTimingCache(const std::string &file, const std::string &key) {
  try {
    std::optional<TimingResult> cached = cachedResult(file, kTimingFormat, key, timingFromJson);
    if (!cached) return std::nullopt;
    TimingResult &result = *cached;
    if (!exists(result.script_file) || !exists(result.log_file)) return std::nullopt;
    result.from_cache = true;
    return std::move(result);
  } catch (const std::exception &) {
    return std::nullopt;
  }
}

void storeSynthesisCache(const std::string &file, const std::string &key,
                         const SynthesisResult &result) {
  writeFileAtomic(file, cacheText(kSynthesisFormat, key, toJson(result)));
}

void storeTimingCache(const std::string &file, const std::string &key, const TimingResult &result) {
  writeFileAtomic(file, cacheText(kTimingFormat, key, toJson(result)));
}

}  // namespace pf::synth
