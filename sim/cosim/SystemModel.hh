// The co-simulation model: the generated pf_system inside the pf_cosim top
// (CosimTop.hh), Verilated at run time into a shared object that this class loads.
//
// Why at run time: the sequencer and the system top are generated per design and rail
// count, so no build of powerflow can contain them. The model is built into a work folder
// cached by content (sim/VerilatorBuild.hh): RTL, generated files, shim and Verilator
// version key it, so a second run, or a new schedule of the same shape, reuses the build.
// The ROM image is not part of the build: it is loaded with $readmemh through the
// +pf_rom=FILE plusarg when the model is created, so a new schedule needs no new build.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/cosim/CosimTop.hh"
#include "sim/cosim/model/pf_cosim_abi.h"

namespace pf::sim {

struct SystemModelSources {
  std::vector<std::string> rtl_files;  // the datapath's simulation sources (design filelist)
  std::string system_v;                // generated pf_system.v, pf_pwrseq.v, pf_pwrseq_rom.v
  std::string sequencer_v;
  std::string rom_v;
  CosimTopShape shape;
  bool trace = false;  // build with FST tracing (a separate cached build)
};

struct SystemModelBuild {
  std::string library;  // the shared object
  bool reused = false;
  double build_seconds = 0.0;
};

// Builds (or finds) the model library in `work_dir`. Throws pf::Error PF-9113 when
// Verilator fails (sim/VerilatorBuild.hh).
SystemModelBuild buildSystemModel(const SystemModelSources &sources, const std::string &work_dir);

// One loaded instance of the model. Not copyable; one per simulation.
class SystemModel {
 public:
  // Loads `library` and creates the model with the ROM image `rom_image`. Throws
  // pf::Error PF-9102 if the library cannot be loaded or speaks another ABI version.
  SystemModel(const std::string &library, const std::string &rom_image);
  ~SystemModel();
  SystemModel(const SystemModel &) = delete;
  SystemModel &operator=(const SystemModel &) = delete;

  // One clock cycle: `in` applied with the clock low; `out` is what the design drives
  // during the cycle (sampled before the rising edge).
  void cycle(const PfCosimIn &in, PfCosimOut &out) { cycle_(handle_, &in, &out); }
  // Word `addr` of data bank `bank` (bits in 32-bit words): false if the bank lost it.
  bool peekAct(int bank, int addr, uint32_t *words) {
    return peek_(handle_, bank, addr, words) != 0;
  }
  // Starts an FST trace (the model must have been built with trace = true).
  void openTrace(const std::string &path);

 private:
  void *library_ = nullptr;
  void *handle_ = nullptr;
  void (*cycle_)(void *, const PfCosimIn *, PfCosimOut *) = nullptr;
  int (*peek_)(void *, int, int, uint32_t *) = nullptr;
  int (*trace_open_)(void *, const char *) = nullptr;
  void (*destroy_)(void *) = nullptr;
};

// The shim and ABI header text (embedded at build time from sim/cosim/model/).
const std::string &cosimShimSource();
const std::string &cosimAbiHeader();

}  // namespace pf::sim
