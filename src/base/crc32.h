// Fast CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): the checksum zlib's crc32(), gzip
// and the AWS event-stream format use. base/crypto.h's Crc32 goes through zlib; this one is for
// hot paths (the event-stream decoder checks every byte Bedrock streams back).
//
// On x86-64 CPUs with PCLMULQDQ and SSE4.1 (checked at run time) it folds 64 bytes per step with
// carry-less multiplication; elsewhere it uses portable slicing-by-8 tables. Both give exactly
// zlib's results.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace brock {

// The CRC-32 of `n` bytes at `data` continuing from `crc` (0 to start; pass a previous result to
// checksum data that arrives in pieces). ExtendCrc32(ExtendCrc32(0, a), b) == CRC-32 of a+b.
uint32_t ExtendCrc32(uint32_t crc, const void* data, size_t n);
inline uint32_t ExtendCrc32(uint32_t crc, std::string_view data) {
  return ExtendCrc32(crc, data.data(), data.size());
}

// The portable table-driven implementation alone (exposed so tests can check it on any CPU).
uint32_t ExtendCrc32Portable(uint32_t crc, const void* data, size_t n);

// True when ExtendCrc32 uses the carry-less multiplication path on this CPU.
bool Crc32UsesClmul();

}  // namespace brock
