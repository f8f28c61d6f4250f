// The few facts the synthesis and timing stage needs from a liberty file: cell names,
// areas, pin names, directions, functions and widths, clock and async pins, the
// dont_use / level-shifter / macro flags.
//
// A thin view of characterize/liberty (pf::liberty::readLiberty), which reads the file;
// unlike it, a bus is one pin with its width here (Yosys's netlists connect buses by
// name). The syntax check quoted to the user is Yosys's and OpenSTA's, which run first.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace pf::synth {

enum class LibPinDirection { Input, Output, Inout, Internal };

struct LibPin {
  std::string name;  // a pin, or a bus (width > 1 or declared as bus)
  LibPinDirection direction = LibPinDirection::Input;
  int width = 1;
  bool is_bus = false;
  bool is_clock = false;  // `clock : true`, or the clocked_on pin of an ff/latch
  bool is_async = false;  // pin of an ff's clear/preset expression
  std::string function;
};

struct LibCell {
  std::string name;
  double area_um2 = 0;
  bool dont_use = false;
  bool is_sequential = false;  // ff or latch group
  bool is_macro = false;       // is_macro_cell or memory group
  bool is_level_shifter = false;
  bool is_special = false;  // isolation, power switch, clock gate: never a plain gate
  std::vector<LibPin> pins;

  const LibPin *findPin(const std::string &pin_name) const;
};

struct LibFacts {
  std::string path;
  std::string name;
  double nominal_voltage_v = 0;
  std::vector<LibCell> cells;
  std::map<std::string, size_t> index;  // cell name -> position in cells

  const LibCell *findCell(const std::string &cell_name) const;
};

// Throws pf::Error 5202 if the file cannot be read, 5240 (file:line) if readLiberty
// rejects it (its PF-51xx id and message quoted) or it defines no cells.
LibFacts scanLiberty(const std::string &path);

// The strongest non-dont_use buffer (one input, one output, function == input pin);
// strength is judged by area, the only drive proxy every library has. nullptr if none.
const LibCell *findBufferCell(const LibFacts &lib);
// A non-dont_use inverter (function "!IN"), smallest area; nullptr if none.
const LibCell *findInverterCell(const LibFacts &lib);
// The first level-shifter cell (is_level_shifter), dont_use or not; nullptr if none.
const LibCell *findLevelShifterCell(const LibFacts &lib);

// Single input/output pin of a one-in one-out cell.
const LibPin *singleInput(const LibCell &cell);
const LibPin *singleOutput(const LibCell &cell);

}  // namespace pf::synth
