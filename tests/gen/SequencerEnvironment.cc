#include "tests/gen/SequencerEnvironment.hh"

namespace pf::gen {

EnvironmentProfile randomProfile(Rng &rng) {
  auto uniform = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  EnvironmentProfile p;
  p.tick_period = uniform(30, 400);
  p.extra_tick = 0.05;
  const int roll = uniform(0, 99);
  if (roll < 50) return p;  // clean
  if (roll < 60)
    p.late_rise = 0.15;
  else if (roll < 68)
    p.late_fall = 0.2;
  else if (roll < 80)
    p.lost = 0.002;
  else if (roll < 92)
    p.dp_err = 0.15;
  else
    p.stray_done = 0.01;
  return p;
}

SequencerEnvironment::SequencerEnvironment(const SequencerParams &params,
                                           const EnvironmentProfile &profile, uint64_t seed)
    : params_(params), profile_(profile), rng_(seed), switches_(size_t(params.domains)) {
  next_tick_ = uniform(1, profile_.tick_period);
}

// Cycles from the first edge that sees the switch closed to the first edge that sees
// power-good; the wake timeout allows PG_TIMEOUT + 1. -1 = never.
int64_t SequencerEnvironment::riseDelay() {
  const int timeout = params_.pg_timeout_cycles;
  if (chance(profile_.late_rise)) return chance(0.5) ? -1 : uniform(timeout + 2, timeout + 6);
  return chance(0.1) ? timeout + 1 : uniform(1, timeout + 1);
}

// The same for power-good dropping after the switch opened (BREAK waits for it).
int64_t SequencerEnvironment::fallDelay() {
  const int timeout = params_.pg_timeout_cycles;
  if (chance(profile_.late_fall)) return chance(0.3) ? -1 : uniform(timeout + 2, timeout + 5);
  return chance(0.1) ? timeout + 1 : uniform(1, std::min(timeout + 1, 4));
}

void SequencerEnvironment::follow(Switch &s, bool closed) {
  if (closed == s.closed) return;
  s.closed = closed;
  s.target = closed;
  const int64_t delay = closed ? riseDelay() : fallDelay();
  s.change_at = delay < 0 ? -1 : cycle_ + delay - 1;
}

SequencerInputs SequencerEnvironment::next(const SequencerOutputs &out) {
  SequencerInputs in;
  for (int d = 0; d < params_.domains; ++d) {
    Switch &s = switches_[size_t(d)];
    follow(s, (out.dom_sw >> d & 1u) != 0);
    if (s.change_at >= 0 && cycle_ >= s.change_at) {
      s.pgood = s.target;
      s.change_at = -1;
    }
    if (s.closed && s.pgood && s.change_at < 0 && chance(profile_.lost)) {
      s.pgood = false;  // a brown-out: back after a few cycles
      s.target = true;
      s.change_at = cycle_ + uniform(1, 8);
    }
    if (s.pgood) in.pgood |= 1u << d;
  }
  // The datapath: done a few cycles after each start (never in the start cycle itself,
  // which the sequencer ignores), sometimes with an error.
  if (out.start) done_at_ = cycle_ + uniform(1, chance(0.9) ? 12 : 60);
  if (cycle_ == done_at_) {
    in.done = true;
    if (chance(profile_.dp_err)) in.dp_err = uint8_t(uniform(1, 15));
  } else {
    in.done = chance(profile_.stray_done);
  }
  // The period timer, now and then with a second tick soon after (overrun).
  if (cycle_ == next_tick_ || cycle_ == extra_tick_at_) {
    in.tick = true;
    if (cycle_ == next_tick_) {
      next_tick_ += profile_.tick_period;
      if (chance(profile_.extra_tick)) extra_tick_at_ = cycle_ + uniform(1, 6);
    }
  }
  ++cycle_;
  return in;
}

}  // namespace pf::gen
