#include "sim/cosim/SimInputs.hh"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "characterize/Characterization.hh"
#include "core/Error.hh"
#include "core/FileList.hh"
#include "core/Files.hh"
#include "core/Hash.hh"
#include "gen/Compiler.hh"
#include "gen/GenInputs.hh"
#include "gen/Manifest.hh"
#include "gen/Microcode.hh"
#include "golden/Packing.hh"
#include "net/onnx/OnnxReader.hh"
#include "workload/ProfileCommand.hh"

namespace pf::sim {

namespace {

namespace fs = std::filesystem;

std::string roleFile(const gen::GenManifest &manifest, const std::string &role,
                     const std::string &manifest_file) {
  for (const auto &[name, file] : manifest.files)
    if (name == role) return file;
  throw Error(9004, {manifest_file, 0, 0}, "files." + role, "the manifest lists no such file");
}

std::string roleHash(const std::vector<std::pair<std::string, std::string>> &hashes,
                     const std::string &role) {
  for (const auto &[name, hash] : hashes)
    if (name == role) return hash;
  return "";
}

// A generated file must be the one gen wrote (an edited sequencer or system top would
// simulate something that was never proven).
std::string checkedGenFile(const gen::GenManifest &manifest, const std::string &dir,
                           const std::string &role, const std::string &manifest_file) {
  const std::string path = (fs::path(dir) / roleFile(manifest, role, manifest_file)).string();
  if (sha256Hex(readTextFile(path)) != roleHash(manifest.file_hashes, role))
    throw Error(9014, {path, 0, 0}, role,
                fmt::format("differs from the file powerflow gen wrote (SHA-256 in {}); "
                            "re-run powerflow gen",
                            manifest_file));
  return path;
}

void checkManifest(const gen::GenManifest &manifest, const gen::GenModel &model,
                   const SimFiles &files, const std::string &manifest_file) {
  if (manifest.design_name != model.design.name)
    throw Error(
        9003, {manifest_file, 0, 0}, "design",
        fmt::format("the gen output is for design '{}', not '{}' ({}); re-run powerflow gen",
                    manifest.design_name, model.design.name, files.design));
  const std::pair<const char *, std::string> inputs[] = {{"design", files.design},
                                                         {"schedule", files.schedule}};
  for (const auto &[role, path] : inputs) {
    const std::string recorded = roleHash(manifest.input_hashes, role);
    const std::string actual = std::string(role) == "design" ? model.schedule.input_hashes.design
                                                             : sha256Hex(readTextFile(path));
    if (recorded != actual)
      throw Error(
          9008, {manifest_file, 0, 0}, std::string("input_hashes.") + role,
          fmt::format("the gen output was made from another {} than {}; re-run powerflow gen", role,
                      path));
  }
  if (manifest.domains != model.program.domain_names ||
      manifest.sequencer.rails != model.params.rails ||
      manifest.sequencer.dividers != model.params.dividers)
    throw Error(9009, {manifest_file, 0, 0}, "sequencer",
                "the sequencer was generated for other domains, rails or dividers than the "
                "design's; re-run powerflow gen");
}

// The mapping the profile was made from: the network mapped again must give the
// profile's descriptors exactly (so the golden data fits the ROM's descriptors).
Mapping mappingOf(const Profile &profile, const DesignSpec &design, const SimFiles &files) {
  const std::string network_file = files.network.empty() ? profile.network_file : files.network;
  const Network network = readNetworkFile(network_file);
  for (bool spill_all : {false, true}) {
    MappingOptions options;
    options.spill_all = spill_all;
    Mapping mapping = mapNetwork(network, accelConfigOf(design), options);
    const Profile again =
        profileMapping(mapping, network, {profile.read_latency_cycles, "", profile.host_model});
    bool same = again.layers.size() == profile.layers.size();
    for (size_t i = 0; same && i < again.layers.size(); ++i) {
      same = again.layers[i].name == profile.layers[i].name &&
             again.layers[i].cycles == profile.layers[i].cycles &&
             again.layers[i].descriptors.size() == profile.layers[i].descriptors.size();
      for (size_t k = 0; same && k < again.layers[i].descriptors.size(); ++k)
        same = again.layers[i].descriptors[k].desc_addr ==
                   profile.layers[i].descriptors[k].desc_addr &&
               descriptorBytes(again.layers[i].descriptors[k].desc) ==
                   descriptorBytes(profile.layers[i].descriptors[k].desc);
    }
    if (same) return mapping;
  }
  throw Error(9005, {files.profile, 0, 0}, "network_file",
              fmt::format("mapping {} onto {} does not give this profile's descriptors; re-run "
                          "powerflow profile (or pass the network it was made from with --net)",
                          network_file, design.source_file));
}

DomainUnits unitsOf(const DesignSpec &design, const AccelConfig &cfg, const std::string &file) {
  DomainUnits units;
  for (size_t d = 0; d < design.domains.size(); ++d) {
    const DomainSpec &domain = design.domains[d];
    if (domain.kind == DomainKind::AlwaysOn) units.always_on = int(d);
    if (domain.kind == DomainKind::PeGroup) units.pe_groups.push_back(int(d));
  }
  auto bank = [&](const std::string &instance) {
    for (size_t d = 0; d < design.domains.size(); ++d)
      for (const std::string &path : design.domains[d].instances)
        if (path == instance) return int(d);
    throw Error(9006, {file, 0, 0}, "domain",
                fmt::format("no sram_bank domain has instance {}", instance));
  };
  for (int b = 0; b < cfg.act_banks; ++b)
    units.act_banks.push_back(bank(fmt::format("u_act_buf.g_bank[{}].u_sram", b)));
  for (int b = 0; b < cfg.w_banks; ++b)
    units.w_banks.push_back(bank(fmt::format("u_w_buf.g_bank[{}].u_sram", b)));
  return units;
}

}  // namespace

SimInputs loadSimInputs(const SimFiles &files, int periods, uint32_t seed,
                        const std::string &generated_by) {
  const std::string manifest_file = (fs::path(files.gen_dir) / "manifest.json").string();
  const gen::GenManifest manifest = gen::readGenManifest(manifest_file);
  const gen::GenModel model = gen::loadGenModel(
      {files.design, files.characterization, files.schedule},
      {manifest.sequencer.rom_depth, manifest.sequencer.module_name, generated_by, files.rails});
  checkManifest(manifest, model, files, manifest_file);
  const Profile profile = readProfile(files.profile);
  if (sha256Hex(readTextFile(files.profile)) != model.schedule.input_hashes.profile)
    throw Error(9013, {files.schedule, 0, 0}, "input_hashes.profile",
                fmt::format("the schedule was made from another profile than {}; re-run powerflow "
                            "schedule",
                            files.profile));

  SimInputs in;
  CoSimSetup &setup = in.setup;
  setup.chip = model.chip;
  setup.schedule = model.schedule;
  setup.mapping = mappingOf(profile, model.design, files);
  setup.switchable = model.switchable;
  setup.units = unitsOf(model.design, setup.mapping.cfg, files.design);
  setup.read_latency_cycles = profile.read_latency_cycles;
  for (const LayerProfile &layer : profile.layers)
    setup.profile_sparsity.push_back(layer.operand_sparsity);
  setup.periods = periods;
  setup.seed = seed;
  setup.host_end_address = gen::compileProgram(model.program).host_end_address;

  SystemModelSources &sources = in.sources;
  sources.rtl_files = readFileList(model.design.filelist);
  sources.system_v = checkedGenFile(manifest, files.gen_dir, "system", manifest_file);
  sources.sequencer_v = checkedGenFile(manifest, files.gen_dir, "sequencer", manifest_file);
  sources.rom_v = checkedGenFile(manifest, files.gen_dir, "rom", manifest_file);
  sources.shape = {model.program.domain_names,
                   model.params.rails,
                   setup.mapping.cfg.col_groups,
                   setup.mapping.cfg.act_banks,
                   setup.mapping.cfg.act_bank_words,
                   setup.mapping.cfg.w_banks,
                   setup.mapping.cfg.rows * 8,
                   // Not the command line: the model must not depend on paths or options.
                   "powerflow sim",
                   {}};
  for (int d : setup.units.pe_groups) {
    const auto at = std::find(setup.switchable.begin(), setup.switchable.end(), d);
    sources.shape.pe_group_domain.push_back(int(at - setup.switchable.begin()));
  }
  if (files.rom.empty()) {
    in.rom_image = checkedGenFile(manifest, files.gen_dir, "rom_image", manifest_file);
  } else {
    // A ROM given by hand (a patched program): it must at least be an image that fits.
    const std::vector<uint32_t> words = gen::readRomImage(readTextFile(files.rom), files.rom);
    if (int(words.size()) > manifest.sequencer.rom_depth)
      throw Error(9007, {files.rom, 0, 0}, "words",
                  fmt::format("{} words do not fit the generated ROM of {} words", words.size(),
                              manifest.sequencer.rom_depth));
    in.rom_image = files.rom;
  }
  in.rom_image = fs::absolute(in.rom_image).string();
  in.inputs = {{"design", files.design},        {"characterization", files.characterization},
               {"profile", files.profile},      {"schedule", files.schedule},
               {"gen_manifest", manifest_file}, {"rom_image", in.rom_image}};
  for (const auto &[role, path] : in.inputs)
    in.input_hashes.emplace_back(role, sha256Hex(readTextFile(path)));
  return in;
}

}  // namespace pf::sim
