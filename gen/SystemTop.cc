#include "gen/SystemTop.hh"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <map>

#include "core/Banner.hh"
#include "core/Error.hh"

namespace pf::gen {

namespace {

struct PortBit {
  std::string base;
  int index = -1;  // -1: a scalar port
};

PortBit parsePort(const DomainSpec &domain, const std::string &port, const std::string &field) {
  PortBit bit;
  const size_t open = port.find('[');
  bit.base = port.substr(0, open);
  bool ok = !bit.base.empty();
  for (char c : bit.base) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (open != std::string::npos) {
    const std::string digits = port.substr(open + 1, port.size() - open - 2);
    ok = ok && port.back() == ']' && !digits.empty() &&
         digits.find_first_not_of("0123456789") == std::string::npos && digits.size() < 6;
    if (ok) bit.index = std::stoi(digits);
  }
  if (!ok)
    throw Error(8501, domain.loc, "domain." + domain.name + "." + field,
                fmt::format("'{}' is not a port name or name[index]", port));
  return bit;
}

// One accelerator input bus built from the domains' bits: wire, assigns, connection.
struct Bus {
  int width = 0;  // 0: scalar
  std::vector<std::string> assigns;
  std::map<int, std::string> driven;  // index -> domain (to refuse sharing)
};

class PowerPorts {
 public:
  void add(const DomainSpec &domain, const std::string &port, const std::string &field,
           const std::string &source) {
    if (port.empty()) return;
    const PortBit bit = parsePort(domain, port, field);
    Bus &bus = buses_[bit.base];
    if (!bus.driven.emplace(bit.index, domain.name).second)
      throw Error(8502, domain.loc, "domain." + domain.name + "." + field,
                  fmt::format("'{}' is also driven for domain {}", port, bus.driven[bit.index]));
    bus.width = std::max(bus.width, bit.index + 1);
    bus.assigns.push_back(fmt::format("  assign {}_w{} = {};", bit.base,
                                      bit.index < 0 ? "" : fmt::format("[{}]", bit.index), source));
  }

  std::string wires() const {
    std::string text;
    for (const auto &[base, bus] : buses_)
      text += bus.width == 0 ? fmt::format("  wire {}_w;\n", base)
                             : fmt::format("  wire [{}:0] {}_w;\n", bus.width - 1, base);
    for (const auto &[base, bus] : buses_)
      for (const std::string &line : bus.assigns) text += line + "\n";
    return text;
  }

  std::string connections() const {
    std::string text;
    for (const auto &[base, bus] : buses_) text += fmt::format(",\n      .{}({}_w)", base, base);
    return text;
  }

 private:
  std::map<std::string, Bus> buses_;  // ordered: deterministic output
};

int64_t parameter(const DesignSpec &design, const char *name) {
  const auto it = design.parameters.find(name);
  if (it == design.parameters.end())
    throw Error(8503, {design.source_file, 0, 0}, std::string("design.parameters.") + name,
                "pf_system needs this pf_accel parameter");
  return it->second;
}

std::string accelParameters(const DesignSpec &design) {
  std::string text;
  for (const auto &[name, value] : design.parameters)
    text += fmt::format("{}      .{}({})", text.empty() ? "" : ",\n", name, value);
  return text;
}

}  // namespace

std::vector<std::string> systemRailSelects(const SequencerParams &params, int s) {
  std::vector<std::string> names;
  for (int r = 0; r < params.rails; ++r)
    names.push_back(fmt::format("dom_rail[{}]", s * params.rails + r));
  return names;
}
std::string systemPowerGood(int s) { return fmt::format("dom_pgood[{}]", s); }
std::string systemIsolation(int s) { return fmt::format("dom_iso[{}]", s); }
std::string systemRetention(const SequencerParams &params, int s) {
  return params.has_retention[s] ? fmt::format("dom_ret[{}]", s) : "";
}

std::string systemVerilog(const DesignSpec &design, const std::vector<int> &switchable,
                          const SequencerParams &p, const std::string &rom_file,
                          const std::string &generated_by) {
  PowerPorts ports;
  for (size_t s = 0; s < switchable.size(); ++s) {
    const DomainSpec &domain = design.domains[switchable[s]];
    ports.add(domain, domain.pgood_port, "pgood", fmt::format("dom_pgood[{}]", s));
    ports.add(domain, domain.iso_port, "iso", fmt::format("dom_iso[{}]", s));
    ports.add(domain, domain.reset_port, "reset", fmt::format("dom_rst_n[{}]", s));
    ports.add(domain, domain.retention_port, "retention", fmt::format("dom_ret[{}]", s));
  }
  const int64_t groups = parameter(design, "COL_GROUPS"), act = parameter(design, "ACT_BANKS"),
                weights = parameter(design, "W_BANKS");
  const int ndom = p.domains, r = p.rails;
  std::string text = generatedBanner("//", generated_by);
  text += fmt::format(
      "//\n// {0}: {1} (the datapath) + {2} (the power sequencer) + {2}_rom (its program).\n"
      "// The power network is outside: dom_rail/dom_sw drive the header switches of each\n"
      "// switchable domain, dom_pgood returns their power-good; div_sel/clk_stop drive the\n"
      "// clock generator that makes clk. Domain s of the sequencer is design domain:\n",
      kSystemModule, design.top, p.module_name);
  for (size_t s = 0; s < switchable.size(); ++s)
    text += fmt::format("//   {:>2}: {}\n", s, design.domains[switchable[s]].name);
  text += fmt::format(
      "module {} #(\n    parameter ROM_FILE = \"{}\"\n) (\n"
      "    input  wire              clk,\n    input  wire              rst_n,\n"
      "    input  wire              tick,        // period timer\n"
      "    // external memory port of the datapath\n"
      "    output wire              dma_req_valid,\n    input  wire              dma_req_ready,\n"
      "    output wire              dma_req_we,\n    output wire [31:0]       dma_req_addr,\n"
      "    output wire [63:0]       dma_req_wdata,\n    input  wire              dma_rsp_valid,\n"
      "    input  wire [63:0]       dma_rsp_rdata,\n"
      "    // power network, per switchable domain s: dom_rail[s*{} +: {}] one-hot\n"
      "    output wire [{}:0]       dom_rail,\n    output wire [{}:0]       dom_sw,\n"
      "    output wire [{}:0]       dom_iso,\n    output wire [{}:0]       dom_rst_n,\n"
      "    output wire [{}:0]       dom_ret,\n    input  wire [{}:0]       dom_pgood,\n"
      "    // clock generator\n    output wire [2:0]        div_sel,\n"
      "    output wire              clk_stop,\n"
      "    // status\n    output wire              seq_err,\n"
      "    output wire [2:0]        seq_err_cause,\n    output wire              seq_halted,\n"
      "    output wire              seq_overrun,\n    output wire              busy,\n"
      "    output wire              done,\n    output wire [3:0]        err_code,\n"
      "    output wire [2:0]        phase,\n    output wire [{}:0]       pe_active,\n"
      "    output wire [{}:0]       act_bank_active,\n    output wire [{}:0]       w_bank_active\n"
      ");\n",
      kSystemModule, rom_file, r, r, ndom * r - 1, ndom - 1, ndom - 1, ndom - 1, ndom - 1, ndom - 1,
      groups - 1, act - 1, weights - 1);
  text += fmt::format(
      "  localparam integer AW = {};\n  wire [AW-1:0] rom_addr;\n  wire [31:0] rom_data;\n"
      "  wire start;\n  wire [31:0] desc_addr;\n",
      p.rom_depth > 1 ? int(std::ceil(std::log2(p.rom_depth))) : 1);
  text += ports.wires();
  text += fmt::format(
      "\n  {0}_rom #(.DEPTH({1}), .ROM_FILE(ROM_FILE)) u_rom (.addr(rom_addr), .data(rom_data));\n"
      "\n  {0} u_seq (\n      .clk(clk), .rst_n(rst_n), .rom_addr(rom_addr), .rom_data(rom_data),\n"
      "      .dom_rail(dom_rail), .dom_sw(dom_sw), .dom_iso(dom_iso), .dom_rst_n(dom_rst_n),\n"
      "      .dom_ret(dom_ret), .dom_pgood(dom_pgood), .div_sel(div_sel), .clk_stop(clk_stop),\n"
      "      .start(start), .desc_addr(desc_addr), .done(done), .dp_err(err_code), .tick(tick),\n"
      "      .err(seq_err), .err_cause(seq_err_cause), .halted(seq_halted), "
      ".overrun(seq_overrun));\n",
      p.module_name, p.rom_depth);
  text += fmt::format(
      "\n  {} #(\n{}\n  ) u_accel (\n      .clk(clk), .rst_n(rst_n), .start(start), "
      ".desc_addr(desc_addr),\n"
      "      .busy(busy), .done(done), .err_code(err_code), .phase(phase),\n"
      "      .dma_req_valid(dma_req_valid), .dma_req_ready(dma_req_ready), "
      ".dma_req_we(dma_req_we),\n"
      "      .dma_req_addr(dma_req_addr), .dma_req_wdata(dma_req_wdata),\n"
      "      .dma_rsp_valid(dma_rsp_valid), .dma_rsp_rdata(dma_rsp_rdata),\n"
      "      .pe_active(pe_active), .act_bank_active(act_bank_active),\n"
      "      .w_bank_active(w_bank_active){});\nendmodule\n",
      design.top, accelParameters(design), ports.connections());
  return text;
}

}  // namespace pf::gen
