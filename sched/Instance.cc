#include "sched/Instance.hh"

#include <cmath>
#include <string>

namespace pf::sched {

const char *domainModeName(DomainMode mode) {
  switch (mode) {
    case DomainMode::Off:
      return "off";
    case DomainMode::Retention:
      return "retention";
    case DomainMode::On:
      return "on";
  }
  return "?";
}

const char *idleKindName(IdleKind kind) {
  switch (kind) {
    case IdleKind::ClockedOn:
      return "clocked_on";
    case IdleKind::ClockGated:
      return "clock_gated";
    case IdleKind::PowerGated:
      return "power_gated";
  }
  return "?";
}

namespace {

class ProblemList {
 public:
  void add(std::string where, std::string reason) {
    problems_.push_back({std::move(where), std::move(reason)});
  }
  std::vector<InstanceProblem> take() { return std::move(problems_); }

 private:
  std::vector<InstanceProblem> problems_;
};

std::string at(const std::string &base, size_t index) {
  return base + "[" + std::to_string(index) + "]";
}

void checkStates(const Instance &instance, ProblemList &problems) {
  for (size_t s = 0; s < instance.states.size(); ++s) {
    const PowerState &state = instance.states[s];
    const std::string where = at("states", s);
    if (state.domains.size() != instance.domain_names.size())
      problems.add(where + ".domains", "one entry per domain expected");
    for (size_t d = 0; d < state.domains.size(); ++d) {
      const DomainState &domain = state.domains[d];
      const bool on = domain.mode == DomainMode::On;
      const bool rail_ok =
          on ? domain.rail >= 0 && size_t(domain.rail) < instance.rail_voltages_v.size()
             : domain.rail == -1;
      if (!rail_ok) problems.add(at(where + ".domains", d) + ".rail", "rail index out of range");
    }
    if (state.operating_point < -1 ||
        state.operating_point >= int(instance.operating_points.size()))
      problems.add(where + ".operating_point", "index out of range");
    if (state.clock_divider < 0) problems.add(where + ".clock_divider", "must be >= 0");
  }
}

void checkLayers(const Instance &instance, ProblemList &problems) {
  if (instance.layers.empty()) problems.add("layers", "at least one layer expected");
  for (size_t i = 0; i < instance.layers.size(); ++i) {
    const Stage &stage = instance.layers[i];
    const std::string where = at("layers", i);
    if (stage.options.empty()) problems.add(where + ".options", "at least one option expected");
    for (size_t o = 0; o < stage.options.size(); ++o) {
      const LayerOption &option = stage.options[o];
      const std::string owhere = at(where + ".options", o);
      if (option.state < 0 || size_t(option.state) >= instance.states.size())
        problems.add(owhere + ".state", "index out of range");
      if (option.time < 1) problems.add(owhere + ".time", "must be >= 1 tick");
      if (!std::isfinite(option.dynamic_pj) || !std::isfinite(option.leakage_pj))
        problems.add(owhere, "energy must be finite");
    }
  }
}

void checkIdle(const Instance &instance, ProblemList &problems) {
  if (instance.idle.empty()) problems.add("idle", "at least one idle option expected");
  for (size_t k = 0; k < instance.idle.size(); ++k) {
    const IdleOption &option = instance.idle[k];
    if (option.state < 0 || size_t(option.state) >= instance.states.size())
      problems.add(at("idle", k) + ".state", "index out of range");
    if (!std::isfinite(option.power_pj_per_tick))
      problems.add(at("idle", k) + ".power_pj_per_tick", "must be finite");
  }
}

size_t stageSize(const Instance &instance, size_t boundary_side_stage) {
  // Stage 0 and stage L+1 are the idle options; stage i (1..L) is layer i-1.
  const size_t layers = instance.layers.size();
  if (boundary_side_stage == 0 || boundary_side_stage == layers + 1) return instance.idle.size();
  return instance.layers[boundary_side_stage - 1].options.size();
}

void checkTransitions(const Instance &instance, ProblemList &problems) {
  const size_t layers = instance.layers.size();
  if (instance.transitions.size() != layers + 1) {
    problems.add("transitions", "L + 1 matrices expected");
    return;
  }
  for (size_t b = 0; b <= layers; ++b) {
    const TransitionMatrix &matrix = instance.transitions[b];
    const std::string where = at("transitions", b);
    const size_t from = stageSize(instance, b), to = stageSize(instance, b + 1);
    if (size_t(matrix.from_count) != from || size_t(matrix.to_count) != to) {
      problems.add(where, "dimensions do not match the stages it joins");
      continue;
    }
    if (matrix.time.size() != from * to || matrix.energy_pj.size() != from * to) {
      problems.add(where, "from_count * to_count entries expected");
      continue;
    }
    for (size_t e = 0; e < matrix.time.size(); ++e) {
      if (matrix.time[e] < 0) problems.add(at(where + ".time", e), "must be >= 0");
      if (!std::isfinite(matrix.energy_pj[e]))
        problems.add(at(where + ".energy_pj", e), "must be finite");
    }
  }
}

}  // namespace

std::vector<InstanceProblem> validateInstance(const Instance &instance) {
  ProblemList problems;
  if (!(instance.tick_ns > 0.0)) problems.add("tick_ns", "must be > 0");
  if (instance.deadline < 0) problems.add("deadline", "must be >= 0");
  if (instance.deadline > instance.period) problems.add("deadline", "must not exceed the period");
  if (instance.aggressive_point < -1 ||
      instance.aggressive_point >= int(instance.operating_points.size()))
    problems.add("aggressive_point", "index out of range");
  checkStates(instance, problems);
  checkLayers(instance, problems);
  checkIdle(instance, problems);
  checkTransitions(instance, problems);
  return problems.take();
}

double scheduleSpaceLog10(const Instance &instance) {
  double log10_count = std::log10(double(instance.idle.size()));
  for (const Stage &stage : instance.layers)
    log10_count += std::log10(double(stage.options.size()));
  return log10_count;
}

}  // namespace pf::sched
