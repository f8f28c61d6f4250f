// The report's pure parts on hand-made schedules: what the timeline holds and where, how
// rows fold, what the baseline chart does with an infeasible baseline, deterministic
// number text. No tools, no files.
#include <gtest/gtest.h>

#include "report/Charts.hh"
#include "report/Svg.hh"
#include "report/Timeline.hh"
#include "report/TimelineSvg.hh"

namespace pf::report {
namespace {

using sched::DomainMode;
using sched::DomainState;

const DomainState kOn0{DomainMode::On, 0};
const DomainState kOn1{DomainMode::On, 1};
const DomainState kOff{DomainMode::Off, -1};

// `layers` layers of 100 us on domains {aon, pe, bank}: pe on at rail 0 in even layers and
// off in odd ones (a change at every boundary, look-ahead into the even layers), the bank
// always on at rail 1; idle with pe off.
ScheduleFile schedule(int layers) {
  ScheduleFile s;
  s.physical = true;
  s.network = "toy";
  s.domains = {"aon", "pe_grp0", "act_bank0"};
  s.rail_voltages_v = {0.6, 1.1};
  s.period_ns = 10e6;
  s.deadline_ns = 100e3 * layers + 50e3;
  s.clock.base_mhz = 250;
  s.clock.dividers = {1, 2};
  double t = 0;
  for (int i = 0; i < layers; ++i) {
    ScheduleLayer layer;
    layer.name = "layer" + std::to_string(i);
    layer.clock_divider = 1 + i % 2;
    layer.domains = {kOn1, i % 2 == 0 ? kOn0 : kOff, kOn1};
    layer.by_domain.assign(3, {1000.0, 100.0, 0.0});
    const DomainState before = i == 0 ? kOff : (i % 2 == 0 ? kOff : kOn0);
    if (!(before == layer.domains[1])) {
      sched::DomainChange change{
          1, before, layer.domains[1], i % 2 == 0 ? 40.0 : 0.0, 5.0, i > 0 && i % 2 == 0};
      layer.transition_in.changes.push_back(change);
      layer.transition_in.time_ns = i == 0 ? 40.0 : 0.0;
    }
    layer.start_ns = t + layer.transition_in.time_ns;
    layer.end_ns = layer.start_ns + 100e3;
    t = layer.end_ns;
    s.layers.push_back(layer);
  }
  s.totals.busy_ns = t;
  s.totals.total_pj = 1e6;
  s.idle.domains = {kOn1, kOff, kOn1};
  s.idle.by_domain.assign(3, {});
  if (layers % 2 == 1) s.idle.transition_in.changes.push_back({1, kOn0, kOff, 0.0, 0.0, false});
  return s;
}

size_t changeCount(const ScheduleFile &s) {
  size_t n = s.idle.transition_in.changes.size();
  for (const ScheduleLayer &layer : s.layers) n += layer.transition_in.changes.size();
  return n;
}

TEST(Timeline, OneStateBarPerLayerAndDomainPlusIdleAndOneMarkPerChange) {
  const ScheduleFile s = schedule(5);
  const Timeline t = buildTimeline(s, nullptr, 30);
  EXPECT_EQ(t.source, TimelineSource::Schedule);
  EXPECT_EQ(t.states.size(), (s.layers.size() + 1) * s.domains.size());
  EXPECT_EQ(t.transitions.size(), changeCount(s));
  EXPECT_EQ(t.layers.size(), s.layers.size() + 1);  // and the idle state
  EXPECT_EQ(t.clocks.size(), s.layers.size() + 1);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_TRUE(t.rows[0].last);
  EXPECT_DOUBLE_EQ(t.rows[0].end_ns, s.deadline_ns);
  // The SVG draws every one of them, and the legend none that would be counted.
  const std::string svg = timelineSvg(t);
  size_t states = 0, marks = 0;
  for (size_t at = svg.find("<rect class=\"state"); at != std::string::npos;
       at = svg.find("<rect class=\"state", at + 1))
    ++states;
  for (size_t at = svg.find("<rect class=\"transition\""); at != std::string::npos;
       at = svg.find("<rect class=\"transition\"", at + 1))
    ++marks;
  EXPECT_EQ(states, t.states.size());
  EXPECT_EQ(marks, t.transitions.size());
}

TEST(Timeline, LookAheadChangeEndsWhereItsLayerStartsOthersStartAtTheBoundary) {
  const ScheduleFile s = schedule(3);
  const Timeline t = buildTimeline(s, nullptr, 30);
  int checked = 0;
  for (const TimelineMark &mark : t.transitions) {
    checked += mark.layer == 1 || mark.layer == 2;
    if (mark.layer == 2) {  // off -> on, look-ahead: during layer 1
      EXPECT_DOUBLE_EQ(mark.end_ns, s.layers[2].start_ns);
      EXPECT_DOUBLE_EQ(mark.start_ns, s.layers[2].start_ns - 40.0);
      EXPECT_NE(mark.title.find("look-ahead"), std::string::npos);
    } else if (mark.layer == 1) {  // a power-down at layer 0's end
      EXPECT_DOUBLE_EQ(mark.start_ns, s.layers[0].end_ns);
      EXPECT_DOUBLE_EQ(mark.end_ns, s.layers[0].end_ns);
    }
  }
  EXPECT_EQ(checked, 2);
}

TEST(Timeline, LongNetworksFoldIntoEvenRowsThatCoverEveryLayerOnce) {
  const ScheduleFile s = schedule(140);
  const Timeline t = buildTimeline(s, nullptr, 30);
  ASSERT_EQ(t.rows.size(), 5u);
  int next = 0;
  for (const TimelineRow &row : t.rows) {
    EXPECT_EQ(row.first_layer, next);
    EXPECT_EQ(row.end_layer - row.first_layer, 28);
    EXPECT_LT(row.start_ns, row.end_ns);
    next = row.end_layer;
  }
  EXPECT_EQ(next, 140);
  EXPECT_TRUE(t.rows.back().last);
}

TEST(Timeline, MeasuredSuppliesAndTimesReplaceTheSchedulesAndDifferencesAreListed) {
  const ScheduleFile s = schedule(2);
  SimReportFile sim;
  sim.domains = s.domains;
  SimPeriodReport period;
  for (const ScheduleLayer &layer : s.layers) {
    SimLayerReport measured;
    measured.name = layer.name;
    measured.ran = true;
    measured.start_ns = layer.start_ns + 7.0;
    measured.end_ns = layer.end_ns + 9.0;
    measured.domains = layer.domains;
    period.layers.push_back(measured);
  }
  period.idle_domains = s.idle.domains;
  period.layers[1].domains[2] = kOn0;  // planted: the bank measured at rail 0, scheduled 1
  sim.by_period.push_back(period);
  const Timeline t = buildTimeline(s, &sim, 30);
  EXPECT_EQ(t.source, TimelineSource::CoSimulation);
  ASSERT_EQ(t.mismatches.size(), 1u);
  EXPECT_EQ(t.mismatches[0], "layer1 act_bank0: measured on 0.60 V, scheduled on 1.10 V");
  int flagged = 0;
  for (const TimelineBar &bar : t.states) {
    if (bar.layer == 0) {
      EXPECT_DOUBLE_EQ(bar.start_ns, s.layers[0].start_ns + 7.0);
    }
    if (bar.css_class.find("mismatch") != std::string::npos) {
      ++flagged;
      EXPECT_EQ(bar.css_class, "state on r0 mismatch");
    }
  }
  EXPECT_EQ(flagged, 1);
  EXPECT_DOUBLE_EQ(t.busy_ns, s.layers[1].end_ns + 9.0);
}

TEST(Charts, InfeasibleBaselineIsShownApartNeverRankedAsCheaper) {
  ScheduleFile s = schedule(2);
  s.baselines.push_back({"layer-level", true, false, 0.9e6, s.deadline_ns + 17.0, 0.9, ""});
  s.baselines.push_back({"static", true, true, 1.2e6, 1.0, 1.2, ""});
  s.baselines.push_back({"discretized", false, false, 0, 0, 0, "too large"});
  const std::string svg = baselinesSvg(s);
  const size_t optimum = svg.find("optimum (this schedule)");
  const size_t feasible = svg.find(">static<");
  const size_t apart = svg.find("misses the deadline (not ranked)");
  const size_t infeasible = svg.find(">layer-level<");
  ASSERT_NE(infeasible, std::string::npos);
  EXPECT_LT(optimum, feasible);
  EXPECT_LT(feasible, apart);
  EXPECT_LT(apart, infeasible);
  EXPECT_NE(svg.find("INFEASIBLE: busy"), std::string::npos);
  EXPECT_NE(svg.find("class=\"bar infeasible\""), std::string::npos);
  EXPECT_NE(svg.find("not available: too large"), std::string::npos);
}

TEST(Svg, NumbersAndUnitsAreDeterministicText) {
  EXPECT_EQ(num(12.5), "12.5");
  EXPECT_EQ(num(3.0), "3");
  EXPECT_EQ(num(-0.0001), "0");
  EXPECT_EQ(formatTime(662020), "662 µs");
  EXPECT_EQ(formatTime(80), "80 ns");
  EXPECT_EQ(formatTime(1.93e6), "1.93 ms");
  EXPECT_EQ(formatEnergy(12.12e6), "12.12 µJ");
  EXPECT_EQ(escapeXml("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
  const std::vector<double> ticks = niceTicks(0, 2e6, 5);
  ASSERT_FALSE(ticks.empty());
  EXPECT_EQ(ticks.front(), 0.0);
  EXPECT_EQ(ticks[1], 500e3);
}

}  // namespace
}  // namespace pf::report
