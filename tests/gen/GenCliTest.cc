// `powerflow gen` end to end on a schedule of KWS (stand-in characterization of the
// default design): every file written, byte-identical on a second run, the generated RTL
// lint-clean with the datapath, the UPF read by the strict Tcl checker and cross-checked
// against the RTL's ports and the schedule's states; bad input refused with nothing written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "core/Hash.hh"
#include "gen/Manifest.hh"
#include "sched/io/ScheduleFile.hh"
#include "tests/schedule/ScheduleCliFixture.hh"

namespace pf::test {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kFiles = {"pf_pwrseq.v",   "pf_pwrseq_rom.v", "pf_pwrseq.memh",
                                         "pf_pwrseq.lst", "pf_system.v",     "pf_system.upf",
                                         "manifest.json"};

class GenCli : public ScheduleCliFixture {
 protected:
  static void SetUpTestSuite() {
    ScheduleCliFixture::SetUpTestSuite();
    require(schedule({"--period-us", "20000", "--deadline-us", "2000", "--out", path("s.json"),
                      "--dump-instance", path("i.json")}),
            "schedule of KWS");
  }

  static ProcessResult gen(const std::string &out, std::vector<std::string> extra = {},
                           const std::string &design = kDesign,
                           const std::string &schedule_file = path("s.json")) {
    std::vector<std::string> argv = {
        POWERFLOW_BIN,  "gen",        "--design",    design,  "--characterization",
        path("c.json"), "--schedule", schedule_file, "--out", out};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return runProcess(argv);
  }

  // A copy of the design TOML with `from` replaced by `to` (which must occur).
  static std::string designVariant(const std::string &name, const std::string &from,
                                   const std::string &to) {
    std::string text = readTextFile(kDesign);
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    // The copy sits next to the original's file lists.
    const std::string file =
        PF_SOURCE_DIR "/rtl/" + name + "_" + std::to_string(getpid()) + ".toml";
    writeFileAtomic(file, text);
    variants_.push_back(file);
    return file;
  }

  static void TearDownTestSuite() {
    for (const std::string &file : variants_) fs::remove(file);
  }

  static inline std::vector<std::string> variants_;
};

TEST_F(GenCli, WritesEveryFileAndRegeneratesByteIdentical) {
  // The same command twice (the banner names the command, so the output path too).
  const ProcessResult first = gen(path("gen1"));
  ASSERT_EQ(first.exit_status, 0) << first.output;
  std::map<std::string, std::string> before;
  for (const std::string &name : kFiles) before[name] = readTextFile(path("gen1/" + name));
  fs::remove_all(path("gen1"));
  const ProcessResult second = gen(path("gen1"));
  ASSERT_EQ(second.exit_status, 0) << second.output;
  for (const std::string &name : kFiles) {
    const std::string again = readTextFile(path("gen1/" + name));
    EXPECT_FALSE(again.empty()) << name;
    EXPECT_TRUE(again == before[name]) << name << " differs between two runs";
    if (name != "manifest.json") {
      EXPECT_NE(again.find("Regenerate with: powerflow gen"), std::string::npos)
          << name << ": banner";
    }
  }
}

TEST_F(GenCli, ManifestReadsBackAndNamesTheFiles) {
  ASSERT_EQ(gen(path("genm")).exit_status, 0);
  const gen::GenManifest manifest = gen::readGenManifest(path("genm/manifest.json"));
  EXPECT_EQ(gen::genManifestToJson(manifest).dump(), readTextFile(path("genm/manifest.json")));
  EXPECT_EQ(manifest.sequencer.rails, 3);
  EXPECT_EQ(manifest.sequencer.domains, 12);
  EXPECT_EQ(manifest.domains.front(), "pe_grp0");
  for (const auto &[role, file] : manifest.files) {
    const auto hash = std::find_if(manifest.file_hashes.begin(), manifest.file_hashes.end(),
                                   [&](const auto &entry) { return entry.first == role; });
    ASSERT_NE(hash, manifest.file_hashes.end()) << role;
    EXPECT_EQ(hash->second, sha256Hex(readTextFile(path("genm/" + file)))) << file;
  }
}

TEST_F(GenCli, SystemLintsCleanWithTheDatapath) {
  ASSERT_EQ(gen(path("genl")).exit_status, 0);
  std::vector<std::string> argv = {
      "verilator",    "--lint-only", "-Wall",
      "--top-module", "pf_system",   PF_SOURCE_DIR "/rtl/lint/pf_accel.vlt",
      "pf_system.v",  "pf_pwrseq.v", "pf_pwrseq_rom.v"};
  std::istringstream list(readTextFile(PF_SOURCE_DIR "/rtl/pf_accel.f"));
  for (std::string line; std::getline(list, line);)
    if (!line.empty() && line[0] != '#' && line[0] != '/')
      argv.push_back(PF_SOURCE_DIR "/rtl/" + line);
  const ProcessResult lint = runProcess(argv, path("genl"));
  EXPECT_EQ(lint.exit_status, 0) << lint.output;
  EXPECT_EQ(lint.output.find("%Warning"), std::string::npos) << lint.output;
}

// Top-level port bits of pf_system, from Yosys' own reading of the file.
std::set<std::string> systemPortBits(const std::string &dir) {
  const ProcessResult yosys =
      runProcess({"yosys", "-q", "-p", "read_verilog pf_system.v; write_json ports.json"}, dir);
  EXPECT_EQ(yosys.exit_status, 0) << yosys.output;
  const Json json = parseJson(readTextFile(dir + "/ports.json"), "ports.json");
  std::set<std::string> bits;
  for (const auto &[name, port] : json.at("modules").at("pf_system").at("ports").asObject()) {
    const size_t width = port.at("bits").asArray().size();
    bits.insert(name);
    for (size_t i = 0; i < width; ++i) bits.insert(name + "[" + std::to_string(i) + "]");
  }
  return bits;
}

std::vector<std::string> linesStarting(const std::string &text, const std::string &word) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(word + " ", 0) == 0) lines.push_back(line);
  return lines;
}

TEST_F(GenCli, UpfPassesTheCheckerAndMatchesRtlAndSchedule) {
  ASSERT_EQ(gen(path("genu")).exit_status, 0);
  const ProcessResult check =
      runProcess({"tclsh", PF_SOURCE_DIR "/gen/upf_check.tcl", path("genu/pf_system.upf")});
  ASSERT_EQ(check.exit_status, 0) << check.output;
  // Every signal the UPF names is a port bit of the RTL.
  const std::set<std::string> ports = systemPortBits(path("genu"));
  const std::regex signal(R"((dom_[a-z_]+\[\d+\]))");
  int named = 0;
  for (const char *word : {"switch", "isolation", "retention"})
    for (const std::string &line : linesStarting(check.output, word))
      for (auto it = std::sregex_iterator(line.begin(), line.end(), signal);
           it != std::sregex_iterator(); ++it, ++named)
        EXPECT_TRUE(ports.count((*it)[1])) << (*it)[1] << " in: " << line;
  EXPECT_EQ(named, 12 * 3 + 12 + 12 + 8 * 2) << "rail controls, acks, isolation, retention";
  EXPECT_EQ(linesStarting(check.output, "switch").size(), 12u);
  // The power states are exactly the schedule's distinct states.
  const ScheduleFile schedule = readScheduleFile(path("s.json"));
  std::set<std::string> expected, listed;
  auto pattern = [&](const std::vector<sched::DomainState> &domains) {
    std::string text;
    for (size_t d = 1; d < domains.size(); ++d)
      text += schedule.domains[d] + " " +
              (domains[d].mode == sched::DomainMode::On ? "ON_R" + std::to_string(domains[d].rail)
               : domains[d].mode == sched::DomainMode::Off ? std::string("OFF")
                                                           : std::string("RET")) +
              " ";
    return text;
  };
  for (const ScheduleLayer &layer : schedule.layers) expected.insert(pattern(layer.domains));
  expected.insert(pattern(schedule.idle.domains));
  for (const std::string &line : linesStarting(check.output, "state")) {
    const size_t open = line.find('{'), close = line.rfind('}');
    listed.insert(line.substr(open + 1, close - open - 1) + " ");
  }
  EXPECT_EQ(listed, expected);
}

struct Refusal {
  const char *name;
  const char *id;
  const char *field;
};

TEST_F(GenCli, RefusesBadInputAndWritesNothing) {
  auto refused = [&](const ProcessResult &result, const std::string &out, const Refusal &want) {
    EXPECT_EQ(result.exit_status, 1) << want.name << ": " << result.output;
    EXPECT_NE(result.output.find(want.id), std::string::npos) << want.name << ": " << result.output;
    EXPECT_NE(result.output.find(want.field), std::string::npos)
        << want.name << ": " << result.output;
    EXPECT_FALSE(fs::exists(out)) << want.name << " wrote " << out;
  };
  refused(gen(path("bad_rom"), {"--rom-depth", "16"}), path("bad_rom"),
          {"program longer than the ROM", "PF-8304", "rom_depth"});
  // A ROM depth outside 2..65536 is a usage error (exit 2), refused by the declaration.
  const ProcessResult rom0 = gen(path("bad_rom0"), {"--rom-depth", "1"});
  EXPECT_EQ(rom0.exit_status, 2) << rom0.output;
  EXPECT_NE(rom0.output.find("error PF-1206: powerflow gen: option '--rom-depth': '1' is out of "
                             "range: must be 2..65536"),
            std::string::npos)
      << rom0.output;
  EXPECT_FALSE(fs::exists(path("bad_rom0")));
  refused(gen(path("bad_rails"), {}, designVariant("two_rails", "[0.6, 0.8, 1.1]", "[0.6, 1.1]")),
          path("bad_rails"), {"fewer rails", "PF-8404", "rail_voltages_v"});
  refused(gen(path("bad_r0"), {}, designVariant("no_rails", "[0.6, 0.8, 1.1]", "[]")),
          path("bad_r0"), {"R = 0", "PF-", "rails.voltages_v"});
  refused(gen(path("bad_r9"), {},
              designVariant("nine_rails", "[0.6, 0.8, 1.1]",
                            "[0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0, 1.1]")),
          path("bad_r9"), {"R = 9", "PF-", "rails.voltages_v"});
  refused(gen(path("bad_domain"), {},
              designVariant("renamed", "name = \"w_bank3\"", "name = \"w_bank9\"")),
          path("bad_domain"), {"domain the design lacks", "PF-8403", "domains[12]"});
  refused(gen(path("bad_hash"), {}, designVariant("edited", "[design]", "# edited\n[design]")),
          path("bad_hash"), {"another design", "PF-8402", "input_hashes.design"});
  // gen and sim build power multiplexers and a divider clock only (docs/transitions.md).
  refused(
      gen(path("bad_pll"), {},
          designVariant("pll", "[memory]",
                        "[transitions]\nclock_change = \"pll\"\npll_relock_us = 100\n\n[memory]")),
      path("bad_pll"), {"a PLL clock", "PF-8407", "transitions.clock_change"});
  refused(gen(path("bad_regulator"), {},
              designVariant("regulator", "[memory]",
                            "[transitions]\nrail_change = \"regulator\"\n"
                            "regulator_ramp_v_per_us = 0.05\nregulator_settle_us = 2\n"
                            "regulator_capacitance_uf = 4.7\nregulator_efficiency_ratio = 0.85\n"
                            "\n[memory]")),
          path("bad_regulator"), {"a regulator", "PF-8407", "transitions.rail_change"});
  const std::string other_c = path("c_other.json");
  writeFileAtomic(other_c, readTextFile(path("c.json")) + "\n");
  refused(runProcess({POWERFLOW_BIN, "gen", "--design", kDesign, "--characterization", other_c,
                      "--schedule", path("s.json"), "--out", path("bad_c")}),
          path("bad_c"), {"another characterization", "PF-8402", "input_hashes.characterization"});
  const ProcessResult dumped = runProcess({POWERFLOW_BIN, "schedule", "--instance", path("i.json"),
                                           "--pareto-points", "0", "--out", path("s_dump.json")});
  ASSERT_EQ(dumped.exit_status, 0) << dumped.output;
  refused(gen(path("bad_dump"), {}, kDesign, path("s_dump.json")), path("bad_dump"),
          {"schedule without physics", "PF-8401", "physical"});
}

}  // namespace
}  // namespace pf::test
