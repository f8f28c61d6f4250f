// Content hashing for caches: a stage's result is keyed by the SHA-256 of everything
// it depends on (file contents, tool versions, options), so a changed input
// recomputes exactly what depends on it and nothing else.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pf {

class Sha256 {
 public:
  Sha256();
  Sha256 &update(const std::string &bytes);
  // Adds a labelled field: "label\0size\0bytes", so ("ab","c") and ("a","bc") differ.
  Sha256 &field(const std::string &label, const std::string &bytes);
  std::string hexDigest();  // 64 lower-case hex digits; finalises the hash

 private:
  void compress(const uint8_t *block);
  uint32_t state_[8];
  uint8_t buffer_[64];
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

std::string sha256Hex(const std::string &bytes);

}  // namespace pf
