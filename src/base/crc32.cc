#include "base/crc32.h"

#include <array>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define BROCK_CRC32_CLMUL 1
#include <immintrin.h>
#endif

namespace brock {
namespace {

constexpr uint32_t kPolynomial = 0xEDB88320u;  // 0x04C11DB7 bit-reflected

// kTables[0] is the classic byte-at-a-time table; kTables[k][b] is the CRC of byte b followed by
// k zero bytes, which lets the slicing loop fold eight input bytes with eight independent lookups.
using CrcTables = std::array<std::array<uint32_t, 256>, 8>;

constexpr CrcTables MakeTables() {
  CrcTables t{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t c = b;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1) ? (c >> 1) ^ kPolynomial : c >> 1;
    t[0][b] = c;
  }
  for (int k = 1; k < 8; ++k) {
    for (uint32_t b = 0; b < 256; ++b) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFF];
  }
  return t;
}

constexpr CrcTables kTables = MakeTables();

inline uint32_t LoadLittle32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

#ifdef BROCK_CRC32_CLMUL

#define BROCK_CLMUL_TARGET __attribute__((target("pclmul,sse4.1")))

BROCK_CLMUL_TARGET inline __m128i Load128(const uint8_t* at) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
}

// Multiplies both 64-bit halves of `acc` by the fold constants in `k` and adds (xors) `next`.
BROCK_CLMUL_TARGET inline __m128i Fold128(__m128i acc, __m128i k, __m128i next) {
  __m128i lo = _mm_clmulepi64_si128(acc, k, 0x00);
  __m128i hi = _mm_clmulepi64_si128(acc, k, 0x11);
  return _mm_xor_si128(_mm_xor_si128(lo, hi), next);
}

// Folds `n` bytes (a multiple of 16, at least 64) into the running CRC `state` (which is in the
// inverted domain: ~crc). Four 128-bit accumulators are each folded 512 bits forward per step,
// then reduced to one 128-bit value, then to 64 bits, then to 32 bits with a Barrett reduction.
// The constants are x^k mod P(x) for the reflected polynomial, from Gopal et al., "Fast CRC
// Computation for Generic Polynomials Using PCLMULQDQ Instruction" (Intel, 2009):
//   fold by 512: x^(4*128+32) mod P, x^(4*128-32) mod P
//   fold by 128: x^(128+32) mod P,   x^(128-32) mod P
//   fold 64->32: x^64 mod P;  Barrett: P(x) and floor(x^64 / P(x)).
BROCK_CLMUL_TARGET uint32_t FoldClmul(uint32_t state, const uint8_t* p, size_t n) {
  const __m128i k512 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);
  const __m128i k128 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
  const __m128i k64 = _mm_set_epi64x(0, 0x0163cd6124);
  const __m128i barrett = _mm_set_epi64x(0x01f7011641, 0x01db710641);
  const __m128i low32 = _mm_setr_epi32(~0, 0, ~0, 0);

  __m128i a = _mm_xor_si128(Load128(p), _mm_cvtsi32_si128(static_cast<int>(state)));
  __m128i b = Load128(p + 16);
  __m128i c = Load128(p + 32);
  __m128i d = Load128(p + 48);
  p += 64;
  n -= 64;
  while (n >= 64) {
    a = Fold128(a, k512, Load128(p));
    b = Fold128(b, k512, Load128(p + 16));
    c = Fold128(c, k512, Load128(p + 32));
    d = Fold128(d, k512, Load128(p + 48));
    p += 64;
    n -= 64;
  }
  a = Fold128(a, k128, b);
  a = Fold128(a, k128, c);
  a = Fold128(a, k128, d);
  while (n >= 16) {
    a = Fold128(a, k128, Load128(p));
    p += 16;
    n -= 16;
  }

  // 128 -> 64 bits.
  __m128i t = _mm_clmulepi64_si128(a, k128, 0x10);
  a = _mm_xor_si128(_mm_srli_si128(a, 8), t);
  // 64 -> 32 bits (kept in a 64-bit lane).
  t = _mm_srli_si128(a, 4);
  a = _mm_clmulepi64_si128(_mm_and_si128(a, low32), k64, 0x00);
  a = _mm_xor_si128(a, t);
  // Barrett reduction to the 32-bit remainder.
  t = _mm_and_si128(a, low32);
  t = _mm_clmulepi64_si128(t, barrett, 0x10);
  t = _mm_and_si128(t, low32);
  t = _mm_clmulepi64_si128(t, barrett, 0x00);
  a = _mm_xor_si128(a, t);
  return static_cast<uint32_t>(_mm_extract_epi32(a, 1));
}

bool DetectClmul() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
}

const bool kHaveClmul = DetectClmul();

#endif  // BROCK_CRC32_CLMUL

}  // namespace

uint32_t ExtendCrc32Portable(uint32_t crc, const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  uint32_t c = ~crc;
  while (n >= 8) {
    uint32_t one = LoadLittle32(p) ^ c;
    uint32_t two = LoadLittle32(p + 4);
    c = kTables[7][one & 0xFF] ^ kTables[6][(one >> 8) & 0xFF] ^ kTables[5][(one >> 16) & 0xFF] ^
        kTables[4][one >> 24] ^ kTables[3][two & 0xFF] ^ kTables[2][(two >> 8) & 0xFF] ^
        kTables[1][(two >> 16) & 0xFF] ^ kTables[0][two >> 24];
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    c = kTables[0][(c ^ *p++) & 0xFF] ^ (c >> 8);
    --n;
  }
  return ~c;
}

uint32_t ExtendCrc32(uint32_t crc, const void* data, size_t n) {
#ifdef BROCK_CRC32_CLMUL
  if (n >= 64 && kHaveClmul) {
    const auto* p = static_cast<const uint8_t*>(data);
    size_t bulk = n & ~static_cast<size_t>(15);
    crc = ~FoldClmul(~crc, p, bulk);
    return ExtendCrc32Portable(crc, p + bulk, n - bulk);
  }
#endif
  return ExtendCrc32Portable(crc, data, n);
}

bool Crc32UsesClmul() {
#ifdef BROCK_CRC32_CLMUL
  return kHaveClmul;
#else
  return false;
#endif
}

}  // namespace brock
