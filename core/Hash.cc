// SHA-256 as specified in FIPS 180-4, with two block engines: portable C++ and the x86
// SHA extensions (SHA-NI). update() feeds whole 64-byte blocks to the engine straight
// from the caller's bytes and buffers only an incomplete head or tail block.
#include "core/Hash.hh"

#include <cstring>
#include <stdexcept>

// The SHA-NI engine needs GCC/Clang on x86: <cpuid.h> for run-time detection and the
// target attribute, so the rest of the program keeps the baseline instruction set and
// still runs on processors without the extensions. Elsewhere only Portable is built.
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define PF_SHA256_HAVE_SHANI 1
#include <cpuid.h>
#include <immintrin.h>
#else
#define PF_SHA256_HAVE_SHANI 0
#endif

namespace pf {

namespace {

// K: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
// Aligned so the SHA-NI engine can load four constants at a time.
alignas(16) constexpr uint32_t kRoundConstants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

// Message words are big-endian; written byte by byte so it is right on any host (the
// compiler turns it into one load and a byte swap).
inline uint32_t loadBigEndian(const uint8_t *p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// One round of FIPS 180-4 section 6.2.2 step 3 without moving the eight working variables:
// the caller passes them rotated by one position per round, so only d (-> the new e) and
// h (-> the new a) change. `kw` is K[t] + W[t].
inline void sha256Round(uint32_t a, uint32_t b, uint32_t c, uint32_t &d, uint32_t e, uint32_t f,
                        uint32_t g, uint32_t &h, uint32_t kw) {
  const uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + kw;
  const uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
  d += t1;
  h = t1 + t2;
}

void compressPortable(uint32_t *state, const uint8_t *blocks, size_t count) {
  for (; count > 0; --count, blocks += 64) {
    // Message schedule (6.2.2 step 1).
    uint32_t w[64];
    for (int t = 0; t < 16; ++t) w[t] = loadBigEndian(blocks + 4 * t);
    for (int t = 16; t < 64; ++t) {
      const uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
      const uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    // Eight rounds per iteration bring the rotation of the variables back to the start,
    // so the compiler keeps them in registers without the seven moves per round of the
    // textbook form.
    for (int t = 0; t < 64; t += 8) {
      sha256Round(a, b, c, d, e, f, g, h, kRoundConstants[t] + w[t]);
      sha256Round(h, a, b, c, d, e, f, g, kRoundConstants[t + 1] + w[t + 1]);
      sha256Round(g, h, a, b, c, d, e, f, kRoundConstants[t + 2] + w[t + 2]);
      sha256Round(f, g, h, a, b, c, d, e, kRoundConstants[t + 3] + w[t + 3]);
      sha256Round(e, f, g, h, a, b, c, d, kRoundConstants[t + 4] + w[t + 4]);
      sha256Round(d, e, f, g, h, a, b, c, kRoundConstants[t + 5] + w[t + 5]);
      sha256Round(c, d, e, f, g, h, a, b, kRoundConstants[t + 6] + w[t + 6]);
      sha256Round(b, c, d, e, f, g, h, a, kRoundConstants[t + 7] + w[t + 7]);
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
  }
}

#if PF_SHA256_HAVE_SHANI

// CPUID leaf 7 (subleaf 0) EBX bit 29 is SHA; the engine also uses SSSE3 (pshufb, palignr,
// leaf 1 ECX bit 9) and SSE4.1 (leaf 1 ECX bit 19). Every SHA processor has both, but the
// check costs nothing and keeps the claim "runs where detected" exact.
bool cpuHasShaNi() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
  const bool ssse3 = (ecx & (1u << 9)) != 0;
  const bool sse41 = (ecx & (1u << 19)) != 0;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
  const bool sha = (ebx & (1u << 29)) != 0;
  return sha && ssse3 && sse41;
}

// Only these functions are compiled for the SHA extensions; they run only after
// cpuHasShaNi() said yes.
#define PF_SHANI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

// W[t..t+3], the words of the next four rounds, from the previous sixteen, held as four
// vectors oldest first (lane 0 the oldest word): w0 = W[t-16..t-13], ..., w3 = W[t-4..t-1].
// W[t] = sigma1(W[t-2]) + W[t-7] + sigma0(W[t-15]) + W[t-16] (FIPS 180-4 6.2.2 step 1):
//  * sha256msg1(w0, w1) gives W[t-16+i] + sigma0(W[t-15+i]) for i = 0..3;
//  * W[t-7..t-4] straddles w2 (lanes 1..3) and w3 (lane 0): palignr shifts the pair
//    w3:w2 right by one word;
//  * sha256msg2(x, w3) adds sigma1(W[t-2+i]); for i = 2, 3 those are W[t] and W[t+1],
//    which the instruction takes from its own first two results.
PF_SHANI_TARGET inline __m128i nextSchedule(__m128i w0, __m128i w1, __m128i w2, __m128i w3) {
  const __m128i partial = _mm_add_epi32(_mm_sha256msg1_epu32(w0, w1), _mm_alignr_epi8(w3, w2, 4));
  return _mm_sha256msg2_epu32(partial, w3);
}

// Four rounds t..t+3 with message words `w` = W[t..t+3]. sha256rnds2 does two rounds: it
// takes the state split as ABEF and CDGH (A in the top lane, F/H in the bottom one) and
// K[t]+W[t], K[t+1]+W[t+1] in the low two lanes of its third operand, and returns the new
// ABEF. Two rounds later the old A, B, E, F have become C, D, G, H, so the old ABEF is the
// new CDGH: the two registers swap roles, and after four rounds they are back in place.
PF_SHANI_TARGET inline void fourRounds(__m128i &abef, __m128i &cdgh, __m128i w, int t) {
  const __m128i kw =
      _mm_add_epi32(w, _mm_load_si128(reinterpret_cast<const __m128i *>(kRoundConstants + t)));
  cdgh = _mm_sha256rnds2_epu32(cdgh, abef, kw);
  // Rounds t+2, t+3 take the upper two lanes of kw.
  abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(kw, 0x0e));
}

PF_SHANI_TARGET void compressShaNi(uint32_t *state, const uint8_t *blocks, size_t count) {
  // _mm_set_epi32 lists lanes from the top: (A, B, E, F) puts A in the top lane.
  __m128i abef = _mm_set_epi32(static_cast<int>(state[0]), static_cast<int>(state[1]),
                               static_cast<int>(state[4]), static_cast<int>(state[5]));
  __m128i cdgh = _mm_set_epi32(static_cast<int>(state[2]), static_cast<int>(state[3]),
                               static_cast<int>(state[6]), static_cast<int>(state[7]));
  // Reverses the bytes of each 32-bit lane: message words are big-endian.
  const __m128i byte_swap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
  for (; count > 0; --count, blocks += 64) {
    const __m128i abef_start = abef, cdgh_start = cdgh;
    const __m128i *in = reinterpret_cast<const __m128i *>(blocks);
    __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128(in), byte_swap);
    __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128(in + 1), byte_swap);
    __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128(in + 2), byte_swap);
    __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128(in + 3), byte_swap);
    fourRounds(abef, cdgh, w0, 0);
    fourRounds(abef, cdgh, w1, 4);
    fourRounds(abef, cdgh, w2, 8);
    fourRounds(abef, cdgh, w3, 12);
    // Rounds 16..63: each new vector of words replaces the oldest one, so the four
    // registers stay a sliding window of the last sixteen words.
    for (int t = 16; t < 64; t += 16) {
      w0 = nextSchedule(w0, w1, w2, w3);
      fourRounds(abef, cdgh, w0, t);
      w1 = nextSchedule(w1, w2, w3, w0);
      fourRounds(abef, cdgh, w1, t + 4);
      w2 = nextSchedule(w2, w3, w0, w1);
      fourRounds(abef, cdgh, w2, t + 8);
      w3 = nextSchedule(w3, w0, w1, w2);
      fourRounds(abef, cdgh, w3, t + 12);
    }
    abef = _mm_add_epi32(abef, abef_start);
    cdgh = _mm_add_epi32(cdgh, cdgh_start);
  }
  // Lanes from the bottom: abef = F, E, B, A and cdgh = H, G, D, C.
  alignas(16) uint32_t lanes[8];
  _mm_store_si128(reinterpret_cast<__m128i *>(lanes), abef);
  _mm_store_si128(reinterpret_cast<__m128i *>(lanes + 4), cdgh);
  state[0] = lanes[3];
  state[1] = lanes[2];
  state[2] = lanes[7];
  state[3] = lanes[6];
  state[4] = lanes[1];
  state[5] = lanes[0];
  state[6] = lanes[5];
  state[7] = lanes[4];
}

#undef PF_SHANI_TARGET

#endif  // PF_SHA256_HAVE_SHANI

// Detected once; CPUID is slow enough (it can trap in a virtual machine) not to ask it
// for every hash.
bool shaNiAvailable() {
#if PF_SHA256_HAVE_SHANI
  static const bool available = cpuHasShaNi();
  return available;
#else
  return false;
#endif
}

}  // namespace

bool sha256EngineAvailable(Sha256Engine engine) {
  return engine != Sha256Engine::ShaNi || shaNiAvailable();
}

Sha256Engine sha256DefaultEngine() {
  return shaNiAvailable() ? Sha256Engine::ShaNi : Sha256Engine::Portable;
}

const char *sha256EngineName(Sha256Engine engine) {
  switch (engine) {
    case Sha256Engine::Auto:
      return "auto";
    case Sha256Engine::Portable:
      return "portable";
    case Sha256Engine::ShaNi:
      return "sha-ni";
  }
  return "unknown";
}

Sha256::Sha256(Sha256Engine engine)
    : engine_(engine == Sha256Engine::Auto ? sha256DefaultEngine() : engine),
      state_{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
             0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19},
      buffer_{} {
  if (!sha256EngineAvailable(engine_))
    throw std::invalid_argument(std::string("SHA-256 engine '") + sha256EngineName(engine_) +
                                "' is not available on this machine");
}

void Sha256::compress(const uint8_t *blocks, size_t count) {
#if PF_SHA256_HAVE_SHANI
  if (engine_ == Sha256Engine::ShaNi) {
    compressShaNi(state_, blocks, count);
    return;
  }
#endif
  compressPortable(state_, blocks, count);
}

Sha256 &Sha256::update(const std::string &bytes) {
  return update(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
}

Sha256 &Sha256::update(const uint8_t *bytes, size_t size) {
  if (size == 0) return *this;
  total_bytes_ += size;
  // Complete a block begun by an earlier call first.
  if (buffered_ > 0) {
    const size_t take = size < 64 - buffered_ ? size : 64 - buffered_;
    std::memcpy(buffer_ + buffered_, bytes, take);
    buffered_ += take;
    bytes += take;
    size -= take;
    if (buffered_ < 64) return *this;
    compress(buffer_, 1);
    buffered_ = 0;
  }
  // Whole blocks straight from the input, in one call so the engine keeps its state in
  // registers across blocks.
  const size_t whole = size / 64;
  if (whole > 0) {
    compress(bytes, whole);
    bytes += whole * 64;
    size -= whole * 64;
  }
  if (size > 0) {
    std::memcpy(buffer_, bytes, size);
    buffered_ = size;
  }
  return *this;
}

Sha256 &Sha256::field(const std::string &label, const std::string &bytes) {
  update(label);
  update(std::string(1, '\0'));
  update(std::to_string(bytes.size()));
  update(std::string(1, '\0'));
  return update(bytes);
}

std::string Sha256::hexDigest() {
  // Padding (5.1.1): a 1 bit, zeros up to 56 bytes into a block, then the message
  // length in bits as a 64-bit big-endian number.
  const uint64_t total_bits = total_bytes_ * 8;
  buffer_[buffered_++] = 0x80;
  if (buffered_ > 56) {
    std::memset(buffer_ + buffered_, 0, 64 - buffered_);
    compress(buffer_, 1);
    buffered_ = 0;
  }
  std::memset(buffer_ + buffered_, 0, 56 - buffered_);
  for (int i = 0; i < 8; ++i) buffer_[56 + i] = static_cast<uint8_t>(total_bits >> (56 - 8 * i));
  compress(buffer_, 1);
  buffered_ = 0;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(64);
  for (uint32_t word : state_)
    for (int shift = 28; shift >= 0; shift -= 4) hex += kHex[(word >> shift) & 0xf];
  return hex;
}

std::string sha256Hex(const std::string &bytes, Sha256Engine engine) {
  return Sha256(engine).update(bytes).hexDigest();
}

}  // namespace pf
