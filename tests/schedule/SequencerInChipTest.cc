// The power sequencer's characterized cost (issue 10 item 8) is part of the always-on
// domain the scheduler prices: leakage and energy per cycle add up, and a table without
// the sequencer is refused rather than scheduled without it.
#include <gtest/gtest.h>

#include "core/Design.hh"
#include "sched/io/ChipModelFromTables.hh"
#include "tests/schedule/StandInCharacterization.hh"

namespace pf::test {
namespace {

TEST(SequencerInChip, AddsToTheAlwaysOnDomainAtEveryRail) {
  const DesignSpec design = readDesign(PF_SOURCE_DIR "/rtl/design.toml");
  const Characterization table = standInCharacterization(design);
  const sched::ChipModel chip = chipModelFromTables(design, table, "c.json");
  const DomainCharacterization &aon = *table.findDomain("aon");
  const sched::DomainPhysics &physics = chip.domains[0];
  ASSERT_EQ(physics.domain_class, sched::DomainClass::AlwaysOn);
  for (size_t r = 0; r < design.rail_voltages_v.size(); ++r) {
    size_t corner = 0;
    while (std::abs(table.corners[corner].voltage_v - design.rail_voltages_v[r]) > 1e-6) ++corner;
    EXPECT_DOUBLE_EQ(physics.leakage_nw[r],
                     aon.leakage_nw[corner] + table.sequencer.leakage_nw[corner]);
    EXPECT_DOUBLE_EQ(physics.active_cycle_pj[r],
                     aon.findOperation("active_cycle")->energy_pj[corner] +
                         table.sequencer.energy_per_cycle_pj[corner]);
    EXPECT_DOUBLE_EQ(physics.idle_cycle_pj[r],
                     aon.findOperation("idle_clocked_cycle")->energy_pj[corner] +
                         table.sequencer.energy_per_cycle_pj[corner]);
  }
  // The switchable domains are untouched.
  EXPECT_DOUBLE_EQ(chip.domains[1].leakage_nw[0],
                   table.findDomain(chip.domains[1].name)->leakage_nw[0]);
}

TEST(SequencerInChip, ATableWithoutTheSequencerIsRefused) {
  const DesignSpec design = readDesign(PF_SOURCE_DIR "/rtl/design.toml");
  Characterization table = standInCharacterization(design);
  table.sequencer = {};
  try {
    chipModelFromTables(design, table, "old.json");
    FAIL() << "accepted";
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), 7106);
    EXPECT_EQ(error.field(), "sequencer");
    EXPECT_EQ(error.loc().file, "old.json");
  }
}

}  // namespace
}  // namespace pf::test
