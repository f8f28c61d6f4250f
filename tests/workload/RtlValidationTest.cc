// Validation of the workload profile against the RTL: every descriptor of every layer of
// the MLPerf Tiny networks runs in the Verilated pf_accel, back to back on one harness
// (so on-chip tensors really stay in the buffers between descriptors), with random
// weights and inputs. Per layer the measured cycles (first start to the cycle after the
// last done) must equal the profile's total_cycles exactly, and so must every phase; the
// PE groups and banks the RTL activates must be those the profile reports; the tensors
// the mapping leaves in external memory must be bit-exact with golden/Reference.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "golden/Packing.hh"
#include "net/Network.hh"
#include "net/onnx/OnnxReader.hh"
#include "sim/AccelHarness.hh"
#include "sim/NetData.hh"
#include "tests/workload/TestNetworks.hh"
#include "workload/Mapping.hh"
#include "workload/Profile.hh"

namespace pf {
namespace {

const AccelConfig kCfg = AccelHarness::builtConfig();

Network zoo(const std::string &name) {
  return readNetwork(std::string(PF_SOURCE_DIR) + "/nets/" + name + ".toml");
}

// What the RTL did while running one layer's descriptors.
struct Measured {
  int64_t cycles = 0;  // harness cycles from the first start to the cycle after the last done
  PhaseCycles phases;  // control = start cycles + done cycles
  uint32_t pe = 0, act_banks = 0, w_banks = 0;
  int64_t read_beats = 0, write_beats = 0;
};

struct NetRun {
  std::vector<Measured> layers;
  std::vector<uint8_t> memory;  // external memory after the last descriptor
  int64_t cycles = 0;
  double seconds = 0;
};

// Runs every descriptor of the mapping in order; fails the test on any RTL error.
NetRun runOnRtl(const Mapping &m, const NetData &data, const MemoryTiming &timing) {
  const auto start = std::chrono::steady_clock::now();
  AccelHarness h(timing, size_t(m.ext.end) + 64);
  h.writeMemory(0, externalImage(m, data));
  NetRun run;
  // Host layers run between the accelerator layers, in network order, on the harness's
  // external memory (what the host does: sim/NetData's runHostLayer); the accelerator
  // measures nothing for them.
  for (const MappedStage &stage : mappedStages(m)) {
    if (stage.host) {
      const MappedHostLayer &host = m.host_layers[size_t(stage.index)];
      h.writeMemory(m.tensors[size_t(host.output)].ext_addr,
                    runHostLayer(m, host, h.readMemory(0, m.ext.end)));
      run.layers.push_back(Measured{});
      continue;
    }
    const MappedLayer &layer = m.layers[size_t(stage.index)];
    Measured measured;
    const uint64_t first = h.cycle();
    for (const MappedTile &tile : layer.tiles) {
      const RunResult r = h.run(tile.desc, tile.desc_addr, 10'000'000);
      EXPECT_TRUE(r.done) << "timeout: " << describeLayer(tile.desc);
      EXPECT_EQ(r.err_code, 0) << describeLayer(tile.desc);
      for (const std::string &e : r.protocol_errors) ADD_FAILURE() << e;
      measured.phases.fetch += int64_t(r.phase(kFetch));
      measured.phases.load += int64_t(r.phase(kLoad));
      measured.phases.compute += int64_t(r.phase(kCompute));
      measured.phases.store += int64_t(r.phase(kStore));
      measured.phases.control += int64_t(r.phase(kIdle)) + 1;  // done cycle + start cycle
      measured.pe |= r.pe_active_in_compute;
      measured.act_banks |= r.act_bank_active_any;
      measured.w_banks |= r.w_bank_active_any;
      measured.read_beats += int64_t(r.read_beats);
      measured.write_beats += int64_t(r.write_beats);
    }
    measured.cycles = int64_t(h.cycle() - first);
    measured.phases.total = measured.cycles;
    run.cycles += measured.cycles;
    run.layers.push_back(measured);
  }
  run.memory = h.readMemory(0, m.ext.end);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

// The whole check for one network: cycles, phases, activity and data.
void validateNetwork(const Network &net, const MappingOptions &options, int latency,
                     uint32_t seed) {
  const std::string &name = net.name;
  Mapping m;
  try {
    m = mapNetwork(net, kCfg, options);
  } catch (const Error &e) {
    GTEST_SKIP() << "not mappable with these parameters: " << e.formatted();
  }
  ProfileOptions profile_options;
  profile_options.read_latency = latency;
  const Profile p = profileMapping(m, net, profile_options);
  const NetData data = makeNetData(m, seed);
  MemoryTiming timing;
  timing.read_latency = latency;
  const NetRun run = runOnRtl(m, data, timing);
  ASSERT_EQ(run.layers.size(), p.layers.size());
  for (size_t i = 0; i < p.layers.size(); ++i) {
    const LayerProfile &l = p.layers[i];
    const Measured &r = run.layers[i];
    SCOPED_TRACE(fmt::format("{} layer {} ({} tiles)", name, l.name, l.tiles));
    EXPECT_EQ(r.cycles, l.cycles.total) << "layer cycles";
    EXPECT_EQ(r.phases, l.cycles) << "fetch/load/compute/store/control";
    EXPECT_EQ(r.pe, l.pe_groups) << "PE column groups";
    EXPECT_EQ(r.act_banks, l.act_banks_used) << "data banks accessed";
    EXPECT_EQ(r.w_banks, l.w_banks_used) << "weight banks accessed";
    EXPECT_EQ(r.read_beats, l.traffic.fetch_beats + l.traffic.load_beats);
    EXPECT_EQ(r.write_beats, l.traffic.store_beats);
  }
  EXPECT_EQ(run.cycles, p.totalCycles().total);
  for (const std::string &problem : externalMismatches(m, data, run.memory))
    ADD_FAILURE() << name << ": not bit-exact with golden: " << problem;
  const std::string summary = fmt::format(
      "{}{} (latency {}): {} layers, {} descriptors, {} cycles simulated in {:.2f} s ({:.2f} M "
      "cycles/s)",
      name, options.spill_all ? " spill_all" : "", latency, p.layers.size(), m.tileCount(),
      run.cycles, run.seconds, double(run.cycles) / run.seconds / 1e6);
  std::printf("%s\n", summary.c_str());
  ::testing::Test::RecordProperty("summary", summary);
}

MappingOptions spillAll() {
  MappingOptions options;
  options.spill_all = true;
  return options;
}

// The default mapping: on-chip residency between layers, tiled where needed.
TEST(RtlCycles, AdFcAutoencoder) {
  validateNetwork(zoo("mlperf_tiny_ad_fc_autoencoder"), {}, 2, 1);
}
TEST(RtlCycles, IcResNet8) { validateNetwork(zoo("mlperf_tiny_ic_resnet8"), {}, 2, 2); }
TEST(RtlCycles, KwsDsCnn) { validateNetwork(zoo("mlperf_tiny_kws_dscnn"), {}, 2, 3); }
TEST(RtlCycles, VwwMobileNetV1) {
  validateNetwork(zoo("mlperf_tiny_vww_mobilenetv1_025"), {}, 2, 4);
}

// Another memory latency: the profile is written for the latency it states.
TEST(RtlCycles, KwsDsCnnAtReadLatency5) { validateNetwork(zoo("mlperf_tiny_kws_dscnn"), {}, 5, 5); }

// Every layer's output stored to external memory: each full layer (CONV, DWCONV, ADD,
// AVGPOOL incl. the refolded 24x5 pool, tiled, blocked and pixel-tiled layers) is
// compared bit for bit with golden, and the cycles still match.
TEST(RtlExact, EveryLayerOutputOfResNet8) {
  validateNetwork(zoo("mlperf_tiny_ic_resnet8"), spillAll(), 2, 6);
}
TEST(RtlExact, EveryLayerOutputOfDsCnn) {
  validateNetwork(zoo("mlperf_tiny_kws_dscnn"), spillAll(), 2, 7);
}
TEST(RtlExact, EveryLayerOutputOfMobileNetV1) {
  validateNetwork(zoo("mlperf_tiny_vww_mobilenetv1_025"), spillAll(), 2, 8);
}
TEST(RtlExact, EveryLayerOutputOfAutoencoder) {
  validateNetwork(zoo("mlperf_tiny_ad_fc_autoencoder"), spillAll(), 2, 9);
}

// MAXPOOL (no MLPerf Tiny network has one), x + x, a reshape and a one-row convolution
// with unequal strides; resident and spilled.
// Host operators between accelerator layers (every kind): the accelerator's layers take
// their profiled cycles and every tensor in external memory, host outputs included, is
// bit-exact with the golden network run (golden/HostOps between golden/Reference layers).
TEST(RtlExact, HostOperatorsBetweenAcceleratorLayers) {
  validateNetwork(test::networkFromToml("host.toml", test::kHostNetworkToml), {}, 2, 5);
}

// The networks as users have them (issue 12): every ONNX model of nets/tests/onnx/ read by
// the ONNX reader (a classifier ending in softmax, a MobileNetV3 block with hard swish and
// squeeze-and-excitation, transposes and a global max pool, SqueezeNet fire modules with
// concat, a DS-CNN with a 25x5 pool, a QDQ model in onnxruntime's default uint8 form):
// profiled cycles equal the RTL's on every accelerator layer and every stored tensor,
// the host's included, is bit-exact with the golden network.
TEST(RtlExact, TestNetworksFromOnnx) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto &entry : fs::directory_iterator(std::string(PF_SOURCE_DIR) + "/nets/tests/onnx"))
    if (entry.path().extension() == ".onnx") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 6u);
  uint32_t seed = 30;
  for (const fs::path &file : files) {
    SCOPED_TRACE(file.filename().string());
    validateNetwork(readNetworkFile(file.string()), {}, 2, seed++);
  }
}

TEST(RtlExact, MaxPoolAndRelabelling) {
  const Network net = test::networkFromToml(
      "rtl_features.toml",
      "[network]\nname = \"features\"\n[input]\nshape_hwc = [19, 12, 16]\n"
      "[[layer]]\nname = \"pool\"\nop = \"max_pool\"\nkernel = 3\nstride = 2\n"
      "padding = \"same\"\n"
      "[[layer]]\nname = \"twice\"\nop = \"add\"\ninputs = [\"pool\", \"pool\"]\n"
      "activation = \"relu\"\n"
      "[[layer]]\nname = \"flat\"\nop = \"reshape\"\nshape_hwc = [1, 10, 96]\n"
      "[[layer]]\nname = \"row\"\nop = \"conv2d\"\nout_channels = 24\nkernel = [1, 3]\n"
      "stride = [4, 2]\n"
      "[[layer]]\nname = \"gap\"\nop = \"global_avg_pool\"\n");
  validateNetwork(net, {}, 2, 10);
  validateNetwork(net, spillAll(), 3, 11);
}

// Channel-blocked tensors gathered into plain copies for the convolutions reading them
// (docs/mapping.md), a copy reused by pixel tiles; resident and spilled. The MLPerf Tiny
// networks need no gather on the default accelerator (their weight images fit).
TEST(RtlExact, GatheredChannelBlocks) {
  const Network net = test::networkFromToml("rtl_gather.toml", test::kGatherNetworkToml);
  validateNetwork(net, {}, 2, 12);
  validateNetwork(net, spillAll(), 3, 13);
}

// Concats stored in place (docs/mapping.md, "Concat"): producers writing adjacent
// channel blocks of one tensor, per-channel layers reading it block-wise, a nested concat
// gathered for a convolution, nested concats (a DenseNet-like block) and a concat as the
// network output; resident and spilled. Then the test network of nets/tests/
// with two SqueezeNet fire modules (and a host softmax).
TEST(RtlExact, ConcatStoredInPlace) {
  const Network net = test::networkFromToml("rtl_concat.toml", test::kConcatNetworkToml);
  validateNetwork(net, {}, 2, 14);
  validateNetwork(net, spillAll(), 3, 15);
  const Network dense = test::networkFromToml("rtl_dense.toml", test::kDenseConcatNetworkToml);
  validateNetwork(dense, {}, 2, 23);
  validateNetwork(dense, spillAll(), 3, 24);
  validateNetwork(readNetwork(std::string(PF_SOURCE_DIR) + "/nets/tests/test_squeezenet_fire.toml"),
                  {}, 2, 16);
}

// Concat inputs copied into place (the network input, an input stored in another concat,
// an input given twice), a host layer's output stored in place, and a concat of 4 + 4
// channels to the network output; resident and spilled.
TEST(RtlExact, ConcatCopies) {
  const Network net = test::networkFromToml("rtl_concat_copy.toml", test::kConcatCopyNetworkToml);
  validateNetwork(net, {}, 2, 17);
  validateNetwork(net, spillAll(), 3, 18);
}

// Pools larger than 15x15 in two passes (docs/mapping.md, "Large pools"): a DS-CNN-like
// network's 25x5 average pool, 32x32 global average and max pools and a 16x16 max pool
// with stride 16. Each is one profiled layer whose cycles include both passes.
TEST(RtlExact, LargePoolsInTwoPasses) {
  const Network ds = test::networkFromToml("rtl_dscnn_pool.toml", test::kDsCnnPoolNetworkToml);
  validateNetwork(ds, {}, 2, 19);
  validateNetwork(ds, spillAll(), 3, 20);
  const Network gp = test::networkFromToml("rtl_global_pools.toml", test::kGlobalPoolNetworkToml);
  validateNetwork(gp, {}, 2, 21);
  validateNetwork(gp, spillAll(), 3, 22);
}

}  // namespace
}  // namespace pf

namespace pf {
namespace {

// The time rule of workload/Profile.hh with a memory that accepts one 8-byte request
// every K cycles (B = 8/K bytes per cycle): predicted = total + (K - 1) x beats. It is an
// upper bound, loose by at most K - 1 cycles per DMA command (fetch, load or store: the
// first request of a command finds the memory ready) plus min(K - 1, 2) per stored word
// (the store's buffer-read and latch cycles overlap the wait for the memory).
TEST(RtlTimeRule, BandwidthLimitedMemoryIsBoundedByTheRule) {
  for (const char *name : {"mlperf_tiny_ad_fc_autoencoder", "mlperf_tiny_kws_dscnn"}) {
    const Network net = zoo(name);
    const Mapping m = mapNetwork(net, kCfg);
    const Profile p = profileMapping(m, net);
    const NetData data = makeNetData(m, 1);
    for (int k : {2, 4}) {
      MemoryTiming timing;
      timing.request_interval = k;
      const NetRun run = runOnRtl(m, data, timing);
      double worst = 0;
      for (size_t i = 0; i < p.layers.size(); ++i) {
        const LayerProfile &l = p.layers[i];
        SCOPED_TRACE(fmt::format("{} K={} layer {}", name, k, l.name));
        const int64_t beats = l.traffic.fetch_beats + l.traffic.load_beats + l.traffic.store_beats;
        const int64_t predicted = l.cycles.total + (k - 1) * beats;
        int64_t commands = 0;
        for (const ProfileTile &t : l.descriptors)
          commands += 1 + (t.desc.act_dma_words > 0) + (t.desc.act2_dma_words > 0) +
                      (t.desc.w_dma_words > 0) + (t.desc.out_dma_words > 0);
        const int64_t stored = l.traffic.spill_store_words + l.traffic.output_store_words;
        const int64_t slack = predicted - run.layers[i].cycles;
        EXPECT_GE(slack, 0) << "the rule must not promise less time than the RTL takes";
        EXPECT_LE(slack, (k - 1) * commands + std::min(k - 1, 2) * stored);
        worst = std::max(worst, double(slack) / double(run.layers[i].cycles));
      }
      std::printf("%s, one request per %d cycles: rule - RTL <= %.2f%% of a layer\n", name, k,
                  100.0 * worst);
    }
  }
}

}  // namespace
}  // namespace pf

namespace pf {
namespace {

// Reports the simulated cycles of the whole binary (when its tests run in one process).
class CycleReport : public ::testing::Environment {
 public:
  void TearDown() override {
    std::printf("simulated %llu RTL cycles in this process\n",
                static_cast<unsigned long long>(AccelHarness::totalCycles()));
  }
};
const auto *const kCycleReport = ::testing::AddGlobalTestEnvironment(new CycleReport);

}  // namespace
}  // namespace pf
