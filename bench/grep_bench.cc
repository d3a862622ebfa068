// Grep tool throughput on a large tree (compare with ripgrep via bench/grep_vs_rg.sh).
//
// The tree comes from BROCK_GREP_BENCH_TREE (bench/grep_vs_rg.sh generates one: 5,000 files,
// ~100 MB); without it the benchmarks are skipped with a message.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "agent/tool_grep.h"
#include "base/env.h"
#include "base/process.h"

namespace brock {
namespace {

void RunGrepBench(benchmark::State& state, const Json& input) {
  const char* tree = std::getenv("BROCK_GREP_BENCH_TREE");
  if (tree == nullptr || *tree == '\0') {
    state.SkipWithError("set BROCK_GREP_BENCH_TREE (bench/grep_vs_rg.sh generates the tree)");
    return;
  }
  auto tool = MakeGrepTool();
  size_t bytes = 0;
  for (auto _ : state) {
    ToolContext ctx{RealEnv(), RealProcessRunner(), tree, {}, nullptr};
    auto r = tool->Run(input, ctx);
    if (!r.ok() || r->is_error) {
      state.SkipWithError("Grep failed");
      return;
    }
    bytes = r->content.empty() ? 0 : r->content[0]["text"].get_ref<const std::string&>().size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["output_bytes"] = static_cast<double>(bytes);
}

void BM_GrepLiteralFiles(benchmark::State& state) {
  RunGrepBench(state, Json{{"pattern", "zyxneedle"}});
}
void BM_GrepRegexFiles(benchmark::State& state) {
  RunGrepBench(state, Json{{"pattern", "fn\\s+parse_[a-z]+\\("}});
}
void BM_GrepCommonContent(benchmark::State& state) {
  RunGrepBench(state, Json{{"pattern", "error"}, {"output_mode", "content"}});
}
void BM_GrepCaseInsensitiveCount(benchmark::State& state) {
  RunGrepBench(state, Json{{"pattern", "todo"}, {"-i", true}, {"output_mode", "count"}});
}

BENCHMARK(BM_GrepLiteralFiles)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_GrepRegexFiles)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_GrepCommonContent)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_GrepCaseInsensitiveCount)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace brock
