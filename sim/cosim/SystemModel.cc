#include "sim/cosim/SystemModel.hh"

#include <dlfcn.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "core/Error.hh"
#include "core/Files.hh"
#include "sim/VerilatorBuild.hh"

namespace pf::sim {

namespace {

constexpr const char *kLibrary = "libpf_cosim.so";

std::vector<std::string> verilatorArgv(const SystemModelSources &sources) {
  const std::string jobs = std::to_string(std::max(1u, std::thread::hardware_concurrency()));
  // -fPIC and -shared: Verilator's own link step then makes the shared object. -O1: a
  // run of a few periods takes a second or two and the build is the cost (the model and
  // Verilator's runtime: 18 CPU-s at -O1 against 27 at -O2; the model runs at half its
  // -O2 speed, bench/sim_results.md).
  std::vector<std::string> argv = {"verilator",    "--cc",
                                   "--exe",        "--build",
                                   "-j",           jobs,
                                   "--Mdir",       "obj",
                                   "--top-module", kCosimTop,
                                   "-O3",          "--x-assign",
                                   "fast",         "--x-initial",
                                   "fast",         "-Wno-fatal",
                                   "-Wno-lint",    "-Wno-style",
                                   "-CFLAGS",      "-fPIC",
                                   "-CFLAGS",      "-I..",
                                   "-LDFLAGS",     "-shared",
                                   "-MAKEFLAGS",   "OPT_FAST=-O1 OPT_SLOW=-O1 OPT_GLOBAL=-O1",
                                   "-o",           kLibrary};
  if (sources.trace) argv.push_back("--trace-fst");
  for (const std::string &file : sources.rtl_files) argv.push_back(file);
  for (const char *file :
       {"pf_system.v", "pf_pwrseq.v", "pf_pwrseq_rom.v", "pf_cosim.v", "pf_cosim_shim.cpp"})
    argv.push_back(file);
  return argv;
}

template <typename Function>
Function symbol(void *library, const char *name, const std::string &path) {
  void *address = dlsym(library, name);
  if (!address)
    throw Error(9102, {path}, name, "the co-simulation model library lacks this entry point");
  return reinterpret_cast<Function>(address);
}

// The generated files without their leading comment block: the banner names the gen
// command line (paths included), which must not make an identical design a new build.
std::string withoutBanner(const std::string &text) {
  size_t at = 0;
  while (at < text.size() && text.compare(at, 2, "//") == 0) {
    const size_t end = text.find('\n', at);
    at = end == std::string::npos ? text.size() : end + 1;
  }
  return "// (banner removed: see the gen output directory)\n" + text.substr(at);
}

}  // namespace

SystemModelBuild buildSystemModel(const SystemModelSources &sources, const std::string &work_dir) {
  VerilatorBuild build;
  build.argv = verilatorArgv(sources);
  build.hashed_files = sources.rtl_files;
  build.written_files = {{"pf_system.v", withoutBanner(readTextFile(sources.system_v))},
                         {"pf_pwrseq.v", withoutBanner(readTextFile(sources.sequencer_v))},
                         {"pf_pwrseq_rom.v", withoutBanner(readTextFile(sources.rom_v))},
                         {"pf_cosim.v", cosimTopVerilog(sources.shape)},
                         {"pf_cosim_shim.cpp", cosimShimSource()},
                         {"pf_cosim_abi.h", cosimAbiHeader()}};
  build.product = std::string("obj/") + kLibrary;
  build.what = "co-simulation model";
  const VerilatorBuildOutcome outcome = buildWithVerilator(build, work_dir);
  return {outcome.product_path, outcome.reused, outcome.build_seconds};
}

SystemModel::SystemModel(const std::string &library, const std::string &rom_image) {
  // RTLD_LOCAL: the model's Verilator runtime stays private to it.
  library_ = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library_) {
    const char *why = dlerror();
    throw Error(
        9104, {library}, "",
        fmt::format("cannot load the co-simulation model: {}", why ? why : "unknown reason"));
  }
  const auto abi = symbol<int (*)()>(library_, "pf_cosim_abi_version", library);
  if (abi() != PF_COSIM_ABI_VERSION)
    throw Error(9105, {library}, "pf_cosim_abi_version",
                fmt::format("the model speaks ABI {}, this powerflow {}; delete the work folder",
                            abi(), PF_COSIM_ABI_VERSION));
  const auto create = symbol<void *(*)(int, const char **)>(library_, "pf_cosim_create", library);
  cycle_ = symbol<decltype(cycle_)>(library_, "pf_cosim_cycle", library);
  peek_ = symbol<decltype(peek_)>(library_, "pf_cosim_peek_act", library);
  trace_open_ = symbol<decltype(trace_open_)>(library_, "pf_cosim_trace_open", library);
  destroy_ = symbol<decltype(destroy_)>(library_, "pf_cosim_destroy", library);
  const std::string plusarg = "+pf_rom=" + rom_image;
  const char *argv[] = {"pf_cosim", plusarg.c_str()};
  handle_ = create(2, argv);
}

SystemModel::~SystemModel() {
  if (handle_) destroy_(handle_);
  if (library_) dlclose(library_);
}

void SystemModel::openTrace(const std::string &path) {
  if (!trace_open_(handle_, path.c_str()))
    throw Error(9103, {path}, "trace",
                "cannot open the FST trace (the model must be built with tracing)");
}

}  // namespace pf::sim
