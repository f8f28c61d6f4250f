// Close spellings, for the "did you mean" of the command line (core/Cli.hh) and of the
// JSON field reader (core/JsonNode.hh).
#pragma once

#include <cstddef>
#include <string_view>

namespace pf {

// Levenshtein distance: the fewest single-character insertions, deletions and
// substitutions that turn a into b.
size_t editDistance(std::string_view a, std::string_view b);

}  // namespace pf
