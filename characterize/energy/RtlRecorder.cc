#include "characterize/energy/RtlRecorder.hh"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Subprocess.hh"
#include "sim/ExternalMemoryText.hh"
#include "sim/VerilatorBuild.hh"

namespace pf::energy {

namespace {

namespace fs = std::filesystem;

constexpr const char *kWrapper = "pf_rtl_rec";

// The pf_accel contract (docs/accelerator.md): port, width, direction, and the wrapper
// signal it connects to.
struct ContractPort {
  const char *name;
  int width;
  bool is_input;
  const char *wrapper;
};
constexpr ContractPort kContract[] = {
    {"clk", 1, true, "clk"},
    {"rst_n", 1, true, "rst_n_i"},
    {"start", 1, true, "start_i"},
    {"desc_addr", 32, true, "desc_addr_i"},
    {"dma_req_ready", 1, true, "req_ready_i"},
    {"dma_rsp_valid", 1, true, "rsp_valid_i"},
    {"dma_rsp_rdata", 64, true, "rsp_rdata_i"},
    {"busy", 1, false, ""},
    {"done", 1, false, ""},
    {"err_code", 4, false, ""},
    {"phase", 3, false, ""},
    {"dma_req_valid", 1, false, "req_valid_o"},
    {"dma_req_we", 1, false, "req_we_o"},
    {"dma_req_addr", 32, false, "req_addr_o"},
    {"dma_req_wdata", 64, false, "req_wdata_o"},
};

const ContractPort *findContract(const std::string &name) {
  for (const ContractPort &port : kContract)
    if (name == port.name) return &port;
  return nullptr;
}

int wordsFor(size_t bits) { return std::max(1, static_cast<int>((bits + 31) / 32)); }

// Every contract port present with its width and direction; every other input tied.
void checkContract(const RecorderSpec &spec) {
  std::set<std::string> seen;
  for (const RecorderPort &port : spec.ports) {
    seen.insert(port.name);
    if (const ContractPort *contract = findContract(port.name)) {
      if (contract->width != port.width || contract->is_input != port.is_input)
        throw Error(5362, {}, port.name,
                    fmt::format("top '{}' port '{}' is {} {} bits; the accelerator contract "
                                "(docs/accelerator.md) has {} {} bits",
                                spec.top, port.name, port.is_input ? "an input of" : "an output of",
                                port.width, contract->is_input ? "an input of" : "an output of",
                                contract->width));
    } else if (port.is_input && !spec.tied_inputs.count(port.name)) {
      throw Error(5368, {}, port.name,
                  fmt::format("top '{}' input '{}' is neither part of the accelerator contract "
                              "(docs/accelerator.md) nor a power-domain control port: the "
                              "workload harness cannot drive it",
                              spec.top, port.name));
    }
  }
  for (const ContractPort &contract : kContract)
    if (!seen.count(contract.name))
      throw Error(5369, {}, contract.name,
                  fmt::format("top '{}' has no port '{}' of the accelerator contract "
                              "(docs/accelerator.md)",
                              spec.top, contract.name));
}

std::string bitExpression(const SignalBit &bit) {
  const std::string base = bit.hierarchical ? "dut." + bit.signal : "p_" + bit.signal;
  return bit.width == 1 ? base : fmt::format("{}[{}]", base, bit.bit);
}

// `name_<k>` outputs of 32 bits each, bit s of the list in word s / 32.
std::string packedAssigns(const std::string &name, const std::vector<SignalBit> &bits) {
  std::string v;
  for (int w = 0; w < wordsFor(bits.size()); ++w) {
    std::string concat;
    for (int b = 31; b >= 0; --b) {
      const size_t slot = size_t(32 * w + b);
      concat += (b == 31 ? "" : ", ") + (slot < bits.size() ? bitExpression(bits[slot]) : "1'b0");
    }
    v += fmt::format("    assign {}_{} = {{{}}};\n", name, w, concat);
  }
  return v;
}

std::string packedPorts(const std::string &name, size_t bits) {
  std::string v;
  for (int w = 0; w < wordsFor(bits); ++w)
    v += fmt::format(",\n    output wire [31:0] {}_{}", name, w);
  return v;
}

std::string portDrivers(const RecorderSpec &spec) {
  std::string v;
  for (const RecorderPort &port : spec.ports) {
    v += fmt::format("    wire [{}:0] p_{};\n", port.width - 1, port.name);
    if (!port.is_input) continue;
    const ContractPort *contract = findContract(port.name);
    if (contract)
      v += fmt::format("    assign p_{} = {};\n", port.name, contract->wrapper);
    else
      v += fmt::format("    assign p_{} = {}'d{};\n", port.name, port.width,
                       spec.tied_inputs.at(port.name));
  }
  return v;
}

std::string instance(const RecorderSpec &spec) {
  std::vector<std::string> parameters, connections;
  for (const auto &[name, value] : spec.parameters)
    parameters.push_back(fmt::format(".{}({})", name, value));
  for (const RecorderPort &port : spec.ports)
    connections.push_back(fmt::format(".{0}(p_{0})", port.name));
  return fmt::format("    {} #({}) dut (\n        {});\n", spec.top, fmt::join(parameters, ", "),
                     fmt::join(connections, ",\n        "));
}

std::string wordPointers(const std::string &name, size_t bits) {
  std::vector<std::string> pointers;
  for (int w = 0; w < wordsFor(bits); ++w) pointers.push_back(fmt::format("&top.{}_{}", name, w));
  return fmt::format("{}", fmt::join(pointers, ", "));
}

std::string programText(const MemoryModel &memory, const std::vector<RecorderStep> &steps) {
  std::string text = fmt::format("memory {} {}\n", memory.read_latency, memory.request_interval);
  for (const RecorderStep &step : steps) {
    if (step.kind == RecorderStep::Reset) text += fmt::format("reset {}\n", step.cycles);
    if (step.kind == RecorderStep::Idle) text += fmt::format("idle {}\n", step.cycles);
    if (step.kind == RecorderStep::Run)
      text += fmt::format("run {} {}\n", step.desc_addr, step.cycles);
  }
  return text;
}

std::vector<uint8_t> readBinary(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void writeBinary(const std::string &path, const void *data, size_t bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char *>(data), static_cast<std::streamsize>(bytes));
  if (!out) throw Error(5398, {path}, "", "cannot write the recorder input");
}

void readTrace(const std::string &path, RecorderTrace &trace) {
  const std::vector<uint8_t> bytes = readBinary(path);
  const size_t per_cycle = 1 + size_t(trace.recorded_words) + size_t(trace.checked_words);
  if (bytes.size() % (4 * per_cycle) != 0)
    throw Error(5391, {path}, "", "the recorded trace is truncated");
  const size_t cycles = bytes.size() / (4 * per_cycle);
  std::vector<uint32_t> words(cycles * per_cycle);
  std::copy(bytes.begin(), bytes.end(), reinterpret_cast<uint8_t *>(words.data()));
  for (size_t c = 0; c < cycles; ++c) {
    const uint32_t *record = words.data() + c * per_cycle;
    trace.status.push_back(record[0]);
    trace.recorded.insert(trace.recorded.end(), record + 1, record + 1 + trace.recorded_words);
    trace.checked.insert(trace.checked.end(), record + 1 + trace.recorded_words,
                         record + per_cycle);
  }
}

void readRuns(const std::string &path, RecorderTrace &trace) {
  std::istringstream lines(readTextFile(path));
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string key;
    words >> key;
    if (key == "run") {
      RecordedRun run;
      int done = 0;
      words >> run.first_cycle >> run.cycles >> done >> run.err_code;
      run.done = done != 0;
      trace.runs.push_back(run);
    } else if (key == "end") {
      int64_t cycles = 0;
      words >> cycles >> trace.bad_accesses;
    }
  }
}

}  // namespace

bool isContractPort(const std::string &name) { return findContract(name) != nullptr; }

std::string recorderWrapperVerilog(const RecorderSpec &spec) {
  checkContract(spec);
  return fmt::format(
      "// Workload recorder wrapper generated by powerflow characterize "
      "(characterize/energy/RtlRecorder.cc).\n"
      "`default_nettype none\n"
      "module {0} (\n"
      "    input wire clk, input wire rst_n_i, input wire start_i,\n"
      "    input wire [31:0] desc_addr_i, input wire req_ready_i, input wire rsp_valid_i,\n"
      "    input wire [63:0] rsp_rdata_i,\n"
      "    output wire [31:0] status_o, output wire req_valid_o, output wire req_we_o,\n"
      "    output wire [31:0] req_addr_o, output wire [63:0] req_wdata_o{1}{2});\n"
      "{3}{4}"
      "    assign status_o = {{20'd0, p_err_code, 2'd0, p_phase, p_done, p_busy, p_rst_n}};\n"
      "    assign req_valid_o = p_dma_req_valid;\n"
      "    assign req_we_o = p_dma_req_we;\n"
      "    assign req_addr_o = p_dma_req_addr;\n"
      "    assign req_wdata_o = p_dma_req_wdata;\n"
      "{5}{6}"
      "endmodule\n"
      "`default_nettype wire\n",
      kWrapper, packedPorts("rec_o", spec.recorded.size()),
      packedPorts("chk_o", spec.checked.size()), portDrivers(spec), instance(spec),
      packedAssigns("rec_o", spec.recorded), packedAssigns("chk_o", spec.checked));
}

std::string recorderHarnessCpp(const RecorderSpec &spec) {
  // Per clock cycle: apply this cycle's inputs, settle, record (status, recorded words,
  // checked words), then the rising edge (the memory accepts a request fired this cycle)
  // and the falling edge. Read data not valid this cycle holds its last value, as a
  // registered bus would. The memory is sim/ExternalMemory.hh, written beside this file.
  return fmt::format(R"(// Workload recorder harness generated by powerflow characterize.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>
#include "verilated.h"
#include "V{0}.h"
#include "ExternalMemory.hh"

static constexpr int kRecWords = {1};
static constexpr int kChkWords = {2};

int main(int argc, char **argv) {{
  if (argc != 6) return 2;
  FILE *program = std::fopen(argv[1], "r");
  FILE *memory_in = std::fopen(argv[2], "rb");
  FILE *trace = std::fopen(argv[3], "wb");
  FILE *runs = std::fopen(argv[4], "w");
  if (!program || !memory_in || !trace || !runs) return 3;
  std::vector<uint8_t> image;
  for (int c; (c = std::fgetc(memory_in)) != EOF;) image.push_back(static_cast<uint8_t>(c));
  std::fclose(memory_in);
  pf::ExternalMemory mem(image.size());
  mem.write(0, image);
  VerilatedContext context;
  V{0} top(&context);
  const uint32_t *const rec[kRecWords] = {{{3}}};
  const uint32_t *const chk[kChkWords] = {{{4}}};
  uint64_t cycle = 0;
  int64_t bad = 0;
  std::vector<uint32_t> record(1 + kRecWords + kChkWords);
  top.clk = 0;
  top.rst_n_i = 0;
  top.start_i = 0;
  top.desc_addr_i = 0;
  top.req_ready_i = 0;
  top.rsp_valid_i = 0;
  top.rsp_rdata_i = 0;
  top.eval();
  auto step = [&](bool rst_n, bool start, uint32_t desc) {{
    top.rst_n_i = rst_n;
    top.start_i = start;
    top.desc_addr_i = desc;
    // No bandwidth limit here: the time argument is unused.
    const bool ready = mem.requestReady(cycle, 0.0);
    top.req_ready_i = ready;
    top.rsp_valid_i = 0;
    uint64_t data = 0;
    if (mem.takeResponse(cycle, data)) {{
      top.rsp_valid_i = 1;
      top.rsp_rdata_i = data;
    }}
    top.eval();
    const uint32_t status = top.status_o;
    record[0] = status;
    for (int w = 0; w < kRecWords; ++w) record[1 + w] = *rec[w];
    for (int w = 0; w < kChkWords; ++w) record[1 + kRecWords + w] = *chk[w];
    std::fwrite(record.data(), 4, record.size(), trace);
    const bool fired = top.req_valid_o && ready;
    const bool we = top.req_we_o;
    const uint64_t addr = top.req_addr_o;
    const uint64_t wdata = top.req_wdata_o;
    top.clk = 1;
    top.eval();
    if (fired) {{
      bad += !mem.contains(static_cast<uint32_t>(addr), pf::ExternalMemory::kBeatBytes);
      mem.acceptRequest(cycle, 0.0, we, static_cast<uint32_t>(addr), wdata);
    }}
    top.clk = 0;
    top.eval();
    ++cycle;
    return status;
  }};
  char kind[16];
  unsigned long long a = 0, b = 0;
  while (std::fscanf(program, "%15s %llu", kind, &a) == 2) {{
    const std::string k = kind;
    if (k == "memory" || k == "run") {{
      if (std::fscanf(program, "%llu", &b) != 1) return 4;
    }}
    if (k == "memory") {{
      pf::MemoryTiming timing;
      timing.read_latency = static_cast<int>(a);
      timing.request_interval = static_cast<int>(b);
      mem.setTiming(timing);
    }} else if (k == "reset") {{
      for (unsigned long long i = 0; i < a; ++i) step(false, false, 0);
      mem.clearPending();
    }} else if (k == "idle") {{
      for (unsigned long long i = 0; i < a; ++i) step(true, false, 0);
    }} else if (k == "run") {{
      const uint64_t first = cycle;
      uint32_t status = step(true, true, static_cast<uint32_t>(a));
      uint64_t n = 1;
      while (!(status & 4u) && n < b) {{
        status = step(true, false, static_cast<uint32_t>(a));
        ++n;
      }}
      std::fprintf(runs, "run %llu %llu %d %u\n", static_cast<unsigned long long>(first),
                   static_cast<unsigned long long>(n - 1), (status & 4u) ? 1 : 0,
                   (status >> 8) & 15u);
    }} else {{
      return 5;
    }}
  }}
  std::fprintf(runs, "end %llu %lld\n", static_cast<unsigned long long>(cycle),
               static_cast<long long>(bad));
  top.final();
  FILE *memory_out = std::fopen(argv[5], "wb");
  if (!memory_out) return 6;
  std::fwrite(mem.bytes().data(), 1, mem.size(), memory_out);
  const bool ok = std::fclose(memory_out) == 0 && std::fclose(trace) == 0 && std::fclose(runs) == 0;
  return ok ? 0 : 7;
}}
)",
                     kWrapper, wordsFor(spec.recorded.size()), wordsFor(spec.checked.size()),
                     wordPointers("rec_o", spec.recorded.size()),
                     wordPointers("chk_o", spec.checked.size()));
}

RecorderTrace recordRtl(const RecorderSpec &spec, const std::vector<uint8_t> &memory,
                        const MemoryModel &memory_model, const std::vector<RecorderStep> &steps,
                        const std::string &work_dir, RecorderStats *stats) {
  if (memory_model.read_latency < 1 || memory_model.request_interval < 1)
    throw Error(5392, {}, "memory", "read latency and request interval must be at least 1");
  const fs::path dir(work_dir);
  const std::string wrapper = recorderWrapperVerilog(spec);
  const std::string harness = recorderHarnessCpp(spec);
  const std::string jobs = std::to_string(std::max(1u, std::thread::hardware_concurrency()));
  // The RTL is small: -O1 on the model costs a few seconds and simulates fast.
  std::vector<std::string> argv = {"verilator",
                                   "--cc",
                                   "--exe",
                                   "--build",
                                   "-j",
                                   jobs,
                                   "--Mdir",
                                   "obj",
                                   "--top-module",
                                   kWrapper,
                                   "-Wno-fatal",
                                   "-Wno-lint",
                                   "-Wno-style",
                                   "--x-assign",
                                   "0",
                                   "--x-initial",
                                   "0",
                                   "-MAKEFLAGS",
                                   "OPT_FAST=-O1 OPT_SLOW=-O0 OPT_GLOBAL=-O0",
                                   "-o",
                                   "pf_rtl_rec"};
  argv.insert(argv.end(), spec.rtl_files.begin(), spec.rtl_files.end());
  argv.insert(argv.end(), {"pf_rtl_rec.v", "recorder.cpp"});
  VerilatorBuild build;
  build.argv = std::move(argv);
  build.hashed_files = spec.rtl_files;
  build.written_files = {{"pf_rtl_rec.v", wrapper},
                         {"recorder.cpp", harness},
                         {"ExternalMemory.hh", externalMemoryHeaderText()}};
  build.product = "obj/pf_rtl_rec";
  build.what = "workload recorder";
  const VerilatorBuildOutcome built = buildWithVerilator(build, work_dir);
  RecorderStats local;
  local.reused_build = built.reused;
  local.build_seconds = built.build_seconds;

  writeFileAtomic((dir / "program.txt").string(), programText(memory_model, steps));
  writeBinary((dir / "memory.bin").string(), memory.data(), memory.size());
  for (const char *out : {"trace.bin", "runs.txt", "memory_out.bin"}) fs::remove(dir / out);
  const ProcessResult run = runProcess(
      {built.product_path, "program.txt", "memory.bin", "trace.bin", "runs.txt", "memory_out.bin"},
      work_dir);
  local.run_seconds = run.wall_seconds;
  throwIfCrashedOrHung(run, "the workload recorder (pf_rtl_rec)", "recording the RTL", work_dir);
  if (run.exit_status != 0)
    throw Error(5364, {work_dir}, "pf_rtl_rec",
                fmt::format("workload recorder failed (exit {}): {}", run.exit_status, run.output));
  RecorderTrace trace;
  trace.recorded_words = wordsFor(spec.recorded.size());
  trace.checked_words = wordsFor(spec.checked.size());
  readTrace((dir / "trace.bin").string(), trace);
  readRuns((dir / "runs.txt").string(), trace);
  trace.memory = readBinary((dir / "memory_out.bin").string());
  if (stats) *stats = local;
  return trace;
}

}  // namespace pf::energy
