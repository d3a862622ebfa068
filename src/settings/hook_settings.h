// Hook settings: the `hooks` block of Claude Code's settings files, read into a flat list.
//
//   "hooks": {
//     "PreToolUse": [
//       {"matcher": "Bash|Write", "hooks": [{"type": "command", "command": "...", "timeout": 30}]}
//     ],
//     "Stop": [{"hooks": [{"type": "command", "command": "..."}]}]
//   }
//
// Each settings file contributes its hooks; the lists of all files are concatenated (nothing is
// overridden), each entry remembering its file and scope so `/hooks` can say where it came from.
// `disableAllHooks: true` in a managed file turns every hook off; in any other file it turns off
// the hooks of every file except the managed ones. Managed `allowManagedHooksOnly: true` drops the
// hooks of every other file. Untrusted project and local files never reach this reader with their
// `hooks` (workspace_trust.h removes them and names them).
//
// Only `"type": "command"` entries run; other types (Claude Code's prompt-based hooks) and
// unknown event names are kept out of the list and reported as notes. docs/hooks.md is the
// user-facing description.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "settings/settings_locate.h"

namespace brock {

// Every hook event brock knows, in Claude Code's spelling.
const std::vector<std::string>& HookEventNames();

// One configured command hook.
struct HookCommand {
  std::string event;         // "PreToolUse", "Stop", ...
  std::string matcher;       // as written; "" matches everything
  std::string command;       // shell text, run with /bin/sh -c
  int timeout_seconds = 60;  // the hook's `timeout`, default 60
  std::string source_file;   // the settings file, or "--settings" for inline JSON
  SettingsScope scope = SettingsScope::kUser;
};

// Reads the `hooks` key of one settings file (the parsed top-level object) and appends its
// command hooks to `out`; entries brock will not run are described in `notes`. A `hooks` value of
// the wrong shape is `settings.invalid`, naming the file and the key path.
Status ReadHooksBlock(const Json& file, const std::string& origin, SettingsScope scope,
                      std::vector<HookCommand>* out, std::vector<std::string>* notes);

}  // namespace brock
