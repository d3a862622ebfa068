#include "agent/permission_policy.h"

#include <nlohmann/json.hpp>
#include <utility>

namespace brock {
namespace {

std::string DeniedInPrintMode(const Tool& tool, const PermissionDecision& d) {
  return "Permission to use " + tool.name() + " was not granted: " + d.reason +
         ". brock is running non-interactively (print mode), so actions that need approval are "
         "denied; the user can allow this with --allowedTools or permissions.allow in "
         ".claude/settings.json.";
}

// The session-allow entry of an editing tool's "always": every edit acceptEdits would allow.
constexpr char kEditScope[] =
    "\x01"
    "edits inside the working directories";

// `Bash(<command>)` with `*` escaped so the rule matches the command exactly; "" when the
// command cannot be written as one rule line (long, multi-line, control characters, parens).
std::string ExactBashRule(const std::string& command) {
  if (command.empty() || command.size() > 300) return "";
  std::string spec;
  for (char c : command) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '(' || c == ')') return "";
    if (c == '*') spec += '\\';
    spec += c;
  }
  return "Bash(" + spec + ")";
}

}  // namespace

PermissionPolicy::PermissionPolicy(const PermissionEngine& engine, PermissionAsker ask,
                                   PermissionRuleSaver save_rule)
    : engine_(engine), ask_(std::move(ask)), save_rule_(std::move(save_rule)) {}

std::optional<std::string> PermissionPolicy::Authorize(const Tool& tool, const Json& input,
                                                       const ToolContext& ctx,
                                                       Json* updated_input) {
  PermissionSubject subject = tool.Subject(input, ctx);
  PermissionDecision d = engine_.Check(tool, subject);
  if (d.behavior == PermissionBehavior::kAllow) return std::nullopt;
  if (d.behavior == PermissionBehavior::kDeny) {
    return "Permission to use " + tool.name() + " was denied: " + d.reason;
  }
  return Ask(tool, input, subject, d, ctx, updated_input);
}

std::optional<std::string> PermissionPolicy::AuthorizeWithHook(const Tool& tool, const Json& input,
                                                               const ToolContext& ctx,
                                                               HookPermission hook,
                                                               Json* updated_input) {
  if (hook == HookPermission::kNone) return Authorize(tool, input, ctx, updated_input);
  PermissionSubject subject = tool.Subject(input, ctx);
  PermissionDecision d = engine_.Check(tool, subject);
  if (d.behavior == PermissionBehavior::kDeny) {
    return "Permission to use " + tool.name() + " was denied: " + d.reason;
  }
  if (hook == HookPermission::kAllow) return std::nullopt;
  d.behavior = PermissionBehavior::kAsk;
  d.reason = "a PreToolUse hook asked for confirmation";
  return Ask(tool, input, subject, d, ctx, updated_input);
}

std::optional<std::string> PermissionPolicy::Ask(const Tool& tool, const Json& input,
                                                 const PermissionSubject& subject,
                                                 const PermissionDecision& d,
                                                 const ToolContext& ctx, Json* updated_input) {
  if (hooks_ && hooks_->HasHooks("PermissionRequest")) {
    HookOutcome o = hooks_->Fire("PermissionRequest", tool.name(),
                                 {{"tool_name", tool.name()},
                                  {"tool_input", input},
                                  {"permission_suggestions", Json::array()}},
                                 ctx.cancel);
    if (o.block || o.permission_behavior == "deny") {
      std::string why = o.block ? o.block_reason : o.permission_message;
      return "Permission to use " + tool.name() + " was denied by a PermissionRequest hook" +
             (why.empty() ? "." : ": " + why);
    }
    if (o.permission_behavior == "allow") return std::nullopt;
  }
  if (!ask_ && prompt_tool_) return AskPromptTool(tool, input, d, ctx, updated_input);
  if (!ask_) return DeniedInPrintMode(tool, d);
  std::lock_guard<std::mutex> lock(mu_);
  if (d.rememberable && AllowedForSession(tool, subject)) return std::nullopt;
  if (hooks_ && hooks_->HasHooks("Notification")) {
    hooks_->Fire("Notification", "permission_prompt",
                 {{"message", "brock needs your permission to use " + tool.name()},
                  {"notification_type", "permission_prompt"}},
                 ctx.cancel);
  }
  switch (ask_(tool, input, d)) {
    case AskAnswer::kAllowOnce:
      return std::nullopt;
    case AskAnswer::kAllowAlways: {
      if (!d.rememberable) return std::nullopt;  // a safety check asks every time
      std::vector<std::string>& allows = session_allows_[tool.name()];
      if (tool.edits_files() && subject.kind == PermissionSubject::Kind::kPath &&
          engine_.WithinEditScope(subject.value)) {
        allows.push_back(kEditScope);
      } else {
        allows.push_back(subject.value);
      }
      if (subject.kind == PermissionSubject::Kind::kCommand && tool.name() == "Bash" &&
          save_rule_) {
        std::string rule = ExactBashRule(subject.value);
        if (!rule.empty()) save_rule_(rule);
      }
      return std::nullopt;
    }
    case AskAnswer::kDeny:
      break;
  }
  return "The user did not allow this " + tool.name() +
         " call. Do not retry it as is; ask the user how to proceed if it is needed.";
}

std::optional<std::string> PermissionPolicy::AskPromptTool(const Tool& tool, const Json& input,
                                                           const PermissionDecision& d,
                                                           const ToolContext& ctx,
                                                           Json* updated_input) {
  PromptToolAnswer answer;
  {
    std::lock_guard<std::mutex> lock(mu_);  // one question at a time, as with the user
    answer = prompt_tool_(tool, input, d);
  }
  if (!answer.allow) {
    return answer.message.empty() ? "Permission to use " + tool.name() + " was denied."
                                  : answer.message;
  }
  const Json& replaced = answer.updated_input.get();
  if (!replaced.is_object() || replaced == input) return std::nullopt;
  // Nothing the prompt tool says widens what the user's rules deny: the new input is checked.
  PermissionDecision again = engine_.Check(tool, tool.Subject(replaced, ctx));
  if (again.behavior == PermissionBehavior::kDeny) {
    return "Permission to use " + tool.name() + " was denied: " + again.reason +
           " (the permission prompt tool's updatedInput)";
  }
  if (!updated_input) {
    return "Permission to use " + tool.name() +
           " was not granted: the permission prompt tool replaced the input, which this call "
           "cannot take.";
  }
  *updated_input = replaced;
  return std::nullopt;
}

bool PermissionPolicy::AllowedForSession(const Tool& tool, const PermissionSubject& subject) const {
  auto it = session_allows_.find(tool.name());
  if (it == session_allows_.end()) return false;
  for (const std::string& allowed : it->second) {
    if (allowed == kEditScope) {
      if (subject.kind == PermissionSubject::Kind::kPath &&
          engine_.WithinEditScope(subject.value)) {
        return true;
      }
    } else if (allowed == subject.value) {
      return true;
    }
  }
  return false;
}

}  // namespace brock
