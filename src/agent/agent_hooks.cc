// The agent's side of hooks (agent/hook_engine.h): where each event fires in the turn loop and
// what its outcome does. docs/hooks.md describes the behaviour; the engine runs the commands.
#include <nlohmann/json.hpp>

#include "agent/agent_loop.h"
#include "base/error_codes.h"
#include "base/strings.h"

namespace brock {

namespace {

ContentBlock HookErrorResult(const std::string& id, const std::string& text) {
  return ContentBlock::ToolResult(id, {ContentBlock::Text(text)}, /*is_error=*/true);
}

// What PostToolUse hooks see as `tool_response`: the result's text when it is all text, else
// its content blocks.
Json ToolResponseJson(const ContentBlock& result) {
  std::string text;
  for (const ContentBlock& b : result.content) {
    if (b.type != BlockType::kText) return BlockToJson(result)["content"];
    if (!text.empty()) text += "\n";
    text += b.text;
  }
  return text;
}

}  // namespace

std::string HookContextText(const std::string& event, const std::string& context) {
  return "<" + event + "-hook-context>\n" + context + "\n</" + event + "-hook-context>";
}

Agent::~Agent() {
  if (options_.hooks) options_.hooks->set_listener(nullptr);
}

HookOutcome Agent::FireHook(const std::string& event, std::string_view subject,
                            const Json& fields) {
  if (!options_.hooks || !options_.hooks->HasHooks(event)) return {};
  HookOutcome o = options_.hooks->Fire(event, subject, fields, options_.cancel);
  if (o.stop) {
    std::lock_guard<std::mutex> lock(sink_mu_);
    if (!hook_stop_.exchange(true)) {
      hook_stop_reason_ = o.stop_reason;
      sink_.OnWarning(event + " hook stopped the session" +
                      (o.stop_reason.empty() ? "" : ": " + o.stop_reason));
    }
  }
  return o;
}

std::optional<ContentBlock> Agent::PreToolHooks(const ContentBlock& call, const Tool& tool,
                                                Json& input, HookPermission& permission,
                                                RunState& run) {
  if (!options_.hooks || !options_.hooks->HasHooks("PreToolUse")) return std::nullopt;
  HookOutcome o =
      FireHook("PreToolUse", tool.name(),
               {{"tool_name", tool.name()}, {"tool_input", input}, {"tool_use_id", call.id}});
  auto refuse = [&](const std::string& text) {
    std::lock_guard<std::mutex> lock(run.mu);
    run.result.permission_denials.push_back(
        {{"tool_name", call.name}, {"tool_use_id", call.id}, {"tool_input", input}});
    return HookErrorResult(call.id, text);
  };
  if (o.block) {
    return refuse("A PreToolUse hook blocked this " + tool.name() + " call:\n" + o.block_reason);
  }
  if (o.permission_decision == "deny") {
    return refuse("A PreToolUse hook denied this " + tool.name() + " call" +
                  (o.permission_reason.empty() ? "." : ":\n" + o.permission_reason));
  }
  if (!o.updated_input.is_null()) {
    for (const auto& [key, value] : o.updated_input.get().items()) input[key] = value;
  }
  if (o.permission_decision == "allow") permission = HookPermission::kAllow;
  if (o.permission_decision == "ask") permission = HookPermission::kAsk;
  return std::nullopt;
}

void Agent::PostToolHooks(const ContentBlock& call, const Json& input, ContentBlock& result) {
  const std::string event = result.is_error ? "PostToolUseFailure" : "PostToolUse";
  if (!options_.hooks || !options_.hooks->HasHooks(event)) return;
  Json fields = {{"tool_name", call.name}, {"tool_input", input}, {"tool_use_id", call.id}};
  if (result.is_error) {
    std::string error;
    for (const ContentBlock& b : result.content) {
      if (b.type == BlockType::kText) error += b.text;
    }
    fields["error"] = error;
    fields["is_interrupt"] = options_.cancel && options_.cancel->load();
  } else {
    fields["tool_response"] = ToolResponseJson(result);
  }
  HookOutcome o = FireHook(event, call.name, fields);
  if (o.block) {
    result.content.push_back(ContentBlock::Text(event + " hook feedback:\n" + o.block_reason));
  }
  for (const std::string& c : o.context) {
    result.content.push_back(ContentBlock::Text(HookContextText(event, c)));
  }
}

bool Agent::PromptHooks(std::vector<ContentBlock>& content, RunResult& result) {
  std::vector<std::string> pending;
  if (options_.hooks) pending = options_.hooks->TakePendingContext();
  if (!pending.empty()) {
    std::vector<ContentBlock> with;
    for (const std::string& c : pending) {
      with.push_back(ContentBlock::Text(HookContextText("SessionStart", c)));
    }
    for (ContentBlock& b : content) with.push_back(std::move(b));
    content = std::move(with);
  }
  if (!options_.hooks || !options_.hooks->HasHooks("UserPromptSubmit")) return true;
  std::string prompt;
  for (const ContentBlock& b : content) {
    if (b.type != BlockType::kText || StartsWith(b.text, "<SessionStart-hook-context>")) continue;
    if (!prompt.empty()) prompt += "\n";
    prompt += b.text;
  }
  HookOutcome o = FireHook("UserPromptSubmit", "", {{"prompt", prompt}});
  if (o.block || o.stop) {
    std::string why = o.block ? o.block_reason : o.stop_reason;
    Error e = MakeError(
        errc::kHookPromptBlocked,
        "a UserPromptSubmit hook blocked the prompt" + (why.empty() ? std::string() : ": " + why),
        "change the prompt, or the hook (/hooks lists each hook and its file)");
    result.is_error = true;
    result.subtype = "error_during_execution";
    result.result = e.ToString();
    result.error = e;
    return false;
  }
  for (const std::string& c : o.context) {
    content.push_back(ContentBlock::Text(HookContextText("UserPromptSubmit", c)));
  }
  return true;
}

std::optional<Message> Agent::StopHooks(bool stop_hook_active) {
  if (!options_.hooks || !options_.hooks->HasHooks("Stop")) return std::nullopt;
  HookOutcome o = FireHook("Stop", "", {{"stop_hook_active", stop_hook_active}});
  if (o.stop || !o.block) return std::nullopt;
  return Message{Role::kUser, {ContentBlock::Text("Stop hook feedback:\n" + o.block_reason)}};
}

void Agent::StartSession(const std::string& source) {
  if (!options_.hooks || !options_.hooks->HasHooks("SessionStart")) return;
  // CLAUDE_ENV_FILE: a file beside the transcript where hooks may write `export NAME=value`.
  std::string env_file;
  std::string transcript = options_.hooks->session().transcript_path;
  if (!transcript.empty()) {
    env_file = transcript + ".env-" + source + ".sh";
    if (!env_.WriteFileAtomic(env_file, "", 0600).ok()) env_file.clear();
  }
  options_.hooks->set_env_file(env_file);
  HookOutcome o = FireHook("SessionStart", source, {{"source", source}});
  if (!env_file.empty()) {
    if (auto text = env_.ReadFile(env_file); text.ok()) {
      for (const auto& [name, value] : ParseHookEnvFile(*text)) {
        env_.SetVar(name, value, "CLAUDE_ENV_FILE (SessionStart hook)");
      }
    }
    (void)env_.RemoveFile(env_file);
  }
  for (std::string& c : o.context) options_.hooks->AddPendingContext(std::move(c));
}

void Agent::EndSession(const std::string& reason) {
  FireHook("SessionEnd", "", {{"reason", reason}});
}

}  // namespace brock
