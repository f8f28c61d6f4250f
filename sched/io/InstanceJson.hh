// The scheduling instance as a documented JSON file ("powerflow-instance", version 1;
// docs/formats.md): everything a solver needs — states, per-layer options, transition
// matrices, deadline and period in integer ticks — so the problem can be re-solved with
// another solver (`powerflow schedule --dump-instance FILE`, `--instance FILE`).
#pragma once

#include <string>

#include "core/Json.hh"
#include "sched/Instance.hh"

namespace pf {

inline constexpr const char *kInstanceFormat = "powerflow-instance";
inline constexpr int kInstanceVersion = 1;

Json instanceToJson(const sched::Instance &instance, const std::string &generated_by);

// Throws pf::Error (PF-72xx) naming `file` and the field of the first problem, including
// every structural problem sched::validateInstance() finds.
sched::Instance instanceFromJson(const Json &json, const std::string &file);

}  // namespace pf
