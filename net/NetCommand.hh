// `powerflow net`: inspect network descriptions (docs/networks.md).
#pragma once

#include <string>
#include <vector>

#include "net/Network.hh"

namespace pf {

extern const char *const kNetCommandSummary;
extern const char *const kNetCommandHelp;
int runNetCommand(const std::vector<std::string> &args);

// The text `powerflow net show` prints: one row per layer and the totals.
std::string formatNetworkTable(const Network &network);

}  // namespace pf
