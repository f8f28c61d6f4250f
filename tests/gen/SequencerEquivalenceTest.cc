// The reference interpreter (gen/Interpreter.hh) and the Verilated sequencer RTL
// (gen/templates/pf_pwrseq.v, generated for several shapes by tests/gen/interpreter.cmake)
// run the same random programs in the same closed-loop environment, and every output is
// compared after every clock edge. The RTL runs with its own assertions on (--assert).
// Coverage counters make sure the programs reach the interesting behaviour, and a model
// with a planted bug must be caught, so the comparison cannot pass vacuously.
//
// PF_SEQ_SEED=<n> in the environment changes the base seed (the default is fixed, so a
// failure reproduces; its message names the seed and the program).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <map>

#include "gen/Interpreter.hh"
#include "tests/gen/SequencerCosim.hh"
#include "tests/gen/SequencerDut.hh"
#include "tests/gen/SequencerRandomProgram.hh"
#include "tests/gen/SequencerSpec.hh"

namespace pf::gen {
namespace {

constexpr int kProgramsPerShape = 500;  // 3 shapes: 1500 programs
constexpr int kMaxMutantPrograms = 300;

uint64_t baseSeed() {
  const char *text = std::getenv("PF_SEQ_SEED");
  return text ? std::strtoull(text, nullptr, 0) : 0x5eed'1460'152bULL;
}

const SequencerModel &modelNamed(const std::string &name) {
  for (const SequencerModel &m : sequencerModels())
    if (m.name == name) return m;
  throw std::runtime_error("no Verilated model " + name);
}

std::vector<std::string> originalModels() {
  std::vector<std::string> names;
  for (const SequencerModel &m : sequencerModels())
    if (m.mutation.empty()) names.push_back(m.name);
  return names;
}

struct ProgramRun {
  RandomProgram program;
  CosimResult result;
  uint64_t seed = 0;
};

// Program `index` of a model's sequence: its own seed, so any one can be rerun alone.
ProgramRun runProgram(SequencerDut &dut, const SequencerParams &params, uint64_t seed) {
  Rng rng(seed);
  ProgramRun run;
  run.seed = seed;
  run.program = randomProgram(params, rng);
  const EnvironmentProfile profile = randomProfile(rng);
  run.result = coSimulate(dut, params, run.program.words, profile, rng());
  return run;
}

std::string failureReport(const std::string &model, const ProgramRun &run,
                          const SequencerParams &params) {
  return fmt::format("{}: program seed {:#x} ({}):\n{}\nprogram:\n{}", model, run.seed,
                     run.program.kind, run.result.failure, listing(run.program.words, params));
}

// What the random programs must reach on a shape (only what the shape makes possible).
void expectCoverage(const Coverage &c, const SequencerParams &p) {
  bool retention = false;
  for (bool r : p.has_retention) retention = retention || r;
  bool slow_only = false;  // some domain needs a slower clock than the fastest on some rail
  for (int v : p.div_min) slow_only = slow_only || (v > 0 && v < p.dividers);
  EXPECT_GE(c.domains_on, 3000);
  EXPECT_GE(c.long_chains, 1000);
  EXPECT_GE(c.sleep_wakes, 500);
  EXPECT_GE(c.clock_stops, 100);
  EXPECT_GE(c.jumps, 1000);
  EXPECT_GE(c.halts, 30);
  EXPECT_GE(c.overruns, 20);
  if (retention) {
    EXPECT_GE(c.retentions, 200);
  }
  if (p.rails > 1) {
    EXPECT_GE(c.rail_changes, 300);
  }
  if (slow_only) {
    EXPECT_GE(c.ready_waits, 50);
  }
  for (int cause = 1; cause <= 5; ++cause)
    EXPECT_GE(c.errors[size_t(cause)], 10) << "error cause " << cause;
  EXPECT_GE(c.errors[0], kProgramsPerShape / 4) << "programs ending without an error";
  EXPECT_GE(c.long_lived, kProgramsPerShape / 5) << "programs running after 1000 cycles";
  // Every move of the RTL's domain FSM, every opcode taking effect, and the illegal uses.
  using S = DomainState;
  std::vector<std::pair<S, S>> moves = {
      {S::Off, S::Wake}, {S::Wake, S::Ready}, {S::Ready, S::On}, {S::On, S::Iso}, {S::Iso, S::Off}};
  if (retention)
    moves.insert(moves.end(),
                 {{S::Iso, S::RetIn}, {S::RetIn, S::Ret}, {S::Ret, S::Wake}, {S::Ret, S::Off}});
  if (p.rails > 1) moves.insert(moves.end(), {{S::Iso, S::Break}, {S::Break, S::Wake}});
  for (const auto &[from, to] : moves)
    EXPECT_GE(c.transitions[size_t(from)][size_t(to)], 50)
        << domainStateName(from) << " -> " << domainStateName(to);
  for (int op = 1; op <= 14; ++op) {
    if ((Opcode(op) == Opcode::Rail && p.rails == 1) || (Opcode(op) == Opcode::Ret && !retention))
      continue;
    EXPECT_GE(c.executed[size_t(op)], 50) << opcodeName(Opcode(op)) << " executed";
  }
  for (Opcode op : {Opcode::PwrOn, Opcode::PwrOff, Opcode::Ret, Opcode::Rail, Opcode::Div,
                    Opcode::Run, Opcode::Sleep})
    EXPECT_GE(c.refused[size_t(op)], 3) << opcodeName(op) << " refused";
}

class RandomPrograms : public testing::TestWithParam<std::string> {};

TEST_P(RandomPrograms, MatchTheRtlEveryOutputEveryCycle) {
  const SequencerModel &model = modelNamed(GetParam());
  const SequencerParams params = parseSequencerSpec(model.spec);
  const std::unique_ptr<SequencerDut> dut = model.make();
  const auto begin = std::chrono::steady_clock::now();
  Coverage coverage;
  std::map<std::string, int> kinds;
  const uint64_t base = baseSeed() ^ std::hash<std::string>{}(model.name);
  for (int i = 0; i < kProgramsPerShape; ++i) {
    const ProgramRun run = runProgram(*dut, params, base + uint64_t(i));
    ASSERT_EQ(run.result.failure, "") << failureReport(model.name, run, params);
    coverage.add(run.result.coverage);
    ++kinds[run.program.kind];
    if (std::getenv("PF_SEQ_VERBOSE"))
      fmt::print("program {} ({}, {} words): {}\n{}", i, run.program.kind, run.program.words.size(),
                 run.result.ending,
                 std::string(std::getenv("PF_SEQ_VERBOSE")) == "2"
                     ? listing(run.program.words, params)
                     : "");
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  std::string kind_text;
  for (const auto &[kind, n] : kinds) kind_text += fmt::format(" {} {}", kind, n);
  fmt::print("{}: {}\n  program kinds:{}; {:.2f} s\n", model.name, coverage.text(), kind_text,
             seconds);
  RecordProperty("coverage", coverage.text());
  expectCoverage(coverage, params);
}

INSTANTIATE_TEST_SUITE_P(SequencerEquivalence, RandomPrograms, testing::ValuesIn(originalModels()),
                         [](const testing::TestParamInfo<std::string> &param) {
                           return param.param;
                         });

// The comparison can fail: the mutant (a domain leaves READY only when the divider is
// strictly slower than it needs) must be told apart from the interpreter.
TEST(SequencerEquivalence, MutantIsCaught) {
  const SequencerModel *mutant = nullptr;
  for (const SequencerModel &m : sequencerModels())
    if (!m.mutation.empty()) mutant = &m;
  ASSERT_NE(mutant, nullptr);
  const SequencerParams params = parseSequencerSpec(mutant->spec);
  const std::unique_ptr<SequencerDut> dut = mutant->make();
  const uint64_t base = baseSeed() ^ 0x6d75'7461'6e74ULL;
  for (int i = 0; i < kMaxMutantPrograms; ++i) {
    const ProgramRun run = runProgram(*dut, params, base + uint64_t(i));
    if (run.result.failure.empty()) continue;
    fmt::print("mutant '{}' caught by program {}:\n{}\n", mutant->mutation, i, run.result.failure);
    EXPECT_NE(run.result.failure.find("interpreter"), std::string::npos);
    return;
  }
  FAIL() << "the mutant '" << mutant->mutation << "' survived " << kMaxMutantPrograms
         << " programs";
}

// gen::decode (the interpreter's legality of a word) agrees with the RTL's enc_ok: from
// reset, one edge executes the word; the error cause is 1 exactly for illegal encodings.
class Encodings : public testing::TestWithParam<std::string> {};

std::vector<uint32_t> wordsToTry(const SequencerParams &p, Rng &rng) {
  std::vector<uint32_t> words;
  for (uint32_t op = 0; op < 16; ++op) {
    const uint32_t base = op << 28;
    words.push_back(base);
    for (int bit = 0; bit < 28; ++bit) words.push_back(base | (1u << bit));
    for (uint32_t domain = 0; domain < 32; ++domain)
      for (uint32_t rail = 0; rail < 8; ++rail) words.push_back(base | domain << 23 | rail << 20);
    for (uint32_t low : {uint32_t(p.dividers - 1), uint32_t(p.dividers), uint32_t(p.rom_depth - 1),
                         uint32_t(p.rom_depth), 0xffffu, 0xffffffu, 1u << (p.domains % 16)})
      for (uint32_t high : {0u, 1u << 27}) words.push_back(base | high | (low & 0x0fffffffu));
    for (int i = 0; i < 400; ++i) words.push_back(base | uint32_t(rng() & 0x0fffffffu));
  }
  return words;
}

TEST_P(Encodings, AgreeWithTheRtl) {
  const SequencerModel &model = modelNamed(GetParam());
  const SequencerParams params = parseSequencerSpec(model.spec);
  const std::unique_ptr<SequencerDut> dut = model.make();
  Rng rng(baseSeed());
  int legal = 0, illegal = 0;
  for (uint32_t word : wordsToTry(params, rng)) {
    Interpreter interpreter(params, {word});
    dut->setRom({word});
    dut->reset();
    const SequencerInputs in{};
    interpreter.step(in);
    dut->step(in);
    const std::optional<std::string> difference =
        firstDifference(interpreter.outputs(), dut->outputs());
    ASSERT_FALSE(difference) << fmt::format("word {:08x} ({}): {}", word,
                                            disassemble(word, params.shape()), *difference);
    const bool encoding_error = dut->outputs().err && dut->outputs().err_cause == 1;
    ASSERT_EQ(encoding_error, !decode(word, params.shape())) << fmt::format("word {:08x}", word);
    ++(encoding_error ? illegal : legal);
  }
  EXPECT_FALSE(dut->assertionFailed());
  EXPECT_GT(legal, 500);
  EXPECT_GT(illegal, 500);
}

INSTANTIATE_TEST_SUITE_P(SequencerEquivalence, Encodings, testing::ValuesIn(originalModels()),
                         [](const testing::TestParamInfo<std::string> &param) {
                           return param.param;
                         });

}  // namespace
}  // namespace pf::gen
