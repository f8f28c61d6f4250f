// Mapping of networks onto pf_accel (docs/mapping.md): tiling covers every output once,
// tensors stay where the bookkeeping says, a descriptor-level model of the buffers
// reproduces the golden network (so halos, channel blocks, residency and spills are
// right), and layers that cannot be mapped are refused naming the layer.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

#include "core/Error.hh"
#include "golden/Packing.hh"
#include "golden/Timing.hh"
#include "net/Network.hh"
#include "sim/NetData.hh"
#include "tests/workload/BufferMachine.hh"
#include "tests/workload/TestNetworks.hh"
#include "workload/Mapping.hh"

namespace pf {
namespace {

using test::BufferMachine;

const char *const kMlperfTiny[] = {"mlperf_tiny_ad_fc_autoencoder", "mlperf_tiny_ic_resnet8",
                                   "mlperf_tiny_kws_dscnn", "mlperf_tiny_vww_mobilenetv1_025"};

Network zoo(const std::string &name) {
  return readNetwork(std::string(PF_SOURCE_DIR) + "/nets/" + name + ".toml");
}

// Configurations small enough to force row bands with halos, channel blocks, pixel tiles
// and spills on the MLPerf Tiny networks.
std::vector<std::pair<std::string, AccelConfig>> tightConfigs() {
  AccelConfig small_data;  // 1024 data words, weights as default (1024 words)
  small_data.act_banks = 2;
  small_data.act_bank_words = 512;
  AccelConfig small_weights;  // 64 weight words
  small_weights.w_banks = 2;
  small_weights.w_bank_words = 32;
  AccelConfig both = small_data;
  both.w_bank_words = 64;
  both.act_bank_words = 1024;
  AccelConfig wide;  // 16 lanes, 32 columns (the RTL's second parameter set)
  wide.rows = 16;
  wide.cols = 32;
  wide.act_banks = 2;
  wide.w_banks = 2;
  wide.w_bank_words = 64;
  return {
      {"small_data", small_data}, {"small_weights", small_weights}, {"both", both}, {"wide", wide}};
}

// Runs every tile on the buffer model and compares every external tensor with golden.
void expectGolden(const Mapping &m, uint32_t seed, const std::string &what) {
  const NetData data = makeNetData(m, seed);
  BufferMachine machine(m.cfg, externalImage(m, data), seed);
  for (const MappedStage &stage : mappedStages(m)) {
    if (stage.host) {  // what the host does between the accelerator layers
      const MappedHostLayer &host = m.host_layers[size_t(stage.index)];
      machine.writeMemory(m.tensors[size_t(host.output)].ext_addr,
                          runHostLayer(m, host, machine.memory()));
      continue;
    }
    for (const MappedTile &tile : m.layers[size_t(stage.index)].tiles)
      machine.run(tile.desc, tileTensors(m, data, stage.index, tile));
  }
  for (const std::string &p : machine.problems()) ADD_FAILURE() << what << ": " << p;
  for (const std::string &p : externalMismatches(m, data, machine.memory()))
    ADD_FAILURE() << what << ": " << p;
}

// Every element (pixel, channel) of every plain copy a layer gathers is copied by exactly
// one of its gather tiles, from the same pixel and channels of the blocked source.
void expectGatherCoverage(const Mapping &m, const MappedLayer &layer, const std::string &what) {
  for (int copy : layer.gathers) {
    const MappedTensor &plain = m.tensors[size_t(copy)];
    const MappedTensor &source = m.tensors[size_t(plain.gather_of)];
    EXPECT_EQ(plain.blockCount(), 1) << what;
    EXPECT_GT(source.blockCount(), 1) << what;
    EXPECT_TRUE(plain.external) << what;
    std::vector<int> hits(size_t(plain.h) * plain.w * plain.c, 0);
    for (const MappedTile &tile : layer.tiles) {
      if (!tile.gather || tile.out.tensor != copy) continue;
      const int c0 = source.block_start[size_t(tile.block)];
      const int c1 = source.block_start[size_t(tile.block) + 1];
      EXPECT_EQ(tile.desc.op, LayerOp::MaxPool);
      EXPECT_EQ(tile.desc.out_c, c1 - c0);
      EXPECT_EQ(
          tile.out.offset_bytes,
          ((tile.row0 * plain.w + tile.col0) * channelWords(plain.c, m.cfg) + c0 / m.cfg.rows) *
              dataWordBytes(m.cfg));
      const int64_t in_offset = source.blockOffsetWords(tile.block, m.cfg) +
                                (tile.row0 * source.w + tile.col0) * channelWords(c1 - c0, m.cfg);
      if (source.on_chip)
        EXPECT_EQ(tile.desc.act_base, source.act_base + in_offset);
      else
        EXPECT_EQ(tile.act.offset_bytes, in_offset * dataWordBytes(m.cfg));
      for (int c = c0; c < c1; ++c) ++hits[(size_t(tile.row0) * plain.w + tile.col0) * plain.c + c];
    }
    const auto wrong = std::count_if(hits.begin(), hits.end(), [](int h) { return h != 1; });
    EXPECT_EQ(wrong, 0) << what << ": plain copy " << plain.name;
  }
}

// First channel of tensor t in its storage (a concat's output holding it in place).
int storageChannel(const Mapping &m, int t) {
  int channel = 0;
  for (; m.tensors[size_t(t)].alias_of >= 0; t = m.tensors[size_t(t)].alias_of)
    channel += m.tensors[size_t(t)].alias_channel;
  return channel;
}

// Every element of every concat's output is written exactly once: by a tile of the layer
// producing an input stored there in place, by the host layer producing one, or by a copy
// tile; and an input stored in place lies at its storage's address plus its offset.
void expectConcatCoverage(const Mapping &m, const std::string &what) {
  std::map<int, std::vector<int>> hits;  // storage of a concat -> per element
  for (size_t t = 0; t < m.tensors.size(); ++t) {
    const MappedTensor &tensor = m.tensors[t];
    if (tensor.concat_of.empty() || tensor.alias_of >= 0) continue;
    hits[int(t)].assign(size_t(tensor.h) * tensor.w * tensor.c, 0);
  }
  for (size_t t = 0; t < m.tensors.size(); ++t) {
    const MappedTensor &tensor = m.tensors[t];
    if (tensor.alias_of < 0) continue;
    const MappedTensor &storage = m.tensors[size_t(m.storageOf(int(t)))];
    EXPECT_EQ(tensor.on_chip, storage.on_chip) << what << " " << tensor.name;
    EXPECT_EQ(tensor.external, storage.external) << what << " " << tensor.name;
    if (tensor.on_chip) {
      EXPECT_EQ(tensor.act_base, storage.act_base + m.storageOffsetWords(int(t))) << what;
    }
    if (tensor.external) {
      EXPECT_EQ(tensor.ext_addr,
                storage.ext_addr + uint32_t(m.storageOffsetWords(int(t)) * dataWordBytes(m.cfg)))
          << what;
    }
  }
  auto hit = [&](int tensor, int y, int x, int c) {
    const auto it = hits.find(m.storageOf(tensor));
    if (it == hits.end()) return;
    const MappedTensor &s = m.tensors[size_t(it->first)];
    ++it->second[(size_t(y) * s.w + x) * s.c + size_t(storageChannel(m, tensor) + c)];
  };
  for (const MappedLayer &layer : m.layers) {
    for (const MappedTile &tile : layer.tiles) {
      if (tile.gather || tile.pass1) continue;
      int tensor = layer.output, c0 = layer.block_start[size_t(tile.block)];
      int c1 = layer.block_start[size_t(tile.block) + 1];
      if (tile.copy) {
        const ConcatCopy &copy = layer.copies[size_t(tile.copy_index)];
        const MappedTensor &source = m.tensors[size_t(copy.source)];
        tensor = copy.concat;
        c0 = copy.channel + source.block_start[size_t(tile.block)];
        c1 = copy.channel + source.block_start[size_t(tile.block) + 1];
      }
      for (int y = tile.row0; y < tile.row1; ++y)
        for (int x = tile.col0; x < tile.col1; ++x)
          for (int c = c0; c < c1; ++c) hit(tensor, y, x, c);
    }
  }
  for (const MappedHostLayer &host : m.host_layers) {
    const MappedTensor &out = m.tensors[size_t(host.output)];
    for (int y = 0; y < out.h; ++y)
      for (int x = 0; x < out.w; ++x)
        for (int c = 0; c < out.c; ++c) hit(host.output, y, x, c);
  }
  for (const auto &[storage, counts] : hits) {
    const auto wrong = std::count_if(counts.begin(), counts.end(), [](int h) { return h != 1; });
    EXPECT_EQ(wrong, 0) << what << ": concat " << m.tensors[size_t(storage)].name;
  }
}

// Every output element (pixel, channel) of every layer is computed by exactly one tile,
// and so is every element of the intermediate tensor of a pool split in two.
void expectCoverage(const Network &net, const Mapping &m, const std::string &what) {
  expectConcatCoverage(m, what);
  for (const MappedLayer &layer : m.layers) {
    expectGatherCoverage(m, layer, what);
    if (layer.intermediate >= 0) {
      const MappedTensor &mid = m.tensors[size_t(layer.intermediate)];
      std::vector<int> hits(size_t(mid.h) * mid.w * mid.c, 0);
      for (const MappedTile &tile : layer.tiles) {
        if (!tile.pass1) continue;
        EXPECT_EQ(tile.desc.op, layer.shape.op);
        for (int y = tile.row0; y < tile.row1; ++y)
          for (int x = tile.col0; x < tile.col1; ++x)
            for (int c = layer.block_start[size_t(tile.block)];
                 c < layer.block_start[size_t(tile.block) + 1]; ++c)
              ++hits[(size_t(y) * mid.w + x) * mid.c + c];
      }
      const auto wrong = std::count_if(hits.begin(), hits.end(), [](int h) { return h != 1; });
      EXPECT_EQ(wrong, 0) << what << ": first pass of " << net.layers[size_t(layer.index)].name;
    }
    const MappedTensor &out = m.tensors[size_t(layer.output)];
    std::vector<int> hits(size_t(out.h) * out.w * out.c, 0);
    for (const MappedTile &tile : layer.tiles) {
      if (tile.gather || tile.copy || tile.pass1) continue;
      const int c0 = layer.block_start[size_t(tile.block)];
      const int c1 = layer.block_start[size_t(tile.block) + 1];
      EXPECT_EQ(tile.desc.out_c, c1 - c0);
      EXPECT_EQ(tile.desc.out_h, tile.row1 - tile.row0);
      EXPECT_EQ(tile.desc.out_w, tile.col1 - tile.col0);
      for (int y = tile.row0; y < tile.row1; ++y)
        for (int x = tile.col0; x < tile.col1; ++x)
          for (int c = c0; c < c1; ++c) ++hits[(size_t(y) * out.w + x) * out.c + c];
    }
    const auto wrong = std::count_if(hits.begin(), hits.end(), [](int h) { return h != 1; });
    EXPECT_EQ(wrong, 0) << what << ": layer " << net.layers[size_t(layer.index)].name;
  }
}

TEST(ZooMapping, MlperfTinyNetworksMapOntoTheDefaultAccelerator) {
  for (const char *name : kMlperfTiny) {
    SCOPED_TRACE(name);
    const Network net = zoo(name);
    const Mapping m = mapNetwork(net, AccelConfig{});
    EXPECT_EQ(int(m.layers.size()), net.schedulableLayerCount());
    expectCoverage(net, m, name);
    for (const MappedLayer &layer : m.layers)
      for (const MappedTile &tile : layer.tiles)
        EXPECT_TRUE(validate(tile.desc, m.cfg).empty()) << describeLayer(tile.desc);
  }
}

TEST(ZooMapping, MobileNetV2AndTheResNetsMapOntoTheDefaultAccelerator) {
  for (const char *name : {"mobilenetv2_1.0_224", "resnet18", "resnet101"}) {
    SCOPED_TRACE(name);
    const Network net = zoo(name);
    const Mapping m = mapNetwork(net, AccelConfig{});
    EXPECT_EQ(int(m.layers.size()), net.schedulableLayerCount());
    expectCoverage(net, m, name);
    EXPECT_GT(m.spill_rounds, 0) << "224x224 tensors do not all fit on chip";
    int gathers = 0;
    for (const MappedLayer &layer : m.layers) gathers += int(layer.gathers.size());
    // The ResNets' 3x3 convolutions over 128 channels and more have weight images larger
    // than the weight buffer: their outputs are channel-blocked and gathered for the next
    // convolution. MobileNetV2's blocked convolutions are pointwise (pixel tiles, plain).
    if (std::string(name) == "mobilenetv2_1.0_224")
      EXPECT_EQ(gathers, 0);
    else
      EXPECT_GT(gathers, 0);
  }
  EXPECT_GE(zoo("resnet101").schedulableLayerCount(), 100);
}

// Why the default weight buffer has 4 banks (docs/accelerator.md): with 2 (512 words) one
// weight tile of ResNet's 3x3x512 convolution does not fit, and input channels cannot be
// split.
TEST(ZooMapping, TheResNetsNeedMoreThanTwoWeightBanks) {
  AccelConfig two_banks;
  two_banks.w_banks = 2;
  for (const char *name : {"resnet18", "resnet101"}) {
    try {
      mapNetwork(zoo(name), two_banks);
      ADD_FAILURE() << name << " mapped";
    } catch (const Error &e) {
      EXPECT_EQ(e.id(), 6702) << e.formatted();
      EXPECT_NE(e.formatted().find("layer 'layer4.0.conv2' (conv2d)"), std::string::npos)
          << e.formatted();
      EXPECT_NE(e.formatted().find("577 weight words"), std::string::npos) << e.formatted();
      EXPECT_GT(e.loc().line, 0);
    }
  }
}

TEST(Functional, MlperfTinyMatchesGoldenOnTheDefaultAccelerator) {
  for (const char *name : kMlperfTiny) {
    const Network net = zoo(name);
    expectGolden(mapNetwork(net, AccelConfig{}), 7, name);
    MappingOptions spill;
    spill.spill_all = true;  // every layer's output lands in external memory: all checked
    expectGolden(mapNetwork(net, AccelConfig{}, spill), 8, std::string(name) + " spill_all");
  }
}

TEST(Functional, TightBuffersForceBandsBlocksPixelsAndSpillsAndStayExact) {
  std::set<std::string> seen;
  for (const auto &[config_name, cfg] : tightConfigs()) {
    for (const char *name : kMlperfTiny) {
      const std::string what = config_name + " " + name;
      SCOPED_TRACE(what);
      const Network net = zoo(name);
      Mapping m;
      try {
        m = mapNetwork(net, cfg);
      } catch (const Error &e) {
        // Legitimate refusals with small weight buffers: a weight tile larger than the
        // buffer, or a channel-blocked tensor that a convolution would have to gather.
        EXPECT_TRUE(e.id() == 6702 || e.id() == 6704) << e.formatted();
        seen.insert("refused");
        continue;
      }
      expectCoverage(net, m, what);
      expectGolden(m, 11, what);
      for (const MappedLayer &layer : m.layers) {
        if (layer.row_bands > 1 && layer.scheme == TileScheme::RowBands) seen.insert("row bands");
        if (layer.blockCount() > 1) seen.insert("channel blocks");
        if (layer.scheme == TileScheme::Pixels) seen.insert("pixels");
        if (m.tensors[size_t(layer.output)].blockCount() > 1) seen.insert("blocked tensor");
      }
      if (m.spill_rounds > 0) seen.insert("spills");
    }
  }
  for (const char *feature : {"row bands", "channel blocks", "pixels", "blocked tensor", "spills"})
    EXPECT_TRUE(seen.count(feature)) << "no configuration exercised " << feature;
}

// Residency bookkeeping: a tile loads exactly the inputs kept in external memory and
// stores exactly the outputs kept there; on-chip tensors are never moved; the banks of
// every on-chip tensor live after a layer are reported live.
TEST(Residency, LoadsAndStoresFollowTheTensorLocations) {
  for (const auto &[config_name, cfg] : tightConfigs()) {
    for (const char *name : kMlperfTiny) {
      const std::string what = config_name + " " + name;
      const Network net = zoo(name);
      Mapping m;
      try {
        m = mapNetwork(net, cfg);
      } catch (const Error &) {
        continue;
      }
      std::map<int, int64_t> stored_words;
      for (const MappedLayer &layer : m.layers) {
        for (const MappedTile &tile : layer.tiles) {
          ASSERT_FALSE(tile.copy || tile.pass1) << "no concat or large pool here";
          const LayerDesc &d = tile.desc;
          // A gather tile reads the blocked source of the plain copy it writes.
          const int out_tensor = tile.gather ? tile.out.tensor : layer.output;
          const int in_tensor =
              tile.gather ? m.tensors[size_t(out_tensor)].gather_of : layer.inputs[0];
          const MappedTensor &in = m.tensors[size_t(in_tensor)];
          EXPECT_EQ(d.act_dma_words > 0, in.external) << what << " " << in.name;
          EXPECT_EQ(tile.act.tensor >= 0, in.external) << what;
          const MappedTensor &out = m.tensors[size_t(out_tensor)];
          EXPECT_EQ(d.out_dma_words > 0, out.external) << what << " " << out.name;
          if (d.out_dma_words > 0) stored_words[out_tensor] += d.out_dma_words;
          EXPECT_NE(in.on_chip, in.external) << what;
        }
        for (size_t t = 0; t < m.tensors.size(); ++t) {
          const MappedTensor &tensor = m.tensors[t];
          const bool live =
              tensor.on_chip && tensor.producer <= layer.index && tensor.lastUse() > layer.index;
          if (!live) continue;
          const uint32_t first = 1u << (tensor.act_base / cfg.act_bank_words);
          EXPECT_TRUE(layer.live_after_act_banks & first) << what << " " << tensor.name;
        }
      }
      for (size_t t = 1; t < m.tensors.size(); ++t) {
        if (m.tensors[t].external) {
          EXPECT_EQ(stored_words[int(t)], m.tensors[t].words) << what << " " << m.tensors[t].name;
        }
      }
    }
  }
}

// --- small networks for particular features ---------------------------------------------

const char *const kHeader =
    "[network]\nname = \"t\"\n[input]\nname = \"x\"\nshape_hwc = [{}, {}, {}]\n";

std::string net(int h, int w, int c, const std::string &layers) {
  return fmt::format(fmt::runtime(kHeader), h, w, c) + layers;
}

TEST(Features, MaxPoolSelfAddReshapeAndUnequalStridesOnOneRow) {
  const std::string toml =
      net(9, 12, 16,
          "[[layer]]\nname = \"pool\"\nop = \"max_pool\"\nkernel = 3\n"
          "stride = 2\npadding = \"same\"\n"
          "[[layer]]\nname = \"twice\"\nop = \"add\"\ninputs = [\"pool\", "
          "\"pool\"]\nactivation = \"relu\"\n"
          "[[layer]]\nname = \"flat\"\nop = \"reshape\"\nshape_hwc = [1, 5, 96]\n"
          "[[layer]]\nname = \"row\"\nop = \"conv2d\"\nout_channels = 24\n"
          "kernel = [1, 3]\nstride = [4, 2]\n"
          "[[layer]]\nname = \"gap\"\nop = \"global_avg_pool\"\n");
  const Network n = test::networkFromToml("features.toml", toml);
  for (const auto &[config_name, cfg] : tightConfigs()) {
    const Mapping m = mapNetwork(n, cfg);
    expectCoverage(n, m, config_name);
    expectGolden(m, 3, config_name);
    MappingOptions spill;
    spill.spill_all = true;
    expectGolden(mapNetwork(n, cfg, spill), 4, config_name + " spill_all");
  }
}

// A ResNet-like block with 128 channels: 3x3 convolutions whose weight images exceed the
// weight buffer write channel-blocked outputs; the convolutions reading them gather them
// into a plain copy (later readers of the same tensor reuse the copy, one of them in pixel
// tiles), and the result is golden whether the blocked tensors are on chip or in external
// memory.
TEST(Features, ConvolutionsGatherChannelBlockedInputs) {
  const Network n = test::networkFromToml("gather.toml", test::kGatherNetworkToml);
  const Mapping m = mapNetwork(n, AccelConfig{});
  auto layer = [&](const char *name) -> const MappedLayer & {
    for (const MappedLayer &l : m.layers)
      if (n.layers[size_t(l.index)].name == name) return l;
    throw std::logic_error(name);
  };
  ASSERT_GT(m.tensors[size_t(layer("a").output)].blockCount(), 1);
  ASSERT_GT(m.tensors[size_t(layer("sum").output)].blockCount(), 1);
  // b gathers a; c gathers sum, e and f read c's copy (f in pixel tiles: its output is plain).
  EXPECT_EQ(layer("a").gathers.size(), 0u);
  ASSERT_EQ(layer("b").gathers.size(), 1u);
  ASSERT_EQ(layer("c").gathers.size(), 1u);
  EXPECT_EQ(layer("e").gathers.size(), 0u);
  EXPECT_EQ(layer("f").gathers.size(), 0u);
  const int copy = layer("c").gathers[0];
  EXPECT_EQ(m.tensors[size_t(copy)].gather_of, layer("sum").output);
  EXPECT_EQ(layer("e").inputs[0], copy);
  EXPECT_EQ(layer("f").inputs[0], copy);
  EXPECT_EQ(layer("f").scheme, TileScheme::Pixels);
  EXPECT_EQ(m.tensors[size_t(copy)].consumers,
            (std::vector<int>{layer("c").index, layer("e").index, layer("f").index}));
  // sum is read by c's gather only, so it may leave the buffer after c.
  EXPECT_EQ(m.tensors[size_t(layer("sum").output)].consumers, std::vector<int>{layer("c").index});
  int gather_tiles = 0;
  for (const MappedTile &tile : layer("c").tiles) gather_tiles += tile.gather;
  EXPECT_EQ(gather_tiles, 6 * 5 * m.tensors[size_t(layer("sum").output)].blockCount());
  expectCoverage(n, m, "default");
  expectGolden(m, 21, "default");
  MappingOptions spill;
  spill.spill_all = true;
  const Mapping spilled = mapNetwork(n, AccelConfig{}, spill);
  expectCoverage(n, spilled, "spill_all");
  expectGolden(spilled, 22, "spill_all");
  int tight_mapped = 0;
  for (const auto &[config_name, cfg] : tightConfigs()) {
    Mapping tight;
    try {
      tight = mapNetwork(n, cfg);
    } catch (const Error &e) {
      EXPECT_EQ(e.id(), 6702) << e.formatted();  // a 64-word weight buffer: a's tile is 73
      continue;
    }
    ++tight_mapped;
    expectCoverage(n, tight, config_name);
    expectGolden(tight, 23, config_name);
  }
  EXPECT_GE(tight_mapped, 2);
}

// ResNet-101's global pool reads 7x7x2048 at once, more than the data buffer holds: a
// per-channel layer whose smallest tile does not fit runs in channel blocks that do.
TEST(Features, PerChannelLayerLargerThanTheDataBufferRunsInChannelBlocks) {
  const Network n = test::networkFromToml(
      "gap.toml", net(7, 7, 8,
                      "[[layer]]\nname = \"wide\"\nop = \"conv2d\"\nout_channels = 2048\n"
                      "kernel = 1\n"
                      "[[layer]]\nname = \"gap\"\nop = \"global_avg_pool\"\n"
                      "[[layer]]\nname = \"fc\"\nop = \"fully_connected\"\nout_channels = 8\n"));
  const Mapping m = mapNetwork(n, AccelConfig{});
  const MappedLayer &gap = m.layers[1];
  ASSERT_GT(gap.blockCount(), 1);
  for (int b = 0; b < gap.blockCount(); ++b) {
    const int words =
        channelWords(gap.block_start[size_t(b) + 1] - gap.block_start[size_t(b)], m.cfg);
    EXPECT_LE((7 * 7 + 1) * words, m.cfg.actWords()) << "block " << b;
  }
  expectCoverage(n, m, "gap");
  expectGolden(m, 24, "gap");
}

TEST(Features, WholeRowPoolLargerThan15IsRefoldedExactly) {
  // DS-CNN's final 24x5 average pool: 120 contiguous pixels read as an 8x15 window.
  const Network n = test::networkFromToml(
      "refold.toml",
      net(25, 5, 20,
          "[[layer]]\nname = \"pool\"\nop = \"avg_pool\"\nkernel = [24, 5]\n"
          "stride = [24, 5]\n"
          "[[layer]]\nname = \"mpool\"\nop = \"max_pool\"\nkernel = 1\nstride = 1\n"));
  const Mapping m = mapNetwork(n, AccelConfig{});
  ASSERT_TRUE(m.layers[0].refolded);
  EXPECT_EQ(m.layers[0].tiles[0].desc.kh * m.layers[0].tiles[0].desc.kw, 120);
  EXPECT_LE(m.layers[0].tiles[0].desc.kh, 15);
  expectGolden(m, 5, "refold");
}

// --- concat (docs/mapping.md, "Concat") -------------------------------------------------

const MappedLayer &layerNamed(const Network &n, const Mapping &m, const std::string &name) {
  for (const MappedLayer &l : m.layers)
    if (n.layers[size_t(l.index)].name == name) return l;
  throw std::logic_error(name);
}

int tensorNamed(const Mapping &m, const std::string &name) {
  for (size_t t = 0; t < m.tensors.size(); ++t)
    if (m.tensors[t].name == name) return int(t);
  throw std::logic_error(name);
}

int copyTiles(const Mapping &m) {
  int count = 0;
  for (const MappedLayer &layer : m.layers)
    for (const MappedTile &tile : layer.tiles) count += tile.copy;
  return count;
}

// A SqueezeNet fire module and a nested concat: every input is written in place by its
// producer (no copy tile, no storage of its own), the concat's blocks start at its
// inputs, per-channel layers read it block-wise and the convolution reading it gathers
// it; the network stays bit-exact on chip, spilled and in tight buffers.
TEST(Concat, ProducersWriteTheirChannelsInPlace) {
  const Network n = test::networkFromToml("concat.toml", test::kConcatNetworkToml);
  const Mapping m = mapNetwork(n, AccelConfig{});
  EXPECT_EQ(int(m.layers.size()), n.schedulableLayerCount());
  EXPECT_EQ(copyTiles(m), 0);
  for (const MappedLayer &layer : m.layers) EXPECT_TRUE(layer.copies.empty());
  const int fire = tensorNamed(m, "fire"), mix = tensorNamed(m, "mix");
  EXPECT_EQ(m.tensors[size_t(fire)].block_start, (std::vector<int>{0, 16, 48}));
  EXPECT_EQ(m.tensors[size_t(mix)].block_start, (std::vector<int>{0, 16, 48, 64, 96}));
  for (const char *name : {"e1", "e3"})
    EXPECT_EQ(m.tensors[size_t(tensorNamed(m, name))].alias_of, fire) << name;
  for (const char *name : {"dw", "pool"})
    EXPECT_EQ(m.tensors[size_t(tensorNamed(m, name))].alias_of, mix) << name;
  EXPECT_EQ(m.storageOf(tensorNamed(m, "e3")), fire);
  EXPECT_EQ(m.storageOffsetWords(tensorNamed(m, "e3")), 8 * 8 * 2);  // after e1's 2 words
  EXPECT_EQ(m.storageOffsetWords(tensorNamed(m, "pool")), 4 * 4 * 6);
  // The fire module's output is on chip from its first producer (e1) to its last reader
  // (pool), in one allocation.
  const MappedTensor &f = m.tensors[size_t(fire)];
  ASSERT_TRUE(f.on_chip);
  EXPECT_EQ(f.words, 8 * 8 * 6);
  EXPECT_EQ(layerNamed(n, m, "e1").tiles.front().desc.out_base, f.act_base);
  EXPECT_EQ(layerNamed(n, m, "e3").tiles.front().desc.out_base, f.act_base + 8 * 8 * 2);
  // Per-channel layers read it block-wise; the convolution gathers the nested concat.
  EXPECT_EQ(layerNamed(n, m, "pool").block_start, (std::vector<int>{0, 16, 48}));
  ASSERT_EQ(layerNamed(n, m, "sq2").gathers.size(), 1u);
  EXPECT_EQ(m.tensors[size_t(layerNamed(n, m, "sq2").gathers[0])].gather_of, mix);
  expectCoverage(n, m, "default");
  expectGolden(m, 31, "default");
  MappingOptions spill;
  spill.spill_all = true;
  const Mapping spilled = mapNetwork(n, AccelConfig{}, spill);
  EXPECT_EQ(copyTiles(spilled), 0);
  expectCoverage(n, spilled, "spill_all");
  expectGolden(spilled, 32, "spill_all");
  for (const auto &[config_name, cfg] : tightConfigs()) {
    const Mapping tight = mapNetwork(n, cfg);
    EXPECT_EQ(copyTiles(tight), 0) << config_name;
    expectCoverage(n, tight, config_name);
    expectGolden(tight, 33, config_name);
  }
}

// Nested concats (a DenseNet-like block) are all stored in place in the outermost one,
// which lives from the first convolution's output to its last reader; a concat can be the
// network output.
TEST(Concat, NestedConcatsShareOneStorage) {
  const Network n = test::networkFromToml("dense.toml", test::kDenseConcatNetworkToml);
  const Mapping m = mapNetwork(n, AccelConfig{});
  EXPECT_EQ(copyTiles(m), 0);
  const int c3 = tensorNamed(m, "c3");
  EXPECT_EQ(m.tensors[size_t(c3)].block_start, (std::vector<int>{0, 16, 32, 48, 64}));
  for (const char *name : {"s", "g1", "c1", "g2", "c2", "g3"})
    EXPECT_EQ(m.storageOf(tensorNamed(m, name)), c3) << name;
  EXPECT_EQ(m.storageOffsetWords(tensorNamed(m, "g2")), 6 * 6 * 4);
  EXPECT_EQ(m.tensors[size_t(tensorNamed(m, "c2"))].block_start, (std::vector<int>{0, 16, 32, 48}));
  const int out = tensorNamed(m, "out");
  EXPECT_TRUE(m.tensors[size_t(out)].external);  // the network output
  EXPECT_TRUE(m.tensors[size_t(out)].consumers.empty());
  EXPECT_EQ(m.storageOf(tensorNamed(m, "q")), out);
  expectCoverage(n, m, "default");
  expectGolden(m, 38, "default");
  MappingOptions spill;
  spill.spill_all = true;
  expectGolden(mapNetwork(n, AccelConfig{}, spill), 39, "spill_all");
  for (const auto &[config_name, cfg] : tightConfigs()) {
    const Mapping tight = mapNetwork(n, cfg);
    expectCoverage(n, tight, config_name);
    expectGolden(tight, 40, config_name);
  }
}

// Inputs that cannot be stored in place are copied by the first layer reading the
// concat: the network input, a tensor already stored in another concat, an input given
// twice. A host layer's output is stored in place (its concat in external memory), and a
// concat of 4 + 4 channels is read block-wise to the network output.
TEST(Concat, InputsThatCannotBeStoredInPlaceAreCopied) {
  const Network n = test::networkFromToml("concat_copy.toml", test::kConcatCopyNetworkToml);
  const Mapping m = mapNetwork(n, AccelConfig{});
  EXPECT_EQ(int(m.layers.size() + m.host_layers.size()), n.schedulableLayerCount());
  const int c1 = tensorNamed(m, "c1"), c2 = tensorNamed(m, "c2"), c3 = tensorNamed(m, "c3");
  const MappedLayer &b = layerNamed(n, m, "b"), &d = layerNamed(n, m, "d");
  ASSERT_EQ(b.copies.size(), 1u);
  EXPECT_EQ(b.copies[0].source, 0);  // the network input
  EXPECT_EQ(b.copies[0].concat, c1);
  ASSERT_EQ(d.copies.size(), 2u);  // a, stored in c1, twice
  EXPECT_EQ(d.copies[0].source, tensorNamed(m, "a"));
  EXPECT_EQ(d.copies[0].channel, 0);
  EXPECT_EQ(d.copies[1].channel, 32);
  EXPECT_EQ(m.tensors[size_t(tensorNamed(m, "a"))].alias_of, c1);
  EXPECT_EQ(m.tensors[size_t(tensorNamed(m, "b"))].alias_of, c2);
  EXPECT_EQ(m.tensors[size_t(tensorNamed(m, "h"))].alias_of, c3);  // a host layer's output
  EXPECT_TRUE(m.tensors[size_t(c3)].external);
  EXPECT_TRUE(m.tensors[size_t(c2)].external);  // the host reads b
  // The copies come first in their layer: b copies x into c1, then gathers c1.
  EXPECT_TRUE(b.tiles.front().copy);
  EXPECT_EQ(b.tiles.front().desc.op, LayerOp::MaxPool);
  EXPECT_GT(b.tiles.front().desc.act_dma_words, 0);  // from the network input
  EXPECT_EQ(b.tiles.front().act.tensor, 0);
  const MappedTensor &c4 = m.tensors[size_t(tensorNamed(m, "c4"))];
  EXPECT_EQ(c4.block_start, (std::vector<int>{0, 4, 8}));
  EXPECT_EQ(m.tensors[size_t(layerNamed(n, m, "mp").output)].block_start,
            (std::vector<int>{0, 4, 8}));
  expectCoverage(n, m, "default");
  expectGolden(m, 34, "default");
  MappingOptions spill;
  spill.spill_all = true;
  const Mapping spilled = mapNetwork(n, AccelConfig{}, spill);
  expectCoverage(n, spilled, "spill_all");
  expectGolden(spilled, 35, "spill_all");
  std::set<std::string> seen;
  for (const auto &[config_name, cfg] : tightConfigs()) {
    const Mapping tight = mapNetwork(n, cfg);
    expectCoverage(n, tight, config_name);
    expectGolden(tight, 36, config_name);
    for (const MappedLayer &layer : tight.layers)
      for (const MappedTile &tile : layer.tiles) {
        if (!tile.copy) continue;
        const MappedTensor &source =
            tight.tensors[size_t(layer.copies[size_t(tile.copy_index)].source)];
        if (tile.row1 - tile.row0 < source.h) seen.insert("copy in row bands");
        if (tile.desc.act_dma_words == 0) seen.insert("copy from the buffer");
        if (tile.desc.out_dma_words > 0) seen.insert("copy stored");
        if (tile.desc.out_dma_words == 0) seen.insert("copy into the buffer");
      }
  }
  for (const char *feature : {"copy from the buffer", "copy stored", "copy into the buffer"})
    EXPECT_TRUE(seen.count(feature)) << "no configuration exercised " << feature;
}

// Block boundaries flow both ways: a global pool over 7x7x2048 (too large for the data
// buffer at once) splits the concat into data-buffer blocks, one of them inside the second
// input, whose convolution then writes its output in those blocks.
TEST(Concat, AReadersBlocksSplitTheInputs) {
  const Network n = test::networkFromToml(
      "concat_split.toml",
      net(7, 7, 8,
          "[[layer]]\nname = \"a\"\nop = \"conv2d\"\nout_channels = 1024\nkernel = 1\n"
          "[[layer]]\nname = \"b\"\nop = \"conv2d\"\ninputs = [\"x\"]\n"
          "out_channels = 1024\nkernel = 1\n"
          "[[layer]]\nname = \"cat\"\nop = \"concat\"\ninputs = [\"a\", \"b\"]\n"
          "[[layer]]\nname = \"gap\"\nop = \"global_avg_pool\"\n"
          "[[layer]]\nname = \"fc\"\nop = \"fully_connected\"\nout_channels = 8\n"));
  const Mapping m = mapNetwork(n, AccelConfig{});
  EXPECT_EQ(copyTiles(m), 0);
  const MappedTensor &cat = m.tensors[size_t(tensorNamed(m, "cat"))];
  const MappedTensor &b = m.tensors[size_t(tensorNamed(m, "b"))];
  // 1304 channels per data-buffer block of the pool (docs/mapping.md, "Tiling").
  EXPECT_EQ(cat.block_start, (std::vector<int>{0, 1024, 1304, 2048}));
  EXPECT_EQ(b.block_start, (std::vector<int>{0, 280, 1024}));
  EXPECT_EQ(layerNamed(n, m, "b").block_start, b.block_start);
  expectCoverage(n, m, "default");
  expectGolden(m, 45, "default");
}

// A copy larger than the scratch runs in bands of rows (here the network input, 24x16x16,
// into a concat too large for a 1024-word data buffer, both in external memory).
TEST(Concat, LargeCopiesRunInRowBands) {
  const Network n = test::networkFromToml(
      "concat_bands.toml",
      net(24, 16, 16,
          "[[layer]]\nname = \"a\"\nop = \"conv2d\"\nout_channels = 16\nkernel = 1\n"
          "[[layer]]\nname = \"cat\"\nop = \"concat\"\ninputs = [\"x\", \"a\"]\n"
          "[[layer]]\nname = \"dw\"\nop = \"depthwise_conv2d\"\nkernel = 3\n"
          "padding = \"same\"\n"
          "[[layer]]\nname = \"gap\"\nop = \"global_avg_pool\"\n"));
  AccelConfig small;
  small.act_banks = 2;
  small.act_bank_words = 512;
  const Mapping m = mapNetwork(n, small);
  const MappedLayer &dw = layerNamed(n, m, "dw");
  ASSERT_EQ(dw.copies.size(), 1u);
  int bands = 0;
  for (const MappedTile &tile : dw.tiles) {
    if (!tile.copy) continue;
    ++bands;
    EXPECT_LT(tile.row1 - tile.row0, 24);
    EXPECT_GT(tile.desc.act_dma_words, 0);
    EXPECT_GT(tile.desc.out_dma_words, 0);
  }
  EXPECT_GT(bands, 1);
  expectCoverage(n, m, "bands");
  expectGolden(m, 37, "bands");
}

// --- pools larger than 15x15 (docs/mapping.md, "Large pools") ---------------------------

// The golden network runs the same two passes (sim/NetData); a max of maxes is the
// window's maximum, so the split MAXPOOL equals the single-window definition.
TEST(LargePools, SplitIntoTwoPassesAndStayExact) {
  const Network ds = test::networkFromToml("dscnn_pool.toml", test::kDsCnnPoolNetworkToml);
  const Network gp = test::networkFromToml("global_pools.toml", test::kGlobalPoolNetworkToml);
  const Mapping m_ds = mapNetwork(ds, AccelConfig{});
  const Mapping m_gp = mapNetwork(gp, AccelConfig{});
  EXPECT_EQ(int(m_ds.layers.size()), ds.schedulableLayerCount());
  EXPECT_EQ(int(m_gp.layers.size()), gp.schedulableLayerCount());
  struct Expect {
    const Network *net;
    const Mapping *m;
    const char *layer;
    std::array<int, 5> pass1;  // kh, kw, stride, out_h, out_w
    std::array<int, 5> pass2;
  };
  const Expect expects[] = {
      {&ds, &m_ds, "pool", {5, 5, 5, 5, 1}, {5, 1, 1, 1, 1}},  // 125 = 25 x 5
      {&gp, &m_gp, "gap", {8, 8, 8, 4, 4}, {4, 4, 1, 1, 1}},   // 32x32
      {&gp, &m_gp, "gmp", {8, 8, 8, 4, 4}, {4, 4, 1, 1, 1}},
      {&gp, &m_gp, "mp16", {8, 8, 8, 4, 4}, {2, 2, 2, 2, 2}},  // 16x16 stride 16
  };
  for (const Expect &e : expects) {
    SCOPED_TRACE(e.layer);
    const MappedLayer &l = layerNamed(*e.net, *e.m, e.layer);
    ASSERT_GE(l.intermediate, 0);
    EXPECT_EQ(
        (std::array<int, 5>{l.pass1.kh, l.pass1.kw, l.pass1.stride, l.pass1.out_h, l.pass1.out_w}),
        e.pass1);
    EXPECT_EQ(
        (std::array<int, 5>{l.shape.kh, l.shape.kw, l.shape.stride, l.shape.out_h, l.shape.out_w}),
        e.pass2);
    EXPECT_EQ(l.pass1.act_min, -128);  // the activation is the second pass's
    int pass1 = 0;
    for (const MappedTile &t : l.tiles) pass1 += t.pass1;
    EXPECT_GT(pass1, 0);
    EXPECT_TRUE(l.tiles.front().pass1);
    EXPECT_FALSE(l.tiles.back().pass1);
  }
  EXPECT_EQ(layerNamed(gp, m_gp, "mp16").shape.act_min, 0);  // relu
  EXPECT_LT(layerNamed(gp, m_gp, "gap2").intermediate, 0);
  for (const auto &[n, m] : {std::pair{&ds, &m_ds}, std::pair{&gp, &m_gp}}) {
    expectCoverage(*n, *m, n->name);
    expectGolden(*m, 41, n->name);
    MappingOptions spill;
    spill.spill_all = true;
    expectGolden(mapNetwork(*n, AccelConfig{}, spill), 42, n->name + " spill_all");
    for (const auto &[config_name, cfg] : tightConfigs()) {
      const Mapping tight = mapNetwork(*n, cfg);
      expectCoverage(*n, tight, n->name + " " + config_name);
      expectGolden(tight, 43, n->name + " " + config_name);
    }
  }
  // Max of maxes: the global max pool's golden value is the plane's maximum.
  const NetData data = makeNetData(m_gp, 44);
  const MappedLayer &gmp = layerNamed(gp, m_gp, "gmp");
  const std::vector<int8_t> &in = data.values[size_t(gmp.inputs[0])];
  const std::vector<int8_t> &out = data.values[size_t(gmp.output)];
  ASSERT_EQ(out.size(), 16u);
  for (size_t c = 0; c < 16; ++c) {
    int8_t max = -128;
    for (size_t p = 0; p < 32 * 32; ++p) max = std::max(max, in[p * 16 + c]);
    EXPECT_EQ(out[c], max) << "channel " << c;
  }
}

// The refusals: each names the layer (and its op) and what does not fit.
void expectRefusal(const std::string &file, const std::string &toml, int id,
                   const std::vector<std::string> &needles, const AccelConfig &cfg = {}) {
  const Network n = test::networkFromToml(file, toml);
  try {
    mapNetwork(n, cfg);
    ADD_FAILURE() << file << " mapped; expected PF-" << id;
  } catch (const Error &e) {
    EXPECT_EQ(e.id(), id) << e.formatted();
    EXPECT_EQ(e.loc().file, n.source_file);
    EXPECT_GT(e.loc().line, 0) << e.formatted();
    for (const std::string &needle : needles)
      EXPECT_NE(e.formatted().find(needle), std::string::npos)
          << "'" << needle << "' missing from: " << e.formatted();
  }
}

TEST(HostLayers, TheirTensorsStayInExternalMemoryAndTheNetworkStaysExact) {
  const Network net = test::networkFromToml("host.toml", test::kHostNetworkToml);
  const Mapping m = mapNetwork(net, AccelConfig{});
  ASSERT_EQ(m.host_layers.size(), 6u);  // hs, gate, se, sig, tr, prob
  EXPECT_EQ(int(m.layers.size() + m.host_layers.size()), net.schedulableLayerCount());
  std::vector<std::string> names;
  for (const MappedHostLayer &host : m.host_layers) {
    names.push_back(net.layers[size_t(host.index)].name);
    EXPECT_TRUE(runsOnHost(net.layers[size_t(host.index)].op));
    for (int t : host.inputs) EXPECT_TRUE(m.tensors[size_t(t)].external) << names.back();
    EXPECT_TRUE(m.tensors[size_t(host.output)].external) << names.back();
    EXPECT_FALSE(m.tensors[size_t(host.output)].on_chip) << names.back();
  }
  EXPECT_EQ(names, (std::vector<std::string>{"hs", "gate", "se", "sig", "tr", "prob"}));
  for (const MappedLayer &layer : m.layers)
    EXPECT_FALSE(runsOnHost(net.layers[size_t(layer.index)].op));
  // The depthwise output feeds the accelerator's pool and the host's mul: stored once.
  const MappedTensor &dw = m.tensors[size_t(m.host_layers[2].inputs[0])];
  EXPECT_EQ(dw.name, "dw");
  EXPECT_EQ(dw.consumers.size(), 2u);
  const HostOpDesc &se = m.host_layers[2].desc;
  EXPECT_EQ(se.kind, HostOpKind::Mul);
  EXPECT_EQ(se.in2_hwc, (std::array<int, 3>{1, 1, 16}));
  EXPECT_DOUBLE_EQ(se.input_scale, 0.05);
  EXPECT_EQ(m.host_layers[4].desc.out_hwc, (std::array<int, 3>{8, 8, 16}));
  expectGolden(m, 3, "host_ops");
  MappingOptions spill;
  spill.spill_all = true;
  expectGolden(mapNetwork(net, AccelConfig{}, spill), 4, "host_ops spill_all");
}

TEST(HostLayers, AHostOnlyNetworkIsRefusedNamingTheNetwork) {
  const Network net =
      test::networkFromToml("host_only.toml",
                            "[network]\nname = \"h\"\n[input]\nshape_hwc = [1, 1, 10]\n"
                            "[[layer]]\nname = \"p\"\nop = \"softmax\"\n");
  try {
    mapNetwork(net, AccelConfig{});
    ADD_FAILURE() << "mapped a network with no accelerator layer";
  } catch (const Error &e) {
    EXPECT_EQ(e.id(), 6708);
    EXPECT_NE(e.formatted().find("host operators"), std::string::npos) << e.formatted();
  }
}

TEST(Refusal, WeightTileLargerThanTheWeightBuffer) {
  expectRefusal("wide.toml",
                net(6, 6, 1024,
                    "[[layer]]\nname = \"huge\"\nop = \"conv2d\"\nout_channels = 8\n"
                    "kernel = 3\npadding = \"same\"\n"),
                6702, {"layer 'huge' (conv2d)", "1153 weight words", "weight buffer holds 1024"});
}

TEST(Refusal, OneOutputRowLargerThanTheDataBuffer) {
  expectRefusal("long.toml",
                net(3, 4000, 16,
                    "[[layer]]\nname = \"strip\"\nop = \"conv2d\"\nout_channels = 16\n"
                    "kernel = 3\n"),
                6703,
                {"layer 'strip' (conv2d)", "smallest tile (one output row) needs 31996 words",
                 "data buffer holds 8192"});
}

TEST(Refusal, RelabellingThatMovesChannelPadding) {
  expectRefusal("pad.toml",
                net(3, 3, 4,
                    "[[layer]]\nname = \"c\"\nop = \"conv2d\"\nout_channels = 4\nkernel = 1\n"
                    "[[layer]]\nname = \"flat\"\nop = \"flatten\"\n"
                    "[[layer]]\nname = \"fc\"\nop = \"fully_connected\"\nout_channels = 2\n"),
                6705, {"layer 'flat' (flatten)", "3x3x4 -> 1x1x36", "channel padding"});
}

TEST(Refusal, EncodingLimits) {
  expectRefusal("strides.toml",
                net(8, 8, 8,
                    "[[layer]]\nname = \"s\"\nop = \"conv2d\"\nout_channels = 8\n"
                    "kernel = 1\nstride = [1, 2]\n"),
                6720, {"layer 's' (conv2d)", "stride 1x2"});
  expectRefusal("kernel.toml",
                net(20, 20, 8,
                    "[[layer]]\nname = \"k\"\nop = \"conv2d\"\nout_channels = 8\n"
                    "kernel = 17\n"),
                6701, {"layer 'k' (conv2d)", "kernel 17"});
  expectRefusal("pool.toml",
                net(40, 7, 8,
                    "[[layer]]\nname = \"p\"\nop = \"avg_pool\"\nkernel = [31, 7]\n"
                    "stride = 31\n"),
                6721, {"layer 'p' (avg_pool)", "cannot be refolded"});
}

TEST(Refusal, RelabellingAChannelBlockedTensor) {
  // 3x3 64->128 needs 1168 weight words: its output is stored in two channel blocks, which
  // a reshape cannot relabel (only a convolution's input is gathered).
  expectRefusal("blocked.toml",
                net(4, 4, 64,
                    "[[layer]]\nname = \"a\"\nop = \"conv2d\"\nout_channels = 128\n"
                    "kernel = 3\npadding = \"same\"\n"
                    "[[layer]]\nname = \"flat\"\nop = \"reshape\"\nshape_hwc = [1, 1, 2048]\n"
                    "[[layer]]\nname = \"fc\"\nop = \"fully_connected\"\nout_channels = 8\n"),
                6704, {"layer 'flat' (reshape)", "relabels 'a'", "2 channel blocks"});
}

TEST(Refusal, ConcatsThatCannotBeMapped) {
  // 4 + 4 channels: blocks that are not whole words, which a convolution cannot gather.
  expectRefusal("concat_words.toml",
                net(4, 4, 8,
                    "[[layer]]\nname = \"a\"\nop = \"conv2d\"\nout_channels = 4\nkernel = 1\n"
                    "[[layer]]\nname = \"b\"\nop = \"conv2d\"\ninputs = [\"x\"]\n"
                    "out_channels = 4\nkernel = 1\n"
                    "[[layer]]\nname = \"cat\"\nop = \"concat\"\ninputs = [\"a\", \"b\"]\n"
                    "[[layer]]\nname = \"c\"\nop = \"conv2d\"\nout_channels = 8\nkernel = 1\n"),
                6729,
                {"layer 'c' (conv2d)", "reads 'cat'", "starting at channels 0, 4",
                 "concat 'cat' is stored as one channel block per input", "multiple of 8"});
  // The network output needing a copy: nothing runs after it.
  expectRefusal("concat_output.toml",
                net(4, 4, 8,
                    "[[layer]]\nname = \"a\"\nop = \"conv2d\"\nout_channels = 8\nkernel = 1\n"
                    "[[layer]]\nname = \"cat\"\nop = \"concat\"\ninputs = [\"x\", \"a\"]\n"),
                6726, {"layer 'cat' (concat)", "copy of 'x'", "network input", "network output"});
  // A relabelled input: its channels are not stored as the concat would join them.
  expectRefusal("concat_reshape.toml",
                net(2, 2, 8,
                    "[[layer]]\nname = \"a\"\nop = \"conv2d\"\nout_channels = 8\nkernel = 1\n"
                    "[[layer]]\nname = \"r\"\nop = \"reshape\"\nshape_hwc = [2, 1, 16]\n"
                    "[[layer]]\nname = \"b\"\nop = \"conv2d\"\ninputs = [\"x\"]\n"
                    "out_channels = 8\nkernel = [1, 2]\nstride = [1, 2]\n"
                    "[[layer]]\nname = \"cat\"\nop = \"concat\"\ninputs = [\"r\", \"b\"]\n"
                    "[[layer]]\nname = \"c\"\nop = \"conv2d\"\nout_channels = 8\nkernel = 1\n"),
                6725, {"layer 'cat' (concat)", "input 'r' is a flatten/reshape of 'a'"});
  // A flatten of a concat of several pixels: its blocks are not contiguous per pixel.
  expectRefusal("concat_flatten.toml",
                net(2, 2, 8,
                    "[[layer]]\nname = \"a\"\nop = \"conv2d\"\nout_channels = 8\nkernel = 1\n"
                    "[[layer]]\nname = \"cat\"\nop = \"concat\"\ninputs = [\"x\", \"a\"]\n"
                    "[[layer]]\nname = \"flat\"\nop = \"flatten\"\n"
                    "[[layer]]\nname = \"fc\"\nop = \"fully_connected\"\nout_channels = 4\n"),
                6704, {"layer 'flat' (flatten)", "relabels 'cat'", "2 channel blocks"});
}

TEST(Refusal, LargePoolsThatCannotBeSplit) {
  expectRefusal("pool17.toml",
                net(17, 17, 8, "[[layer]]\nname = \"g\"\nop = \"global_avg_pool\"\n"), 6721,
                {"layer 'g' (global_avg_pool)", "window 17x17", "cannot be refolded",
                 "product of two numbers <= 15"});
  expectRefusal(
      "pool_stride.toml",
      net(32, 32, 8, "[[layer]]\nname = \"p\"\nop = \"avg_pool\"\nkernel = 16\nstride = 8\n"), 6721,
      {"layer 'p' (avg_pool)", "stride 8x8 differs from the window"});
  expectRefusal("pool_pad.toml",
                net(32, 32, 8,
                    "[[layer]]\nname = \"p\"\nop = \"max_pool\"\nkernel = 16\nstride = 16\n"
                    "padding = [1, 1, 0, 0]\n"),
                6721, {"layer 'p' (max_pool)", "it has padding"});
}

TEST(Refusal, BadAcceleratorParameters) {
  AccelConfig cfg;
  cfg.act_banks = 3;
  try {
    mapNetwork(zoo("mlperf_tiny_kws_dscnn"), cfg);
    ADD_FAILURE() << "3 banks accepted";
  } catch (const Error &e) {
    EXPECT_EQ(e.id(), 6707);
    EXPECT_NE(e.formatted().find("ACT_BANKS 3"), std::string::npos) << e.formatted();
  }
}

}  // namespace
}  // namespace pf
