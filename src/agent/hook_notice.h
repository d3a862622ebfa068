// HookNotice: what the user is shown about one hook command that ran (the agent passes it to
// AgentSink::OnHook). Print mode's stream-json turns it into a `system` message with subtype
// `hook_response`; the terminal shows a dim line; text mode shows only what needs attention.
#pragma once

#include <string>

namespace brock {

struct HookNotice {
  std::string session_id;
  std::string event;    // "PreToolUse", ...
  std::string name;     // "PreToolUse:Bash": the event and what it matched (Claude Code's name)
  std::string command;  // the hook's command as configured
  int exit_code = 0;    // -1 when it did not exit by itself (timeout, signal, failed to start)
  std::string stdout_text;
  std::string stderr_text;
  // "success" (exit 0), "blocked" (exit 2 or a blocking decision), "error" (any other exit, a
  // timeout, or a command that could not start), "cancelled" (the user interrupted).
  std::string outcome;
  // One line for the user when something needs attention: a non-blocking error, a timeout, a
  // block shown only to the user, or the hook's systemMessage. Empty otherwise.
  std::string message;
  bool suppress_output = false;  // the hook asked for its stdout not to be shown
};

}  // namespace brock
