#include "gen/Microcode.hh"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "core/Error.hh"

namespace pf::gen {

namespace {

constexpr uint32_t field(uint32_t word, int hi, int lo) {
  return (word >> lo) & ((hi - lo == 31) ? 0xffffffffu : ((1u << (hi - lo + 1)) - 1));
}

constexpr uint32_t place(uint32_t value, int hi, int lo) {
  return (value & ((1u << (hi - lo + 1)) - 1)) << lo;
}

// Bits every opcode may use (the opcode itself included); the rest are reserved.
uint32_t usedBits(Opcode op) {
  constexpr uint32_t kOp = 0xf0000000u;
  switch (op) {
    case Opcode::PwrOn:
    case Opcode::Rail:
      return kOp | place(0xff, 27, 20);
    case Opcode::PwrOff:
    case Opcode::Ret:
      return kOp | place(0x1f, 27, 23);
    case Opcode::Div:
      return kOp | 0x7u;
    case Opcode::Wait:
      return kOp | 0x00ffffffu;
    case Opcode::Desc:
      return kOp | 0x0fffffffu;
    case Opcode::Need:
      return kOp | (1u << 27) | 0xffffu;
    case Opcode::Run:
      return kOp | (1u << 27) | 0x00ffffffu;
    case Opcode::Sleep:
      return kOp | 0x1u;
    case Opcode::Jump:
      return kOp | 0xffffu;
    case Opcode::Settle:
    case Opcode::Sync:
    case Opcode::Halt:
      return kOp;
  }
  return kOp;
}

bool knownOpcode(uint32_t code) { return code >= 0x1 && code <= 0xE; }

void require(bool ok, const char *what) {
  if (!ok) throw std::invalid_argument(std::string("microcode encode: ") + what);
}

// Operand checks against the sequencer's parameters; the encoding limits are implied.
bool operandsFit(const Instruction &in, const SequencerShape &shape) {
  switch (in.op) {
    case Opcode::PwrOn:
    case Opcode::Rail:
      return in.domain < shape.domains && in.rail < shape.rails;
    case Opcode::PwrOff:
    case Opcode::Ret:
      return in.domain < shape.domains;
    case Opcode::Div:
      return in.divider < shape.dividers;
    case Opcode::Need: {
      const int first = in.half * 16;
      const int covered = std::max(0, std::min(16, shape.domains - first));
      const uint32_t allowed = covered == 16 ? 0xffffu : ((1u << covered) - 1);
      return (in.imm & ~allowed) == 0;
    }
    case Opcode::Run:
      return in.imm >= 1;
    case Opcode::Jump:
      return int64_t(in.imm) < shape.rom_depth;
    default:
      return true;
  }
}

}  // namespace

const char *opcodeName(Opcode op) {
  switch (op) {
    case Opcode::PwrOn:
      return "PWR_ON";
    case Opcode::PwrOff:
      return "PWR_OFF";
    case Opcode::Ret:
      return "RET";
    case Opcode::Rail:
      return "RAIL";
    case Opcode::Settle:
      return "SETTLE";
    case Opcode::Div:
      return "DIV";
    case Opcode::Wait:
      return "WAIT";
    case Opcode::Desc:
      return "DESC";
    case Opcode::Need:
      return "NEED";
    case Opcode::Run:
      return "RUN";
    case Opcode::Sync:
      return "SYNC";
    case Opcode::Sleep:
      return "SLEEP";
    case Opcode::Jump:
      return "JUMP";
    case Opcode::Halt:
      return "HALT";
  }
  return "?";
}

uint32_t encode(const Instruction &in) {
  uint32_t word = uint32_t(in.op) << 28;
  switch (in.op) {
    case Opcode::PwrOn:
    case Opcode::Rail:
      require(in.rail >= 0 && in.rail < kMaxRails, "rail out of range");
      word |= place(uint32_t(in.rail), 22, 20);
      [[fallthrough]];
    case Opcode::PwrOff:
    case Opcode::Ret:
      require(in.domain >= 0 && in.domain < kMaxDomains, "domain out of range");
      return word | place(uint32_t(in.domain), 27, 23);
    case Opcode::Div:
      require(in.divider >= 0 && in.divider < kMaxDividers, "divider out of range");
      return word | uint32_t(in.divider);
    case Opcode::Wait:
      require(in.imm <= kMaxWaitCycles, "wait too long");
      return word | in.imm;
    case Opcode::Desc:
      require(in.imm <= kMaxDescUnits, "descriptor address out of range");
      return word | in.imm;
    case Opcode::Need:
      require(in.half == 0 || in.half == 1, "need half is 0 or 1");
      require(in.imm <= 0xffffu, "need mask is 16 bits");
      return word | place(uint32_t(in.half), 27, 27) | in.imm;
    case Opcode::Run:
      require(in.imm >= 1 && in.imm <= kMaxRunCount, "run count out of range");
      return word | place(in.flag ? 1u : 0u, 27, 27) | in.imm;
    case Opcode::Sleep:
      return word | (in.flag ? 1u : 0u);
    case Opcode::Jump:
      require(in.imm < uint32_t(kMaxRomDepth), "jump target out of range");
      return word | in.imm;
    case Opcode::Settle:
    case Opcode::Sync:
    case Opcode::Halt:
      return word;
  }
  require(false, "unknown opcode");
  return 0;
}

std::optional<Instruction> decode(uint32_t word, const SequencerShape &shape) {
  const uint32_t code = field(word, 31, 28);
  if (!knownOpcode(code)) return std::nullopt;
  Instruction in;
  in.op = Opcode(code);
  if ((word & ~usedBits(in.op)) != 0) return std::nullopt;
  switch (in.op) {
    case Opcode::PwrOn:
    case Opcode::Rail:
      in.rail = int(field(word, 22, 20));
      [[fallthrough]];
    case Opcode::PwrOff:
    case Opcode::Ret:
      in.domain = int(field(word, 27, 23));
      break;
    case Opcode::Div:
      in.divider = int(field(word, 2, 0));
      break;
    case Opcode::Wait:
    case Opcode::Run:
      in.imm = field(word, 23, 0);
      in.flag = in.op == Opcode::Run && field(word, 27, 27) != 0;
      break;
    case Opcode::Desc:
      in.imm = field(word, 27, 0);
      break;
    case Opcode::Need:
      in.half = int(field(word, 27, 27));
      in.imm = field(word, 15, 0);
      break;
    case Opcode::Sleep:
      in.flag = field(word, 0, 0) != 0;
      break;
    case Opcode::Jump:
      in.imm = field(word, 15, 0);
      break;
    case Opcode::Settle:
    case Opcode::Sync:
    case Opcode::Halt:
      break;
  }
  if (!operandsFit(in, shape)) return std::nullopt;
  return in;
}

namespace {

std::string domainText(int domain, const NameTable &names) {
  if (domain < int(names.domains.size())) return names.domains[domain];
  return fmt::format("d{}", domain);
}

std::string railText(int rail, const NameTable &names) {
  if (rail < int(names.rail_voltages_v.size()))
    return fmt::format("r{} ({:.2f} V)", rail, names.rail_voltages_v[rail]);
  return fmt::format("r{}", rail);
}

std::string needText(const Instruction &in, const NameTable &names) {
  std::string text = fmt::format("NEED {}, 0x{:04x}", in.half, in.imm);
  std::string list;
  for (int bit = 0; bit < 16; ++bit)
    if (in.imm >> bit & 1u)
      list += (list.empty() ? "" : " ") + domainText(in.half * 16 + bit, names);
  return list.empty() ? text : text + "  ; " + list;
}

}  // namespace

std::string formatInstruction(const Instruction &in, const NameTable &names) {
  const char *name = opcodeName(in.op);
  switch (in.op) {
    case Opcode::PwrOn:
    case Opcode::Rail:
      return fmt::format("{} {}, {}", name, domainText(in.domain, names), railText(in.rail, names));
    case Opcode::PwrOff:
    case Opcode::Ret:
      return fmt::format("{} {}", name, domainText(in.domain, names));
    case Opcode::Div:
      if (in.divider < int(names.dividers.size()))
        return fmt::format("DIV {}  ; /{}", in.divider, names.dividers[in.divider]);
      return fmt::format("DIV {}", in.divider);
    case Opcode::Wait:
      return fmt::format("WAIT {}", in.imm);
    case Opcode::Desc:
      return fmt::format("DESC 0x{:08x}", uint64_t(in.imm) * 8);
    case Opcode::Need:
      return needText(in, names);
    case Opcode::Run:
      return fmt::format("RUN{} {}", in.flag ? ".WAIT" : "", in.imm);
    case Opcode::Sleep:
      return in.flag ? "SLEEP.STOP" : "SLEEP";
    case Opcode::Jump:
      return fmt::format("JUMP {}", in.imm);
    case Opcode::Settle:
    case Opcode::Sync:
    case Opcode::Halt:
      return name;
  }
  return name;
}

std::string disassemble(uint32_t word, const SequencerShape &shape, const NameTable &names) {
  const std::optional<Instruction> in = decode(word, shape);
  return in ? formatInstruction(*in, names) : fmt::format("ILLEGAL 0x{:08x}", word);
}

std::string romImage(const std::vector<uint32_t> &words, const std::string &header, int depth) {
  std::string text = header;
  for (uint32_t word : words) text += fmt::format("{:08x}\n", word);
  for (int a = int(words.size()); a < depth; ++a) text += "00000000\n";
  return text;
}

std::vector<uint32_t> readRomImage(const std::string &text, const std::string &file) {
  std::vector<uint32_t> words;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const size_t comment = line.find("//");
    if (comment != std::string::npos) line.erase(comment);
    const size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    const size_t last = line.find_last_not_of(" \t\r");
    const std::string token = line.substr(first, last - first + 1);
    const bool hex =
        token.size() == 8 && token.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
    if (!hex)
      throw Error(8001, {file, number, int(first) + 1}, "rom",
                  fmt::format("'{}' is not one 8-digit hex word", token));
    words.push_back(uint32_t(std::stoul(token, nullptr, 16)));
  }
  return words;
}

}  // namespace pf::gen
