// Physics of the gate-level energy of pf_pe_group (mapped onto the stub library, priced
// at 0.6, 0.8 and 1.1 V): energy per MAC scales roughly with V^2, falls as operand
// sparsity and bit activity fall, and idle and gated cycles cost less than MAC cycles.
// Slow: Yosys (~3 s) + Verilator build of ~9k cells (~20-60 s, cached in the build tree).
#include <gtest/gtest.h>

#include <cmath>

#include "characterize/energy/PeGroupEnergy.hh"
#include "characterize/energy/YosysMap.hh"

namespace pf::energy {
namespace {

const std::string kLibDir = PF_SOURCE_DIR "/pdk_stub/lib/";

class PeGroupPhysics : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    for (const char *corner : {"v0p60", "v0p80", "v1p10"})
      libs_.push_back(liberty::readLiberty(kLibDir + "pf40lp_std_" + corner + ".lib"));
    const YosysMapResult mapped =
        mapWithYosys({PF_SOURCE_DIR "/rtl/pf_pe_group.v"}, "pf_pe_group",
                     kLibDir + "pf40lp_std_v1p10.lib", PF_ENERGY_WORK_DIR "/pe_map");
    netlist_ = new GateNetlist(readBlif(mapped.blif_path));
    std::vector<const liberty::Library *> ptrs;
    for (const liberty::Library &l : libs_) ptrs.push_back(&l);
    tables_ =
        characterizePeGroup(*netlist_, ptrs, PeGroupEnergyOptions{}, PF_ENERGY_WORK_DIR "/pe_sim");
  }
  static void TearDownTestSuite() { delete netlist_; }

  static double mac(const PeGroupEnergyTable &t, double sparsity) {
    const PeGroupClassEnergy *c = t.find("mac", sparsity);
    EXPECT_NE(c, nullptr);
    return c ? c->per_cycle.totalPj() / t.macsPerCycle() : 0;
  }
  static double cls(const PeGroupEnergyTable &t, const std::string &name) {
    const PeGroupClassEnergy *c = t.find(name);
    EXPECT_NE(c, nullptr) << name;
    return c ? c->per_cycle.totalPj() : 0;
  }

  static inline std::vector<liberty::Library> libs_;
  static inline GateNetlist *netlist_ = nullptr;
  static inline std::vector<PeGroupEnergyTable> tables_;
};

TEST_F(PeGroupPhysics, EnergyPerMacScalesWithVSquared) {
  ASSERT_EQ(tables_.size(), 3u);
  // Bound: the ratio of energies is within +-25 % of the ratio of V^2. Everything in the
  // model is C V^2 except short-circuit energy, which the stub adds above ~0.85 V.
  for (double s : {0.0, 0.5, 0.9}) {
    for (size_t hi = 1; hi < tables_.size(); ++hi) {
      const double v_ratio2 = std::pow(tables_[hi].voltage_v / tables_[0].voltage_v, 2);
      const double e_ratio = mac(tables_[hi], s) / mac(tables_[0], s);
      EXPECT_GT(e_ratio, 0.75 * v_ratio2) << "sparsity " << s << " V " << tables_[hi].voltage_v;
      EXPECT_LT(e_ratio, 1.25 * v_ratio2) << "sparsity " << s << " V " << tables_[hi].voltage_v;
    }
  }
}

TEST_F(PeGroupPhysics, EnergyPerMacFallsWithSparsity) {
  for (const PeGroupEnergyTable &t : tables_) {
    const std::vector<double> s = PeGroupEnergyOptions{}.sparsities;
    for (size_t i = 1; i < s.size(); ++i)
      EXPECT_LT(mac(t, s[i]), mac(t, s[i - 1])) << t.library << " sparsity " << s[i];
    EXPECT_LT(mac(t, 0.9), 0.75 * mac(t, 0.0)) << t.library;  // a visible effect, not noise
  }
}

TEST_F(PeGroupPhysics, IdleAndGatedCostLess) {
  for (const PeGroupEnergyTable &t : tables_) {
    const double mac_sparse_cycle = mac(t, 0.9) * t.macsPerCycle();
    EXPECT_LT(cls(t, "idle_clocked"), mac_sparse_cycle) << t.library;
    EXPECT_LT(cls(t, "idle_clocked_quiet"), cls(t, "idle_clocked")) << t.library;
    EXPECT_LT(cls(t, "gated"), cls(t, "idle_clocked")) << t.library;
    EXPECT_LT(cls(t, "gated"), cls(t, "idle_clocked_quiet")) << t.library;
    EXPECT_EQ(cls(t, "gated_quiet"), 0.0) << t.library;  // nothing moves: no dynamic energy
  }
}

TEST_F(PeGroupPhysics, LowerBitActivityCostsLess) {
  PeGroupEnergyOptions low;
  low.sparsities = {0.0};
  low.bit_activity = 0.1;
  const std::vector<const liberty::Library *> one = {&libs_[0]};
  // Same netlist and cell set: the cached simulator build is reused.
  const auto tables = characterizePeGroup(*netlist_, one, low, PF_ENERGY_WORK_DIR "/pe_sim");
  EXPECT_LT(mac(tables[0], 0.0), 0.8 * mac(tables_[0], 0.0));
}

}  // namespace
}  // namespace pf::energy
