// The whole default flow, run twice from clean, gives byte-identical outputs (issue 16).
//
// "The flow" is what `make characterize schedule sim` runs (Makefile: characterize,
// profile with data sparsity, schedule with the instance dump, gen, sim for 3 periods,
// report), through the real powerflow binary with the Makefile's default arguments.
// Run 1's characterization is the characterization_default fixture's (the same command,
// with the same arguments, from an empty directory); run 2's is flow.characterize_from_clean's
// (the binary, from an empty directory, tests/flow/CMakeLists.txt); this test compares the
// two, then runs the rest of the flow twice, each time in the same,
// emptied directory (outputs name their inputs' paths, so both runs use the same ones), and
// compares every output file byte by byte. Not outputs, and not compared: the stages' scratch
// directories (work/, sim-work/: tool logs, Verilator builds) and schedule.timing.json,
// which records wall times on purpose (docs/formats.md). Then sim once more, warm (its
// Verilated model from the cache), must write the same report as the cold run.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "core/Files.hh"
#include "core/Subprocess.hh"

namespace fs = std::filesystem;

namespace {

const std::string kSource = PF_SOURCE_DIR;
const fs::path kFixture = PF_CHARACTERIZATION_FIXTURE_DIR;
const fs::path kAgain = PF_CHARACTERIZATION_AGAIN_DIR;  // flow.characterize_from_clean

// Scratch directories and wall-time records: not part of the comparison (see above).
bool excluded(const fs::path &relative) {
  const std::string first = relative.begin()->string();
  return first == "work" || first == "sim-work" || relative == "schedule.timing.json";
}

std::set<std::string> outputFiles(const fs::path &root) {
  std::set<std::string> files;
  for (const fs::directory_entry &entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    const fs::path relative = fs::relative(entry.path(), root);
    if (!excluded(relative)) files.insert(relative.string());
  }
  return files;
}

// "" when equal, else where the first difference is.
std::string firstDifference(const std::string &a, const std::string &b) {
  if (a == b) return "";
  const size_t at = static_cast<size_t>(
      std::mismatch(a.begin(), a.begin() + static_cast<long>(std::min(a.size(), b.size())),
                    b.begin())
          .first -
      a.begin());
  const long line = std::count(a.begin(), a.begin() + static_cast<long>(at), '\n') + 1;
  const auto excerpt = [&](const std::string &text) {
    const size_t from = text.rfind('\n', at == 0 ? 0 : at - 1);
    const size_t begin = from == std::string::npos ? 0 : from + 1;
    return text.substr(begin, std::min<size_t>(160, text.find('\n', at) - begin));
  };
  return "line " + std::to_string(line) + ": '" + excerpt(a) + "' vs '" + excerpt(b) + "' (" +
         std::to_string(a.size()) + " vs " + std::to_string(b.size()) + " bytes)";
}

// Every difference between two output trees, one line each; empty when identical.
std::vector<std::string> treeDifferences(const fs::path &a, const fs::path &b) {
  std::vector<std::string> differences;
  const std::set<std::string> in_a = outputFiles(a), in_b = outputFiles(b);
  for (const std::string &file : in_a)
    if (!in_b.count(file)) differences.push_back(file + ": only in the first run");
  for (const std::string &file : in_b)
    if (!in_a.count(file)) differences.push_back(file + ": only in the second run");
  for (const std::string &file : in_a) {
    if (!in_b.count(file)) continue;
    const std::string where = firstDifference(pf::readTextFile((a / file).string()),
                                              pf::readTextFile((b / file).string()));
    if (!where.empty()) differences.push_back(file + ": " + where);
  }
  return differences;
}

std::string joined(const std::vector<std::string> &lines) {
  std::string text;
  for (const std::string &line : lines) text += "  " + line + "\n";
  return text;
}

pf::ProcessResult powerflow(std::vector<std::string> args) {
  args.insert(args.begin(), PF_POWERFLOW);
  pf::ProcessOptions options;
  options.working_dir = kSource;  // the Makefile's relative paths
  options.time_limit_seconds = 900;
  return pf::runProcess(args, options);
}

void expectRan(const pf::ProcessResult &result, const std::string &what) {
  ASSERT_EQ(result.exit_status, 0) << what << " " << pf::processOutcome(result) << ":\n"
                                   << result.output;
}

void runSim(const fs::path &out) {
  const std::string o = out.string();
  expectRan(powerflow({"sim", "--design", "rtl/design.toml", "--characterization",
                       o + "/characterization.json", "--profile", o + "/profile.json", "--schedule",
                       o + "/schedule.json", "--gen", o + "/gen", "--out", o + "/sim", "--work",
                       o + "/sim-work", "--periods", "3"}),
            "sim");
}

// The Makefile's `profile schedule sim` (gen and report included) on the default design
// and workload, into `out`, which holds the characterization already.
void runFlowAfterCharacterization(const fs::path &out) {
  const std::string o = out.string();
  expectRan(powerflow({"profile", "nets/mlperf_tiny_kws_dscnn.toml", "--design", "rtl/design.toml",
                       "--out", o + "/profile.json", "--sparsity-from-data", "0"}),
            "profile");
  expectRan(powerflow({"schedule", "--design", "rtl/design.toml", "--characterization",
                       o + "/characterization.json", "--profile", o + "/profile.json",
                       "--period-us", "20000", "--deadline-us", "2000", "--out",
                       o + "/schedule.json", "--dump-instance", o + "/instance.json"}),
            "schedule");
  expectRan(powerflow({"gen", "--design", "rtl/design.toml", "--characterization",
                       o + "/characterization.json", "--schedule", o + "/schedule.json", "--out",
                       o + "/gen", "--rom-depth", "1024"}),
            "gen");
  ASSERT_NO_FATAL_FAILURE(runSim(out));
  expectRan(powerflow({"report", "--schedule", o + "/schedule.json", "--out", o + "/report",
                       "--characterization", o + "/characterization.json", "--profile",
                       o + "/profile.json", "--gen", o + "/gen", "--sim", o + "/sim/report.json"}),
            "report");
}

void copyCharacterization(const fs::path &json, const fs::path &out) {
  fs::create_directories(out);
  fs::copy_file(json, out / "characterization.json");
  fs::copy_file(fs::path(json).replace_extension(".txt"), out / "characterization.txt");
}

TEST(FlowDeterminism, TheDefaultFlowTwiceFromCleanGivesByteIdenticalOutputs) {
  const fs::path dir = fs::temp_directory_path() / ("pf_determinism_" + std::to_string(getpid()));
  fs::remove_all(dir);
  // Run 2's characterization: flow.characterize_from_clean ran the binary from an empty
  // directory with the fixture's arguments exactly (tests/flow/CMakeLists.txt; the table
  // records the paths as given). Run 1's is the fixture's.
  const fs::path fresh = kAgain;
  for (const char *file : {"c.json", "c.txt"}) {
    SCOPED_TRACE(file);
    EXPECT_EQ(firstDifference(pf::readTextFile((kFixture / file).string()),
                              pf::readTextFile((fresh / file).string())),
              "");
  }

  // The rest of the flow twice, in the same emptied directory.
  const fs::path out = dir / "out";
  for (const fs::path &characterization : {kFixture / "c.json", fresh / "c.json"}) {
    const fs::path kept = dir / (characterization == fresh / "c.json" ? "run2" : "run1");
    fs::remove_all(out);
    copyCharacterization(characterization, out);
    ASSERT_NO_FATAL_FAILURE(runFlowAfterCharacterization(out));
    fs::rename(out, kept);
  }
  // A warm re-run (the Verilated model from sim-work's cache) writes the same report.
  fs::rename(dir / "run2", out);
  const std::string cold_json = pf::readTextFile((out / "sim/report.json").string());
  const std::string cold_text = pf::readTextFile((out / "sim/report.txt").string());
  ASSERT_NO_FATAL_FAILURE(runSim(out));
  EXPECT_EQ(firstDifference(cold_json, pf::readTextFile((out / "sim/report.json").string())), "")
      << "sim/report.json, warm against cold";
  EXPECT_EQ(firstDifference(cold_text, pf::readTextFile((out / "sim/report.txt").string())), "")
      << "sim/report.txt, warm against cold";
  fs::rename(out, dir / "run2");
  const std::set<std::string> compared = outputFiles(dir / "run1");
  for (const char *expected :
       {"characterization.json", "profile.json", "schedule.json", "schedule.txt", "instance.json",
        "gen/manifest.json", "gen/pf_pwrseq.memh", "gen/pf_pwrseq.v", "gen/pf_system.upf",
        "sim/report.json", "sim/report.txt", "report/index.html"})
    EXPECT_TRUE(compared.count(expected)) << expected << " was not written, so not compared";
  EXPECT_TRUE(fs::exists(dir / "run1" / "schedule.timing.json"));  // written, not compared
  const std::vector<std::string> differences = treeDifferences(dir / "run1", dir / "run2");
  EXPECT_TRUE(differences.empty()) << "outputs differ between two runs from clean:\n"
                                   << joined(differences);
  std::cout << "compared " << compared.size() << " output files of two runs\n";
  if (!HasFailure()) fs::remove_all(dir);
}

// The comparison itself finds what it must: a changed byte, a missing and an extra file;
// and it ignores the scratch directories and the timing record.
TEST(FlowDeterminism, TheComparisonSeesAChangedByteAMissingAndAnExtraFile) {
  const fs::path dir = fs::temp_directory_path() / ("pf_treecompare_" + std::to_string(getpid()));
  fs::remove_all(dir);
  for (const char *run : {"a", "b"}) {
    fs::create_directories(dir / run / "gen");
    fs::create_directories(dir / run / "work");
    std::ofstream(dir / run / "gen" / "rom.memh") << "00\n01\n02\n";
    std::ofstream(dir / run / "work" / "tool.log") << "took " << run << " s\n";
    std::ofstream(dir / run / "schedule.timing.json") << "{\"ms\": \"" << run << "\"}\n";
  }
  EXPECT_TRUE(treeDifferences(dir / "a", dir / "b").empty())
      << joined(treeDifferences(dir / "a", dir / "b"));
  std::ofstream(dir / "b" / "gen" / "rom.memh") << "00\n03\n02\n";
  std::ofstream(dir / "a" / "only_a.txt") << "x";
  std::ofstream(dir / "b" / "only_b.txt") << "y";
  const std::vector<std::string> differences = treeDifferences(dir / "a", dir / "b");
  EXPECT_EQ(differences,
            (std::vector<std::string>{"only_a.txt: only in the first run",
                                      "only_b.txt: only in the second run",
                                      "gen/rom.memh: line 2: '01' vs '03' (9 vs 9 bytes)"}));
  fs::remove_all(dir);
}

}  // namespace
