#include "sweep/DesignPoint.hh"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "core/Banner.hh"
#include "core/Files.hh"
#include "core/Spelling.hh"
#include "core/Toml.hh"
#include "workload/Mapping.hh"

namespace pf::sweep {

namespace {

namespace fs = std::filesystem;

struct Family {
  const char *count_parameter;
  const char *kind;
  const char *name_prefix;
};

// pf_accel's domain families (rtl/design.toml).
const Family kFamilies[] = {{"COL_GROUPS", "pe_group", "pe_grp"},
                            {"ACT_BANKS", "sram_bank", "act_bank"},
                            {"W_BANKS", "sram_bank", "w_bank"}};

[[noreturn]] void failAt(int id, const DesignPointSpec &point, const std::string &message) {
  throw Error(id, point.loc, point.field,
              fmt::format("design point '{}': {}", point.name, message));
}

std::string stringOf(const toml::table &t, const char *key) {
  return t.get(key) && t.get(key)->is_string() ? *t.get(key)->value<std::string>() : "";
}

bool inFamily(const toml::table &domain, const Family &family) {
  const std::string name = stringOf(domain, "name");
  return stringOf(domain, "kind") == family.kind && name.rfind(family.name_prefix, 0) == 0 &&
         name.size() > std::string(family.name_prefix).size();
}

// "[<from>]" -> "[<to>]" in a signal or instance name.
std::string reindexed(const std::string &text, int from, int to) {
  const std::string old_index = fmt::format("[{}]", from), new_index = fmt::format("[{}]", to);
  std::string out = text;
  for (size_t at = out.find(old_index); at != std::string::npos;
       at = out.find(old_index, at + new_index.size()))
    out.replace(at, old_index.size(), new_index);
  return out;
}

toml::table familyMember(const toml::table &first, const Family &family, int index,
                         int64_t columns_per_group) {
  const int from =
      std::stoi(stringOf(first, "name").substr(std::string(family.name_prefix).size()));
  toml::table member;
  for (const auto &[key, node] : first) {
    if (key == "name") {
      member.insert(key, fmt::format("{}{}", family.name_prefix, index));
    } else if (key == "columns") {
      toml::array columns;
      for (int64_t c = index * columns_per_group; c < (index + 1) * columns_per_group; ++c)
        columns.push_back(c);
      member.insert(key, columns);
    } else if (node.is_string()) {
      member.insert(key, reindexed(*node.value<std::string>(), from, index));
    } else if (const toml::array *array = node.as_array()) {
      toml::array out;
      for (const toml::node &element : *array)
        if (element.is_string())
          out.push_back(reindexed(*element.value<std::string>(), from, index));
        else
          out.push_back(element);
      member.insert(key, out);
    } else {
      member.insert(key, node);
    }
  }
  return member;
}

int64_t parameter(const toml::table &parameters, const char *key) {
  const toml::node *node = parameters.get(key);
  return node && node->is_integer() ? *node->value<int64_t>() : 0;
}

// Rewrites one family to `count` members in place of its old ones, if its size or (for
// the PE groups) its columns change.
void rewriteFamily(toml::array &domains, const Family &family, const toml::table &parameters,
                   bool columns_change, const DesignPointSpec &point) {
  const int64_t count = parameter(parameters, family.count_parameter);
  std::vector<size_t> members;
  for (size_t i = 0; i < domains.size(); ++i)
    if (const toml::table *d = domains[i].as_table(); d && inFamily(*d, family))
      members.push_back(i);
  if (members.empty() || count <= 0) return;  // a design without this family: nothing to do
  const bool pe = std::string(family.kind) == "pe_group";
  if (int64_t(members.size()) == count && !(pe && columns_change)) return;
  const int64_t cols = parameter(parameters, "COLS");
  if (pe && (cols <= 0 || cols % count != 0))
    failAt(11105, point, fmt::format("COL_GROUPS {} must divide COLS {}", count, cols));
  const toml::table first = *domains[members.front()].as_table();
  for (auto it = members.rbegin(); it != members.rend(); ++it)
    domains.erase(domains.begin() + std::ptrdiff_t(*it));
  for (int64_t i = 0; i < count; ++i)
    domains.insert(domains.begin() + std::ptrdiff_t(members.front() + i),
                   familyMember(first, family, int(i), pe ? cols / count : 0));
}

// The bank macros stay the design's: their words and width must still be the buffers'.
void checkBankMacros(const toml::array &domains, const toml::table &parameters,
                     const DesignPointSpec &point) {
  const int64_t rows = parameter(parameters, "ROWS"), cols = parameter(parameters, "COLS");
  const struct {
    const char *prefix, *words_parameter;
    int64_t bits;
  } banks[] = {{"act_bank", "ACT_BANK_WORDS", rows * 8},
               {"w_bank", "W_BANK_WORDS", rows * cols * 8}};
  for (const toml::node &node : domains) {
    const toml::table *d = node.as_table();
    if (!d || stringOf(*d, "kind") != "sram_bank") continue;
    for (const auto &bank : banks) {
      if (stringOf(*d, "name").rfind(bank.prefix, 0) != 0) continue;
      const int64_t words = parameter(*d, "words"), bits = parameter(*d, "bits");
      const int64_t want_words = parameter(parameters, bank.words_parameter);
      if ((want_words > 0 && words != want_words) || (rows > 0 && bits != bank.bits))
        failAt(11103, point,
               fmt::format("bank {} needs a {}x{} SRAM macro, but its macro {} is {}x{}; a sweep "
                           "does not choose macros (give this point a design file of its own)",
                           stringOf(*d, "name"), want_words, bank.bits, stringOf(*d, "macro"),
                           words, bits));
    }
  }
}

void replaceParameters(toml::table &parameters, const DesignPointSpec &point,
                       const std::string &base) {
  for (const auto &[key, value] : point.parameters) {
    if (!parameters.contains(key)) {
      std::string known, nearest;
      size_t best = 3;
      for (const auto &[name, node] : parameters) {
        known += (known.empty() ? "" : ", ") + std::string(name.str());
        if (const size_t d = editDistance(key, name.str()); d < best) {
          best = d;
          nearest = std::string(name.str());
        }
      }
      failAt(
          11101, point,
          fmt::format("{} has no parameter {}{} (it has: {})", base, key,
                      nearest.empty() ? "" : fmt::format(" (did you mean {}?)", nearest), known));
    }
    parameters.insert_or_assign(key, value);
  }
}

// Absolute: the design point's file (and so its characterization's cache key, a hash of
// its bytes) must not depend on where the sweep folder is.
void relocateFileList(toml::table &design, const char *key, const fs::path &base_dir) {
  const toml::node *node = design.get(key);
  if (!node || !node->is_string()) return;
  design.insert_or_assign(
      key, fs::absolute(base_dir / *node->value<std::string>()).lexically_normal().string());
}

}  // namespace

std::string designPointText(const DesignPointSpec &point, const std::string &command) {
  toml::table root = parseTomlFile(point.base_design);
  toml::table *design = root["design"].as_table();
  toml::table *parameters = design ? (*design)["parameters"].as_table() : nullptr;
  if (!design || !parameters) {
    if (!point.parameters.empty())
      failAt(11106, point, fmt::format("{} has no [design.parameters]", point.base_design));
    return generatedBanner("#", command) + readTextFile(point.base_design);  // the reader says why
  }
  const toml::table base_parameters = *parameters;
  replaceParameters(*parameters, point, point.base_design);
  const fs::path base_dir = fs::path(point.base_design).parent_path();
  relocateFileList(*design, "filelist", base_dir);
  relocateFileList(*design, "synth_filelist", base_dir);
  if (toml::array *domains = root["domain"].as_array()) {
    for (const Family &family : kFamilies) {
      std::vector<toml::node *> members;
      const int64_t base_count = parameter(base_parameters, family.count_parameter);
      int64_t found = 0;
      for (toml::node &d : *domains)
        if (d.as_table() && inFamily(*d.as_table(), family)) ++found;
      if (found != 0 && found != base_count)
        failAt(11102, point,
               fmt::format("{} has {} {} domains but {} = {}", point.base_design, found,
                           family.name_prefix, family.count_parameter, base_count));
      const bool columns_change =
          parameter(base_parameters, "COLS") != parameter(*parameters, "COLS");
      rewriteFamily(*domains, family, *parameters, columns_change, point);
    }
    checkBankMacros(*domains, *parameters, point);
  }
  std::ostringstream text;
  // Relaxed precision: 0.6, not 0.59999999999999998 (the shortest text that reads back
  // as the same double, so the design reads back as it was).
  text << toml::toml_formatter(
      root, toml::toml_formatter::default_flags | toml::format_flags::relaxed_float_precision);
  return generatedBanner("#", command) + text.str() + "\n";
}

DesignSpec checkDesignPoint(const DesignPointSpec &point, const std::string &written_path) {
  try {
    DesignSpec design = readDesign(written_path);
    accelConfigOf(design);
    return design;
  } catch (const Error &error) {
    failAt(11104, point, fmt::format("the design it makes is refused: {}", error.formatted()));
  }
}

}  // namespace pf::sweep
