#include "gen/Sequencer.hh"

#include <fmt/format.h>

#include <cctype>

#include "core/Banner.hh"
#include "core/Error.hh"

namespace pf::gen {

namespace {

void checkRange(std::vector<std::string> &problems, const char *field, int value, int lo, int hi) {
  if (value < lo || value > hi)
    problems.push_back(fmt::format("{}: {} is outside {}..{}", field, value, lo, hi));
}

// Replaces every @KEY@ of the template; an unknown or unreplaced key is a template bug.
std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>> &keys) {
  for (const auto &[key, value] : keys) {
    const std::string marker = "@" + key + "@";
    for (size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at)) {
      text.replace(at, marker.size(), value);
      at += value.size();
    }
  }
  return text;
}

// A Verilog literal of `bits` bits from little-endian 4-bit fields.
std::string nibbleLiteral(const std::vector<int> &nibbles) {
  std::string hex;
  for (auto it = nibbles.rbegin(); it != nibbles.rend(); ++it) hex += fmt::format("{:x}", *it);
  return fmt::format("{}'h{}", nibbles.size() * 4, hex);
}

std::string bitLiteral(const std::vector<bool> &bits) {
  std::string text;
  for (auto it = bits.rbegin(); it != bits.rend(); ++it) text += *it ? '1' : '0';
  return fmt::format("{}'b{}", bits.size(), text);
}

}  // namespace

std::vector<std::string> checkSequencerParams(const SequencerParams &p) {
  std::vector<std::string> problems;
  checkRange(problems, "rails", p.rails, 1, kMaxRails);
  checkRange(problems, "domains", p.domains, 1, kMaxDomains);
  checkRange(problems, "dividers", p.dividers, 1, kMaxDividers);
  checkRange(problems, "rom_depth", p.rom_depth, 2, kMaxRomDepth);
  checkRange(problems, "pg_timeout_cycles", p.pg_timeout_cycles, 1, 65535);
  if (!problems.empty()) return problems;
  if (p.has_retention.size() != size_t(p.domains))
    problems.push_back(
        fmt::format("has_retention: {} entries for {} domains", p.has_retention.size(), p.domains));
  if (p.div_min.size() != size_t(p.domains) * p.rails)
    problems.push_back(fmt::format("div_min: {} entries for {} domains x {} rails",
                                   p.div_min.size(), p.domains, p.rails));
  for (int value : p.div_min)
    if (value < 0 || value > kDividerNever)
      problems.push_back(fmt::format("div_min: {} is outside 0..{}", value, kDividerNever));
  bool identifier =
      !p.module_name.empty() && !std::isdigit(static_cast<unsigned char>(p.module_name[0]));
  for (char c : p.module_name)
    identifier = identifier && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!identifier)
    problems.push_back(fmt::format("module_name: '{}' is not a Verilog identifier", p.module_name));
  return problems;
}

std::string sequencerVerilog(const SequencerParams &p, const std::string &generated_by,
                             const std::string &template_text) {
  const std::vector<std::string> problems = checkSequencerParams(p);
  if (!problems.empty()) throw Error(8101, {}, "sequencer", problems.front());
  return fill(template_text, {{"BANNER", generatedBanner("//", generated_by)},
                              {"MODULE", p.module_name},
                              {"R", std::to_string(p.rails)},
                              {"NDOM", std::to_string(p.domains)},
                              {"NDIV", std::to_string(p.dividers)},
                              {"DEPTH", std::to_string(p.rom_depth)},
                              {"PG_TIMEOUT", std::to_string(p.pg_timeout_cycles)},
                              {"HAS_RET", bitLiteral(p.has_retention)},
                              {"DIV_MIN", nibbleLiteral(p.div_min)}});
}

std::string sequencerRomVerilog(const SequencerParams &p, const std::string &rom_file,
                                const std::string &generated_by) {
  const std::vector<std::string> problems = checkSequencerParams(p);
  if (!problems.empty()) throw Error(8101, {}, "sequencer", problems.front());
  return fill(sequencerRomTemplate(), {{"BANNER", generatedBanner("//", generated_by)},
                                       {"MODULE", p.module_name + "_rom"},
                                       {"DEPTH", std::to_string(p.rom_depth)},
                                       {"ROM_FILE", rom_file}});
}

}  // namespace pf::gen
