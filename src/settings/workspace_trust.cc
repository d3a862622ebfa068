#include "settings/workspace_trust.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace brock {

namespace {

// Variables that select among the user's own credentials, regions and models, or tune limits.
// None names a file, a command, a host, a proxy, a certificate or a shell.
constexpr std::string_view kEnvAllowedUntrusted[] = {
    "ANTHROPIC_DEFAULT_HAIKU_MODEL",
    "ANTHROPIC_DEFAULT_OPUS_MODEL",
    "ANTHROPIC_DEFAULT_SONNET_MODEL",
    "ANTHROPIC_MODEL",
    "ANTHROPIC_SMALL_FAST_MODEL",
    "ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_REGION",
    "BASH_DEFAULT_TIMEOUT_MS",
    "BASH_MAX_OUTPUT_LENGTH",
    "BASH_MAX_TIMEOUT_MS",
    "BROCK_COMPACT_AT_TOKENS",
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
    "CLAUDE_CODE_MAX_OUTPUT_TOKENS",
    "CLAUDE_CODE_SUBAGENT_MODEL",
    "CLAUDE_CODE_USE_BEDROCK",
    "DISABLE_AUTOUPDATER",
    "DISABLE_ERROR_REPORTING",
    "DISABLE_NON_ESSENTIAL_MODEL_CALLS",
    "DISABLE_PROMPT_CACHING",
    "DISABLE_TELEMETRY",
    "MAX_MCP_OUTPUT_TOKENS",
    "MAX_THINKING_TOKENS",
};

// Top-level keys that only choose a model, narrow what brock may do, or change what is shown.
constexpr std::string_view kKeysAllowedUntrusted[] = {
    "$schema",
    "cleanupPeriodDays",
    "disableAllHooks",
    "includeCoAuthoredBy",
    "language",
    "model",
    "outputStyle",
    "respectGitignore",
    "spinnerTipsEnabled",
    "alwaysThinkingEnabled",
};

// permissions.* keys that only narrow (defaultMode is checked by value).
constexpr std::string_view kPermissionKeysAllowedUntrusted[] = {"ask", "deny",
                                                                "disableBypassPermissionsMode"};

template <size_t N>
bool Contains(const std::string_view (&list)[N], std::string_view name) {
  return std::find(std::begin(list), std::end(list), name) != std::end(list);
}

std::string Display(const Json& value) {
  std::string text = value.dump();
  constexpr size_t kMax = 200;
  if (text.size() > kMax) text = text.substr(0, kMax) + "...";
  return text;
}

void Ignore(const std::string& origin, std::string key, const Json& value,
            std::vector<IgnoredSetting>* ignored) {
  ignored->push_back({origin, std::move(key), Display(value)});
}

void RestrictEnv(Json& env, const std::string& origin, std::vector<IgnoredSetting>* ignored) {
  if (!env.is_object()) return;  // the loader reports the type
  for (auto it = env.begin(); it != env.end();) {
    if (IsEnvAllowedUntrusted(it.key())) {
      ++it;
      continue;
    }
    Ignore(origin, "env." + it.key(), it.value(), ignored);
    it = env.erase(it);
  }
}

void RestrictPermissions(Json& permissions, const std::string& origin,
                         std::vector<IgnoredSetting>* ignored) {
  if (!permissions.is_object()) return;
  for (auto it = permissions.begin(); it != permissions.end();) {
    const std::string& key = it.key();
    bool keep = Contains(kPermissionKeysAllowedUntrusted, key) ||
                (key == "defaultMode" &&
                 (!it->is_string() || IsModeAllowedUntrusted(it->get<std::string>())));
    if (keep) {
      ++it;
      continue;
    }
    Ignore(origin, "permissions." + key, it.value(), ignored);
    it = permissions.erase(it);
  }
}

}  // namespace

bool IsEnvAllowedUntrusted(std::string_view name) { return Contains(kEnvAllowedUntrusted, name); }

bool IsModeAllowedUntrusted(std::string_view mode) {
  std::string_view m = Trim(mode);
  return m == "default" || m == "manual" || m == "plan" || m == "dontAsk";
}

void RestrictUntrustedProjectFile(Json& file, const std::string& origin,
                                  std::vector<IgnoredSetting>* ignored) {
  if (!file.is_object()) return;
  for (auto it = file.begin(); it != file.end();) {
    const std::string& key = it.key();
    if (key == "env") {
      RestrictEnv(*it, origin, ignored);
    } else if (key == "permissions") {
      RestrictPermissions(*it, origin, ignored);
    } else if (!Contains(kKeysAllowedUntrusted, key)) {
      Ignore(origin, key, it.value(), ignored);
      it = file.erase(it);
      continue;
    }
    ++it;
  }
}

std::string IgnoredKeysSummary(const std::vector<IgnoredSetting>& ignored) {
  std::vector<std::string> keys;
  for (const IgnoredSetting& i : ignored) {
    if (std::find(keys.begin(), keys.end(), i.key) == keys.end()) keys.push_back(i.key);
  }
  return Join(keys, ", ");
}

}  // namespace brock
