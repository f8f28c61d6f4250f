#include "tests/cosim/SimFlow.hh"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/Design.hh"
#include "core/Files.hh"
#include "core/Hash.hh"
#include "core/Subprocess.hh"
#include "gen/Manifest.hh"

namespace pf::test {

namespace fs = std::filesystem;

namespace {
std::string railsKey(std::string rails) {
  for (char &c : rails)
    if (c == ' ') c = '_';
  return "rails_" + rails;
}

// The model folder of a rail set. No --rails means the design's rails, whose model is the
// same as with them named (the matrix's R = 3): one folder, one Verilator build.
std::string modelKey(const std::string &rails) {
  if (!rails.empty()) return railsKey(rails);
  static const std::string design_rails = fmt::format(
      "{}", fmt::join(readDesign(PF_SOURCE_DIR "/rtl/design.toml").rail_voltages_v, " "));
  return railsKey(design_rails);
}
}  // namespace

SimFlow::SimFlow(FlowCase flow_case) : case_(std::move(flow_case)) {
  const char *tmp = std::getenv("TMPDIR");
  dir_ = fmt::format("{}/pf_cosim_{}/{}", tmp ? tmp : "/tmp", getpid(), case_.name);
  fs::remove_all(dir_);
  fs::create_directories(dir_);
}

std::string SimFlow::characterization() { return PF_CHARACTERIZATION_FIXTURE; }

std::string SimFlow::modelWorkDir(const std::string &key) {
  return std::string(PF_SIM_MODEL_CACHE) + "/" + key;
}

StageRun SimFlow::powerflow(const std::vector<std::string> &args) const {
  std::vector<std::string> argv = {PF_POWERFLOW};
  argv.insert(argv.end(), args.begin(), args.end());
  const ProcessResult result = runProcess(argv, PF_SOURCE_DIR);
  return {result.exit_status, result.output};
}

StageRun SimFlow::profile() const {
  return powerflow({"profile", case_.network, "--design", "rtl/design.toml", "--out",
                    file("profile.json"), "--sparsity-from-data", "0"});
}

// A stage's command on the default design and the fixture's characterization, with more
// arguments and, when the case names them, its rails.
std::vector<std::string> SimFlow::stageArgs(const std::string &stage,
                                            const std::vector<std::string> &more) const {
  std::vector<std::string> args = {stage, "--design", "rtl/design.toml", "--characterization",
                                   characterization()};
  args.insert(args.end(), more.begin(), more.end());
  if (!case_.rails.empty()) args.insert(args.end(), {"--rails", case_.rails});
  return args;
}

StageRun SimFlow::schedule(double deadline_us, const std::string &out) const {
  return powerflow(stageArgs("schedule", {"--profile", file("profile.json"), "--period-us",
                                          fmt::format("{}", case_.period_us), "--deadline-us",
                                          fmt::format("{:.3f}", deadline_us), "--out", file(out)}));
}

StageRun SimFlow::gen(const std::string &schedule, const std::string &out) const {
  return powerflow(stageArgs("gen", {"--schedule", file(schedule), "--out", file(out)}));
}

StageRun SimFlow::sim(const std::vector<std::string> &extra, const std::string &gen,
                      const std::string &schedule, const std::string &work) const {
  const std::vector<std::string> args =
      stageArgs("sim", {"--profile", file("profile.json"), "--schedule", file(schedule), "--gen",
                        file(gen), "--periods", std::to_string(case_.periods), "--out", file("sim"),
                        "--work", work.empty() ? modelWorkDir(modelKey(case_.rails)) : work});
  return powerflow(withOptions(args, extra));
}

std::vector<std::string> withOptions(std::vector<std::string> args,
                                     const std::vector<std::string> &extra) {
  for (size_t e = 0; e + 1 < extra.size(); e += 2)
    for (size_t a = 0; a + 1 < args.size(); ++a)
      if (args[a] == extra[e]) {
        args.erase(args.begin() + long(a), args.begin() + long(a) + 2);
        break;
      }
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

Json SimFlow::readJson(const std::string &name) const {
  return parseJson(readText(file(name)), file(name));
}

std::string readText(const std::string &path) { return readTextFile(path); }

void writeText(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

void rehashManifest(const std::string &gen_dir, const std::string &role) {
  const std::string manifest_path = gen_dir + "/manifest.json";
  gen::GenManifest manifest = gen::readGenManifest(manifest_path);
  for (size_t i = 0; i < manifest.files.size(); ++i)
    if (manifest.files[i].first == role)
      manifest.file_hashes[i].second =
          sha256Hex(readText(gen_dir + "/" + manifest.files[i].second));
  writeText(manifest_path, gen::genManifestToJson(manifest).dump());
}

}  // namespace pf::test
