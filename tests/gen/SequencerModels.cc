// The Verilated sequencer models behind SequencerDut. SequencerModelList.hh is written by
// tests/gen/interpreter.cmake: it includes each model's header and lists the models with
// their parameters (the same words the generator tool got on its command line).
#include <type_traits>

#include "SequencerModelList.hh"
#include "tests/gen/SequencerDut.hh"
#include "tests/gen/SequencerSpec.hh"

namespace pf::gen {

namespace {

// `count` (<= 32) bits of a port from bit `lo`, whatever type Verilator gave the port.
template <class Port>
uint32_t bits(const Port &port, int lo, int count) {
  const uint64_t mask = count >= 32 ? 0xffffffffu : (uint64_t(1) << count) - 1;
  if constexpr (std::is_integral_v<Port>) {
    return uint32_t((uint64_t(port) >> lo) & mask);
  } else {  // VlWide: 32-bit words
    uint32_t value = 0;
    for (int i = 0; i < count; ++i)
      value |= uint32_t((port.at(size_t(lo + i) / 32) >> ((lo + i) % 32)) & 1u) << i;
    return value;
  }
}

template <class Port>
void drive(Port &port, uint32_t value) {
  port = static_cast<std::remove_reference_t<Port>>(value);
}

template <class Model>
class VerilatedSequencer final : public SequencerDut {
 public:
  explicit VerilatedSequencer(const SequencerParams &params)
      : rails_(params.rails), domains_(params.domains) {
    context_.fatalOnError(false);  // a failed assertion is reported by the test, not abort()
    model_ = std::make_unique<Model>(&context_, "seq");
  }
  ~VerilatedSequencer() override {
    // Verilator 5.006 erases the model's scopes (and records a failed assertion) in the
    // thread's current context, not the model's own: with several models alive, point the
    // thread at this one whenever it runs or dies.
    Verilated::threadContextp(&context_);
    model_->final();
    model_.reset();
    Verilated::threadContextp(nullptr);
  }

  void setRom(std::vector<uint32_t> rom) override { rom_ = std::move(rom); }

  void reset() override {
    Verilated::threadContextp(&context_);
    Model &m = *model_;
    m.clk = 0;
    m.rst_n = 1;
    m.eval();
    m.rst_n = 0;  // the falling edge resets asynchronously
    m.eval();
    // One edge in reset, so the assertions' previous-cycle registers hold reset values.
    answerRom();
    m.clk = 1;
    m.eval();
    m.clk = 0;
    m.eval();
    m.rst_n = 1;
    m.eval();
  }

  void step(const SequencerInputs &in) override {
    Verilated::threadContextp(&context_);
    Model &m = *model_;
    m.clk = 0;
    drive(m.dom_pgood, in.pgood & (domains_ >= 32 ? 0xffffffffu : (1u << domains_) - 1));
    m.done = in.done;
    drive(m.dp_err, in.dp_err & 0xfu);
    m.tick = in.tick;
    answerRom();
    m.eval();
    m.clk = 1;
    m.eval();
  }

  SequencerOutputs outputs() const override {
    const Model &m = *model_;
    SequencerOutputs o;
    o.rom_addr = m.rom_addr;
    o.dom_rail.resize(size_t(domains_));
    for (int d = 0; d < domains_; ++d)
      o.dom_rail[size_t(d)] = uint8_t(bits(m.dom_rail, d * rails_, rails_));
    o.dom_sw = bits(m.dom_sw, 0, domains_);
    o.dom_iso = bits(m.dom_iso, 0, domains_);
    o.dom_rst_n = bits(m.dom_rst_n, 0, domains_);
    o.dom_ret = bits(m.dom_ret, 0, domains_);
    o.div_sel = m.div_sel;
    o.clk_stop = m.clk_stop;
    o.start = m.start;
    o.desc_addr = m.desc_addr;
    o.err = m.err;
    o.err_cause = m.err_cause;
    o.halted = m.halted;
    o.overrun = m.overrun;
    return o;
  }

  bool assertionFailed() const override { return context_.gotError(); }

 private:
  void answerRom() {
    const uint32_t address = model_->rom_addr;
    model_->rom_data = address < rom_.size() ? rom_[address] : 0u;
  }

  int rails_, domains_;
  VerilatedContext context_;
  std::unique_ptr<Model> model_;
  std::vector<uint32_t> rom_;
};

}  // namespace

const std::vector<SequencerModel> &sequencerModels() {
#define PF_SEQUENCER_MODEL_ENTRY(module, spec, mutation)                             \
  SequencerModel{#module, spec, mutation, [] {                                       \
                   return std::unique_ptr<SequencerDut>(                             \
                       new VerilatedSequencer<V##module>(parseSequencerSpec(spec))); \
                 }},
  static const std::vector<SequencerModel> models = {PF_SEQUENCER_MODELS(PF_SEQUENCER_MODEL_ENTRY)};
#undef PF_SEQUENCER_MODEL_ENTRY
  return models;
}

}  // namespace pf::gen
