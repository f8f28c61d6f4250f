// Golden files of the generators on small hand-written specs: the listing, the ROM image
// and the sequencer RTL. A change to the compiler or the template shows up here as a diff
// to review; when it is intended, `make bless-golden` rewrites the files (PF_BLESS_GOLDEN=1).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "core/Files.hh"
#include "gen/Compiler.hh"
#include "gen/Sequencer.hh"

namespace pf::gen {
namespace {

using sched::DomainMode;
using sched::DomainState;

const DomainState kOff{DomainMode::Off, -1};
const DomainState kRet{DomainMode::Retention, -1};
DomainState on(int rail) { return {DomainMode::On, rail}; }

struct GoldenCase {
  std::string name;
  SequencerParams params;
  ProgramSpec spec;
};

void PrintTo(const GoldenCase &golden_case, std::ostream *os) { *os << golden_case.name; }

ProgramSpec specFor(const SequencerParams &params, std::vector<std::string> names) {
  ProgramSpec spec;
  spec.domain_names = std::move(names);
  spec.has_retention = params.has_retention;
  spec.div_min = params.div_min;
  spec.rails = params.rails;
  spec.dividers = params.dividers;
  spec.rom_depth = params.rom_depth;
  spec.divider_switch_cycles.assign(size_t(params.dividers), 3);
  spec.idle_name = "all off, clock stopped";
  spec.idle = {std::vector<DomainState>(spec.domain_names.size(), kOff), -1};
  spec.idle_lookahead_in.assign(spec.domain_names.size(), false);
  return spec;
}

ProgramLayer layer(std::string name, std::vector<DomainState> domains, int divider,
                   std::vector<bool> uses, std::vector<bool> lookahead, uint32_t addr,
                   int64_t count) {
  return {std::move(name),
          {std::move(domains), divider},
          std::move(uses),
          std::move(lookahead),
          addr,
          count};
}

// One PE group and one bank, one rail: power up, run, retain the bank, run, power down.
GoldenCase tiny() {
  SequencerParams p;
  p.module_name = "tiny_pwrseq";
  p.rails = 1, p.domains = 2, p.dividers = 2, p.rom_depth = 32, p.pg_timeout_cycles = 40;
  p.has_retention = {false, true};
  p.div_min = {0, 0};
  ProgramSpec s = specFor(p, {"pe", "bank"});
  s.layers = {layer("conv", {on(0), on(0)}, 0, {true, true}, {false, false}, 0x1000, 3),
              layer("pool", {on(0), kRet}, 1, {true, false}, {false, true}, 0x10c0, 1)};
  return {"tiny", p, s};
}

// Two rails, three domains: a rail change down after slowing the clock, a look-ahead
// wake-up during the previous layer, a bank that leaves retention, a faster clock after
// the voltage rises.
GoldenCase twoRails() {
  SequencerParams p;
  p.module_name = "duo_pwrseq";
  p.rails = 2, p.domains = 3, p.dividers = 3, p.rom_depth = 64, p.pg_timeout_cycles = 100;
  p.has_retention = {false, false, true};
  p.div_min = {2, 0, 2, 0, 1, 0};  // [d * 2 + r]: rail 0 needs divider index >= 2 (>= 1 bank)
  ProgramSpec s = specFor(p, {"pe0", "pe1", "buf"});
  s.layers = {
      layer("l0", {on(1), kOff, on(1)}, 0, {true, false, true}, {false, false, false}, 0x0, 2),
      layer("l1", {on(0), on(0), kRet}, 2, {true, true, false}, {false, true, true}, 0x80, 1),
      layer("l2", {on(1), on(1), on(1)}, 0, {true, true, true}, {false, false, false}, 0xc0, 4)};
  return {"two_rails", p, s};
}

// More than 16 domains (NEED in two halves) on four rails.
GoldenCase wide() {
  SequencerParams p;
  p.module_name = "wide_pwrseq";
  p.rails = 4, p.domains = 20, p.dividers = 4, p.rom_depth = 128, p.pg_timeout_cycles = 200;
  std::vector<std::string> names;
  for (int d = 0; d < 20; ++d) {
    names.push_back("d" + std::to_string(d));
    p.has_retention.push_back(d >= 10);
    for (int r = 0; r < 4; ++r) p.div_min.push_back(3 - r);
  }
  ProgramSpec s = specFor(p, names);
  std::vector<DomainState> all_top(20, on(3)), half(20, kOff);
  std::vector<bool> all(20, true), low(20, false), none(20, false);
  for (int d = 0; d < 10; ++d) half[d] = on(1), low[d] = true;
  s.layers = {layer("big", all_top, 0, all, none, 0x4000, 100),
              layer("small", half, 2, low, none, 0x5900, 7)};
  return {"wide", p, s};
}

std::string goldenPath(const std::string &file) {
  return std::string(PF_SOURCE_DIR) + "/tests/gen/golden/" + file;
}

void checkGolden(const std::string &file, const std::string &text) {
  if (std::getenv("PF_BLESS_GOLDEN")) {
    writeFileAtomic(goldenPath(file), text);
    return;
  }
  const std::string expected = readTextFile(goldenPath(file));
  EXPECT_TRUE(expected == text) << file << " differs from tests/gen/golden/" << file
                                << " (review the change; `make bless-golden` if intended)\n"
                                << text;
}

class Golden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(Golden, ListingRomAndRtlMatchTheGoldenFiles) {
  const GoldenCase &c = GetParam();
  const Program program = compileProgram(c.spec);
  const std::string banner = "// golden test: " + c.name + "\n";
  NameTable names;
  names.domains = c.spec.domain_names;
  checkGolden(c.name + ".lst", programListing(program, c.params.shape(), names, banner));
  checkGolden(c.name + ".memh", romImage(program.words(), banner, c.params.rom_depth));
  checkGolden(c.name + ".v", sequencerVerilog(c.params, "golden test " + c.name));
}

INSTANTIATE_TEST_SUITE_P(Specs, Golden, ::testing::Values(tiny(), twoRails(), wide()),
                         [](const auto &spec_info) { return spec_info.param.name; });

}  // namespace
}  // namespace pf::gen
