#include "bedrock/model_resolver.h"

#include "base/strings.h"
#include "bedrock/model_table.h"

namespace brock {

namespace {

// The alias defaults live in the one model table (bedrock/model_table.h).
constexpr const char* kDefaultAlias = "sonnet";

// A trailing "[1m]" (any case) on a model ID: removed, and true returned.
bool StripContext1mSuffix(std::string& value) {
  if (value.size() > 4 && ToLower(value.substr(value.size() - 4)) == "[1m]") {
    value.resize(value.size() - 4);
    return true;
  }
  return false;
}

struct AliasInfo {
  const char* name;  // as written by the user, lowercase
  const char* tier;  // sonnet | opus | haiku
  bool context_1m;
};

constexpr AliasInfo kAliases[] = {
    {"sonnet", "sonnet", false},    {"opus", "opus", false},    {"haiku", "haiku", false},
    {"sonnet[1m]", "sonnet", true}, {"opus[1m]", "opus", true}, {"best", "opus", false},
    {"opusplan", "sonnet", false},
};

const AliasInfo* FindAlias(std::string_view name) {
  std::string lower = ToLower(Trim(name));
  if (lower == "default") lower = kDefaultAlias;
  for (const AliasInfo& alias : kAliases) {
    if (lower == alias.name) return &alias;
  }
  return nullptr;
}

// "ANTHROPIC_DEFAULT_SONNET_MODEL" for tier "sonnet".
std::string TierVariable(std::string_view tier) {
  std::string upper;
  for (char c : tier) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return "ANTHROPIC_DEFAULT_" + upper + "_MODEL";
}

// Whitespace or control characters cannot be part of a model ID or ARN.
bool HasBadCharacters(std::string_view id) {
  for (unsigned char c : id) {
    if (c <= ' ' || c == 0x7f) return true;
  }
  return false;
}

Error InvalidModel(const std::string& value, const std::string& source, const std::string& why,
                   const std::string& fix) {
  return MakeError("model.invalid",
                   "model " + QuoteForDisplay(value) + " from " + source + " " + why, fix);
}

}  // namespace

std::string InferenceProfilePrefix(std::string_view region) {
  std::string r = ToLower(Trim(region));
  if (StartsWith(r, "us-gov-")) return "us-gov.";
  if (StartsWith(r, "us-")) return "us.";
  if (StartsWith(r, "eu-")) return "eu.";
  if (StartsWith(r, "ap-")) return "apac.";
  return "global.";
}

std::string BuiltinFoundationModelId(std::string_view tier) {
  return DefaultBedrockIdForTier(tier);
}

bool IsModelAvailable(const std::vector<std::string>& available, const ModelChoice& choice) {
  auto strip_prefix = [](std::string id) {
    for (const char* p : {"us-gov.", "us.", "eu.", "apac.", "global."}) {
      if (StartsWith(id, p)) return id.substr(std::string_view(p).size());
    }
    return id;
  };
  std::string id = ToLower(Trim(choice.model_id));
  std::string alias = ToLower(choice.alias);
  std::string family = ToLower(choice.family);
  for (const std::string& entry : available) {
    std::string e = ToLower(Trim(entry));
    if (e.empty()) continue;
    if (e == "sonnet" || e == "opus" || e == "haiku") {
      if (family == e) return true;
      continue;
    }
    if (!alias.empty() && e == alias) return true;
    if (e == id || strip_prefix(e) == strip_prefix(id)) return true;
  }
  return false;
}

std::string ModelFamily(std::string_view model_id) {
  std::string lower = ToLower(model_id);
  for (const char* family : {"sonnet", "opus", "haiku"}) {
    if (lower.find(family) != std::string::npos) return family;
  }
  return "";
}

bool LooksLikeBareFoundationModelId(std::string_view model_id) {
  // "anthropic.claude-..." with no "us." / "eu." / "global." ... in front; ARNs never match.
  return StartsWith(ToLower(Trim(model_id)), "anthropic.claude");
}

Result<std::optional<ModelChoice>> ResolveModelAlias(const Env& env, std::string_view name,
                                                     std::string_view region,
                                                     std::string_view origin) {
  const AliasInfo* alias = FindAlias(name);
  if (!alias) return std::optional<ModelChoice>();
  ModelChoice choice;
  choice.origin = std::string(origin);
  choice.alias = alias->name;
  choice.context_1m = alias->context_1m;
  std::string variable = TierVariable(alias->tier);
  if (auto pinned = env.GetNonEmpty(variable)) {
    std::string source = variable + " (from " + env.VarOrigin(variable) + ")";
    std::string value(Trim(*pinned));
    if (HasBadCharacters(value)) {
      return InvalidModel(*pinned, source, "contains whitespace or control characters",
                          "set " + variable + " to one model ID or ARN, for example " +
                              InferenceProfilePrefix(region) +
                              BuiltinFoundationModelId(alias->tier));
    }
    if (FindAlias(value)) {
      return InvalidModel(value, source, "is an alias, but " + variable + " must name a model",
                          "set " + variable + " to a full model ID, for example " +
                              InferenceProfilePrefix(region) +
                              BuiltinFoundationModelId(alias->tier));
    }
    if (StripContext1mSuffix(value)) choice.context_1m = true;
    choice.model_id = value;
    choice.alias_source = source;
  } else {
    std::string prefix = InferenceProfilePrefix(region);
    choice.model_id = prefix + BuiltinFoundationModelId(alias->tier);
    choice.alias_source =
        "built-in " + prefix + " profile for region " +
        (Trim(region).empty() ? std::string("(none)") : std::string(Trim(region)));
  }
  choice.family = ModelFamily(choice.model_id);
  if (choice.family.empty()) choice.family = alias->tier;  // e.g. an application profile ARN
  return std::optional<ModelChoice>(std::move(choice));
}

Result<ModelChoice> ResolveModel(const Env& env, const ModelRequest& request) {
  std::string value;
  std::string origin;
  if (!Trim(request.cli_model).empty()) {
    value = request.cli_model;
    origin = "--model";
  } else if (auto from_env = env.GetNonEmpty("ANTHROPIC_MODEL");
             from_env && !Trim(*from_env).empty()) {
    value = *from_env;
    origin = "ANTHROPIC_MODEL (from " + env.VarOrigin("ANTHROPIC_MODEL") + ")";
  } else if (request.settings_model && !Trim(*request.settings_model).empty()) {
    value = *request.settings_model;
    origin = "model in " + request.settings_model_origin;
  } else {
    value = kDefaultAlias;
    origin = "default";
  }
  value = std::string(Trim(value));

  Result<std::optional<ModelChoice>> alias = ResolveModelAlias(env, value, request.region, origin);
  if (!alias.ok()) return std::move(alias).error();
  if (alias.value()) return std::move(*alias.value());

  if (HasBadCharacters(value)) {
    return InvalidModel(
        value, origin, "contains whitespace or control characters",
        "use one model ID or ARN (for example " + InferenceProfilePrefix(request.region) +
            DefaultBedrockIdForTier("sonnet") + ") or an alias: sonnet, opus, haiku");
  }
  ModelChoice choice;
  choice.origin = origin;
  choice.context_1m = StripContext1mSuffix(value);
  if (std::string id = BedrockIdForAnthropicName(value); !id.empty()) {
    // An Anthropic API name ("claude-sonnet-4-5-20250929"): the region's inference profile.
    std::string prefix = InferenceProfilePrefix(request.region);
    choice.model_id = prefix + id;
    choice.alias_source =
        "Anthropic model name " + value + " as the " + prefix + " profile for region " +
        (Trim(request.region).empty() ? std::string("(none)") : std::string(Trim(request.region)));
    choice.family = ModelFamily(choice.model_id);
    return choice;
  }
  choice.model_id = value;  // verbatim: IDs and ARNs are never rewritten (but "[1m]")
  choice.family = ModelFamily(value);
  return choice;
}

}  // namespace brock
