#include "characterize/energy/CellModels.hh"

#include <fmt/format.h>

#include <cctype>
#include <set>

#include "characterize/energy/BoolExpr.hh"

namespace pf::energy {

namespace {

const std::set<std::string> &verilogKeywords() {
  static const std::set<std::string> words = {
      "always", "and",     "assign",  "begin",    "buf",   "case",  "default",   "else",
      "end",    "for",     "if",      "initial",  "inout", "input", "module",    "nand",
      "nor",    "not",     "or",      "output",   "reg",   "wire",  "xnor",      "xor",
      "edge",   "posedge", "negedge", "function", "task",  "table", "primitive", "logic"};
  return words;
}

std::string pinDirectionKeyword(liberty::PinDirection direction) {
  switch (direction) {
    case liberty::PinDirection::Input:
      return "input";
    case liberty::PinDirection::Output:
      return "output";
    case liberty::PinDirection::Inout:
      return "inout";
    case liberty::PinDirection::Internal:
      return "";
  }
  return "";
}

// Why the cell cannot be modelled, or "" if it can.
std::string unmodelledReason(const liberty::Cell &cell) {
  if (cell.is_macro) return "macro cell (energy from its liberty access tables)";
  if (cell.outputs().empty()) return "no output pin";
  for (const liberty::Pin *pin : cell.outputs()) {
    if (pin->function.empty()) return fmt::format("output {} has no function", pin->name);
  }
  return "";
}

// Names generated inside a module; the `pf__` prefix keeps them apart from pin names.
struct StateNames {
  std::string state;      // liberty state variable (IQ)
  std::string state_inv;  // its complement (IQN)
};

void writeSequential(const liberty::Cell &cell, const StateNames &names,
                     const std::function<std::string(const std::string &)> &id, std::string &out) {
  const liberty::Sequential &seq = *cell.sequential;
  const std::string context = "cell " + cell.name;
  const std::string state = id(names.state);
  out += fmt::format("  reg {};\n", state);
  if (!names.state_inv.empty())
    out += fmt::format("  wire {} = ~{};\n", id(names.state_inv), state);
  const std::string clock = BoolExpr::parse(seq.clocked_on, context + " clocked_on").toVerilog(id);
  const std::string data = BoolExpr::parse(seq.next_state, context + " next_state").toVerilog(id);
  std::string clear, preset;
  if (!seq.clear.empty()) {
    clear = BoolExpr::parse(seq.clear, context + " clear").toVerilog(id);
    out += fmt::format("  wire pf__clear = {};\n", clear);
  }
  if (!seq.preset.empty()) {
    preset = BoolExpr::parse(seq.preset, context + " preset").toVerilog(id);
    out += fmt::format("  wire pf__preset = {};\n", preset);
  }
  out += fmt::format("  wire pf__clock = {};\n", clock);
  // Clear wins over preset when both are active (liberty's clear_preset_var1 is not modelled).
  const char *assign = seq.is_latch ? "=" : "<=";  // a latch is a combinational block
  std::string async;
  if (!clear.empty()) async += fmt::format("if (pf__clear) {} {} 1'b0; else ", state, assign);
  if (!preset.empty()) async += fmt::format("if (pf__preset) {} {} 1'b1; else ", state, assign);
  if (seq.is_latch) {
    out += fmt::format("  always @* begin {}if (pf__clock) {} = {}; end\n", async, state, data);
  } else {
    std::string sensitivity = "posedge pf__clock";
    if (!clear.empty()) sensitivity += " or posedge pf__clear";
    if (!preset.empty()) sensitivity += " or posedge pf__preset";
    out += fmt::format("  always @({}) begin {}{} <= {}; end\n", sensitivity, async, state, data);
  }
}

std::string cellModule(const liberty::Cell &cell) {
  auto id = [](const std::string &name) { return verilogIdentifier(name); };
  std::string out = fmt::format("module {} (", id(cell.name));
  bool first = true;
  for (const liberty::Pin &pin : cell.pins) {
    const std::string dir = pinDirectionKeyword(pin.direction);
    if (dir.empty()) continue;
    out += fmt::format("{}{} wire {}", first ? "" : ", ", dir, id(pin.name));
    first = false;
  }
  out += ");\n";
  if (cell.sequential) {
    writeSequential(cell, {cell.sequential->state_var, cell.sequential->state_var_inv}, id, out);
  }
  for (const liberty::Pin *pin : cell.outputs()) {
    const BoolExpr function =
        BoolExpr::parse(pin->function, fmt::format("cell {} pin {}", cell.name, pin->name));
    out += fmt::format("  assign {} = {};\n", id(pin->name), function.toVerilog(id));
  }
  out += "endmodule\n\n";
  return out;
}

}  // namespace

std::string verilogIdentifier(const std::string &name) {
  bool simple =
      !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') simple = false;
  }
  if (simple && !verilogKeywords().count(name)) return name;
  return "\\" + name + " ";  // escaped identifier: ends at white space
}

bool isCombinationalCell(const liberty::Cell &cell) {
  return !cell.sequential && unmodelledReason(cell).empty();
}

CellModelSet generateCellModels(const liberty::Library &library) {
  CellModelSet set;
  set.verilog = fmt::format(
      "// Behavioural cell models generated by powerflow from liberty {}.\n\n", library.name);
  for (const liberty::Cell &cell : library.cells) {
    const std::string reason = unmodelledReason(cell);
    if (!reason.empty()) {
      set.skipped.push_back(cell.name + ": " + reason);
      continue;
    }
    set.verilog += cellModule(cell);
    set.modelled.push_back(cell.name);
  }
  return set;
}

}  // namespace pf::energy
