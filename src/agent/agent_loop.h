// Agent: the turn loop. Sends the conversation (system prompt, tools, messages) to the model
// through a ModelClient, streams the reply to the sink, runs the tools the model asks for (after
// the authorizer agrees), sends their results back, and repeats until the model ends its turn,
// --max-turns is reached, the budget is spent, an error stops it, or the user interrupts.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "agent/agent_events.h"
#include "agent/hook_engine.h"
#include "agent/tool.h"
#include "agent/tool_hooks.h"
#include "model/conversation.h"
#include "model/model_client.h"

namespace brock {

// Decides whether a tool call may run: nullopt to allow, else the reason it may not (sent to
// the model as an error result and listed in permission_denials). An authorizer that allows may
// replace `input` (the permission prompt tool's updatedInput); the call runs with it.
using ToolAuthorizer = std::function<std::optional<std::string>(const Tool& tool, Json& input,
                                                                const ToolContext& ctx)>;

// The authorizer, told what a PreToolUse hook decided.
using HookedToolAuthorizer = std::function<std::optional<std::string>(
    const Tool& tool, Json& input, const ToolContext& ctx, HookPermission hook)>;

// The text that carries a hook's context to the model.
std::string HookContextText(const std::string& event, const std::string& context);

struct AgentOptions {
  std::string model_id;
  // --fallback-model: tried in order when the model is overloaded; every run starts with
  // model_id again.
  std::vector<std::string> fallback_models;
  int64_t context_window = 200000;  // the model's context window (reported in modelUsage)
  int max_tokens = 32000;
  std::string system_prompt;
  int max_turns = 0;                 // 0: no limit
  double max_budget_usd = 0;         // 0: no limit
  std::vector<std::string> betas;    // beta features for the model service
  int thinking_budget_tokens = 0;    // extended thinking; 0: off
  bool adaptive_thinking = true;     // adaptive thinking on models that have it
  bool interleaved_thinking = true;  // fixed-budget models think between tool calls
  std::string effort;                // effort level asked for; "": the model's default
  std::vector<Tool*> tools;          // offered to the model; not owned
  ToolAuthorizer authorize;          // required when tools are offered
  // Used instead of `authorize` when set and a PreToolUse hook answered allow or ask.
  HookedToolAuthorizer authorize_with_hook;
  // Hooks (agent/hook_engine.h); null: none. Not owned. The agent routes the engine's notices to
  // its sink.
  HookEngine* hooks = nullptr;
  // The Agent SDK's hook callbacks, around each tool call and outside the settings' hooks; not
  // owned; may be null.
  ToolHooks* sdk_hooks = nullptr;
  ToolContext* tool_context = nullptr;
  const std::atomic<bool>* cancel = nullptr;
  SessionInfo session;
  // Called before each model request: it may replace `tools` (an MCP server's tool list changed;
  // it then returns true and the request's tool list is rebuilt) and add lines for the user (an
  // MCP server disconnected), which go to the sink as warnings.
  std::function<bool(std::vector<Tool*>& tools, std::vector<std::string>& notices)> before_request;
  // Called with each message as it becomes part of the conversation (for the transcript).
  std::function<void(const Message& message)> on_message;
  // Called after compaction replaced the conversation with a summary (for the transcript).
  std::function<void(const std::string& summary)> on_compaction;
  // Prompt caching: cache points after the system prompt, the tools and the latest message
  // (DISABLE_PROMPT_CACHING turns this off).
  bool prompt_caching = true;
  bool cache_ttl_1h = false;  // ENABLE_PROMPT_CACHING_1H: cache points last one hour
  // Compaction: when a request's input (including cache reads and writes) reaches this many
  // tokens, older turns are summarised by the model before the next request. 0: never.
  int64_t compact_at_tokens = 160000;
};

class Agent {
 public:
  // `model` must outlive the agent.
  Agent(ModelClient& model, Env& env, AgentOptions options, AgentSink& sink);
  ~Agent();
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // Runs one prompt on top of `history` (earlier messages of a resumed session). Always ends with
  // sink.OnResult; the returned RunResult is the same.
  RunResult Run(std::vector<Message> history, const std::string& prompt);

  // Runs the conversation on as it stands, without a new prompt: for a turn that failed (say,
  // because credentials expired) once the cause is fixed. `history` must end with a user message
  // (the prompt or tool results the model has not answered yet). Same contract as Run.
  RunResult Resume(std::vector<Message> history);
  // As Run, with the user turn given as content blocks (text, image, ...), e.g. one line of
  // `--input-format stream-json` read with ContentFromJson.
  RunResult RunContent(std::vector<Message> history, std::vector<ContentBlock> content);

  // Runs the SessionStart hooks (`source`: "startup", "resume", "clear" or "compact"); what they
  // add as context goes to the model with the next prompt. Variables the hooks wrote to
  // CLAUDE_ENV_FILE are set for the rest of the session.
  void StartSession(const std::string& source);
  // Runs the SessionEnd hooks (`reason`: "clear", "logout", "prompt_input_exit" or "other").
  void EndSession(const std::string& reason);

  // The conversation as it stands (history, prompt, replies, tool results).
  const std::vector<Message>& messages() const { return messages_; }

 private:
  // What one run accumulates; tool calls running in parallel add denials under `mu`.
  struct RunState {
    RunResult result;
    std::mutex mu;
  };
  // Adds the user's turn (joined to a trailing user message of a resumed session, since the
  // roles must alternate).
  void AddPrompt(std::vector<ContentBlock> content);
  // One model call with the options of this agent.
  Result<ModelReply> CallModel(const ModelObserver& observer);
  Message RunTools(const Message& assistant_message, RunState& run);
  // One tool_use block -> its tool_result block (runs the authorizer, then the tool).
  ContentBlock RunOneTool(const ContentBlock& call, ToolContext& ctx, RunState& run);
  // RunOneTool after the PreToolUse hooks: the permission check, then the tool.
  ContentBlock RunToolChecked(const ContentBlock& call, Json input, ToolContext& ctx,
                              RunState& run);
  bool RunsInParallel(const ContentBlock& call, const ToolContext& ctx) const;
  // Asks the model to summarise the conversation and replaces it with the summary.
  Status Compact(RunResult& result);
  // Adds a reply's usage and cost to the result.
  void Account(const ModelReply& reply, RunResult& result);
  // Why the run must stop after a turn with tool calls (max turns, budget, interrupt), if it must.
  bool StopAfterToolTurn(RunResult& result);
  void Commit(Message message);
  // Fires `event` (nothing when there are no hooks); a `continue: false` stops the run.
  HookOutcome FireHook(const std::string& event, std::string_view subject, const Json& fields);
  // PreToolUse for one call: nullopt to go on (with `input` possibly replaced), else the result.
  std::optional<ContentBlock> PreToolHooks(const ContentBlock& call, const Tool& tool, Json& input,
                                           HookPermission& permission, RunState& run);
  // PostToolUse / PostToolUseFailure: adds the hooks' feedback to `result`.
  void PostToolHooks(const ContentBlock& call, const Json& input, ContentBlock& result);
  // Stop: the user turn that sends the agent back to work when a hook blocks the stop.
  std::optional<Message> StopHooks(bool stop_hook_active);
  // UserPromptSubmit: false when a hook blocked the prompt (the run's result says why).
  bool PromptHooks(std::vector<ContentBlock>& content, RunResult& result);

  ModelClient& model_;
  Env& env_;
  AgentOptions options_;
  ModelCallOptions request_;  // the options as the model client takes them
  AgentSink& sink_;
  std::vector<Message> messages_;
  std::mutex sink_mu_;                  // hook notices may come from parallel tool calls
  std::atomic<bool> hook_stop_{false};  // a hook answered `continue: false`
  std::string hook_stop_reason_;
  int64_t last_context_tokens_ = 0;  // the latest reply's context size (for compact_boundary)
};

}  // namespace brock
