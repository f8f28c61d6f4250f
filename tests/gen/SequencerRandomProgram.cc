#include "tests/gen/SequencerRandomProgram.hh"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "gen/Microcode.hh"

namespace pf::gen {

namespace {

// ---- instructions ------------------------------------------------------------------------

Instruction make(Opcode op) {
  Instruction in;
  in.op = op;
  return in;
}
Instruction withDomain(Opcode op, int domain, int rail = 0) {
  Instruction in = make(op);
  in.domain = domain;
  in.rail = rail;
  return in;
}
Instruction divInstruction(int divider) {
  Instruction in = make(Opcode::Div);
  in.divider = divider;
  return in;
}
Instruction withImm(Opcode op, uint32_t imm, bool flag = false, int half = 0) {
  Instruction in = make(op);
  in.imm = imm;
  in.flag = flag;
  in.half = half;
  return in;
}

// ---- the generator's rough model of the program's state ----------------------------------

enum class Power { Off, On, Ret };
struct DomainModel {
  Power power = Power::Off;
  int rail = 0;
  bool changing = false;  // commanded, not yet known to be stable (no SETTLE since)
};
struct Model {
  std::vector<DomainModel> domains;
  int div = 0;
  bool busy = false;        // a RUN without wait whose SYNC is still to come
  uint32_t chain_need = 0;  // domains that chain needs
  uint32_t need = 0;        // the NEED register
  bool need_known = true;   // false at a loop head: the register holds last pass's value
};

enum class Ending { Loop, Halt, FallOff };

class Generator {
 public:
  Generator(const SequencerParams &params, Rng &rng) : p_(params), rng_(rng) {
    m_.domains.assign(size_t(p_.domains), {});
    m_.div = slowest();
  }
  RandomProgram run();

 private:
  // random helpers
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <class T>
  T pick(const std::vector<T> &items) {
    return items[size_t(uniform(0, int(items.size()) - 1))];
  }

  // shape facts
  int slowest() const { return p_.dividers - 1; }
  bool runnable(int d, int r) const { return p_.divMin(d, r) <= slowest(); }
  std::vector<int> runnableRails(int d, int except = -1) const;
  int fastestSafeDiv() const;
  bool inChain(int d) const { return m_.busy && (m_.chain_need >> d & 1u); }
  std::vector<int> domainsWhere(bool (*test)(const DomainModel &)) const;
  std::vector<int> stableOn() const;

  // emission
  void emit(const Instruction &in) { words_.push_back(encode(in)); }
  void settle();
  void syncIfBusy();
  void setDiv(int divider);
  void speedUp();

  // actions: each emits a few words and updates the model; false when not applicable
  bool action();
  bool powerOn();
  bool powerDown(Opcode op);
  bool railChange();
  bool divChange();
  bool layer();
  void setNeed(uint32_t mask);
  bool sleep();
  bool wait();
  bool jumpForward();
  void illegalWord();
  bool illegalUse();
  bool divTooFastForReady(const std::vector<int> &off);
  uint32_t randomIllegalWord();

  std::vector<Instruction> restore(const Model &target) const;
  bool fits(Ending ending, const Model &loop_head) const;
  bool attempt(bool bad, Ending ending, const Model &loop_head);
  void finish(Ending ending, const Model &loop_head, uint32_t loop_pc);

  const SequencerParams &p_;
  Rng &rng_;
  std::vector<uint32_t> words_;
  Model m_;
};

std::vector<int> Generator::runnableRails(int d, int except) const {
  std::vector<int> rails;
  for (int r = 0; r < p_.rails; ++r)
    if (r != except && runnable(d, r)) rails.push_back(r);
  return rails;
}

// The fastest divider no domain that is (or is becoming) on would be too fast for.
int Generator::fastestSafeDiv() const {
  int fastest = 0;
  for (int d = 0; d < p_.domains; ++d)
    if (m_.domains[size_t(d)].power == Power::On)
      fastest = std::max(fastest, p_.divMin(d, m_.domains[size_t(d)].rail));
  return fastest;
}

std::vector<int> Generator::domainsWhere(bool (*test)(const DomainModel &)) const {
  std::vector<int> result;
  for (int d = 0; d < p_.domains; ++d)
    if (test(m_.domains[size_t(d)])) result.push_back(d);
  return result;
}

std::vector<int> Generator::stableOn() const {
  return domainsWhere([](const DomainModel &m) { return m.power == Power::On && !m.changing; });
}

void Generator::settle() {
  emit(make(Opcode::Settle));
  for (DomainModel &d : m_.domains) d.changing = false;
}

void Generator::syncIfBusy() {
  if (!m_.busy) return;
  emit(make(Opcode::Sync));
  m_.busy = false;
}

void Generator::setDiv(int divider) {
  syncIfBusy();  // DIV is refused while a chain runs
  emit(divInstruction(divider));
  m_.div = divider;
}

// After a voltage went up: the clock may speed up (DVFS order).
void Generator::speedUp() {
  const int fastest = fastestSafeDiv();
  if (fastest < m_.div) setDiv(uniform(fastest, m_.div - 1));
}

bool Generator::powerOn() {
  const std::vector<int> candidates =
      domainsWhere([](const DomainModel &m) { return m.power != Power::On && !m.changing; });
  if (candidates.empty()) return false;
  const int d = pick(candidates);
  const std::vector<int> rails = runnableRails(d);
  if (rails.empty()) return false;
  const int r = pick(rails);
  const int need_div = p_.divMin(d, r);
  m_.domains[size_t(d)] = {Power::On, r, true};
  if (need_div > m_.div && chance(0.4)) {
    // The domain powers up and waits in READY, isolated, until the clock is slow enough.
    emit(withDomain(Opcode::PwrOn, d, r));
    if (chance(0.7)) emit(withImm(Opcode::Wait, uint32_t(uniform(0, 12))));
    setDiv(uniform(need_div, slowest()));
    settle();
    return true;
  }
  if (need_div > m_.div) setDiv(uniform(need_div, slowest()));
  emit(withDomain(Opcode::PwrOn, d, r));
  if (chance(0.7)) settle();
  return true;
}

// PWR_OFF or RET of a domain that is on, settled and not used by a running chain (or
// PWR_OFF of a domain in retention).
bool Generator::powerDown(Opcode op) {
  std::vector<int> candidates;
  for (int d : stableOn())
    if (!inChain(d) && (op != Opcode::Ret || p_.has_retention[size_t(d)])) candidates.push_back(d);
  if (op == Opcode::PwrOff)  // PWR_OFF also drops a retained domain
    for (int d : domainsWhere([](const DomainModel &m) { return m.power == Power::Ret; }))
      if (!m_.domains[size_t(d)].changing) candidates.push_back(d);
  if (candidates.empty()) return false;
  const int d = pick(candidates);
  emit(withDomain(op, d));
  m_.domains[size_t(d)].power = op == Opcode::Ret ? Power::Ret : Power::Off;
  m_.domains[size_t(d)].changing = true;
  if (chance(0.6)) settle();
  return true;
}

// RAIL in DVFS order: the clock slows down before the voltage goes down; it speeds up only
// after the voltage went up (and SETTLE saw the domain on again).
bool Generator::railChange() {
  std::vector<int> candidates;
  for (int d : stableOn())
    if (!inChain(d) && !runnableRails(d, m_.domains[size_t(d)].rail).empty())
      candidates.push_back(d);
  if (candidates.empty()) return false;
  const int d = pick(candidates);
  const int r = pick(runnableRails(d, m_.domains[size_t(d)].rail));
  const int need_div = p_.divMin(d, r);
  m_.domains[size_t(d)] = {Power::On, r, true};
  if (need_div > m_.div && chance(0.35)) {
    // Out of order on purpose: the domain waits in READY for the slower clock.
    emit(withDomain(Opcode::Rail, d, r));
    if (chance(0.7)) emit(withImm(Opcode::Wait, uint32_t(uniform(0, 12))));
    setDiv(uniform(need_div, slowest()));
    settle();
    return true;
  }
  if (need_div > m_.div) setDiv(uniform(need_div, slowest()));
  emit(withDomain(Opcode::Rail, d, r));
  if (chance(0.75)) {
    settle();
    if (chance(0.5)) speedUp();
  }
  return true;
}

bool Generator::divChange() {
  const int fastest = fastestSafeDiv();
  if (fastest >= slowest()) {  // one choice: set it again (legal, and covers DIV)
    setDiv(m_.div);
    return true;
  }
  int divider = m_.div;
  while (divider == m_.div && fastest < slowest()) divider = uniform(fastest, slowest());
  setDiv(divider);
  return true;
}

void Generator::setNeed(uint32_t mask) {
  emit(withImm(Opcode::Need, mask & 0xffffu, false, 0));
  if (p_.domains > 16) emit(withImm(Opcode::Need, mask >> 16, false, 1));
  m_.need = mask;
  m_.need_known = true;
}

// NEED (when the register names a domain that is not on), DESC, RUN; either RUN.WAIT, or
// RUN with other work while the chain runs and a SYNC later.
bool Generator::layer() {
  if (m_.busy) return false;
  uint32_t on_mask = 0;
  for (int d : stableOn()) on_mask |= 1u << d;
  if (!m_.need_known || (m_.need & ~on_mask) != 0 || chance(0.5)) {
    uint32_t mask = 0;
    for (int d : stableOn())
      if (chance(0.6)) mask |= 1u << d;
    setNeed(mask);
  }
  if (chance(0.3))
    emit(withImm(Opcode::Desc, uint32_t(uniform(0, chance(0.5) ? 255 : (1 << 28) - 1))));
  const uint32_t count = uint32_t(chance(0.2) ? 1 : uniform(2, chance(0.9) ? 4 : 9));
  if (chance(0.5)) {
    emit(withImm(Opcode::Run, count, true));
    return true;
  }
  emit(withImm(Opcode::Run, count, false));
  m_.busy = true;
  m_.chain_need = m_.need;
  if (chance(0.4)) emit(make(Opcode::Sync)), m_.busy = false;
  return true;
}

bool Generator::sleep() {
  syncIfBusy();
  emit(withImm(Opcode::Sleep, 0, chance(0.5)));
  return true;
}

bool Generator::wait() {
  const int n = chance(0.1) ? uniform(100, 400) : (chance(0.2) ? 0 : uniform(1, 30));
  emit(withImm(Opcode::Wait, uint32_t(n)));
  return true;
}

// JUMP over one or two words that are never executed (often illegal ones).
bool Generator::jumpForward() {
  const int skip = uniform(1, 2);
  if (int(words_.size()) + skip + 3 > p_.rom_depth) return false;
  emit(withImm(Opcode::Jump, uint32_t(words_.size() + 1 + size_t(skip))));
  for (int i = 0; i < skip; ++i)
    words_.push_back(chance(0.5) ? randomIllegalWord() : uint32_t(rng_()));
  return true;
}

// An illegal encoding: erased word, opcode 0xF, a reserved bit, an operand out of range
// for this shape, or just a random illegal word.
uint32_t Generator::randomIllegalWord() {
  const SequencerShape shape = p_.shape();
  std::vector<uint32_t> options = {0u,
                                   0xf0000000u | uint32_t(rng_() & 0x0fffffffu),
                                   encode(withImm(Opcode::Settle, 0)) | (1u << uniform(0, 27)),
                                   encode(divInstruction(0)) | (1u << uniform(3, 27)),
                                   encode(withImm(Opcode::Wait, 5)) | (1u << uniform(24, 27)),
                                   0xa0000000u /* RUN 0 */};
  if (p_.domains < kMaxDomains)
    options.push_back(encode(withDomain(Opcode::PwrOff, uniform(p_.domains, kMaxDomains - 1))));
  if (p_.rails < kMaxRails)
    options.push_back(encode(withDomain(Opcode::PwrOn, 0, uniform(p_.rails, kMaxRails - 1))));
  if (p_.dividers < kMaxDividers)
    options.push_back(encode(divInstruction(uniform(p_.dividers, kMaxDividers - 1))));
  if (p_.rom_depth < kMaxRomDepth)
    options.push_back(encode(withImm(Opcode::Jump, uint32_t(uniform(p_.rom_depth, 0xffff)))));
  if (p_.domains < kMaxDomains)
    options.push_back(
        encode(withImm(Opcode::Need, 1u << (p_.domains % 16), false, p_.domains >= 16 ? 1 : 0)));
  for (int tries = 0; tries < 8; ++tries) options.push_back(uint32_t(rng_()));
  for (int tries = 0; tries < 64; ++tries) {
    const uint32_t word = pick(options);
    if (!decode(word, shape)) return word;
  }
  return 0;
}

void Generator::illegalWord() { words_.push_back(randomIllegalWord()); }

// A legal word used where it is illegal.
// DIV k while a domain waits in READY because k is too fast for it: refused like a DIV
// too fast for a domain that is on.
bool Generator::divTooFastForReady(const std::vector<int> &off) {
  for (int d : off)
    for (int r : runnableRails(d)) {
      if (p_.divMin(d, r) <= fastestSafeDiv()) continue;
      const int divider = uniform(fastestSafeDiv(), p_.divMin(d, r) - 1);
      setDiv(divider);
      emit(withDomain(Opcode::PwrOn, d, r));
      emit(withImm(Opcode::Wait, uint32_t(p_.pg_timeout_cycles + 4)));  // power-good is in
      emit(divInstruction(divider));
      return true;
    }
  return false;
}

bool Generator::illegalUse() {
  std::vector<int> on, off;  // settled domains
  for (int d = 0; d < p_.domains; ++d) {
    const DomainModel &m = m_.domains[size_t(d)];
    if (!m.changing) (m.power == Power::On ? on : off).push_back(d);
  }
  switch (uniform(0, 8)) {
    case 0:  // PWR_ON of a domain that is on, or still waking
      if (!on.empty() && chance(0.5)) {
        emit(withDomain(Opcode::PwrOn, pick(on), 0));
        return true;
      }
      for (int d : off)
        if (!runnableRails(d).empty()) {
          emit(withDomain(Opcode::PwrOn, d, runnableRails(d).front()));
          emit(withDomain(Opcode::PwrOn, d, 0));
          return true;
        }
      return false;
    case 1:  // PWR_OFF of a domain that is off, or still waking
      for (int d : off) {
        if (m_.domains[size_t(d)].power == Power::Off && chance(0.5)) {
          emit(withDomain(Opcode::PwrOff, d));
          return true;
        }
        if (runnableRails(d).empty()) continue;
        emit(withDomain(Opcode::PwrOn, d, runnableRails(d).front()));
        emit(withDomain(Opcode::PwrOff, d));
        return true;
      }
      return false;
    case 2:  // RET of a domain without retention or not on
      for (int d : on)
        if (!p_.has_retention[size_t(d)]) {
          emit(withDomain(Opcode::Ret, d));
          return true;
        }
      if (off.empty()) return false;
      emit(withDomain(Opcode::Ret, pick(off)));
      return true;
    case 3:  // RAIL to the rail the domain is on, or of a domain that is not on
      if (!on.empty() && chance(0.7)) {
        const int d = pick(on);
        emit(withDomain(Opcode::Rail, d, m_.domains[size_t(d)].rail));
        return true;
      }
      if (off.empty()) return false;
      emit(withDomain(Opcode::Rail, pick(off), 0));
      return true;
    case 4:  // a clock too fast for a domain that is on, or powered and waiting in READY
      if (chance(0.5)) return divTooFastForReady(off);
      if (fastestSafeDiv() == 0) return false;
      setDiv(fastestSafeDiv() - 1);
      return true;
    case 5:  // RUN while a domain it needs is not on
      if (m_.busy || off.empty()) return false;
      setNeed(1u << pick(off));
      emit(withImm(Opcode::Run, 1, false));
      return true;
    default: {  // DIV, SLEEP or RUN while a chain runs
      if (!m_.busy) {
        setNeed(0);
        emit(withImm(Opcode::Run, 2, false));
      }
      const Instruction misuse[] = {divInstruction(m_.div), withImm(Opcode::Sleep, 0, false),
                                    withImm(Opcode::Run, 1, false)};
      emit(misuse[uniform(0, 2)]);
      return true;
    }
  }
}

bool Generator::action() {
  const int roll = uniform(0, 99);
  if (roll < 20) return powerOn();
  if (roll < 30) return powerDown(Opcode::PwrOff);
  if (roll < 38) return powerDown(Opcode::Ret);
  if (roll < 48) return railChange();
  if (roll < 55) return divChange();
  if (roll < 75) return layer();
  if (roll < 82) return sleep();
  if (roll < 90) return wait();
  if (roll < 94) return jumpForward();
  settle();
  return true;
}

// Back to the loop head's state, in a legal order: slowest clock, every domain to its
// state there (off -> retention through on), then the head's divider.
std::vector<Instruction> Generator::restore(const Model &target) const {
  std::vector<Instruction> out;
  if (m_.busy) out.push_back(make(Opcode::Sync));
  bool changing = false;
  for (const DomainModel &d : m_.domains) changing = changing || d.changing;
  if (changing) out.push_back(make(Opcode::Settle));
  if (m_.div != slowest()) out.push_back(divInstruction(slowest()));
  std::vector<int> second;
  const size_t before = out.size();
  for (int d = 0; d < p_.domains; ++d) {
    const DomainModel &c = m_.domains[size_t(d)], &t = target.domains[size_t(d)];
    if (c.power == t.power && (c.power != Power::On || c.rail == t.rail)) continue;
    if (c.power == Power::On) {
      const Opcode op = t.power == Power::Off   ? Opcode::PwrOff
                        : t.power == Power::Ret ? Opcode::Ret
                                                : Opcode::Rail;
      out.push_back(withDomain(op, d, op == Opcode::Rail ? t.rail : 0));
    } else if (t.power == Power::On) {
      out.push_back(withDomain(Opcode::PwrOn, d, t.rail));
    } else if (t.power == Power::Off) {  // retention -> off
      out.push_back(withDomain(Opcode::PwrOff, d));
    } else {  // off -> retention: wake it first
      out.push_back(withDomain(Opcode::PwrOn, d, runnableRails(d).front()));
      second.push_back(d);
    }
  }
  if (out.size() != before) out.push_back(make(Opcode::Settle));
  for (int d : second)
    out.push_back(withDomain(
        target.domains[size_t(d)].power == Power::Off ? Opcode::PwrOff : Opcode::Ret, d));
  if (!second.empty()) out.push_back(make(Opcode::Settle));
  if (target.div != slowest()) out.push_back(divInstruction(target.div));
  return out;
}

bool Generator::fits(Ending ending, const Model &loop_head) const {
  size_t tail = 0;
  if (ending == Ending::Loop) tail = restore(loop_head).size() + 1;
  if (ending == Ending::Halt) tail = 1;
  return words_.size() + tail <= size_t(p_.rom_depth);
}

void Generator::finish(Ending ending, const Model &loop_head, uint32_t loop_pc) {
  if (ending == Ending::Loop) {
    for (const Instruction &in : restore(loop_head)) emit(in);
    emit(withImm(Opcode::Jump, loop_pc));
  } else if (ending == Ending::Halt) {
    emit(make(Opcode::Halt));
  }
}

// One action (or the illegal word or use), undone when the ending would not fit after it.
bool Generator::attempt(bool bad, Ending ending, const Model &loop_head) {
  const size_t size_before = words_.size();
  const Model model_before = m_;
  if (bad && (chance(0.25) || !illegalUse()))
    illegalWord();
  else if (!bad)
    action();
  // After an illegal word or use the program ends: no ending has to fit.
  if (fits(bad ? Ending::FallOff : ending, loop_head)) return true;
  words_.resize(size_before);
  m_ = model_before;
  return false;
}

RandomProgram Generator::run() {
  const int roll = uniform(0, 99);
  const Ending ending = roll < 65 ? Ending::Loop : (roll < 90 ? Ending::Halt : Ending::FallOff);
  const int prologue = uniform(0, 3);
  const int body = uniform(2, 40);
  // A small share of programs carries one illegal word or use, somewhere in the body.
  const int bad_at = chance(0.3) ? uniform(0, prologue + body - 1) : -1;
  Model loop_head = m_;
  uint32_t loop_pc = 0;
  for (int i = 0; i < prologue + body; ++i) {
    if (ending == Ending::Loop && i == prologue) {
      // The loop head: settled, no chain running, NEED unknown on the next pass.
      syncIfBusy();
      if (std::any_of(m_.domains.begin(), m_.domains.end(),
                      [](const DomainModel &d) { return d.changing; }))
        settle();
      m_.need_known = false;
      loop_head = m_;
      loop_pc = uint32_t(words_.size());
      if (chance(0.7)) sleep();
      if (!fits(ending, loop_head)) return {{}, "empty"};  // cannot happen for DEPTH >= 16
    }
    if (!attempt(i == bad_at, ending, loop_head)) {
      // The ROM is full. A program meant to carry an illegal word or use gets it here.
      if (bad_at > i && attempt(true, ending, loop_head)) return {words_, "illegal"};
      break;
    }
    if (i == bad_at) return {words_, "illegal"};  // the rest would be dead code
  }
  finish(ending, loop_head, loop_pc);
  const char *kind = ending == Ending::Loop   ? "loop"
                     : ending == Ending::Halt ? "halt"
                                              : "falls off";
  return {words_, kind};
}

}  // namespace

RandomProgram randomProgram(const SequencerParams &params, Rng &rng) {
  return Generator(params, rng).run();
}

std::string listing(const std::vector<uint32_t> &words, const SequencerParams &params) {
  std::string text;
  for (size_t a = 0; a < words.size(); ++a)
    text += fmt::format("  {:4}: {:08x}  {}\n", a, words[a], disassemble(words[a], params.shape()));
  return text;
}

}  // namespace pf::gen
