// Unit tests for LEB128 encoding/decoding limits and UTF-8 validation.
#include "base/byte_reader.h"
#include "base/leb128.h"

#include <gtest/gtest.h>

using namespace tandem;

static LebStatus dec_u(std::vector<uint8_t> b, unsigned bits, uint64_t& v) {
  const uint8_t* p = b.data();
  return read_uleb(p, b.data() + b.size(), bits, v);
}
static LebStatus dec_s(std::vector<uint8_t> b, unsigned bits, int64_t& v) {
  const uint8_t* p = b.data();
  return read_sleb(p, b.data() + b.size(), bits, v);
}

TEST(Leb128, RoundTripUnsigned) {
  for (uint64_t v : {0ull, 1ull, 127ull, 128ull, 624485ull, 0xffffffffull}) {
    std::vector<uint8_t> out;
    write_uleb(out, v);
    uint64_t got = 0;
    ASSERT_EQ(dec_u(out, 32, got), LebStatus::Ok);
    EXPECT_EQ(got, v);
  }
}

TEST(Leb128, RoundTripSigned) {
  for (int64_t v : {0ll, -1ll, 63ll, -64ll, 64ll, -65ll, INT32_MIN * 1ll, INT32_MAX * 1ll}) {
    std::vector<uint8_t> out;
    write_sleb(out, v);
    int64_t got = 0;
    ASSERT_EQ(dec_s(out, 32, got), LebStatus::Ok);
    EXPECT_EQ(got, v);
  }
}

TEST(Leb128, Limits) {
  uint64_t u;
  int64_t s;
  EXPECT_EQ(dec_u({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 32, u), LebStatus::TooLong);
  EXPECT_EQ(dec_u({0x80, 0x80, 0x80, 0x80, 0x70}, 32, u), LebStatus::TooLarge);
  EXPECT_EQ(dec_u({0x80, 0x80, 0x80, 0x80, 0x0f}, 32, u), LebStatus::Ok);
  EXPECT_EQ(u, 0xf0000000u);
  EXPECT_EQ(dec_u({0x80}, 32, u), LebStatus::End);
  EXPECT_EQ(dec_s({0x80, 0x80, 0x80, 0x80, 0x78}, 32, s), LebStatus::Ok);
  EXPECT_EQ(dec_s({0x80, 0x80, 0x80, 0x80, 0x70}, 32, s), LebStatus::TooLarge);
  EXPECT_EQ(s, INT32_MIN);
  EXPECT_EQ(dec_s({0x80, 0x80, 0x80, 0x80, 0x0f}, 32, s), LebStatus::TooLarge);
  EXPECT_EQ(dec_s({0xff, 0xff, 0xff, 0xff, 0x4f}, 32, s), LebStatus::TooLarge);
  EXPECT_EQ(dec_s({0xff, 0xff, 0xff, 0xff, 0x7f}, 32, s), LebStatus::Ok);
  EXPECT_EQ(s, -1);
}

TEST(Utf8, Validity) {
  EXPECT_TRUE(is_valid_utf8("hello \xe2\x82\xac"));
  EXPECT_FALSE(is_valid_utf8("\xc0\x80"));         // overlong
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));     // surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80")); // > U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));         // truncated
}
