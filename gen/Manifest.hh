// The manifest of a gen output directory ("powerflow-gen", version 1; docs/formats.md):
// which files were generated from which inputs (with their SHA-256), and the sequencer's
// parameters, so the co-simulation can check that a ROM, a sequencer and a schedule
// belong together before it runs them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/Json.hh"
#include "gen/Sequencer.hh"

namespace pf::gen {

inline constexpr const char *kGenManifestFormat = "powerflow-gen";
inline constexpr int kGenManifestVersion = 1;

struct GenManifest {
  std::string generated_by;
  std::vector<std::pair<std::string, std::string>> inputs;        // role -> path
  std::vector<std::pair<std::string, std::string>> input_hashes;  // role -> SHA-256
  std::string design_name;
  std::string network;
  SequencerParams sequencer;
  std::vector<std::string> domains;  // switchable domains, sequencer order
  std::vector<int> dividers;         // divider values by index
  int program_words = 0;
  int loop_address = 0;
  std::vector<std::pair<std::string, std::string>> files;        // role -> file name
  std::vector<std::pair<std::string, std::string>> file_hashes;  // role -> SHA-256
};

Json genManifestToJson(const GenManifest &manifest);
// Throws pf::Error naming `file`, the line and the JSON path: PF-8701 another format,
// PF-8702 a missing field or a sequencer the manifest's own fields contradict; the field
// reader's numbers (core/JsonNode.hh) for another version, a mistyped or unknown field, a
// number out of range.
GenManifest genManifestFromJson(const Json &json, const std::string &file);
GenManifest genManifestFromText(const std::string &text, const std::string &file);
GenManifest readGenManifest(const std::string &path);

}  // namespace pf::gen
