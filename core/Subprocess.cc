#include "core/Subprocess.hh"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include "core/Error.hh"
#include "core/Files.hh"

extern char **environ;

namespace pf {

namespace {

using Clock = std::chrono::steady_clock;

// Owns a temporary file for the child's output and removes it on every path.
class TemporaryOutput {
 public:
  TemporaryOutput() {
    const char *dir = std::getenv("TMPDIR");
    path_ = std::string(dir && *dir ? dir : "/tmp") + "/powerflow-tool-XXXXXX";
    fd_ = ::mkstemp(path_.data());
    if (fd_ < 0) throw Error(1302, {path_}, "", "cannot create a temporary file for tool output");
  }
  ~TemporaryOutput() {
    ::close(fd_);
    std::remove(path_.c_str());
  }
  TemporaryOutput(const TemporaryOutput &) = delete;
  TemporaryOutput &operator=(const TemporaryOutput &) = delete;
  int fd() const { return fd_; }
  const std::string &path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

// The process groups of the tools running now. A tool runs in its own group (so a time
// limit can end it with everything it started), which takes it out of the terminal's
// foreground group: our handler passes Ctrl-C (and SIGTERM/SIGHUP) on to the groups,
// then ends us the way the signal would have. Lock-free: it is read in a signal handler.
constexpr size_t kMaxRunningTools = 64;
std::array<std::atomic<pid_t>, kMaxRunningTools> running_groups{};

void forwardSignal(int signal_number) {
  for (std::atomic<pid_t> &group : running_groups) {
    const pid_t pgid = group.load();
    if (pgid > 0) ::kill(-pgid, signal_number);
  }
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

void installForwarding() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction current {};
      ::sigaction(signal_number, nullptr, &current);
      // Someone else's handler, or an ignored signal, is left as it is.
      if (current.sa_handler != SIG_DFL || (current.sa_flags & SA_SIGINFO)) continue;
      struct sigaction forward {};
      forward.sa_handler = forwardSignal;
      sigemptyset(&forward.sa_mask);
      ::sigaction(signal_number, &forward, nullptr);
    }
  });
}

class RunningGroup {
 public:
  explicit RunningGroup(pid_t pgid) {
    for (std::atomic<pid_t> &slot : running_groups) {
      pid_t empty = 0;
      if (slot.compare_exchange_strong(empty, pgid)) {
        slot_ = &slot;
        return;
      }
    }
  }
  ~RunningGroup() {
    if (slot_) slot_->store(0);
  }
  RunningGroup(const RunningGroup &) = delete;
  RunningGroup &operator=(const RunningGroup &) = delete;

 private:
  std::atomic<pid_t> *slot_ = nullptr;
};

// POWERFLOW_TOOL_TIMEOUT_S replaces every limit when set.
double effectiveLimit(double requested_seconds) {
  const char *text = std::getenv("POWERFLOW_TOOL_TIMEOUT_S");
  if (!text || !*text) return requested_seconds;
  char *end = nullptr;
  const double seconds = std::strtod(text, &end);
  if (*end != '\0' || !std::isfinite(seconds) || seconds <= 0)
    throw Error(1304, {}, "POWERFLOW_TOOL_TIMEOUT_S",
                fmt::format("'{}' is not a time limit: give seconds > 0", text));
  return seconds;
}

pid_t spawn(const std::vector<std::string> &argv, const std::string &working_dir, int output_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, output_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output_fd, STDERR_FILENO);
  if (!working_dir.empty()) posix_spawn_file_actions_addchdir_np(&actions, working_dir.c_str());
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);  // a group of its own, led by the tool

  std::vector<char *> args;
  for (const std::string &arg : argv) args.push_back(const_cast<char *>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawn_error != 0)
    throw Error(1301, {}, "",
                fmt::format("cannot start '{}': {}", argv[0], std::strerror(spawn_error)));
  return pid;
}

// Waits for `pid`, polling so that a time limit can be kept (1 ms at first, then up to
// 20 ms between looks: nothing measurable next to a tool run).
struct Ended {
  int status = 0;
  struct rusage usage {};
  bool timed_out = false;
};

Ended waitFor(pid_t pid, const std::string &program, double limit_seconds) {
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(limit_seconds);
  auto kill_at = Clock::time_point::max();
  auto pause = std::chrono::milliseconds(1);
  Ended ended;
  for (;;) {
    const pid_t done = ::wait4(pid, &ended.status, WNOHANG, &ended.usage);
    if (done == pid) return ended;
    if (done < 0 && errno != EINTR)
      throw Error(1303, {}, "", fmt::format("waiting for '{}' failed", program));
    const auto now = Clock::now();
    if (limit_seconds > 0 && !ended.timed_out && now >= deadline) {
      ended.timed_out = true;
      ::kill(-pid, SIGTERM);
      kill_at = now + std::chrono::seconds(5);
    }
    if (now >= kill_at) {
      ::kill(-pid, SIGKILL);
      kill_at = Clock::time_point::max();
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
}

}  // namespace

ProcessResult runProcess(const std::vector<std::string> &argv, const ProcessOptions &options) {
  if (argv.empty()) throw Error(1307, {}, "", "no program given");
  const double limit = effectiveLimit(options.time_limit_seconds);
  TemporaryOutput capture;
  installForwarding();
  const auto start = Clock::now();
  const pid_t pid = spawn(argv, options.working_dir, capture.fd());
  Ended ended;
  {
    const RunningGroup running(pid);
    ended = waitFor(pid, argv[0], limit);
    ::kill(-pid, SIGKILL);  // anything the tool left behind in its group
  }
  ProcessResult result;
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.peak_rss_kib = ended.usage.ru_maxrss;
  result.timed_out = ended.timed_out;
  result.time_limit_seconds = limit;
  if (WIFSIGNALED(ended.status)) result.signal = WTERMSIG(ended.status);
  result.exit_status =
      WIFEXITED(ended.status) ? WEXITSTATUS(ended.status) : 128 + WTERMSIG(ended.status);
  result.output = readTextFile(capture.path());
  return result;
}

ProcessResult runProcess(const std::vector<std::string> &argv, const std::string &working_dir) {
  ProcessOptions options;
  options.working_dir = working_dir;
  options.time_limit_seconds = kToolTimeLimitSeconds;
  return runProcess(argv, options);
}

std::string toolVersionOutput(const std::vector<std::string> &argv) {
  static std::mutex mutex;
  static std::map<std::vector<std::string>, std::string> known;
  const std::lock_guard<std::mutex> lock(mutex);
  if (const auto found = known.find(argv); found != known.end()) return found->second;
  std::string version = "unavailable";
  try {
    ProcessOptions quick;
    quick.time_limit_seconds = kQuickToolTimeLimitSeconds;
    const ProcessResult run = runProcess(argv, quick);
    if (run.succeeded() && run.signal == 0) version = run.output;
  } catch (const Error &) {
  }
  return known.emplace(argv, version).first->second;
}

std::string processOutcome(const ProcessResult &result) {
  if (result.timed_out)
    return fmt::format(
        "hung: killed after the {:g} s time limit (POWERFLOW_TOOL_TIMEOUT_S sets it)",
        result.time_limit_seconds);
  if (result.signal != 0) {
    const char *name = sigabbrev_np(result.signal);
    return fmt::format("crashed (signal {}, SIG{})", result.signal, name ? name : "?");
  }
  if (result.exit_status != 0) return fmt::format("failed (exit status {})", result.exit_status);
  return "succeeded";
}

std::string outputTail(const std::string &output, int count) {
  size_t at = output.size();
  if (at > 0 && output[at - 1] == '\n') --at;
  for (int lines = 0; at > 0; --at)
    if (output[at - 1] == '\n' && ++lines == count) break;
  return output.substr(at);
}

std::string toolFailure(const std::string &tool, const std::string &doing,
                        const ProcessResult &result, int tail_lines) {
  const std::string tail = outputTail(result.output, tail_lines);
  std::string message = fmt::format("{} {} while {}", tool, processOutcome(result), doing);
  if (tail.empty()) return message + "; it printed nothing";
  message += fmt::format("; its last {}:\n", tail_lines > 1 ? "output lines" : "output line");
  size_t from = 0;
  while (from < tail.size()) {
    const size_t end = std::min(tail.find('\n', from), tail.size());
    message += "    " + tail.substr(from, end - from) + "\n";
    from = end + 1;
  }
  if (!message.empty() && message.back() == '\n') message.pop_back();
  return message;
}

void throwIfCrashedOrHung(const ProcessResult &result, const std::string &tool,
                          const std::string &doing, const std::string &loc) {
  if (result.timed_out) throw Error(1306, {loc}, tool, toolFailure(tool, doing, result));
  if (result.signal != 0) throw Error(1305, {loc}, tool, toolFailure(tool, doing, result));
}

}  // namespace pf
