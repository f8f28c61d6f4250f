// `powerflow characterize`: the command edge of the characterize stage.
#pragma once

#include <string>
#include <vector>

namespace pf {

extern const char *const kCharacterizeCommandSummary;
extern const char *const kCharacterizeCommandHelp;
int runCharacterizeCommand(const std::vector<std::string> &args);

}  // namespace pf
