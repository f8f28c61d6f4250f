// recordProvenance(): a provenance tag for every figure family of the table (Provenance.hh).
#include "characterize/Provenance.hh"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "characterize/PowerModel.hh"

namespace pf {

namespace {

FigureProvenance tag(const std::string &figure, FigureSource source, std::string from,
                     bool borrowed = false, std::string remark = "") {
  return {figure, source, std::move(from), borrowed, std::move(remark)};
}

std::string joinRemarks(const std::string &a, const std::string &b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + "; " + b;
}

// "lib/a.lib", or "lib/a.lib and lib/b.lib (merged into one library)" for a corner of
// several files; "" for none.
std::string libraryFiles(const std::vector<std::string> &files) {
  if (files.size() < 2) return files.empty() ? "" : files.front();
  return fmt::format("{} (merged into one library)", fmt::join(files, " and "));
}

class ProvenanceBuilder {
 public:
  ProvenanceBuilder(const CornerSet &corners, const CheckedLibraries &checked,
                    const ProvenanceFacts &facts)
      : corners_(corners), checked_(checked), facts_(facts), model_(checked.power_model) {
    const Corner &synth = corners.synthesisCorner();
    synth_file_ = libraryFiles(synth.std_liberty);
    synth_sram_file_ = libraryFiles(synth.sram_liberty);
    for (size_t c = 0; c < corners.corners.size() && c < checked.sram_other_voltage.size(); ++c)
      if (!checked.sram_other_voltage[c].empty())
        sram_borrowed_.push_back(
            fmt::format("at {}: {}", corners.corners[c].name, checked.sram_other_voltage[c]));
  }

  PowerModelProvenance powerModel() const {
    PowerModelProvenance out;
    const bool stub_file =
        !model_.built_in && checked_.power_model_borrowed && model_.process == kStubProcess;
    out.source =
        model_.built_in || stub_file ? FigureSource::StubDefault : FigureSource::PowerModel;
    out.file = model_.source_file;
    out.process = model_.process;
    out.min_v = model_.minVoltage();
    out.max_v = model_.maxVoltage();
    out.borrowed = model_.built_in || checked_.power_model_borrowed;
    if (model_.built_in)
      out.remark = "the corner set names no power model: the stub PDK's, built in (PF-5060)";
    else if (checked_.power_model_borrowed)
      out.remark = checked_.power_model_mismatch + " (PF-5061)";
    else if (!model_.defaulted.empty())
      out.remark = fmt::format("the stub PDK's values for the keys it does not give: {} (PF-5068)",
                               fmt::join(model_.defaulted, ", "));
    return out;
  }

  // A figure computed from power-model keys (dotted names, as PowerModel::defaulted).
  FigureProvenance modelFigure(const std::string &figure, const std::vector<std::string> &keys,
                               const std::string &what, bool voltage_dependent) const {
    const std::string from = fmt::format("{}: {}", model_.displayName(), what);
    std::vector<std::string> defaulted;
    for (const std::string &key : keys)
      if (std::find(model_.defaulted.begin(), model_.defaulted.end(), key) !=
          model_.defaulted.end())
        defaulted.push_back(key);
    FigureProvenance out;
    if (model_.built_in)
      out = tag(figure, FigureSource::StubDefault, from, true,
                "no power model in the corner set: the stub PDK's values (PF-5060)");
    else if (!defaulted.empty())
      out = tag(figure, FigureSource::StubDefault,
                fmt::format("{} ({} from the stub PDK, {})", from, fmt::join(defaulted, ", "),
                            kStubPowerModelPath),
                true,
                fmt::format("the power model does not give {}: the stub PDK's values (PF-5068)",
                            fmt::join(defaulted, ", ")));
    else if (checked_.power_model_borrowed)
      out =
          tag(figure,
              model_.process == kStubProcess ? FigureSource::StubDefault : FigureSource::PowerModel,
              from, true,
              "the power model was made for other libraries (PF-5061; the power model's "
              "provenance says why)");
    else
      out = tag(figure, FigureSource::PowerModel, from);
    if (voltage_dependent && !checked_.corners_outside_power_model.empty())
      out.remark = joinRemarks(
          out.remark,
          fmt::format("used outside the model's {}-{} V at {} (PF-5059)", model_.minVoltage(),
                      model_.maxVoltage(), fmt::join(checked_.corners_outside_power_model, ", ")));
    return out;
  }

  // A figure of an SRAM bank's macro, from each corner's SRAM library: borrowed at corners
  // whose SRAM library was made for another voltage.
  FigureProvenance sramFigure(const std::string &figure, const std::string &what) const {
    if (sram_borrowed_.empty()) return tag(figure, FigureSource::Library, what);
    return tag(figure, FigureSource::Library, what, true,
               fmt::format("SRAM libraries made for another voltage (PF-5057): {}",
                           fmt::join(sram_borrowed_, "; ")));
  }

  ProvenanceList domain(const DomainCharacterization &domain) const {
    ProvenanceList list;
    const bool sram = domain.kind == DomainKind::SramBank;
    if (sram)
      list.push_back(
          tag("area", FigureSource::Library,
              fmt::format("liberty area of macro {} in {}", domain.macro,
                          synth_sram_file_.empty() ? "the SRAM library" : synth_sram_file_)));
    else
      list.push_back(tag("area", FigureSource::Library,
                         fmt::format("Yosys synthesis onto {}: the mapped cells and their "
                                     "liberty area",
                                     synth_file_)));
    const std::string timing =
        "OpenSTA on each corner's liberty (corners[].liberty and sram_liberty); a path that "
        "crosses a domain boundary includes level_shifter_delay_ns";
    list.push_back(sram ? sramFigure("timing", timing)
                        : tag("timing", FigureSource::Library, timing));
    list.push_back(sram ? sramFigure("leakage_nw",
                                     "the macro's cell_leakage_power in each corner's SRAM "
                                     "liberty (corners[].sram_liberty)")
                        : tag("leakage_nw", FigureSource::Library,
                              "the sum of the domain's cells' cell_leakage_power in each "
                              "corner's liberty (corners[].liberty)"));
    if (domain.kind != DomainKind::AlwaysOn) {
      list.push_back(modelFigure("gated_leakage_nw", {"header_switch.gated_leakage_ratio"},
                                 "leakage_nw x [header_switch] gated_leakage_ratio at the "
                                 "corner's voltage",
                                 true));
      list.push_back(
          modelFigure("switched_capacitance_pf", {"header_switch.domain_capacitance_ff_per_um2"},
                      "area_um2 x [header_switch] domain_capacitance_ff_per_um2", false));
      list.push_back(modelFigure(
          "wake_up",
          {"header_switch.wake_fixed_ns", "header_switch.inrush_limit_ma",
           "header_switch.domain_capacitance_ff_per_um2", "regulator.efficiency_ratio"},
          "switched_capacitance_pf with [header_switch] wake_fixed_ns, inrush_limit_ma and "
          "[regulator] efficiency_ratio",
          true));
      list.push_back(
          modelFigure("rail_change",
                      {"rail_switch.settle_us", "rail_switch.inrush_limit_ma",
                       "header_switch.domain_capacitance_ff_per_um2", "regulator.efficiency_ratio"},
                      "switched_capacitance_pf with [rail_switch] settle_us, inrush_limit_ma and "
                      "[regulator] efficiency_ratio",
                      true));
    }
    if (sram) list.push_back(retention(domain));
    list.push_back(operations(domain));
    return list;
  }

  FigureProvenance retention(const DomainCharacterization &domain) const {
    const std::string entry = fmt::format(
        "retention_voltage_v and retention_leakage_nw of "
        "[[sram]] name = \"{}\"",
        domain.macro);
    if (model_.findSram(domain.macro)) {
      FigureProvenance out = modelFigure("retention", {"sram"}, entry, false);
      return out;
    }
    if (stubPowerModel().findSram(domain.macro))
      return tag("retention", FigureSource::StubDefault,
                 fmt::format("the stub PDK's power model ({}): {}", kStubPowerModelPath, entry),
                 true,
                 fmt::format("{} has no [[sram]] entry for macro '{}': the stub PDK's (PF-5068)",
                             model_.displayName(), domain.macro));
    return tag("retention", FigureSource::None, "no [[sram]] entry for the macro", false,
               fmt::format("{} has no [[sram]] entry for macro '{}': no retention figure (0), so "
                           "the scheduler does not offer retention for this bank",
                           model_.displayName(), domain.macro));
  }

  FigureProvenance operations(const DomainCharacterization &domain) const {
    if (domain.operations.empty()) {
      std::string why = "no operations";
      if (domain.kind == DomainKind::AlwaysOn)
        why =
            "no operations: the domain does not hold the accelerator engine (modules pf_ctrl "
            "and pf_dma) whose workload is replayed (docs/characterize-energy.md)";
      else if (domain.kind == DomainKind::PeGroup)
        why =
            "no operations: the domain names no module whose energy the stage can simulate "
            "(module = \"pf_pe_group\")";
      return tag("operations", FigureSource::None, "not characterized", false, why);
    }
    switch (domain.kind) {
      case DomainKind::PeGroup:
        return tag("operations", FigureSource::Library,
                   fmt::format("gate-level simulation of the group mapped onto {}, its toggles "
                               "priced with each corner's liberty (internal_power, pin "
                               "capacitance; wire load and port slew: options of the energy "
                               "model, docs/characterize-energy.md)",
                               synth_file_));
      case DomainKind::AlwaysOn:
        return tag("operations", FigureSource::Library,
                   fmt::format("a four-layer workload on the RTL replayed on the domain's gates "
                               "mapped onto {}, priced with each corner's liberty "
                               "(internal_power, pin capacitance; wire load and port slew: "
                               "options of the energy model, docs/characterize-energy.md)",
                               synth_file_));
      case DomainKind::SramBank:
        break;
    }
    return sramFigure("operations",
                      "the macro's clock-pin internal_power in each corner's SRAM liberty, by "
                      "its when conditions");
  }

  ProvenanceList table() const {
    ProvenanceList list;
    if (!facts_.level_shifter_cell.empty())
      list.push_back(
          tag("level_shifter_delay_ns", FigureSource::Library,
              fmt::format("OpenSTA: {} of each corner's liberty timed alone (input transition 0, "
                          "load {} pF), added to every path that crosses a domain boundary (the "
                          "netlist itself has no level shifters)",
                          facts_.level_shifter_cell, facts_.level_shifter_load_pf)));
    else
      list.push_back(tag("level_shifter_delay_ns", FigureSource::None, "no level-shifter cell",
                         false,
                         fmt::format("0 ns: {} has no level-shifter cell (is_level_shifter), so "
                                     "nothing is added to paths that cross power domains "
                                     "(optimistic when they run at different voltages; PF-5062)",
                                     synth_file_)));
    list.push_back(tag("isolation", FigureSource::None, "not priced", false,
                       checked_.cells.isolation.empty()
                           ? fmt::format("{} has no isolation cell (is_isolation_cell); isolation "
                                         "has no figure in the table (a power-down costs nothing "
                                         "for it in the schedule)",
                                         synth_file_)
                           : fmt::format("isolation cell {} is in the library, but isolation has "
                                         "no figure in the table (its delay and energy are not "
                                         "added anywhere)",
                                         checked_.cells.isolation)));
    return list;
  }

  ProvenanceList sequencer(const SequencerCharacterization &seq) const {
    return {
        tag("area", FigureSource::Library,
            fmt::format("Yosys maps the generated sequencer onto {}: cells, flip-flops and their "
                        "liberty area",
                        synth_file_)),
        tag("leakage_nw", FigureSource::Library,
            "the sum of its cells' cell_leakage_power in each corner's liberty"),
        tag("clock_energy_pj", FigureSource::Library,
            "the clock net and the flip-flops' clock pins: each corner's liberty internal_power "
            "and pin capacitance (wire load: an option of the energy model)"),
        tag("energy_per_cycle_pj", FigureSource::Options,
            fmt::format("clock_energy_pj plus every data net toggling data_activity = {} times "
                        "per cycle (a vectorless default, not simulated), priced with each "
                        "corner's liberty",
                        seq.data_activity)),
    };
  }

 private:
  const CornerSet &corners_;
  const CheckedLibraries &checked_;
  const ProvenanceFacts &facts_;
  const PowerModel &model_;
  std::string synth_file_, synth_sram_file_;
  std::vector<std::string> sram_borrowed_;
};

}  // namespace

std::vector<std::string> domainFigureFamilies(DomainKind kind) {
  std::vector<std::string> families = {"area", "timing", "leakage_nw"};
  if (kind != DomainKind::AlwaysOn)
    families.insert(families.end(),
                    {"gated_leakage_nw", "switched_capacitance_pf", "wake_up", "rail_change"});
  if (kind == DomainKind::SramBank) families.push_back("retention");
  families.push_back("operations");
  return families;
}

std::vector<std::string> tableFigureFamilies() { return {"level_shifter_delay_ns", "isolation"}; }

std::vector<std::string> sequencerFigureFamilies() {
  return {"area", "leakage_nw", "clock_energy_pj", "energy_per_cycle_pj"};
}

void recordProvenance(Characterization &table, const CornerSet &corners,
                      const CheckedLibraries &checked, const ProvenanceFacts &facts) {
  const ProvenanceBuilder builder(corners, checked, facts);
  for (size_t c = 0; c < table.corners.size() && c < corners.corners.size(); ++c) {
    table.corners[c].liberty = corners.corners[c].std_liberty;
    table.corners[c].sram_liberty = corners.corners[c].sram_liberty;
  }
  table.provenance.power_model = builder.powerModel();
  table.provenance.cells = checked.cells;
  table.provenance.figures = builder.table();
  for (DomainCharacterization &domain : table.domains) domain.provenance = builder.domain(domain);
  if (table.sequencer.present) table.sequencer.provenance = builder.sequencer(table.sequencer);
}

}  // namespace pf
