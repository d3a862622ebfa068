// Print-mode sinks: how `brock -p` shows a run.
//   text         the answer streams to stdout as it arrives; warnings, retries and errors go to
//                stderr.
//   json         one JSON object at the end (Claude Code's result shape).
//   stream-json  NDJSON as the run unfolds: system/init, assistant, user, result (needs --verbose,
//                as in Claude Code).
// Errors always also go to stderr, so a script that reads only stdout still sees them fail.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "agent/agent_events.h"

namespace brock {

enum class OutputFormat { kText, kJson, kStreamJson };

// Parses "text" | "json" | "stream-json".
Result<OutputFormat> ParseOutputFormat(std::string_view name);

std::unique_ptr<AgentSink> MakePrintSink(OutputFormat format, bool verbose, std::FILE* out,
                                         std::FILE* err);

// The json/stream-json "result" object for a run (shared by both formats).
Json ResultJson(const RunResult& result);

}  // namespace brock
