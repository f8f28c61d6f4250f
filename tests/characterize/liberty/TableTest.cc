// Table::lookup: bilinear interpolation inside the grid, linear extrapolation outside,
// (transition, load) mapped onto whatever axes the template declared. Expected values are
// worked out by hand in the comments.
#include <gtest/gtest.h>

#include "characterize/liberty/Liberty.hh"

namespace pf::liberty {
namespace {

// index_1 = input transition {0.1, 0.2} ns, index_2 = load {0.01, 0.03} pF
//            load 0.01  load 0.03
// slew 0.1      1          2
// slew 0.2      3          5
Table slewLoadTable() {
  Table table;
  table.variable_1 = TableVariable::InputTransitionNs;
  table.variable_2 = TableVariable::OutputLoadPf;
  table.index_1 = {0.1, 0.2};
  table.index_2 = {0.01, 0.03};
  table.values = {1, 2, 3, 5};
  return table;
}

TEST(Table, GridPointsAreExact) {
  Table table = slewLoadTable();
  EXPECT_DOUBLE_EQ(table.lookup(0.1, 0.01), 1);
  EXPECT_DOUBLE_EQ(table.lookup(0.1, 0.03), 2);
  EXPECT_DOUBLE_EQ(table.lookup(0.2, 0.01), 3);
  EXPECT_DOUBLE_EQ(table.lookup(0.2, 0.03), 5);
}

TEST(Table, BilinearBetweenPoints) {
  Table table = slewLoadTable();
  // slew halfway: 1..3 -> 2 and 2..5 -> 3.5; load halfway: (2 + 3.5) / 2 = 2.75
  EXPECT_DOUBLE_EQ(table.lookup(0.15, 0.02), 2.75);
  // slew 1/4 of the way, load 3/4: low row 1 + 0.75 * 1 = 1.75, high row 3 + 0.75 * 2 = 4.5,
  // 1.75 + 0.25 * (4.5 - 1.75) = 2.4375
  EXPECT_NEAR(table.lookup(0.125, 0.025), 2.4375, 1e-12);
}

TEST(Table, LinearExtrapolationOutsideTheGrid) {
  Table table = slewLoadTable();
  EXPECT_DOUBLE_EQ(table.lookup(0.3, 0.01), 5);   // 1 + (3 - 1) * 2
  EXPECT_DOUBLE_EQ(table.lookup(0.1, 0.0), 0.5);  // 1 + (2 - 1) * -0.5
  EXPECT_DOUBLE_EQ(table.lookup(0.2, 0.05), 7);   // 3 + (5 - 3) * 2
  EXPECT_DOUBLE_EQ(table.lookup(0.0, 0.01), -1);  // 1 - (3 - 1)
}

TEST(Table, SwappedAxesGiveTheSameAnswer) {
  Table swapped;  // index_1 = load, index_2 = slew: the transpose of slewLoadTable()
  swapped.variable_1 = TableVariable::OutputLoadPf;
  swapped.variable_2 = TableVariable::InputTransitionNs;
  swapped.index_1 = {0.01, 0.03};
  swapped.index_2 = {0.1, 0.2};
  swapped.values = {1, 3, 2, 5};
  Table table = slewLoadTable();
  for (double slew : {0.05, 0.1, 0.13, 0.2, 0.4})
    for (double load : {0.0, 0.01, 0.017, 0.03, 0.08})
      EXPECT_NEAR(swapped.lookup(slew, load), table.lookup(slew, load), 1e-12)
          << slew << " " << load;
  EXPECT_DOUBLE_EQ(swapped.lookupByIndex(0.02, 0.15), 2.75);  // raw (load, slew) order
}

TEST(Table, OneDimensionalScalarAndEmpty) {
  Table energy;
  energy.variable_1 = TableVariable::InputTransitionNs;
  energy.index_1 = {0.0, 0.1, 0.3};
  energy.values = {1, 2, 6};
  EXPECT_DOUBLE_EQ(energy.lookup(0.05, 123), 1.5);  // load is not an axis: ignored
  EXPECT_DOUBLE_EQ(energy.lookup(0.2, 0), 4);
  EXPECT_DOUBLE_EQ(energy.lookup(0.5, 0), 10);  // 2 + 4 * 2
  Table scalar;
  scalar.values = {0.7};
  EXPECT_DOUBLE_EQ(scalar.lookup(1, 1), 0.7);
  EXPECT_DOUBLE_EQ(Table().lookup(1, 1), 0);
  EXPECT_TRUE(Table().empty());
}

TEST(Table, SingleRowAxisIsConstantAlongIt) {
  Table table;
  table.variable_1 = TableVariable::InputTransitionNs;
  table.variable_2 = TableVariable::OutputLoadPf;
  table.index_1 = {0.1};
  table.index_2 = {0.0, 0.1};
  table.values = {1, 3};
  EXPECT_DOUBLE_EQ(table.lookup(5.0, 0.05), 2);
}

TEST(Table, ConstraintTablesUseTheTransitionForBothSlewAxes) {
  Table setup;
  setup.variable_1 = TableVariable::ConstrainedPinTransitionNs;
  setup.variable_2 = TableVariable::RelatedPinTransitionNs;
  setup.index_1 = {0.0, 1.0};
  setup.index_2 = {0.0, 1.0};
  setup.values = {0, 1, 2, 3};
  EXPECT_DOUBLE_EQ(setup.lookup(0.5, 99), 1.5);
  EXPECT_DOUBLE_EQ(setup.lookupByIndex(1.0, 0.0), 2);
}

}  // namespace
}  // namespace pf::liberty
