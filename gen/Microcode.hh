// The power sequencer's instruction set: encoding, decoding, legality of an encoding,
// text form (listing and disassembly) and the ROM image format. docs/microcode.md is the
// long form; this header and the RTL template (gen/templates/pf_pwrseq.v) implement it
// and tests/gen proves they agree.
//
// One instruction is one 32-bit word, opcode in bits 31:28:
//
//   PWR_ON  d, r   0x1  [27:23] d  [22:20] r   switch domain d on onto rail r (from off or
//                                                retention); the domain's own FSM runs the
//                                                wake sequence; the program goes on at once
//   PWR_OFF d      0x2  [27:23] d               isolate, reset, open the switch (from on);
//                                                drop retention (from retention)
//   RET     d      0x3  [27:23] d               isolate, retain, open the periphery switch
//   RAIL    d, r   0x4  [27:23] d  [22:20] r   move an on domain to rail r, break-before-make
//   SETTLE         0x5                          wait until no domain is changing
//   DIV     k      0x6  [2:0]  k               clock divider index k (0 = fastest)
//   WAIT    n      0x7  [23:0] n               n + 1 cycles
//   DESC    a      0x8  [27:0] a               descriptor chain base = a * 8 (bytes)
//   NEED    h, m   0x9  [27] h  [15:0] m       domains bits h*16 .. h*16+15 the next RUN needs
//   RUN     w, n   0xA  [27] w  [23:0] n       start a chain of n descriptors; w = wait for it
//   SYNC           0xB                          wait until the chain is done
//   SLEEP   s      0xC  [0] s                  wait for the period tick; s = stop the clock
//   JUMP    a      0xD  [15:0] a               pc = a
//   HALT           0xE                          stop without error
//
// Opcodes 0x0 (an erased ROM word) and 0xF, any reserved bit set, and any operand out of
// range for the sequencer's parameters are illegal encodings: the sequencer goes to its
// error state (every domain isolated, datapath not started).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pf::gen {

enum class Opcode : uint8_t {
  PwrOn = 0x1,
  PwrOff = 0x2,
  Ret = 0x3,
  Rail = 0x4,
  Settle = 0x5,
  Div = 0x6,
  Wait = 0x7,
  Desc = 0x8,
  Need = 0x9,
  Run = 0xA,
  Sync = 0xB,
  Sleep = 0xC,
  Jump = 0xD,
  Halt = 0xE,
};
const char *opcodeName(Opcode op);  // "PWR_ON", ...

// Field limits of the encoding (independent of any sequencer's parameters).
inline constexpr int kMaxDomains = 32;
inline constexpr int kMaxRails = 8;
inline constexpr int kMaxDividers = 8;
inline constexpr uint32_t kMaxWaitCycles = (1u << 24) - 1;
inline constexpr uint32_t kMaxRunCount = (1u << 24) - 1;
inline constexpr uint32_t kMaxDescUnits = (1u << 28) - 1;  // DESC operand, 8-byte units
inline constexpr int kMaxRomDepth = 1 << 16;
inline constexpr uint32_t kDescriptorStrideBytes = 64;  // consecutive descriptors

// One decoded instruction. Fields an opcode does not use are zero.
struct Instruction {
  Opcode op = Opcode::Halt;
  int domain = 0;     // PWR_ON, PWR_OFF, RET, RAIL
  int rail = 0;       // PWR_ON, RAIL
  int divider = 0;    // DIV: index into the divider table
  uint32_t imm = 0;   // WAIT cycles, DESC 8-byte units, NEED mask, RUN count, JUMP target
  int half = 0;       // NEED: which 16 domains the mask covers
  bool flag = false;  // RUN: wait for the chain; SLEEP: stop the clock

  bool operator==(const Instruction &other) const = default;
};

// The parameters an encoding's legality depends on (the sequencer's Verilog parameters).
struct SequencerShape {
  int rails = 1;      // R, 1..8
  int domains = 1;    // switchable domains, 1..32
  int dividers = 1;   // entries of the divider table, 1..8
  int rom_depth = 2;  // words, 2..65536
};

// Word <-> instruction. encode() requires a well-formed instruction (fields within the
// encoding's limits; throws std::invalid_argument otherwise: a compiler bug, not input).
uint32_t encode(const Instruction &instruction);

// The instruction a word encodes, or nullopt when the word is an illegal encoding for a
// sequencer of this shape (unknown opcode, reserved bit set, operand out of range).
std::optional<Instruction> decode(uint32_t word, const SequencerShape &shape);

// "PWR_ON d3, r1" style text; domain and rail names are used when given.
struct NameTable {
  std::vector<std::string> domains;  // index -> name, may be empty
  std::vector<double> rail_voltages_v;
  std::vector<int> dividers;  // index -> divider value
};
std::string formatInstruction(const Instruction &instruction, const NameTable &names = {});

// Disassembly of a word: the instruction's text, or "ILLEGAL 0x........".
std::string disassemble(uint32_t word, const SequencerShape &shape, const NameTable &names = {});

// ROM image ($readmemh): one 8-digit hex word per line, no addresses, after the `header`
// lines (// comments). Padded with the illegal word 0 up to `depth` words (a ROM has no
// unprogrammed words that could hold stale code).
std::string romImage(const std::vector<uint32_t> &words, const std::string &header, int depth);

// Reads a ROM image written by romImage() (comments and blank lines skipped; '@' address
// records refused). Throws pf::Error (PF-8xxx) naming `file` and the line.
std::vector<uint32_t> readRomImage(const std::string &text, const std::string &file);

}  // namespace pf::gen
