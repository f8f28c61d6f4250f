// Fuzz target: the generated ROM image and the microcode in it (gen/Microcode.cc:
// readRomImage, decode, disassemble), then the program run on the reference interpreter
// (gen/Interpreter.cc) of a sequencer of three rails and twelve domains for a bounded
// number of cycles, its inputs answering its outputs as the power network would.
#include <algorithm>

#include "fuzz/FuzzSupport.hh"
#include "gen/Interpreter.hh"
#include "gen/Microcode.hh"

namespace {

pf::gen::SequencerParams params(size_t words) {
  pf::gen::SequencerParams p;
  p.rails = 3;
  p.domains = 12;
  p.dividers = 6;
  p.rom_depth = 2;
  while (size_t(p.rom_depth) < words && p.rom_depth < pf::gen::kMaxRomDepth) p.rom_depth *= 2;
  p.pg_timeout_cycles = 12;
  p.has_retention.assign(size_t(p.domains), false);
  for (int d = 0; d < p.domains; d += 2) p.has_retention[size_t(d)] = true;
  for (int d = 0; d < p.domains; ++d)
    for (int r = 0; r < p.rails; ++r) p.div_min.push_back(std::max(0, 2 - r - d % 2));
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return pf::fuzz::runOne([&] {
    const std::vector<uint32_t> words = pf::gen::readRomImage(
        std::string(reinterpret_cast<const char *>(data), size), "input.memh");
    const pf::gen::SequencerParams p = params(words.size());
    for (uint32_t word : words) (void)pf::gen::disassemble(word, p.shape());
    if (words.size() > size_t(p.rom_depth)) return;  // longer than any sequencer's ROM
    pf::gen::Interpreter interpreter(p, words);
    interpreter.reset();
    pf::gen::SequencerInputs in;
    for (int cycle = 0; cycle < 4000 && !interpreter.outputs().halted; ++cycle) {
      const pf::gen::SequencerOutputs &out = interpreter.outputs();
      in.pgood = out.dom_sw;         // switches close at once
      in.done = out.start;           // chains finish in one cycle
      in.tick = cycle % 500 == 499;  // the period timer
      interpreter.step(in);
    }
  });
}
