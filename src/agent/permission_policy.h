// PermissionPolicy: turns the permission engine's decision for one tool call into the answer the
// agent loop needs (run it, or the reason it may not run). An "allow" runs; a "deny" is refused
// with the engine's reason; an "ask" goes to the user through a PermissionAsker (interactive
// sessions) or, without one (print mode), is refused with a message telling the model how the
// user can allow it. A call the user allowed "always" is allowed for the rest of the session
// without asking again, scoped the way Claude Code scopes it: for the tools that edit files, every
// edit acceptEdits mode would allow (inside the working directories, never a protected path; a
// path outside them only itself); for Bash, the exact command, also saved as an allow rule in
// `.claude/settings.local.json` through the rule saver; for the others, the exact subject. An ask
// that a safety check made (PermissionDecision::rememberable false) is never remembered.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "agent/hook_engine.h"
#include "agent/permissions.h"
#include "agent/tool.h"
#include "base/json.h"
#include "base/json_box.h"

namespace brock {

// The user's answer when a tool call needs approval (interactive sessions).
enum class AskAnswer { kAllowOnce, kAllowAlways, kDeny };
// Asks the user about one call; `decision` says why approval is needed.
using PermissionAsker = std::function<AskAnswer(const Tool& tool, const Json& input,
                                                const PermissionDecision& decision)>;
// --permission-prompt-tool with an MCP tool: the answer of the tool that answers permission
// questions in print mode. `allow` may carry a replacement input (the rules' deny checks are made
// again against it); `deny` (and any failure to ask) carries the reason the model is told.
struct PromptToolAnswer {
  bool allow = false;
  std::string message;    // deny: the reason, for the model and permission_denials
  JsonBox updated_input;  // allow: an object to run the call with instead (null: unchanged)
};
// Asks the prompt tool about one call (where brock would otherwise ask the user).
using PermissionPromptTool = std::function<PromptToolAnswer(const Tool& tool, const Json& input,
                                                            const PermissionDecision& decision)>;
// Saves an allow rule for later sessions (`Bash(npm run build)`). When it cannot, it tells the
// user itself; the session remembers the answer either way.
using PermissionRuleSaver = std::function<void(const std::string& rule)>;

class PermissionPolicy {
 public:
  // `engine` must outlive the policy. Without `ask` (print mode) every call that needs approval
  // is denied.
  explicit PermissionPolicy(const PermissionEngine& engine, PermissionAsker ask = nullptr,
                            PermissionRuleSaver save_rule = nullptr);

  PermissionPolicy(const PermissionPolicy&) = delete;
  PermissionPolicy& operator=(const PermissionPolicy&) = delete;

  // Whether `tool` may run with `input` (paths resolved against ctx.cwd): nullopt to allow, else
  // the reason it may not, for the model (the ToolAuthorizer contract of agent/agent_loop.h).
  // Thread-safe: read-only tools are authorized in parallel; the user is asked one question at a
  // time, and a call waiting for the question before it sees that question's "always".
  // `updated_input` (may be null): set when the prompt tool allowed the call with a new input,
  // which then passed the deny rules; the call must run with it.
  std::optional<std::string> Authorize(const Tool& tool, const Json& input, const ToolContext& ctx,
                                       Json* updated_input = nullptr);
  // Authorize after a PreToolUse hook answered: kAllow runs without asking (deny rules still
  // refuse), kAsk asks even where the rules allow (denied in print mode, as any question is).
  std::optional<std::string> AuthorizeWithHook(const Tool& tool, const Json& input,
                                               const ToolContext& ctx, HookPermission hook,
                                               Json* updated_input = nullptr);
  // Hooks (not owned; may be null): PermissionRequest hooks answer before the user is asked,
  // and Notification hooks hear that a question is about to be asked.
  void set_hooks(HookEngine* hooks) { hooks_ = hooks; }
  // The prompt tool (--permission-prompt-tool mcp__server__tool): asked instead of denying when
  // there is no asker (print mode). Set before the first call.
  void set_prompt_tool(PermissionPromptTool prompt) { prompt_tool_ = std::move(prompt); }

 private:
  // True when the user allowed `tool` with this subject "always" earlier. Needs mu_.
  bool AllowedForSession(const Tool& tool, const PermissionSubject& subject) const;
  // The question: PermissionRequest hooks, then the user (or the print-mode denial).
  std::optional<std::string> Ask(const Tool& tool, const Json& input,
                                 const PermissionSubject& subject, const PermissionDecision& d,
                                 const ToolContext& ctx, Json* updated_input);
  // The prompt tool's answer: nullopt to allow (updated_input set when it replaced the input).
  std::optional<std::string> AskPromptTool(const Tool& tool, const Json& input,
                                           const PermissionDecision& d, const ToolContext& ctx,
                                           Json* updated_input);

  const PermissionEngine& engine_;
  const PermissionAsker ask_;
  HookEngine* hooks_ = nullptr;
  PermissionPromptTool prompt_tool_;
  const PermissionRuleSaver save_rule_;
  std::mutex mu_;  // guards session_allows_ and serializes the questions
  // Calls allowed "always": tool name -> subjects (kEditScope = what acceptEdits allows).
  std::map<std::string, std::vector<std::string>> session_allows_;
};

}  // namespace brock
