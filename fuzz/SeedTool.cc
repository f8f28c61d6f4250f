// pf_fuzz_seed_tool: writes the seed files no cheap powerflow command writes small enough
// for fuzzing (fuzz/Seeds.cmake):
//   pf_fuzz_seed_tool characterization DESIGN.toml OUT.json
//       the schedule tests' stand-in characterization of a design
//       (tests/schedule/StandInCharacterization.hh), as `powerflow characterize` would
//       write it after minutes of synthesis and simulation;
//   pf_fuzz_seed_tool instance OUT.json
//       an instance file of three layers on a small synthetic chip (one PE group, one
//       bank, two rails, two dividers): the default design's are megabytes.
#include <cstdio>
#include <string>

#include "characterize/Characterization.hh"
#include "core/Design.hh"
#include "core/Files.hh"
#include "sched/InstanceBuilder.hh"
#include "sched/Synthetic.hh"
#include "sched/io/InstanceJson.hh"
#include "tests/schedule/StandInCharacterization.hh"

namespace {

std::string smallInstance() {
  pf::sched::SyntheticChipParams params;
  params.pe_groups = 1;
  params.buffer_banks = 1;
  params.rail_voltages_v = {0.6, 1.1};
  params.dividers = {1, 2};
  const pf::sched::ChipModel chip = pf::sched::syntheticChip(params);
  const pf::sched::Workload workload = pf::sched::syntheticWorkload(chip, 3, 1);
  const pf::sched::BuildOptions options{10.0, 2e7, 1e7};
  if (!pf::sched::checkBuildInputs(chip, workload, options).empty())
    throw pf::Error(1, {}, "", "the synthetic instance's inputs are refused");
  return pf::instanceToJson(pf::sched::buildInstance(chip, workload, options),
                            "pf_fuzz_seed_tool instance")
      .dump();
}

}  // namespace

int main(int argc, char **argv) {
  const std::string what = argc > 1 ? argv[1] : "";
  try {
    if (what == "characterization" && argc == 4) {
      const pf::DesignSpec design = pf::readDesign(argv[2]);
      pf::writeFileAtomic(
          argv[3], pf::characterizationToJson(pf::test::standInCharacterization(design)).dump());
    } else if (what == "instance" && argc == 3) {
      pf::writeFileAtomic(argv[2], smallInstance());
    } else {
      std::fprintf(stderr,
                   "usage: pf_fuzz_seed_tool characterization DESIGN.toml OUT.json\n"
                   "       pf_fuzz_seed_tool instance OUT.json\n");
      return 2;
    }
  } catch (const pf::Error &error) {
    std::fprintf(stderr, "%s\n", error.formatted().c_str());
    return 1;
  }
  return 0;
}
