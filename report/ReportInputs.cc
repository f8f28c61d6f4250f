#include "report/ReportInputs.hh"

#include <fmt/format.h>

#include <filesystem>

#include "characterize/synth/Cache.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Hash.hh"

namespace pf::report {

namespace {

std::string fileHash(const std::string &path) { return sha256Hex(readTextFile(path)); }

std::string recorded(const std::vector<std::pair<std::string, std::string>> &pairs,
                     const std::string &role) {
  for (const auto &[name, value] : pairs)
    if (name == role) return value;
  return "";
}

// The file `path` must be the one `recorder` was made from (its recorded hash).
void requireSame(int id, const std::string &path, const std::string &actual,
                 const std::string &recorder_file, const std::string &field,
                 const std::string &recorded_hash, const std::string &what) {
  if (recorded_hash == actual) return;
  throw Error(
      id, {recorder_file, 0, 0}, field,
      fmt::format("{} was made from another {} than {} (recorded SHA-256 {}…, the "
                  "file's {}…): re-run the stages, or give the report the files of "
                  "one run",
                  recorder_file, what, path, recorded_hash.substr(0, 12), actual.substr(0, 12)));
}

ReportSource absent(const std::string &role, const std::string &option) {
  return {role, "", "", "", fmt::format("not given ({})", option)};
}

void readCharacterizationFile(const ReportPaths &paths, ReportInputs &in) {
  if (paths.characterization.empty()) {
    in.sources.push_back(absent("characterization", "--characterization"));
    return;
  }
  const std::string hash = fileHash(paths.characterization);
  requireSame(9503, paths.characterization, hash, paths.schedule, "input_hashes.characterization",
              in.schedule.input_hashes.characterization, "characterization");
  in.characterization = readCharacterization(paths.characterization);
  in.sources.push_back(
      {"characterization", paths.characterization, hash, in.characterization->generated_by, ""});
}

void readProfileFile(const ReportPaths &paths, ReportInputs &in) {
  if (paths.profile.empty()) {
    in.sources.push_back(absent("profile", "--profile"));
    return;
  }
  const std::string hash = fileHash(paths.profile);
  requireSame(9504, paths.profile, hash, paths.schedule, "input_hashes.profile",
              in.schedule.input_hashes.profile, "profile");
  in.profile = readProfile(paths.profile);
  in.sources.push_back({"profile", paths.profile, hash, in.profile->generated_by, ""});
}

void readGen(const ReportPaths &paths, const std::string &schedule_hash, ReportInputs &in) {
  if (paths.gen_dir.empty()) {
    in.sources.push_back(absent("gen", "--gen"));
    return;
  }
  const std::string manifest = (std::filesystem::path(paths.gen_dir) / "manifest.json").string();
  in.gen = gen::readGenManifest(manifest);
  requireSame(9505, paths.schedule, schedule_hash, manifest, "input_hashes.schedule",
              recorded(in.gen->input_hashes, "schedule"), "schedule");
  in.sources.push_back({"gen", manifest, fileHash(manifest), in.gen->generated_by, ""});
}

void checkSimShape(const SimReportFile &sim, const ScheduleFile &schedule,
                   const std::string &path) {
  if (sim.domains != schedule.domains)
    throw Error(9507, {path, 0, 0}, "domains", "not the schedule's domains");
  if (sim.by_period.empty())
    throw Error(9508, {path, 0, 0}, "by_period", "no period was simulated");
  for (size_t p = 0; p < sim.by_period.size(); ++p) {
    const std::vector<SimLayerReport> &layers = sim.by_period[p].layers;
    bool same = layers.size() == schedule.layers.size();
    for (size_t i = 0; same && i < layers.size(); ++i)
      same = layers[i].name == schedule.layers[i].name;
    if (!same)
      throw Error(9509, {path, 0, 0}, fmt::format("by_period[{}].layers", p),
                  "not the schedule's layers");
  }
}

void readSim(const ReportPaths &paths, const std::string &schedule_hash, ReportInputs &in) {
  if (paths.sim.empty()) {
    in.sources.push_back(absent("sim", "--sim"));
    return;
  }
  in.sim = readSimReportFile(paths.sim);
  requireSame(9506, paths.schedule, schedule_hash, paths.sim, "input_sha256.schedule",
              in.sim->inputHash("schedule"), "schedule");
  checkSimShape(*in.sim, in.schedule, paths.sim);
  in.sources.push_back({"sim", paths.sim, fileHash(paths.sim), in.sim->generated_by, ""});
}

}  // namespace

ReportInputs loadReportInputs(const ReportPaths &paths) {
  ReportInputs in;
  in.schedule = readScheduleFile(paths.schedule);
  if (!in.schedule.physical)
    throw Error(9502, {paths.schedule, 0, 0}, "physical",
                "solved from a dumped instance: no design, times or energies per domain to draw "
                "(schedule with --design, --characterization and --profile)");
  const std::string schedule_hash = fileHash(paths.schedule);
  in.sources.push_back({"schedule", paths.schedule, schedule_hash, in.schedule.generated_by, ""});
  readCharacterizationFile(paths, in);
  readProfileFile(paths, in);
  readGen(paths, schedule_hash, in);
  readSim(paths, schedule_hash, in);
  for (const std::vector<std::string> &argv : std::vector<std::vector<std::string>>{
           {"yosys", "-V"}, {"sta", "-version"}, {"verilator", "--version"}})
    in.tool_versions.emplace_back(argv[0], synth::toolVersion(argv));
  return in;
}

}  // namespace pf::report
