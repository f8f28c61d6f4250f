// The typed, hierarchical gate-level netlist of a Yosys `write_json` file, and the
// passes the synthesis stage runs on it (module renaming, SRAM macro binding, fan-out
// buffering, statistics). Internal to characterize/synth.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "characterize/synth/LibertyScan.hh"
#include "characterize/synth/Synth.hh"
#include "core/Json.hh"

namespace pf::synth {

// A net bit: >= 0 is a net id; negative values are constants.
using Bit = long;
inline constexpr Bit kConst0 = -1, kConst1 = -2, kConstX = -3, kConstZ = -4;

enum class PortDir { Input, Output, Inout, Unknown };

struct NlPort {
  std::string name;
  PortDir dir = PortDir::Unknown;
  std::vector<Bit> bits;
};

struct NlCell {
  std::string name;
  bool hide_name = false;
  std::string type;
  Json parameters = Json::object();
  std::vector<std::pair<std::string, std::vector<Bit>>> connections;
  std::map<std::string, PortDir> json_dirs;  // port_directions as Yosys wrote them
};

struct NlNetName {
  std::string name;
  bool hide_name = false;
  std::vector<Bit> bits;
};

struct NlModule {
  std::string name;
  bool is_top = false;
  bool is_blackbox = false;
  std::vector<NlPort> ports;
  std::vector<NlCell> cells;
  std::vector<NlNetName> netnames;
};

struct Netlist {
  std::vector<NlModule> modules;
  Bit next_bit = 0;

  NlModule *findModule(const std::string &name);
  const NlModule *findModule(const std::string &name) const;
  const NlModule &top() const;
};

Netlist netlistFromJson(const Json &json, const std::string &source_name);
// Parses Yosys `write_json` text; a syntax error is pf::Error 5220 at source_name:line:column.
Netlist readNetlistJson(const std::string &text, const std::string &source_name);
// Written with pf::Json::dump() for Yosys `read_json`.
Json netlistToJson(const Netlist &netlist);

// Libraries the passes consult for cell pins (std cells, then SRAM macros).
struct CellLibraries {
  const LibFacts *std_cells = nullptr;
  const LibFacts *macros = nullptr;
  const LibCell *findCell(const std::string &type) const;
};

// Direction of a cell's port, from the module it instantiates, the libraries, or what
// Yosys wrote.
PortDir cellPortDir(const Netlist &netlist, const CellLibraries &libs, const NlCell &cell,
                    const std::string &port);

// Gives derived modules ($paramod$<hash>\name) readable, tool-safe names: name, name_1, ...
void renameDerivedModules(Netlist &netlist);

// Resolves a Yosys '.'-separated instance path (instance names may contain '.') from
// the top; returns the chain of cell names, or throws 5221 naming the domain.
std::vector<std::string> resolveInstancePath(const Netlist &netlist, const std::string &path,
                                             const std::string &domain, const SourceLoc &loc);
// The cell at the end of a resolved chain, and the module holding it.
std::pair<NlModule *, NlCell *> cellAt(Netlist &netlist, const std::vector<std::string> &chain);

// Rewrites the bank cell into the macro named by the domain, mapping its ports by pin
// roles (heuristics or `binding`); inverts an enable when polarities differ.
// `roles` (optional) receives the macro pins chosen for clock and enables.
void bindSramMacro(Netlist &netlist, const CellLibraries &libs, const DomainSpec &domain,
                   NlModule &parent, NlCell &bank, const SramPinBinding *binding,
                   const LibCell *inverter, SramPinRoles *roles = nullptr);

struct FanoutReport {
  int max_before = 0;
  int max_after = 0;
  long buffers = 0;
};
// Splits every non-clock net with more than max_fanout sinks into a buffer tree.
FanoutReport bufferHighFanout(Netlist &netlist, const CellLibraries &libs, const LibCell &buffer,
                              int max_fanout);

// Leaf cells and area of a module including everything below it.
struct ModuleStats {
  long cells = 0;
  double area_um2 = 0;
  std::map<std::string, long> cell_counts;  // leaf cell type -> instances (for leakage)
};
ModuleStats moduleStats(const Netlist &netlist, const CellLibraries &libs,
                        const std::string &module, std::map<std::string, ModuleStats> &cache);

// Cell types that are neither modules of the netlist nor library cells.
std::vector<std::string> unknownCellTypes(const Netlist &netlist, const CellLibraries &libs);

// Top input ports whose nets reach clock pins (clock) / async clear-preset pins.
std::vector<std::string> topPortsReaching(const Netlist &netlist, const CellLibraries &libs,
                                          bool clock_pins);

}  // namespace pf::synth
