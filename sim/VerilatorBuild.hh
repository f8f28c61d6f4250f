// "Verilate into a work folder, cached by content hash": the build step of every program
// powerflow has Verilator compile at run time (characterize's workload recorder and
// gate-level toggle simulator, the co-simulation model).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace pf {

struct VerilatorBuild {
  std::vector<std::string> argv;          // the verilator command, run in work_dir
  std::vector<std::string> hashed_files;  // files whose contents key the cache (RTL sources)
  // (name relative to work_dir, text): written before building, part of the key
  std::vector<std::pair<std::string, std::string>> written_files;
  std::string product;  // path relative to work_dir of what the build makes
  std::string what;     // for messages: "workload recorder", "co-simulation model", ...
};

struct VerilatorBuildOutcome {
  std::string product_path;  // work_dir/product, absolute
  bool reused = false;       // a previous build with the same key left the product there
  double build_seconds = 0;  // wall time of the verilator command (0 if reused)
};

// Builds in work_dir (created if missing) unless a previous build with the same key (argv,
// written files, hashed file contents, `verilator --version`) left the product there; the
// key of the last successful build is kept in work_dir/build.key. Two processes building
// into the same work_dir at once are safe: the check-and-build holds an exclusive flock on
// work_dir/build.lock. Written files whose contents are unchanged are not rewritten (their
// timestamps stay, so make inside Verilator's --build recompiles only what changed). On
// failure throws pf::Error PF-9113 ({work_dir}, "verilator", "<what> build failed (exit
// N):\n<last 3000 chars of output>"; PF-9114 if it made no product, PF-9110..9112 for no
// command and the lock); an unreadable hashed file throws PF-1001.
VerilatorBuildOutcome buildWithVerilator(const VerilatorBuild &build, const std::string &work_dir);

// `<program> --version` (output trimmed), memoized per program; argv[0] of a build.
std::string verilatorVersion(const std::string &program = "verilator");

}  // namespace pf
