// The one table of Claude models brock knows by name: each model's Anthropic API name, its Bedrock
// foundation model ID, its context window, whether it takes the 1M-token context beta, and its
// output-token cap; plus which model each alias (sonnet, opus, haiku) means by default on Bedrock
// (Claude Code's current Bedrock defaults); and what each model can do with reasoning: extended
// thinking with a fixed budget, thinking between tool calls, adaptive thinking, and the effort
// levels it takes. docs/models.md shows the same table to users.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace brock {

// The beta that gives a model its 1M-token context window (the "[1m]" aliases).
inline constexpr char kContext1mBeta[] = "context-1m-2025-08-07";

struct KnownModel {
  const char* anthropic_name;  // "claude-sonnet-4-5-20250929"
  const char* short_name;      // "claude-sonnet-4-5" (the undated alias), or "" when none
  const char* bedrock_id;      // "anthropic.claude-sonnet-4-5-20250929-v1:0"
  const char* family;          // sonnet | opus | haiku
  int64_t context_window;      // tokens, without the 1M beta
  bool supports_1m;            // takes the context-1m-2025-08-07 beta
  int max_output_tokens;       // the model's cap on max_tokens
  unsigned capabilities = 0;   // kCap* bits below
};

// What a model can do with reasoning (KnownModel::capabilities).
inline constexpr unsigned kCapThinking = 1u << 0;     // thinking {type: enabled, budget_tokens}
inline constexpr unsigned kCapInterleaved = 1u << 1;  // thinks between tool calls (with the beta)
inline constexpr unsigned kCapAdaptive = 1u << 2;     // thinking {type: adaptive}
inline constexpr unsigned kCapEffort = 1u << 3;       // output_config.effort low|medium|high
inline constexpr unsigned kCapXhighEffort = 1u << 4;  // ... and xhigh
inline constexpr unsigned kCapMaxEffort = 1u << 5;    // ... and max

// The capabilities of the model `id` names (any form FindKnownModel takes). A model brock does
// not know (an application inference profile ARN, a custom model) is taken to be a current Claude
// model: fixed-budget thinking with interleaving, no adaptive thinking, no effort.
unsigned ModelCapabilities(std::string_view id);

// The effort level sent to `id` for a requested level ("low", "medium", "high", "xhigh", "max";
// "" for the model's default): the highest level the model takes at or below the request, as
// Claude Code falls back; "" when the model takes no effort.
std::string EffortForModel(std::string_view id, std::string_view requested);

// The model an ID, inference profile ID, ARN or Anthropic name refers to (matched on the
// foundation model part, ignoring a region prefix and "[1m]"); nullptr when unknown.
const KnownModel* FindKnownModel(std::string_view id);

// The Bedrock foundation model ID for an Anthropic-format name ("claude-sonnet-4-5-20250929",
// "claude-opus-4-1"), case-insensitive; "" when `name` is not one.
std::string BedrockIdForAnthropicName(std::string_view name);

// The foundation model ID an alias tier ("sonnet", "opus", "haiku") means by default; "" else.
std::string DefaultBedrockIdForTier(std::string_view tier);

// Token limits for a request to `model_id` (any form FindKnownModel takes). Unknown models get
// 200k / 32000, what current Claude models all offer.
struct ModelLimits {
  int64_t context_window = 200000;
  int max_output_tokens = 32000;   // the cap
  int default_max_tokens = 32000;  // what brock asks for when nothing says otherwise
};
ModelLimits LimitsForModel(std::string_view model_id, bool context_1m);

}  // namespace brock
