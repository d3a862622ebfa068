// HookEngine: runs the command hooks configured in settings (settings/hook_settings.h) when an
// event happens, and folds their answers into one HookOutcome the agent acts on.
//
// Protocol (Claude Code's; docs/hooks.md is the user-facing description):
//   - every hook whose event matches and whose matcher selects the subject (hook_matcher.h) runs;
//     hooks with the same command run once; the matching hooks run in parallel;
//   - each runs as `/bin/sh -c COMMAND` in the session's working directory, through the
//     ProcessRunner seam, with CLAUDE_PROJECT_DIR (and CLAUDE_ENV_FILE for SessionStart) in its
//     environment and one JSON object on stdin: session_id, transcript_path, cwd,
//     permission_mode, hook_event_name, plus the event's fields;
//   - its `timeout` (seconds, default 60) bounds it: at expiry its process group is killed and it
//     counts as a non-blocking error;
//   - exit 0: stdout may be a JSON object (continue/stopReason, suppressOutput, systemMessage,
//     decision/reason, hookSpecificOutput); plain stdout is context for UserPromptSubmit and
//     SessionStart and is only shown for the others;
//   - exit 2: a blocking error; stderr is the reason (what the agent does with it depends on the
//     event);
//   - any other exit: a non-blocking error shown to the user; the session goes on.
// Hook output is data, never instructions to brock beyond these fields.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "agent/hook_notice.h"
#include "base/env.h"
#include "base/json.h"
#include "base/json_box.h"
#include "base/process.h"
#include "settings/hook_settings.h"

namespace brock {

// How a PreToolUse hook's permissionDecision bears on the permission check.
enum class HookPermission {
  kNone,   // no hook decision: the permission rules decide
  kAllow,  // "allow": run without asking (deny rules still apply)
  kAsk,    // "ask": ask the user even where the rules allow
};

// The session-wide fields every hook input carries.
struct HookSessionInfo {
  std::string session_id;
  std::string transcript_path;
  std::string cwd;
  std::string permission_mode;  // "default", "plan", "acceptEdits", "bypassPermissions", ...
  std::string project_dir;      // CLAUDE_PROJECT_DIR: the project root, else cwd
};

// What the hooks of one event decided, all hooks folded together.
struct HookOutcome {
  int hooks_run = 0;
  // Exit 2, `decision: "block"`, or PreToolUse's `permissionDecision: "deny"` (legacy
  // `decision: "block"`); `block_reason` joins the stderr texts / reasons.
  bool block = false;
  std::string block_reason;
  // PreToolUse: "allow", "deny" or "ask" (deny wins over ask, ask over allow), and its reason.
  std::string permission_decision;
  std::string permission_reason;
  // PreToolUse `updatedInput` / PermissionRequest `decision.updatedInput` (the last hook's).
  JsonBox updated_input;  // null: none
  // PermissionRequest: `decision.behavior` "allow" or "deny" (deny wins), and its message.
  std::string permission_behavior;
  std::string permission_message;
  // Context for the model: `additionalContext`, and plain stdout of UserPromptSubmit and
  // SessionStart hooks.
  std::vector<std::string> context;
  // `continue: false`: the agent stops after this event; `stop_reason` is shown to the user.
  bool stop = false;
  std::string stop_reason;
  // One per hook that ran, in configuration order.
  std::vector<HookNotice> notices;
};

class HookEngine {
 public:
  // `runner` and `env` must outlive the engine.
  HookEngine(std::vector<HookCommand> hooks, ProcessRunner& runner, Env& env, HookSessionInfo info);

  HookEngine(const HookEngine&) = delete;
  HookEngine& operator=(const HookEngine&) = delete;

  // True when some hook is configured for `event` (whatever its matcher).
  bool HasHooks(std::string_view event) const;

  // Runs the hooks of `event` whose matcher selects `subject` (the tool name for tool events,
  // the source / trigger / type for SessionStart / PreCompact / Notification; ignored for the
  // other events). `fields` are the event's own input fields (tool_name, prompt, ...). Blocks
  // until every hook has finished or timed out. Thread-safe.
  HookOutcome Fire(const std::string& event, std::string_view subject, const Json& fields,
                   const std::atomic<bool>* cancel = nullptr);

  // The configured hooks (for /hooks).
  const std::vector<HookCommand>& hooks() const { return hooks_; }
  // Updates the session fields (the transcript of a resumed session, a new permission mode).
  void set_session(HookSessionInfo info);
  HookSessionInfo session() const;
  // Called with every notice as its hook finishes (one at a time), in addition to
  // HookOutcome::notices. The agent sets it to reach its sink.
  void set_listener(std::function<void(const HookNotice&)> listener);
  // Context from SessionStart hooks waiting for the next prompt (it outlives one Agent: the
  // terminal builds an Agent per turn).
  void AddPendingContext(std::string context);
  std::vector<std::string> TakePendingContext();
  // The CLAUDE_ENV_FILE path given to SessionStart hooks ("" when not set up).
  void set_env_file(std::string path) { env_file_ = std::move(path); }

 private:
  std::vector<HookCommand> hooks_;
  ProcessRunner& runner_;
  Env& env_;
  mutable std::mutex mu_;
  HookSessionInfo info_;
  std::string env_file_;
  std::vector<std::string> pending_context_;  // guarded by mu_
  std::mutex listener_mu_;
  std::function<void(const HookNotice&)> listener_;
};

// The events whose matcher applies (tool events, SessionStart, PreCompact, Notification).
bool HookEventUsesMatcher(std::string_view event);

// Reads a CLAUDE_ENV_FILE written by SessionStart hooks: lines `export NAME=VALUE` or
// `NAME=VALUE` (VALUE optionally in single or double quotes); other lines are skipped.
std::vector<std::pair<std::string, std::string>> ParseHookEnvFile(std::string_view text);

}  // namespace brock
