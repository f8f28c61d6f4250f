#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/Hash.hh"

namespace pf {
// Test names and failure messages show "portable" / "sha-ni", not the enum's bytes.
void PrintTo(Sha256Engine engine, std::ostream *out) { *out << sha256EngineName(engine); }
}  // namespace pf

namespace {

using pf::Sha256Engine;

// Every engine the tests run explicitly; ShaNi is skipped where the CPU lacks it.
class Sha256EngineTest : public testing::TestWithParam<Sha256Engine> {
 protected:
  void SetUp() override {
    if (!pf::sha256EngineAvailable(GetParam()))
      GTEST_SKIP() << "engine " << pf::sha256EngineName(GetParam())
                   << " is not available on this CPU";
  }
};

// FIPS 180-4 / NIST example vectors (the one-block, two-block, 448-bit, 896-bit and
// one-million-'a' messages of the SHA-256 examples).
TEST_P(Sha256EngineTest, KnownVectors) {
  const Sha256Engine engine = GetParam();
  EXPECT_EQ(pf::sha256Hex("", engine),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(pf::sha256Hex("abc", engine),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(pf::sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", engine),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(pf::sha256Hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnop"
                          "jklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                          engine),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(pf::sha256Hex(std::string(1000000, 'a'), engine),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // The million 'a's once more, 1000 bytes per update(): the buffered path, not one call.
  pf::Sha256 pieces(engine);
  const std::string thousand(1000, 'a');
  for (int i = 0; i < 1000; ++i) pieces.update(thousand);
  EXPECT_EQ(pieces.hexDigest(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Lengths on both sides of the padding boundaries (55/56 bytes: the length still fits
// in the last block or not; 64, 128: whole blocks) and one large odd length. Message
// byte i is (7 i + 3) mod 256; digests from Python's hashlib, independent of this code.
TEST_P(Sha256EngineTest, PaddingBoundaries) {
  const std::vector<std::pair<size_t, std::string>> cases = {
      {55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"},
      {56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"},
      {57, "35df609437dcfea3279283ab79fd554e2bf78f8f7ae2de532d8ee300b09e8f73"},
      {63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"},
      {64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"},
      {65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"},
      {119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"},
      {120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"},
      {127, "a8d23e75d936f303d248888d9b165ee543f4cbafcad3c9dd2a79bd84faa11d07"},
      {128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6"},
      {129, "307f8fc2c1622b92762e818d39a185d4d667ad49a4b07ceae1f4afa008a93ec4"},
      {1000003, "987ab1b5b3b71c1d1053a817cffc3695c96e78c2b068d558c6b340a8255c3ed8"}};
  for (const auto &[size, digest] : cases) {
    std::string message(size, '\0');
    for (size_t i = 0; i < size; ++i) message[i] = static_cast<char>((7 * i + 3) % 256);
    EXPECT_EQ(pf::sha256Hex(message, GetParam()), digest) << size << " bytes";
  }
}

TEST_P(Sha256EngineTest, ReportsItsEngine) {
  EXPECT_EQ(pf::Sha256(GetParam()).engine(), GetParam());
}

INSTANTIATE_TEST_SUITE_P(Engines, Sha256EngineTest,
                         testing::Values(Sha256Engine::Portable, Sha256Engine::ShaNi),
                         [](const testing::TestParamInfo<Sha256Engine> &engine) {
                           return engine.param == Sha256Engine::ShaNi ? std::string("ShaNi")
                                                                      : std::string("Portable");
                         });

// `message` through update() in random-sized pieces (empty ones included), alternating
// the two overloads.
std::string hashInPieces(const std::string &message, Sha256Engine engine, std::mt19937 &random,
                         size_t max_piece) {
  pf::Sha256 hash(engine);
  std::uniform_int_distribution<size_t> piece(0, max_piece);
  size_t at = 0;
  bool as_string = true;
  while (at < message.size()) {
    const size_t size = std::min(piece(random), message.size() - at);
    if (as_string)
      hash.update(message.substr(at, size));
    else
      hash.update(reinterpret_cast<const uint8_t *>(message.data()) + at, size);
    as_string = !as_string;
    at += size;
  }
  return hash.hexDigest();
}

std::string randomBytes(size_t size, std::mt19937 &random) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::string bytes(size, '\0');
  for (char &c : bytes) c = static_cast<char>(byte(random));
  return bytes;
}

std::vector<size_t> agreementLengths() {
  std::vector<size_t> lengths;
  for (size_t n = 0; n <= 300; ++n) lengths.push_back(n);
  for (size_t n : {size_t{4095}, size_t{4096}, size_t{4097}, size_t{65536 + 13}, size_t{1000000},
                   size_t{(3u << 20) + 61}})
    lengths.push_back(n);
  return lengths;
}

// Portable whole-message digests against the same messages fed in random pieces: the
// head/tail buffering of update() must not change the hash. Runs on every machine.
TEST(Sha256, PortablePiecesEqualWhole) {
  std::mt19937 random(20240611);
  for (size_t length : agreementLengths()) {
    const std::string message = randomBytes(length, random);
    const std::string whole = pf::sha256Hex(message, Sha256Engine::Portable);
    const size_t max_piece = length > 4096 ? 20000 : 150;
    EXPECT_EQ(hashInPieces(message, Sha256Engine::Portable, random, max_piece), whole)
        << length << " bytes";
  }
}

// SHA-NI against portable on random messages of every length 0..300 and some large ones,
// each engine fed its own random pieces. Skipped (and says so) without SHA-NI; the test
// below makes sure it is not skipped where SHA-NI exists.
TEST(Sha256, ShaNiAgreesWithPortable) {
  if (!pf::sha256EngineAvailable(Sha256Engine::ShaNi))
    GTEST_SKIP() << "no SHA-NI on this CPU: only the portable engine runs here";
  std::mt19937 random(977);
  for (size_t length : agreementLengths()) {
    const std::string message = randomBytes(length, random);
    const size_t max_piece = length > 4096 ? 20000 : 150;
    const std::string portable = hashInPieces(message, Sha256Engine::Portable, random, max_piece);
    EXPECT_EQ(hashInPieces(message, Sha256Engine::ShaNi, random, max_piece), portable)
        << length << " bytes";
    EXPECT_EQ(pf::sha256Hex(message, Sha256Engine::ShaNi), portable) << length << " bytes";
  }
}

#if defined(__x86_64__) || defined(__i386__)
// Whether the kernel lists sha_ni among the CPU flags: a second opinion on our own CPUID
// reading: 1 or 0, or -1 if /proc/cpuinfo has no flags line (not Linux).
int kernelSaysShaNi() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream flags(line.substr(line.find(':') + 1));
    std::string flag;
    while (flags >> flag)
      if (flag == "sha_ni") return 1;
    return 0;
  }
  return -1;
}
#endif

// The engine used by default is named, and is SHA-NI exactly where the CPU has it; so
// on a SHA-NI machine ShaNiAgreesWithPortable really compared two different engines.
TEST(Sha256, DefaultEngineIsReported) {
  const Sha256Engine chosen = pf::sha256DefaultEngine();
  EXPECT_EQ(pf::Sha256().engine(), chosen);
  EXPECT_EQ(pf::Sha256(Sha256Engine::Auto).engine(), chosen);
  const std::string name = pf::sha256EngineName(chosen);
  EXPECT_TRUE(name == "sha-ni" || name == "portable") << name;
  std::cout << "[ engine   ] SHA-256 default engine: " << name << "\n";
  EXPECT_TRUE(pf::sha256EngineAvailable(Sha256Engine::Portable));
  const bool has_sha_ni = pf::sha256EngineAvailable(Sha256Engine::ShaNi);
#if defined(__x86_64__) || defined(__i386__)
  if (const int kernel = kernelSaysShaNi(); kernel >= 0) {
    EXPECT_EQ(has_sha_ni, kernel == 1) << "CPUID and /proc/cpuinfo disagree about sha_ni";
  }
#endif
  if (!has_sha_ni) {
    EXPECT_EQ(chosen, Sha256Engine::Portable);
    EXPECT_THROW(pf::Sha256{Sha256Engine::ShaNi}, std::invalid_argument);
    GTEST_SKIP() << "no SHA-NI on this CPU: the default engine is portable";
  }
  EXPECT_EQ(chosen, Sha256Engine::ShaNi);
  EXPECT_EQ(name, "sha-ni");
}

TEST(Sha256, IncrementalEqualsWhole) {
  const std::string text(200, 'x');
  pf::Sha256 pieces;
  for (size_t i = 0; i < text.size(); i += 7) pieces.update(text.substr(i, 7));
  EXPECT_EQ(pieces.hexDigest(), pf::sha256Hex(text));
}

TEST(Sha256, FieldsAreUnambiguous) {
  EXPECT_NE(pf::Sha256().field("a", "bc").hexDigest(), pf::Sha256().field("ab", "c").hexDigest());
}

}  // namespace
