#include "characterize/synth/LibertyScan.hh"

#include <fmt/format.h>

#include <cctype>

#include "characterize/liberty/Liberty.hh"
#include "core/Error.hh"

namespace pf::synth {

const LibPin *LibCell::findPin(const std::string &pin_name) const {
  for (const LibPin &pin : pins)
    if (pin.name == pin_name) return &pin;
  return nullptr;
}

const LibCell *LibFacts::findCell(const std::string &cell_name) const {
  auto it = index.find(cell_name);
  return it == index.end() ? nullptr : &cells[it->second];
}

namespace {

// Pin names referenced by an ff/latch expression like "!RN" or "(CK)".
std::vector<std::string> expressionPins(const std::string &expression) {
  std::vector<std::string> names;
  std::string word;
  for (const char c : expression + " ") {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '[' || c == ']') {
      word += c;
    } else {
      if (!word.empty()) names.push_back(word);
      word.clear();
    }
  }
  return names;
}

LibPinDirection toDirection(liberty::PinDirection direction) {
  switch (direction) {
    case liberty::PinDirection::Output:
      return LibPinDirection::Output;
    case liberty::PinDirection::Inout:
      return LibPinDirection::Inout;
    case liberty::PinDirection::Internal:
      return LibPinDirection::Internal;
    case liberty::PinDirection::Input:
      break;
  }
  return LibPinDirection::Input;
}

// "Q[3]" -> "Q"; "" if the name is not a bus bit.
std::string busName(const std::string &bit) {
  const size_t open = bit.find('[');
  if (open == std::string::npos || open == 0 || bit.back() != ']') return "";
  for (size_t i = open + 1; i + 1 < bit.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(bit[i]))) return "";
  return open + 2 < bit.size() ? bit.substr(0, open) : "";
}

// readLiberty expands a bus into its bit pins ("Q[0]", "Q[1]", ...), consecutively: they
// are grouped back into one bus pin whose width is the bit count (attributes of the
// first bit, which carry the bus group's).
LibCell toLibCell(const liberty::Cell &cell) {
  LibCell out;
  out.name = cell.name;
  out.area_um2 = cell.area_um2;
  out.dont_use = cell.dont_use;
  out.is_sequential = cell.sequential.has_value();
  out.is_macro = cell.is_macro;
  out.is_level_shifter = cell.is_level_shifter;
  out.is_special = cell.is_isolation_cell || cell.is_power_switch || cell.is_clock_gating_cell;
  for (const liberty::Pin &pin : cell.pins) {
    const std::string bus = busName(pin.name);
    if (!bus.empty() && !out.pins.empty() && out.pins.back().is_bus &&
        out.pins.back().name == bus) {
      ++out.pins.back().width;
      continue;
    }
    LibPin lib_pin;
    lib_pin.name = bus.empty() ? pin.name : bus;
    lib_pin.is_bus = !bus.empty();
    lib_pin.direction = toDirection(pin.direction);
    lib_pin.is_clock = pin.is_clock;
    lib_pin.function = pin.function;
    out.pins.push_back(std::move(lib_pin));
  }
  if (cell.sequential) {
    const std::vector<std::string> clock_pins = expressionPins(cell.sequential->clocked_on);
    std::vector<std::string> async_pins = expressionPins(cell.sequential->clear);
    for (std::string &name : expressionPins(cell.sequential->preset))
      async_pins.push_back(std::move(name));
    for (LibPin &pin : out.pins) {
      for (const auto &name : clock_pins) pin.is_clock = pin.is_clock || name == pin.name;
      for (const auto &name : async_pins) pin.is_async = pin.is_async || name == pin.name;
    }
  }
  return out;
}

}  // namespace

LibFacts scanLiberty(const std::string &path) {
  liberty::Library library;
  try {
    library = liberty::readLiberty(path);
  } catch (const Error &error) {
    if (error.id() == 1001)
      throw Error(5253, {path}, "", "cannot read liberty file (missing or unreadable)");
    throw Error(5240, error.loc(), error.field(),
                fmt::format("liberty (PF-{}): {}", error.id(), error.message()));
  }
  LibFacts facts;
  facts.path = path;
  facts.name = library.name;
  facts.nominal_voltage_v = library.nominal_voltage_v;
  for (const liberty::Cell &cell : library.cells) {
    facts.index[cell.name] = facts.cells.size();
    facts.cells.push_back(toLibCell(cell));
  }
  if (facts.cells.empty()) throw Error(5265, {path}, "", "liberty file defines no cells");
  return facts;
}

const LibPin *singleInput(const LibCell &cell) {
  const LibPin *found = nullptr;
  for (const LibPin &pin : cell.pins) {
    if (pin.direction != LibPinDirection::Input) continue;
    if (found) return nullptr;
    found = &pin;
  }
  return found;
}

const LibPin *singleOutput(const LibCell &cell) {
  const LibPin *found = nullptr;
  for (const LibPin &pin : cell.pins) {
    if (pin.direction != LibPinDirection::Output) continue;
    if (found) return nullptr;
    found = &pin;
  }
  return found;
}

namespace {

std::string stripSpaces(const std::string &text) {
  std::string out;
  for (const char c : text)
    if (!std::isspace(static_cast<unsigned char>(c)) && c != '(' && c != ')') out += c;
  return out;
}

// A one-input one-output plain gate whose function is `prefix + input`.
bool isUnaryGate(const LibCell &cell, const std::string &prefix) {
  if (cell.dont_use || cell.is_sequential || cell.is_macro || cell.is_level_shifter ||
      cell.is_special)
    return false;
  const LibPin *in = singleInput(cell);
  const LibPin *out = singleOutput(cell);
  if (!in || !out || in->is_bus || out->is_bus) return false;
  const std::string function = stripSpaces(out->function);
  return function == prefix + in->name || (prefix == "!" && function == in->name + "'");
}

}  // namespace

const LibCell *findBufferCell(const LibFacts &lib) {
  const LibCell *best = nullptr;
  for (const LibCell &cell : lib.cells)
    if (isUnaryGate(cell, "") && (!best || cell.area_um2 > best->area_um2)) best = &cell;
  return best;
}

const LibCell *findInverterCell(const LibFacts &lib) {
  const LibCell *best = nullptr;
  for (const LibCell &cell : lib.cells)
    if (isUnaryGate(cell, "!") && (!best || cell.area_um2 < best->area_um2)) best = &cell;
  return best;
}

const LibCell *findLevelShifterCell(const LibFacts &lib) {
  for (const LibCell &cell : lib.cells)
    if (cell.is_level_shifter && singleInput(cell) && singleOutput(cell)) return &cell;
  return nullptr;
}

}  // namespace pf::synth
