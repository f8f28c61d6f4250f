// The workload profile: cycle and traffic sums, the buffer-access model, the JSON file
// (round trip, determinism, located errors for malformed files).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "core/Error.hh"
#include "golden/Packing.hh"
#include "golden/Timing.hh"
#include "net/Network.hh"
#include "tests/core/JsonRefusal.hh"
#include "tests/workload/TestNetworks.hh"
#include "workload/Mapping.hh"
#include "workload/Profile.hh"

namespace pf {
namespace {

Network zooNetwork(const std::string &name) {
  return readNetwork(std::string(PF_SOURCE_DIR) + "/nets/" + name + ".toml");
}

Profile profileOf(const std::string &name, const AccelConfig &cfg = {}, int latency = 2) {
  const Network net = zooNetwork(name);
  ProfileOptions options;
  options.read_latency = latency;
  options.generated_by = "test " + name;
  return profileMapping(mapNetwork(net, cfg), net, options);
}

TEST(Profile, CyclesAreTheGoldenTimingSummedOverTheTiles) {
  const Profile p = profileOf("mlperf_tiny_vww_mobilenetv1_025", {}, 3);
  for (const LayerProfile &l : p.layers) {
    SCOPED_TRACE(l.name);
    int64_t total = 0, compute = 0;
    for (const ProfileTile &t : l.descriptors) {
      const LayerCycles c = layerCycles(t.desc, p.accel, 3);
      total += c.total + 1;
      compute += computeCycles(t.desc, p.accel);
    }
    EXPECT_EQ(l.cycles.total, total);
    EXPECT_EQ(l.cycles.compute, compute);
    EXPECT_EQ(l.cycles.total, l.cycles.fetch + l.cycles.load + l.cycles.compute + l.cycles.store +
                                  l.cycles.control);
    EXPECT_EQ(l.cycles.control, 2 * l.tiles);
    EXPECT_EQ(l.traffic.fetch_bytes, 64 * l.tiles);
    EXPECT_EQ(l.traffic.load_bytes, l.traffic.weight_load_bytes + l.traffic.input_load_bytes +
                                        l.traffic.spill_load_bytes);
    EXPECT_EQ(l.traffic.store_bytes, l.traffic.spill_store_bytes + l.traffic.output_store_bytes);
    EXPECT_EQ(l.traffic.load_bytes, 8 * l.traffic.load_beats);
  }
  EXPECT_EQ(p.totalMacs(), 7489664);                         // docs/networks.md
  EXPECT_EQ(p.layers.back().traffic.output_store_bytes, 8);  // 2 classes, one padded word
  EXPECT_GT(p.layers.front().traffic.input_load_bytes, 96 * 96 * 8 - 1);
}

TEST(Profile, SparsityComesFromTheNetwork) {
  const Network n = test::networkFromToml(
      "sparse.toml",
      "[network]\nname = \"s\"\n[input]\nshape_hwc = [4, 4, 8]\n"
      "[[layer]]\nname = \"c\"\nop = \"conv2d\"\nout_channels = 8\nkernel = 1\n"
      "weight_sparsity = 0.5\nactivation_sparsity = 0.2\n");
  const Profile p = profileMapping(mapNetwork(n, {}), n);
  EXPECT_DOUBLE_EQ(p.layers[0].weight_sparsity, 0.5);
  EXPECT_DOUBLE_EQ(p.layers[0].activation_sparsity, 0.2);
  EXPECT_DOUBLE_EQ(p.layers[0].operand_sparsity, 1 - 0.5 * 0.8);
}

// The access model against hand counts on a small layer: a 3x3 CONV, 4x4 output, 8 in /
// 16 out channels, input at word 2040 (straddles banks 0 and 1), output in bank 2.
TEST(BufferAccesses, HandCountedConv) {
  AccelConfig cfg;
  LayerDesc d;  // golden/Builders' conv2dLayer would clash with net's Activation here
  d.op = LayerOp::Conv;
  d.kh = d.kw = 3;
  d.pad_top = d.pad_left = 1;
  d.in_h = d.in_w = d.out_h = d.out_w = 4;
  d.in_c = 8;
  d.out_c = 16;
  d.act_base = 2040;
  d.out_base = 4096;
  d.w_base = 10;
  setFullDma(d, cfg);
  BankAccesses n;
  n.act_reads_words.assign(4, 0);
  n.act_writes_words.assign(4, 0);
  n.w_reads_words.assign(2, 0);
  n.w_writes_words.assign(2, 0);
  countBufferAccesses(d, cfg, n);
  // Input pixel (y, x) is read by (windows over row y) x (windows over column x) output
  // pixels: 2 or 3 each way, so rows 0-1 (bank 0) and rows 2-3 (bank 1) are read
  // (2+3) x (2+3+3+2) = 50 times per output tile, 2 tiles; the store reads the 32 output words.
  EXPECT_EQ(n.act_reads_words, (std::vector<int64_t>{100, 100, 32, 0}));
  // The load writes 8 input words into each of banks 0 and 1; compute writes 16 pixels x 2
  // words (one per tile) into bank 2.
  EXPECT_EQ(n.act_writes_words, (std::vector<int64_t>{8, 8, 32, 0}));
  // The weight image (2 tiles x (1 + 9) words at word 10) is written once; each tile reads
  // its parameter word and one weight word per in-bounds tap (100).
  EXPECT_EQ(n.w_writes_words, (std::vector<int64_t>{20, 0}));
  EXPECT_EQ(n.w_reads_words, (std::vector<int64_t>{2 * (1 + 100), 0}));
}

TEST(ProfileJson, RoundTripIsExact) {
  for (const char *name : {"mlperf_tiny_ic_resnet8", "mlperf_tiny_kws_dscnn"}) {
    const Profile p = profileOf(name);
    const std::string text = profileJson(p);
    const Profile back = parseProfile(text, "round.json");
    EXPECT_EQ(profileJson(back), text);
    ASSERT_EQ(back.layers.size(), p.layers.size());
    for (size_t i = 0; i < p.layers.size(); ++i) {
      EXPECT_EQ(back.layers[i].cycles, p.layers[i].cycles);
      EXPECT_EQ(back.layers[i].traffic, p.layers[i].traffic);
      EXPECT_EQ(back.layers[i].accesses, p.layers[i].accesses);
      EXPECT_EQ(back.layers[i].act_banks_live_after, p.layers[i].act_banks_live_after);
      ASSERT_EQ(back.layers[i].descriptors.size(), p.layers[i].descriptors.size());
      for (size_t k = 0; k < p.layers[i].descriptors.size(); ++k)
        EXPECT_EQ(encodeDescriptor(back.layers[i].descriptors[k].desc),
                  encodeDescriptor(p.layers[i].descriptors[k].desc));
    }
  }
}

Profile hostProfile() {
  const Network net = test::networkFromToml("host.toml", test::kHostNetworkToml);
  ProfileOptions options;
  options.generated_by = "test host_ops";
  return profileMapping(mapNetwork(net, AccelConfig{}), net, options);
}

TEST(Profile, HostLayersSitInNetworkOrderWithTheHostModelsCost) {
  const Profile p = hostProfile();
  ASSERT_EQ(p.layers.size(), 14u);  // every layer of the network runs somewhere
  EXPECT_TRUE(p.hasHostLayers());
  const HostModel model = defaultHostModel();
  int previous_index = -1;
  uint32_t live = 0;
  for (const LayerProfile &l : p.layers) {
    SCOPED_TRACE(l.name);
    EXPECT_GT(l.network_index, previous_index);
    previous_index = l.network_index;
    if (!l.on_host) {
      EXPECT_GT(l.cycles.total, 0);
      live = l.act_banks_live_after;
      continue;
    }
    EXPECT_EQ(l.accel_op, "HOST");
    EXPECT_EQ(l.scheme, "host");
    EXPECT_EQ(l.tiles, 0);
    EXPECT_TRUE(l.descriptors.empty());
    EXPECT_EQ(l.cycles, PhaseCycles{});
    EXPECT_EQ(l.pe_groups, 0u);
    EXPECT_EQ(l.act_banks_used, 0u);
    EXPECT_EQ(l.act_banks_live_after, live) << "the buffer does not change across the host";
    EXPECT_EQ(l.output_location, "external");
    for (const std::string &where : l.input_location) EXPECT_EQ(where, "external");
    const HostCost cost = hostCost(l.host_op, model);
    EXPECT_EQ(l.host_cost.cycles, cost.cycles);
    EXPECT_DOUBLE_EQ(l.host_cost.time_ns, cost.time_ns);
    EXPECT_DOUBLE_EQ(l.host_cost.energy_pj, cost.energy_pj);
    EXPECT_GT(l.host_cost.time_ns, 0.0);
  }
  const LayerProfile *se = p.findLayer("se");
  ASSERT_NE(se, nullptr);
  EXPECT_FALSE(se->host_default_scales);  // the file gives its scales
  EXPECT_TRUE(p.findLayer("hs")->host_default_scales);
  EXPECT_FALSE(p.findLayer("tr")->host_default_scales);  // no arithmetic, no scales
  EXPECT_EQ(p.findLayer("gmp")->accel_op, "MAXPOOL");
}

TEST(ProfileJson, HostLayersRoundTrip) {
  const Profile p = hostProfile();
  const std::string text = profileJson(p);
  const Profile back = parseProfile(text, "host.json");
  EXPECT_EQ(profileJson(back), text);
  EXPECT_EQ(back.host_model, p.host_model);
  ASSERT_EQ(back.layers.size(), p.layers.size());
  for (size_t i = 0; i < p.layers.size(); ++i) {
    EXPECT_EQ(back.layers[i].on_host, p.layers[i].on_host);
    EXPECT_EQ(back.layers[i].host_op, p.layers[i].host_op);
    EXPECT_EQ(back.layers[i].host_cost, p.layers[i].host_cost);
    EXPECT_EQ(back.layers[i].host_default_scales, p.layers[i].host_default_scales);
  }
}

TEST(ProfileJson, SameInputsGiveIdenticalBytes) {
  const std::string a = profileJson(profileOf("mlperf_tiny_vww_mobilenetv1_025"));
  const std::string b = profileJson(profileOf("mlperf_tiny_vww_mobilenetv1_025"));
  EXPECT_EQ(a, b);
  const std::string path = test::scratchFile("det.json", a);
  EXPECT_EQ(profileJson(readProfile(path)), a);
}

// A malformed profile names the file and the field (or line and column).
void expectProfileError(const std::string &text, int id, const std::string &field,
                        const std::string &needle = "") {
  const std::string path = test::scratchFile("bad.json", text);
  try {
    readProfile(path);
    ADD_FAILURE() << "accepted, expected PF-" << id << " at " << field;
  } catch (const Error &e) {
    EXPECT_EQ(e.id(), id) << e.formatted();
    EXPECT_EQ(e.loc().file, path);
    EXPECT_EQ(e.field(), field) << e.formatted();
    if (!needle.empty()) {
      EXPECT_NE(e.formatted().find(needle), std::string::npos) << e.formatted();
    }
  }
}

std::string replaceOnce(std::string text, const std::string &from, const std::string &to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(ProfileJson, MalformedHostLayersGiveLocatedErrors) {
  const std::string good = profileJson(hostProfile());
  // Layer 1 is the hard swish on the host.
  expectProfileError(replaceOnce(good, "\"runs_on\": \"host\"", "\"runs_on\": \"dsp\""), 6737,
                     "layers[1].runs_on");
  expectProfileError(replaceOnce(good, "\"kind\": \"hard_swish\"", "\"kind\": \"tanh\""), 6733,
                     "layers[1].host.kind");
  {  // the transpose (layer 10) with a permutation that repeats an axis
    std::string bad = good;
    const size_t at = bad.find("\"kind\": \"transpose\"");
    const size_t perm = bad.find("\"perm\": ", at);
    ASSERT_NE(perm, std::string::npos);
    const size_t end = bad.find(']', perm);
    bad.replace(perm, end + 1 - perm, "\"perm\": [0, 0, 2]");
    expectProfileError(bad, 6735, "layers[10].host", "perm");
  }
  expectProfileError(replaceOnce(good, "\"accel_op\": \"HOST\"", "\"accel_op\": \"CONV\""), 6738,
                     "layers[1].accel_op");
}

TEST(ProfileJson, MalformedFilesGiveLocatedErrors) {
  const std::string good = profileJson(profileOf("mlperf_tiny_kws_dscnn"));
  {  // JSON syntax: line and column
    const std::string path = test::scratchFile("syntax.json", good.substr(0, 200) + "}");
    try {
      readProfile(path);
      ADD_FAILURE() << "truncated JSON accepted";
    } catch (const Error &e) {
      EXPECT_EQ(e.id(), 1403);
      EXPECT_GT(e.loc().line, 1);
      EXPECT_GT(e.loc().column, 0);
    }
  }
  expectProfileError(replaceOnce(good, "\"powerflow-profile\"", "\"powerflow-schedule\""), 6710,
                     "format");
  expectProfileError(replaceOnce(good, "\"version\": 2", "\"version\": 1"), 6713, "version");
  expectProfileError(replaceOnce(good, "\"compute_cycles\": 52016,", ""), 6711,
                     "layers[0].cycles.compute_cycles", "required field is missing");
  expectProfileError(replaceOnce(good, "\"compute_cycles\": 52016", "\"compute_cycles\": 52017"),
                     6714, "layers[0].cycles.total_cycles", "not the sum");
  expectProfileError(replaceOnce(good, "\"macs\": 320000", "\"macs\": \"many\""), 6712,
                     "layers[0].macs");
  expectProfileError(replaceOnce(good, "\"other_ops\": 0,", "\"other_ops\": 0, \"flops\": 1,"),
                     6715, "layers[0].flops", "unknown field");
  expectProfileError(replaceOnce(good, "\"pe_groups\": [0,", "\"pe_groups\": [9,"), 1406,
                     "layers[0].pe_groups[0]", "9 is out of range: expected an integer in 0..3");
}

// The text of `good` with the words of its second descriptor (layers[0].descriptors[1]
// of the VWW network) edited: `edit` gets the 16 quoted words and may change them.
std::string editWords(const std::string &good,
                      const std::function<void(std::vector<std::string> &)> &edit) {
  const std::string key = "\"words\": [";
  const size_t first = good.find(key);
  const size_t begin = good.find(key, first + 1) + key.size();
  const size_t end = good.find(']', begin);
  std::vector<std::string> words;
  for (size_t at = begin; at < end;) {
    const size_t comma = std::min(good.find(", ", at), end);
    words.push_back(good.substr(at, comma - at));
    at = comma + 2;
  }
  EXPECT_EQ(words.size(), 16u);
  edit(words);
  std::string body;
  for (size_t i = 0; i < words.size(); ++i) body += (i ? ", " : "") + words[i];
  return good.substr(0, begin) + body + good.substr(end);
}

TEST(ProfileJson, MalformedDescriptorWordsGiveLocatedErrors) {
  const std::string good = profileJson(profileOf("mlperf_tiny_vww_mobilenetv1_025"));
  ASSERT_GE(parseProfile(good, "vww.json").layers[0].descriptors.size(), 2u);
  const std::string field = "layers[0].descriptors[1].words";
  const std::string reason = "is not a 32-bit word written as 0x followed by 8 hex digits";
  auto set = [](size_t i, std::string word) {
    return [i, word](std::vector<std::string> &w) { w[i] = word; };
  };
  expectProfileError(editWords(good, set(0, "\"0xABCDEF01\"")), 6732, field + "[0]",
                     "'0xABCDEF01' " + reason);
  expectProfileError(editWords(good, set(0, "\"0X00000000\"")), 6732, field + "[0]", reason);
  expectProfileError(editWords(good, set(0, "\"1x00000000\"")), 6732, field + "[0]", reason);
  expectProfileError(editWords(good, set(0, "\"\"")), 6732, field + "[0]", "'' " + reason);
  expectProfileError(editWords(good, set(15, "\"0x000000000\"")), 6732, field + "[15]",
                     "'0x000000000' " + reason);
  expectProfileError(editWords(good, set(15, "\"0x0000000\"")), 6732, field + "[15]", reason);
  expectProfileError(editWords(good, set(15, "\"0x0000000g\"")), 6732, field + "[15]", reason);
  expectProfileError(editWords(good, set(15, "\"0x-0000001\"")), 6732, field + "[15]", reason);
  expectProfileError(editWords(good, set(3, "17")), 6712, field + "[3]", "expected a string");
  expectProfileError(editWords(good, [](auto &w) { w.pop_back(); }), 1407, field,
                     "has 15 entries, 16 expected");
  // Every entry is checked to be a string before the count.
  expectProfileError(editWords(good, [](auto &w) { w.push_back("5"); }), 6712, field + "[16]",
                     "expected a string");
  // Every hex digit decodes; a word spelt with escapes is the word it spells.
  const std::string edited = editWords(good, [](auto &w) {
    w[7] = "\"0x89abcdef\"";
    w[8] = "\"\\u0030x01234567\"";
  });
  const ProfileTile tile = parseProfile(edited, "edited.json").layers[0].descriptors[1];
  EXPECT_EQ(tile.desc.ext_act_addr, 0x89abcdefu);
  EXPECT_EQ(tile.desc.ext_act2_addr, 0x01234567u);
}

TEST(ProfileJson, MalformedTilesGiveLocatedErrors) {
  const std::string good = profileJson(profileOf("mlperf_tiny_vww_mobilenetv1_025"));
  // The second tile of layer 0, as written.
  const size_t first = good.find("\"desc_addr\"");
  const size_t begin = good.rfind('{', good.find("\"desc_addr\"", first + 1));
  const size_t end = good.find('}', begin) + 1;
  const std::string tile = good.substr(begin, end - begin);
  auto withTile = [&](const std::string &text) {
    return good.substr(0, begin) + text + good.substr(end);
  };
  const std::string path = "layers[0].descriptors[1]";
  expectProfileError(withTile("7"), 6712, path, "expected an object");
  expectProfileError(withTile(replaceOnce(tile, "\"block\": 0,", "")), 6711, path + ".block",
                     "required field is missing");
  expectProfileError(withTile(replaceOnce(tile, "\"block\": 0,", "\"block\": 0, \"x\": 1,")), 6715,
                     path + ".x", "unknown field");
  expectProfileError(withTile(replaceOnce(tile, "\"block\": 0,", "\"block\": 65536,")), 1406,
                     path + ".block", "65536 is out of range: expected an integer in 0..65535");
  expectProfileError(withTile(replaceOnce(tile, "\"block\": 0,", "\"block\": 0.5,")), 6712,
                     path + ".block", "expected an integer, found 0.5");
  expectProfileError(withTile(replaceOnce(tile, "\"rows\": [", "\"rows\": [1, ")), 1407,
                     path + ".rows", "has 3 entries, 2 expected");
  expectProfileError(withTile(replaceOnce(tile, "\"cols\": [0", "\"cols\": [-1")), 1406,
                     path + ".cols[0]", "-1 is out of range: expected an integer in 0..65535");
  expectProfileError(withTile(replaceOnce(tile, "\"cols\": [0", "\"cols\": [\"0\"")), 6712,
                     path + ".cols[0]", "expected an integer");
  // Members in another order read the same.
  const size_t words = tile.find("\"words\"");
  const size_t words_end = tile.find(']', words) + 1;
  const std::string reordered = "{" + tile.substr(words, words_end - words) + "," +
                                tile.substr(1, words - 1) + "\"block\": 0}";
  const std::string moved = withTile(replaceOnce(reordered, "\"block\": 0,", ""));
  EXPECT_EQ(profileJson(parseProfile(moved, "moved.json")), good);
}

using test::lineOf;

// `text` as a file is refused with `id`, naming the file, `line` and `field`.
void expectRefusal(const std::string &text, int id, int line, const std::string &field,
                   const std::string &needle) {
  const std::string path = test::scratchFile("refused.json", text);
  test::expectRefusedAt([](const std::string &, const std::string &file) { readProfile(file); },
                        text, id, line, field, needle, path);
}

// Every refusal of the reader names the file, the line and the JSON path (docs/formats.md,
// "JSON files").
TEST(ProfileJson, RefusalsNameFileLineAndPath) {
  const std::string good = profileJson(profileOf("mlperf_tiny_kws_dscnn"));
  auto edited = [&](const std::string &from, const std::string &to) {
    return replaceOnce(good, from, to);
  };
  {  // a misspelt field at the top level and nested, with the allowed ones
    const std::string top = edited("\"network_file\":", "\"network_fiel\":");
    expectRefusal(top, 6715, lineOf(top, "network_fiel"), "network_fiel",
                  "unknown field (did you mean 'network_file'?); the fields here are: format, "
                  "version, generated_by, network, network_file,");
    const std::string tile = edited("\"desc_addr\":", "\"desc_adr\":");
    expectRefusal(tile, 6715, lineOf(tile, "desc_adr"), "layers[0].descriptors[0].desc_adr",
                  "did you mean 'desc_addr'?");
    // host: a host layer's only
    const std::string host = edited("\"other_ops\": 0,", "\"other_ops\": 0, \"host\": null,");
    expectRefusal(host, 6715, lineOf(host, "\"host\""), "layers[0].host", "unknown field");
  }
  expectRefusal(edited("\"powerflow-profile\"", "\"powerflow-schedule\""), 6710, 2, "format",
                "expected \"powerflow-profile\", found \"powerflow-schedule\" (this is not a "
                "powerflow-profile file)");
  expectRefusal(edited("\"version\": 2", "\"version\": 3"), 6713, 3, "version",
                "version 3 is not supported: this powerflow reads powerflow-profile version 2; "
                "re-run `powerflow profile`");
  {  // truncated: a syntax error at the end of the text
    const std::string truncated = good.substr(0, good.find("\"layers\"") + 20);
    const std::string path = test::scratchFile("truncated.json", truncated);
    try {
      readProfile(path);
      ADD_FAILURE() << "truncated file accepted";
    } catch (const Error &e) {
      EXPECT_EQ(e.id(), 1403) << e.formatted();
      EXPECT_EQ(e.loc().file, path);
      EXPECT_EQ(e.loc().line, int(std::count(truncated.begin(), truncated.end(), '\n')) + 1);
      EXPECT_GT(e.loc().column, 0);
    }
  }
  {  // integers: out of range, beyond int64_t, not integral
    const std::string block = edited("\"block\": 0,", "\"block\": 70000,");
    expectRefusal(block, 1406, lineOf(block, "70000"), "layers[0].descriptors[0].block",
                  "70000 is out of range: expected an integer in 0..65535");
    const std::string huge = edited("\"macs\": 320000", "\"macs\": 9223372036854775808");
    expectRefusal(huge, 1406, lineOf(huge, "9223372036854775808"), "layers[0].macs",
                  "9223372036854775808 is out of range: expected an integer >= 0");
    const std::string half = edited("\"macs\": 320000", "\"macs\": 320000.5");
    expectRefusal(half, 6712, lineOf(half, "320000.5"), "layers[0].macs",
                  "expected an integer, found 320000.5");
    const std::string sparsity = edited("\"weight_sparsity\": 0,", "\"weight_sparsity\": 1.5,");
    expectRefusal(sparsity, 1406, lineOf(sparsity, "1.5"), "layers[0].weight_sparsity",
                  "1.5 is out of range: expected a number in [0, 1]");
  }
}

}  // namespace
}  // namespace pf
