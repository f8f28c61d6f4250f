#include "fuzz/FuzzSupport.hh"

#include <cxxabi.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <typeinfo>

namespace pf::fuzz {

namespace fs = std::filesystem;

namespace {

// In memory when the machine has /dev/shm: every input is written and read back, and on
// a disk that costs milliseconds (40x fewer executions per second).
std::string scratchParent() {
  if (access("/dev/shm", W_OK | X_OK) == 0) return "/dev/shm";
  const char *tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

std::string makeScratchDir() {
  std::string pattern = scratchParent() + "/pf-fuzz-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    std::perror("fuzz: mkdtemp");
    std::abort();
  }
  return pattern;
}

void removeScratchDir() {
  std::error_code ignored;
  fs::remove_all(scratchDir(), ignored);
}

}  // namespace

const std::string &scratchDir() {
  // Never destroyed: removeScratchDir runs at exit, after static destructors would have.
  static const std::string *dir = [] {
    const std::string *made = new std::string(makeScratchDir());
    std::atexit(removeScratchDir);
    return made;
  }();
  return *dir;
}

std::string writeInput(const uint8_t *data, size_t size, const std::string &name) {
  const std::string path = scratchDir() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) {
    std::fprintf(stderr, "fuzz: cannot write %s\n", path.c_str());
    std::abort();
  }
  return path;
}

void linkEntriesOf(const std::string &source_dir) {
  for (const fs::directory_entry &entry : fs::directory_iterator(source_dir)) {
    const fs::path link = fs::path(scratchDir()) / entry.path().filename();
    std::error_code error;
    if (!fs::exists(fs::symlink_status(link))) fs::create_symlink(entry.path(), link, error);
  }
}

std::string sourceDir() { return PF_SOURCE_DIR; }

void escapedException(const std::exception &error) {
  int status = 0;
  const char *mangled = typeid(error).name();
  std::unique_ptr<char, void (*)(void *)> name(
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  std::fprintf(stderr, "fuzz: an exception other than pf::Error escaped the reader: %s: %s\n",
               status == 0 && name ? name.get() : mangled, error.what());
  std::abort();
}

}  // namespace pf::fuzz
