// Event-stream decoding throughput (target: at least 1 GB/s on large payloads) and the CRC-32
// underneath it. Run: build with -DBROCK_BENCH=ON, then
//   ./brock_bench --benchmark_filter='EventStream|Crc32'
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "aws/eventstream.h"
#include "base/crc32.h"
#include "base/crypto.h"

namespace brock {
namespace {

// A stream of Bedrock-shaped "chunk" events with `payload_size`-byte payloads, about
// `stream_bytes` long in total (at least one message).
std::string MakeStream(size_t payload_size, size_t stream_bytes) {
  std::mt19937 rng(1);
  EventMessage m;
  m.headers = {StringHeader(":event-type", "chunk"),
               StringHeader(":content-type", "application/json"),
               StringHeader(":message-type", "event")};
  m.payload.resize(payload_size);
  for (auto& ch : m.payload) ch = static_cast<char>('a' + rng() % 26);
  std::string one = EncodeEventMessage(m);
  std::string stream;
  do {
    stream += one;
  } while (stream.size() < stream_bytes);
  return stream;
}

// Arg 0: payload bytes per message; arg 1: bytes per Feed call (0: the whole stream at once).
void BM_EventStreamDecode(benchmark::State& state) {
  const size_t payload = static_cast<size_t>(state.range(0));
  const size_t chunk = static_cast<size_t>(state.range(1));
  const std::string stream = MakeStream(payload, 8 << 20);
  size_t messages = 0;
  size_t payload_bytes = 0;
  for (auto _ : state) {
    EventStreamDecoder decoder;
    auto sink = [&](EventMessage&& m) {
      ++messages;
      payload_bytes += m.payload.size();
      benchmark::DoNotOptimize(m.payload.data());
    };
    std::string_view rest = stream;
    while (!rest.empty()) {
      size_t n = chunk == 0 ? rest.size() : std::min(chunk, rest.size());
      if (!decoder.Feed(rest.substr(0, n), sink).ok()) state.SkipWithError("decode failed");
      rest.remove_prefix(n);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * stream.size()));
  state.counters["msgs/s"] =
      benchmark::Counter(static_cast<double>(messages), benchmark::Counter::kIsRate);
  benchmark::DoNotOptimize(payload_bytes);
}
BENCHMARK(BM_EventStreamDecode)
    ->ArgNames({"payload", "feed"})
    ->Args({200, 0})
    ->Args({200, 16384})
    ->Args({64 << 10, 0})
    ->Args({64 << 10, 16384})
    ->Args({1 << 20, 0})
    ->Args({1 << 20, 16384})
    ->Unit(benchmark::kMillisecond);

void BM_EventStreamEncode(benchmark::State& state) {
  EventMessage m;
  m.headers = {StringHeader(":event-type", "chunk"), StringHeader(":message-type", "event")};
  m.payload.assign(static_cast<size_t>(state.range(0)), 'x');
  size_t bytes = 0;
  for (auto _ : state) {
    std::string out = EncodeEventMessage(m);
    bytes += out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_EventStreamEncode)->Arg(200)->Arg(64 << 10);

std::string RandomBuffer(size_t n) {
  std::mt19937 rng(7);
  std::string s(n, '\0');
  for (auto& ch : s) ch = static_cast<char>(rng());
  return s;
}

void BM_Crc32Brock(benchmark::State& state) {
  const std::string data = RandomBuffer(static_cast<size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(ExtendCrc32(0, data));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_Crc32Brock)->Arg(200)->Arg(64 << 10)->Arg(1 << 20);

void BM_Crc32Portable(benchmark::State& state) {
  const std::string data = RandomBuffer(static_cast<size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(ExtendCrc32Portable(0, data.data(), data.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_Crc32Portable)->Arg(64 << 10);

void BM_Crc32Zlib(benchmark::State& state) {
  const std::string data = RandomBuffer(static_cast<size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(Crc32(data));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_Crc32Zlib)->Arg(64 << 10)->Arg(1 << 20);

}  // namespace
}  // namespace brock
