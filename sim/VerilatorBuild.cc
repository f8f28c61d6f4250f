#include "sim/VerilatorBuild.hh"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>

#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Hash.hh"
#include "core/Subprocess.hh"
#include "core/Text.hh"

namespace pf {

namespace {

namespace fs = std::filesystem;

constexpr size_t kTailChars = 3000;

// An exclusive flock on a file, released (closed) on every path. O_CLOEXEC: the verilator
// child must not inherit the lock.
class FileLock {
 public:
  explicit FileLock(const std::string &path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
      throw Error(9111, {path}, "",
                  fmt::format("cannot open the build lock: {}", std::strerror(errno)));
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd_);
      throw Error(9112, {path}, "",
                  fmt::format("cannot lock the build folder: {}", std::strerror(error)));
    }
  }
  ~FileLock() { ::close(fd_); }  // closing releases the lock
  FileLock(const FileLock &) = delete;
  FileLock &operator=(const FileLock &) = delete;

 private:
  int fd_ = -1;
};

bool fileHolds(const fs::path &path, const std::string &text) {
  std::error_code error;
  if (!fs::is_regular_file(path, error) || fs::file_size(path, error) != text.size()) return false;
  return readTextFile(path.string()) == text;
}

std::string buildKey(const VerilatorBuild &build) {
  Sha256 hash;
  hash.field("pf-verilator-build", "1");
  hash.field("verilator", verilatorVersion(build.argv.front()));
  for (const std::string &arg : build.argv) hash.field("arg", arg);
  for (const auto &[name, text] : build.written_files) hash.field("written:" + name, text);
  for (const std::string &file : build.hashed_files)
    hash.field("hashed:" + file, readTextFile(file));
  hash.field("product", build.product);
  return hash.hexDigest();
}

}  // namespace

std::string verilatorVersion(const std::string &program) {
  static std::mutex mutex;
  static std::map<std::string, std::string> versions;
  {
    const std::lock_guard<std::mutex> lock(mutex);
    if (const auto found = versions.find(program); found != versions.end()) return found->second;
  }
  ProcessOptions quick;
  quick.time_limit_seconds = kQuickToolTimeLimitSeconds;
  const ProcessResult result = runProcess({program, "--version"}, quick);
  throwIfCrashedOrHung(result, program, "printing its version");
  if (result.exit_status != 0)
    throw Error(9115, {}, program,
                fmt::format("'{} --version' failed (exit {}): {}", program, result.exit_status,
                            std::string(trimBlanks(result.output))));
  const std::lock_guard<std::mutex> lock(mutex);
  return versions.emplace(program, std::string(trimBlanks(result.output))).first->second;
}

VerilatorBuildOutcome buildWithVerilator(const VerilatorBuild &build, const std::string &work_dir) {
  if (build.argv.empty() || build.product.empty())
    throw Error(9110, {work_dir}, "verilator",
                fmt::format("{} build: no command or no product given", build.what));
  const fs::path dir(work_dir);
  fs::create_directories(dir);
  const std::string key = buildKey(build);
  VerilatorBuildOutcome outcome;
  // Absolute, so that it runs from any working directory (the work folder, typically).
  outcome.product_path = fs::absolute(dir / build.product).lexically_normal().string();

  const FileLock lock((dir / "build.lock").string());
  const fs::path key_file = dir / "build.key";
  if (fs::exists(outcome.product_path) && fileHolds(key_file, key)) {
    outcome.reused = true;
    return outcome;
  }
  fs::remove(key_file);
  for (const auto &[name, text] : build.written_files) {
    const fs::path path = dir / name;
    if (fileHolds(path, text)) continue;
    if (path.has_parent_path()) fs::create_directories(path.parent_path());
    writeFileAtomic(path.string(), text);
  }
  const ProcessResult built = runProcess(build.argv, work_dir);
  outcome.build_seconds = built.wall_seconds;
  throwIfCrashedOrHung(built, "the Verilator build", "building " + build.what, work_dir);
  if (built.exit_status != 0) {
    const std::string tail = built.output.size() > kTailChars
                                 ? built.output.substr(built.output.size() - kTailChars)
                                 : built.output;
    throw Error(9113, {work_dir}, "verilator",
                fmt::format("{} build failed (exit {}):\n{}", build.what, built.exit_status, tail));
  }
  if (!fs::exists(outcome.product_path))
    throw Error(
        9114, {work_dir}, "verilator",
        fmt::format("{} build failed (exit 0):\nverilator made no {}", build.what, build.product));
  writeFileAtomic(key_file.string(), key);
  return outcome;
}

}  // namespace pf
