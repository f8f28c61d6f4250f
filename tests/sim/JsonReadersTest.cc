// The JSON files on the co-simulation's side, read through the field reader
// (core/JsonNode.hh): its report (sim/cosim/SimReportFile.hh) and the gen manifest it
// checks its inputs against (gen/Manifest.hh). Every refusal names the file, the line and
// the JSON path (docs/formats.md, "JSON files").
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/Error.hh"
#include "gen/Manifest.hh"
#include "sim/cosim/SimReportFile.hh"
#include "tests/core/JsonRefusal.hh"

namespace pf {
namespace {

// A report as `powerflow sim` writes it, cut down to one domain, period and layer.
const std::string kReport = R"({
  "format": "powerflow-sim",
  "version": 3,
  "generated_by": "powerflow sim --periods 1",
  "inputs": {
    "design": "rtl/design.toml"
  },
  "input_sha256": {
    "design": "0000000000000000000000000000000000000000000000000000000000000000"
  },
  "network": "mlperf_tiny_kws_dscnn",
  "domains": ["aon"],
  "periods": 1,
  "seed": 1,
  "period_ns": 20000000,
  "deadline_ns": 2000000,
  "energy_tolerance": 0.01,
  "switch_slowdown": 1,
  "passed": true,
  "failures": ["one"],
  "monitor_violations": [
    {
      "period": 0,
      "cycle": 12,
      "time_ns": 48,
      "domain": "aon",
      "rule": "r",
      "detail": "d",
      "count": 1
    }
  ],
  "by_period": [
    {
      "predicted_pj": 12121021.0588031,
      "measured_pj": 12131138.707938012,
      "relative_difference": 0.00083471921101593,
      "predicted": {"dynamic_pj": 1, "leakage_pj": 2, "transition_pj": 3},
      "measured": {"dynamic_pj": 1, "leakage_pj": 2, "transition_pj": 3},
      "busy_ns": 1986968,
      "slack_ns": 13032,
      "deadline_met": true,
      "outputs_bit_exact": true,
      "cycles_match_profile": true,
      "energy_within_tolerance": true,
      "transition_events": 28,
      "layers": [
        {
          "name": "conv1",
          "ran": true,
          "golden_ok": true,
          "clock_mhz": 125,
          "start_ns": 544,
          "end_ns": 448056,
          "predicted_start_ns": 560,
          "predicted_end_ns": 448100,
          "cycles": {
            "fetch": 19,
            "load": 3902,
            "compute": 52016,
            "store": 0,
            "control": 2,
            "total": 55939
          },
          "memory_stall_cycles": 778,
          "profile_cycles": {
            "fetch": 17,
            "load": 3126,
            "compute": 52016,
            "store": 0,
            "control": 2,
            "total": 55161
          },
          "operand_sparsity": 0.01436224489795912,
          "predicted": {"dynamic_pj": 1, "leakage_pj": 2, "transition_pj": 3},
          "measured": {"dynamic_pj": 1, "leakage_pj": 2, "transition_pj": 3},
          "domains": [{"name": "aon", "mode": "on", "rail": 2}]
        }
      ],
      "idle_measured": {"dynamic_pj": 1, "leakage_pj": 2, "transition_pj": 0},
      "idle_domains": [{"name": "aon", "mode": "on", "rail": 2}],
      "idle_clock_stopped": true
    }
  ],
  "component_differences_period0": [
    {
      "where": "conv1",
      "domain": "aon",
      "part": "dynamic",
      "predicted_pj": 0,
      "measured_pj": 2496.362029698065,
      "reason": "r"
    }
  ],
  "run": {
    "cycles": 676862,
    "simulated_ns": 60000000
  }
}
)";

using test::expectRefusedAt;
using test::expectTruncatedRefused;
using test::lineOf;
using test::replacedOnce;

TEST(SimReportFile, ReadsWhatTheSimulatorWrites) {
  const SimReportFile report = simReportFromText(kReport, "report.json");
  EXPECT_EQ(report.domains, std::vector<std::string>{"aon"});
  ASSERT_EQ(report.by_period.size(), 1u);
  ASSERT_EQ(report.by_period[0].layers.size(), 1u);
  EXPECT_EQ(report.by_period[0].layers[0].cycles.total, 55939);
  EXPECT_EQ(report.by_period[0].layers[0].domains[0].rail, 2);
  EXPECT_EQ(report.violations[0].cycle, 12);
  EXPECT_EQ(report.inputHash("design"), std::string(64, '0'));
  EXPECT_EQ(report.run_cycles, 676862);
}

// Version 2 recorded whether the Verilated model was reused (so a warm run differed from a
// cold one); such a file still reads, and version 3 refuses the field.
TEST(SimReportFile, Version2WithModelReusedStillReads) {
  const std::string v2 = replacedOnce(replacedOnce(kReport, "\"version\": 3", "\"version\": 2"),
                                      "\"simulated_ns\": 60000000",
                                      "\"simulated_ns\": 60000000,\n    \"model_reused\": true");
  EXPECT_EQ(simReportFromText(v2, "old.json").run_cycles, 676862);
  const std::string v3 = replacedOnce(v2, "\"version\": 2", "\"version\": 3");
  expectRefusedAt(simReportFromText, v3, 1405, lineOf(v3, "model_reused"), "run.model_reused",
                  "unknown field");
}

TEST(SimReportFile, RefusalsNameFileLineAndPath) {
  auto edited = [](const std::string &from, const std::string &to) {
    return replacedOnce(kReport, from, to);
  };
  const std::string top = edited("\"seed\":", "\"sead\":");
  expectRefusedAt(simReportFromText, top, 1405, lineOf(top, "sead"), "sead",
                  "unknown field (did you mean 'seed'?); the fields here are: format, version");
  const std::string nested = edited("\"memory_stall_cycles\":", "\"memory_stalls\":");
  expectRefusedAt(simReportFromText, nested, 1405, lineOf(nested, "memory_stalls"),
                  "by_period[0].layers[0].memory_stalls", "unknown field");
  const std::string deep = edited("\"load\": 3126,", "\"lode\": 3126,");
  expectRefusedAt(simReportFromText, deep, 1405, lineOf(deep, "lode"),
                  "by_period[0].layers[0].profile_cycles.lode", "did you mean 'load'?");
  expectRefusedAt(simReportFromText, edited("\"powerflow-sim\"", "\"powerflow-gen\""), 9010, 2,
                  "format", "expected \"powerflow-sim\", found \"powerflow-gen\"");
  expectRefusedAt(
      simReportFromText, edited("\"version\": 3", "\"version\": 1"), 1409, 3, "version",
      "version 1 is not supported: this powerflow reads powerflow-sim versions 2 and 3; re-run "
      "`powerflow sim`");
  expectTruncatedRefused(simReportFromText, kReport);
  const std::string missing = edited("\"cycles\": 676862,", "\"trace\": \"t.fst\",");
  expectRefusedAt(simReportFromText, missing, 9011, lineOf(missing, "\"run\""), "run.cycles",
                  "required field is missing");
  const std::string negative = edited("\"cycle\": 12,", "\"cycle\": -12,");
  expectRefusedAt(simReportFromText, negative, 1406, lineOf(negative, "-12"),
                  "monitor_violations[0].cycle", "-12 is out of range: expected an integer in 0..");
  const std::string huge = edited("\"count\": 1", "\"count\": 9223372036854775808");
  expectRefusedAt(simReportFromText, huge, 1406, lineOf(huge, "9223372036854775808"),
                  "monitor_violations[0].count", "9223372036854775808 is out of range");
  const std::string half = edited("\"transition_events\": 28", "\"transition_events\": 28.5");
  expectRefusedAt(simReportFromText, half, 1401, lineOf(half, "28.5"),
                  "by_period[0].transition_events", "expected an integer, found 28.5");
}

// The manifest of a gen output directory, as `powerflow gen` writes it (two domains).
const std::string kManifest = R"({
  "format": "powerflow-gen",
  "version": 1,
  "generated_by": "powerflow gen",
  "inputs": {
    "design": "rtl/design.toml"
  },
  "input_hashes": {
    "design": "47bd64bc6dca3aec4ad8dc984b0fc1387ed0818b5e7bc3a79cf33b169012eed5"
  },
  "design_name": "pf_accel",
  "network": "mlperf_tiny_kws_dscnn",
  "sequencer": {
    "module": "pf_pwrseq",
    "rails": 2,
    "domains": 2,
    "dividers": 2,
    "rom_depth": 1024,
    "pg_timeout_cycles": 121,
    "has_retention": [false, true],
    "div_min": [1, 0, 15, 0],
    "domain_names": ["pe_grp0", "act_bank0"],
    "divider_values": [1, 2]
  },
  "program": {
    "words": 99,
    "loop_address": 0
  },
  "files": {
    "sequencer": "pf_pwrseq.v"
  },
  "file_hashes": {
    "sequencer": "0000000000000000000000000000000000000000000000000000000000000000"
  }
}
)";

TEST(GenManifest, ReadsWhatGenWrites) {
  const gen::GenManifest manifest = gen::genManifestFromText(kManifest, "manifest.json");
  EXPECT_EQ(manifest.sequencer.rails, 2);
  EXPECT_EQ(manifest.sequencer.div_min, (std::vector<int>{1, 0, 15, 0}));
  EXPECT_EQ(manifest.domains[1], "act_bank0");
  EXPECT_EQ(gen::genManifestToJson(manifest).dump(), kManifest);
}

TEST(GenManifest, RefusalsNameFileLineAndPath) {
  auto edited = [](const std::string &from, const std::string &to) {
    return replacedOnce(kManifest, from, to);
  };
  const std::string top = edited("\"network\":", "\"net\":");
  expectRefusedAt(gen::genManifestFromText, top, 1405, lineOf(top, "\"net\""), "net",
                  "unknown field; the fields here are: format, version, generated_by");
  const std::string nested = edited("\"rom_depth\":", "\"romdepth\":");
  expectRefusedAt(gen::genManifestFromText, nested, 1405, lineOf(nested, "romdepth"),
                  "sequencer.romdepth", "did you mean 'rom_depth'?");
  expectRefusedAt(gen::genManifestFromText, edited("\"powerflow-gen\"", "\"powerflow-sim\""), 8701,
                  2, "format", "expected \"powerflow-gen\", found \"powerflow-sim\"");
  expectRefusedAt(gen::genManifestFromText, edited("\"version\": 1", "\"version\": 2"), 1409, 3,
                  "version",
                  "version 2 is not supported: this powerflow reads powerflow-gen version 1");
  expectTruncatedRefused(gen::genManifestFromText, kManifest);
  const std::string missing = edited("\"loop_address\": 0", "\"loop\": 0");
  expectRefusedAt(gen::genManifestFromText, missing, 1405, lineOf(missing, "\"loop\""),
                  "program.loop", "unknown field");
  const std::string half = edited("\"words\": 99", "\"words\": 99.5");
  expectRefusedAt(gen::genManifestFromText, half, 1401, lineOf(half, "99.5"), "program.words",
                  "expected an integer, found 99.5");
  const std::string huge = edited("\"rails\": 2", "\"rails\": 9223372036854775808");
  expectRefusedAt(gen::genManifestFromText, huge, 1406, lineOf(huge, "9223372036854775808"),
                  "sequencer.rails", "is out of range");
  const std::string without = edited("\"words\": 99,\n", "");
  expectRefusedAt(gen::genManifestFromText, without, 8702, lineOf(without, "\"program\""),
                  "program.words", "required field is missing");
}

}  // namespace
}  // namespace pf
