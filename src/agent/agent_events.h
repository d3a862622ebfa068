// AgentSink: the one-way channel from the agent to whoever shows it (print-mode formats, the
// interactive terminal). The agent never prints; it calls these in order as a run unfolds.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agent/hook_notice.h"
#include "base/error.h"
#include "base/json.h"
#include "base/json_box.h"
#include "model/model_client.h"

namespace brock {

struct SessionInfo {
  std::string session_id;
  std::string cwd;
  std::string model;
  std::string permission_mode;
  std::vector<std::string> tools;
  // MCP servers as (name, status): "connected", "failed", "pending", "disconnected".
  std::vector<std::pair<std::string, std::string>> mcp_servers = {};
  // For Claude Code's system/init object (docs/print-mode.md).
  std::vector<std::string> slash_commands;
  std::vector<std::string> agents;
  std::string output_style = "default";
  std::vector<std::string> betas;
  std::string version;   // brock's version, as claude_code_version
  int max_retries = 10;  // CLAUDE_CODE_MAX_RETRIES, for system/api_retry
};

// Per-model usage and cost, as in Claude Code's "modelUsage".
struct ModelUsage {
  Usage usage;
  double cost_usd = 0;
};

struct RunResult {
  std::string subtype =
      "success";  // success | error_max_turns | error_during_execution | error_max_budget_usd
  bool is_error = false;
  std::string result;  // the final assistant text, or the error text
  std::string session_id;
  int num_turns = 0;
  int64_t duration_ms = 0;
  int64_t duration_api_ms = 0;
  Usage usage;
  double total_cost_usd = 0;
  std::map<std::string, ModelUsage> model_usage;
  std::vector<Json> permission_denials;  // {tool_name, tool_use_id, tool_input}
  std::optional<Error> error;            // set when is_error because of a failure
  std::string stop_reason;               // of the last reply; "" when there was none
  // Why the run ended, in Claude Code's words: completed | max_turns | budget_exhausted |
  // aborted_streaming | aborted_tools | prompt_too_long | api_error.
  std::string terminal_reason = "completed";
  std::map<std::string, int64_t> context_windows;    // per model in model_usage: its window
  std::map<std::string, int64_t> max_output_tokens;  // per model in model_usage: its cap
  std::optional<JsonBox> structured_output;          // --json-schema: the validated answer
};

class AgentSink {
 public:
  virtual ~AgentSink() = default;
  virtual void OnInit(const SessionInfo& info) {}
  // A piece of assistant text, as it streams in.
  virtual void OnTextDelta(std::string_view text) {}
  // A piece of the model's visible thinking, as it streams in.
  virtual void OnThinkingDelta(std::string_view thinking) {}
  // A complete assistant message (reply.message) with its stop reason and usage.
  virtual void OnAssistantMessage(const ModelReply& reply) {}
  // A user message the agent sent back (tool results).
  virtual void OnUserMessage(const Message& message) {}
  // A request failed and will be retried after `delay`.
  virtual void OnRetry(const Error& cause, int next_attempt, std::chrono::milliseconds delay) {}
  // The conversation was compacted ("auto" or "manual"); `pre_tokens` is how many tokens it
  // held before.
  virtual void OnCompactBoundary(std::string_view trigger, int64_t pre_tokens) {}
  // The model in use changed to `to` because `from` was overloaded (--fallback-model).
  // The default tells the user through OnWarning.
  virtual void OnModelFallback(std::string_view from, std::string_view to, const Error& cause) {
    OnWarning(std::string(from) + " is overloaded (" + cause.message + "): switching to " +
              std::string(to) + " (--fallback-model) for this turn");
  }
  // Something the user should know that does not stop the run.
  virtual void OnWarning(std::string_view text) {}
  // A hook command ran (agent/hook_engine.h). May come from a tool running in parallel, but never
  // two at once.
  virtual void OnHook(const HookNotice& notice) {}
  // The run ended (successfully or not). Always called exactly once per run.
  virtual void OnResult(const RunResult& result) {}
};

}  // namespace brock
