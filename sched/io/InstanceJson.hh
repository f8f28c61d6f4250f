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

// Throws pf::Error naming `file`, the line and the field of the first problem: PF-7201
// another format; the field reader's numbers (core/JsonNode.hh) for another version, a
// missing, mistyped or unknown field, a number out of range, an unknown mode or idle kind;
// PF-7202 for every structural problem sched::validateInstance() finds.
sched::Instance instanceFromJson(const Json &json, const std::string &file);
// The same from the file's text (PF-1403 for JSON syntax).
sched::Instance instanceFromText(const std::string &text, const std::string &file);

}  // namespace pf
