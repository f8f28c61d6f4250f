#include "golden/Layer.hh"

#include <fmt/format.h>

#include <cstdint>

namespace pf {

const char *layerOpName(LayerOp op) {
  switch (op) {
    case LayerOp::Conv:
      return "CONV";
    case LayerOp::DwConv:
      return "DWCONV";
    case LayerOp::MaxPool:
      return "MAXPOOL";
    case LayerOp::AvgPool:
      return "AVGPOOL";
    case LayerOp::Add:
      return "ADD";
  }
  return "INVALID";
}

int ceilDiv(int a, int b) { return (a + b - 1) / b; }

int channelWords(int channels, const AccelConfig &cfg) { return ceilDiv(channels, cfg.rows); }

int inputWords(const LayerDesc &desc, const AccelConfig &cfg) {
  return desc.in_h * desc.in_w * channelWords(desc.in_c, cfg);
}

int outputWords(const LayerDesc &desc, const AccelConfig &cfg) {
  return desc.out_h * desc.out_w * channelWords(desc.out_c, cfg);
}

int weightTileWords(const LayerDesc &desc, const AccelConfig &cfg) {
  switch (desc.op) {
    case LayerOp::Conv:
      return 1 + desc.kh * desc.kw * channelWords(desc.in_c, cfg);
    case LayerOp::DwConv:
      return 1 + ceilDiv(desc.kh * desc.kw, cfg.cols);
    case LayerOp::AvgPool:
    case LayerOp::Add:
      return 1;
    case LayerOp::MaxPool:
      return 0;
  }
  return 0;
}

int weightTileCount(const LayerDesc &desc, const AccelConfig &cfg) {
  switch (desc.op) {
    case LayerOp::Conv:
      return ceilDiv(desc.out_c, cfg.cols);
    case LayerOp::DwConv:
    case LayerOp::AvgPool:
    case LayerOp::Add:
      return ceilDiv(desc.out_c, cfg.rows);
    case LayerOp::MaxPool:
      return 0;
  }
  return 0;
}

int weightImageWords(const LayerDesc &desc, const AccelConfig &cfg) {
  return weightTileCount(desc, cfg) * weightTileWords(desc, cfg);
}

namespace {

// Collects problems; each check names the descriptor field it blames.
class ProblemList {
 public:
  void check(bool ok, const char *field, std::string reason) {
    if (!ok) problems_.push_back({field, std::move(reason)});
  }
  void range(int64_t value, int64_t lo, int64_t hi, const char *field) {
    check(value >= lo && value <= hi, field, fmt::format("{} is outside {}..{}", value, lo, hi));
  }
  bool empty() const { return problems_.empty(); }
  std::vector<Problem> take() { return std::move(problems_); }

 private:
  std::vector<Problem> problems_;
};

bool isKnownOp(LayerOp op) {
  const int code = static_cast<int>(op);
  return code >= 1 && code <= 5;
}

bool overlaps(int a_base, int a_words, int b_base, int b_words) {
  return a_base < b_base + b_words && b_base < a_base + a_words;
}

// The window of the last output row/column must start inside the input; otherwise that
// output would see only padding, which no framework produces and MAXPOOL cannot define.
void checkWindows(ProblemList &list, const LayerDesc &d) {
  list.check(
      d.pad_top < d.kh, "pad_top",
      fmt::format("{} leaves the first output row without input rows (kh {})", d.pad_top, d.kh));
  list.check(d.pad_left < d.kw, "pad_left",
             fmt::format("{} leaves the first output column without input columns (kw {})",
                         d.pad_left, d.kw));
  const int64_t last_row = int64_t{d.out_h - 1} * d.stride - d.pad_top;
  list.check(last_row < d.in_h, "out_h",
             fmt::format("{} rows with stride {} and pad_top {} put the last window at input "
                         "row {}, beyond in_h {}",
                         d.out_h, d.stride, d.pad_top, last_row, d.in_h));
  const int64_t last_col = int64_t{d.out_w - 1} * d.stride - d.pad_left;
  list.check(last_col < d.in_w, "out_w",
             fmt::format("{} columns with stride {} and pad_left {} put the last window at "
                         "input column {}, beyond in_w {}",
                         d.out_w, d.stride, d.pad_left, last_col, d.in_w));
}

void checkOpShape(ProblemList &list, const LayerDesc &d) {
  switch (d.op) {
    case LayerOp::Conv:
      checkWindows(list, d);
      break;
    case LayerOp::DwConv:
    case LayerOp::MaxPool:
    case LayerOp::AvgPool:
      list.check(d.out_c == d.in_c, "out_c",
                 fmt::format("{} must equal in_c {} for {}", d.out_c, d.in_c, layerOpName(d.op)));
      checkWindows(list, d);
      break;
    case LayerOp::Add:
      list.check(d.kh == 1, "kh", "ADD needs kh = 1");
      list.check(d.kw == 1, "kw", "ADD needs kw = 1");
      list.check(d.stride == 1, "stride", "ADD needs stride = 1");
      list.check(d.pad_top == 0, "pad_top", "ADD has no padding");
      list.check(d.pad_left == 0, "pad_left", "ADD has no padding");
      list.check(d.out_c == d.in_c, "out_c", "ADD output must have in_c channels");
      list.check(d.out_h == d.in_h, "out_h", "ADD output must have in_h rows");
      list.check(d.out_w == d.in_w, "out_w", "ADD output must have in_w columns");
      break;
  }
}

void checkBuffers(ProblemList &list, const LayerDesc &d, const AccelConfig &cfg) {
  const int act_capacity = cfg.actWords();
  const int in_words = inputWords(d, cfg);
  const int out_words = outputWords(d, cfg);
  list.check(d.act_base + int64_t{in_words} <= act_capacity, "act_base",
             fmt::format("input of {} words at {} exceeds the {}-word data buffer", in_words,
                         d.act_base, act_capacity));
  list.check(d.out_base + int64_t{out_words} <= act_capacity, "out_base",
             fmt::format("output of {} words at {} exceeds the {}-word data buffer", out_words,
                         d.out_base, act_capacity));
  list.check(!overlaps(d.act_base, in_words, d.out_base, out_words), "out_base",
             "output overlaps the input in the data buffer");
  if (d.op == LayerOp::Add) {
    list.check(d.act2_base + int64_t{in_words} <= act_capacity, "act2_base",
               fmt::format("second input of {} words at {} exceeds the {}-word data buffer",
                           in_words, d.act2_base, act_capacity));
    list.check(!overlaps(d.act2_base, in_words, d.out_base, out_words), "out_base",
               "output overlaps the second input in the data buffer");
    // The same tensor twice (x + x) is fine; two tensors sharing words are not, since
    // loading the second would overwrite the first.
    list.check(d.act2_base == d.act_base || !overlaps(d.act_base, in_words, d.act2_base, in_words),
               "act2_base", "second input partially overlaps the first in the data buffer");
    list.check(!(d.act2_base == d.act_base && d.act_dma_words > 0 && d.act2_dma_words > 0 &&
                 d.ext_act_addr != d.ext_act2_addr),
               "act2_base", "loads the second input over the first");
  }
  const int w_words = weightImageWords(d, cfg);
  list.check(d.w_base + int64_t{w_words} <= cfg.weightWords(), "w_base",
             fmt::format("weight image of {} words at {} exceeds the {}-word weight buffer",
                         w_words, d.w_base, cfg.weightWords()));
}

// Loads and stores copy whole tensors; a partial copy is never what a compiler means.
void checkDma(ProblemList &list, const LayerDesc &d, const AccelConfig &cfg) {
  const int in_words = inputWords(d, cfg);
  list.check(
      d.act_dma_words == 0 || d.act_dma_words == in_words, "act_dma_words",
      fmt::format("{} must be 0 (resident) or the input size {}", d.act_dma_words, in_words));
  if (d.op == LayerOp::Add) {
    list.check(
        d.act2_dma_words == 0 || d.act2_dma_words == in_words, "act2_dma_words",
        fmt::format("{} must be 0 (resident) or the input size {}", d.act2_dma_words, in_words));
  } else {
    list.check(d.act2_dma_words == 0, "act2_dma_words",
               fmt::format("{} has no second input", layerOpName(d.op)));
  }
  const int w_words = weightImageWords(d, cfg);
  list.check(
      d.w_dma_words == 0 || d.w_dma_words == w_words, "w_dma_words",
      fmt::format("{} must be 0 (resident) or the weight image size {}", d.w_dma_words, w_words));
  const int out_words = outputWords(d, cfg);
  list.check(
      d.out_dma_words == 0 || d.out_dma_words == out_words, "out_dma_words",
      fmt::format("{} must be 0 (kept on chip) or the output size {}", d.out_dma_words, out_words));
  list.check(d.ext_act_addr % 8 == 0, "ext_act_addr", "must be 8-byte aligned");
  list.check(d.ext_act2_addr % 8 == 0, "ext_act2_addr", "must be 8-byte aligned");
  list.check(d.ext_w_addr % 8 == 0, "ext_w_addr", "must be 8-byte aligned");
  list.check(d.ext_out_addr % 8 == 0, "ext_out_addr", "must be 8-byte aligned");
}

}  // namespace

std::vector<Problem> validate(const LayerDesc &d, const AccelConfig &cfg) {
  ProblemList list;
  list.check(isKnownOp(d.op), "op",
             fmt::format("{} is not an opcode (1 CONV .. 5 ADD)", static_cast<int>(d.op)));
  list.range(d.stride, 1, 15, "stride");
  list.range(d.kh, 1, 15, "kh");
  list.range(d.kw, 1, 15, "kw");
  list.range(d.pad_top, 0, 15, "pad_top");
  list.range(d.pad_left, 0, 15, "pad_left");
  list.range(d.in_h, 1, 0xffff, "in_h");
  list.range(d.in_w, 1, 0xffff, "in_w");
  list.range(d.in_c, 1, 0xffff, "in_c");
  list.range(d.out_c, 1, 0xffff, "out_c");
  list.range(d.out_h, 1, 0xffff, "out_h");
  list.range(d.out_w, 1, 0xffff, "out_w");
  list.range(d.act_base, 0, 0xffff, "act_base");
  list.range(d.act2_base, 0, 0xffff, "act2_base");
  list.range(d.out_base, 0, 0xffff, "out_base");
  list.range(d.w_base, 0, 0xffff, "w_base");
  list.range(d.act_min, -128, 127, "act_min");
  list.range(d.act_max, -128, 127, "act_max");
  list.check(d.act_min <= d.act_max, "act_max",
             fmt::format("{} is below act_min {}", d.act_max, d.act_min));
  list.range(d.add_wa, -128, 127, "add_wa");
  list.range(d.add_wb, -128, 127, "add_wb");
  list.range(d.act_dma_words, 0, 0xffff, "act_dma_words");
  list.range(d.act2_dma_words, 0, 0xffff, "act2_dma_words");
  list.range(d.w_dma_words, 0, 0xffff, "w_dma_words");
  list.range(d.out_dma_words, 0, 0xffff, "out_dma_words");
  // Shape-derived checks would overflow or divide by nonsense on out-of-range fields.
  if (!list.empty()) return list.take();
  checkOpShape(list, d);
  if (!list.empty()) return list.take();
  checkBuffers(list, d, cfg);
  checkDma(list, d, cfg);
  return list.take();
}

std::vector<Problem> validateTensors(const LayerDesc &d, const LayerTensors &t) {
  ProblemList list;
  const size_t in_size = size_t(d.in_h) * size_t(d.in_w) * size_t(d.in_c);
  list.check(t.input.size() == in_size, "input",
             fmt::format("has {} elements, in_h*in_w*in_c is {}", t.input.size(), in_size));
  if (d.op == LayerOp::Add) {
    list.check(t.input2.size() == in_size, "input2",
               fmt::format("has {} elements, in_h*in_w*in_c is {}", t.input2.size(), in_size));
  }
  size_t w_size = 0;
  if (d.op == LayerOp::Conv) {
    w_size = size_t(d.out_c) * size_t(d.in_c) * size_t(d.kh) * size_t(d.kw);
  } else if (d.op == LayerOp::DwConv) {
    w_size = size_t(d.out_c) * size_t(d.kh) * size_t(d.kw);
  }
  list.check(t.weights.size() == w_size, "weights",
             fmt::format("has {} elements, the layer needs {}", t.weights.size(), w_size));
  if (d.op != LayerOp::MaxPool) {
    const size_t channels = size_t(d.out_c);
    list.check(t.bias.size() == channels, "bias", fmt::format("needs {} entries", channels));
    list.check(t.scale.size() == channels, "scale", fmt::format("needs {} entries", channels));
    list.check(t.shift.size() == channels, "shift", fmt::format("needs {} entries", channels));
    for (size_t c = 0; c < t.shift.size(); ++c) {
      list.check(t.shift[c] <= 47, "shift",
                 fmt::format("channel {}: {} is outside 0..47", c, t.shift[c]));
    }
  }
  return list.take();
}

std::string formatProblems(const std::vector<Problem> &problems) {
  std::string text;
  for (const Problem &p : problems) {
    if (!text.empty()) text += "; ";
    text += fmt::format("{}: {}", p.field, p.reason);
  }
  return text;
}

std::string describeLayer(const LayerDesc &d) {
  return fmt::format(
      "{} in {}x{}x{} -> out {}x{}x{} k {}x{} s {} pad t{} l{} clamp [{},{}] add_w {}/{} "
      "act_base {} act2_base {} out_base {} w_base {} dma act {} act2 {} w {} out {}",
      layerOpName(d.op), d.in_h, d.in_w, d.in_c, d.out_h, d.out_w, d.out_c, d.kh, d.kw, d.stride,
      d.pad_top, d.pad_left, d.act_min, d.act_max, d.add_wa, d.add_wb, d.act_base, d.act2_base,
      d.out_base, d.w_base, d.act_dma_words, d.act2_dma_words, d.w_dma_words, d.out_dma_words);
}

}  // namespace pf
