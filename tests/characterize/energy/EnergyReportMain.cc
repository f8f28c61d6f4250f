// pf_energy_report: maps pf_pe_group onto the first liberty with Yosys, simulates it at
// gate level in Verilator and prints the energy per operation class at every liberty's
// voltage. For measurements and docs; the characterize stage drives the library itself.
//   pf_energy_report WORK_DIR RTL_FILE LIB1 [LIB2 ...]
#include <fmt/format.h>

#include <cstdio>

#include "characterize/energy/PeGroupEnergy.hh"
#include "characterize/energy/YosysMap.hh"
#include "core/Error.hh"

int main(int argc, char **argv) {
  using namespace pf::energy;
  if (argc < 4) {
    std::fprintf(stderr, "usage: pf_energy_report WORK_DIR RTL_FILE LIB...\n");
    return 2;
  }
  try {
    const std::string work = argv[1];
    std::vector<pf::liberty::Library> libs;
    for (int i = 3; i < argc; ++i) libs.push_back(pf::liberty::readLiberty(argv[i]));
    const YosysMapResult mapped = mapWithYosys({argv[2]}, "pf_pe_group", argv[3], work);
    const GateNetlist netlist = readBlif(mapped.blif_path);
    std::vector<const pf::liberty::Library *> ptrs;
    for (const auto &l : libs) ptrs.push_back(&l);
    ToggleSimStats stats;
    const auto tables =
        characterizePeGroup(netlist, ptrs, PeGroupEnergyOptions{}, work + "/sim", &stats);
    fmt::print(
        "netlist: {} cells, {} nets; yosys {:.1f} s; verilator build {:.1f} s{}; run {:.2f} s\n",
        netlist.cells.size(), netlist.numNets(), mapped.wall_seconds, stats.build_seconds,
        stats.reused_build ? " (reused)" : "", stats.run_seconds);
    for (const auto &t : tables) {
      fmt::print("\n{} ({:.2f} V), {} MACs/cycle\n", t.library, t.voltage_v, t.macsPerCycle());
      fmt::print("{:<20} {:>6} {:>10} {:>10} {:>9} {:>9} {:>9} {:>9} {:>10}\n", "class", "spars",
                 "pJ/cycle", "pJ/MAC", "out_int", "in_int", "net_cell", "net_port", "Csw_pF");
      for (const auto &c : t.classes) {
        const auto &e = c.per_cycle;
        fmt::print(
            "{:<20} {:>6.2f} {:>10.4f} {:>10.5f} {:>9.4f} {:>9.4f} {:>9.4f} {:>9.4f} {:>10.4f}\n",
            c.op_class, c.sparsity, e.totalPj(), e.totalPj() / t.macsPerCycle(),
            e.output_internal_pj, e.input_internal_pj, e.cell_net_switching_pj,
            e.port_net_switching_pj, e.switched_capacitance_pf);
      }
    }
  } catch (const pf::Error &e) {
    std::fprintf(stderr, "%s\n", e.formatted().c_str());
    return 1;
  }
  return 0;
}
