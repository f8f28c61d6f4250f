// Profile <-> JSON (docs/formats.md, "Workload profile"). Keys carry their units; the
// writer is deterministic and the reader names the file and dotted field of a problem.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <cmath>
#include <optional>
#include <string_view>
#include <vector>

#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Json.hh"
#include "core/JsonNode.hh"
#include "golden/Packing.hh"
#include "workload/Profile.hh"

namespace pf {

namespace {

const char *const kTimeRule =
    "t(f,B) = (compute_cycles + control_cycles)/f + sum over p in {fetch, load, store} of "
    "(p_cycles - p_beats)/f + max(p_beats/f, p_bytes/B)";

Json integer(int64_t value) { return Json(value); }

Json integers(const std::vector<int64_t> &values) {
  Json array = Json::array();
  for (int64_t v : values) array.push(integer(v));
  return array;
}

Json integers(const std::vector<int> &values) {
  Json array = Json::array();
  for (int v : values) array.push(integer(v));
  return array;
}

Json bits(uint32_t mask) {
  Json array = Json::array();
  for (int i = 0; i < 32; ++i)
    if (mask >> i & 1u) array.push(integer(i));
  return array;
}

Json strings(const std::vector<std::string> &values) {
  Json array = Json::array();
  for (const std::string &v : values) array.push(Json(v));
  return array;
}

Json shape(const std::array<int64_t, 3> &hwc) {
  return integers(std::vector<int64_t>{hwc[0], hwc[1], hwc[2]});
}

Json accelJson(const AccelConfig &cfg) {
  Json j = Json::object();
  j.set("rows", cfg.rows);
  j.set("cols", cfg.cols);
  j.set("col_groups", cfg.col_groups);
  j.set("act_banks", cfg.act_banks);
  j.set("act_bank_words", cfg.act_bank_words);
  j.set("w_banks", cfg.w_banks);
  j.set("w_bank_words", cfg.w_bank_words);
  j.set("data_word_bytes", dataWordBytes(cfg));
  j.set("weight_word_bytes", weightWordBytes(cfg));
  return j;
}

Json cyclesJson(const PhaseCycles &c) {
  Json j = Json::object();
  j.set("fetch_cycles", c.fetch);
  j.set("load_cycles", c.load);
  j.set("compute_cycles", c.compute);
  j.set("store_cycles", c.store);
  j.set("control_cycles", c.control);
  j.set("total_cycles", c.total);
  return j;
}

// Field names of LayerTraffic, in file order.
struct TrafficField {
  const char *key;
  int64_t LayerTraffic::*member;
};
constexpr TrafficField kTrafficFields[] = {
    {"fetch_beats", &LayerTraffic::fetch_beats},
    {"fetch_bytes", &LayerTraffic::fetch_bytes},
    {"load_beats", &LayerTraffic::load_beats},
    {"load_bytes", &LayerTraffic::load_bytes},
    {"store_beats", &LayerTraffic::store_beats},
    {"store_bytes", &LayerTraffic::store_bytes},
    {"weight_load_words", &LayerTraffic::weight_load_words},
    {"weight_load_bytes", &LayerTraffic::weight_load_bytes},
    {"input_load_words", &LayerTraffic::input_load_words},
    {"input_load_bytes", &LayerTraffic::input_load_bytes},
    {"spill_load_words", &LayerTraffic::spill_load_words},
    {"spill_load_bytes", &LayerTraffic::spill_load_bytes},
    {"spill_store_words", &LayerTraffic::spill_store_words},
    {"spill_store_bytes", &LayerTraffic::spill_store_bytes},
    {"output_store_words", &LayerTraffic::output_store_words},
    {"output_store_bytes", &LayerTraffic::output_store_bytes},
};

Json trafficJson(const LayerTraffic &t) {
  Json j = Json::object();
  for (const TrafficField &f : kTrafficFields) j.set(f.key, t.*f.member);
  return j;
}

Json descriptorJson(const ProfileTile &tile) {
  Json j = Json::object();
  j.set("desc_addr", int64_t(tile.desc_addr));
  j.set("block", tile.block);
  j.set("rows", integers(std::vector<int>{tile.row0, tile.row1}));
  j.set("cols", integers(std::vector<int>{tile.col0, tile.col1}));
  Json words = Json::array();
  for (uint32_t w : encodeDescriptor(tile.desc)) words.push(Json(fmt::format("0x{:08x}", w)));
  j.set("words", std::move(words));
  return j;
}

const std::pair<const char *, HostKernelCycles HostModel::*> kHostKernels[] = {
    {"softmax", &HostModel::softmax},
    {"sigmoid", &HostModel::sigmoid},
    {"hard_sigmoid", &HostModel::hard_sigmoid},
    {"hard_swish", &HostModel::hard_swish},
    {"mul", &HostModel::mul},
    {"transpose", &HostModel::transpose}};

const std::pair<const char *, int64_t HostKernelCycles::*> kKernelFields[] = {
    {"call_cycles", &HostKernelCycles::call_cycles},
    {"line_cycles", &HostKernelCycles::line_cycles},
    {"move_cycles", &HostKernelCycles::move_cycles},
    {"compute_cycles", &HostKernelCycles::compute_cycles},
    {"loop_cycles", &HostKernelCycles::loop_cycles}};

Json hostModelJson(const HostModel &m) {
  Json j = Json::object();
  j.set("core", m.core);
  j.set("clock_mhz", m.clock_mhz);
  j.set("energy_pj_per_cycle", m.energy_pj_per_cycle);
  Json kernels = Json::object();
  for (const auto &[name, member] : kHostKernels) {
    Json k = Json::object();
    for (const auto &[key, field] : kKernelFields) k.set(key, (m.*member).*field);
    kernels.set(name, std::move(k));
  }
  j.set("kernels", std::move(kernels));
  j.set("source", m.source);
  return j;
}

Json hostOpJson(const LayerProfile &l) {
  const HostOpDesc &d = l.host_op;
  Json j = Json::object();
  j.set("kind", hostOpName(d.kind));
  j.set("in_hwc", integers(std::vector<int>(d.in_hwc.begin(), d.in_hwc.end())));
  j.set("in2_hwc", integers(std::vector<int>(d.in2_hwc.begin(), d.in2_hwc.end())));
  j.set("out_hwc", integers(std::vector<int>(d.out_hwc.begin(), d.out_hwc.end())));
  j.set("input_scale", d.input_scale);
  j.set("input2_scale", d.input2_scale);
  j.set("output_scale", d.output_scale);
  j.set("scales", l.host_default_scales ? "default" : "model");
  j.set("axis", d.axis);
  j.set("perm", integers(std::vector<int>(d.perm.begin(), d.perm.end())));
  j.set("alpha", d.alpha);
  j.set("beta", d.beta);
  j.set("cycles", l.host_cost.cycles);
  j.set("time_ns", l.host_cost.time_ns);
  j.set("energy_pj", l.host_cost.energy_pj);
  j.set("bytes_read", l.host_cost.bytes_read);
  j.set("bytes_written", l.host_cost.bytes_written);
  return j;
}

Json layerJson(const LayerProfile &l) {
  Json j = Json::object();
  j.set("name", l.name);
  j.set("op", l.op);
  j.set("runs_on", l.on_host ? "host" : "accelerator");
  j.set("accel_op", l.accel_op);
  j.set("network_index", l.network_index);
  j.set("inputs", strings(l.inputs));
  Json in_shapes = Json::array();
  for (const auto &s : l.input_hwc) in_shapes.push(shape(s));
  j.set("input_hwc", std::move(in_shapes));
  j.set("input_location", strings(l.input_location));
  j.set("output", l.output);
  j.set("output_hwc", shape(l.output_hwc));
  j.set("output_location", l.output_location);
  Json tiling = Json::object();
  tiling.set("scheme", l.scheme);
  tiling.set("tiles", l.tiles);
  tiling.set("channel_blocks", l.channel_blocks);
  tiling.set("block_start", integers(l.block_start));
  tiling.set("row_bands", l.row_bands);
  tiling.set("rows_per_band", l.rows_per_band);
  tiling.set("refolded", l.refolded);
  j.set("tiling", std::move(tiling));
  j.set("cycles", cyclesJson(l.cycles));
  j.set("dma", trafficJson(l.traffic));
  j.set("macs", l.macs);
  j.set("other_ops", l.other_ops);
  j.set("pe_groups", bits(l.pe_groups));
  j.set("act_banks_used", bits(l.act_banks_used));
  j.set("w_banks_used", bits(l.w_banks_used));
  j.set("act_banks_live_after", bits(l.act_banks_live_after));
  j.set("act_bank_reads_words", integers(l.accesses.act_reads_words));
  j.set("act_bank_writes_words", integers(l.accesses.act_writes_words));
  j.set("w_bank_reads_words", integers(l.accesses.w_reads_words));
  j.set("w_bank_writes_words", integers(l.accesses.w_writes_words));
  j.set("weight_sparsity", l.weight_sparsity);
  j.set("activation_sparsity", l.activation_sparsity);
  j.set("operand_sparsity", l.operand_sparsity);
  Json descriptors = Json::array();
  for (const ProfileTile &tile : l.descriptors) descriptors.push(descriptorJson(tile));
  j.set("descriptors", std::move(descriptors));
  if (l.on_host) j.set("host", hostOpJson(l));
  return j;
}

Json tensorJson(const ProfileTensor &t) {
  Json j = Json::object();
  j.set("name", t.name);
  j.set("producer", t.producer);
  j.set("hwc", shape(t.hwc));
  j.set("block_start", integers(t.block_start));
  j.set("words", t.words);
  j.set("on_chip", t.on_chip);
  j.set("act_base_word", t.on_chip ? Json(t.act_base) : Json());
  j.set("external", t.external);
  j.set("ext_addr", t.external ? Json(t.ext_addr) : Json());
  j.set("consumers", strings(t.consumers));
  return j;
}

Json externalJson(const ExternalMap &e) {
  Json j = Json::object();
  j.set("descriptors_addr", int64_t(e.descriptors_addr));
  j.set("descriptors_bytes", int64_t(e.descriptors_bytes));
  j.set("weights_addr", int64_t(e.weights_addr));
  j.set("weights_bytes", int64_t(e.weights_bytes));
  j.set("tensors_addr", int64_t(e.tensors_addr));
  j.set("tensors_bytes", int64_t(e.tensors_bytes));
  j.set("end_addr", int64_t(e.end));
  return j;
}

Json totalsJson(const Profile &p) {
  Json j = cyclesJson(p.totalCycles());
  int64_t tiles = 0;
  for (const LayerProfile &l : p.layers) tiles += l.tiles;
  j.set("tiles", tiles);
  const LayerTraffic t = p.totalTraffic();
  j.set("fetch_bytes", t.fetch_bytes);
  j.set("load_bytes", t.load_bytes);
  j.set("store_bytes", t.store_bytes);
  j.set("macs", p.totalMacs());
  return j;
}

// ------------------------------------------------------------------------------------
// Reading.

// Reading: every object's fields are checked against the ones it may have (core/JsonNode:
// an unknown field is PF-6715, naming it and the allowed ones). A profile has one object
// per tile (~140,000 for ResNet-101): reading one makes no string; paths are found only
// for a message.

// The reader's numbers for the field reader's problems; the others (a number out of
// range, an array of another length) are core's.
void profileMessage(const JsonProblem &problem) {
  using Kind = JsonProblem::Kind;
  switch (problem.kind) {
    case Kind::Format:
      problem.raise(6710, "expected \"{}\", found {} (this is not a {} file)");
    case Kind::Version:
      problem.raise(6713, "{} is not supported: this powerflow reads {}");
    case Kind::Missing:
      problem.raise(6711, "required field is missing");
    case Kind::Type:
      problem.raise(6712, "expected {}, found {}");
    case Kind::Unknown:
      problem.raise(6715, "unknown field{}; the fields here are: {}");
    default:
      return;
  }
}

using Node = JsonNode;
using Object = JsonObject;

int64_t integerOf(const Object &o, std::string_view key, int64_t lo = 0, int64_t hi = INT64_MAX) {
  return o[key].integer(lo, hi);
}

// Integers in [lo, hi]; `expected_size` entries unless negative.
std::vector<int64_t> integersOf(const Node &node, int64_t lo = 0, int64_t hi = INT64_MAX,
                                int64_t expected_size = -1) {
  const size_t size = node.size();
  if (expected_size >= 0) node.requireSize(size_t(expected_size));
  std::vector<int64_t> values(size);
  for (size_t i = 0; i < size; ++i) values[i] = node[i].integer(lo, hi);
  return values;
}

// An array of exactly N integers, without a vector.
template <size_t N>
std::array<int64_t, N> integersOf(const Node &node, int64_t lo, int64_t hi) {
  node.requireSize(N);
  std::array<int64_t, N> values{};
  for (size_t i = 0; i < N; ++i) values[i] = node[i].integer(lo, hi);
  return values;
}

std::vector<std::string> stringsOf(const Node &node) {
  const size_t size = node.size();
  std::vector<std::string> values(size);
  for (size_t i = 0; i < size; ++i) values[i] = node[i].string();
  return values;
}

// A list of distinct indices below `count` -> bit mask.
uint32_t maskOf(const Node &node, int count) {
  uint32_t bits = 0;
  const size_t size = node.size();
  for (size_t i = 0; i < size; ++i) {
    const Node item = node[i];
    const int64_t index = item.integer(0, count - 1);
    if (bits >> index & 1u) item.fail(6719, "index listed twice");
    bits |= 1u << index;
  }
  return bits;
}

std::array<int64_t, 3> shapeOf(const Node &node) { return integersOf<3>(node, 1, INT64_MAX); }

// null or an integer >= 0.
std::optional<int64_t> optionalIntegerOf(const Node &node) {
  if (node.isNull()) return std::nullopt;
  return node.integer(0, INT64_MAX);
}

double fractionOf(const Node &node) { return node.number(0.0, 1.0); }

double positiveOf(const Node &node) { return node.positive(); }

// A descriptor word as the writer writes it, "0x" and 8 lowercase hex digits; nullopt
// for anything else.
std::optional<uint32_t> hexWord(const std::string &text) {
  if (text.size() != 10 || text[0] != '0' || text[1] != 'x') return std::nullopt;
  uint32_t word = 0;
  for (size_t i = 2; i < 10; ++i) {
    const char c = text[i];
    uint32_t digit = 0;
    if (c >= '0' && c <= '9')
      digit = uint32_t(c - '0');
    else if (c >= 'a' && c <= 'f')
      digit = uint32_t(c - 'a' + 10);
    else
      return std::nullopt;
    word = word << 4 | digit;
  }
  return word;
}

AccelConfig readAccel(const Node &node) {
  const Object f = node.object({"rows", "cols", "col_groups", "act_banks", "act_bank_words",
                                "w_banks", "w_bank_words", "data_word_bytes", "weight_word_bytes"});
  AccelConfig cfg;
  cfg.rows = int(integerOf(f, "rows", 8, 4096));
  cfg.cols = int(integerOf(f, "cols", 8, 4096));
  cfg.col_groups = int(integerOf(f, "col_groups", 1, 32));
  cfg.act_banks = int(integerOf(f, "act_banks", 1, 32));
  cfg.act_bank_words = int(integerOf(f, "act_bank_words", 1, 65536));
  cfg.w_banks = int(integerOf(f, "w_banks", 1, 32));
  cfg.w_bank_words = int(integerOf(f, "w_bank_words", 1, 65536));
  if (integerOf(f, "data_word_bytes") != dataWordBytes(cfg))
    f["data_word_bytes"].fail(6716, "must be rows");
  if (integerOf(f, "weight_word_bytes") != weightWordBytes(cfg))
    f["weight_word_bytes"].fail(6717, "must be rows * cols");
  const std::vector<std::string> problems = checkAccelConfig(cfg);
  if (!problems.empty())
    f.fail(6718, fmt::format("not an accelerator powerflow maps onto: {}", problems.front()));
  return cfg;
}

PhaseCycles readCycles(const Node &node) {
  const Object f = node.object({"fetch_cycles", "load_cycles", "compute_cycles", "store_cycles",
                                "control_cycles", "total_cycles"});
  PhaseCycles c;
  c.fetch = integerOf(f, "fetch_cycles");
  c.load = integerOf(f, "load_cycles");
  c.compute = integerOf(f, "compute_cycles");
  c.store = integerOf(f, "store_cycles");
  c.control = integerOf(f, "control_cycles");
  c.total = integerOf(f, "total_cycles");
  if (c.total != c.fetch + c.load + c.compute + c.store + c.control)
    f["total_cycles"].fail(6714, fmt::format("{} is not the sum of the phases ({})", c.total,
                                             c.fetch + c.load + c.compute + c.store + c.control));
  return c;
}

LayerTraffic readTraffic(const Node &node) {
  std::vector<std::string_view> keys;
  for (const TrafficField &field : kTrafficFields) keys.push_back(field.key);
  const Object f = node.object(keys);
  LayerTraffic t;
  for (const TrafficField &field : kTrafficFields) t.*field.member = integerOf(f, field.key);
  return t;
}

ProfileTile readTile(const Node &node) {
  const Object f = node.object({"desc_addr", "block", "rows", "cols", "words"});
  ProfileTile tile;
  tile.desc_addr = uint32_t(integerOf(f, "desc_addr", 0, UINT32_MAX));
  tile.block = int(integerOf(f, "block", 0, 65535));
  const std::array<int64_t, 2> rows = integersOf<2>(f["rows"], 0, 65535);
  const std::array<int64_t, 2> cols = integersOf<2>(f["cols"], 0, 65535);
  tile.row0 = int(rows[0]), tile.row1 = int(rows[1]);
  tile.col0 = int(cols[0]), tile.col1 = int(cols[1]);
  const Node words = f["words"];
  const size_t count = words.size();
  for (size_t i = 0; i < count; ++i) words[i].string();  // every entry a string, first
  words.requireSize(kDescriptorWords);
  std::array<uint32_t, kDescriptorWords> encoded{};
  for (size_t i = 0; i < count; ++i) {
    const Node word = words[i];
    const std::string &w = word.string();
    const std::optional<uint32_t> value = hexWord(w);
    if (!value)
      word.fail(6732,
                fmt::format("'{}' is not a 32-bit word written as 0x followed by 8 hex digits", w));
    encoded[i] = *value;
  }
  tile.desc = decodeDescriptor(encoded);
  return tile;
}

std::array<int, 3> readHwc(const Node &node, int lo) {
  const std::vector<int64_t> v = integersOf(node, lo, 1 << 24, 3);
  return {int(v[0]), int(v[1]), int(v[2])};
}

void readHostOp(const Node &node, LayerProfile &l) {
  const Object f =
      node.object({"kind", "in_hwc", "in2_hwc", "out_hwc", "input_scale", "input2_scale",
                   "output_scale", "scales", "axis", "perm", "alpha", "beta", "cycles", "time_ns",
                   "energy_pj", "bytes_read", "bytes_written"});
  HostOpDesc &d = l.host_op;
  const Node kind_node = f["kind"];
  const std::string &kind = kind_node.string();
  bool known = false;
  for (HostOpKind k : {HostOpKind::Softmax, HostOpKind::Sigmoid, HostOpKind::HardSigmoid,
                       HostOpKind::HardSwish, HostOpKind::Mul, HostOpKind::Transpose})
    if (kind == hostOpName(k)) d.kind = k, known = true;
  if (!known) kind_node.fail(6733, fmt::format("'{}' is not a host op", kind));
  d.in_hwc = readHwc(f["in_hwc"], 1);
  d.in2_hwc = readHwc(f["in2_hwc"], 1);
  d.out_hwc = readHwc(f["out_hwc"], 1);
  d.input_scale = positiveOf(f["input_scale"]);
  d.input2_scale = positiveOf(f["input2_scale"]);
  d.output_scale = positiveOf(f["output_scale"]);
  const Node scales_node = f["scales"];
  const std::string &scales = scales_node.string();
  if (scales != "default" && scales != "model")
    scales_node.fail(6734, fmt::format("'{}' is not default or model", scales));
  l.host_default_scales = scales == "default";
  d.axis = int(integerOf(f, "axis", 0, 2));
  d.perm = readHwc(f["perm"], 0);
  d.alpha = f["alpha"].number();
  d.beta = f["beta"].number();
  const std::vector<std::string> problems = validateHostOp(d);
  if (!problems.empty())
    f.fail(6735,
           fmt::format("the host op's parameters are not valid: {}", fmt::join(problems, "; ")));
  l.host_cost.cycles = integerOf(f, "cycles");
  l.host_cost.time_ns = positiveOf(f["time_ns"]);
  l.host_cost.energy_pj = f["energy_pj"].number();
  l.host_cost.bytes_read = integerOf(f, "bytes_read");
  l.host_cost.bytes_written = integerOf(f, "bytes_written");
}

HostModel readHostModel(const Node &node) {
  const Object f = node.object({"core", "clock_mhz", "energy_pj_per_cycle", "kernels", "source"});
  HostModel m;
  m.core = f["core"].string();
  m.clock_mhz = positiveOf(f["clock_mhz"]);
  m.energy_pj_per_cycle = positiveOf(f["energy_pj_per_cycle"]);
  std::vector<std::string_view> kernel_names, kernel_fields;
  for (const auto &[name, member] : kHostKernels) kernel_names.push_back(name);
  for (const auto &[key, field] : kKernelFields) kernel_fields.push_back(key);
  const Object kernels = f["kernels"].object(kernel_names);
  for (const auto &[name, member] : kHostKernels) {
    const Object k = kernels[name].object(kernel_fields);
    for (const auto &[key, field] : kKernelFields)
      (m.*member).*field = integerOf(k, key, 0, 1 << 30);
  }
  m.source = f["source"].string();
  return m;
}

bool isLocation(const std::string &where) { return where == "on_chip" || where == "external"; }

void readTiling(const Node &node, LayerProfile &l) {
  const Object t = node.object({"scheme", "tiles", "channel_blocks", "block_start", "row_bands",
                                "rows_per_band", "refolded"});
  const Node scheme = t["scheme"];
  l.scheme = scheme.string();
  const bool scheme_ok =
      l.on_host ? l.scheme == "host" : l.scheme == "row_bands" || l.scheme == "pixels";
  if (!scheme_ok)
    scheme.fail(6736, fmt::format("'{}' is not {}", l.scheme,
                                  l.on_host ? "host (a host layer)" : "row_bands or pixels"));
  l.tiles = int(integerOf(t, "tiles", l.on_host ? 0 : 1, l.on_host ? 0 : INT32_MAX));
  l.channel_blocks = int(integerOf(t, "channel_blocks", 1, 65535));
  for (int64_t c : integersOf(t["block_start"], 0, 65535, l.channel_blocks + 1))
    l.block_start.push_back(int(c));
  l.row_bands = int(integerOf(t, "row_bands", 1, 65535));
  l.rows_per_band = int(integerOf(t, "rows_per_band", 1, 65535));
  l.refolded = t["refolded"].boolean();
}

LayerProfile readLayer(const Node &node, const AccelConfig &cfg) {
  static const std::vector<std::string_view> kFields = {"name",
                                                        "op",
                                                        "runs_on",
                                                        "accel_op",
                                                        "network_index",
                                                        "inputs",
                                                        "input_hwc",
                                                        "input_location",
                                                        "output",
                                                        "output_hwc",
                                                        "output_location",
                                                        "tiling",
                                                        "cycles",
                                                        "dma",
                                                        "macs",
                                                        "other_ops",
                                                        "pe_groups",
                                                        "act_banks_used",
                                                        "w_banks_used",
                                                        "act_banks_live_after",
                                                        "act_bank_reads_words",
                                                        "act_bank_writes_words",
                                                        "w_bank_reads_words",
                                                        "w_bank_writes_words",
                                                        "weight_sparsity",
                                                        "activation_sparsity",
                                                        "operand_sparsity",
                                                        "descriptors",
                                                        "host"};  // a host layer's only
  const Object f = node.object(kFields);
  LayerProfile l;
  l.name = f["name"].string();
  l.op = f["op"].string();
  const Node runs_on_node = f["runs_on"];
  const std::string &runs_on = runs_on_node.string();
  if (runs_on != "accelerator" && runs_on != "host")
    runs_on_node.fail(6737, fmt::format("'{}' is not accelerator or host", runs_on));
  l.on_host = runs_on == "host";
  static const std::vector<std::string_view> kAcceleratorFields(kFields.begin(), kFields.end() - 1);
  if (!l.on_host) node.object(kAcceleratorFields);
  l.accel_op = f["accel_op"].string();
  if (l.on_host != (l.accel_op == "HOST"))
    f["accel_op"].fail(6738, "is HOST exactly for a layer that runs on the host");
  l.network_index = int(integerOf(f, "network_index", 0, INT32_MAX));
  l.inputs = stringsOf(f["inputs"]);
  const Node shapes = f["input_hwc"];
  if (shapes.size() != l.inputs.size()) shapes.fail(6739, "needs one shape per input");
  for (size_t i = 0; i < shapes.size(); ++i) l.input_hwc.push_back(shapeOf(shapes[i]));
  const Node locations = f["input_location"];
  l.input_location = stringsOf(locations);
  if (l.input_location.size() != l.inputs.size())
    locations.fail(6740, "needs one location per input");
  l.output = f["output"].string();
  l.output_hwc = shapeOf(f["output_hwc"]);
  const Node output_location = f["output_location"];
  l.output_location = output_location.string();
  for (size_t i = 0; i < l.input_location.size(); ++i)
    if (!isLocation(l.input_location[i]))
      locations[i].fail(6742, fmt::format("'{}' is not on_chip or external", l.input_location[i]));
  if (!isLocation(l.output_location))
    output_location.fail(6742, fmt::format("'{}' is not on_chip or external", l.output_location));
  readTiling(f["tiling"], l);
  l.cycles = readCycles(f["cycles"]);
  l.traffic = readTraffic(f["dma"]);
  l.macs = integerOf(f, "macs");
  l.other_ops = integerOf(f, "other_ops");
  l.pe_groups = maskOf(f["pe_groups"], cfg.col_groups);
  l.act_banks_used = maskOf(f["act_banks_used"], cfg.act_banks);
  l.w_banks_used = maskOf(f["w_banks_used"], cfg.w_banks);
  l.act_banks_live_after = maskOf(f["act_banks_live_after"], cfg.act_banks);
  l.accesses.act_reads_words = integersOf(f["act_bank_reads_words"], 0, INT64_MAX, cfg.act_banks);
  l.accesses.act_writes_words = integersOf(f["act_bank_writes_words"], 0, INT64_MAX, cfg.act_banks);
  l.accesses.w_reads_words = integersOf(f["w_bank_reads_words"], 0, INT64_MAX, cfg.w_banks);
  l.accesses.w_writes_words = integersOf(f["w_bank_writes_words"], 0, INT64_MAX, cfg.w_banks);
  l.weight_sparsity = fractionOf(f["weight_sparsity"]);
  l.activation_sparsity = fractionOf(f["activation_sparsity"]);
  l.operand_sparsity = fractionOf(f["operand_sparsity"]);
  const Node descriptors = f["descriptors"];
  const size_t count = descriptors.size();
  l.descriptors.reserve(count);
  for (size_t i = 0; i < count; ++i) l.descriptors.push_back(readTile(descriptors[i]));
  if (int(l.descriptors.size()) != l.tiles)
    descriptors.fail(
        6743, fmt::format("has {} entries but tiling.tiles is {}", l.descriptors.size(), l.tiles));
  if (l.on_host) readHostOp(f["host"], l);
  if (l.on_host && !(l.cycles == PhaseCycles{}))
    f["cycles"].fail(6744, "a host layer takes no accelerator cycles");
  return l;
}

ProfileTensor readTensor(const Node &node) {
  const Object f = node.object({"name", "producer", "hwc", "block_start", "words", "on_chip",
                                "act_base_word", "external", "ext_addr", "consumers"});
  ProfileTensor t;
  t.name = f["name"].string();
  t.producer = f["producer"].string();
  t.hwc = shapeOf(f["hwc"]);
  const Node block_start = f["block_start"];
  for (int64_t c : integersOf(block_start, 0, 65535)) t.block_start.push_back(int(c));
  if (t.block_start.size() < 2 || t.block_start.front() != 0 || t.block_start.back() != t.hwc[2])
    block_start.fail(6745, "must run from 0 to the channel count");
  t.words = integerOf(f, "words");
  t.on_chip = f["on_chip"].boolean();
  const Node act_base = f["act_base_word"];
  t.act_base = optionalIntegerOf(act_base).value_or(-1);
  t.external = f["external"].boolean();
  t.ext_addr = optionalIntegerOf(f["ext_addr"]).value_or(0);
  if (t.on_chip != (t.act_base >= 0)) act_base.fail(6746, "is given exactly when on_chip is true");
  t.consumers = stringsOf(f["consumers"]);
  return t;
}

ExternalMap readExternal(const Node &node) {
  const Object f = node.object({"descriptors_addr", "descriptors_bytes", "weights_addr",
                                "weights_bytes", "tensors_addr", "tensors_bytes", "end_addr"});
  ExternalMap e;
  auto u32 = [&](const char *key) { return uint32_t(integerOf(f, key, 0, UINT32_MAX)); };
  e.descriptors_addr = u32("descriptors_addr");
  e.descriptors_bytes = u32("descriptors_bytes");
  e.weights_addr = u32("weights_addr");
  e.weights_bytes = u32("weights_bytes");
  e.tensors_addr = u32("tensors_addr");
  e.tensors_bytes = u32("tensors_bytes");
  e.end = u32("end_addr");
  return e;
}

}  // namespace

std::string profileJson(const Profile &p) {
  Json j = Json::object();
  j.set("format", kProfileFormat);
  j.set("version", kProfileVersion);
  j.set("generated_by", p.generated_by);
  j.set("network", p.network);
  j.set("network_file", p.network_file);
  j.set("accelerator", accelJson(p.accel));
  j.set("read_latency_cycles", p.read_latency_cycles);
  j.set("sparsity_source", p.sparsity_source);
  j.set("time_rule", kTimeRule);
  j.set("totals", totalsJson(p));
  j.set("external_memory", externalJson(p.ext));
  Json tensors = Json::array();
  for (const ProfileTensor &t : p.tensors) tensors.push(tensorJson(t));
  j.set("tensors", std::move(tensors));
  Json layers = Json::array();
  for (const LayerProfile &l : p.layers) layers.push(layerJson(l));
  j.set("layers", std::move(layers));
  j.set("host_model", hostModelJson(p.host_model));
  return j.dump();
}

Profile parseProfile(const std::string &text, const std::string &file) {
  const Json json = parseJson(text, file);
  const Node root(json, file, profileMessage);
  root.checkFormat(kProfileFormat, {kProfileVersion}, "re-run `powerflow profile`");
  const Object f =
      root.object({"format", "version", "generated_by", "network", "network_file", "accelerator",
                   "read_latency_cycles", "sparsity_source", "time_rule", "totals",
                   "external_memory", "tensors", "layers", "host_model"});
  Profile p;
  p.generated_by = f["generated_by"].string();
  p.network = f["network"].string();
  p.network_file = f["network_file"].string();
  p.accel = readAccel(f["accelerator"]);
  p.read_latency_cycles = int(integerOf(f, "read_latency_cycles", 1, 1 << 20));
  if (const std::optional<Node> source = f.find("sparsity_source"))
    p.sparsity_source = source->string();
  f["time_rule"].string();
  p.ext = readExternal(f["external_memory"]);
  const Node tensors = f["tensors"];
  p.tensors.reserve(tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) p.tensors.push_back(readTensor(tensors[i]));
  const Node layers = f["layers"];
  p.layers.reserve(layers.size());
  for (size_t i = 0; i < layers.size(); ++i) p.layers.push_back(readLayer(layers[i], p.accel));
  if (p.layers.empty()) layers.fail(6747, "a profile has at least one layer");
  p.host_model = readHostModel(f["host_model"]);
  // The totals are derived; check them so that a hand-edited layer cannot drift from them.
  const Object totals = f["totals"].object(
      {"fetch_cycles", "load_cycles", "compute_cycles", "store_cycles", "control_cycles",
       "total_cycles", "tiles", "fetch_bytes", "load_bytes", "store_bytes", "macs"});
  const PhaseCycles sum = p.totalCycles();
  if (integerOf(totals, "total_cycles") != sum.total)
    totals["total_cycles"].fail(6748,
                                fmt::format("is not the sum over the layers ({})", sum.total));
  for (const char *key :
       {"fetch_cycles", "load_cycles", "compute_cycles", "store_cycles", "control_cycles", "tiles",
        "fetch_bytes", "load_bytes", "store_bytes", "macs"})
    integerOf(totals, key);
  return p;
}

Profile readProfile(const std::string &path) { return parseProfile(readTextFile(path), path); }

}  // namespace pf
