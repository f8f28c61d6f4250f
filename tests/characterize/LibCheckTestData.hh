// What the library-check and provenance tests share: where their corner sets and
// libraries live (tests/characterize/libcheck/) and small readers of files and warnings.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "characterize/Characterization.hh"
#include "core/Files.hh"

namespace pf::test {

inline const std::string kRepo = PF_SOURCE_DIR;
inline const std::string kLibCheckDir = kRepo + "/tests/characterize/libcheck/";

// 1-based line of the first occurrence of `needle` in the file (0 if absent).
inline int lineOf(const std::string &file, const std::string &needle) {
  const std::string text = readTextFile(file);
  const size_t at = text.find(needle);
  if (at == std::string::npos) return 0;
  return int(std::count(text.begin(), text.begin() + std::ptrdiff_t(at), '\n')) + 1;
}

// The ids of the warnings, in order.
inline std::vector<int> warningIds(const std::vector<CharacterizationWarning> &warnings) {
  std::vector<int> result;
  for (const CharacterizationWarning &warning : warnings) result.push_back(warning.id);
  return result;
}

}  // namespace pf::test
