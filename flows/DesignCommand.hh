// `powerflow design`: read, validate and summarise a design TOML.
#pragma once

#include <string>
#include <vector>

namespace pf {

extern const char *const kDesignCommandSummary;
extern const char *const kDesignCommandHelp;
int runDesignCommand(const std::vector<std::string> &args);

}  // namespace pf
