// The zoo tests' instance of a network on the default design, with the real
// characterization the ctest fixture leaves behind (PF_CHARACTERIZATION_FIXTURE).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sched/Instance.hh"

namespace pf::test {

// The instance of nets/`net`.toml with a period of 4x its minimum latency (the deadline
// equals the period; tests set their own). `dividers` replaces the design's divider set
// when not empty.
sched::Instance zooInstance(const std::string &net, const std::vector<int64_t> &dividers = {});

}  // namespace pf::test
