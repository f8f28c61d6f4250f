// pf_slew_bench: the default design's gate-level energies priced at one constant slew
// (before) and at propagated per-net slews (after) -> bench/slew_results.md (`make bench`;
// docs/characterize-energy.md "Slew").
//
// Everything that flows through energy::EnergyModel in the characterization:
//   PE group     the toggle counts the characterization simulated (kept in
//                <work>/energy_<group>/sim/toggle_counts.txt) on its mapped netlist
//                (<work>/energy_<group>/map/*.blif), priced both ways at every corner;
//   always-on    the same from <work>/energy_aon/toggle_counts.txt and cut/*.blif;
//   sequencer    characterizeSequencer run twice (its toggles are modelled, not simulated).
// Same toggles, same loads, same libraries: only the slew differs. The "after" figures must
// equal those in the characterization (which uses the default, SlewModel::Propagated);
// the bench checks that and says so. SRAM operations are read from the macro's tables at the
// port slew by the stage and do not pass through EnergyModel. Nothing is asserted beyond the
// check.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "characterize/Characterization.hh"
#include "characterize/Corners.hh"
#include "characterize/LibraryCheck.hh"
#include "characterize/SequencerCost.hh"
#include "characterize/energy/EnergyModel.hh"
#include "characterize/energy/GateNetlist.hh"
#include "characterize/energy/ToggleCounts.hh"
#include "core/Cli.hh"
#include "core/Design.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Subprocess.hh"

namespace {

namespace fs = std::filesystem;
using pf::energy::ClassToggleCounts;
using pf::energy::EnergyBreakdown;
using pf::energy::EnergyModel;
using pf::energy::EnergyOptions;
using pf::energy::SlewModel;

// One characterization of the design: its corner set, table and work folder.
struct LibrarySet {
  std::string corners;
  std::string characterization;
  std::string work;
};

struct Arguments {
  std::string out;
  std::string design;
  LibrarySet stub;
  LibrarySet alt;  // optional: the same design on another library (--alt-*)
};

// One operation of a block at every corner, before and after.
struct OperationRow {
  std::string name;  // as in the characterization: "mac_cycle s=0.50", "active_cycle", ...
  std::string op_class;
  double sparsity = 0;
  std::vector<EnergyBreakdown> before, after;  // per corner, pJ per cycle
  std::vector<double> recorded;                // the characterization's figure (-1: none)
};

struct SlewRow {
  std::string corner;
  pf::energy::SlewStats stats;
  double p10 = 0, median = 0, p90 = 0;
  double above_port = 0;  // fraction of table nets slower than the port slew
};

struct Block {
  std::string title;
  std::string netlist_file;
  std::string counts_file;
  int cells = 0;
  int nets = 0;
  std::vector<OperationRow> rows;
  std::vector<SlewRow> slews;
};

// The netlist characterize simulated: the one `<module>_cut.blif` (characterize/energy's
// cut of the synthesized netlist). A work folder of an older stage revision may hold
// other .blif files beside it (a separate mapping before revision 8), which are not it.
std::string cutNetlist(const fs::path &dir) {
  std::vector<std::string> found;
  if (fs::is_directory(dir))
    for (const auto &entry : fs::directory_iterator(dir))
      if (entry.path().filename().string().ends_with("_cut.blif"))
        found.push_back(entry.path().string());
  if (found.size() != 1)
    throw pf::Error(4913, {dir.string()}, "netlist",
                    fmt::format("expected one *_cut.blif here, found {}: run `make "
                                "characterize` with this work folder first",
                                found.size()));
  return found.front();
}

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(std::lround(q * double(values.size() - 1)))];
}

// Over the nets read at a propagated slew: not driven by an input port, and not left at
// the port slew (drivers without a table, undriven nets).
SlewRow slewRow(const std::string &corner, const EnergyModel &model,
                const pf::energy::GateNetlist &netlist, double port_slew) {
  std::vector<bool> port_driven(static_cast<size_t>(netlist.numNets()), false);
  for (const pf::energy::NetlistPort &port : netlist.ports)
    if (port.is_input)
      for (int net : port.nets)
        if (net >= 0) port_driven[static_cast<size_t>(net)] = true;
  std::vector<double> slews;
  for (size_t n = 0; n < port_driven.size(); ++n)
    if (!port_driven[n] && model.slews()[n] != port_slew) slews.push_back(model.slews()[n]);
  SlewRow row{
      corner, model.slewStats(), quantile(slews, 0.1), quantile(slews, 0.5), quantile(slews, 0.9),
      0};
  if (!slews.empty())
    row.above_port =
        double(std::count_if(slews.begin(), slews.end(), [&](double s) { return s > port_slew; })) /
        double(slews.size());
  return row;
}

// Prices one block's recorded toggles both ways at every corner.
Block priceBlock(const std::string &title, const std::string &blif, const std::string &counts,
                 const std::vector<const pf::liberty::Library *> &libraries,
                 const std::vector<std::string> &corner_names) {
  Block block;
  block.title = title;
  block.netlist_file = blif;
  block.counts_file = counts;
  const pf::energy::GateNetlist netlist = pf::energy::readBlif(blif);
  block.cells = int(netlist.cells.size());
  block.nets = netlist.numNets();
  const std::vector<ClassToggleCounts> classes = pf::energy::readToggleCounts(counts, netlist);
  for (const ClassToggleCounts &cls : classes) {
    OperationRow row;
    row.op_class = cls.op_class;
    row.sparsity = cls.sparsity;
    block.rows.push_back(std::move(row));
  }
  EnergyOptions options;  // characterize's defaults
  for (size_t c = 0; c < libraries.size(); ++c) {
    options.slew_model = SlewModel::Constant;
    const EnergyModel before(netlist, *libraries[c], options);
    options.slew_model = SlewModel::Propagated;
    const EnergyModel after(netlist, *libraries[c], options);
    block.slews.push_back(slewRow(corner_names[c], after, netlist, options.input_slew_ns));
    for (size_t k = 0; k < classes.size(); ++k) {
      const double per_cycle = 1.0 / double(classes[k].cycles);
      block.rows[k].before.push_back(
          before.energy(classes[k].rise, classes[k].fall).scaled(per_cycle));
      block.rows[k].after.push_back(
          after.energy(classes[k].rise, classes[k].fall).scaled(per_cycle));
    }
  }
  return block;
}

// The characterization's name of a PE class ("" for the quiet diagnostics it does not keep).
std::string peOperation(const std::string &op_class) {
  if (op_class == "mac") return "mac_cycle";
  if (op_class == "idle_clocked") return "idle_clocked_cycle";
  if (op_class == "gated") return "clock_gated_cycle";
  return "";
}

// Names the rows and fills in the characterization's figures.
void recordFrom(Block &block, const pf::DomainCharacterization *domain, bool pe) {
  for (OperationRow &row : block.rows) {
    const std::string op = pe ? peOperation(row.op_class) : row.op_class + "_cycle";
    row.name = op.empty() ? row.op_class + " (diagnostic)" : op;
    if (row.op_class == "mac") row.name += fmt::format(" s={:.2f}", row.sparsity);
    const pf::OperationEnergy *recorded =
        domain && !op.empty() ? domain->findOperation(op, row.sparsity) : nullptr;
    for (size_t c = 0; c < row.after.size(); ++c)
      row.recorded.push_back(recorded && c < recorded->energy_pj.size() ? recorded->energy_pj[c]
                                                                        : -1.0);
  }
}

bool matches(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b)); }

std::string change(double before, double after) {
  return before == 0 ? "0" : fmt::format("{:+.1f} %", 100.0 * (after / before - 1.0));
}

std::string blockSection(const Block &block, const std::vector<std::string> &corners,
                         int *mismatches) {
  std::string text =
      fmt::format("### {}\n\n{} cells, {} nets (`{}`).\n\n", block.title, block.cells, block.nets,
                  fs::path(block.netlist_file).filename().string());
  text +=
      "Propagated slews of the nets driven by cells, ns (ports and clock at the 0.1 ns "
      "default):\n\n| corner | nets | min | p10 | median | p90 | max | mean | slower than "
      "0.1 ns | no table | loop breaks |\n|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const SlewRow &s : block.slews)
    text += fmt::format(
        "| {} | {} | {:.4f} | {:.4f} | {:.4f} | {:.4f} | {:.4f} | {:.4f} | {:.1f} % | {} | {} |\n",
        s.corner, s.stats.table_nets, s.stats.min_ns, s.p10, s.median, s.p90, s.stats.max_ns,
        s.stats.mean_ns, 100.0 * s.above_port, s.stats.no_table_nets, s.stats.loop_breaks);
  text +=
      "\npJ per cycle, before (constant 0.1 ns) -> after (propagated), change:\n\n| "
      "operation |";
  for (const std::string &corner : corners) text += " " + corner + " |";
  text += "\n|---|";
  for (size_t c = 0; c < corners.size(); ++c) text += "---|";
  text += "\n";
  for (const OperationRow &row : block.rows) {
    text += "| " + row.name + " |";
    for (size_t c = 0; c < row.before.size(); ++c) {
      const double b = row.before[c].totalPj(), a = row.after[c].totalPj();
      text += fmt::format(" {:.4g} -> {:.4g} ({}) |", b, a, change(b, a));
      if (row.recorded[c] >= 0 && !matches(a, row.recorded[c])) ++*mismatches;
    }
    text += "\n";
  }
  // Where the change is: internal energy only (net switching does not depend on slew).
  const size_t lo = 0, hi = corners.size() - 1;
  text += fmt::format(
      "\nWhere it moves, first operation ({}), pJ per cycle before -> after: \n\n| corner | "
      "output internal | input internal | net switching (unchanged) |\n|---|---|---|---|\n",
      block.rows.front().name);
  for (size_t c : {lo, hi}) {
    const EnergyBreakdown &b = block.rows.front().before[c], &a = block.rows.front().after[c];
    text += fmt::format("| {} | {:.4g} -> {:.4g} ({}) | {:.4g} -> {:.4g} ({}) | {:.4g} |\n",
                        corners[c], b.output_internal_pj, a.output_internal_pj,
                        change(b.output_internal_pj, a.output_internal_pj), b.input_internal_pj,
                        a.input_internal_pj, change(b.input_internal_pj, a.input_internal_pj),
                        a.cell_net_switching_pj + a.port_net_switching_pj);
  }
  return text + "\n";
}

struct SequencerFigures {
  std::vector<pf::SequencerCornerCost> before, after;
  std::vector<double> recorded;  // energy per cycle in the characterization
  long cells = 0;
};

SequencerFigures benchSequencer(const std::string &work, const pf::DesignSpec &design,
                                const pf::CornerSet &corners, const pf::Characterization &table) {
  // As characterize's sequencerTable: the design's rails and switchable domains.
  const int switchable = int(design.domains.size()) - design.countDomains(pf::DomainKind::AlwaysOn);
  pf::gen::SequencerParams params =
      pf::representativeSequencerParams(int(design.rail_voltages_v.size()), switchable);
  if (design.clock.given && design.clock.dividers.size() <= 8)
    params.dividers = int(design.clock.dividers.size());
  SequencerFigures figures;
  for (const SlewModel model : {SlewModel::Constant, SlewModel::Propagated}) {
    pf::SequencerCostOptions options;
    options.work_dir = work + "/slew_bench_sequencer_" + pf::energy::slewModelName(model);
    options.loads.slew_model = model;
    const pf::SequencerCost cost = pf::characterizeSequencer(params, corners, options);
    (model == SlewModel::Constant ? figures.before : figures.after) = cost.corners;
    figures.cells = cost.cells;
  }
  figures.recorded = table.sequencer.energy_per_cycle_pj;
  return figures;
}

std::string sequencerSection(const SequencerFigures &s, int *mismatches) {
  std::string text = fmt::format(
      "### Power sequencer\n\n{} cells; clock energy from the clock net's toggles, data energy "
      "from the modelled activity (characterize/SequencerCost.hh). pJ per cycle, before -> "
      "after:\n\n| corner | clock | clock + data |\n|---|---|---|\n",
      s.cells);
  for (size_t c = 0; c < s.after.size(); ++c) {
    const pf::SequencerCornerCost &b = s.before[c], &a = s.after[c];
    text += fmt::format("| {:.2f} V | {:.4g} -> {:.4g} ({}) | {:.4g} -> {:.4g} ({}) |\n",
                        a.voltage_v, b.clock_energy_pj, a.clock_energy_pj,
                        change(b.clock_energy_pj, a.clock_energy_pj), b.energyPerCyclePj(),
                        a.energyPerCyclePj(), change(b.energyPerCyclePj(), a.energyPerCyclePj()));
    if (c < s.recorded.size() && !matches(a.energyPerCyclePj(), s.recorded[c])) ++*mismatches;
  }
  return text + "\n";
}

std::string machineLine() {
  const pf::ProcessResult cpu = pf::runProcess(
      {"sh", "-c", "echo $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"});
  std::string text = cpu.output;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

pf::cli::Spec commandLine() {
  pf::cli::Spec s("pf_slew_bench",
                  "the default design's gate-level energies at a constant slew against "
                  "propagated slews -> bench/slew_results.md");
  s.description(
      "Prices the characterization's own toggle counts twice, at the constant 0.1 ns slew\n"
      "and at propagated per-net slews (`make bench`); optionally the same on another\n"
      "library (the --alt-* options, all three together).");
  s.path("--out", "FILE", "the results page").defaultValue("bench/slew_results.md");
  s.path("--design", "FILE", "design description").defaultValue("rtl/design.toml");
  s.path("--corners", "FILE", "the stub's corner set").defaultValue("pdk_stub/corners.toml");
  s.path("--characterization", "FILE", "its characterization")
      .defaultValue("out/characterization.json");
  s.path("--work", "DIR", "its characterization's work folder").defaultValue("out/work");
  s.path("--alt-corners", "FILE", "another library's corner set");
  s.path("--alt-characterization", "FILE", "the design characterized on it");
  s.path("--alt-work", "DIR", "that characterization's work folder");
  return s;
}

// The arguments; nothing when --help printed the help.
std::optional<Arguments> parseArguments(const pf::cli::Spec &spec, int argc, char **argv) {
  const std::optional<pf::cli::Args> given = spec.parseOrPrintHelp(argc, argv);
  if (!given) return std::nullopt;
  Arguments args;
  args.out = given->text("--out");
  args.design = given->text("--design");
  args.stub = {given->text("--corners"), given->text("--characterization"), given->text("--work")};
  args.alt = {given->text("--alt-corners"), given->text("--alt-characterization"),
              given->text("--alt-work")};
  return args;
}

// Every block of one characterization, before and after; `summary` gets its rows.
std::string librarySection(const std::string &title, const pf::DesignSpec &design,
                           const LibrarySet &set, std::string &summary, int *mismatches) {
  const pf::CornerSet corners = pf::readCornerSet(set.corners);
  const pf::Characterization table = pf::readCharacterization(set.characterization);
  const pf::CheckedLibraries checked = pf::checkCornerLibraries(corners);
  std::vector<const pf::liberty::Library *> libraries;  // as the stage: each corner's first
  std::vector<std::string> names;
  for (size_t c = 0; c < corners.corners.size(); ++c) {
    libraries.push_back(&checked.corners[c].std_cells.front());
    names.push_back(fmt::format("{:.2f} V", corners.corners[c].voltage_v));
  }
  std::vector<Block> blocks;
  for (const pf::DomainSpec &domain : design.domains) {  // the one PE group simulated
    if (domain.kind != pf::DomainKind::PeGroup) continue;
    const fs::path dir = fs::path(set.work) / ("energy_" + domain.name);
    Block block =
        priceBlock(fmt::format("PE group ({}, simulated as {})", domain.module, domain.name),
                   cutNetlist(dir / "map"), (dir / "sim" / pf::energy::kToggleCountsFile).string(),
                   libraries, names);
    recordFrom(block, table.findDomain(domain.name), true);
    blocks.push_back(std::move(block));
    break;
  }
  for (const pf::DomainSpec &domain : design.domains) {
    if (domain.kind != pf::DomainKind::AlwaysOn) continue;
    const fs::path dir = fs::path(set.work) / "energy_aon";
    Block block =
        priceBlock(fmt::format("Always-on domain ({})", domain.name), cutNetlist(dir / "cut"),
                   (dir / pf::energy::kToggleCountsFile).string(), libraries, names);
    recordFrom(block, table.findDomain(domain.name), false);
    blocks.push_back(std::move(block));
    break;
  }
  const SequencerFigures sequencer = benchSequencer(set.work, design, corners, table);

  summary += fmt::format("\n**{}** ({}), change of the total per cycle:\n\n| block | operation |",
                         title, set.corners);
  for (const std::string &name : names) summary += " " + name + " |";
  summary += "\n|---|---|";
  for (size_t c = 0; c < names.size(); ++c) summary += "---|";
  summary += "\n";
  for (const Block &block : blocks)
    for (const OperationRow &row : block.rows) {
      if (row.name.find("diagnostic") != std::string::npos) continue;
      summary +=
          fmt::format("| {} | {} |", block.title.substr(0, block.title.find(" (")), row.name);
      for (size_t c = 0; c < names.size(); ++c)
        summary += " " + change(row.before[c].totalPj(), row.after[c].totalPj()) + " |";
      summary += "\n";
    }
  summary += "| power sequencer | clock + data |";
  for (size_t c = 0; c < sequencer.after.size(); ++c)
    summary +=
        " " +
        change(sequencer.before[c].energyPerCyclePj(), sequencer.after[c].energyPerCyclePj()) +
        " |";
  summary += "\n";

  std::string text = fmt::format("## {}\n\nCorner set `{}`, characterization `{}`.\n\n", title,
                                 set.corners, set.characterization);
  for (const Block &block : blocks) text += blockSection(block, names, mismatches);
  return text + sequencerSection(sequencer, mismatches);
}

}  // namespace

int main(int argc, char **argv) {
  try {
    const auto start = std::chrono::steady_clock::now();
    const pf::cli::Spec spec = commandLine();
    const std::optional<Arguments> parsed = parseArguments(spec, argc, argv);
    if (!parsed) return 0;
    const Arguments &args = *parsed;
    const pf::DesignSpec design = pf::readDesign(args.design);
    int mismatches = 0;
    std::string summary;
    std::string sections = librarySection("The stub library (pf40lp, 0.6-1.1 V)", design, args.stub,
                                          summary, &mismatches);
    if (!args.alt.corners.empty())
      sections += librarySection("The alternative library (altlib, 0.7-1.2 V)", design, args.alt,
                                 summary, &mismatches);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::string command = fmt::format(
        "build/bench/pf_slew_bench --design {} --corners {} --characterization {} --work {}",
        args.design, args.stub.corners, args.stub.characterization, args.stub.work);
    if (!args.alt.corners.empty())
      command += fmt::format(" --alt-corners {} --alt-characterization {} --alt-work {}",
                             args.alt.corners, args.alt.characterization, args.alt.work);
    const std::string report =
        fmt::format(
            "# Slew-aware energy: before / after on the default design\n\n"
            "Regenerate with `make bench` (program: `bench/SlewBench.cc`; after the "
            "characterizations: `{} --out {}`). Machine: {}. Bench time {:.1f} s (the "
            "characterizations not counted).\n\n"
            "The characterization's own toggle counts and netlists, priced with "
            "`energy::EnergyModel` twice: **before** = `SlewModel::Constant` (every internal-"
            "power lookup at 0.1 ns, the model until issue 15), **after** = "
            "`SlewModel::Propagated` (the default: input ports and the clock at the stated "
            "0.1 ns, every cell-driven net at its driver's output transition from the liberty "
            "tables, docs/characterize-energy.md \"Slew\"). Loads, toggles and libraries are "
            "the same; only internal energy can move. {}\n\n## Summary\n{}\n",
            command, args.out, machineLine(), seconds,
            mismatches == 0
                ? "Every *after* figure equals the characterization's (to 1e-9): what the "
                  "stage now writes."
                : fmt::format("**{} after figures differ from the characterization**: it was "
                              "made by another version or from other inputs.",
                              mismatches),
            summary) +
        sections;
    pf::writeFileAtomic(args.out, report);
    fmt::print("{}", report);
    return 0;
  } catch (const pf::Error &error) {
    fmt::print(stderr, "{}\n", error.formatted());
    return pf::cli::exitStatusOf(error);
  }
}
