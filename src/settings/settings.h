// Claude Code-compatible settings: the layered settings.json files, merged.
//
// Precedence, highest first (docs/settings.md is the user-facing description):
//   1. managed:  <managed_dir>/managed-settings.json, then <managed_dir>/managed-settings.d/*.json
//                (sorted by name; a later file overrides an earlier one)
//   2. command line: --settings FILE_OR_JSON (inline JSON when it starts with '{')
//   3. local:    <project>/.claude/settings.local.json
//   4. project:  <project>/.claude/settings.json (nearest ancestor of cwd, never above the git
//   root,
//                never the home directory)
//   5. user:     $CLAUDE_CONFIG_DIR/settings.json, default ~/.claude/settings.json
//
// Merge rules: `env` merges per variable (the higher file wins); scalar keys (`model`,
// `permissions.defaultMode`, `awsAuthRefresh`, `awsCredentialExport`) come from the highest file
// that sets them; permission rule arrays and `additionalDirectories` are concatenated across all
// files. Every value remembers the file it came from. Keys brock does not read are kept in the
// merged JSON (objects deep-merged, arrays concatenated without duplicates, scalars from the
// highest file) and never cause an error.
//
// Workspace trust (workspace_trust.h): when SettingsOptions::project_trusted is false, the project
// and local files are restricted before they are merged; what they asked for and did not get is
// listed in Settings::ignored. Managed policy (ManagedPolicy) is read from managed files only.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/env.h"
#include "base/error.h"
#include "base/json.h"
#include "settings/hook_settings.h"
#include "settings/settings_locate.h"
#include "settings/workspace_trust.h"

namespace brock {

// Claude Code's managed settings directory on Linux. Fixed at build time: no variable moves it.
inline constexpr char kManagedSettingsDir[] = "/etc/claude-code";

struct SettingsOptions {
  std::string cwd;           // working directory; "" means env.CurrentDir()
  std::string cli_settings;  // the --settings argument: a path, or inline JSON starting with '{'
  // Where managed settings live. Session passes kManagedSettingsDir; only tests pass another.
  std::string managed_dir = kManagedSettingsDir;
  // False: the project and local files are restricted as workspace_trust.h says. The session sets
  // it from the trust store; the default keeps this loader usable on its own.
  bool project_trusted = true;
  // --setting-sources: which of "user", "project", "local" load (nullopt: all). Managed settings
  // and --settings always load.
  std::optional<std::vector<std::string>> sources;
};

// One permission rule as written in a settings file.
struct PermissionRule {
  std::string rule;         // e.g. "Bash(npm run test:*)", "Read(./secrets/**)"
  std::string list;         // "allow" | "ask" | "deny"
  std::string source_file;  // the settings file path, or "--settings" for inline JSON
  std::string root_dir;     // base for relative patterns: the project root for project, local,
                            // command-line and managed rules (cwd when there is no project);
                            // the home directory for user rules
  SettingsScope scope = SettingsScope::kUser;
};

// Organisation policy that only managed settings can set (docs/security.md). The same keys in
// any other file are ignored, except disableBypassPermissionsMode, which only narrows and is
// honoured from every file (as in Claude Code).
struct ManagedPolicy {
  // permissions.disableBypassPermissionsMode: "disable": bypassPermissions mode is refused.
  bool disable_bypass = false;
  std::string disable_bypass_origin;
  // allowManagedPermissionRulesOnly: true: only managed allow/ask/deny rules apply (the other
  // files' rules are dropped by LoadSettings; --allowedTools by the session).
  bool permission_rules_only = false;
  std::string permission_rules_only_origin;
  // allowManagedHooksOnly: true: only managed hooks may run (recorded for the hooks feature).
  bool hooks_only = false;
  std::string hooks_only_origin;
  // availableModels: the models a session may use (aliases or model IDs); nullopt: any.
  std::optional<std::vector<std::string>> available_models;
  std::string available_models_origin;
};

struct Settings {
  // Files that existed and were read, lowest precedence first ("--settings" for inline JSON).
  std::vector<std::string> files_loaded;
  // Variable name -> (value, origin file). The value is nullopt when the winning file set it to ""
  // (or null), which means "unset this variable".
  std::map<std::string, std::pair<std::optional<std::string>, std::string>> env;
  std::optional<std::string> model;
  std::string model_origin;
  std::vector<PermissionRule> permission_rules;  // lowest-precedence file first, allow/ask/deny
  std::optional<std::string> default_mode;
  std::string default_mode_origin;
  std::vector<std::string> additional_directories;  // as written, duplicates removed
  std::optional<std::string> aws_auth_refresh, aws_credential_export;
  std::string aws_auth_refresh_origin, aws_credential_export_origin;
  std::string project_root;             // directory holding the project .claude/, or "" when none
  std::string git_root;                 // the git root the project search stopped at, or ""
  bool project_trusted = true;          // SettingsOptions::project_trusted, as loaded
  std::vector<IgnoredSetting> ignored;  // what untrusted project files asked for and did not get
  ManagedPolicy policy;
  // Command hooks of every file, lowest-precedence file first (hook_settings.h), after
  // disableAllHooks and allowManagedHooksOnly have removed what they turn off.
  std::vector<HookCommand> hooks;
  std::vector<std::string> hook_notes;  // hook entries brock ignored, and why
  bool disable_all_hooks = false;       // disableAllHooks: true in some file
  std::string disable_all_hooks_origin;
  std::optional<bool> auto_compact_enabled;  // autoCompactEnabled (false turns compaction off)
  // Values of the wrong type, skipped: one line each naming the file and the key.
  std::vector<std::string> warnings;
  // Every key of every file, merged. Never null after a successful LoadSettings.
  std::shared_ptr<const Json> merged;
};

// Finds, reads, validates and merges the settings files. A missing file is skipped (except a
// --settings path, which must exist). Errors:
//   settings.syntax     malformed JSON; message "<path>:<line>:<col>: invalid JSON: ..."
//   settings.invalid    the top level is not an object (a key brock reads with the wrong type is
//                       skipped and listed in Settings::warnings, naming the file and the key)
//   settings.unreadable the file exists but cannot be read (permissions, a directory)
//   settings.not_found  the --settings path does not exist
Result<Settings> LoadSettings(const Env& env, const SettingsOptions& options);

// Applies the merged `env` block to `env`: settings values override the shell; a nullopt value
// unsets the variable. Each change records its settings file as the origin.
void ApplySettingsEnv(const Settings& settings, Env& env);

// Merges `higher` into `lower` the way settings files combine: objects deep-merge, arrays are
// concatenated without duplicates, any other value in `higher` replaces the one in `lower`.
void MergeSettingsJson(Json& lower, const Json& higher);

}  // namespace brock
