// The Verilated sequencers (one model per shape, built by tests/gen/interpreter.cmake)
// behind one plain interface, so the co-simulation is written once for every shape.
// The ROM is not Verilated: the test holds the program and answers rom_addr
// combinationally, so one build serves every program.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gen/Interpreter.hh"

namespace pf::gen {

class SequencerDut {
 public:
  virtual ~SequencerDut() = default;
  // The program; words past it read 0.
  virtual void setRom(std::vector<uint32_t> rom) = 0;
  // rst_n low (asynchronous), one clock edge in reset, rst_n high.
  virtual void reset() = 0;
  // One rising edge with these inputs (rom_data answers rom_addr before it).
  virtual void step(const SequencerInputs &in) = 0;
  virtual SequencerOutputs outputs() const = 0;
  // Did one of the RTL's own assertions (--assert) fail since construction?
  virtual bool assertionFailed() const = 0;
};

struct SequencerModel {
  std::string name;      // the Verilog module
  std::string spec;      // its parameters (tests/gen/SequencerSpec.hh)
  std::string mutation;  // "" or the planted bug, "OLD => NEW"
  std::function<std::unique_ptr<SequencerDut>()> make;
};

// Every model this build Verilated, in the order interpreter.cmake lists them.
const std::vector<SequencerModel> &sequencerModels();

}  // namespace pf::gen
