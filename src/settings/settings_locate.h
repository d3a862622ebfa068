// Where Claude Code-compatible settings files live. This module only finds paths; reading and
// merging them is settings.h. The rules users rely on are written down in docs/settings.md.
#pragma once

#include <string>
#include <vector>

#include "base/env.h"

namespace brock {

// The precedence level a settings file belongs to, lowest first.
enum class SettingsScope { kUser, kProject, kLocal, kCommandLine, kManaged };

// "user", "project", "local", "command line", "managed".
const char* SettingsScopeName(SettingsScope scope);

// The project a working directory belongs to, as far as settings are concerned.
struct ProjectLocation {
  std::string root;      // directory holding the project .claude/, or "" when none was found
  std::string git_root;  // first ancestor (or cwd itself) containing .git, or "" when none
};

// Walks up from `cwd` (absolute) looking for the nearest directory whose .claude/ holds
// settings.json or settings.local.json. The walk checks `cwd` first, stops after the git root (the
// first directory containing `.git`, file or directory) and never looks at the home directory or
// above it when it reaches it, so ~/.claude/settings.json is never taken as project settings.
// Without a git root the walk goes up to, but not including, the home directory (or to "/" when
// `cwd` is outside it).
ProjectLocation FindProject(const Env& env, const std::string& cwd);

// $CLAUDE_CONFIG_DIR/settings.json (with a leading "~/" expanded), else ~/.claude/settings.json.
std::string UserSettingsPath(const Env& env);

// <managed_dir>/managed-settings.json followed by every regular `*.json` file of
// <managed_dir>/managed-settings.d/ not starting with '.', sorted by name. Files are listed whether
// or not they exist; a missing base file is skipped by the loader.
std::vector<std::string> ManagedSettingsPaths(const Env& env, const std::string& managed_dir);

// `path` with "." and ".." segments and repeated or trailing slashes removed; relative paths are
// taken relative to `base` first. "/" stays "/".
std::string NormalizePath(const std::string& base, const std::string& path);

}  // namespace brock
