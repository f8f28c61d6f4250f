// Unit tests of the golden model alone. Every expected value is derived by hand from the
// "Layer semantics" and "Data layout" sections of docs/accelerator.md (derivations in the
// comments), never copied from the model's own output.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>

#include "golden/Builders.hh"
#include "golden/Layer.hh"
#include "golden/Packing.hh"
#include "golden/Reference.hh"
#include "golden/Timing.hh"

namespace pf {
namespace {

const AccelConfig kCfg;

// Requant parameters that pass the accumulator through unchanged.
void identityRequant(LayerTensors &t, int channels, int32_t bias = 0) {
  t.bias.assign(size_t(channels), bias);
  t.scale.assign(size_t(channels), 1);
  t.shift.assign(size_t(channels), 0);
}

bool hasProblemWithField(const std::vector<Problem> &problems, const std::string &field) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const Problem &p) { return p.field == field; });
}

TEST(Reference, Conv3x3Pad1OnesKernelSumsNeighbourhoods) {
  // Input 1..9 in a 3x3 single-channel image, all-one 3x3 kernel, padding 1: each output
  // is the sum of the in-bounds 3x3 neighbourhood, e.g. corner (0,0) = 1+2+4+5 = 12,
  // centre = 45. Bias -10 shifts every value.
  LayerDesc d = conv2dLayer(3, 3, 1, 1, 3, 1, 1, Activation::none());
  LayerTensors t;
  t.input = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  t.weights.assign(9, 1);
  identityRequant(t, 1, -10);
  const std::vector<int8_t> expected = {12 - 10, 21 - 10, 16 - 10, 27 - 10, 45 - 10,
                                        33 - 10, 24 - 10, 39 - 10, 28 - 10};
  EXPECT_EQ(runReference(d, t), expected);
}

TEST(Reference, ConvMultiChannelUsesWeightLayoutCoCiKyKx) {
  // 1x1 input with 2 channels (3, -2), 2 output channels, 1x1 kernel:
  // co0 = 3*w[0][0] + -2*w[0][1] = 3*4 + -2*5 = 2; co1 = 3*-1 + -2*2 = -7; bias 1 / 0.
  LayerDesc d = fullyConnectedLayer(2, 2, Activation::none());
  LayerTensors t;
  t.input = {3, -2};
  t.weights = {4, 5, -1, 2};
  identityRequant(t, 2);
  t.bias = {1, 0};
  EXPECT_EQ(runReference(d, t), (std::vector<int8_t>{3, -7}));
}

TEST(Reference, ConvStride2PaddingSkipsOutOfBounds) {
  // 4x4 input x[y][x] = 4y+x, 3x3 ones kernel, stride 2, pad 1 -> 2x2 output.
  // (0,0): rows 0..1 x cols 0..1 = 0+1+4+5 = 10. (0,1): rows 0..1, cols 1..3
  // = 1+2+3+5+6+7 = 24. (1,0): rows 1..3, cols 0..1 = 4+5+8+9+12+13 = 51.
  // (1,1): rows 1..3, cols 1..3 = 5+6+7+9+10+11+13+14+15 = 90.
  LayerDesc d = conv2dLayer(4, 4, 1, 1, 3, 2, 1, Activation::none());
  ASSERT_EQ(d.out_h, 2);
  ASSERT_EQ(d.out_w, 2);
  LayerTensors t;
  for (int i = 0; i < 16; ++i) t.input.push_back(static_cast<int8_t>(i));
  t.weights.assign(9, 1);
  identityRequant(t, 1);
  EXPECT_EQ(runReference(d, t), (std::vector<int8_t>{10, 24, 51, 90}));
}

TEST(Reference, AccumulatorWrapsAt32Bits) {
  // bias INT32_MAX plus 1*1 wraps to INT32_MIN, which clamps to -128; a saturating
  // accumulator would give +127.
  LayerDesc d = fullyConnectedLayer(1, 1, Activation::none());
  LayerTensors t;
  t.input = {1};
  t.weights = {1};
  identityRequant(t, 1, std::numeric_limits<int32_t>::max());
  EXPECT_EQ(runReference(d, t), (std::vector<int8_t>{-128}));
}

TEST(Requantize, RoundsHalfUpAtPointFiveBoundaries) {
  EXPECT_EQ(requantize(3, 1, 1, -128, 127), 2);     // 1.5 -> 2
  EXPECT_EQ(requantize(1, 1, 1, -128, 127), 1);     // 0.5 -> 1
  EXPECT_EQ(requantize(5, 1, 2, -128, 127), 1);     // 1.25 -> 1
  EXPECT_EQ(requantize(6, 1, 2, -128, 127), 2);     // 1.5 -> 2
  EXPECT_EQ(requantize(7, 1, 2, -128, 127), 2);     // 1.75 -> 2
  EXPECT_EQ(requantize(100, 3, 2, -128, 127), 75);  // 300 / 4 = 75 exactly
}

TEST(Requantize, NegativeValuesRoundTowardsPlusInfinityAtHalf) {
  // (p + 2^(s-1)) >> s with an arithmetic shift is floor(p/2^s + 0.5).
  EXPECT_EQ(requantize(-3, 1, 1, -128, 127), -1);  // -1.5 -> -1
  EXPECT_EQ(requantize(-1, 1, 1, -128, 127), 0);   // -0.5 -> 0
  EXPECT_EQ(requantize(-6, 1, 2, -128, 127), -1);  // -1.5 -> -1
  EXPECT_EQ(requantize(-7, 1, 2, -128, 127), -2);  // -1.75 -> -2
  EXPECT_EQ(requantize(-5, 1, 2, -128, 127), -1);  // -1.25 -> -1
}

TEST(Requantize, UsesSixtyFourBitProductAndClamps) {
  // -2^31 * 65535 / 2^47 = -(65535/65536) ~ -0.99998; + 0.5 -> floor(-0.49998) = -1.
  // A 32-bit product would overflow.
  EXPECT_EQ(requantize(std::numeric_limits<int32_t>::min(), 65535, 47, -128, 127), -1);
  // 2^31-1 times 65535 over 2^40 is ~127.99 -> 128 -> clamped to 127.
  EXPECT_EQ(requantize(std::numeric_limits<int32_t>::max(), 65535, 40, -128, 127), 127);
  EXPECT_EQ(requantize(1000, 1, 0, -128, 127), 127);
  EXPECT_EQ(requantize(-1000, 1, 0, -128, 127), -128);
  EXPECT_EQ(requantize(-5, 1, 0, 0, 127), 0);    // ReLU
  EXPECT_EQ(requantize(50, 1, 0, 0, 24), 24);    // ReLU6 with q(6.0) = 24
  EXPECT_EQ(requantize(7, 0, 0, -128, 127), 0);  // scale 0 zeroes everything
  // Beyond the contract's 0..47, the formula's exact value is 0 (clamped).
  EXPECT_EQ(requantize(std::numeric_limits<int32_t>::min(), 65535, 48, -128, 127), 0);
  EXPECT_EQ(requantize(1000, 65535, 60, 5, 127), 5);
  // Clamp order min(max(y, act_min), act_max): with act_min > act_max the result is act_max.
  EXPECT_EQ(requantize(0, 1, 0, 10, 3), 3);
}

TEST(Reference, DepthwiseUsesOwnChannelOnly) {
  // 2x2 input, 2 channels: ch0 = [1 2; 3 4], ch1 = -ch0. 2x2 kernel, no padding -> 1x1.
  // ch0 weights [1 0; 0 1] -> 1 + 4 = 5, bias 1 -> 6. ch1 weights all 1 -> -10.
  LayerDesc d = depthwiseLayer(2, 2, 2, 2, 1, 0, Activation::none());
  LayerTensors t;
  t.input = {1, -1, 2, -2, 3, -3, 4, -4};
  t.weights = {1, 0, 0, 1, 1, 1, 1, 1};
  identityRequant(t, 2);
  t.bias = {1, 0};
  EXPECT_EQ(runReference(d, t), (std::vector<int8_t>{6, -10}));
}

TEST(Reference, MaxPoolIgnoresPadding) {
  // All inputs negative: a 3x3 pad-1 window always contains the whole 2x2 input, so each
  // output is max(-5,-3,-7,-9) = -3. Padding counted as 0 would give 0.
  LayerDesc d = maxPoolLayer(2, 2, 1, 3, 1, 1);
  LayerTensors t;
  t.input = {-5, -3, -7, -9};
  EXPECT_EQ(runReference(d, t), (std::vector<int8_t>{-3, -3, -3, -3}));
  d.act_min = -4;  // clamp applies, requantisation does not
  d.act_max = -4;
  EXPECT_EQ(runReference(d, t), (std::vector<int8_t>{-4, -4, -4, -4}));
}

TEST(Reference, MaxPoolStride2PerChannel) {
  // 2x4 input, 2 channels; 2x2 windows stride 2 -> 1x2 output.
  // ch0 rows [1 5 -2 0; 3 2 8 -1]: max(1,5,3,2)=5, max(-2,0,8,-1)=8. ch1 = -ch0:
  // max(-1,-5,-3,-2) = -1, max(2,0,-8,1) = 2.
  LayerDesc d = maxPoolLayer(2, 4, 2, 2, 2, 0);
  LayerTensors t;
  const int ch0[8] = {1, 5, -2, 0, 3, 2, 8, -1};
  for (int v : ch0) {
    t.input.push_back(static_cast<int8_t>(v));
    t.input.push_back(static_cast<int8_t>(-v));
  }
  EXPECT_EQ(runReference(d, t), (std::vector<int8_t>{5, -1, 8, 2}));
}

TEST(Reference, AvgPoolDividesThroughRequantisation) {
  // [1 2; 3 4], 2x2 window: sum 10; 1/4 = 32768 / 2^17, (10*32768 + 2^16) >> 17 = 3
  // (the mean 2.5 rounds half up).
  LayerDesc d = avgPoolLayer(2, 2, 1, 2, 2, 0);
  LayerTensors t;
  t.input = {1, 2, 3, 4};
  setAvgPoolRequant(d, t);
  EXPECT_EQ(t.scale[0], 32768);
  EXPECT_EQ(t.shift[0], 17);
  EXPECT_EQ(runReference(d, t), (std::vector<int8_t>{3}));
}

TEST(Builders, ReciprocalRequantKeepsMostPrecision) {
  // 2^19 / 9 = 58254.2 fits 16 bits, 2^20 / 9 = 116508.4 does not.
  const Requant nine = reciprocalRequant(9);
  EXPECT_EQ(nine.scale, 58254);
  EXPECT_EQ(nine.shift, 19);
  const Requant one = reciprocalRequant(1);  // 2^15 is the largest power of two <= 65535
  EXPECT_EQ(one.scale, 32768);
  EXPECT_EQ(one.shift, 15);
}

TEST(Reference, AddWeightsBothInputs) {
  // 1 + 2*10 + 3*(-3) = 12; second pixel -128*-128 + 0 = 16384 clamps to 127.
  LayerDesc d = residualAddLayer(1, 2, 1, 2, 3, Activation::none());
  LayerTensors t;
  t.input = {10, -128};
  t.input2 = {-3, 0};
  identityRequant(t, 1, 1);
  EXPECT_EQ(runReference(d, t)[0], 12);
  d.add_wa = -128;
  EXPECT_EQ(runReference(d, t)[1], 127);
}

TEST(Packing, DescriptorFieldsLandOnDocumentedBits) {
  LayerDesc d;
  d.op = LayerOp::Conv;
  d.stride = 2;
  d.kh = 3;
  d.kw = 5;
  d.pad_top = 1;
  d.pad_left = 2;
  d.in_h = 0x1234;
  d.in_w = 0x00ab;
  d.act_min = -128;  // 0x80
  d.act_max = 127;   // 0x7f
  d.add_wa = -1;     // 0xff
  d.add_wb = 2;
  d.ext_out_addr = 0xdeadbee8;
  d.w_dma_words = 7;
  d.out_dma_words = 9;
  const auto w = encodeDescriptor(d);
  // op | stride<<4 | kh<<8 | kw<<12 | pad_top<<16 | pad_left<<20
  EXPECT_EQ(w[0], 0x00215321u);
  EXPECT_EQ(w[1], 0x00ab1234u);
  EXPECT_EQ(w[6], 0x02ff7f80u);
  EXPECT_EQ(w[10], 0xdeadbee8u);
  EXPECT_EQ(w[12], 0x00090007u);
  EXPECT_EQ(w[13] | w[14] | w[15], 0u);
  const std::vector<uint8_t> bytes = descriptorBytes(d);
  EXPECT_EQ(bytes[0], 0x21);  // little-endian
  EXPECT_EQ(bytes[3], 0x00);
  EXPECT_EQ(bytes[4], 0x34);
  const LayerDesc back = decodeDescriptor(w);
  EXPECT_EQ(encodeDescriptor(back), w);
  EXPECT_EQ(back.act_min, -128);
  EXPECT_EQ(back.add_wa, -1);
}

TEST(Packing, TensorPadsChannelsToWholeWords) {
  // 1x2 pixels, 9 channels: CW = 2 words of 8 bytes per pixel; channel 8 of pixel 1 is
  // byte 16 + 8 = 24; lanes 9..15 of each pixel are zero.
  std::vector<int8_t> hwc(18);
  for (int i = 0; i < 18; ++i) hwc[size_t(i)] = static_cast<int8_t>(i + 1);
  const std::vector<uint8_t> image = packTensor(hwc, 1, 2, 9, kCfg);
  ASSERT_EQ(image.size(), 32u);
  EXPECT_EQ(image[0], 1);
  EXPECT_EQ(image[8], 9);
  EXPECT_EQ(image[9], 0);
  EXPECT_EQ(image[16], 10);
  EXPECT_EQ(image[24], 18);
  EXPECT_EQ(image[31], 0);
  std::vector<uint8_t> dirty = image;
  dirty[9] = 0x55;  // padding lanes are ignored on the way back
  EXPECT_EQ(unpackTensor(dirty, 1, 2, 9, kCfg), hwc);
}

TEST(Packing, ConvWeightTilesStartWithParameterWord) {
  // out_c 9, in_c 3, 1x1: 2 tiles of 1 + 1*1*1 words (64 bytes each).
  LayerDesc d = pointwiseLayer(1, 1, 3, 9, Activation::none());
  LayerTensors t;
  for (int co = 0; co < 9; ++co) {
    for (int ci = 0; ci < 3; ++ci) t.weights.push_back(static_cast<int8_t>(10 * co + ci));
  }
  t.bias.resize(9);
  t.scale.resize(9);
  t.shift.resize(9);
  for (int co = 0; co < 9; ++co) {
    t.bias[size_t(co)] = -2 - co;
    t.scale[size_t(co)] = static_cast<uint16_t>(0x1234 + co);
    t.shift[size_t(co)] = static_cast<uint8_t>(co);
  }
  ASSERT_EQ(weightImageWords(d, kCfg), 4);
  const std::vector<uint8_t> img = packWeights(d, t, kCfg);
  ASSERT_EQ(img.size(), 4u * 64u);
  // Tile 0 parameter word, channel 1 at bytes 8..15: bias -3 = fd ff ff ff, scale 0x1235.
  EXPECT_EQ(img[8], 0xfd);
  EXPECT_EQ(img[11], 0xff);
  EXPECT_EQ(img[12], 0x35);
  EXPECT_EQ(img[13], 0x12);
  EXPECT_EQ(img[14], 1);
  EXPECT_EQ(img[15], 0);
  // Tile 0 weight word 1: byte c*8 + r = w[c][r]; w[2][1] = 21 at 64 + 17.
  EXPECT_EQ(img[64 + 17], 21);
  EXPECT_EQ(img[64 + 3], 0);  // lane 3 >= in_c is zero
  // Tile 1 (channel 8): parameter word at 128, bias -10; weight word at 192, w[8][2] = 82.
  EXPECT_EQ(img[128], static_cast<uint8_t>(-10));
  EXPECT_EQ(img[128 + 8], 0);  // channel 9 does not exist
  EXPECT_EQ(img[192 + 2], 82);
  EXPECT_EQ(img[192 + 8], 0);
}

TEST(Packing, DepthwiseWeightsSpreadKernelPositionsOverColumns) {
  // 3x3 kernel = 9 positions, COLS 8: tile words 1 + 2; position k=8 is column 0 of
  // word 2. Channel r's weight k sits at byte (k%8)*8 + r.
  LayerDesc d = depthwiseLayer(3, 3, 2, 3, 1, 1, Activation::none());
  LayerTensors t;
  for (int c = 0; c < 2; ++c) {
    for (int k = 0; k < 9; ++k) t.weights.push_back(static_cast<int8_t>(10 * c + k));
  }
  identityRequant(t, 2);
  ASSERT_EQ(weightImageWords(d, kCfg), 3);
  const std::vector<uint8_t> img = packWeights(d, t, kCfg);
  EXPECT_EQ(img[64 + 3 * 8 + 1], 13);  // channel 1, k 3
  EXPECT_EQ(img[128 + 0 * 8 + 0], 8);  // channel 0, k 8
  EXPECT_EQ(img[128 + 0 * 8 + 1], 18);
  EXPECT_EQ(img[128 + 1 * 8 + 0], 0);  // k 9 does not exist
}

TEST(Packing, DmaBeatsFollowWordSizes) {
  LayerDesc d = conv2dLayer(4, 4, 9, 3, 3, 1, 1, Activation::relu());
  placeLayer(d, compactPlacement(d, kCfg, 0x1000), kCfg);
  // input 4*4*2 = 32 words, output 4*4*1 = 16, weights 1 tile of 1 + 9*2 = 19 words.
  EXPECT_EQ(d.act_dma_words, 32);
  EXPECT_EQ(d.out_dma_words, 16);
  EXPECT_EQ(d.w_dma_words, 19);
  const DmaWords dma = dmaWords(d, kCfg);
  EXPECT_EQ(dma.loadBeats, 32 + 19 * 8);
  EXPECT_EQ(dma.storeBeats, 16);
  EXPECT_TRUE(validate(d, kCfg).empty()) << formatProblems(validate(d, kCfg));
}

TEST(Timing, ComputeCyclesFollowTheDocumentedFormula) {
  // The doc's example: CONV 3x3, in_c = out_c = 8, 16x16 output:
  // 1 tile * (2 + 256 * (9 + 3 + 8 + 1)) = 5378.
  LayerDesc conv = conv2dLayer(16, 16, 8, 8, 3, 1, 1, Activation::none());
  EXPECT_EQ(computeCycles(conv, kCfg), 5378);
  // in_c 9 -> 2 channel words, out_c 9 -> 2 tiles: 2 * (2 + 256 * (18 + 3 + 8 + 1)).
  conv.in_c = 9;
  conv.out_c = 9;
  EXPECT_EQ(computeCycles(conv, kCfg), 2 * (2 + 256 * 30));
  // ADD 2x2x3: 1 tile * (2 + 4 * (2 + 3 + 8 + 1)) = 58.
  EXPECT_EQ(computeCycles(residualAddLayer(2, 2, 3, 1, 1, Activation::none()), kCfg), 58);
  // MAXPOOL 2x2 stride 2 on 4x4x17: 3 tiles * (2 + 4 * (4 + 3 + 8 + 1)) = 198.
  EXPECT_EQ(computeCycles(maxPoolLayer(4, 4, 17, 2, 2, 0), kCfg), 198);
}

TEST(Timing, LayerCyclesAddUpThePhases) {
  // 4x4x9 -> 3 CONV 3x3 pad 1, latency 2: fetch 11 + 2 + 4 = 17; act load 32 beats
  // + 2 + 4 = 38; weight load 19 words * 8 beats + 6 = 158; store 16 * (2 + 1) + 2 = 50;
  // compute 1 * (2 + 16 * (18 + 3 + 8 + 1)) = 482; + 1 done cycle.
  LayerDesc d = conv2dLayer(4, 4, 9, 3, 3, 1, 1, Activation::none());
  placeLayer(d, compactPlacement(d, kCfg, 0), kCfg);
  const LayerCycles c = layerCycles(d, kCfg, 2);
  EXPECT_EQ(c.fetch, 17);
  EXPECT_EQ(c.load, 38 + 158);
  EXPECT_EQ(c.compute, 482);
  EXPECT_EQ(c.store, 50);
  EXPECT_EQ(c.total, 17 + 196 + 482 + 50 + 1);
  const LayerCycles rejected = layerCycles(d, kCfg, 2, true);
  EXPECT_EQ(rejected.fetch, 14);
  EXPECT_EQ(rejected.total, 15);
}

TEST(Timing, ActivePeGroupsAndBanks) {
  // GC = 2 columns per group. CONV out_c 3 uses columns 0..2 -> groups 0, 1.
  EXPECT_EQ(activePeGroups(pointwiseLayer(1, 1, 4, 3, Activation::none()), kCfg), 0b0011u);
  EXPECT_EQ(activePeGroups(pointwiseLayer(1, 1, 4, 30, Activation::none()), kCfg), 0b1111u);
  // Other ops use min(out_c, ROWS) diagonal columns: 1 channel -> group 0 only.
  EXPECT_EQ(activePeGroups(depthwiseLayer(3, 3, 1, 3, 1, 1, Activation::none()), kCfg), 1u);
  // Input of 4x4x9 = 32 words at 2040 spans banks 0 and 1; output 16 words at 8190 wraps
  // from bank 3 to bank 0.
  LayerDesc d = conv2dLayer(4, 4, 9, 3, 3, 1, 1, Activation::none());
  d.act_base = 2040;
  d.out_base = 8190;
  EXPECT_EQ(usedActBanks(d, kCfg), 0b1011u);
  d.w_base = 250;  // 19 weight words from 250: banks 0 and 1
  EXPECT_EQ(usedWeightBanks(d, kCfg), 0b11u);
}

// A valid baseline that each rejection test breaks in one field.
LayerDesc validConv() {
  LayerDesc d = conv2dLayer(8, 8, 16, 24, 3, 1, 1, Activation::relu());
  placeLayer(d, compactPlacement(d, kCfg, 0), kCfg);
  return d;
}

TEST(Validate, AcceptsEveryBuilder) {
  const Activation act = Activation::relu6(24);
  std::vector<LayerDesc> layers = {
      conv2dLayer(7, 5, 3, 13, 5, 2, 2, act), depthwiseLayer(9, 9, 17, 3, 2, 1, act),
      pointwiseLayer(4, 6, 9, 1, act),        fullyConnectedLayer(100, 10, act),
      maxPoolLayer(8, 8, 5, 2, 2, 0),         avgPoolLayer(7, 7, 8, 3, 1, 1),
      residualAddLayer(3, 3, 12, 1, -1, act)};
  for (LayerDesc &d : layers) {
    placeLayer(d, compactPlacement(d, kCfg, 0), kCfg);
    EXPECT_TRUE(validate(d, kCfg).empty())
        << describeLayer(d) << ": " << formatProblems(validate(d, kCfg));
  }
}

TEST(Validate, RejectsBadFieldsNamingThem) {
  struct Case {
    const char *field;
    void (*breakIt)(LayerDesc &);
  };
  const Case cases[] = {
      {"op", [](LayerDesc &d) { d.op = static_cast<LayerOp>(7); }},
      {"op", [](LayerDesc &d) { d.op = static_cast<LayerOp>(0); }},
      {"stride", [](LayerDesc &d) { d.stride = 0; }},
      {"kh", [](LayerDesc &d) { d.kh = 16; }},
      {"pad_left", [](LayerDesc &d) { d.pad_left = -1; }},
      {"pad_top", [](LayerDesc &d) { d.pad_top = 3; }},  // >= kh: first row all padding
      {"out_h", [](LayerDesc &d) { d.out_h = 10; }},     // last window starts at row 8
      {"in_c", [](LayerDesc &d) { d.in_c = 0; }},
      {"act_max", [](LayerDesc &d) { d.act_max = -1; }},  // below act_min 0
      {"add_wb", [](LayerDesc &d) { d.add_wb = 128; }},
      {"act_base", [](LayerDesc &d) { d.act_base = kCfg.actWords() - 10; }},
      {"out_base", [](LayerDesc &d) { d.out_base = 5; }},  // overlaps the input
      {"w_base", [](LayerDesc &d) { d.w_base = kCfg.weightWords() - 1; }},
      {"act_dma_words", [](LayerDesc &d) { d.act_dma_words = 3; }},
      {"act2_dma_words", [](LayerDesc &d) { d.act2_dma_words = 1; }},  // CONV has no act2
      {"w_dma_words", [](LayerDesc &d) { d.w_dma_words += 1; }},
      {"out_dma_words", [](LayerDesc &d) { d.out_dma_words = 1; }},
      {"ext_out_addr", [](LayerDesc &d) { d.ext_out_addr += 4; }},
      {"out_c", [](LayerDesc &d) { d.op = LayerOp::DwConv; }},  // out_c must equal in_c
  };
  for (const Case &c : cases) {
    LayerDesc d = validConv();
    c.breakIt(d);
    const auto problems = validate(d, kCfg);
    EXPECT_TRUE(hasProblemWithField(problems, c.field))
        << "expected a problem with '" << c.field << "', got: " << formatProblems(problems);
  }
}

TEST(Validate, RejectsAddWithWindowOrShapeChange) {
  LayerDesc d = residualAddLayer(4, 4, 8, 1, 1, Activation::none());
  placeLayer(d, compactPlacement(d, kCfg, 0), kCfg);
  ASSERT_TRUE(validate(d, kCfg).empty()) << formatProblems(validate(d, kCfg));
  LayerDesc k3 = d;
  k3.kh = 3;
  EXPECT_TRUE(hasProblemWithField(validate(k3, kCfg), "kh"));
  LayerDesc narrower = d;
  narrower.out_w = 3;
  EXPECT_TRUE(hasProblemWithField(validate(narrower, kCfg), "out_w"));
  LayerDesc overlapping = d;  // inputs of 16 words at 0 and 8
  overlapping.act2_base = 8;
  EXPECT_TRUE(hasProblemWithField(validate(overlapping, kCfg), "act2_base"));
  LayerDesc same = d;  // x + x from one copy is fine
  same.act2_base = same.act_base;
  same.act2_dma_words = 0;
  EXPECT_TRUE(validate(same, kCfg).empty()) << formatProblems(validate(same, kCfg));
}

TEST(Validate, TensorsMustMatchTheShape) {
  LayerDesc d = conv2dLayer(3, 3, 2, 4, 3, 1, 1, Activation::none());
  LayerTensors t;
  t.input.assign(18, 0);
  t.weights.assign(4 * 2 * 9 - 1, 0);
  identityRequant(t, 4);
  t.shift[2] = 48;
  const auto problems = validateTensors(d, t);
  EXPECT_TRUE(hasProblemWithField(problems, "weights"));
  EXPECT_TRUE(hasProblemWithField(problems, "shift"));
  EXPECT_FALSE(hasProblemWithField(problems, "input"));
  EXPECT_THROW(runReference(d, t), std::invalid_argument);
}

}  // namespace
}  // namespace pf
