// Layer description shared by the golden model, the packers and the RTL testbench.
//
// Everything here mirrors docs/accelerator.md (the contract with rtl/pf_accel): the
// accelerator parameters, the 16-word layer descriptor and the tensors a layer reads.
// Field names follow the document so that a reader can match them one to one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pf {

// Elaboration parameters of pf_accel (names in the RTL: ROWS, COLS, ...).
struct AccelConfig {
  int rows = 8;               // input-channel lanes; one data word = rows bytes
  int cols = 8;               // output-channel columns; one weight word = rows*cols bytes
  int col_groups = 4;         // separately gated PE column groups (divides cols)
  int act_banks = 4;          // data-buffer banks
  int act_bank_words = 2048;  // words per data bank
  int w_banks = 4;            // weight-buffer banks (why 4: docs/accelerator.md)
  int w_bank_words = 256;     // words per weight bank

  int actWords() const { return act_banks * act_bank_words; }
  int weightWords() const { return w_banks * w_bank_words; }
  int colsPerGroup() const { return cols / col_groups; }
};

// Descriptor word 0 bits 3:0. Values outside 1..5 are legal to encode (the RTL answers
// err_code 1), so the enum may hold other numbers in tests of that path.
enum class LayerOp : uint8_t { Conv = 1, DwConv = 2, MaxPool = 3, AvgPool = 4, Add = 5 };

const char *layerOpName(LayerOp op);

// One layer as the accelerator sees it: the decoded 64-byte descriptor.
// Sizes are in elements, buffer addresses in words of the respective buffer, external
// addresses in bytes. Bottom/right padding are implied by out_h/out_w.
struct LayerDesc {
  LayerOp op = LayerOp::Conv;
  int stride = 1;    // 1..15, same in both dimensions
  int kh = 1;        // kernel height 1..15
  int kw = 1;        // kernel width 1..15
  int pad_top = 0;   // 0..15 rows of implicit zero (ignored for max) above the input
  int pad_left = 0;  // 0..15 columns left of the input

  int in_h = 1, in_w = 1, in_c = 1;  // input tensor shape (HWC), each 1..65535
  int out_c = 1;                     // output channels (== in_c except for CONV)
  int out_h = 1, out_w = 1;          // output spatial shape

  int act_base = 0;   // data-buffer word address of the input
  int act2_base = 0;  // data-buffer word address of the second input (ADD only)
  int out_base = 0;   // data-buffer word address of the output
  int w_base = 0;     // weight-buffer word address of the first tile

  int act_min = -128;  // int8 clamp bounds applied to every output
  int act_max = 127;
  int add_wa = 1;  // int8 multipliers of the two ADD inputs
  int add_wb = 1;

  uint32_t ext_act_addr = 0;   // byte address of the input in external memory
  uint32_t ext_act2_addr = 0;  // byte address of the second input
  uint32_t ext_w_addr = 0;     // byte address of the weight image
  uint32_t ext_out_addr = 0;   // byte address the output is stored to

  int act_dma_words = 0;   // data words loaded to act_base (0 = already resident)
  int act2_dma_words = 0;  // data words loaded to act2_base
  int w_dma_words = 0;     // weight words loaded to w_base (0 = already resident)
  int out_dma_words = 0;   // data words stored from out_base (0 = kept on chip)
};

// The numbers a layer computes on. Tensors are unpadded HWC int8.
struct LayerTensors {
  std::vector<int8_t> input;   // in_h * in_w * in_c
  std::vector<int8_t> input2;  // ADD only: same shape as input
  // CONV: [out_c][in_c][kh][kw]; DWCONV: [c][kh*kw]; others: empty.
  std::vector<int8_t> weights;
  // Per output channel requantisation (every op but MAXPOOL), out_c entries each.
  std::vector<int32_t> bias;
  std::vector<uint16_t> scale;
  std::vector<uint8_t> shift;  // 0..47
};

// One reason a descriptor or tensor set is unusable, naming the offending field.
struct Problem {
  std::string field;
  std::string reason;
};

// Size helpers in the units of the contract.
int ceilDiv(int a, int b);
int channelWords(int channels, const AccelConfig &cfg);  // CW = ceil(C / ROWS)
int inputWords(const LayerDesc &desc, const AccelConfig &cfg);
int outputWords(const LayerDesc &desc, const AccelConfig &cfg);
int weightTileWords(const LayerDesc &desc, const AccelConfig &cfg);  // 0 for MAXPOOL
int weightTileCount(const LayerDesc &desc, const AccelConfig &cfg);
int weightImageWords(const LayerDesc &desc, const AccelConfig &cfg);  // all tiles

// Everything that makes the descriptor unusable on an accelerator with `cfg`: fields out
// of their encodable range, shapes inconsistent with kernel/stride/padding or with the
// op, tensors or weight image not fitting their buffers, DMA word counts that do not
// match the tensor sizes, overlapping input and output, misaligned external addresses.
// Empty means the layer is well-formed.
std::vector<Problem> validate(const LayerDesc &desc, const AccelConfig &cfg);

// Checks that the tensors have the sizes `desc` implies and that shifts are in range.
std::vector<Problem> validateTensors(const LayerDesc &desc, const LayerTensors &tensors);

// "field: reason; field: reason" for messages.
std::string formatProblems(const std::vector<Problem> &problems);

// One-line summary of the layer's shape fields for test failure messages.
std::string describeLayer(const LayerDesc &desc);

}  // namespace pf
