#include "base/crc32.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "base/crypto.h"  // Crc32: zlib's implementation, the oracle here

namespace brock {
namespace {

std::string RandomData(std::mt19937& rng, size_t n) {
  std::string s(n, '\0');
  for (auto& ch : s) ch = static_cast<char>(rng());
  return s;
}

TEST(Crc32, KnownVectors) {
  EXPECT_EQ(ExtendCrc32(0, std::string_view("123456789")), 0xCBF43926u);
  EXPECT_EQ(ExtendCrc32(0, std::string_view("")), 0u);
  EXPECT_EQ(ExtendCrc32Portable(0, "123456789", 9), 0xCBF43926u);
  // 64+ bytes so the carry-less multiplication path (when present) runs.
  std::string zeros(4096, '\0');
  EXPECT_EQ(ExtendCrc32(0, zeros), Crc32(zeros));
}

TEST(Crc32, MatchesZlibOnRandomDataOfEveryLengthAndAlignment) {
  std::mt19937 rng(12345);
  std::string data = RandomData(rng, 4096 + 64);
  for (size_t len = 0; len <= 600; ++len) {
    for (size_t offset : {0, 1, 3, 7, 8, 13}) {
      std::string_view piece(data.data() + offset, len);
      uint32_t seed = (len % 3 == 0) ? 0 : static_cast<uint32_t>(rng());
      ASSERT_EQ(ExtendCrc32(seed, piece), Crc32(piece, seed))
          << "len " << len << " offset " << offset;
      ASSERT_EQ(ExtendCrc32Portable(seed, piece.data(), piece.size()), Crc32(piece, seed))
          << "len " << len << " offset " << offset;
    }
  }
}

TEST(Crc32, MatchesZlibOnLargeRandomBuffers) {
  std::mt19937 rng(777);
  for (size_t n : {size_t{65536}, size_t{1 << 20} + 5, size_t{3 * 1000 * 1000}}) {
    std::string data = RandomData(rng, n);
    EXPECT_EQ(ExtendCrc32(0, data), Crc32(data)) << n;
    EXPECT_EQ(ExtendCrc32Portable(0, data.data(), data.size()), Crc32(data)) << n;
  }
}

TEST(Crc32, ExtendingInPiecesEqualsWhole) {
  std::mt19937 rng(99);
  std::string data = RandomData(rng, 100000);
  uint32_t whole = ExtendCrc32(0, data);
  for (int trial = 0; trial < 50; ++trial) {
    uint32_t crc = 0;
    size_t pos = 0;
    while (pos < data.size()) {
      size_t take = std::min<size_t>(data.size() - pos, rng() % 5000);
      crc = ExtendCrc32(crc, data.data() + pos, take);
      pos += take;
    }
    ASSERT_EQ(crc, whole);
  }
  std::printf("carry-less multiplication path: %s\n", Crc32UsesClmul() ? "yes" : "no");
}

}  // namespace
}  // namespace brock
