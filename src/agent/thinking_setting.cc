#include "agent/thinking_setting.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace brock {

ThinkingChoice ChooseThinking(const Env& env, const Json& settings, int max_tokens,
                              int flag_tokens) {
  ThinkingChoice c;
  c.adaptive = !env.GetBool("CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING");
  c.interleaved = !env.GetBool("DISABLE_INTERLEAVED_THINKING");
  if (env.GetBool("CLAUDE_CODE_DISABLE_THINKING")) {
    c.source = "CLAUDE_CODE_DISABLE_THINKING";
    return c;
  }
  int64_t requested = -1;
  if (flag_tokens >= 0) {
    requested = flag_tokens;
    c.source = "--max-thinking-tokens";
  } else if (auto value = env.GetNonEmpty("MAX_THINKING_TOKENS")) {
    int64_t n = env.GetInt("MAX_THINKING_TOKENS", -1);
    if (n < 0) {
      c.warning = "MAX_THINKING_TOKENS=" + *value +
                  " is not a number of tokens; extended thinking follows the settings instead";
    } else {
      requested = n;
      c.source = "MAX_THINKING_TOKENS";
    }
  }
  if (requested < 0) {
    const bool off = settings.is_object() && settings.contains("alwaysThinkingEnabled") &&
                     settings["alwaysThinkingEnabled"].is_boolean() &&
                     !settings["alwaysThinkingEnabled"].get<bool>();
    if (off) {
      c.source = "alwaysThinkingEnabled";
      return c;
    }
    requested = static_cast<int64_t>(max_tokens) - 1;
    c.source = "default";
  }
  if (requested == 0) return c;
  int64_t budget = std::max<int64_t>(requested, kMinThinkingBudget);
  if (budget >= max_tokens) budget = static_cast<int64_t>(max_tokens) - 1;
  if (budget < kMinThinkingBudget) {
    c.warning = "extended thinking (" + c.source + ") is off: max_tokens " +
                std::to_string(max_tokens) + " leaves no room for the smallest thinking budget (" +
                std::to_string(kMinThinkingBudget) +
                " tokens); raise CLAUDE_CODE_MAX_OUTPUT_TOKENS";
    return c;
  }
  if (budget != requested && c.warning.empty() && requested > kMinThinkingBudget) {
    c.warning = "thinking budget " + std::to_string(requested) + " (" + c.source + ") lowered to " +
                std::to_string(budget) + " to stay below max_tokens " + std::to_string(max_tokens);
  }
  c.budget_tokens = static_cast<int>(budget);
  return c;
}

}  // namespace brock
