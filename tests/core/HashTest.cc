#include <gtest/gtest.h>

#include "core/Hash.hh"

namespace {

// FIPS 180-4 / NIST example vectors.
TEST(Sha256, KnownVectors) {
  EXPECT_EQ(pf::sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(pf::sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(pf::sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(pf::sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
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
