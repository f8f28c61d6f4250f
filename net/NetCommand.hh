// `powerflow net`: inspect network descriptions (docs/networks.md).
#pragma once

#include <string>
#include <vector>

#include "core/Cli.hh"
#include "net/Network.hh"

namespace pf {

// Options, summary and --help text.
const cli::Spec &netCommandLine();
int runNetCommand(const std::vector<std::string> &args);

// The text `powerflow net show` prints: one row per layer and the totals.
std::string formatNetworkTable(const Network &network);

}  // namespace pf
