// Synthetic chips and workloads for tests and benchmarks, where no characterization or
// profile is at hand. The numbers are plausible for a 40 nm low-power accelerator (same
// order as pdk_stub's tables) but are not a physical model: never use them for results.
#pragma once

#include <cstdint>

#include "sched/InstanceBuilder.hh"

namespace pf::sched {

struct SyntheticChipParams {
  int pe_groups = 4;
  int buffer_banks = 6;
  std::vector<double> rail_voltages_v = {0.6, 0.8, 1.1};
  std::vector<int> dividers = {1, 2, 3, 4, 6, 8};
  double base_mhz = 400.0;
};

ChipModel syntheticChip(const SyntheticChipParams &params = {});

// `layers` layers with cycle counts spread over three decades, compute- and
// memory-bound layers mixed, random subsets of PE groups and banks in use.
Workload syntheticWorkload(const ChipModel &chip, int layers, uint64_t seed);

}  // namespace pf::sched
