// Hashes and checksums (OpenSSL and zlib underneath). Binary results are returned as raw bytes
// in a std::string; use HexEncode for text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace brock {

std::string Sha256(std::string_view data);                            // 32 raw bytes
std::string Sha256Hex(std::string_view data);                         // 64 hex chars
std::string Sha1Hex(std::string_view data);                           // 40 hex chars
std::string HmacSha256(std::string_view key, std::string_view data);  // 32 raw bytes
// CRC-32 (IEEE 802.3, as zlib and the AWS event-stream format use), continuing from `crc`.
uint32_t Crc32(std::string_view data, uint32_t crc = 0);
// `n` cryptographically random bytes.
std::string RandomBytes(size_t n);

}  // namespace brock
