#include "sim/cosim/PowerNetwork.hh"

namespace pf::sim {

PowerNetwork::PowerNetwork(std::vector<const sched::DomainPhysics *> physics, int rails,
                           double slowdown)
    : physics_(std::move(physics)), rails_(rails), slowdown_(slowdown), domains_(physics_.size()) {}

uint32_t PowerNetwork::powerGood(double edge_ns) const {
  uint32_t bits = 0;
  for (size_t s = 0; s < domains_.size(); ++s)
    if (domains_[s].closed && edge_ns >= domains_[s].pgood_at_ns - 1e-9) bits |= 1u << s;
  return bits;
}

int PowerNetwork::railOf(const PfCosimOut &out, int s) const {
  for (int r = 0; r < rails_; ++r) {
    const int bit = s * rails_ + r;
    if (out.dom_rail[bit / 32] >> (bit % 32) & 1u) return r;
  }
  return -1;
}

bool PowerNetwork::waking(int s, double now_ns) const {
  const Domain &domain = domains_[size_t(s)];
  return domain.closed && now_ns < domain.pgood_at_ns;
}

bool PowerNetwork::observe(const PfCosimOut &out, double now_ns,
                           std::vector<TransitionEvent> &events) {
  bool changed = false;
  for (size_t s = 0; s < domains_.size(); ++s) {
    Domain &domain = domains_[s];
    const bool closed = (out.dom_sw >> s & 1u) != 0;
    const bool retained = (out.dom_ret >> s & 1u) != 0;
    const bool reset = (out.dom_rst_n >> s & 1u) == 0;
    const int rail = closed ? railOf(out, int(s)) : -1;
    if (closed && (!domain.closed || rail != domain.rail)) {
      // A closing (or a rail select moving under a closed switch, which the sequencer
      // never does: priced as a rail change).
      const sched::DomainState from = domain.closed ? domain.state : domain.kept;
      const sched::DomainState to{sched::DomainMode::On, rail};
      const sched::ChangeCost cost = sched::domainChangeCost(*physics_[s], from, to);
      domain.pgood_at_ns = now_ns + cost.time_ns * slowdown_;
      events.push_back({int(s), from, to, cost.time_ns, cost.energy_pj});
    } else if (!closed && domain.closed) {
      // Opened: the state it keeps decides how the next closing is priced.
      domain.kept = retained ? sched::DomainState{sched::DomainMode::Retention, -1}
                    : reset  ? sched::DomainState{sched::DomainMode::Off, -1}
                             : domain.state;  // a break: the domain keeps its state
    }
    sched::DomainState state{sched::DomainMode::Off, -1};
    if (closed)
      state = {sched::DomainMode::On, rail};
    else if (retained)
      state = {sched::DomainMode::Retention, -1};
    if (!closed && !retained && reset) domain.kept = {sched::DomainMode::Off, -1};
    changed = changed || !(state == domain.state) || closed != domain.closed;
    domain.closed = closed;
    domain.rail = rail;
    domain.state = state;
  }
  return changed;
}

}  // namespace pf::sim
