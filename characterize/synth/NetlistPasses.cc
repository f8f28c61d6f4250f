// Netlist passes over the whole hierarchy: fan-out buffering, statistics, checks.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "characterize/synth/Netlist.hh"

namespace pf::synth {
namespace {

using PortSets = std::map<std::string, std::set<std::string>>;

// Does `port` of `cell` end at a clock pin (clock) or an async clear/preset pin?
bool pinIsSpecial(const Netlist &netlist, const CellLibraries &libs, const NlCell &cell,
                  const std::string &port, bool clock, PortSets &cache);

// Input ports of `module` whose nets reach clock (or async) pins through the hierarchy.
const std::set<std::string> &portsReaching(const Netlist &netlist, const CellLibraries &libs,
                                           const NlModule &module, bool clock, PortSets &cache) {
  auto it = cache.find(module.name);
  if (it != cache.end()) return it->second;
  std::set<Bit> special;
  for (const NlCell &cell : module.cells)
    for (const auto &[port, bits] : cell.connections)
      if (pinIsSpecial(netlist, libs, cell, port, clock, cache))
        special.insert(bits.begin(), bits.end());
  std::set<std::string> ports;
  for (const NlPort &port : module.ports)
    if (port.dir == PortDir::Input)
      for (const Bit bit : port.bits)
        if (special.count(bit)) ports.insert(port.name);
  return cache[module.name] = ports;
}

bool pinIsSpecial(const Netlist &netlist, const CellLibraries &libs, const NlCell &cell,
                  const std::string &port, bool clock, PortSets &cache) {
  if (const NlModule *sub = netlist.findModule(cell.type))
    return portsReaching(netlist, libs, *sub, clock, cache).count(port) > 0;
  const LibCell *lib_cell = libs.findCell(cell.type);
  const LibPin *pin = lib_cell ? lib_cell->findPin(port) : nullptr;
  return pin && (clock ? pin->is_clock : pin->is_async);
}

struct Sink {
  size_t cell;
  size_t connection;
  size_t position;
};

struct NetUse {
  std::vector<Sink> sinks;  // cell input pins
  int port_sinks = 0;       // module output port bits
  bool clock = false;
  int fanout() const { return static_cast<int>(sinks.size()) + port_sinks; }
};

std::map<Bit, NetUse> netUses(const Netlist &netlist, const CellLibraries &libs,
                              const NlModule &module, PortSets &clock_cache) {
  std::map<Bit, NetUse> uses;
  for (size_t c = 0; c < module.cells.size(); ++c) {
    const NlCell &cell = module.cells[c];
    for (size_t k = 0; k < cell.connections.size(); ++k) {
      const auto &[port, bits] = cell.connections[k];
      if (cellPortDir(netlist, libs, cell, port) != PortDir::Input) continue;
      const bool clock = pinIsSpecial(netlist, libs, cell, port, true, clock_cache);
      for (size_t p = 0; p < bits.size(); ++p) {
        if (bits[p] < 0) continue;
        NetUse &use = uses[bits[p]];
        use.sinks.push_back({c, k, p});
        use.clock = use.clock || clock;
      }
    }
  }
  for (const NlPort &port : module.ports)
    if (port.dir == PortDir::Output)
      for (const Bit bit : port.bits)
        if (bit >= 0) ++uses[bit].port_sinks;
  return uses;
}

int maxFanout(const std::map<Bit, NetUse> &uses) {
  int worst = 0;
  for (const auto &[bit, use] : uses)
    if (!use.clock) worst = std::max(worst, use.fanout());
  return worst;
}

// Rebuilds one net as a tree: sinks are split into groups of max_fanout, each driven
// by a new buffer, level by level until the root drives at most max_fanout loads.
long bufferNet(Netlist &netlist, NlModule &module, Bit root, NetUse use, const LibCell &buffer,
               int max_fanout, long &counter) {
  const std::string in_pin = singleInput(buffer)->name;
  const std::string out_pin = singleOutput(buffer)->name;
  std::vector<Sink> leaves = use.sinks;
  long added = 0;
  while (static_cast<int>(leaves.size()) + use.port_sinks > max_fanout) {
    std::vector<Sink> next;
    for (size_t start = 0; start < leaves.size(); start += static_cast<size_t>(max_fanout)) {
      const size_t end = std::min(leaves.size(), start + static_cast<size_t>(max_fanout));
      const Bit out = netlist.next_bit++;
      for (size_t i = start; i < end; ++i) {
        const Sink &sink = leaves[i];
        module.cells[sink.cell].connections[sink.connection].second[sink.position] = out;
      }
      NlCell cell;
      cell.name = fmt::format("pf_fobuf_{}", counter);
      cell.type = buffer.name;
      cell.connections = {{in_pin, {root}}, {out_pin, {out}}};
      module.netnames.push_back({fmt::format("pf_fobuf_{}_y", counter), false, {out}});
      ++counter;
      ++added;
      module.cells.push_back(std::move(cell));
      next.push_back({module.cells.size() - 1, 0, 0});
    }
    leaves = std::move(next);
  }
  return added;
}

}  // namespace

FanoutReport bufferHighFanout(Netlist &netlist, const CellLibraries &libs, const LibCell &buffer,
                              int max_fanout) {
  FanoutReport report;
  PortSets clock_cache;
  for (size_t m = 0; m < netlist.modules.size(); ++m) {
    if (netlist.modules[m].is_blackbox) continue;
    std::map<Bit, NetUse> uses = netUses(netlist, libs, netlist.modules[m], clock_cache);
    report.max_before = std::max(report.max_before, maxFanout(uses));
    long counter = 0;
    for (const auto &[bit, use] : uses)
      if (!use.clock && use.fanout() > max_fanout)
        report.buffers +=
            bufferNet(netlist, netlist.modules[m], bit, use, buffer, max_fanout, counter);
    report.max_after = std::max(report.max_after,
                                maxFanout(netUses(netlist, libs, netlist.modules[m], clock_cache)));
  }
  return report;
}

ModuleStats moduleStats(const Netlist &netlist, const CellLibraries &libs,
                        const std::string &module_name, std::map<std::string, ModuleStats> &cache) {
  auto it = cache.find(module_name);
  if (it != cache.end()) return it->second;
  ModuleStats stats;
  if (const NlModule *module = netlist.findModule(module_name)) {
    for (const NlCell &cell : module->cells) {
      if (netlist.findModule(cell.type)) {
        const ModuleStats sub = moduleStats(netlist, libs, cell.type, cache);
        stats.cells += sub.cells;
        stats.area_um2 += sub.area_um2;
        for (const auto &[type, count] : sub.cell_counts) stats.cell_counts[type] += count;
      } else {
        const LibCell *lib_cell = libs.findCell(cell.type);
        stats.cells += 1;
        stats.area_um2 += lib_cell ? lib_cell->area_um2 : 0;
        stats.cell_counts[cell.type] += 1;
      }
    }
  } else if (const LibCell *lib_cell = libs.findCell(module_name)) {
    stats = {1, lib_cell->area_um2, {{module_name, 1}}};
  }
  return cache[module_name] = stats;
}

std::vector<std::string> unknownCellTypes(const Netlist &netlist, const CellLibraries &libs) {
  std::set<std::string> unknown;
  for (const NlModule &module : netlist.modules)
    for (const NlCell &cell : module.cells) {
      const NlModule *sub = netlist.findModule(cell.type);
      if ((sub && !sub->is_blackbox) || libs.findCell(cell.type)) continue;
      unknown.insert(cell.type);
    }
  return {unknown.begin(), unknown.end()};
}

std::vector<std::string> topPortsReaching(const Netlist &netlist, const CellLibraries &libs,
                                          bool clock_pins) {
  PortSets cache;
  const std::set<std::string> &ports =
      portsReaching(netlist, libs, netlist.top(), clock_pins, cache);
  return {ports.begin(), ports.end()};
}

}  // namespace pf::synth
