// Print-mode sinks: how `brock -p` shows a run.
//   text         the final result only (as Claude Code prints it); warnings, retries and errors go
//                to stderr.
//   json         one JSON object at the end (Claude Code's result shape).
//   stream-json  NDJSON as the run unfolds: system/init, assistant, user, system/api_retry,
//                system/compact_boundary, stream_event (with partial messages), result (needs
//                --verbose, as in Claude Code). docs/print-mode.md lists every field.
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

// `partial_messages` (--include-partial-messages): stream-json also prints `stream_event` lines
// (message_start, content_block_start/delta/stop, message_delta, message_stop) as a reply streams.
std::unique_ptr<AgentSink> MakePrintSink(OutputFormat format, bool verbose, std::FILE* out,
                                         std::FILE* err, bool partial_messages = false);

// The json/stream-json "result" object for a run (shared by both formats).
Json ResultJson(const RunResult& result);

}  // namespace brock
