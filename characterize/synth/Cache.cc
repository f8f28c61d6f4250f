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

double toNumber(const Json &json, const std::string &what) {
  if (json.isString()) {
    const std::string &text = json.asString(what);
    if (text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
    if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
    bad(what);
  }
  return json.asNumber(what);
}

long toLong(const Json &json, const std::string &what) {
  const double value = json.asNumber(what);
  if (!std::isfinite(value) || value != std::floor(value) || std::abs(value) > 9.0e15) bad(what);
  return static_cast<long>(value);
}

Json numbers(const std::vector<double> &values) {
  Json array = Json::array();
  for (const double value : values) array.push(number(value));
  return array;
}

std::vector<double> toNumbers(const Json &json, const std::string &what) {
  std::vector<double> values;
  for (const Json &item : json.asArray(what)) values.push_back(toNumber(item, what));
  return values;
}

Json strings(const std::vector<std::string> &values) {
  Json array = Json::array();
  for (const std::string &value : values) array.push(value);
  return array;
}

std::vector<std::string> toStrings(const Json &json, const std::string &what) {
  std::vector<std::string> values;
  for (const Json &item : json.asArray(what)) values.push_back(item.asString(what));
  return values;
}

const std::string &str(const Json &object, const std::string &key) {
  return object.at(key).asString(key);
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

DomainSynthesis domainFromJson(const Json &json) {
  DomainSynthesis domain;
  domain.domain = str(json, "domain");
  domain.kind = toKind(str(json, "kind"));
  domain.modules = toStrings(json.at("modules"), "modules");
  domain.macro = str(json, "macro");
  domain.cells = toLong(json.at("cells"), "cells");
  domain.area_um2 = toNumber(json.at("area_um2"), "area_um2");
  domain.netlist_file = str(json, "netlist_file");
  for (const auto &[type, count] : json.at("cell_counts").asObject("cell_counts"))
    domain.cell_counts[type] = toLong(count, "cell_counts." + type);
  const Json &pins = json.at("sram_pins");
  domain.sram_pins.clock = str(pins, "clock");
  domain.sram_pins.chip_enable = str(pins, "chip_enable");
  domain.sram_pins.chip_enable_active_low = pins.at("chip_enable_active_low").asBool();
  domain.sram_pins.write_enable = str(pins, "write_enable");
  domain.sram_pins.write_enable_active_low = pins.at("write_enable_active_low").asBool();
  for (const auto &[pin, port] : pins.at("rtl_ports").asObject("rtl_ports"))
    domain.sram_pins.rtl_ports[pin] = port.asString(pin);
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

SynthesisResult synthesisFromJson(const Json &json) {
  SynthesisResult result;
  result.top = str(json, "top");
  result.netlist_file = str(json, "netlist_file");
  result.sta_netlist_file = str(json, "sta_netlist_file");
  result.synthesis_liberty = str(json, "synthesis_liberty");
  for (const Json &domain : json.at("domains").asArray("domains"))
    result.domains.push_back(domainFromJson(domain));
  result.total_cells = toLong(json.at("total_cells"), "total_cells");
  result.total_area_um2 = toNumber(json.at("total_area_um2"), "total_area_um2");
  result.max_fanout_before = static_cast<int>(toLong(json.at("max_fanout_before"), "fanout"));
  result.max_fanout_after = static_cast<int>(toLong(json.at("max_fanout_after"), "fanout"));
  result.buffers_inserted = toLong(json.at("buffers_inserted"), "buffers_inserted");
  result.buffer_cell = str(json, "buffer_cell");
  result.level_shifter_cell = str(json, "level_shifter_cell");
  result.clock_port = str(json, "clock_port");
  result.async_reset_ports = toStrings(json.at("async_reset_ports"), "async_reset_ports");
  for (const auto &[domain, prefixes] :
       json.at("domain_instance_paths").asObject("domain_instance_paths"))
    result.domain_instance_paths[domain] = toStrings(prefixes, "domain_instance_paths");
  result.yosys_wall_seconds = toNumber(json.at("yosys_wall_seconds"), "yosys_wall_seconds");
  result.yosys_peak_rss_kib = toLong(json.at("yosys_peak_rss_kib"), "yosys_peak_rss_kib");
  result.netlist_pass_wall_seconds =
      toNumber(json.at("netlist_pass_wall_seconds"), "netlist_pass_wall_seconds");
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

DomainTiming domainTimingFromJson(const Json &json) {
  DomainTiming timing;
  timing.domain = str(json, "domain");
  timing.voltages_v = toNumbers(json.at("voltages_v"), "voltages_v");
  timing.critical_path_ns = toNumbers(json.at("critical_path_ns"), "critical_path_ns");
  timing.fmax_mhz = toNumbers(json.at("fmax_mhz"), "fmax_mhz");
  for (const Json &value : json.at("critical_crosses_domain").asArray("critical_crosses_domain"))
    timing.critical_crosses_domain.push_back(value.asBool("critical_crosses_domain"));
  timing.internal_path_ns = toNumbers(json.at("internal_path_ns"), "internal_path_ns");
  timing.crossing_path_ns = toNumbers(json.at("crossing_path_ns"), "crossing_path_ns");
  timing.critical_startpoint = toStrings(json.at("critical_startpoint"), "critical_startpoint");
  timing.critical_endpoint = toStrings(json.at("critical_endpoint"), "critical_endpoint");
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

TimingResult timingFromJson(const Json &json) {
  TimingResult result;
  result.voltages_v = toNumbers(json.at("voltages_v"), "voltages_v");
  result.level_shifter_delay_ns =
      toNumbers(json.at("level_shifter_delay_ns"), "level_shifter_delay_ns");
  for (const Json &domain : json.at("domains").asArray("domains"))
    result.domains.push_back(domainTimingFromJson(domain));
  result.endpoints = toLong(json.at("endpoints"), "endpoints");
  result.script_file = str(json, "script_file");
  result.log_file = str(json, "log_file");
  result.sta_wall_seconds = toNumber(json.at("sta_wall_seconds"), "sta_wall_seconds");
  result.sta_peak_rss_kib = toLong(json.at("sta_peak_rss_kib"), "sta_peak_rss_kib");
  return result;
}

std::string cacheText(const char *format, const std::string &key, Json result) {
  Json json = Json::object();
  json.set("format", format);
  json.set("key", key);
  json.set("result", std::move(result));
  return json.dump();
}

// The "result" object of a cache file whose format and key match; nullopt otherwise.
// Throws on malformed content (callers turn that into a miss).
std::optional<Json> cachedResult(const std::string &file, const char *format,
                                 const std::string &key) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) return std::nullopt;
  Json json = parseJson(readTextFile(file), file);
  if (str(json, "format") != format || str(json, "key") != key) return std::nullopt;
  return json.at("result");
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
    const std::optional<Json> json = cachedResult(file, kSynthesisFormat, key);
    if (!json) return std::nullopt;
    SynthesisResult result = synthesisFromJson(*json);
    if (!exists(result.netlist_file) || !exists(result.sta_netlist_file)) return std::nullopt;
    for (const DomainSynthesis &domain : result.domains)
      if (!domain.netlist_file.empty() && !exists(domain.netlist_file)) return std::nullopt;
    result.from_cache = true;
    return result;
  } catch (const std::exception &) {
    return std::nullopt;  // unreadable or malformed: recompute
  }
}

std::optional<TimingResult> loadTimingCache(const std::string &file, const std::string &key) {
  try {
    const std::optional<Json> json = cachedResult(file, kTimingFormat, key);
    if (!json) return std::nullopt;
    TimingResult result = timingFromJson(*json);
    if (!exists(result.script_file) || !exists(result.log_file)) return std::nullopt;
    result.from_cache = true;
    return result;
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
