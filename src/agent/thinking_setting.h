// Whether a session asks the model for extended thinking, and with what budget, decided as
// Claude Code decides it:
//   1. --max-thinking-tokens N (the Agent SDK's maxThinkingTokens) when given;
//   2. else MAX_THINKING_TOKENS=N from the environment (or a settings `env` block);
//   3. else `"alwaysThinkingEnabled": true` in the merged settings: the full budget (31999);
//   4. else off.
// N = 0 turns thinking off. The budget is at least 1024 (the smallest the API takes) and below
// max_tokens (thinking counts against the reply's output), so with max_tokens 32000 the full
// budget is 31999. With thinking on, the request also carries the interleaved-thinking beta, so
// the model may think between tool calls. docs/models.md ("Extended thinking") documents this.
#pragma once

#include <string>

#include "base/env.h"
#include "base/json.h"

namespace brock {

inline constexpr int kFullThinkingBudget = 31999;
inline constexpr int kMinThinkingBudget = 1024;
inline constexpr char kInterleavedThinkingBeta[] = "interleaved-thinking-2025-05-14";

struct ThinkingChoice {
  int budget_tokens = 0;  // 0: off
  std::string source;     // what turned it on: "--max-thinking-tokens", "MAX_THINKING_TOKENS", ...
  std::string warning;    // set when a value was unusable or adjusted (for stderr)
};

// `flag_tokens`: --max-thinking-tokens, or -1 when not given. `settings`: the merged settings
// object (null or a non-object is "no settings"). `max_tokens`: the request's output limit.
ThinkingChoice ChooseThinking(const Env& env, const Json& settings, int max_tokens,
                              int flag_tokens);

}  // namespace brock
