// Small text helpers shared by the readers.
#pragma once

#include <string_view>

namespace pf {

// `text` without leading and trailing blanks (space, tab, CR, LF).
inline std::string_view trimBlanks(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

}  // namespace pf
