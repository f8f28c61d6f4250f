// The sequencer's closed-loop environment for the co-simulation: header switches whose
// power-good follows the switch enable, a datapath that answers start with done, and a
// period timer. Each program gets a profile: most run clean, some have power-good that
// never comes or comes (or goes) too late, power-good lost while powered, or datapath
// errors, so every error cause is reached.
#pragma once

#include <cstdint>
#include <vector>

#include "gen/Interpreter.hh"
#include "tests/gen/SequencerRandomProgram.hh"

namespace pf::gen {

struct EnvironmentProfile {
  double late_rise = 0;   // per switch closing: pgood later than the timeout, or never
  double late_fall = 0;   // per switch opening: pgood drops later than the timeout
  double lost = 0;        // per cycle and powered domain: pgood drops for a while
  double dp_err = 0;      // per done: with dp_err != 0
  double stray_done = 0;  // per cycle: a done nobody asked for
  int tick_period = 100;
  double extra_tick = 0;  // per tick: a second one a few cycles later (overrun)
};

EnvironmentProfile randomProfile(Rng &rng);

class SequencerEnvironment {
 public:
  SequencerEnvironment(const SequencerParams &params, const EnvironmentProfile &profile,
                       uint64_t seed);
  // The inputs for the next rising edge, given the outputs after the last one.
  SequencerInputs next(const SequencerOutputs &out);

 private:
  struct Switch {
    bool closed = false;  // dom_sw as last seen
    bool pgood = false;
    int64_t change_at = -1;  // cycle at which pgood takes `target`; -1: none pending
    bool target = false;
  };
  int64_t riseDelay();
  int64_t fallDelay();
  void follow(Switch &s, bool closed);
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  const SequencerParams &params_;
  EnvironmentProfile profile_;
  Rng rng_;
  int64_t cycle_ = 0;
  std::vector<Switch> switches_;
  int64_t done_at_ = -1;
  int64_t next_tick_ = 0;
  int64_t extra_tick_at_ = -1;
};

}  // namespace pf::gen
