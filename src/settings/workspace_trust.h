// Workspace trust: what the settings files of a project the user has not trusted may do.
//
// A cloned repository's .claude/settings.json and .claude/settings.local.json were written by
// someone else. Until the user trusts the directory (docs/security.md), those two files apply only
// in ways that select among the user's own credentials and models or narrow what brock may do:
//
//   kept untrusted:   `model`; `env` variables on the allow-list below (AWS_PROFILE, AWS_REGION,
//                     model pins, output limits, ...); `permissions.deny` and `permissions.ask`;
//                     `permissions.defaultMode` when it is "default", "manual", "plan" or
//                     "dontAsk"; `permissions.disableBypassPermissionsMode`; a few display-only
//                     keys (`$schema`, `includeCoAuthoredBy`, `cleanupPeriodDays`, ...).
//   ignored and named: every other `env` variable (AWS_CONFIG_FILE, PATH, BASH_ENV, HTTPS_PROXY,
//                     AWS_CA_BUNDLE, ANTHROPIC_BEDROCK_BASE_URL, BROCK_HOME, ...), commands
//                     (`awsAuthRefresh`, `awsCredentialExport`, `apiKeyHelper`, `hooks`,
//                     `statusLine`, MCP servers, ...), `permissions.allow`,
//                     `permissions.additionalDirectories`, a wider `defaultMode`, and any key not
//                     listed as kept.
//
// It is an allow-list: a key or variable brock does not know is ignored until the user trusts the
// project. User, command-line and managed settings are never restricted.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"

namespace brock {

// One thing an untrusted project file asked for and did not get.
struct IgnoredSetting {
  std::string file;   // the project or local settings file
  std::string key;    // "awsAuthRefresh", "env.AWS_CONFIG_FILE", "permissions.allow", "hooks"
  std::string value;  // what it was set to, as compact JSON, clipped for display
};

// True when an untrusted project may set (or unset) the environment variable `name`.
bool IsEnvAllowedUntrusted(std::string_view name);

// True when an untrusted project may set `permissions.defaultMode` to `mode` (modes that do not
// allow more than "default": default, manual, plan, dontAsk).
bool IsModeAllowedUntrusted(std::string_view mode);

// Removes from `file` (the parsed JSON object of a project or local settings file) everything an
// untrusted project may not do, and appends one IgnoredSetting (naming `origin`) per removal.
// Wrongly typed values of kept keys stay, so the loader reports them as it would when trusted.
void RestrictUntrustedProjectFile(Json& file, const std::string& origin,
                                  std::vector<IgnoredSetting>* ignored);

// The keys of `ignored`, deduplicated and joined for one line: "awsAuthRefresh,
// env.AWS_CONFIG_FILE, permissions.allow".
std::string IgnoredKeysSummary(const std::vector<IgnoredSetting>& ignored);

}  // namespace brock
