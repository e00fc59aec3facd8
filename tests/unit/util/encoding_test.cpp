#include "util/encoding.h"

#include <gtest/gtest.h>

namespace model_signing::util {
namespace {

TEST(Base64, RoundTripsAllLengths) {
  std::vector<std::uint8_t> data;
  for (int n = 0; n < 64; ++n) {
    auto encoded = base64_encode(data);
    auto decoded = base64_decode(encoded);
    ASSERT_TRUE(decoded.has_value()) << encoded;
    EXPECT_EQ(*decoded, data);
    data.push_back(static_cast<std::uint8_t>(n * 37 + 11));
  }
}

TEST(Base64, KnownVectors) {
  EXPECT_EQ(base64_encode(std::string_view("foobar")), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string_view("fooba")), "Zm9vYmE=");
  EXPECT_EQ(base64_encode(std::string_view("foob")), "Zm9vYg==");
}

TEST(Base64, AcceptsUrlSafeAndUnpadded) {
  auto a = base64_decode("-_8");
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, (std::vector<std::uint8_t>{0xfb, 0xff}));
  EXPECT_TRUE(base64_decode("Zm9vYg"));
}

TEST(Base64, RejectsGarbage) {
  EXPECT_FALSE(base64_decode("Zm9v YmFy"));
  EXPECT_FALSE(base64_decode("Zm9vY"));
  EXPECT_FALSE(base64_decode("Zm9vYh=="));  // non-zero trailing bits
  EXPECT_FALSE(base64_decode("Zm9=vYmFy"));
  EXPECT_FALSE(base64_decode("Zg==="));
}

TEST(Hex, RoundTrip) {
  std::vector<std::uint8_t> bytes{0x00, 0xab, 0xff, 0x10};
  EXPECT_EQ(to_hex(bytes), "00abff10");
  EXPECT_EQ(*from_hex("00ABff10"), bytes);
  EXPECT_FALSE(from_hex("abc"));
  EXPECT_FALSE(from_hex("zz"));
}

TEST(Utf8, Validation) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
}

}  // namespace
}  // namespace model_signing::util
