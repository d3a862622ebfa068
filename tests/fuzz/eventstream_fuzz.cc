// libFuzzer target for the event-stream decoder (src/aws/eventstream.h).
//
// Feeds arbitrary bytes to EventStreamDecoder in pseudo-random splits (derived from the input
// itself, so every run is reproducible) and checks that:
//   - splitting never changes the outcome: the same messages and the same error as one Feed;
//   - what decodes is canonical: re-encoding the messages reproduces the consumed input bytes;
//   - a message that decodes re-decodes to itself.
// When the first input byte is odd, the rest of the input is first "repaired": the CRCs of every
// frame it outlines are rewritten to be valid, so the fuzzer also explores the length and header
// checks that sit behind the checksums.
// Any violation aborts, which libFuzzer reports as a crash with the input saved.
//
// Build and run (clang's libFuzzer; the standalone CMake project beside this file does the same):
//   cmake -S tests/fuzz -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++
//   cmake --build build-fuzz && ./build-fuzz/eventstream_fuzz -max_total_time=60 corpus/
// or by hand:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
//     tests/fuzz/eventstream_fuzz.cc src/aws/eventstream.cc src/base/crc32.cc \
//     src/base/error.cc src/base/secrets.cc -o eventstream_fuzz
// Seed it with the reference messages, each behind a mode byte:
//   mkdir -p corpus && for f in ../shared/testdata/eventstream/encoded/*/*; do
//     (printf '\000'; cat "$f") > corpus/$(basename "$f"); done
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "aws/eventstream.h"
#include "base/crc32.h"

namespace {

struct Outcome {
  std::vector<brock::EventMessage> messages;
  bool ok = true;
  std::string error;
};

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "eventstream_fuzz: invariant violated: %s\n", what);
    std::abort();
  }
}

bool SameMessage(const brock::EventMessage& a, const brock::EventMessage& b) {
  if (a.payload != b.payload || a.headers.size() != b.headers.size()) return false;
  for (size_t i = 0; i < a.headers.size(); ++i) {
    const auto& x = a.headers[i];
    const auto& y = b.headers[i];
    if (x.name != y.name || x.type != y.type || x.int_value != y.int_value ||
        x.bytes_value != y.bytes_value) {
      return false;
    }
  }
  return true;
}

// A small cap keeps memory bounded while still exercising the "over the cap" path.
constexpr size_t kCap = 1 << 16;

Outcome Decode(std::string_view bytes, uint64_t split_seed) {
  brock::EventStreamDecoder decoder(kCap);
  Outcome out;
  uint64_t state = split_seed;
  while (!bytes.empty() && out.ok) {
    size_t n = bytes.size();
    if (split_seed != 0) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;  // LCG
      n = std::min<size_t>(bytes.size(), 1 + (state >> 33) % 24);
    }
    brock::Status s = decoder.Feed(
        bytes.substr(0, n), [&](brock::EventMessage&& m) { out.messages.push_back(std::move(m)); });
    if (!s.ok()) {
      out.ok = false;
      out.error = s.error().message;
      Check(s.error().code == "eventstream.corrupt", "error code is eventstream.corrupt");
      // Failure is sticky.
      brock::Status again = decoder.Feed("x", [](brock::EventMessage&&) {});
      Check(!again.ok() && again.error().message == out.error, "failure is sticky");
    }
    bytes.remove_prefix(n);
  }
  return out;
}

void PutBig32(std::string* s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) (*s)[at + i] = static_cast<char>(v >> (24 - 8 * i));
}

uint32_t GetBig32(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(s[at + i]);
  return v;
}

// Rewrites the prelude and message CRCs of each frame the bytes outline.
void RepairChecksums(std::string* s) {
  size_t at = 0;
  while (s->size() - at >= 12) {
    PutBig32(s, at + 8, brock::ExtendCrc32(0, s->data() + at, 8));
    size_t total = GetBig32(*s, at);
    if (total < 16 || total > s->size() - at) return;
    PutBig32(s, at + total - 4, brock::ExtendCrc32(0, s->data() + at, total - 4));
    at += total;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string buffer(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1) RepairChecksums(&buffer);
  std::string_view input(buffer);
  uint64_t seed = 0x9E3779B97F4A7C15ull;
  for (size_t i = 0; i < std::min<size_t>(size, 16); ++i)
    seed = (seed ^ data[i]) * 0x100000001B3ull;
  seed |= 1;  // never 0 (0 means "whole")

  Outcome whole = Decode(input, 0);
  Outcome split = Decode(input, seed);
  Check(whole.ok == split.ok, "split feeding gives the same success");
  Check(whole.error == split.error, "split feeding gives the same error");
  Check(whole.messages.size() == split.messages.size(), "split feeding gives the same messages");
  std::string reencoded;
  for (size_t i = 0; i < whole.messages.size(); ++i) {
    Check(SameMessage(whole.messages[i], split.messages[i]), "split messages are identical");
    std::string one = brock::EncodeEventMessage(whole.messages[i]);
    Outcome again = Decode(one, 0);
    Check(
        again.ok && again.messages.size() == 1 && SameMessage(again.messages[0], whole.messages[i]),
        "a decoded message re-decodes to itself");
    reencoded += one;
  }
  Check(input.substr(0, reencoded.size()) == reencoded, "decoded messages re-encode to the input");
  return 0;
}
