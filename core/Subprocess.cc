#include "core/Subprocess.hh"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/Error.hh"
#include "core/Files.hh"

extern char **environ;

namespace pf {

namespace {

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

}  // namespace

ProcessResult runProcess(const std::vector<std::string> &argv, const std::string &working_dir) {
  if (argv.empty()) throw Error(1301, {}, "", "no program given");
  TemporaryOutput capture;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, capture.fd(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, capture.fd(), STDERR_FILENO);
  if (!working_dir.empty()) posix_spawn_file_actions_addchdir_np(&actions, working_dir.c_str());

  std::vector<char *> args;
  for (const std::string &arg : argv) args.push_back(const_cast<char *>(arg.c_str()));
  args.push_back(nullptr);

  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0)
    throw Error(1301, {}, "",
                fmt::format("cannot start '{}': {}", argv[0], std::strerror(spawn_error)));

  int status = 0;
  struct rusage usage {};
  while (::wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) throw Error(1303, {}, "", fmt::format("waiting for '{}' failed", argv[0]));
  }
  ProcessResult result;
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.peak_rss_kib = usage.ru_maxrss;
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.output = readTextFile(capture.path());
  return result;
}

}  // namespace pf
