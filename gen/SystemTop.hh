// pf_system: the accelerator, the generated sequencer and its ROM wired together, with
// the power network (rail selects, switch enables, power-good) as ports so a behavioural
// power network (the co-simulation) or a real one (UPF, gen/Upf.hh) can sit outside.
//
// The accelerator must have pf_accel's handshake and memory ports (start, desc_addr,
// busy, done, err_code, phase, dma_*; docs/accelerator.md) and the status outputs
// pe_active, act_bank_active, w_bank_active; its power ports are the ones each domain of
// the design names (pgood, iso, reset, retention: "port[index]" or "port").
#pragma once

#include <string>
#include <vector>

#include "core/Design.hh"
#include "gen/Sequencer.hh"

namespace pf::gen {

inline constexpr const char *kSystemModule = "pf_system";

// Throws pf::Error (PF-85xx) naming the design file and domain for a power port that is
// not "name" or "name[index]", or a port shared by two domains.
std::string systemVerilog(const DesignSpec &design, const std::vector<int> &switchable,
                          const SequencerParams &params, const std::string &rom_file,
                          const std::string &generated_by);

// The system's top-level port names the UPF uses for switchable domain s (sequencer
// order): one rail select per rail, power-good, isolation, retention ("" for none).
std::vector<std::string> systemRailSelects(const SequencerParams &params, int s);
std::string systemPowerGood(int s);
std::string systemIsolation(int s);
std::string systemRetention(const SequencerParams &params, int s);

}  // namespace pf::gen
