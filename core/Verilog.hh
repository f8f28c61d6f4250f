// Verilog text that several writers need (the gate-level cell models and harnesses of
// characterize/energy, the STA netlist's level-shifter probe of characterize/synth).
#pragma once

#include <string>

namespace pf {

// A Verilog identifier for `name` (a liberty cell or pin, a module, an instance): the name
// itself when it is a legal simple identifier and not a keyword, else escaped ("\name ",
// which ends at the white space).
std::string verilogIdentifier(const std::string &name);

}  // namespace pf
