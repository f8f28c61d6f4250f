// Equality of two liberty models, number by number, for tests that write, split, merge
// or re-read libraries and must get the very same model back.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "characterize/liberty/Liberty.hh"

namespace pf::liberty::test {

inline void expectSameTable(const Table &a, const Table &b, const std::string &what) {
  EXPECT_EQ(a.variable_1, b.variable_1) << what;
  EXPECT_EQ(a.variable_2, b.variable_2) << what;
  EXPECT_EQ(a.index_1, b.index_1) << what;
  EXPECT_EQ(a.index_2, b.index_2) << what;
  EXPECT_EQ(a.values, b.values) << what;
}

// The same cells with every number of the model, in the same order.
inline void expectSameCells(const Library &a, const Library &b) {
  ASSERT_EQ(a.cells.size(), b.cells.size());
  for (size_t i = 0; i < a.cells.size(); ++i) {
    const Cell &x = a.cells[i], &y = b.cells[i];
    SCOPED_TRACE(x.name);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.area_um2, y.area_um2);
    EXPECT_EQ(x.leakage_power_nw, y.leakage_power_nw);
    EXPECT_EQ(x.dont_use, y.dont_use);
    EXPECT_EQ(x.is_macro, y.is_macro);
    EXPECT_EQ(x.is_level_shifter, y.is_level_shifter);
    EXPECT_EQ(x.is_power_switch, y.is_power_switch);
    EXPECT_EQ(x.sequential.has_value(), y.sequential.has_value());
    ASSERT_EQ(x.pins.size(), y.pins.size());
    for (size_t p = 0; p < x.pins.size(); ++p) {
      const Pin &u = x.pins[p], &v = y.pins[p];
      EXPECT_EQ(u.name, v.name);
      EXPECT_EQ(u.direction, v.direction) << u.name;
      EXPECT_EQ(u.capacitance_pf, v.capacitance_pf) << u.name;
      EXPECT_EQ(u.function, v.function) << u.name;
      EXPECT_EQ(u.is_clock, v.is_clock) << u.name;
      ASSERT_EQ(u.timing.size(), v.timing.size()) << u.name;
      for (size_t t = 0; t < u.timing.size(); ++t) {
        const TimingArc &m = u.timing[t], &n = v.timing[t];
        EXPECT_EQ(m.related_pin, n.related_pin);
        EXPECT_EQ(m.timing_type, n.timing_type);
        expectSameTable(m.cell_rise_ns, n.cell_rise_ns, u.name + " cell_rise");
        expectSameTable(m.cell_fall_ns, n.cell_fall_ns, u.name + " cell_fall");
        expectSameTable(m.rise_transition_ns, n.rise_transition_ns, u.name + " rise_transition");
        expectSameTable(m.fall_transition_ns, n.fall_transition_ns, u.name + " fall_transition");
        expectSameTable(m.rise_constraint_ns, n.rise_constraint_ns, u.name + " rise_constraint");
        expectSameTable(m.fall_constraint_ns, n.fall_constraint_ns, u.name + " fall_constraint");
      }
      ASSERT_EQ(u.internal_power.size(), v.internal_power.size()) << u.name;
      for (size_t e = 0; e < u.internal_power.size(); ++e) {
        EXPECT_EQ(u.internal_power[e].when, v.internal_power[e].when);
        expectSameTable(u.internal_power[e].rise_energy_pj, v.internal_power[e].rise_energy_pj,
                        u.name + " rise_power");
        expectSameTable(u.internal_power[e].fall_energy_pj, v.internal_power[e].fall_energy_pj,
                        u.name + " fall_power");
      }
    }
  }
}

// Every number the model has: the library's header, then cell by cell, in order.
inline void expectSameLibrary(const Library &a, const Library &b) {
  EXPECT_EQ(a.nominal_voltage_v, b.nominal_voltage_v);
  EXPECT_EQ(a.nominal_process, b.nominal_process);
  EXPECT_EQ(a.nominal_temperature_c, b.nominal_temperature_c);
  EXPECT_EQ(a.supply_voltages_v, b.supply_voltages_v);
  EXPECT_EQ(a.main_supply, b.main_supply);
  EXPECT_EQ(a.default_input_transition_ns, b.default_input_transition_ns);
  expectSameCells(a, b);
}

}  // namespace pf::liberty::test
