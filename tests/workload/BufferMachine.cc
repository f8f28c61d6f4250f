#include "tests/workload/BufferMachine.hh"

#include <random>

#include "golden/Packing.hh"
#include "golden/Reference.hh"

namespace pf::test {

BufferMachine::BufferMachine(const AccelConfig &cfg, std::vector<uint8_t> memory, uint32_t seed)
    : cfg_(cfg), memory_(std::move(memory)) {
  std::mt19937 rng(seed);
  data_.resize(size_t(cfg.actWords()) * size_t(dataWordBytes(cfg)));
  weights_.resize(size_t(cfg.weightWords()) * size_t(weightWordBytes(cfg)));
  for (uint8_t &b : data_) b = uint8_t(rng());
  for (uint8_t &b : weights_) b = uint8_t(rng());
}

void BufferMachine::copyIn(std::vector<uint8_t> &buffer, int word_bytes, int base, uint32_t ext,
                           int words) {
  if (size_t(ext) + size_t(words) * size_t(word_bytes) > memory_.size()) {
    problems_.push_back(describeLayer({}) + ": load beyond external memory");
    return;
  }
  writeWords(buffer, word_bytes, base,
             std::vector<uint8_t>(memory_.begin() + ext,
                                  memory_.begin() + ext + long(words) * word_bytes));
}

std::vector<uint8_t> BufferMachine::readWords(const std::vector<uint8_t> &buffer, int word_bytes,
                                              int base, int words) const {
  const size_t capacity = buffer.size() / size_t(word_bytes);
  std::vector<uint8_t> bytes;
  for (int w = 0; w < words; ++w) {
    const size_t at = (size_t(base) + size_t(w)) % capacity * size_t(word_bytes);
    bytes.insert(bytes.end(), buffer.begin() + long(at), buffer.begin() + long(at) + word_bytes);
  }
  return bytes;
}

void BufferMachine::writeWords(std::vector<uint8_t> &buffer, int word_bytes, int base,
                               const std::vector<uint8_t> &bytes) {
  const size_t capacity = buffer.size() / size_t(word_bytes);
  for (size_t w = 0; w < bytes.size() / size_t(word_bytes); ++w) {
    const size_t at = (size_t(base) + w) % capacity * size_t(word_bytes);
    std::copy(bytes.begin() + long(w) * word_bytes, bytes.begin() + long(w + 1) * word_bytes,
              buffer.begin() + long(at));
  }
}

void BufferMachine::run(const LayerDesc &d, const LayerTensors &weights) {
  const std::vector<Problem> invalid = validate(d, cfg_);
  if (!invalid.empty()) {
    problems_.push_back(describeLayer(d) + ": " + formatProblems(invalid));
    return;
  }
  const int data_bytes = dataWordBytes(cfg_), weight_bytes = weightWordBytes(cfg_);
  if (d.act_dma_words > 0) copyIn(data_, data_bytes, d.act_base, d.ext_act_addr, d.act_dma_words);
  if (d.act2_dma_words > 0)
    copyIn(data_, data_bytes, d.act2_base, d.ext_act2_addr, d.act2_dma_words);
  if (d.w_dma_words > 0) copyIn(weights_, weight_bytes, d.w_base, d.ext_w_addr, d.w_dma_words);
  if (d.op != LayerOp::MaxPool) {
    const std::vector<uint8_t> image = packWeights(d, weights, cfg_);
    if (readWords(weights_, weight_bytes, d.w_base, weightImageWords(d, cfg_)) != image)
      problems_.push_back(describeLayer(d) +
                          ": the weight buffer does not hold the tile's weights");
  }
  LayerTensors t = weights;
  const int in_words = inputWords(d, cfg_);
  t.input = unpackTensor(readWords(data_, data_bytes, d.act_base, in_words), d.in_h, d.in_w, d.in_c,
                         cfg_);
  if (d.op == LayerOp::Add)
    t.input2 = unpackTensor(readWords(data_, data_bytes, d.act2_base, in_words), d.in_h, d.in_w,
                            d.in_c, cfg_);
  writeWords(data_, data_bytes, d.out_base,
             packTensor(runReference(d, t), d.out_h, d.out_w, d.out_c, cfg_));
  if (d.out_dma_words > 0) {
    const std::vector<uint8_t> out = readWords(data_, data_bytes, d.out_base, d.out_dma_words);
    if (size_t(d.ext_out_addr) + out.size() > memory_.size()) {
      problems_.push_back(describeLayer(d) + ": store beyond external memory");
      return;
    }
    std::copy(out.begin(), out.end(), memory_.begin() + d.ext_out_addr);
  }
}

}  // namespace pf::test
