#include "cli/stream_json_session.h"

#include <unistd.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "agent/agent_loop.h"
#include "agent/hook_matcher.h"
#include "agent/sdk_mcp_tool.h"
#include "agent/stream_json_input.h"
#include "agent/thinking_setting.h"
#include "base/uuid.h"
#include "bedrock/model_resolver.h"
#include "bedrock/model_table.h"
#include "cli/agent_session.h"
#include "cli/control_channel.h"
#include "cli/structured_output_sink.h"

namespace brock {

namespace {

// The Agent SDK's hook callbacks, registered by `initialize` and called with hook_callback
// control requests.
class SdkHooks : public ToolHooks {
 public:
  SdkHooks(ControlChannel& channel, const AgentOptions& agent, const std::string& transcript_path)
      : channel_(channel), agent_(agent), transcript_path_(transcript_path) {}

  // `hooks`: the initialize request's {"PreToolUse":[{"matcher":..., "hookCallbackIds":[...]}]}.
  void Register(const Json& hooks) {
    if (!hooks.is_object()) return;
    for (const auto& [event, matchers] : hooks.items()) {
      if (!matchers.is_array()) continue;
      for (const Json& m : matchers) {
        if (!m.is_object() || !m.contains("hookCallbackIds")) continue;
        Matcher entry;
        entry.matcher = m.contains("matcher") && m["matcher"].is_string()
                            ? m["matcher"].get<std::string>()
                            : "";
        for (const Json& id : m["hookCallbackIds"]) {
          if (id.is_string()) entry.callback_ids.push_back(id.get<std::string>());
        }
        matchers_[event].push_back(std::move(entry));
      }
    }
  }

  ToolHookVerdict PreToolUse(const std::string& tool_name, const Json& input,
                             const std::string& tool_use_id) override {
    ToolHookVerdict verdict;
    Json hook_input = BaseInput("PreToolUse", tool_name, input, tool_use_id);
    for (const Json& out : Call("PreToolUse", tool_name, hook_input, tool_use_id)) {
      const Json& specific =
          out.contains("hookSpecificOutput") && out["hookSpecificOutput"].is_object()
              ? out["hookSpecificOutput"]
              : Json::object();
      std::string decision = specific.value("permissionDecision", "");
      std::string reason = specific.value("permissionDecisionReason", out.value("reason", ""));
      if (decision == "deny" || out.value("decision", "") == "block" ||
          (out.contains("continue") && out["continue"] == false)) {
        verdict.decision = ToolHookVerdict::Decision::kDeny;
        verdict.reason =
            reason.empty() ? out.value("stopReason", "Blocked by a PreToolUse hook.") : reason;
        return verdict;
      }
      if (decision == "allow" || out.value("decision", "") == "approve") {
        verdict.decision = ToolHookVerdict::Decision::kAllow;
      }
      if (specific.contains("updatedInput") && specific["updatedInput"].is_object()) {
        verdict.updated_input = specific["updatedInput"];
      }
    }
    return verdict;
  }

  void PostToolUse(const std::string& tool_name, const Json& input, const std::string& tool_use_id,
                   const Json& result) override {
    Json hook_input = BaseInput("PostToolUse", tool_name, input, tool_use_id);
    hook_input["tool_response"] = result.contains("content") ? result["content"] : Json();
    Call("PostToolUse", tool_name, hook_input, tool_use_id);
  }

 private:
  struct Matcher {
    std::string matcher;
    std::vector<std::string> callback_ids;
  };

  Json BaseInput(const std::string& event, const std::string& tool_name, const Json& input,
                 const std::string& tool_use_id) const {
    return {{"session_id", agent_.session.session_id},
            {"transcript_path", transcript_path_},
            {"cwd", agent_.session.cwd},
            {"permission_mode", agent_.session.permission_mode},
            {"hook_event_name", event},
            {"tool_name", tool_name},
            {"tool_input", input},
            {"tool_use_id", tool_use_id}};
  }

  // Calls every callback whose matcher fits; returns their outputs (failed calls are skipped:
  // a hook that cannot answer does not block the tool, as a failing hook command does not).
  std::vector<Json> Call(const std::string& event, const std::string& tool_name,
                         const Json& hook_input, const std::string& tool_use_id) {
    std::vector<Json> outputs;
    auto it = matchers_.find(event);
    if (it == matchers_.end()) return outputs;
    for (const Matcher& m : it->second) {
      if (!HookMatcherMatches(m.matcher, tool_name)) continue;
      for (const std::string& id : m.callback_ids) {
        auto out = channel_.Request({{"subtype", "hook_callback"},
                                     {"callback_id", id},
                                     {"input", hook_input},
                                     {"tool_use_id", tool_use_id}});
        if (out.ok() && out->is_object()) outputs.push_back(*out);
      }
    }
    return outputs;
  }

  ControlChannel& channel_;
  const AgentOptions& agent_;
  std::string transcript_path_;
  std::map<std::string, std::vector<Matcher>> matchers_;
};

// Asks the SDK's canUseTool callback (--permission-prompt-tool stdio).
PermissionAsker SdkPermissionAsker(ControlChannel& channel, std::atomic<bool>* cancel) {
  return
      [&channel, cancel](const Tool& tool, const Json& input, const PermissionDecision& decision) {
        static std::atomic<uint64_t> n{1};
        auto answer = channel.Request({{"subtype", "can_use_tool"},
                                       {"tool_name", tool.name()},
                                       {"input", input},
                                       {"permission_suggestions", Json::array()},
                                       {"decision_reason", decision.reason},
                                       {"tool_use_id", "brock_perm_" + std::to_string(n++)}});
        if (!answer.ok() || !answer->is_object()) return AskAnswer::kDeny;
        if (answer->value("behavior", "") == "allow") {
          const Json& updates =
              answer->contains("updatedPermissions") ? (*answer)["updatedPermissions"] : Json();
          return updates.is_array() && !updates.empty() ? AskAnswer::kAllowAlways
                                                        : AskAnswer::kAllowOnce;
        }
        if (answer->value("interrupt", false)) cancel->store(true);
        return AskAnswer::kDeny;
      };
}

class StreamJsonSession {
 public:
  StreamJsonSession(Env& env, const CliOptions& options, Session& setup, AgentSink& sink,
                    std::atomic<bool>* cancel)
      : env_(env),
        options_(options),
        setup_(setup),
        sink_(sink),
        cancel_(cancel),
        channel_(STDIN_FILENO, stdout, cancel,
                 {"initialize", "set_model", "set_permission_mode", "set_max_thinking_tokens"}) {}

  int Run() {
    PermissionAsker ask;
    if (options_.permission_prompt_tool == "stdio") {
      ask = SdkPermissionAsker(channel_, cancel_);
    }  // an MCP tool (mcp__server__tool) is set up with the session (cli/agent_session.h)
    auto built = BuildAgentSession(env_, options_, setup_, cancel_, std::move(ask));
    if (!built.ok()) return Fail(built.error());
    session_ = std::move(built).value();
    for (const std::string& w : session_->warnings) sink_.OnWarning(w);
    std::string transcript = session_->transcript ? session_->transcript->path() : "";
    hooks_ = std::make_unique<SdkHooks>(channel_, session_->agent, transcript);
    session_->agent.sdk_hooks = hooks_.get();
    std::optional<StructuredOutputSink> structured;
    AgentSink* out = &sink_;
    if (session_->structured_output) out = &structured.emplace(sink_, session_->structured_output);
    Agent(setup_.model_client(), env_, session_->agent, *out)
        .StartSession(session_->resumed ? "resume" : "startup");
    std::vector<Message> history = std::move(session_->history);
    bool ran_any = false;
    int exit_code = 0;
    while (std::optional<ControlChannel::Input> in = channel_.Next()) {
      if (in->kind == ControlChannel::Input::Kind::kControlRequest) {
        HandleRequest(*in);
        continue;
      }
      auto content = ParseStreamJsonInputLine(in->line, in->line_number);
      if (!content.ok()) {
        channel_.SetTurnRunning(false);
        return Fail(content.error());
      }
      if (options_.replay_user_messages) Replay(*content);
      Agent agent(setup_.model_client(), env_, session_->agent, *out);
      RunResult result = agent.RunContent(std::move(history), ContentFromJson(*content));
      history = agent.messages();
      channel_.SetTurnRunning(false);
      ran_any = true;
      exit_code = result.is_error ? 1 : 0;
      if (cancel_->load()) {
        // An SDK `interrupt` stops the turn, not the session; a signal or a closed plain input
        // ends it.
        if (!channel_.TakeInterrupt()) break;
        cancel_->store(false);
      }
    }
    Agent(setup_.model_client(), env_, session_->agent, *out).EndSession("other");
    if (!ran_any && !cancel_->load()) {
      return Fail(MakeError("cli.no_prompt", "stdin ended without a user message",
                            "with --input-format stream-json, write one {\"type\":\"user\","
                            "\"message\":{...}} object per line on stdin"));
    }
    // Under the control protocol each turn's result says how it went; the session itself ended
    // normally when stdin did (an SDK reads a non-zero status as a crash).
    if (channel_.speaks_control() && !cancel_->load()) return 0;
    return exit_code;
  }

 private:
  // --replay-user-messages: the message as received, acknowledged on stdout.
  void Replay(const Json& content) {
    channel_.WriteLine(Json{
        {"type", "user"},
        {"message", {{"role", "user"}, {"content", content}}},
        {"parent_tool_use_id", nullptr},
        {"session_id", session_->agent.session.session_id},
        {"uuid", NewUuid()},
        {"isReplay", true}}.dump());
  }

  int Fail(const Error& error) {
    RunResult r;
    r.is_error = true;
    r.subtype = "error_during_execution";
    r.result = error.ToString();
    r.error = error;
    if (session_) r.session_id = session_->agent.session.session_id;
    sink_.OnResult(r);
    return 1;
  }

  void HandleRequest(const ControlChannel::Input& in) {
    const Json& r = in.request;
    std::string subtype = r.value("subtype", "");
    if (subtype == "initialize") {
      Initialize(in.request_id, r);
    } else if (subtype == "set_model") {
      SetModel(in.request_id, r);
    } else if (subtype == "set_permission_mode") {
      SetPermissionMode(in.request_id, r);
    } else if (subtype == "set_max_thinking_tokens") {
      const Json& n = r.contains("max_thinking_tokens") ? r["max_thinking_tokens"] : Json();
      AgentOptions& a = session_->agent;
      int flag = n.is_number_integer() ? std::max(0, n.get<int>()) : options_.max_thinking_tokens;
      ThinkingChoice c = ChooseThinking(
          env_, setup_.settings().merged ? *setup_.settings().merged : Json(), a.max_tokens, flag);
      a.thinking_budget_tokens = c.budget_tokens;
      channel_.Respond(in.request_id, Json::object());
    }
  }

  void Initialize(const std::string& id, const Json& r) {
    if (initialized_) {
      channel_.RespondError(id, "Already initialized");
      return;
    }
    initialized_ = true;
    if (r.contains("hooks")) hooks_->Register(r["hooks"]);
    if (r.contains("sdkMcpServers") && r["sdkMcpServers"].is_array()) {
      for (const Json& name : r["sdkMcpServers"]) {
        if (!name.is_string()) continue;
        std::string server = name.get<std::string>();
        ControlChannel* channel = &channel_;
        McpExchange exchange = [channel, server](const Json& message) -> Result<Json> {
          auto answer = channel->Request(
              {{"subtype", "mcp_message"}, {"server_name", server}, {"message", message}}, true);
          if (!answer.ok()) return std::move(answer).error();
          if (!answer->is_object() || !answer->contains("mcp_response")) {
            return MakeError("mcp.sdk_server", "the SDK's mcp_message answer has no mcp_response",
                             "update the Agent SDK");
          }
          return (*answer)["mcp_response"];
        };
        auto tools = ConnectSdkMcpServer(server, exchange);
        if (!tools.ok()) {
          sink_.OnWarning(tools.error().ToString());
          session_->agent.session.mcp_servers.emplace_back(server, "failed");
          continue;
        }
        session_->agent.session.mcp_servers.emplace_back(server, "connected");
        for (auto& tool : *tools) {
          if (session_->permissions->IsToolDenied(*tool)) continue;
          session_->agent.tools.push_back(tool.get());
          session_->agent.session.tools.push_back(tool->name());
          session_->all_tools.push_back(std::move(tool));
        }
      }
    }
    Json models = Json::array();
    for (const char* alias : {"default", "sonnet", "opus", "haiku"}) {
      models.push_back({{"value", alias}, {"displayName", alias}, {"description", ""}});
    }
    channel_.Respond(id, {{"commands", Json::array()},
                          {"agents", Json::array()},
                          {"output_style", "default"},
                          {"available_output_styles", Json::array({"default"})},
                          {"models", models},
                          {"account", Json::object()},
                          {"pid", static_cast<int64_t>(getpid())}});
  }

  void SetModel(const std::string& id, const Json& r) {
    ModelRequest mr;
    mr.cli_model =
        r.contains("model") && r["model"].is_string() ? r["model"].get<std::string>() : "";
    if (mr.cli_model == "default") mr.cli_model.clear();
    mr.region = setup_.connection().region;
    mr.settings_model = setup_.settings().model;
    mr.settings_model_origin = setup_.settings().model_origin;
    auto choice = ResolveModel(env_, mr);
    if (!choice.ok()) {
      channel_.RespondError(id, choice.error().ToString());
      return;
    }
    choice->origin = "set_model";
    if (Status st = setup_.SetModel(std::move(choice).value()); !st.ok()) {
      channel_.RespondError(id, st.error().ToString());
      return;
    }
    const ModelChoice& model = setup_.model();
    AgentOptions& a = session_->agent;
    a.model_id = model.model_id;
    a.session.model = model.model_id;
    std::erase(a.betas, std::string(kContext1mBeta));
    if (model.context_1m) a.betas.push_back(kContext1mBeta);
    channel_.Respond(id, Json::object());
  }

  void SetPermissionMode(const std::string& id, const Json& r) {
    std::string name =
        r.contains("mode") && r["mode"].is_string() ? r["mode"].get<std::string>() : "";
    auto mode = ParsePermissionMode(name);
    if (!mode.ok()) {
      channel_.RespondError(id, mode.error().ToString());
      return;
    }
    if (*mode == PermissionMode::kBypassPermissions &&
        (setup_.settings().policy.disable_bypass ||
         (!options_.dangerously_skip_permissions &&
          options_.permission_mode != "bypassPermissions"))) {
      channel_.RespondError(id,
                            "bypassPermissions cannot be turned on during a session: start brock "
                            "with --dangerously-skip-permissions (or --permission-mode "
                            "bypassPermissions) where policy allows it");
      return;
    }
    session_->permissions->set_mode(*mode);
    session_->agent.session.permission_mode = std::string(PermissionModeName(*mode));
    channel_.Respond(id, Json::object());
  }

  Env& env_;
  const CliOptions& options_;
  Session& setup_;
  AgentSink& sink_;
  std::atomic<bool>* cancel_;
  ControlChannel channel_;
  std::unique_ptr<AgentSession> session_;
  std::unique_ptr<SdkHooks> hooks_;
  bool initialized_ = false;
};

}  // namespace

int RunStreamJsonSession(Env& env, const CliOptions& options, Session& setup, AgentSink& sink,
                         std::atomic<bool>* cancel) {
  StreamJsonSession session(env, options, setup, sink, cancel);
  return session.Run();
}

}  // namespace brock
