#include "gen/Formal.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/Error.hh"
#include "core/Subprocess.hh"

namespace pf::gen {

namespace {

namespace fs = std::filesystem;

constexpr const char *kHarnessFile = "formal_top.v";
constexpr const char *kRomImageFile = "rom.hex";
constexpr const char *kScriptFile = "formal.ys";
constexpr const char *kSmtFile = "formal.smt2";
constexpr const char *kCommandsFile = "commands.sh";
constexpr int kMaxListedRomWords = 64;  // of a counterexample's program

int addressWidth(int depth) {
  int width = 1;
  while ((1 << width) < depth) ++width;
  return width;
}

[[noreturn]] void badOption(const std::string &field, const std::string &message) {
  throw Error(8201, {}, field, "cannot prove the sequencer: " + message);
}

void checkOptions(const SequencerParams &params, const ProofOptions &options) {
  const std::vector<std::string> problems = checkSequencerParams(params);
  if (!problems.empty()) badOption("sequencer", problems.front());
  if (options.induction_steps < 1) badOption("induction_steps", "must be at least 1");
  // k-induction is sound only if the base case covers the first k steps from reset.
  if (options.bmc_steps < options.induction_steps)
    badOption("bmc_steps", fmt::format("{} is fewer than induction_steps ({})", options.bmc_steps,
                                       options.induction_steps));
  if (options.cover_steps < 0) badOption("cover_steps", "must not be negative");
  if (options.work_dir.empty()) badOption("work_dir", "no work directory given");
  if (options.rom_image) {
    if (options.rom_image->empty()) badOption("rom_image", "the image is empty");
    if (options.rom_image->size() > size_t(params.rom_depth))
      badOption("rom_image", fmt::format("{} words do not fit a ROM of {} words",
                                         options.rom_image->size(), params.rom_depth));
  }
}

void writeFile(const fs::path &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out)
    throw Error(8202, {path.string()}, "work_dir",
                fmt::format("cannot write the file: {}", std::strerror(errno)));
}

std::string shellQuote(const std::string &word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789_-+=./:%") == std::string::npos)
    return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string commandLine(const std::vector<std::string> &argv) {
  std::string line;
  for (const std::string &word : argv) line += (line.empty() ? "" : " ") + shellQuote(word);
  return line;
}

// ---- the design files -------------------------------------------------------------------

std::string designFile(const SequencerParams &params) { return params.module_name + ".v"; }
std::string romFile(const SequencerParams &params) { return params.module_name + "_rom.v"; }

// Bit-blasting before write_smt2 is what makes z3 4.8 usable: on Yosys' word-level SMT2 it
// expands the define-fun chains and runs out of memory. ABC maps onto AND and OR gates, not
// AND alone: z3 expands each net's define-fun of the state as it reads it, a load that
// grows faster than the number of nets, and without inverters of their own the nets are a
// fifth fewer (11,386 -> 8,900 on FormalAnyRom.OneRail), which halves its base case and
// induction step; XOR and MUX gates (`abc -g simple`) make z3 take minutes. memory_map
// turns an image ROM into constant logic (a no-op for the anyconst ROM); async2sync models
// the asynchronous reset as a synchronous one whose value is visible in the same cycle.
// After techmap only the flip-flops are simplified (opt_dff: constant and merged flops,
// which ABC does not touch) before ABC restructures the logic: a whole `opt -fast` there
// costs Yosys 4-8 s for nothing z3 notices (FormalAnyRom.OneRail 24.0 -> 20.6 s, an
// 8-rail generated ROM 21.2 -> 18.4 s: netlist, base case and induction step); without
// opt_dff z3 takes up to twice as long. The harness names the sequencer instance u_seq.
std::string yosysScript(const SequencerParams &params, const ProofOptions &options) {
  std::string files = designFile(params);
  if (options.rom_image) files += " " + romFile(params);
  return fmt::format(
      "# The proof's netlist (gen/Formal.cc): bit-level, for yosys-smtbmc with z3.\n"
      "read_verilog -formal {} {}\n"
      "prep -top formal_top\n"
      "flatten\n"
      "memory_map\n"
      "opt -fast\n"
      "async2sync\n"
      "dffunmap\n"
      "techmap\n"
      "opt_dff\n"
      "opt_clean\n"
      "# Keep the names on their nets through ABC: else they end up on undriven nets and\n"
      "# the counterexample shows arbitrary values for them (costs almost nothing).\n"
      "setattr -set keep 1 w:u_seq.* w:rom_addr w:rom_data\n"
      "abc -g AND,OR\n"
      "opt_clean\n"
      "dffunmap\n"
      "write_smt2 -wires {}\n",
      files, kHarnessFile, kSmtFile);
}

// ---- running the tools ------------------------------------------------------------------

// A tool that cannot be started keeps the runner's message and number, naming the tool.
ProcessResult runTool(const std::vector<std::string> &argv, const std::string &work_dir,
                      ProofResult &result) {
  result.log += "$ " + commandLine(argv) + "\n";
  ProcessResult run;
  try {
    run = runProcess(argv, work_dir);
  } catch (const Error &error) {
    throw Error(error.id(), {}, argv[0], error.message());
  }
  result.log += run.output;
  if (!run.output.empty() && run.output.back() != '\n') result.log += "\n";
  result.seconds += run.wall_seconds;
  throwIfCrashedOrHung(run, argv[0], "proving the sequencer's rules", work_dir);
  return run;
}

// What yosys-smtbmc said: its verdict and, on a failure, where and what failed.
struct SmtbmcReport {
  std::string status;  // "PASSED", "FAILED", ... ; empty: no verdict (the tool broke)
  int last_step = -1;  // the last step it checked
  struct Location {
    std::string file;
    int first_line = 0;
    int first_column = 0;
    int last_line = 0;
  };
  std::vector<Location> failed;
  std::vector<Location> unreached;
  std::vector<std::pair<Location, int>> reached;  // cover, step
  std::string anyconst_bits;                      // the ROM of the counterexample, MSB first
  std::string vcd;                                // the trace it wrote
};

// A source location as Yosys writes it, "file:line.col-line.col"; a flattened cell has a
// '|' list from the instance down to the statement, whose last entry is the statement.
SmtbmcReport::Location parseLocation(const std::string &text) {
  static const std::regex location(R"(([^\s:()|]+):(\d+)\.(\d+)-(\d+)\.\d+$)");
  const std::string last =
      text.substr(text.rfind('|') == std::string::npos ? 0 : text.rfind('|') + 1);
  std::smatch match;
  if (!std::regex_search(last, match, location)) return {last, 0, 0, 0};
  return {match[1].str(), std::stoi(match[2].str()), std::stoi(match[3].str()),
          std::stoi(match[4].str())};
}

SmtbmcReport parseSmtbmc(const std::string &output) {
  static const std::regex status(R"(Status: (\w+))");
  static const std::regex step(
      R"((?:Checking assertions|Checking assumptions|Trying induction|Checking cover reachability) in step (\d+))");
  static const std::regex failed(R"(Assert failed in \S+: (\S+))");
  static const std::regex reached(R"(Reached cover statement at (\S+) .*in step (\d+))");
  static const std::regex unreached(R"(Unreached cover statement at (\S+))");
  static const std::regex anyconst(R"(Value for anyconst (?:in )?\S+ \([^)]*\): ([01]+))");
  static const std::regex vcd(R"(Writing trace to VCD file: (.+))");
  SmtbmcReport report;
  std::istringstream in(output);
  std::string line;
  std::smatch match;
  while (std::getline(in, line)) {
    if (std::regex_search(line, match, status))
      report.status = match[1].str();
    else if (std::regex_search(line, match, step))
      report.last_step = std::stoi(match[1].str());
    else if (std::regex_search(line, match, failed))
      report.failed.push_back(parseLocation(match[1].str()));
    else if (std::regex_search(line, match, reached))
      report.reached.emplace_back(parseLocation(match[1].str()), std::stoi(match[2].str()));
    else if (std::regex_search(line, match, unreached))
      report.unreached.push_back(parseLocation(match[1].str()));
    else if (std::regex_search(line, match, anyconst))
      report.anyconst_bits = match[1].str();
    else if (std::regex_search(line, match, vcd))
      report.vcd = match[1].str();
  }
  return report;
}

// ---- quoting the source -----------------------------------------------------------------

std::vector<std::string> splitLines(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string trimmed(const std::string &text) {
  const size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

std::string collapseSpaces(const std::string &text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  return trimmed(out);
}

bool isComment(const std::string &line) { return trimmed(line).rfind("//", 0) == 0; }

// The comment block nearest above `index` (0-based): the rule the assertion belongs to.
std::string ruleAbove(const std::vector<std::string> &lines, int index) {
  int end = index - 1;
  while (end >= 0 && !isComment(lines[size_t(end)])) {
    if (trimmed(lines[size_t(end)]).rfind("module", 0) == 0) return "";
    --end;
  }
  if (end < 0) return "";
  int begin = end;
  while (begin > 0 && isComment(lines[size_t(begin - 1)])) --begin;
  std::string text;
  for (int i = begin; i <= end; ++i) text += " " + trimmed(lines[size_t(i)]).substr(2);
  return collapseSpaces(text);
}

// The first line of the statement at `where`. Yosys 0.23 starts some locations at the end
// of the previous statement ("547.30-548.30" for an assert alone on line 548).
int statementLine(const std::vector<std::string> &lines, const SmtbmcReport::Location &where) {
  const std::string &first = lines[size_t(where.first_line - 1)];
  const std::string rest = where.first_column - 1 < int(first.size())
                               ? first.substr(size_t(std::max(0, where.first_column - 1)))
                               : std::string();
  const bool nothing_left = rest.find_first_not_of(" \t\r;") == std::string::npos;
  return nothing_left && where.first_line < where.last_line ? where.first_line + 1
                                                            : where.first_line;
}

// "if (guard)" or "if (guard) begin" alone on a line: the guard of the statement below.
bool isGuard(const std::string &line) {
  const std::string text = trimmed(line);
  return text.rfind("if ", 0) == 0 && !text.empty() && text.back() != ';';
}

bool endsWithBegin(const std::string &line) {
  const std::string text = trimmed(line);
  return text.size() >= 5 && text.substr(text.size() - 5) == "begin";
}

FailedAssertion quote(const SmtbmcReport::Location &where,
                      const std::vector<std::pair<std::string, std::string>> &sources) {
  FailedAssertion failure{where.file, where.first_line, "", "", false};
  for (const auto &[file, text] : sources) {
    const std::vector<std::string> lines = splitLines(text);
    if (file != where.file || where.first_line < 1 || where.last_line > int(lines.size())) continue;
    failure.line = statementLine(lines, where);
    std::string statement;
    // An assertion under a guard on the line above is quoted with its guard.
    if (failure.line >= 2 && isGuard(lines[size_t(failure.line - 2)]))
      statement = lines[size_t(failure.line - 2)] +
                  (endsWithBegin(lines[size_t(failure.line - 2)]) ? " ..." : "");
    for (int line = failure.line; line <= where.last_line; ++line)
      statement += " " + lines[size_t(line - 1)];
    failure.text = collapseSpaces(statement);
    failure.rule = ruleAbove(lines, failure.line - 1);
  }
  // The rules come first in the template; the invariants after them only make the rules
  // inductive, so a failing rule is the better headline.
  failure.safety_rule = !failure.rule.empty() && failure.rule.rfind("Invariants", 0) != 0;
  return failure;
}

std::vector<FailedAssertion> quoteAll(
    const std::vector<SmtbmcReport::Location> &where,
    const std::vector<std::pair<std::string, std::string>> &sources) {
  std::vector<FailedAssertion> failures;
  for (const auto &location : where) {
    FailedAssertion failure = quote(location, sources);
    const bool seen = std::any_of(failures.begin(), failures.end(), [&](const FailedAssertion &f) {
      return f.file == failure.file && f.line == failure.line;
    });
    if (!seen) failures.push_back(failure);  // a rule inside a loop fails once per domain
  }
  std::stable_sort(failures.begin(), failures.end(), [](const auto &a, const auto &b) {
    if (a.safety_rule != b.safety_rule) return a.safety_rule;
    return a.line < b.line;
  });
  return failures;
}

// The counterexample's ROM (anyconst bits, MSB first) as a listing.
std::string programListing(const std::string &bits, const SequencerParams &params) {
  std::string listing;
  const int words = std::min({int(bits.size() / 32), params.rom_depth, kMaxListedRomWords});
  for (int address = 0; address < words; ++address) {
    const std::string word_bits = bits.substr(bits.size() - size_t(address + 1) * 32, 32);
    const auto word = uint32_t(std::stoul(word_bits, nullptr, 2));
    listing +=
        fmt::format("  {:4}: {:08x}  {}\n", address, word, disassemble(word, params.shape()));
  }
  return listing;
}

}  // namespace

std::string FailedAssertion::where() const { return fmt::format("{}:{}", file, line); }

namespace {

std::string failedWhere(const ProofResult &result) {
  if (result.stage == "bmc") return fmt::format("step {} of BMC from reset", result.failed_step);
  if (result.stage == "induction")
    return fmt::format("the induction step (k={}), step {} of a trace from an arbitrary state",
                       result.induction_steps, result.failed_step);
  return fmt::format("step {} of the cover search", result.failed_step);
}

}  // namespace

std::string ProofResult::summary() const {
  auto seconds_of = [&](const std::string &name) {
    for (const ProofStage &run : stages)
      if (run.name == name) return run.seconds;
    return 0.0;
  };
  if (passed) {
    std::string text = fmt::format(
        "PASSED: base case {} steps from reset ({:.1f} s), induction step k={} ({:.1f} s)",
        bmc_steps, seconds_of("bmc"), induction_steps, seconds_of("induction"));
    if (!covers.empty())
      text += fmt::format(", {} covers reached ({:.1f} s)", covers.size(), seconds_of("cover"));
    return text + fmt::format("; netlist {:.1f} s", seconds_of("synthesis"));
  }
  if (failures.empty() && !failed_property.empty())
    return fmt::format("FAILED: {} at step {} of BMC", failed_property, failed_step);
  if (failures.empty()) {
    std::string text = "FAILED: cover not reached";
    for (const std::string &cover : unreached_covers) text += ": " + cover;
    return text;
  }
  // Yosys checks an assertion of a clocked block at the clock edge that ends a step: the
  // values it saw are those of the step before in the trace.
  std::string text = fmt::format("FAILED: {}  failed at {} (on the values of step {} in the trace)",
                                 failed_property, failedWhere(*this), failed_step - 1);
  if (!failures.front().rule.empty()) text += " (rule: " + failures.front().rule + ")";
  if (!counterexample_vcd.empty()) text += "; counterexample: " + counterexample_vcd;
  return text;
}

std::string ProofResult::report() const {
  std::string text = summary() + "\n";
  if (failures.size() > 1) {
    text += "every assertion failing at that step:\n";
    for (const FailedAssertion &failure : failures)
      text += fmt::format("  {}: {}\n      rule: {}\n", failure.where(), failure.text,
                          failure.rule.empty() ? "-" : failure.rule);
  }
  if (stage == "induction")
    text +=
        "(an induction failure may start in an unreachable state: then the invariants "
        "are too weak or k too small, not the design wrong)\n";
  if (!counterexample_program.empty())
    text += "the counterexample's ROM:\n" + counterexample_program;
  for (const std::string &cover : covers) text += "cover " + cover + "\n";
  for (const ProofStage &stage_run : stages)
    text += fmt::format("  {:<10} {:<9} {:6.1f} s\n", stage_run.name, stage_run.status,
                        stage_run.seconds);
  return text;
}

std::string formalHarness(const SequencerParams &params, const ProofOptions &options) {
  const int aw = addressWidth(params.rom_depth);
  std::string rom;
  if (options.rom_image)
    rom = fmt::format(
        "  // The given image, through the ROM module the chip uses.\n"
        "  {}_rom #(.ROM_FILE(\"{}\")) u_rom (.addr(rom_addr), .data(rom_data));\n",
        params.module_name, kRomImageFile);
  else
    rom = fmt::format(
        "  // Arbitrary contents: one unknown but fixed word per address.\n"
        "  (* anyconst *) reg [32*{0}-1:0] rom;\n"
        "  assign rom_data = rom[rom_addr*32+:32];\n",
        params.rom_depth);
  // With an image: its last word executes without an error, so every word before it on
  // the path was legal and the ROM really holds the image.
  std::string image_cover;
  if (options.rom_image)
    image_cover = fmt::format(
        "  reg f_ran_last = 1'b0;\n"
        "  always @(posedge clk) f_ran_last <= rst_n && !err && rom_addr == {}'d{};\n"
        "  always @(posedge clk) if (!init && rst_n) cover (f_ran_last && !err);\n",
        aw, options.rom_image->size() - 1);
  return fmt::format(
      "// formal_top: the proof harness of {0} (gen/Formal.cc). Every input is free; the\n"
      "// first step is in reset, reset may come again at any time.\n"
      "module formal_top (\n"
      "    input wire clk,\n"
      "    input wire rst_n,\n"
      "    input wire [{1}-1:0] dom_pgood,\n"
      "    input wire done,\n"
      "    input wire [3:0] dp_err,\n"
      "    input wire tick\n"
      ");\n"
      "  wire [{2}-1:0] rom_addr;\n"
      "  wire [31:0] rom_data;\n"
      "  wire [{1}-1:0] dom_iso;\n"
      "  wire start, err;\n"
      "{3}"
      "  {0} u_seq (\n"
      "      .clk(clk), .rst_n(rst_n), .rom_addr(rom_addr), .rom_data(rom_data),\n"
      "      .dom_rail(), .dom_sw(), .dom_iso(dom_iso), .dom_rst_n(), .dom_ret(),\n"
      "      .dom_pgood(dom_pgood), .div_sel(), .clk_stop(), .start(start), .desc_addr(),\n"
      "      .done(done), .dp_err(dp_err), .tick(tick), .err(err), .err_cause(), .halted(),\n"
      "      .overrun());\n"
      "  reg init = 1'b1;\n"
      "  always @(posedge clk) init <= 1'b0;\n"
      "  always @(*) if (init) assume (!rst_n);\n"
      "  // Not vacuous: a layer starts with a domain out of isolation.\n"
      "  always @(posedge clk) if (!init && rst_n) cover (start && !err && !(&dom_iso));\n"
      "{4}"
      "endmodule\n",
      params.module_name, params.domains, aw, rom, image_cover);
}

namespace {

// One proof: its files, its commands and the result they add up to.
class Prover {
 public:
  Prover(const SequencerParams &params, const ProofOptions &options)
      : params_(params), options_(options), dir_(options.work_dir) {}

  ProofResult run() {
    result_.bmc_steps = options_.bmc_steps;
    result_.induction_steps = options_.induction_steps;
    writeInputs();
    synthesize();
    if (check("bmc", bmcCommand()) && check("induction", inductionCommand()) &&
        (options_.cover_steps == 0 || check("cover", coverCommand())))
      result_.passed = true;
    return result_;
  }

 private:
  std::vector<std::string> smtbmc(std::vector<std::string> mode, const std::string &vcd) const {
    std::vector<std::string> argv = {options_.smtbmc, "-s", options_.solver, "--noprogress",
                                     "--binary"};
    argv.insert(argv.end(), mode.begin(), mode.end());
    if (!vcd.empty()) argv.insert(argv.end(), {"--dump-vcd", vcd});
    argv.push_back(kSmtFile);
    return argv;
  }
  std::vector<std::string> yosysCommand() const {
    return {options_.yosys, "-q", "-s", kScriptFile};
  }
  // --presat: first check that the assumptions admit a run at every step, so contradicting
  // assumptions cannot make the proof pass vacuously (costs well under a second).
  std::vector<std::string> bmcCommand() const {
    return smtbmc({"--presat", "-t", std::to_string(options_.bmc_steps)}, "bmc.vcd");
  }
  std::vector<std::string> inductionCommand() const {
    return smtbmc({"-i", "-t", std::to_string(options_.induction_steps)}, "induction.vcd");
  }
  std::vector<std::string> coverCommand() const {
    return smtbmc({"-c", "-t", std::to_string(options_.cover_steps)}, "cover%.vcd");
  }

  void writeInputs() {
    std::error_code error;
    fs::create_directories(dir_, error);
    if (error)
      throw Error(8205, {dir_.string()}, "work_dir",
                  "cannot create the work directory: " + error.message());
    // A trace left by an earlier run must never be mistaken for this run's.
    for (const char *stale : {kSmtFile, "bmc.vcd", "induction.vcd", "cover0.vcd", "cover1.vcd"})
      fs::remove(dir_ / stale, error);
    const std::string by = "powerflow gen --prove (gen/Formal.cc)";
    sources_.emplace_back(designFile(params_),
                          sequencerVerilog(params_, by, options_.template_text));
    sources_.emplace_back(kHarnessFile, formalHarness(params_, options_));
    if (options_.rom_image) {
      sources_.emplace_back(romFile(params_), sequencerRomVerilog(params_, kRomImageFile, by));
      writeFile(dir_ / kRomImageFile,
                romImage(*options_.rom_image, "// The ROM image under proof (gen/Formal.cc)\n",
                         params_.rom_depth));
    }
    for (const auto &[file, text] : sources_) writeFile(dir_ / file, text);
    writeFile(dir_ / kScriptFile, yosysScript(params_, options_));
    writeFile(dir_ / kCommandsFile, commandsScript());
  }

  // The same commands, to rerun the proof by hand (docs/proofs.md).
  std::string commandsScript() const {
    std::string text =
        "#!/bin/sh\n"
        "# Reruns this proof by hand: netlist, base case (BMC from reset), induction step\n"
        "# and, if asked for, the cover search. Written by gen/Formal.cc.\n"
        "set -e\n"
        "cd \"$(dirname \"$0\")\"\n";
    text += commandLine(yosysCommand()) + "\n";
    text += commandLine(bmcCommand()) + "\n";
    text += commandLine(inductionCommand()) + "\n";
    if (options_.cover_steps > 0) text += commandLine(coverCommand()) + "\n";
    return text;
  }

  void synthesize() {
    const ProcessResult run = runTool(yosysCommand(), dir_.string(), result_);
    result_.stages.push_back(
        {"synthesis", run.exit_status == 0 ? "passed" : "failed", run.wall_seconds});
    if (run.exit_status != 0)
      throw Error(8203, {(dir_ / kScriptFile).string()}, "yosys",
                  fmt::format("Yosys failed (exit status {}):\n{}", run.exit_status,
                              outputTail(run.output, 12)));
  }

  // Runs one smtbmc stage; false (and the result filled in) when the stage failed.
  bool check(const std::string &stage, const std::vector<std::string> &argv) {
    const ProcessResult run = runTool(argv, dir_.string(), result_);
    const SmtbmcReport report = parseSmtbmc(run.output);
    const bool vacuous = report.status == "PREUNSAT";
    const bool verdict =
        (report.status == "PASSED" && run.exit_status == 0) || vacuous ||
        (report.status == "FAILED" &&
         (!report.failed.empty() || (stage == "cover" && !report.unreached.empty())));
    if (!verdict)
      throw Error(8204, {dir_.string()}, argv[0],
                  fmt::format("{} gave no verdict in the {} stage (exit status {}; is the "
                              "solver '{}' installed and working?):\n{}",
                              argv[0], stage, run.exit_status, options_.solver,
                              outputTail(run.output, 12)));
    const bool passed = report.status == "PASSED";
    result_.stages.push_back(
        {stage, passed ? "passed" : (vacuous ? "vacuous" : "failed"), run.wall_seconds});
    for (const auto &[where, step] : report.reached) {
      const FailedAssertion cover = quote(where, sources_);
      result_.covers.push_back(
          fmt::format("{}: {} reached at step {}", cover.where(), cover.text, step));
    }
    if (passed) return true;
    result_.stage = stage;
    if (vacuous) {
      result_.failed_step = report.last_step;
      result_.failed_property = "the harness's assumptions admit no run (a proof would be vacuous)";
    }
    if (!report.failed.empty()) {
      result_.failed_step = stage == "induction" ? options_.induction_steps : report.last_step;
      result_.failures = quoteAll(report.failed, sources_);
      const FailedAssertion &first = result_.failures.front();
      result_.failed_property = first.where() + ": " + first.text;
    }
    for (const auto &where : report.unreached) {
      const FailedAssertion cover = quote(where, sources_);
      result_.unreached_covers.push_back(cover.where() + ": " + cover.text);
    }
    if (!report.vcd.empty() && report.vcd.find('%') == std::string::npos)
      result_.counterexample_vcd = (dir_ / report.vcd).string();
    if (!report.anyconst_bits.empty())
      result_.counterexample_program = programListing(report.anyconst_bits, params_);
    return false;
  }

  const SequencerParams &params_;
  const ProofOptions &options_;
  fs::path dir_;
  std::vector<std::pair<std::string, std::string>> sources_;  // file name, text
  ProofResult result_;
};

}  // namespace

ProofResult proveSequencer(const SequencerParams &params, const ProofOptions &options) {
  checkOptions(params, options);
  return Prover(params, options).run();
}

}  // namespace pf::gen
