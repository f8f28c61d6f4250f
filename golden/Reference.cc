#include "golden/Reference.hh"

#include <algorithm>
#include <stdexcept>

namespace pf {

namespace {

// The accumulator is a 32-bit two's-complement register: sums wrap instead of saturating.
// Unsigned arithmetic makes the wrap well defined in C++.
int32_t wrapAdd(int32_t acc, int64_t term) {
  return static_cast<int32_t>(static_cast<uint32_t>(acc) + static_cast<uint32_t>(term));
}

// min(max(value, lo), hi): the documented order, which also defines lo > hi (gives hi).
int clampInt(int64_t value, int lo, int hi) {
  return static_cast<int>(std::min<int64_t>(std::max<int64_t>(value, lo), hi));
}

class LayerView {
 public:
  LayerView(const LayerDesc &desc, const LayerTensors &tensors) : d_(desc), t_(tensors) {}

  // Whether input position (y, x) exists; outside it is padding.
  bool inBounds(int y, int x) const { return y >= 0 && y < d_.in_h && x >= 0 && x < d_.in_w; }
  int input(int y, int x, int c) const { return t_.input[index(y, x, c)]; }
  int input2(int y, int x, int c) const { return t_.input2[index(y, x, c)]; }
  int convWeight(int co, int ci, int ky, int kx) const {
    return t_.weights[((size_t(co) * d_.in_c + ci) * d_.kh + ky) * d_.kw + kx];
  }
  int dwWeight(int c, int ky, int kx) const {
    return t_.weights[size_t(c) * d_.kh * d_.kw + size_t(ky) * d_.kw + kx];
  }
  int iy(int oy, int ky) const { return oy * d_.stride + ky - d_.pad_top; }
  int ix(int ox, int kx) const { return ox * d_.stride + kx - d_.pad_left; }

  int32_t accumulate(int oy, int ox, int co) const {
    int32_t acc = t_.bias[co];
    switch (d_.op) {
      case LayerOp::Conv:
        for (int ky = 0; ky < d_.kh; ++ky) {
          for (int kx = 0; kx < d_.kw; ++kx) {
            if (!inBounds(iy(oy, ky), ix(ox, kx))) continue;
            for (int ci = 0; ci < d_.in_c; ++ci) {
              acc = wrapAdd(acc, input(iy(oy, ky), ix(ox, kx), ci) * convWeight(co, ci, ky, kx));
            }
          }
        }
        break;
      case LayerOp::DwConv:
        for (int ky = 0; ky < d_.kh; ++ky) {
          for (int kx = 0; kx < d_.kw; ++kx) {
            if (!inBounds(iy(oy, ky), ix(ox, kx))) continue;
            acc = wrapAdd(acc, input(iy(oy, ky), ix(ox, kx), co) * dwWeight(co, ky, kx));
          }
        }
        break;
      case LayerOp::AvgPool:
        for (int ky = 0; ky < d_.kh; ++ky) {
          for (int kx = 0; kx < d_.kw; ++kx) {
            if (!inBounds(iy(oy, ky), ix(ox, kx))) continue;
            acc = wrapAdd(acc, input(iy(oy, ky), ix(ox, kx), co));
          }
        }
        break;
      case LayerOp::Add:
        acc = wrapAdd(acc, d_.add_wa * input(oy, ox, co));
        acc = wrapAdd(acc, d_.add_wb * input2(oy, ox, co));
        break;
      case LayerOp::MaxPool:
        throw std::logic_error("MAXPOOL does not accumulate");
    }
    return acc;
  }

  int maximum(int oy, int ox, int c) const {
    int m = -128;
    for (int ky = 0; ky < d_.kh; ++ky) {
      for (int kx = 0; kx < d_.kw; ++kx) {
        if (inBounds(iy(oy, ky), ix(ox, kx))) m = std::max(m, input(iy(oy, ky), ix(ox, kx), c));
      }
    }
    return m;
  }

 private:
  size_t index(int y, int x, int c) const { return (size_t(y) * d_.in_w + x) * d_.in_c + c; }

  const LayerDesc &d_;
  const LayerTensors &t_;
};

void requireSize(size_t actual, size_t expected, const char *what) {
  if (actual != expected) {
    throw std::invalid_argument(std::string("runReference: tensor '") + what +
                                "' has the wrong size");
  }
}

}  // namespace

int8_t requantize(int32_t acc, uint16_t scale, uint8_t shift, int act_min, int act_max) {
  const int64_t product = int64_t{acc} * int64_t{scale};
  // >> on a negative int64 is an arithmetic shift in C++20. |product| < 2^47, so a shift
  // above 47 (outside the contract's 0..47) rounds every product to exactly 0.
  int64_t shifted = product;
  if (shift > 47) {
    shifted = 0;
  } else if (shift > 0) {
    shifted = (product + (int64_t{1} << (shift - 1))) >> shift;
  }
  return static_cast<int8_t>(clampInt(shifted, act_min, act_max));
}

std::vector<int8_t> runReference(const LayerDesc &d, const LayerTensors &t) {
  const size_t in_size = size_t(d.in_h) * d.in_w * d.in_c;
  requireSize(t.input.size(), in_size, "input");
  if (d.op == LayerOp::Add) requireSize(t.input2.size(), in_size, "input2");
  if (d.op == LayerOp::Conv) {
    requireSize(t.weights.size(), size_t(d.out_c) * d.in_c * d.kh * d.kw, "weights");
  } else if (d.op == LayerOp::DwConv) {
    requireSize(t.weights.size(), size_t(d.out_c) * d.kh * d.kw, "weights");
  }
  if (d.op != LayerOp::MaxPool) {
    requireSize(t.bias.size(), size_t(d.out_c), "bias");
    requireSize(t.scale.size(), size_t(d.out_c), "scale");
    requireSize(t.shift.size(), size_t(d.out_c), "shift");
  }
  if (d.op == LayerOp::Add &&
      (d.out_h != d.in_h || d.out_w != d.in_w || d.stride != 1 || d.kh != 1 || d.kw != 1)) {
    throw std::invalid_argument("runReference: ADD needs equal shapes and a 1x1 window");
  }

  const LayerView view(d, t);
  std::vector<int8_t> out(size_t(d.out_h) * d.out_w * d.out_c);
  size_t index = 0;
  for (int oy = 0; oy < d.out_h; ++oy) {
    for (int ox = 0; ox < d.out_w; ++ox) {
      for (int co = 0; co < d.out_c; ++co) {
        if (d.op == LayerOp::MaxPool) {
          out[index++] =
              static_cast<int8_t>(clampInt(view.maximum(oy, ox, co), d.act_min, d.act_max));
        } else {
          out[index++] = requantize(view.accumulate(oy, ox, co), t.scale[co], t.shift[co],
                                    d.act_min, d.act_max);
        }
      }
    }
  }
  return out;
}

}  // namespace pf
