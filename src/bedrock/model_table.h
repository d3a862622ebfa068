// The one table of Claude models brock knows by name: each model's Anthropic API name, its Bedrock
// foundation model ID, its context window, whether it takes the 1M-token context beta, and its
// output-token cap; plus which model each alias (sonnet, opus, haiku) means by default on Bedrock
// (Claude Code's current Bedrock defaults). docs/models.md shows the same table to users.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace brock {

struct KnownModel {
  const char* anthropic_name;  // "claude-sonnet-4-5-20250929"
  const char* short_name;      // "claude-sonnet-4-5" (the undated alias), or "" when none
  const char* bedrock_id;      // "anthropic.claude-sonnet-4-5-20250929-v1:0"
  const char* family;          // sonnet | opus | haiku
  int64_t context_window;      // tokens, without the 1M beta
  bool supports_1m;            // takes the context-1m-2025-08-07 beta
  int max_output_tokens;       // the model's cap on max_tokens
};

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
