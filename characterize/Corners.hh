// The corner set: which liberty files describe the process at which supply voltage.
// This is how a user brings their own PDK to `powerflow characterize` (format in
// docs/formats.md, "Corner set"); pdk_stub/corners.toml describes the stub.
#pragma once

#include <string>
#include <vector>

#include "core/Error.hh"

namespace pf {

struct Corner {
  std::string name;                       // e.g. "v0p60"; default derived from the voltage
  double voltage_v = 0;                   // supply voltage the liberty files describe
  std::vector<std::string> std_liberty;   // standard-cell libraries (resolved paths)
  std::vector<std::string> sram_liberty;  // optional SRAM macro libraries (resolved paths)
  // Where its voltage is written, for messages: "corner[2].voltage_v" (its place in the
  // file; corners are sorted by voltage) and the line.
  std::string voltage_field;
  SourceLoc voltage_loc;
};

struct CornerSet {
  std::string source_file;
  std::vector<Corner> corners;   // ascending voltage
  std::string power_model;       // rails/switch/retention TOML (resolved path), may be empty
  std::string synthesis_corner;  // name of the corner whose libraries synthesis maps onto

  const Corner &synthesisCorner() const;
};

// Reads and validates a corner-set TOML; throws pf::Error (PF-50xx, PF-11xx) naming
// file, line and field: a corner without a voltage, a liberty file that does not exist,
// two corners at one voltage, an unknown synthesis corner.
CornerSet readCornerSet(const std::string &path);

}  // namespace pf
