// Claude Code's `sandbox` settings block, read from the merged settings (docs/security.md,
// "Sandboxed Bash"):
//
//   "sandbox": {
//     "enabled": true,                    // run Bash commands under bubblewrap
//     "autoAllowBashIfSandboxed": true,   // sandboxed commands need no approval (default true)
//     "allowUnsandboxedCommands": true,   // honour dangerouslyDisableSandbox (then it asks)
//     "failIfUnavailable": false,         // refuse to start when bwrap cannot run
//     "excludedCommands": ["docker"],     // commands that never run in the sandbox (they ask)
//     "network": {"allowedDomains": ["github.com", "*.npmjs.org"],
//                 "allowUnixSockets": [...], "allowLocalBinding": false},
//     "filesystem": {"allowWrite": ["~/.kube"], "denyWrite": [...], "denyRead": ["~/.aws"],
//                    "allowRead": [...]}
//   }
//
// Values of the wrong type are ignored (the default stays).
#pragma once

#include <string>
#include <vector>

#include "base/json.h"

namespace brock {

struct SandboxSettings {
  bool enabled = false;
  bool auto_allow = true;
  bool allow_unsandboxed = true;
  bool fail_if_unavailable = false;
  std::vector<std::string> excluded_commands;
  std::vector<std::string> allowed_domains;
  std::vector<std::string> allow_unix_sockets;
  bool allow_local_binding = false;
  std::vector<std::string> allow_write, deny_write, deny_read, allow_read;
};

// The `sandbox` block of `merged` (a settings object); defaults when it is missing.
SandboxSettings ReadSandboxSettings(const Json& merged);

}  // namespace brock
