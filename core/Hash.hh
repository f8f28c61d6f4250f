// Content hashing for caches: a stage's result is keyed by the SHA-256 of everything
// it depends on (file contents, tool versions, options), so a changed input
// recomputes exactly what depends on it and nothing else. The same hash records the
// provenance of large inputs (a ResNet-101 profile is ~50 MB), so it has to be fast:
// whole blocks are hashed straight from the input, with the x86 SHA extensions when
// the processor has them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace pf {

// The routine that compresses 64-byte blocks. Every engine computes the same FIPS 180-4
// SHA-256; they differ only in speed. Auto is the fastest one this processor runs
// (ShaNi if the CPU has the SHA extensions, else Portable); the others exist so tests and
// the benchmark can name an engine and compare them.
enum class Sha256Engine { Auto, Portable, ShaNi };

// Whether `engine` runs on this machine and build (Auto and Portable always do; ShaNi
// needs an x86 build and a CPU that reports SHA, SSE4.1 and SSSE3 through CPUID).
bool sha256EngineAvailable(Sha256Engine engine);
// What Auto resolves to here: ShaNi or Portable.
Sha256Engine sha256DefaultEngine();
// "auto", "portable" or "sha-ni", for tests, benchmarks and logs.
const char *sha256EngineName(Sha256Engine engine);

class Sha256 {
 public:
  // Throws std::invalid_argument if `engine` is not available on this machine.
  explicit Sha256(Sha256Engine engine = Sha256Engine::Auto);
  Sha256 &update(const std::string &bytes);
  Sha256 &update(const uint8_t *bytes, size_t size);
  // Adds a labelled field: "label\0size\0bytes", so ("ab","c") and ("a","bc") differ.
  Sha256 &field(const std::string &label, const std::string &bytes);
  std::string hexDigest();  // 64 lower-case hex digits; finalises the hash
  // The engine this hash runs (never Auto: Auto is resolved at construction).
  Sha256Engine engine() const { return engine_; }

 private:
  void compress(const uint8_t *blocks, size_t count);
  Sha256Engine engine_;
  uint32_t state_[8];
  uint8_t buffer_[64];  // the incomplete block at the end of the input so far
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

std::string sha256Hex(const std::string &bytes, Sha256Engine engine = Sha256Engine::Auto);

}  // namespace pf
