// A flat gate-level netlist of liberty cells, one net per bit, as the energy engine
// needs it: which cell pin drives each net and which cell pins load it.
//
// Read from Yosys `write_blif` output of a mapped, flattened design (`.subckt CELL
// PIN=net ...`), where `.names` buffers are net aliases and `$false`/`$true`/`$undef`
// are constants ($undef is taken as 0).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace pf::energy {

struct NetlistPort {
  std::string name;
  bool is_input = true;
  std::vector<int> nets;  // bit i of the port (LSB first); kConst0/kConst1 for tied outputs
};

struct NetlistCell {
  std::string type;                               // liberty cell name
  std::string name;                               // instance name
  std::vector<std::pair<std::string, int>> pins;  // liberty pin name -> net (or constant)
};

struct GateNetlist {
  static constexpr int kConst0 = -1;
  static constexpr int kConst1 = -2;

  std::string top;
  std::vector<std::string> net_names;  // index = net id
  std::vector<NetlistPort> ports;
  std::vector<NetlistCell> cells;

  int numNets() const { return static_cast<int>(net_names.size()); }
  const NetlistPort *findPort(const std::string &name) const;
  // Adds a net and returns its id (used by tests and readers).
  int addNet(const std::string &name);
};

// Parses BLIF text; `source` names the file in errors (pf::Error PF-5311).
GateNetlist parseBlif(const std::string &text, const std::string &source);
GateNetlist readBlif(const std::string &path);

}  // namespace pf::energy
