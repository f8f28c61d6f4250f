#include "gen/GenCommand.hh"

#include <fmt/format.h>

#include <filesystem>
#include <optional>

#include "core/Banner.hh"
#include "core/Design.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Hash.hh"
#include "gen/GenInputs.hh"
#include "gen/Manifest.hh"
#include "gen/SystemTop.hh"

namespace pf {

const cli::Spec &genCommandLine() {
  static const cli::Spec spec = [] {
    cli::Spec s("powerflow gen",
                "the schedule as hardware: microcode ROM, power sequencer RTL, system top, UPF");
    s.description(
        "Compiles the schedule into the sequencer's microcode (docs/microcode.md) and writes,\n"
        "into one directory, all or nothing:\n"
        "  pf_pwrseq.v       the power sequencer for the design's rails and domains (from the\n"
        "                    template gen/templates/pf_pwrseq.v, safety rules as assertions)\n"
        "  pf_pwrseq_rom.v   its program ROM ($readmemh)\n"
        "  pf_pwrseq.memh    the ROM image;  pf_pwrseq.lst  the listing (instruction, source)\n"
        "  pf_system.v       accelerator + sequencer + ROM, the power network as ports\n"
        "  pf_system.upf     IEEE 1801 power intent for pf_system (docs/upf.md)\n"
        "  manifest.json     inputs, their SHA-256, sequencer parameters, files (docs/formats.md)");
    s.path("--design", "FILE", "design description").defaultValue("rtl/design.toml");
    s.path("--characterization", "FILE", "from powerflow characterize")
        .defaultValue("out/characterization.json");
    s.path("--schedule", "FILE", "from powerflow schedule").defaultValue("out/schedule.json");
    s.path("--out", "DIR", "output directory").defaultValue("out/gen");
    s.integer("--rom-depth", "WORDS", "ROM words").range(2, 65536).defaultValue(1024);
    s.list("--rails", "\"V1 V2 ...\"",
           "the rails the schedule was made with (powerflow schedule --rails); the sequencer is "
           "generated for that many rails")
        .count(size_t(kMinRails), size_t(kMaxRails));
    s.epilogue(
        "Refused, with nothing written: a schedule made from another design or\n"
        "characterization (recorded SHA-256), one solved from a dumped instance, one on other\n"
        "rails, domains or dividers than the design's, a state that clocks a domain above its\n"
        "fmax, a program longer than the ROM.\n");
    return s;
  }();
  return spec;
}

namespace {

struct Arguments {
  gen::GenFiles files;
  std::string out;
  int rom_depth = 1024;
  std::string rails;
  std::string command_line;
};

Arguments argumentsOf(const cli::Args &args) {
  Arguments parsed;
  parsed.command_line = "powerflow gen";
  for (const std::string &arg : args.words()) parsed.command_line += " " + arg;
  parsed.files = {args.text("--design"), args.text("--characterization"), args.text("--schedule")};
  parsed.out = args.text("--out");
  parsed.rom_depth = int(args.integer("--rom-depth"));
  parsed.rails = args.text("--rails");
  return parsed;
}

gen::NameTable namesOf(const gen::GenModel &model) {
  gen::NameTable names;
  names.domains = model.program.domain_names;
  names.rail_voltages_v = model.design.rail_voltages_v;
  for (int64_t divider : model.design.clock.dividers) names.dividers.push_back(int(divider));
  return names;
}

struct GeneratedFile {
  std::string role;
  std::string name;
  std::string text;
};

std::vector<GeneratedFile> generate(const gen::GenModel &model, const std::string &command) {
  const gen::Program program = gen::compileProgram(model.program);
  const std::string module = model.params.module_name;
  const std::string rom_file = module + ".memh";
  const std::string header =
      generatedBanner("//", command) + fmt::format("// {} of {} on {}; {} of {} words\n", module,
                                                   model.schedule.network, model.design.name,
                                                   program.lines.size(), model.params.rom_depth);
  return {
      {"sequencer", module + ".v", gen::sequencerVerilog(model.params, command)},
      {"rom", module + "_rom.v", gen::sequencerRomVerilog(model.params, rom_file, command)},
      {"rom_image", rom_file, gen::romImage(program.words(), header, model.params.rom_depth)},
      {"listing", module + ".lst",
       gen::programListing(program, model.params.shape(), namesOf(model), header)},
      {"system", std::string(gen::kSystemModule) + ".v",
       gen::systemVerilog(model.design, model.switchable, model.params, rom_file, command)},
      {"upf", std::string(gen::kSystemModule) + ".upf",
       gen::writeUpf(gen::upfSpecOf(model, command))},
  };
}

gen::GenManifest manifestOf(const gen::GenModel &model, const Arguments &args,
                            const std::vector<GeneratedFile> &files, int program_words,
                            int loop_address) {
  gen::GenManifest manifest;
  manifest.generated_by = args.command_line;
  manifest.inputs = {{"design", args.files.design},
                     {"characterization", args.files.characterization},
                     {"schedule", args.files.schedule}};
  manifest.input_hashes = {{"design", model.schedule.input_hashes.design},
                           {"characterization", model.schedule.input_hashes.characterization},
                           {"schedule", sha256Hex(readTextFile(args.files.schedule))}};
  manifest.design_name = model.design.name;
  manifest.network = model.schedule.network;
  manifest.sequencer = model.params;
  manifest.domains = model.program.domain_names;
  for (int64_t divider : model.design.clock.dividers) manifest.dividers.push_back(int(divider));
  manifest.program_words = program_words;
  manifest.loop_address = loop_address;
  for (const GeneratedFile &file : files) {
    manifest.files.emplace_back(file.role, file.name);
    manifest.file_hashes.emplace_back(file.role, sha256Hex(file.text));
  }
  return manifest;
}

}  // namespace

int runGenCommand(const std::vector<std::string> &args) {
  const std::optional<cli::Args> command_line = genCommandLine().parseOrPrintHelp(args);
  if (!command_line) return 0;
  const Arguments parsed = argumentsOf(*command_line);
  const gen::GenModel model = gen::loadGenModel(
      parsed.files, {parsed.rom_depth, "pf_pwrseq", parsed.command_line, parsed.rails});
  const std::vector<GeneratedFile> files = generate(model, parsed.command_line);
  const gen::Program program = gen::compileProgram(model.program);
  const gen::GenManifest manifest =
      manifestOf(model, parsed, files, int(program.lines.size()), program.loop_address);
  OutputSet outputs;
  for (const GeneratedFile &file : files)
    outputs.add((std::filesystem::path(parsed.out) / file.name).string(), file.text);
  outputs.add((std::filesystem::path(parsed.out) / "manifest.json").string(),
              gen::genManifestToJson(manifest).dump());
  outputs.commit();
  fmt::print("gen: {} on {}: sequencer for {} rails, {} switchable domains, {} dividers\n",
             model.schedule.network, model.design.name, model.params.rails, model.params.domains,
             model.params.dividers);
  fmt::print("gen: program {} of {} ROM words ({} layers), power-good timeout {} cycles\n",
             program.lines.size(), model.params.rom_depth, model.schedule.layers.size(),
             model.params.pg_timeout_cycles);
  fmt::print(
      "wrote {}/ (pf_pwrseq.v, pf_pwrseq_rom.v, pf_pwrseq.memh, pf_pwrseq.lst, "
      "pf_system.v, pf_system.upf, manifest.json)\n",
      parsed.out);
  return 0;
}

}  // namespace pf
