// The text of sweep/Snakefile (embedded at build time by sim/EmbedText.cmake).
#pragma once

#include <string>

namespace pf {

const std::string &sweepSnakefileText();

}  // namespace pf
