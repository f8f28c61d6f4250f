// The gen stage's edge: from the design, the characterization and the schedule file to
// the plain structs the pure generators take (SequencerParams, ProgramSpec, UpfSpec).
// Everything a user can get wrong is checked here, before any generator runs, and
// refused with a pf::Error naming the file and the field (PF-84xx).
#pragma once

#include <string>
#include <vector>

#include "core/Design.hh"
#include "gen/Compiler.hh"
#include "gen/Sequencer.hh"
#include "gen/Upf.hh"
#include "sched/InstanceBuilder.hh"
#include "sched/io/ScheduleFile.hh"

namespace pf::gen {

struct GenFiles {
  std::string design;
  std::string characterization;
  std::string schedule;
};

struct GenOptions {
  int rom_depth = 1024;  // words
  std::string module_name = "pf_pwrseq";
  std::string generated_by;
  std::string rails;  // --rails: the design's rails replaced, as for powerflow schedule
};

// What the generators need, resolved from the three files.
struct GenModel {
  DesignSpec design;
  ScheduleFile schedule;
  sched::ChipModel chip;
  std::vector<int> switchable;  // design domain index of each sequencer domain
  SequencerParams params;
  ProgramSpec program;
};

// Reads and cross-checks the inputs: the schedule must be physical, made from these
// design and characterization files (recorded SHA-256), on the design's rails and
// domains, with the design's clock.
GenModel loadGenModel(const GenFiles &files, const GenOptions &options);

// The power-good timeout: twice the slowest characterized wake-up or rail change at the
// fastest clock, plus 16 cycles of margin (cycles of the sequencer's clock).
int powerGoodTimeoutCycles(const sched::ChipModel &chip);

// div_min[d * R + r] of every switchable domain from its fmax on each rail.
std::vector<int> dividerLimits(const sched::ChipModel &chip, const std::vector<int> &switchable);

// The UPF of the generated system (scope pf_system, docs/upf.md).
UpfSpec upfSpecOf(const GenModel &model, const std::string &generated_by);

}  // namespace pf::gen
