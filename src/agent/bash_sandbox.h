// Which Bash commands run in the sandbox (base/sandbox.h): all of them when the session has one,
// except those `sandbox.excludedCommands` names and those the model asked to run outside with
// `dangerouslyDisableSandbox` (honoured only when `sandbox.allowUnsandboxedCommands` is true).
// A command outside the sandbox goes through the normal permission question; a sandboxed one is
// allowed without asking when `autoAllowBashIfSandboxed` is on (agent/permissions.h).
#pragma once

#include <string>
#include <vector>

#include "base/process.h"

namespace brock {

struct BashSandbox {
  ProcessRunner* runner = nullptr;             // runs a command inside the sandbox
  bool allow_unsandboxed = true;               // sandbox.allowUnsandboxedCommands
  std::vector<std::string> excluded_commands;  // sandbox.excludedCommands
};

// True when `command` runs inside `sandbox` (null: there is none). `disable_requested`: the call
// set dangerouslyDisableSandbox. An excluded command is any part whose name is an entry
// (`docker`), or that a Bash rule pattern entry matches (`docker compose:*`).
bool RunsSandboxed(const BashSandbox* sandbox, const std::string& command, bool disable_requested);

}  // namespace brock
