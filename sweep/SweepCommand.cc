#include "sweep/SweepCommand.hh"

#include <fcntl.h>
#include <fmt/format.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <optional>

#include "characterize/Corners.hh"
#include "core/Files.hh"
#include "core/Hash.hh"
#include "core/Subprocess.hh"
#include "net/Network.hh"
#include "sweep/DesignPoint.hh"
#include "sweep/SnakefileText.hh"
#include "sweep/SweepPlan.hh"
#include "sweep/SweepReader.hh"
#include "sweep/SweepResultsCommand.hh"

namespace pf {

const cli::Spec &sweepCommandLine() {
  static const cli::Spec spec = [] {
    cli::Spec s("powerflow sweep",
                "design-space sweep over designs, rails, networks and deadlines (Snakemake)");
    s.description(
        "Reads a sweep file (docs/sweep.md): design points (a base design with parameters\n"
        "replaced), rail sets, networks, periods and deadlines. Checks all of it, writes the\n"
        "sweep folder (a design file per design point, plan.json, the Snakefile) and runs the\n"
        "workflow with Snakemake: a characterization per design point, a profile per design\n"
        "point and network, and per point schedule, gen and sim. Snakemake keeps what is done:\n"
        "a second run with nothing changed runs nothing, a run stopped halfway finishes only\n"
        "what is missing. The table of every point and the page with the Pareto plots are\n"
        "OUT/results/ (results.csv, results.json, index.html).");
    s.positional("SWEEP", "the sweep file (TOML)");
    s.path("--out", "DIR", "the sweep folder").defaultValue("out/sweep");
    s.integer("--jobs", "N",
              "jobs at a time (locally: cores; with a cluster profile: jobs queued at once)")
        .range(1, 100000)
        .defaultShown("the number of CPUs; the profile's with --profile");
    s.path("--cache", "DIR",
           "characterizations (and co-simulation models) kept by design content, shared by "
           "sweeps that name the same folder")
        .defaultShown("characterization_cache, else OUT/characterizations");
    s.path("--profile", "DIR",
           "a Snakemake profile, e.g. sweep/profiles/slurm to run every job on Slurm");
    s.flag("--dry-run", "check and plan; list the jobs that would run, run none");
    s.string("--snakemake-arg", "ARG", "pass ARG on to snakemake").repeatable();
    s.epilogue(
        "Refused before any job starts, naming file, line and field: an unknown or empty axis,\n"
        "a value given twice, a deadline above its period, a rail voltage the corner set has\n"
        "no corner for, a network that cannot be read, a design point that cannot be built (a\n"
        "parameter the design does not have, values the accelerator cannot take, a bank whose\n"
        "SRAM macro no longer fits). Exit status: Snakemake's (0 when every job ran).\n");
    return s;
  }();
  return spec;
}

namespace {

namespace fs = std::filesystem;

struct Arguments {
  std::string sweep_file, out, cache, profile;
  std::optional<int64_t> jobs;
  bool dry_run = false;
  std::vector<std::string> snakemake_args;
  std::string command;
};

Arguments argumentsOf(const cli::Args &args) {
  Arguments parsed;
  parsed.sweep_file = args.text("SWEEP");
  parsed.out = args.text("--out");
  parsed.cache = args.text("--cache");
  parsed.profile = args.text("--profile");
  if (args.given("--jobs")) parsed.jobs = args.integer("--jobs");
  parsed.dry_run = args.flag("--dry-run");
  parsed.snakemake_args = args.all("--snakemake-arg");
  // What the sweep folder's files are made from, not how this run was asked for (--jobs,
  // --dry-run): a file whose banner changed would look new to Snakemake.
  parsed.command = "powerflow sweep " + parsed.sweep_file + " --out " + parsed.out;
  return parsed;
}

// A path as the workflow sees it: relative to the sweep folder it runs in.
std::string fromOut(const std::string &path, const fs::path &out_abs) {
  return fs::absolute(path).lexically_normal().lexically_relative(out_abs).string();
}

void checkRailsHaveCorners(const std::vector<double> &rails, const CornerSet &corners,
                           const SourceLoc &loc, const std::string &field,
                           const std::string &corner_file) {
  for (double v : rails) {
    bool found = false;
    for (const Corner &corner : corners.corners) found |= std::fabs(corner.voltage_v - v) < 1e-9;
    if (!found)
      throw Error(11204, loc, field,
                  fmt::format("rail {} V has no corner in {} (a schedule on it would have "
                              "nothing to read)",
                              v, corner_file));
  }
}

void checkNetworks(const sweep::SweepSpec &spec) {
  for (const sweep::NetworkSpec &net : spec.networks) {
    try {
      readNetwork(net.file);
    } catch (const Error &error) {
      throw Error(11205, net.loc, "axes.networks",
                  fmt::format("network {} cannot be read: {}", net.file, error.formatted()));
    }
  }
}

// A design point's file, written beside where it will stay and read back as the stages
// will read it. A point that replaces no parameter is its base design file itself, so
// its characterization is the one any other run of that file made (powerflow characterize
// hashes the design file's bytes): staged stays empty, nothing is written.
struct StagedDesign {
  std::string path, staged, text;
};

// What the design point's banner says made it: no folder, no option of this run (the
// file's bytes key its characterization in the cache, shared by sweeps anywhere).
std::string designPointCommand(const sweep::DesignPointSpec &point, const sweep::SweepSpec &spec) {
  std::string replaced;
  for (const auto &[key, value] : point.parameters)
    replaced += fmt::format("{}{} = {}", replaced.empty() ? "" : ", ", key, value);
  return fmt::format("powerflow sweep {} (design point {}: {} with {})",
                     fs::path(spec.file).filename().string(), point.name,
                     fs::path(point.base_design).filename().string(), replaced);
}

StagedDesign stageDesignPoint(const sweep::DesignPointSpec &point, const fs::path &out,
                              const sweep::SweepSpec &spec, const CornerSet &corners) {
  StagedDesign staged;
  if (point.parameters.empty()) {
    staged.path = point.base_design;
    staged.text = readTextFile(point.base_design);
  } else {
    staged.path = (out / "designs" / point.name / "design.toml").string();
    staged.staged = staged.path + ".new";
    staged.text = sweep::designPointText(point, designPointCommand(point, spec));
    fs::create_directories(fs::path(staged.path).parent_path());
    writeFileAtomic(staged.staged, staged.text);
  }
  const DesignSpec design =
      sweep::checkDesignPoint(point, staged.staged.empty() ? staged.path : staged.staged);
  if (spec.rails_v.empty())
    checkRailsHaveCorners(design.rail_voltages_v, corners, point.loc, point.field, spec.corners);
  return staged;
}

// Writes `text` to `path` only if it differs: Snakemake decides by modification times, so
// an unchanged file must keep its time or a second run would redo everything.
void writeIfChanged(const std::string &path, const std::string &text) {
  if (fs::exists(path) && readTextFile(path) == text) return;
  writeFileAtomic(path, text);
}

std::string cacheRoot(const Arguments &args, const sweep::SweepSpec &spec) {
  if (!args.cache.empty()) return args.cache;
  if (!spec.characterization_cache.empty()) return spec.characterization_cache;
  return (fs::path(args.out) / "characterizations").string();
}

sweep::SweepPlan planOf(const sweep::SweepSpec &spec, const std::vector<StagedDesign> &staged,
                        const Arguments &args) {
  const fs::path out_abs = fs::absolute(args.out).lexically_normal();
  sweep::SweepPlan plan;
  plan.generated_by = args.command;
  plan.name = spec.name;
  plan.powerflow = fs::canonical("/proc/self/exe").string();
  plan.corners = fromOut(spec.corners, out_abs);
  plan.sim_periods = spec.sim_periods;
  plan.sparsity_seed = spec.sparsity_seed;
  const std::string cache = fromOut(cacheRoot(args, spec), out_abs);
  for (size_t i = 0; i < spec.designs.size(); ++i) {
    const sweep::DesignPointSpec &point = spec.designs[i];
    const std::string key = sha256Hex(staged[i].text).substr(0, 16);
    plan.designs.push_back({point.name, fromOut(staged[i].path, out_abs),
                            (fs::path(cache) / (point.name + "-" + key)).string(),
                            point.parameters});
  }
  for (const sweep::NetworkSpec &net : spec.networks)
    plan.networks.push_back({net.name, fromOut(net.file, out_abs)});
  plan.points = sweep::expandPoints(spec);
  return plan;
}

// Everything that needs no file of the sweep's own: the sweep file, the corners of its
// rails, its networks, its deadlines.
struct CheckedSweep {
  sweep::SweepSpec spec;
  CornerSet corners;
};

CheckedSweep checkSweep(const Arguments &args) {
  CheckedSweep checked{sweep::readSweepFile(args.sweep_file), {}};
  const sweep::SweepSpec &spec = checked.spec;
  checked.corners = readCornerSet(spec.corners);
  for (const std::vector<double> &rails : spec.rails_v)
    checkRailsHaveCorners(rails, checked.corners, spec.field_locs.at("axes.rails"), "axes.rails",
                          spec.corners);
  checkNetworks(spec);
  sweep::expandPoints(spec);  // the deadlines' checks
  return checked;
}

// The folders a refused sweep must not leave behind: those that did not exist before.
std::vector<fs::path> missingFolders(const Arguments &args, const sweep::SweepSpec &spec) {
  std::vector<fs::path> folders = {args.out, fs::path(args.out) / "designs"};
  for (const sweep::DesignPointSpec &point : spec.designs)
    folders.push_back(fs::path(args.out) / "designs" / point.name);
  std::vector<fs::path> missing;
  for (const fs::path &folder : folders)
    if (!fs::exists(folder)) missing.push_back(folder);
  return missing;
}

// The design points staged and checked, then the folder written: all or nothing.
sweep::SweepPlan writeSweepFolder(const CheckedSweep &checked, const Arguments &args) {
  const sweep::SweepSpec &spec = checked.spec;
  std::vector<StagedDesign> staged;
  try {
    for (const sweep::DesignPointSpec &point : spec.designs)
      staged.push_back(stageDesignPoint(point, args.out, spec, checked.corners));
  } catch (...) {
    for (const sweep::DesignPointSpec &point : spec.designs)
      fs::remove(fs::path(args.out) / "designs" / point.name / "design.toml.new");
    throw;
  }
  for (const StagedDesign &s : staged) {
    if (s.staged.empty()) continue;
    writeIfChanged(s.path, s.text);
    fs::remove(s.staged);
  }
  const sweep::SweepPlan plan = planOf(spec, staged, args);
  writeIfChanged((fs::path(args.out) / "plan.json").string(), sweep::planToJson(plan).dump());
  writeIfChanged((fs::path(args.out) / "Snakefile").string(), sweepSnakefileText());
  return plan;
}

// Held while Snakemake runs, released by the kernel however we end (a killed sweep leaves
// no stale lock, unlike Snakemake's own lock files, which the workflow does not use).
int lockSweepFolder(const std::string &out) {
  const std::string path = (fs::path(out) / ".sweep.lock").string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    throw Error(11206, {path}, "--out",
                fmt::format("cannot open the lock: {}", std::strerror(errno)));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
    throw Error(11207, {out}, "--out",
                "another powerflow sweep is running in this folder; wait for it or stop it");
  return fd;
}

std::vector<std::string> snakemakeArgv(const Arguments &args) {
  std::vector<std::string> argv = {
      "snakemake",          "--snakefile", (fs::path(args.out) / "Snakefile").string(),
      "--directory",        args.out,      "--keep-going",
      "--rerun-incomplete", "--nolock"};
  if (!args.profile.empty()) argv.insert(argv.end(), {"--profile", args.profile});
  if (args.jobs) {
    argv.insert(argv.end(),
                {args.profile.empty() ? "--cores" : "--jobs", std::to_string(*args.jobs)});
  } else if (args.profile.empty()) {
    argv.insert(argv.end(),
                {"--cores", std::to_string(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)))});
  }
  if (args.dry_run) argv.push_back("--dry-run");
  argv.insert(argv.end(), args.snakemake_args.begin(), args.snakemake_args.end());
  return argv;
}

void requireSnakemake() {
  const std::string version = toolVersionOutput({"snakemake", "--version"});
  if (version == "unavailable")
    throw Error(11208, {}, "snakemake",
                "snakemake cannot be run: install Debian's snakemake package (make deps)");
}

// Snakemake with our terminal, so its progress shows as it runs. Snakemake's Slurm
// executor reads $USER (a KeyError without it), which a container may not set.
int runSnakemake(const std::vector<std::string> &argv) {
  if (!::getenv("USER"))
    if (const passwd *pw = ::getpwuid(::getuid())) ::setenv("USER", pw->pw_name, 1);
  fmt::print("sweep: {}\n", fmt::join(argv, " "));
  std::fflush(stdout);
  // Ctrl-C reaches Snakemake (the terminal's whole process group): it stops its jobs and
  // ends; we wait for that instead of ending first, as system() does.
  struct sigaction ignore {
  }, old_int{}, old_quit{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGINT, &ignore, &old_int);
  ::sigaction(SIGQUIT, &ignore, &old_quit);
  const pid_t pid = ::fork();
  if (pid < 0) throw Error(11209, {}, "snakemake", "cannot start snakemake: fork failed");
  if (pid == 0) {
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGQUIT, &old_quit, nullptr);
    std::vector<char *> c_argv;
    for (const std::string &a : argv) c_argv.push_back(const_cast<char *>(a.c_str()));
    c_argv.push_back(nullptr);
    ::execvp(c_argv[0], c_argv.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGQUIT, &old_quit, nullptr);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// A sweep whose jobs did not all succeed still gets its table: the finished points, the
// others marked missing (Snakemake only makes the table when every point is done).
void writePartialTable(const std::string &out) {
  if (!fs::exists(fs::path(out) / "plan.json")) return;
  fmt::print(
      "sweep: not every job succeeded (Snakemake says which, above); the table of the "
      "points that did:\n");
  std::fflush(stdout);
  try {
    runSweepResultsCommand({"--dir", out});
  } catch (const Error &error) {
    fmt::print(stderr, "{}\n", error.formatted());
  }
}

}  // namespace

int runSweepCommand(const std::vector<std::string> &args) {
  const std::optional<cli::Args> command_line = sweepCommandLine().parseOrPrintHelp(args);
  if (!command_line) return 0;
  const Arguments parsed = argumentsOf(*command_line);
  requireSnakemake();
  const CheckedSweep checked = checkSweep(parsed);
  const std::vector<fs::path> created = missingFolders(parsed, checked.spec);
  fs::create_directories(parsed.out);
  const int lock = lockSweepFolder(parsed.out);
  sweep::SweepPlan plan;
  try {
    plan = writeSweepFolder(checked, parsed);
  } catch (...) {
    ::close(lock);
    if (!created.empty() && created.front() == fs::path(parsed.out))
      fs::remove(fs::path(parsed.out) / ".sweep.lock");
    for (auto it = created.rbegin(); it != created.rend(); ++it) fs::remove(*it);
    throw;
  }
  fmt::print("sweep {}: {} design points, {} networks, {} points -> {}\n", plan.name,
             plan.designs.size(), plan.networks.size(), plan.points.size(), parsed.out);
  const int status = runSnakemake(snakemakeArgv(parsed));
  if (status != 0 && !parsed.dry_run) writePartialTable(parsed.out);
  ::close(lock);
  if (status == 0 && !parsed.dry_run)
    fmt::print("sweep: results in {}\n",
               (fs::path(parsed.out) / "results" / "index.html").string());
  return status;
}

}  // namespace pf
