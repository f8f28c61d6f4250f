// `powerflow design`: read, validate and summarise a design TOML.
#pragma once

#include <string>
#include <vector>

#include "core/Cli.hh"

namespace pf {

// Options, summary and --help text.
const cli::Spec &designCommandLine();
int runDesignCommand(const std::vector<std::string> &args);

}  // namespace pf
