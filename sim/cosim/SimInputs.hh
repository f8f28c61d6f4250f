// The sim stage's edge: from the files the earlier stages wrote to a CoSimSetup and the
// model sources, cross-checked so that a run never mixes a ROM, a sequencer, a schedule,
// a profile and a characterization that do not belong together (PF-90xx, each naming the
// file and the field). Nothing is built or simulated before everything here passed.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sim/cosim/CoSim.hh"
#include "sim/cosim/SystemModel.hh"

namespace pf::sim {

struct SimFiles {
  std::string design = "rtl/design.toml";
  std::string characterization = "out/characterization.json";
  std::string profile = "out/profile.json";
  std::string schedule = "out/schedule.json";
  std::string gen_dir = "out/gen";
  std::string rom;      // "" = the gen directory's image (hash-checked); else this image
  std::string network;  // "" = the profile's network file
  std::string rails;    // --rails, as for schedule and gen
};

struct SimInputs {
  CoSimSetup setup;
  SystemModelSources sources;
  std::string rom_image;                                    // the image the model loads
  std::vector<std::pair<std::string, std::string>> inputs;  // role -> path
  std::vector<std::pair<std::string, std::string>> input_hashes;
};

SimInputs loadSimInputs(const SimFiles &files, int periods, uint32_t seed,
                        const std::string &generated_by);

}  // namespace pf::sim
