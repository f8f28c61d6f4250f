// Behavioural power network of the co-simulation: per switchable domain a header switch
// behind a rail multiplexer, driven by the sequencer's dom_rail / dom_sw / dom_ret /
// dom_rst_n, answering dom_pgood.
//
// Model (the characterization's numbers, the same the scheduler prices with):
//  - closing the switch onto rail r starts a ramp; power-good rises once the domain's
//    characterized time has passed: the rail-change time [r1][r] when the switch opened
//    from rail r1 with the domain's state kept (a break-before-make rail change: reset
//    high, no retention), else the wake-up time at r (from off, or out of retention);
//  - opening the switch drops power-good at once;
//  - each closing is one transition event, priced by sched::domainChangeCost (a rail
//    change, a wake-up or a retention exit); opening costs nothing (isolation only).
// The power state a domain is in for leakage: On at its rail while the switch is closed
// (ramping included), Retention while retained with the switch open, else Off.
#pragma once

#include <cstdint>
#include <vector>

#include "sched/InstanceBuilder.hh"
#include "sim/cosim/model/pf_cosim_abi.h"

namespace pf::sim {

struct TransitionEvent {
  int domain = -1;  // switchable domain (sequencer order)
  sched::DomainState from;
  sched::DomainState to;
  double time_ns = 0.0;  // its characterized latency
  double energy_pj = 0.0;
};

class PowerNetwork {
 public:
  // `physics[s]`: the chip model's domain behind switchable domain s. `slowdown` scales
  // every power-good delay (1: as characterized; more: a what-if, or a fault to show the
  // sequencer's power-good timeout).
  PowerNetwork(std::vector<const sched::DomainPhysics *> physics, int rails, double slowdown = 1.0);

  // Power-good of every domain at time `edge_ns` (bit s).
  uint32_t powerGood(double edge_ns) const;
  // Takes the sequencer's outputs of a cycle starting at `now_ns`; appends the closings
  // it sees to `events`. Returns true if any domain's state changed.
  bool observe(const PfCosimOut &out, double now_ns, std::vector<TransitionEvent> &events);

  const sched::DomainState &state(int s) const { return domains_[size_t(s)].state; }
  int railOf(const PfCosimOut &out, int s) const;  // -1: none selected
  bool waking(int s, double now_ns) const;
  int size() const { return int(domains_.size()); }

 private:
  struct Domain {
    sched::DomainState state;  // for leakage
    bool closed = false;
    int rail = -1;
    double pgood_at_ns = 0.0;
    sched::DomainState kept;  // what the domain was when its switch last opened
  };
  std::vector<const sched::DomainPhysics *> physics_;
  int rails_;
  double slowdown_;
  std::vector<Domain> domains_;
};

}  // namespace pf::sim
