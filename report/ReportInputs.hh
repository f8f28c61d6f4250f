// The report's inputs: the files the stages wrote, read through their own readers and
// cross-checked by the SHA-256 each file records of its inputs, so no chart is drawn
// from files of different runs. The edge of the report stage (the only part with I/O
// besides the command).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "characterize/Characterization.hh"
#include "gen/Manifest.hh"
#include "sched/io/ScheduleFile.hh"
#include "sim/cosim/SimReportFile.hh"
#include "workload/Profile.hh"

namespace pf::report {

// "" = not given: the page's parts that need it say so.
struct ReportPaths {
  std::string schedule;  // required
  std::string characterization;
  std::string profile;
  std::string gen_dir;  // its manifest.json
  std::string sim;      // out/sim/report.json
};

// Provenance of one input: what the page says it was made from.
struct ReportSource {
  std::string role;          // "schedule", "characterization", ...
  std::string path;          // as given; "" when not given
  std::string sha256;        // of the file's contents
  std::string generated_by;  // the command recorded in the file
  std::string note;          // why it is absent, when it is
};

struct ReportInputs {
  ScheduleFile schedule;
  std::optional<Characterization> characterization;
  std::optional<Profile> profile;
  std::optional<gen::GenManifest> gen;
  std::optional<SimReportFile> sim;
  std::vector<ReportSource> sources;  // schedule, characterization, profile, gen, sim
  std::vector<std::pair<std::string, std::string>> tool_versions;  // tool -> first line
};

// Reads and checks; throws pf::Error, naming the file and the field:
//   PF-9502 the schedule was solved from a dumped instance (no physical data to draw),
//   PF-9503 a characterization, PF-9504 a profile other than the schedule's,
//   PF-9505 a gen output, PF-9506 a co-simulation of another schedule,
//   PF-9507 a co-simulation report whose layers or domains are not the schedule's.
ReportInputs loadReportInputs(const ReportPaths &paths);

}  // namespace pf::report
