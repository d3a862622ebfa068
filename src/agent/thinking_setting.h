// Whether a session asks the model for extended thinking, decided as Claude Code decides it on
// Bedrock (a third-party provider, where "off" means the request carries no thinking parameter):
//   1. CLAUDE_CODE_DISABLE_THINKING=1: off;
//   2. else --max-thinking-tokens N (the Agent SDK's maxThinkingTokens) when given;
//   3. else MAX_THINKING_TOKENS=N from the environment (or a settings `env` block);
//   4. else `"alwaysThinkingEnabled": false` in the merged settings: off;
//   5. else on, with the full budget (one token below max_tokens: 31999 for 32000).
// N = 0 turns thinking off; N > 0 turns it on even when alwaysThinkingEnabled is false. The
// budget is at least 1024 (the smallest the API takes) and below max_tokens. Models with
// adaptive thinking (Opus 4.6, Sonnet 4.6) ignore the number and choose their own depth unless
// CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING=1; fixed-budget models also think between tool calls
// unless DISABLE_INTERLEAVED_THINKING=1. The request body is shaped per model in
// bedrock/bedrock_model_client.h. docs/models.md ("Extended thinking") documents this.
#pragma once

#include <string>

#include "base/env.h"
#include "base/json.h"

namespace brock {

inline constexpr int kMinThinkingBudget = 1024;

struct ThinkingChoice {
  int budget_tokens = 0;  // 0: off
  std::string source;     // what decided: "--max-thinking-tokens", "MAX_THINKING_TOKENS", "default"
  std::string warning;    // set when a value was unusable or adjusted (for stderr)
  bool adaptive = true;   // false: CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING
  bool interleaved = true;  // false: DISABLE_INTERLEAVED_THINKING
};

// `flag_tokens`: --max-thinking-tokens, or -1 when not given. `settings`: the merged settings
// object (null or a non-object is "no settings"). `max_tokens`: the request's output limit.
ThinkingChoice ChooseThinking(const Env& env, const Json& settings, int max_tokens,
                              int flag_tokens);

}  // namespace brock
