// Running external tools (Yosys, OpenSTA, Verilator, z3, Chromium, the simulations they
// build) with their output captured, their cost measured and their time limited. Output
// goes through a temporary file rather than a pipe so a chatty tool can never dead-lock
// against us.
//
// A tool that crashes (ends on a signal) or hangs (killed at its time limit) is told
// apart from one that refuses its input (exits non-zero): `toolFailure` words all three
// the same way at every call site, with the end of the tool's output, so a crash of a
// tool is reported as the tool's crash and never looks like the user's input error.
#pragma once

#include <string>
#include <vector>

namespace pf {

struct ProcessResult {
  int exit_status = -1;           // exit code, or 128 + signal number
  int signal = 0;                 // the signal that ended it (0: it exited by itself)
  bool timed_out = false;         // killed by runProcess at its time limit
  double time_limit_seconds = 0;  // the limit it ran under (0: none)
  std::string output;             // stdout and stderr interleaved
  double wall_seconds = 0;
  long peak_rss_kib = 0;  // of the child (ru_maxrss)

  bool succeeded() const { return exit_status == 0 && !timed_out; }
};

struct ProcessOptions {
  std::string working_dir;  // empty: ours
  // Wall-clock limit; 0 means none. The environment variable POWERFLOW_TOOL_TIMEOUT_S
  // (seconds), when set, replaces every limit (for a slow machine, or a test of a hang).
  double time_limit_seconds = 0;
};

// Default limits (borrowed numbers: generous multiples of what the default design takes
// on one core here, so a real hang is caught and a large design is not). Synthesis,
// timing, formal proofs and Verilator builds: an hour; a tool's --version: a minute.
inline constexpr double kToolTimeLimitSeconds = 3600;
inline constexpr double kQuickToolTimeLimitSeconds = 60;

// Runs argv[0] (looked up in PATH) in its own process group; stdin is /dev/null. At the
// time limit the whole group gets SIGTERM, then SIGKILL 5 s later. SIGINT/SIGTERM/SIGHUP
// sent to us while a tool runs are passed on to its group before we end.
// Throws pf::Error PF-1301 if the program cannot be started at all.
ProcessResult runProcess(const std::vector<std::string> &argv, const ProcessOptions &options);
ProcessResult runProcess(const std::vector<std::string> &argv, const std::string &working_dir = "");

// What `tool --version` (argv) prints, for the input hashes of cached stages; "unavailable"
// when it cannot start, fails or crashes. Asked once per process (memoized), under the
// quick time limit.
std::string toolVersionOutput(const std::vector<std::string> &argv);

// "crashed (signal 11, SIGSEGV)", "hung: killed after the 3600 s time limit",
// "failed (exit status 2)", or "succeeded".
std::string processOutcome(const ProcessResult &result);

// The last `count` lines of a tool's output (all of it if shorter), for messages.
std::string outputTail(const std::string &output, int count = 20);

// The message for a tool run that did not succeed: "<tool> <outcome> while <doing>;
// its last output lines:\n..." (the tail indented). Callers throw it with their own
// message number and location.
std::string toolFailure(const std::string &tool, const std::string &doing,
                        const ProcessResult &result, int tail_lines = 20);

// A tool that crashed or hung is the tool's fault, whatever its input: throws PF-1305
// (crashed) or PF-1306 (hung) with toolFailure's text, located at `loc` (the script or
// file it was running). Call it right after runProcess, before reading the tool's
// complaints as the user's input errors. Does nothing for a run that ended by itself.
void throwIfCrashedOrHung(const ProcessResult &result, const std::string &tool,
                          const std::string &doing, const std::string &loc = "");

}  // namespace pf
