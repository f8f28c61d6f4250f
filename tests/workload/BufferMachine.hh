// A descriptor-level functional model of pf_accel for testing mappings without Verilator:
// data and weight buffers (starting with garbage, as SRAM does), external memory, the DMA
// copies of docs/accelerator.md, and golden/Reference for the compute phase. A mapping
// that reads a word nobody wrote, overwrites a live tensor or leaves the wrong weights in
// the weight buffer produces wrong tensors here.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "golden/Layer.hh"

namespace pf::test {

class BufferMachine {
 public:
  BufferMachine(const AccelConfig &cfg, std::vector<uint8_t> memory, uint32_t seed = 1);

  // Runs one descriptor; `weights` are the weights/requantisation the descriptor's
  // weight image must hold (checked against the weight buffer). Problems are recorded.
  void run(const LayerDesc &desc, const LayerTensors &weights);

  const std::vector<uint8_t> &memory() const { return memory_; }
  // What the host writes between layers (a host layer's output).
  void writeMemory(uint32_t addr, const std::vector<uint8_t> &bytes) {
    std::copy(bytes.begin(), bytes.end(), memory_.begin() + addr);
  }
  const std::vector<std::string> &problems() const { return problems_; }

 private:
  void copyIn(std::vector<uint8_t> &buffer, int word_bytes, int base, uint32_t ext, int words);
  std::vector<uint8_t> readWords(const std::vector<uint8_t> &buffer, int word_bytes, int base,
                                 int words) const;
  void writeWords(std::vector<uint8_t> &buffer, int word_bytes, int base,
                  const std::vector<uint8_t> &bytes);

  AccelConfig cfg_;
  std::vector<uint8_t> memory_;
  std::vector<uint8_t> data_;     // actWords() * rows bytes
  std::vector<uint8_t> weights_;  // weightWords() * rows * cols bytes
  std::vector<std::string> problems_;
};

}  // namespace pf::test
