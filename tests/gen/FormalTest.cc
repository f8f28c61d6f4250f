// k-induction proofs of the sequencer's safety rules (gen/Formal.hh, docs/proofs.md): for
// every rail count with arbitrary ROM contents, for a given ROM image, and with bugs
// planted in the template, which the proof must catch with the rule and the step.
//
// Each test is one proof (about 10-50 s of CPU), so ctest can run them in parallel; the
// secondary parameters differ between the rail counts so the suite covers more corners
// (dividers 1 and 8, ROM depths 8 and 16, the longest and the shortest power-good timeout)
// at no extra cost.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "core/Error.hh"
#include "gen/Compiler.hh"
#include "gen/Formal.hh"
#include "gen/Microcode.hh"
#include "gen/Sequencer.hh"

namespace pf::gen {
namespace {

namespace fs = std::filesystem;

// One scratch directory per test process (ctest runs every test in its own process),
// removed when the test passes and kept, with the traces, when it fails or when
// PF_FORMAL_KEEP is set (docs/proofs.md: rerunning a proof by hand).
class Scratch {
 public:
  Scratch() {
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / fmt::format("pf_formal_{}", ::getpid()) /
           fmt::format("{}.{}", info->test_suite_name(), info->name());
    fs::remove_all(dir_);
  }
  ~Scratch() {
    if (::testing::Test::HasFailure() || std::getenv("PF_FORMAL_KEEP"))
      std::cout << "proof files kept in " << dir_.string() << "\n";
    else
      fs::remove_all(dir_.parent_path());
  }
  Scratch(const Scratch &) = delete;
  Scratch &operator=(const Scratch &) = delete;
  std::string path(const std::string &name = "") const { return (dir_ / name).string(); }

 private:
  fs::path dir_;
};

// ---- parameters --------------------------------------------------------------------------

struct Shape {
  int rails;
  int domains;
  int dividers;
  int depth;
  int pg_timeout;
};

// Retention on every other domain from the fifth on (the default design's SRAM banks
// follow its PE groups); DIV_MIN mixes every divider index, indices past the table and
// "never" (15), so rails a domain may not use at all occur too.
SequencerParams paramsFor(const Shape &shape) {
  SequencerParams params;
  params.rails = shape.rails;
  params.domains = shape.domains;
  params.dividers = shape.dividers;
  params.rom_depth = shape.depth;
  params.pg_timeout_cycles = shape.pg_timeout;
  for (int d = 0; d < shape.domains; ++d) params.has_retention.push_back(d >= 4 || d % 2 == 1);
  for (int d = 0; d < shape.domains; ++d)
    for (int r = 0; r < shape.rails; ++r) {
      const int pick = (3 * d + 5 * r) % (shape.dividers + 2);
      params.div_min.push_back(pick == shape.dividers + 1 ? kDividerNever : pick);
    }
  return params;
}

SequencerParams tinyParams() { return paramsFor({1, 1, 1, 2, 1}); }

// Like the default design: 12 switchable domains, 6 dividers.
constexpr Shape kDefaultLike{3, 12, 6, 16, 3};
// The planted bugs' shape: the default design's rails and dividers with four domains (two
// with retention). Each bug is in every domain's logic, so a smaller netlist shows it as
// well, and the proof's netlist and its base case take a third of the time.
constexpr Shape kPlantedBugShape{3, 4, 6, 16, 3};

ProofResult prove(const SequencerParams &params, ProofOptions options) {
  const ProofResult result = proveSequencer(params, options);
  std::cout << fmt::format("R={} domains={} dividers={} depth={} pg_timeout={} rom={}\n",
                           params.rails, params.domains, params.dividers, params.rom_depth,
                           params.pg_timeout_cycles, options.rom_image ? "image" : "anyconst")
            << result.report() << std::flush;
  return result;
}

void expectProven(const ProofResult &result, bool with_cover) {
  EXPECT_TRUE(result.passed) << result.report() << "\n" << result.log;
  ASSERT_EQ(result.stages.size(), with_cover ? 4u : 3u);  // synthesis, bmc, induction, cover
  for (const ProofStage &stage : result.stages) EXPECT_EQ(stage.status, "passed") << stage.name;
  if (with_cover) {
    EXPECT_FALSE(result.covers.empty()) << "the harness admits no run";
  }
}

// ---- arbitrary ROM contents, per rail count ------------------------------------------------

// The base case needs only k = 2 steps for the proof (with the induction step k = 2, it
// covers every reachable state); more steps only find a broken design's failure from
// reset sooner, which the planted-bug tests do. Every rail count takes 6 (z3's time grows
// faster than the steps: 10 steps took three times as long on three rails). The cover
// (a layer starts with a domain out of isolation, step 5) shows once that the anyconst
// harness admits real runs; the harness is the same for every R.
void proveAnyRom(const Shape &shape, int bmc_steps, int cover_steps) {
  Scratch scratch;
  ProofOptions options;
  options.work_dir = scratch.path();
  options.bmc_steps = bmc_steps;
  options.cover_steps = cover_steps;
  expectProven(prove(paramsFor(shape), options), cover_steps > 0);
}

TEST(FormalAnyRom, OneRail) { proveAnyRom({1, 12, 1, 16, 65535}, 6, 0); }
TEST(FormalAnyRom, TwoRails) { proveAnyRom({2, 12, 8, 8, 1}, 6, 0); }
TEST(FormalAnyRom, ThreeRails) { proveAnyRom(kDefaultLike, 6, 8); }
TEST(FormalAnyRom, FourRails) { proveAnyRom({4, 12, 6, 16, 3}, 6, 0); }
TEST(FormalAnyRom, EightRails) { proveAnyRom({8, 12, 6, 16, 3}, 6, 0); }

// A ROM depth that is not a power of two: pc_u < DEPTH_U is inductive only with the
// template's invariant "M_WAIT implies pc below the last word" (without it, mode == M_WAIT
// with pc at the last word, unreachable but not excluded, lets pc run past the ROM for
// any k; docs/proofs.md).
TEST(FormalAnyRom, RomDepthNotAPowerOfTwo) { proveAnyRom({2, 4, 3, 13, 2}, 6, 0); }

// ---- a given ROM image -----------------------------------------------------------------------

// Proves the rules for one program in the ROM module the chip uses. The cover run shows
// the program's last word executes without an error, so the image is really loaded and
// legal on at least one path. The default schedule's compiled ROM goes through here too.
void expectImageProven(const SequencerParams &params, const std::vector<uint32_t> &image,
                       int cover_steps) {
  for (size_t address = 0; address < image.size(); ++address)
    ASSERT_TRUE(decode(image[address], params.shape()))
        << "word " << address << " is illegal: " << disassemble(image[address], params.shape());
  Scratch scratch;
  ProofOptions options;
  options.work_dir = scratch.path();
  options.rom_image = image;
  options.cover_steps = cover_steps;
  const ProofResult result = prove(params, options);
  expectProven(result, true);
  EXPECT_EQ(result.covers.size(), 2u) << "the image's last word never ran without an error";
}

Instruction on(int domain, int rail) { return {Opcode::PwrOn, domain, rail}; }
Instruction rail(int domain, int rail) { return {Opcode::Rail, domain, rail}; }
Instruction off(int domain) { return {Opcode::PwrOff, domain}; }
Instruction ret(int domain) { return {Opcode::Ret, domain}; }
Instruction div(int index) { return {Opcode::Div, 0, 0, index}; }
Instruction op(Opcode code, uint32_t imm = 0, bool flag = false, int half = 0) {
  return {code, 0, 0, 0, imm, half, flag};
}

// The default design's rails with its PE groups and two of its banks: PE groups d0-d3,
// SRAM banks d4-d5 with retention (the program uses d0, d1 and d4; the banks the default
// design has beyond these would only make the netlist twice as large); rails 0.6, 0.8 and
// 1.1 V on which a domain may run at divider index 3, 1 and 0; d3 never on the lowest rail.
SequencerParams handProgramParams() {
  SequencerParams params = paramsFor({3, 6, 6, 32, 20});
  for (int d = 0; d < params.domains; ++d) {
    params.has_retention[size_t(d)] = d >= 4;
    for (int r = 0; r < params.rails; ++r)
      params.div_min[size_t(d * params.rails + r)] = (d == 3 && r == 0) ? kDividerNever
                                                     : r == 0           ? 3
                                                     : r == 1           ? 1
                                                                        : 0;
  }
  return params;
}

// Power a PE group and a bank on, run a layer; then every period: the bank to retention,
// a second group on, rails up, the clock faster, a layer; the clock slower before the
// rails come down, a group off, the bank back from retention, sleep, a layer, and back.
std::vector<uint32_t> handProgram() {
  const std::vector<Instruction> program = {
      on(0, 1),                    //  0
      on(4, 1),                    //  1
      op(Opcode::Settle),          //  2
      div(1),                      //  3  d0, d4 on 0.8 V may run at index 1
      op(Opcode::Wait, 1),         //  4  the divider switch
      op(Opcode::Desc, 8),         //  5  descriptors at 0x40
      op(Opcode::Need, 0x0011),    //  6  d0, d4
      op(Opcode::Run, 2, true),    //  7  RUN.WAIT 2
      ret(4),                      //  8  loop:
      on(1, 2),                    //  9
      rail(0, 2),                  // 10  break-before-make onto 1.1 V
      op(Opcode::Settle),          // 11
      div(0),                      // 12  the fastest clock: every on domain at 1.1 V
      op(Opcode::Need, 0x0003),    // 13
      op(Opcode::Run, 1),          // 14
      op(Opcode::Sync),            // 15
      div(1),                      // 16  slower before a rail comes down
      rail(0, 1),                  // 17
      off(1),                      // 18
      on(4, 1),                    // 19  the bank back from retention
      op(Opcode::Settle),          // 20
      op(Opcode::Sleep, 0, true),  // 21  SLEEP.STOP until the period tick
      op(Opcode::Need, 0x0011),    // 22
      op(Opcode::Run, 1, true),    // 23
      op(Opcode::Jump, 8),         // 24
  };
  std::vector<uint32_t> words;
  for (const Instruction &instruction : program) words.push_back(encode(instruction));
  return words;
}

TEST(FormalImage, HandAssembledProgramThreeRails) {
  expectImageProven(handProgramParams(), handProgram(), 60);
}

// The schedule compiler's output (gen/Compiler.hh) for a small two-layer schedule on two
// rails: a look-ahead wake-up, a rail change after a slower clock, a bank to retention
// and back, everything off in idle.
TEST(FormalImage, CompiledTwoLayerProgramTwoRails) {
  using sched::DomainMode;
  const sched::DomainState off{DomainMode::Off, -1}, retained{DomainMode::Retention, -1};
  const auto on = [](int rail) { return sched::DomainState{DomainMode::On, rail}; };
  SequencerParams params = paramsFor({2, 3, 3, 64, 10});
  params.has_retention = {false, false, true};
  params.div_min = {2, 0, 2, 0, 1, 0};  // [d * 2 + r]: the low rail needs a slower clock
  ProgramSpec spec;
  spec.domain_names = {"pe0", "pe1", "bank"};
  spec.has_retention = params.has_retention;
  spec.div_min = params.div_min;
  spec.rails = params.rails;
  spec.dividers = params.dividers;
  spec.rom_depth = params.rom_depth;
  spec.divider_switch_cycles.assign(size_t(params.dividers), 2);
  spec.idle_name = "idle";
  spec.idle = {{off, off, off}, -1};
  spec.idle_lookahead_in = {false, false, false};
  spec.layers = {
      {"l0", {{on(1), off, on(1)}, 0}, {true, false, true}, {false, false, false}, 0x100, 2},
      {"l1", {{on(0), on(0), retained}, 2}, {true, true, false}, {false, true, true}, 0x180, 1}};
  expectImageProven(params, compileProgram(spec).words(), 80);
}

// ---- planted bugs ------------------------------------------------------------------------------

// The template with `from` replaced by `to`; fails the test if `from` is not there, so a
// changed template cannot make a mutant test silently prove the unmodified design.
std::string mutated(const std::string &from, const std::string &to) {
  std::string text = sequencerTemplate();
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "the template no longer contains:\n" << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "ambiguous mutation:\n" << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  EXPECT_NE(text, sequencerTemplate());
  return text;
}

ProofResult proveMutant(const std::string &from, const std::string &to) {
  Scratch scratch;
  ProofOptions options;
  options.work_dir = scratch.path();
  options.template_text = mutated(from, to);
  ProofResult result = prove(paramsFor(kPlantedBugShape), options);
  std::cout << "planted bug: '" << from << "' -> '" << to << "'\n" << result.summary() << "\n";
  EXPECT_FALSE(result.passed);
  EXPECT_EQ(result.stage, "bmc") << "a real bug is reachable from reset";
  EXPECT_GT(result.failed_step, 0);
  EXPECT_TRUE(fs::exists(result.counterexample_vcd)) << result.counterexample_vcd;
  EXPECT_FALSE(result.counterexample_program.empty());
  EXPECT_NE(result.summary().find(fmt::format("failed at step {} of BMC", result.failed_step)),
            std::string::npos)
      << result.summary();
  return result;
}

// A waking domain leaves isolation while its power-good is still low: rule (b).
TEST(FormalMutant, IsolationReleasedBeforePowerGood) {
  const ProofResult result = proveMutant(
      "        end else if (dcnt[d*16+:16] == TIMEOUT) timeout_any = 1'b1;\n"
      "        else dcnt_n[d*16+:16] = dcnt[d*16+:16] + 16'd1;\n"
      "        D_READY:",
      "        end else if (dcnt[d*16+:16] == TIMEOUT) timeout_any = 1'b1;\n"
      "        else begin\n"
      "          dcnt_n[d*16+:16] = dcnt[d*16+:16] + 16'd1;\n"
      "          iso_n[d] = 1'b0;  // planted bug\n"
      "        end\n"
      "        D_READY:");
  ASSERT_FALSE(result.failures.empty());
  const FailedAssertion &first = result.failures.front();
  EXPECT_TRUE(first.safety_rule);
  EXPECT_EQ(first.rule.rfind("(b)", 0), 0u) << first.rule;
  EXPECT_NE(first.rule.find("isolat"), std::string::npos) << first.rule;
  EXPECT_NE(first.text.find("assert (p_pgood[fd] && p_sw[fd])"), std::string::npos) << first.text;
}

// A layer starts although a domain it needs is not on: rule (c).
TEST(FormalMutant, RunWithoutCheckingNeed) {
  const ProofResult result =
      proveMutant("OP_RUN:     use_ok = !busy && need_ready;", "OP_RUN:     use_ok = !busy;");
  ASSERT_FALSE(result.failures.empty());
  const FailedAssertion &first = result.failures.front();
  EXPECT_TRUE(first.safety_rule);
  EXPECT_EQ(first.rule.rfind("(c)", 0), 0u) << first.rule;
  EXPECT_NE(first.text.find("if (start && chain_need[fd]) begin ... assert (dom_sw[fd]"),
            std::string::npos)
      << first.text;
}

// An assumption that admits no run would make every assertion hold: caught, not a pass.
TEST(FormalRefusal, ContradictingAssumptionsAreNotAProof) {
  Scratch scratch;
  ProofOptions options;
  options.work_dir = scratch.path();
  options.template_text = mutated("  wire f_step = f_past_valid && p_rst_n;",
                                  "  wire f_step = f_past_valid && p_rst_n;\n"
                                  "  always @(*) assume (dom_pgood != dom_pgood);  // planted");
  const ProofResult result = proveSequencer(tinyParams(), options);
  std::cout << result.report();
  EXPECT_FALSE(result.passed);
  EXPECT_EQ(result.stage, "bmc");
  EXPECT_NE(result.summary().find("admit no run"), std::string::npos) << result.summary();
}

// ---- refusals and tool failures ------------------------------------------------------------

TEST(FormalRefusal, BadParametersAndOptionsBeforeAnyTool) {
  auto expectRefused = [](const SequencerParams &params, const ProofOptions &options,
                          const std::string &field) {
    try {
      proveSequencer(params, options);
      ADD_FAILURE() << "not refused: " << field;
    } catch (const Error &error) {
      EXPECT_EQ(error.id(), 8201) << error.formatted();
      EXPECT_EQ(error.field(), field) << error.formatted();
    }
  };
  ProofOptions options;
  options.work_dir = "/nonexistent/never-created";
  SequencerParams params = tinyParams();
  params.rails = 0;
  expectRefused(params, options, "sequencer");
  ProofOptions shallow = options;
  shallow.bmc_steps = 1;
  expectRefused(tinyParams(), shallow, "bmc_steps");
  ProofOptions long_image = options;
  long_image.rom_image = std::vector<uint32_t>(3, encode(op(Opcode::Halt)));
  expectRefused(tinyParams(), long_image, "rom_image");
  ProofOptions nowhere;
  expectRefused(tinyParams(), nowhere, "work_dir");
  EXPECT_FALSE(fs::exists(options.work_dir));
}

TEST(FormalRefusal, YosysErrorIsAToolFailure) {
  Scratch scratch;
  ProofOptions options;
  options.work_dir = scratch.path();
  options.template_text = mutated("  assign rom_addr = pc;", "  assign rom_addr = pc +;");
  try {
    proveSequencer(tinyParams(), options);
    ADD_FAILURE() << "a syntax error was not reported";
  } catch (const Error &error) {
    std::cout << error.formatted() << "\n";
    EXPECT_EQ(error.id(), 8203);
    EXPECT_NE(error.message().find("ERROR"), std::string::npos) << error.message();
  }
}

// A solver that dies is a broken tool, not a failed (or passed) proof.
TEST(FormalRefusal, BrokenSolverIsAToolFailure) {
  Scratch scratch;
  const fs::path bin = fs::path(scratch.path()) / "bin";
  fs::create_directories(bin);
  {
    std::ofstream fake(bin / "z3");
    fake << "#!/bin/sh\necho 'z3: cannot run' >&2\nexit 1\n";
  }
  fs::permissions(bin / "z3", fs::perms::owner_all);
  const std::string path = std::getenv("PATH");
  ::setenv("PATH", (bin.string() + ":" + path).c_str(), 1);
  ProofOptions options;
  options.work_dir = scratch.path("proof");
  try {
    proveSequencer(tinyParams(), options);
    ADD_FAILURE() << "a broken solver was not reported";
  } catch (const Error &error) {
    std::cout << error.formatted() << "\n";
    EXPECT_EQ(error.id(), 8204);
    EXPECT_NE(error.message().find("no verdict"), std::string::npos) << error.message();
  }
  ::setenv("PATH", path.c_str(), 1);
}

}  // namespace
}  // namespace pf::gen
