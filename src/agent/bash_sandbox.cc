#include "agent/bash_sandbox.h"

#include "agent/permission_rule.h"
#include "agent/shell_parser.h"

namespace brock {

bool RunsSandboxed(const BashSandbox* sandbox, const std::string& command, bool disable_requested) {
  if (sandbox == nullptr || sandbox->runner == nullptr) return false;
  if (disable_requested && sandbox->allow_unsandboxed) return false;
  if (sandbox->excluded_commands.empty()) return true;
  for (const ShellCommand& c : ParseShell(command).commands) {
    for (const std::string& pattern : sandbox->excluded_commands) {
      if (c.name == pattern || c.base_name == pattern || MatchShellRule(pattern, c.text)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace brock
