// Running external tools (Yosys, OpenSTA, Verilator) with their output captured and
// their cost measured. Output goes through a temporary file rather than a pipe so a
// chatty tool can never dead-lock against us.
#pragma once

#include <string>
#include <vector>

namespace pf {

struct ProcessResult {
  int exit_status = -1;  // exit code, or 128 + signal number
  std::string output;    // stdout and stderr interleaved
  double wall_seconds = 0;
  long peak_rss_kib = 0;  // of the child (ru_maxrss)
};

// Runs argv[0] (looked up in PATH) with the given arguments; stdin is /dev/null.
// Throws pf::Error PF-1301 if the program cannot be started at all.
ProcessResult runProcess(const std::vector<std::string> &argv, const std::string &working_dir = "");

}  // namespace pf
