// Banner for generated files: names the command that made the file, so anyone can
// regenerate it. Deliberately carries no date, host or absolute path, so the same
// inputs give byte-identical files.
#pragma once

#include <string>

namespace pf {

// One or more lines, each starting with `commentPrefix` ("//", "#", "/*"-style
// callers pass " *"), ending in a newline.
std::string generatedBanner(const std::string &commentPrefix, const std::string &command);

}  // namespace pf
