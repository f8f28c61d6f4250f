// The scheduler's workload from a profile (workload/Profile.hh): per layer, the cycles
// that scale with the clock, the external transfers, which design domains it uses and
// which banks keep live data, and the accesses per bank.
//
// Profile units map onto design domains by the pf_accel structure the profile describes:
// PE column group g is the g-th pe_group domain of the design (in file order); data bank
// i and weight bank j are the sram_bank domains whose instance is
// u_act_buf.g_bank[i].u_sram and u_w_buf.g_bank[j].u_sram.
#pragma once

#include <string>

#include "core/Design.hh"
#include "sched/InstanceBuilder.hh"
#include "workload/Profile.hh"

namespace pf {

// Throws pf::Error (PF-71xx) naming the profile file when the profile does not fit the
// design: more PE groups or banks than the design has domains for, or an accelerator
// configuration that differs from the design's parameters.
sched::Workload workloadFromProfile(const Profile &profile, const DesignSpec &design,
                                    const std::string &profile_file);

}  // namespace pf
