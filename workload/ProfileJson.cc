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
#include "golden/Packing.hh"
#include "workload/Profile.hh"

namespace pf {

namespace {

// Message ids of the profile reader.
constexpr int kBadFormat = 6710;
constexpr int kMissing = 6711;
constexpr int kBadValue = 6712;
constexpr int kBadVersion = 6713;
constexpr int kInconsistent = 6714;
constexpr int kUnknownField = 6715;

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

// Reads the fields of one JSON object; errors name the file and the dotted path. Every
// key must be read (finish()): an unknown key is an error, as in every powerflow format.
// A profile has one object per tile (~140,000 for ResNet-101): reading one makes no
// string, paths and field names are made only for a message.
class Fields {
 public:
  Fields(const Json &json, const std::string &file, std::string path)
      : file_(file), path_(std::move(path)) {
    init(json);
  }
  // Element `index` of the array at `array_path`: its path is only made for a message.
  Fields(const Json &json, const std::string &file, const std::string &array_path, size_t index)
      : file_(file), array_path_(&array_path), index_(index) {
    init(json);
  }

  // The dotted path of the object, e.g. "layers[3].descriptors[12]".
  std::string path() const {
    return array_path_ ? fmt::format("{}[{}]", *array_path_, index_) : path_;
  }
  std::string name(std::string_view key) const {
    std::string path = this->path();
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }

  [[noreturn]] void fail(int id, const std::string &field, const std::string &message) const {
    throw Error(id, {file_}, field, message);
  }

  const Json &at(std::string_view key) {
    const Json *value = find(key);
    if (!value) fail(kMissing, name(key), "required field is missing");
    return *value;
  }

  int64_t integer(std::string_view key, int64_t lo = 0, int64_t hi = INT64_MAX) {
    const Json &value = at(key);
    if (const std::optional<int64_t> v = integerIn(value, lo, hi)) return *v;
    integerError(value, name(key), lo, hi);
  }
  int64_t integerOf(const Json &value, const std::string &field, int64_t lo, int64_t hi) const {
    if (const std::optional<int64_t> v = integerIn(value, lo, hi)) return *v;
    integerError(value, field, lo, hi);
  }
  double fraction(std::string_view key) {
    const Json &value = at(key);
    if (!value.isNumber()) fail(kBadValue, name(key), "expected a number");
    const double v = value.asNumber();
    if (!(v >= 0.0 && v <= 1.0)) fail(kBadValue, name(key), fmt::format("{} is not in [0, 1]", v));
    return v;
  }
  bool boolean(std::string_view key) {
    const Json &value = at(key);
    if (!value.isBool()) fail(kBadValue, name(key), "expected true or false");
    return value.asBool();
  }
  std::string string(std::string_view key) {
    const Json &value = at(key);
    if (!value.isString()) fail(kBadValue, name(key), "expected a string");
    return value.asString();
  }
  const Json::Array &array(std::string_view key) {
    const Json &value = at(key);
    if (!value.isArray()) fail(kBadValue, name(key), "expected an array");
    return value.asArray();
  }
  std::vector<int64_t> integers(std::string_view key, int64_t lo = 0, int64_t hi = INT64_MAX,
                                int64_t expected_size = -1) {
    const Json::Array &items = array(key);
    if (expected_size >= 0 && int64_t(items.size()) != expected_size)
      fail(kBadValue, name(key),
           fmt::format("has {} entries, {} expected", items.size(), expected_size));
    std::vector<int64_t> values(items.size());
    for (size_t i = 0; i < items.size(); ++i) values[i] = integerAt(items, key, i, lo, hi);
    return values;
  }
  // An array of exactly N integers, without a vector.
  template <size_t N>
  std::array<int64_t, N> integers(std::string_view key, int64_t lo, int64_t hi) {
    const Json::Array &items = array(key);
    if (items.size() != N)
      fail(kBadValue, name(key), fmt::format("has {} entries, {} expected", items.size(), N));
    std::array<int64_t, N> values{};
    for (size_t i = 0; i < N; ++i) values[i] = integerAt(items, key, i, lo, hi);
    return values;
  }
  // An array whose entries are all strings.
  const Json::Array &stringArray(std::string_view key) {
    const Json::Array &items = array(key);
    for (size_t i = 0; i < items.size(); ++i)
      if (!items[i].isString())
        fail(kBadValue, fmt::format("{}[{}]", name(key), i), "expected a string");
    return items;
  }
  std::vector<std::string> strings(std::string_view key) {
    std::vector<std::string> values;
    for (const Json &item : stringArray(key)) values.push_back(item.asString());
    return values;
  }
  // A list of distinct indices below `count` -> bit mask.
  uint32_t mask(std::string_view key, int count) {
    uint32_t bits = 0;
    const std::vector<int64_t> indices = integers(key, 0, count - 1);
    for (size_t i = 0; i < indices.size(); ++i) {
      if (bits >> indices[i] & 1u)
        fail(kBadValue, fmt::format("{}[{}]", name(key), i), "index listed twice");
      bits |= 1u << indices[i];
    }
    return bits;
  }
  std::array<int64_t, 3> shape(std::string_view key) { return integers<3>(key, 1, INT64_MAX); }
  std::optional<int64_t> optionalInteger(std::string_view key) {
    const Json &value = at(key);
    if (value.isNull()) return std::nullopt;
    return integerOf(value, name(key), 0, INT64_MAX);
  }

  void finish() const {
    const Json::Object &members = object_->asObject();
    for (size_t i = 0; i < members.size(); ++i)
      if (!used_[i]) fail(kUnknownField, name(members[i].first), "unknown field");
  }

  const std::string &file() const { return file_; }

 private:
  void init(const Json &json) {
    if (!json.isObject()) fail(kBadValue, path(), "expected an object");
    object_ = &json;
    used_.assign(json.asObject().size(), false);
  }

  // The member `key`, marked as read; nullptr when absent. The search starts after the
  // member found last, so reading the members in file order finds each at once.
  const Json *find(std::string_view key) {
    const Json::Object &members = object_->asObject();
    for (size_t k = 0; k < members.size(); ++k) {
      const size_t i = (next_ + k) % members.size();
      if (members[i].first == key) {
        used_[i] = true;
        next_ = i + 1;
        return &members[i].second;
      }
    }
    return nullptr;
  }

  static std::optional<int64_t> integerIn(const Json &value, int64_t lo, int64_t hi) {
    if (!value.isNumber()) return std::nullopt;
    const double v = value.asNumber();
    if (v != std::floor(v) || v < double(lo) || v > double(hi)) return std::nullopt;
    return int64_t(v);
  }
  [[noreturn]] void integerError(const Json &value, const std::string &field, int64_t lo,
                                 int64_t hi) const {
    if (!value.isNumber()) fail(kBadValue, field, "expected an integer");
    fail(kBadValue, field, fmt::format("{} is not an integer in {}..{}", value.asNumber(), lo, hi));
  }
  // Entry i of the array `key`; its field name is only made for a message.
  int64_t integerAt(const Json::Array &items, std::string_view key, size_t i, int64_t lo,
                    int64_t hi) const {
    if (const std::optional<int64_t> v = integerIn(items[i], lo, hi)) return *v;
    integerError(items[i], fmt::format("{}[{}]", name(key), i), lo, hi);
  }

  const std::string &file_;
  std::string path_;
  const std::string *array_path_ = nullptr;  // set for an array element
  size_t index_ = 0;
  const Json *object_ = nullptr;
  std::vector<bool> used_;  // per member, in file order
  size_t next_ = 0;         // where find() starts
};

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

AccelConfig readAccel(Fields f) {
  AccelConfig cfg;
  cfg.rows = int(f.integer("rows", 8, 4096));
  cfg.cols = int(f.integer("cols", 8, 4096));
  cfg.col_groups = int(f.integer("col_groups", 1, 32));
  cfg.act_banks = int(f.integer("act_banks", 1, 32));
  cfg.act_bank_words = int(f.integer("act_bank_words", 1, 65536));
  cfg.w_banks = int(f.integer("w_banks", 1, 32));
  cfg.w_bank_words = int(f.integer("w_bank_words", 1, 65536));
  if (f.integer("data_word_bytes") != dataWordBytes(cfg))
    f.fail(kInconsistent, f.name("data_word_bytes"), "must be rows");
  if (f.integer("weight_word_bytes") != weightWordBytes(cfg))
    f.fail(kInconsistent, f.name("weight_word_bytes"), "must be rows * cols");
  f.finish();
  const std::vector<std::string> problems = checkAccelConfig(cfg);
  if (!problems.empty()) f.fail(kBadValue, f.path(), problems.front());
  return cfg;
}

PhaseCycles readCycles(Fields f) {
  PhaseCycles c;
  c.fetch = f.integer("fetch_cycles");
  c.load = f.integer("load_cycles");
  c.compute = f.integer("compute_cycles");
  c.store = f.integer("store_cycles");
  c.control = f.integer("control_cycles");
  c.total = f.integer("total_cycles");
  if (c.total != c.fetch + c.load + c.compute + c.store + c.control)
    f.fail(kInconsistent, f.name("total_cycles"),
           fmt::format("{} is not the sum of the phases ({})", c.total,
                       c.fetch + c.load + c.compute + c.store + c.control));
  f.finish();
  return c;
}

LayerTraffic readTraffic(Fields f) {
  LayerTraffic t;
  for (const TrafficField &field : kTrafficFields) t.*field.member = f.integer(field.key);
  f.finish();
  return t;
}

ProfileTile readTile(Fields f) {
  ProfileTile tile;
  tile.desc_addr = uint32_t(f.integer("desc_addr", 0, UINT32_MAX));
  tile.block = int(f.integer("block", 0, 65535));
  const std::array<int64_t, 2> rows = f.integers<2>("rows", 0, 65535);
  const std::array<int64_t, 2> cols = f.integers<2>("cols", 0, 65535);
  tile.row0 = int(rows[0]), tile.row1 = int(rows[1]);
  tile.col0 = int(cols[0]), tile.col1 = int(cols[1]);
  const Json::Array &words = f.stringArray("words");
  if (words.size() != kDescriptorWords)
    f.fail(kBadValue, f.name("words"),
           fmt::format("has {} entries, {} expected", words.size(), kDescriptorWords));
  std::array<uint32_t, kDescriptorWords> encoded{};
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string &w = words[i].asString();
    const std::optional<uint32_t> word = hexWord(w);
    if (!word)
      f.fail(kBadValue, fmt::format("{}[{}]", f.name("words"), i),
             fmt::format("'{}' is not a 32-bit word written as 0x followed by 8 hex digits", w));
    encoded[i] = *word;
  }
  tile.desc = decodeDescriptor(encoded);
  f.finish();
  return tile;
}

std::array<int, 3> readHwc(Fields &f, const std::string &key, int lo) {
  const std::vector<int64_t> v = f.integers(key, lo, 1 << 24, 3);
  return {int(v[0]), int(v[1]), int(v[2])};
}

double readPositive(Fields &f, const std::string &key) {
  const Json &value = f.at(key);
  if (!value.isNumber() || !(value.asNumber() > 0.0) || !std::isfinite(value.asNumber()))
    f.fail(kBadValue, f.name(key), "expected a positive finite number");
  return value.asNumber();
}

double readFinite(Fields &f, const std::string &key) {
  const Json &value = f.at(key);
  if (!value.isNumber() || !std::isfinite(value.asNumber()))
    f.fail(kBadValue, f.name(key), "expected a finite number");
  return value.asNumber();
}

void readHostOp(Fields f, LayerProfile &l) {
  HostOpDesc &d = l.host_op;
  const std::string kind = f.string("kind");
  bool known = false;
  for (HostOpKind k : {HostOpKind::Softmax, HostOpKind::Sigmoid, HostOpKind::HardSigmoid,
                       HostOpKind::HardSwish, HostOpKind::Mul, HostOpKind::Transpose})
    if (kind == hostOpName(k)) d.kind = k, known = true;
  if (!known) f.fail(kBadValue, f.name("kind"), fmt::format("'{}' is not a host op", kind));
  d.in_hwc = readHwc(f, "in_hwc", 1);
  d.in2_hwc = readHwc(f, "in2_hwc", 1);
  d.out_hwc = readHwc(f, "out_hwc", 1);
  d.input_scale = readPositive(f, "input_scale");
  d.input2_scale = readPositive(f, "input2_scale");
  d.output_scale = readPositive(f, "output_scale");
  const std::string scales = f.string("scales");
  if (scales != "default" && scales != "model")
    f.fail(kBadValue, f.name("scales"), fmt::format("'{}' is not default or model", scales));
  l.host_default_scales = scales == "default";
  d.axis = int(f.integer("axis", 0, 2));
  d.perm = readHwc(f, "perm", 0);
  d.alpha = readFinite(f, "alpha");
  d.beta = readFinite(f, "beta");
  const std::vector<std::string> problems = validateHostOp(d);
  if (!problems.empty()) f.fail(kBadValue, f.path(), fmt::format("{}", fmt::join(problems, "; ")));
  l.host_cost.cycles = f.integer("cycles");
  l.host_cost.time_ns = readPositive(f, "time_ns");
  l.host_cost.energy_pj = readFinite(f, "energy_pj");
  l.host_cost.bytes_read = f.integer("bytes_read");
  l.host_cost.bytes_written = f.integer("bytes_written");
  f.finish();
}

HostModel readHostModel(Fields f) {
  HostModel m;
  m.core = f.string("core");
  m.clock_mhz = readPositive(f, "clock_mhz");
  m.energy_pj_per_cycle = readPositive(f, "energy_pj_per_cycle");
  Fields kernels(f.at("kernels"), f.file(), f.name("kernels"));
  for (const auto &[name, member] : kHostKernels) {
    Fields k(kernels.at(name), f.file(), kernels.name(name));
    for (const auto &[key, field] : kKernelFields) (m.*member).*field = k.integer(key, 0, 1 << 30);
    k.finish();
  }
  kernels.finish();
  m.source = f.string("source");
  f.finish();
  return m;
}

LayerProfile readLayer(Fields f, const AccelConfig &cfg) {
  LayerProfile l;
  l.name = f.string("name");
  l.op = f.string("op");
  const std::string runs_on = f.string("runs_on");
  if (runs_on != "accelerator" && runs_on != "host")
    f.fail(kBadValue, f.name("runs_on"), fmt::format("'{}' is not accelerator or host", runs_on));
  l.on_host = runs_on == "host";
  l.accel_op = f.string("accel_op");
  if (l.on_host != (l.accel_op == "HOST"))
    f.fail(kInconsistent, f.name("accel_op"), "is HOST exactly for a layer that runs on the host");
  l.network_index = int(f.integer("network_index", 0, INT32_MAX));
  l.inputs = f.strings("inputs");
  const Json::Array &shapes = f.array("input_hwc");
  if (shapes.size() != l.inputs.size())
    f.fail(kInconsistent, f.name("input_hwc"), "needs one shape per input");
  for (size_t i = 0; i < shapes.size(); ++i) {
    const std::string field = fmt::format("{}[{}]", f.name("input_hwc"), i);
    if (!shapes[i].isArray() || shapes[i].asArray().size() != 3)
      f.fail(kBadValue, field, "expected [h, w, c]");
    std::array<int64_t, 3> s{};
    for (size_t k = 0; k < 3; ++k)
      s[k] = f.integerOf(shapes[i].asArray()[k], fmt::format("{}[{}]", field, k), 1, INT64_MAX);
    l.input_hwc.push_back(s);
  }
  l.input_location = f.strings("input_location");
  if (l.input_location.size() != l.inputs.size())
    f.fail(kInconsistent, f.name("input_location"), "needs one location per input");
  l.output = f.string("output");
  l.output_hwc = f.shape("output_hwc");
  l.output_location = f.string("output_location");
  for (const std::string &where : l.input_location)
    if (where != "on_chip" && where != "external")
      f.fail(kBadValue, f.name("input_location"),
             fmt::format("'{}' is not on_chip or external", where));
  if (l.output_location != "on_chip" && l.output_location != "external")
    f.fail(kBadValue, f.name("output_location"),
           fmt::format("'{}' is not on_chip or external", l.output_location));
  {
    Fields t(f.at("tiling"), f.file(), f.name("tiling"));
    l.scheme = t.string("scheme");
    const bool scheme_ok =
        l.on_host ? l.scheme == "host" : l.scheme == "row_bands" || l.scheme == "pixels";
    if (!scheme_ok)
      t.fail(kBadValue, t.name("scheme"),
             fmt::format("'{}' is not {}", l.scheme,
                         l.on_host ? "host (a host layer)" : "row_bands or pixels"));
    l.tiles = int(t.integer("tiles", l.on_host ? 0 : 1, l.on_host ? 0 : INT32_MAX));
    l.channel_blocks = int(t.integer("channel_blocks", 1, 65535));
    for (int64_t c : t.integers("block_start", 0, 65535, l.channel_blocks + 1))
      l.block_start.push_back(int(c));
    l.row_bands = int(t.integer("row_bands", 1, 65535));
    l.rows_per_band = int(t.integer("rows_per_band", 1, 65535));
    l.refolded = t.boolean("refolded");
    t.finish();
  }
  l.cycles = readCycles(Fields(f.at("cycles"), f.file(), f.name("cycles")));
  l.traffic = readTraffic(Fields(f.at("dma"), f.file(), f.name("dma")));
  l.macs = f.integer("macs");
  l.other_ops = f.integer("other_ops");
  l.pe_groups = f.mask("pe_groups", cfg.col_groups);
  l.act_banks_used = f.mask("act_banks_used", cfg.act_banks);
  l.w_banks_used = f.mask("w_banks_used", cfg.w_banks);
  l.act_banks_live_after = f.mask("act_banks_live_after", cfg.act_banks);
  l.accesses.act_reads_words = f.integers("act_bank_reads_words", 0, INT64_MAX, cfg.act_banks);
  l.accesses.act_writes_words = f.integers("act_bank_writes_words", 0, INT64_MAX, cfg.act_banks);
  l.accesses.w_reads_words = f.integers("w_bank_reads_words", 0, INT64_MAX, cfg.w_banks);
  l.accesses.w_writes_words = f.integers("w_bank_writes_words", 0, INT64_MAX, cfg.w_banks);
  l.weight_sparsity = f.fraction("weight_sparsity");
  l.activation_sparsity = f.fraction("activation_sparsity");
  l.operand_sparsity = f.fraction("operand_sparsity");
  const Json::Array &descriptors = f.array("descriptors");
  const std::string descriptors_path = f.name("descriptors");
  l.descriptors.reserve(descriptors.size());
  for (size_t i = 0; i < descriptors.size(); ++i)
    l.descriptors.push_back(readTile(Fields(descriptors[i], f.file(), descriptors_path, i)));
  if (int(l.descriptors.size()) != l.tiles)
    f.fail(kInconsistent, f.name("descriptors"),
           fmt::format("has {} entries but tiling.tiles is {}", l.descriptors.size(), l.tiles));
  if (l.on_host) readHostOp(Fields(f.at("host"), f.file(), f.name("host")), l);
  if (l.on_host && !(l.cycles == PhaseCycles{}))
    f.fail(kInconsistent, f.name("cycles"), "a host layer takes no accelerator cycles");
  f.finish();
  return l;
}

ProfileTensor readTensor(Fields f) {
  ProfileTensor t;
  t.name = f.string("name");
  t.producer = f.string("producer");
  t.hwc = f.shape("hwc");
  for (int64_t c : f.integers("block_start", 0, 65535)) t.block_start.push_back(int(c));
  if (t.block_start.size() < 2 || t.block_start.front() != 0 || t.block_start.back() != t.hwc[2])
    f.fail(kInconsistent, f.name("block_start"), "must run from 0 to the channel count");
  t.words = f.integer("words");
  t.on_chip = f.boolean("on_chip");
  t.act_base = f.optionalInteger("act_base_word").value_or(-1);
  t.external = f.boolean("external");
  t.ext_addr = f.optionalInteger("ext_addr").value_or(0);
  if (t.on_chip != (t.act_base >= 0))
    f.fail(kInconsistent, f.name("act_base_word"), "is given exactly when on_chip is true");
  t.consumers = f.strings("consumers");
  f.finish();
  return t;
}

ExternalMap readExternal(Fields f) {
  ExternalMap e;
  auto u32 = [&](const char *key) { return uint32_t(f.integer(key, 0, UINT32_MAX)); };
  e.descriptors_addr = u32("descriptors_addr");
  e.descriptors_bytes = u32("descriptors_bytes");
  e.weights_addr = u32("weights_addr");
  e.weights_bytes = u32("weights_bytes");
  e.tensors_addr = u32("tensors_addr");
  e.tensors_bytes = u32("tensors_bytes");
  e.end = u32("end_addr");
  f.finish();
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
  Fields f(json, file, "");
  const Json *format = json.find("format");
  if (!format || !format->isString() || format->asString() != kProfileFormat)
    f.fail(kBadFormat, "format", fmt::format("not a {} file", kProfileFormat));
  f.string("format");
  const int64_t version = f.integer("version");
  if (version != kProfileVersion)
    f.fail(kBadVersion, "version",
           fmt::format("version {} is not supported (this powerflow reads version {})", version,
                       kProfileVersion));
  Profile p;
  p.generated_by = f.string("generated_by");
  p.network = f.string("network");
  p.network_file = f.string("network_file");
  p.accel = readAccel(Fields(f.at("accelerator"), file, "accelerator"));
  p.read_latency_cycles = int(f.integer("read_latency_cycles", 1, 1 << 20));
  if (json.find("sparsity_source")) p.sparsity_source = f.string("sparsity_source");
  f.string("time_rule");
  p.ext = readExternal(Fields(f.at("external_memory"), file, "external_memory"));
  const Json::Array &tensors = f.array("tensors");
  const std::string tensors_path = "tensors", layers_path = "layers";
  p.tensors.reserve(tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i)
    p.tensors.push_back(readTensor(Fields(tensors[i], file, tensors_path, i)));
  const Json::Array &layers = f.array("layers");
  p.layers.reserve(layers.size());
  for (size_t i = 0; i < layers.size(); ++i)
    p.layers.push_back(readLayer(Fields(layers[i], file, layers_path, i), p.accel));
  if (p.layers.empty()) f.fail(kBadValue, "layers", "a profile has at least one layer");
  p.host_model = readHostModel(Fields(f.at("host_model"), file, "host_model"));
  // The totals are derived; check them so that a hand-edited layer cannot drift from them.
  Fields totals(f.at("totals"), file, "totals");
  const PhaseCycles sum = p.totalCycles();
  if (totals.integer("total_cycles") != sum.total)
    totals.fail(kInconsistent, "totals.total_cycles",
                fmt::format("is not the sum over the layers ({})", sum.total));
  for (const char *key :
       {"fetch_cycles", "load_cycles", "compute_cycles", "store_cycles", "control_cycles", "tiles",
        "fetch_bytes", "load_bytes", "store_bytes", "macs"})
    totals.integer(key);
  totals.finish();
  f.finish();
  return p;
}

Profile readProfile(const std::string &path) { return parseProfile(readTextFile(path), path); }

}  // namespace pf
