// Runs the powerflow stages as a user does (the real binary, real files) in a scratch
// directory, for the co-simulation tests: profile -> schedule -> gen -> sim.
#pragma once

#include <string>
#include <vector>

#include "core/Json.hh"

namespace pf::test {

struct FlowCase {
  std::string name;     // scratch sub-directory
  std::string network;  // relative to the source tree
  std::string rails;    // --rails, "" = the design's
  double period_us = 10000;
  double deadline_us = 2000;
  int periods = 2;
};

struct StageRun {
  int status = -1;
  std::string output;
};

class SimFlow {
 public:
  explicit SimFlow(FlowCase flow_case);

  const std::string &dir() const { return dir_; }
  std::string file(const std::string &name) const { return dir_ + "/" + name; }

  StageRun powerflow(const std::vector<std::string> &args) const;
  // Each stage; an unexpected failure fails the test (ASSERTs in the caller).
  StageRun profile() const;
  StageRun schedule(double deadline_us, const std::string &out = "schedule.json") const;
  StageRun gen(const std::string &schedule = "schedule.json", const std::string &out = "gen") const;
  // sim with the files of this flow; `extra` are more options or replace them (--rom,
  // --out, ...).
  StageRun sim(const std::vector<std::string> &extra = {}, const std::string &gen = "gen",
               const std::string &schedule = "schedule.json", const std::string &work = "") const;

  Json readJson(const std::string &name) const;

  static std::string characterization();  // the ctest fixture's real characterization
  static std::string modelWorkDir(const std::string &key);  // shared model cache

 private:
  std::vector<std::string> stageArgs(const std::string &stage,
                                     const std::vector<std::string> &more) const;

  FlowCase case_;
  std::string dir_;
};

// Replaces the manifest's recorded SHA-256 of `role` by that of the file now on disk
// (a test that plants a bug in a generated file says so this way).
void rehashManifest(const std::string &gen_dir, const std::string &role);

// `args` with the `--name value` pairs of `extra`: an option of both takes extra's value
// (powerflow refuses an option given twice, PF-1210).
std::vector<std::string> withOptions(std::vector<std::string> args,
                                     const std::vector<std::string> &extra);

std::string readText(const std::string &path);
void writeText(const std::string &path, const std::string &text);

}  // namespace pf::test
