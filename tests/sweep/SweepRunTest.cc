// The sweep of `make sweep` (sweep/example.toml: 2 design points x 2 rail sets x 2
// networks x 2 deadlines) run for real through Snakemake (issue 17):
//
//   Local    from an empty folder with --jobs 2: every point scheduled and co-simulated;
//            a second run with nothing changed runs nothing and touches no file.
//   Killed   a run killed (SIGKILL to its whole process group) after two points, then
//            run again: only the missing points run, the finished ones keep their files,
//            and the table is the local run's, byte for byte.
//   Slurm    a single-node Slurm cluster started here (sweep/slurm/local_cluster.sh), the
//            same sweep through it (sweep/profiles/slurm): every job a Slurm job, the
//            table the local run's, byte for byte.
//
// The three share one characterization cache (--cache): the design point that replaces
// nothing is rtl/design.toml itself, whose table the characterization_default fixture
// made (the same inputs, so powerflow characterize finds it up to date); the other design
// point (COL_GROUPS = 2) is characterized by the local run, and the two later runs find it
// in the cache. What they test is the workflow, not the characterization again.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <thread>

#include "core/Files.hh"
#include "core/Hash.hh"
#include "core/Subprocess.hh"
#include "sweep/SweepResults.hh"

namespace fs = std::filesystem;

namespace {

const std::string kSource = PF_SOURCE_DIR;
const std::string kSweep = kSource + "/sweep/example.toml";
const fs::path kRoot = PF_SWEEP_RUN_DIR;
const fs::path kCache = kRoot / "cache";
const fs::path kLocal = kRoot / "local";

std::vector<std::string> sweepArgs(const fs::path &out) {
  return {PF_POWERFLOW, "sweep",         kSweep,   "--out", out.string(),
          "--cache",    kCache.string(), "--jobs", "2"};
}

pf::ProcessResult runSweep(const fs::path &out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = sweepArgs(out);
  args.insert(args.end(), extra.begin(), extra.end());
  pf::ProcessOptions options;
  options.working_dir = kSource;
  options.time_limit_seconds = 1500;
  return pf::runProcess(args, options);
}

// Modification times of every file of a sweep folder but Snakemake's own records.
std::map<std::string, fs::file_time_type> fileTimes(const fs::path &out) {
  std::map<std::string, fs::file_time_type> times;
  for (const fs::directory_entry &entry : fs::recursive_directory_iterator(out)) {
    const fs::path relative = fs::relative(entry.path(), out);
    if (entry.is_regular_file() && *relative.begin() != ".snakemake")
      times[relative.string()] = entry.last_write_time();
  }
  return times;
}

std::vector<std::string> finishedPoints(const fs::path &out) {
  std::vector<std::string> done;
  if (!fs::exists(out / "points")) return done;
  for (const fs::directory_entry &entry : fs::recursive_directory_iterator(out / "points"))
    if (entry.path().filename() == "status")
      done.push_back(fs::relative(entry.path().parent_path(), out / "points").string());
  return done;
}

// How many jobs of `rule` Snakemake's "Job stats" table lists (0 when none ran).
int jobsOfRule(const std::string &output, const std::string &rule) {
  const std::regex row("\\n" + rule + "\\s+(\\d+)\\s+\\d+\\s+\\d+");
  std::smatch match;
  return std::regex_search(output, match, row) ? std::stoi(match[1]) : 0;
}

TEST(SweepRun, LocalRunSchedulesAndSimulatesEveryPointAndASecondRunDoesNothing) {
  fs::remove_all(kRoot);
  // The table of the design point that replaces nothing (rtl/design.toml itself): the
  // fixture's, made from the same inputs, in the cache folder the plan names for it
  // (<design point>-<16 hex digits of the design file's SHA-256>, sweep/SweepPlan.hh).
  const std::string key =
      pf::sha256Hex(pf::readTextFile(kSource + "/rtl/design.toml")).substr(0, 16);
  const fs::path base_cache = kCache / ("pe4-" + key);
  fs::create_directories(base_cache);
  for (const char *ext : {".json", ".txt"})  // the table and its summary
    fs::copy_file(fs::path(PF_CHARACTERIZATION_FIXTURE_DIR) / (std::string("c") + ext),
                  base_cache / (std::string("characterization") + ext));

  const pf::ProcessResult first = runSweep(kLocal);
  ASSERT_EQ(first.exit_status, 0) << pf::outputTail(first.output, 60);
  EXPECT_NE(pf::readTextFile((kLocal / "designs/pe4/characterize.log").string())
                .find("is up to date (inputs unchanged)"),
            std::string::npos)
      << "the fixture's table was not taken for rtl/design.toml";
  const pf::sweep::SweepResults results =
      pf::sweep::readResults((kLocal / "results/results.json").string());
  ASSERT_EQ(results.points.size(), 16u);
  for (const pf::sweep::PointResult &point : results.points) {
    ASSERT_EQ(point.status, pf::sweep::PointStatus::Scheduled) << point.id << ": " << point.message;
    ASSERT_TRUE(point.scheduled->sim) << point.id;
    EXPECT_TRUE(point.scheduled->sim->passed) << point.id;
  }
  EXPECT_EQ(results.count(pf::sweep::PointStatus::Scheduled), 16);

  const auto before = fileTimes(kLocal);
  const pf::ProcessResult second = runSweep(kLocal);
  ASSERT_EQ(second.exit_status, 0) << second.output;
  EXPECT_NE(second.output.find("Nothing to be done"), std::string::npos) << second.output;
  EXPECT_EQ(fileTimes(kLocal), before) << "the second run rewrote files";
}

TEST(SweepRun, AKilledRunFinishesOnlyTheMissingPointsAndLosesNone) {
  const fs::path out = kRoot / "killed";
  fs::remove_all(out);
  const std::vector<std::string> args = sweepArgs(out);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {  // its own process group, so the kill reaches Snakemake and its jobs
    ::setpgid(0, 0);
    if (::chdir(kSource.c_str()) != 0) ::_exit(126);
    const int log = ::open((kRoot / "killed.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(log, 1);
    ::dup2(log, 2);
    std::vector<char *> argv;
    for (const std::string &a : args) argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
  int status = 0;
  bool exited = false;
  while (finishedPoints(out).size() < 2 && std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(-pid, SIGKILL);
  if (!exited) ::waitpid(pid, &status, 0);
  ASSERT_FALSE(exited) << "the sweep ended before it was killed:\n"
                       << pf::readTextFile((kRoot / "killed.log").string());
  const std::vector<std::string> done = finishedPoints(out);
  ASSERT_GE(done.size(), 2u);
  ASSERT_LT(done.size(), 16u) << "every point finished before the kill";
  std::map<std::string, std::pair<fs::file_time_type, std::string>> kept;
  for (const std::string &id : done)
    kept[id] = {fs::last_write_time(out / "points" / id / "status"),
                pf::readTextFile((out / "points" / id / "schedule.json").string())};

  const pf::ProcessResult rerun = runSweep(out);
  ASSERT_EQ(rerun.exit_status, 0) << pf::outputTail(rerun.output, 60);
  EXPECT_EQ(jobsOfRule(rerun.output, "point"), int(16 - done.size())) << rerun.output;
  for (const auto &[id, file] : kept) {
    EXPECT_EQ(fs::last_write_time(out / "points" / id / "status"), file.first)
        << id << " ran again";
    EXPECT_EQ(pf::readTextFile((out / "points" / id / "schedule.json").string()), file.second)
        << id;
  }
  EXPECT_EQ(pf::readTextFile((out / "results/results.json").string()),
            pf::readTextFile((kLocal / "results/results.json").string()));
}

// A cluster in a short folder of its own (a Unix socket path has a length limit).
class SlurmCluster {
 public:
  SlurmCluster() : dir_(fs::temp_directory_path() / ("pf-slurm-" + std::to_string(::getpid()))) {
    const pf::ProcessResult started =
        pf::runProcess({"sh", kSource + "/sweep/slurm/local_cluster.sh", "start", dir_.string()});
    output_ = started.output;
    const std::string marker = "export SLURM_CONF=";
    const size_t at = started.output.find(marker);
    if (started.exit_status != 0 || at == std::string::npos) return;
    conf_ = started.output.substr(at + marker.size());
    conf_ = conf_.substr(0, conf_.find('\n'));
  }
  ~SlurmCluster() {
    pf::runProcess({"sh", kSource + "/sweep/slurm/local_cluster.sh", "stop", dir_.string()});
    fs::remove_all(dir_);
  }
  const std::string &conf() const { return conf_; }
  const std::string &output() const { return output_; }

 private:
  fs::path dir_;
  std::string conf_, output_;
};

size_t slurmLogs(const fs::path &out, const std::string &rule) {
  const fs::path dir = out / ".snakemake/slurm_logs" / ("rule_" + rule);
  if (!fs::exists(dir)) return 0;
  return size_t(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST(SweepRun, TheSameSweepOnSlurmGivesTheLocalTable) {
  const fs::path out = kRoot / "slurm";
  fs::remove_all(out);
  const SlurmCluster cluster;
  ASSERT_FALSE(cluster.conf().empty()) << "the cluster did not start:\n" << cluster.output();
  ::setenv("SLURM_CONF", cluster.conf().c_str(), 1);
  const pf::ProcessResult run = runSweep(out, {"--profile", kSource + "/sweep/profiles/slurm"});
  ::unsetenv("SLURM_CONF");
  ASSERT_EQ(run.exit_status, 0) << pf::outputTail(run.output, 80);
  // Every job but the table's (a local rule) was a Slurm job.
  EXPECT_EQ(slurmLogs(out, "point"), 16u);
  EXPECT_EQ(slurmLogs(out, "profile"), 4u);
  EXPECT_EQ(slurmLogs(out, "characterize"), 2u);
  for (const char *file : {"results/results.json", "results/results.csv"})
    EXPECT_EQ(pf::readTextFile((out / file).string()), pf::readTextFile((kLocal / file).string()))
        << file;
}

}  // namespace
