// Which Bedrock model a session talks to, the way Claude Code on Bedrock decides it.
//
// Order (first that is set wins): the --model flag, the ANTHROPIC_MODEL variable (read after the
// settings `env` block has been applied), the settings `model` key, then the default ("sonnet").
// The value may be an alias or a model ID / ARN:
//   sonnet, opus, haiku        -> $ANTHROPIC_DEFAULT_{SONNET,OPUS,HAIKU}_MODEL when set (verbatim),
//                                 else a built-in cross-region inference profile ID: the region's
//                                 prefix (InferenceProfilePrefix) + the built-in foundation model
//                                 ID
//   sonnet[1m], opus[1m]       -> as sonnet / opus, with context_1m set
//   best                       -> as opus
//   opusplan                   -> as sonnet (the execution model; plan mode switches to opus)
//   default                    -> the default alias (sonnet)
// Aliases match case-insensitively. An Anthropic API model name ("claude-sonnet-4-5-20250929",
// "claude-opus-4-1"; bedrock/model_table.h) becomes the region's inference profile as an alias
// does. A "[1m]" suffix on any value (or on an ANTHROPIC_DEFAULT_*_MODEL pin) is removed and sets
// context_1m. Anything else (an inference profile ID, a foundation model ID, an ARN) is used
// verbatim, never rewritten. docs/models.md is the user-facing description.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "base/error.h"

namespace brock {

struct ModelChoice {
  std::string model_id;  // what goes into the Bedrock request path
  // Where the choice came from: "--model", "ANTHROPIC_MODEL (from <VarOrigin>)",
  // "model in <settings file>", or "default".
  std::string origin;
  std::string alias;   // "sonnet", "opus", "haiku", "sonnet[1m]", ... as normalized; "" for IDs
  std::string family;  // "sonnet" | "haiku" | "opus" | "" guessed from model_id, for prices
  // For aliases, what mapped the alias to model_id: "ANTHROPIC_DEFAULT_SONNET_MODEL (from
  // <origin>)" or "built-in us. profile for region us-east-1"; "" for IDs used verbatim.
  std::string alias_source;
  bool context_1m = false;  // a "[1m]" alias: request the 1M-token context window
};

struct ModelRequest {
  std::string cli_model;                      // --model value; "" when the flag was not given
  std::optional<std::string> settings_model;  // Settings::model
  std::string settings_model_origin;          // Settings::model_origin (the file)
  std::string region;                         // resolved AWS region, e.g. "us-east-1"
};

// Picks and resolves the session model. Errors (code "model.invalid") when the chosen value or the
// ANTHROPIC_DEFAULT_*_MODEL variable an alias maps to is unusable (contains whitespace or control
// characters, or the variable names an alias instead of a model); the message names the source.
Result<ModelChoice> ResolveModel(const Env& env, const ModelRequest& request);

// Resolves `name` if it is an alias (see above), for callers that need a specific tier (e.g. the
// haiku model for background work). nullopt when `name` is not an alias. `origin` is copied into
// the result. Errors as ResolveModel for a bad ANTHROPIC_DEFAULT_*_MODEL.
Result<std::optional<ModelChoice>> ResolveModelAlias(const Env& env, std::string_view name,
                                                     std::string_view region,
                                                     std::string_view origin);

// The cross-region inference profile prefix for `region`: "us-gov." for us-gov-*, "us." for
// us-*, "eu." for eu-*, "apac." for ap-*, else "global." (also for an empty region).
std::string InferenceProfilePrefix(std::string_view region);

// The built-in foundation model ID behind an alias tier ("sonnet", "opus", "haiku"), e.g.
// "anthropic.claude-sonnet-4-5-20250929-v1:0"; "" for anything else.
std::string BuiltinFoundationModelId(std::string_view tier);

// True when managed `availableModels` admits `choice`. An entry that is a family alias ("sonnet",
// "opus", "haiku") admits every model of that family; another alias ("sonnet[1m]", "opusplan")
// admits that alias; anything else is a model ID, matched with or without a cross-region prefix
// ("us.", "eu.", "apac.", "global.", "us-gov.") against the resolved ID. Case-insensitive.
bool IsModelAvailable(const std::vector<std::string>& available, const ModelChoice& choice);

// "sonnet", "haiku", "opus" when the ID (or ARN) names that family, else "".
std::string ModelFamily(std::string_view model_id);

// True when `model_id` looks like a bare Anthropic foundation model ID such as
// "anthropic.claude-sonnet-4-5-20250929-v1:0", which current Claude models only accept through a
// cross-region inference profile (prefix + the ID, "us.anthropic.claude-..."). ARNs are never
// bare. Used to add that hint to "invalid model identifier" errors.
bool LooksLikeBareFoundationModelId(std::string_view model_id);

}  // namespace brock
