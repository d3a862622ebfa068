#include "agent/agent_loop.h"
#include "agent/tool_input.h"
#include "base/error_codes.h"

#include <future>
#include <nlohmann/json.hpp>

namespace brock {

namespace {

ContentBlock ErrorResult(const std::string& id, const std::string& text) {
  return ContentBlock::ToolResult(id, {ContentBlock::Text(text)}, /*is_error=*/true);
}

// The model is busy rather than broken: Bedrock's ServiceUnavailableException (and
// ModelNotReadyException), or an Anthropic "overloaded" error. --fallback-model applies.
bool IsOverloaded(const Error& e) {
  if (errc::IsAwsException(e, "ServiceUnavailableException") ||
      errc::IsAwsException(e, "serviceUnavailableException") ||
      errc::IsAwsException(e, "ModelNotReadyException")) {
    return true;
  }
  return e.message.find("verloaded") != std::string::npos;
}

Error Interrupted(const std::string& when) {
  return MakeError(errc::kAgentInterrupted, "interrupted by the user" + when,
                   "run brock -c to continue this session");
}

const char kCompactPrompt[] =
    "Your context window is nearly full. Write a concise but complete summary of this "
    "conversation so far so that the work can continue from it alone: the user's requests and "
    "intent, decisions made, files read or changed (with paths), commands run and their "
    "outcomes, errors met, and what remains to be done. Reply with the summary only.";

}  // namespace

Agent::Agent(ModelClient& model, Env& env, AgentOptions options, AgentSink& sink)
    : model_(model), env_(env), options_(std::move(options)), sink_(sink) {
  request_.model = options_.model_id;
  request_.max_tokens = options_.max_tokens;
  request_.system = options_.system_prompt;
  request_.thinking_budget_tokens = options_.thinking_budget_tokens;
  request_.adaptive_thinking = options_.adaptive_thinking;
  request_.interleaved_thinking = options_.interleaved_thinking;
  request_.effort = options_.effort;
  request_.betas = options_.betas;
  request_.prompt_caching = options_.prompt_caching;
  request_.cache_ttl_1h = options_.cache_ttl_1h;
  for (const Tool* t : options_.tools) {
    request_.tools.push_back({t->name(), t->description(), t->input_schema()});
  }
  if (options_.hooks) {
    options_.hooks->set_listener([this](const HookNotice& notice) {
      std::lock_guard<std::mutex> lock(sink_mu_);
      sink_.OnHook(notice);
    });
  }
}

Result<ModelReply> Agent::CallModel(const ModelObserver& observer) {
  if (options_.before_request) {
    std::vector<std::string> notices;
    if (options_.before_request(options_.tools, notices)) {
      request_.tools.clear();
      for (const Tool* t : options_.tools) {
        request_.tools.push_back({t->name(), t->description(), t->input_schema()});
      }
    }
    for (const std::string& n : notices) sink_.OnWarning(n);
  }
  return model_.Stream(messages_, request_, observer, options_.cancel);
}

void Agent::Commit(Message message) {
  messages_.push_back(std::move(message));
  if (options_.on_message) options_.on_message(messages_.back());
}

ContentBlock Agent::RunOneTool(const ContentBlock& call, ToolContext& ctx, RunState& run) {
  Json input = call.input.get().is_null() ? Json::object() : call.input.get();
  if (options_.sdk_hooks) {
    ToolHookVerdict v = options_.sdk_hooks->PreToolUse(call.name, input, call.id);
    if (v.decision == ToolHookVerdict::Decision::kDeny) {
      std::lock_guard<std::mutex> lock(run.mu);
      run.result.permission_denials.push_back(
          {{"tool_name", call.name}, {"tool_use_id", call.id}, {"tool_input", input}});
      return ErrorResult(call.id, v.reason.empty() ? "Blocked by a PreToolUse hook." : v.reason);
    }
    if (v.updated_input.get().is_object()) input = v.updated_input.get();
  }
  ContentBlock result = RunToolChecked(call, input, ctx, run);
  if (options_.sdk_hooks)
    options_.sdk_hooks->PostToolUse(call.name, input, call.id, BlockToJson(result));
  return result;
}

ContentBlock Agent::RunToolChecked(const ContentBlock& call, Json input, ToolContext& ctx,
                                   RunState& run) {
  if (options_.cancel && options_.cancel->load()) {
    return ErrorResult(call.id, "Interrupted by the user before the tool ran.");
  }
  Tool* tool = nullptr;
  for (Tool* t : options_.tools) {
    if (t->name() == call.name) tool = t;
  }
  if (!tool) return ErrorResult(call.id, "No such tool: " + call.name);
  // A path with a NUL or control character could slip past path rules; refused before them.
  if (std::string bad_path = ToolPathError(input); !bad_path.empty()) {
    return ErrorResult(call.id, bad_path);
  }
  HookPermission hook_permission = HookPermission::kNone;
  if (auto blocked = PreToolHooks(call, *tool, input, hook_permission, run)) return *blocked;
  if (std::string bad_path = ToolPathError(input); !bad_path.empty()) {
    return ErrorResult(call.id, bad_path);  // a hook's updatedInput is checked like the model's
  }
  std::optional<std::string> denial;
  if (hook_permission != HookPermission::kNone && options_.authorize_with_hook) {
    denial = options_.authorize_with_hook(*tool, input, ctx, hook_permission);
  } else if (options_.authorize) {
    denial = options_.authorize(*tool, input, ctx);
  }
  if (!denial) {
    if (std::string bad_path = ToolPathError(input); !bad_path.empty()) {
      return ErrorResult(call.id, bad_path);  // so is the permission prompt tool's
    }
  }
  if (denial) {
    std::lock_guard<std::mutex> lock(run.mu);
    run.result.permission_denials.push_back(
        {{"tool_name", call.name}, {"tool_use_id", call.id}, {"tool_input", input}});
    return ErrorResult(call.id, *denial);
  }
  auto ran = tool->Run(input, ctx);
  ContentBlock result = ran.ok() ? ContentBlock::ToolResult(
                                       call.id, ContentFromJson(Json(ran->content)), ran->is_error)
                                 : ErrorResult(call.id, ran.error().ToString());
  PostToolHooks(call, input, result);
  return result;
}

bool Agent::RunsInParallel(const ContentBlock& call, const ToolContext& ctx) const {
  for (Tool* t : options_.tools) {
    if (t->name() == call.name) {
      const Json& input = call.input.get().is_null() ? Json::object() : call.input.get();
      return t->read_only() && !t->edits_files() &&
             t->Subject(input, ctx).kind == PermissionSubject::Kind::kPath;
    }
  }
  return false;
}

Message Agent::RunTools(const Message& assistant_message, RunState& run) {
  std::vector<const ContentBlock*> calls;
  for (const ContentBlock& block : assistant_message.content) {
    if (block.type == BlockType::kToolUse) calls.push_back(&block);
  }
  Message out{Role::kUser, std::vector<ContentBlock>(calls.size())};
  std::vector<ContentBlock>& results = out.content;
  ToolContext& ctx = *options_.tool_context;
  // Runs of consecutive read-only file tools (Read, Grep, Glob, LS) run in parallel, each with
  // its own copy of the read records, merged afterwards; everything else runs in order.
  for (size_t i = 0; i < calls.size();) {
    size_t j = i;
    while (j < calls.size() && RunsInParallel(*calls[j], ctx)) ++j;
    if (j - i < 2) {
      results[i] = RunOneTool(*calls[i], ctx, run);
      ++i;
      continue;
    }
    std::vector<std::map<std::string, ReadRecord>> reads(j - i, *ctx.reads);
    std::vector<ToolContext> contexts;
    for (size_t k = i; k < j; ++k) {
      contexts.push_back(ctx);
      contexts.back().reads = &reads[k - i];
    }
    std::vector<std::future<ContentBlock>> running;
    for (size_t k = i; k < j; ++k) {
      running.push_back(std::async(std::launch::async,
                                   [&, k] { return RunOneTool(*calls[k], contexts[k - i], run); }));
    }
    for (size_t k = i; k < j; ++k) results[k] = running[k - i].get();
    for (const auto& r : reads) {
      for (const auto& [path, record] : r) (*ctx.reads)[path] = record;
    }
    i = j;
  }
  return out;
}

void Agent::Account(const ModelReply& reply, RunResult& result) {
  ModelUsage& mu = result.model_usage[request_.model];
  result.context_windows[request_.model] = options_.context_window;
  result.max_output_tokens[request_.model] = request_.max_tokens;
  mu.usage += reply.usage;
  last_context_tokens_ = reply.usage.ContextTokens();
  mu.cost_usd += reply.cost_usd;
  result.usage += reply.usage;
  result.total_cost_usd += reply.cost_usd;
}

Status Agent::Compact(RunResult& result) {
  FireHook("PreCompact", "auto", {{"trigger", "auto"}, {"custom_instructions", ""}});
  std::vector<Message> saved = messages_;
  const int64_t pre_tokens = last_context_tokens_;
  // The summary request must end with a user message: fold the instruction into the last one
  // when it is a user message (tool results), else add one.
  ContentBlock instruction = ContentBlock::Text(kCompactPrompt);
  if (!messages_.empty() && messages_.back().role == Role::kUser) {
    messages_.back().content.push_back(instruction);
  } else {
    messages_.push_back({Role::kUser, {instruction}});
  }
  // The tools stay in the request: the Messages API rejects tool_use blocks without them.
  auto reply = CallModel(ModelObserver{});
  if (!reply.ok()) {
    messages_ = std::move(saved);
    return reply.error();
  }
  Account(*reply, result);
  std::string summary = MessageText(reply->message);
  // A tool_use left open at the end must keep its tool_result: keep the last exchange verbatim
  // when it is a user message with tool results.
  std::vector<Message> kept;
  if (saved.size() >= 2 && saved.back().role == Role::kUser &&
      saved[saved.size() - 2].role == Role::kAssistant) {
    kept = {saved[saved.size() - 2], saved.back()};
  }
  messages_.clear();
  messages_.push_back({Role::kUser,
                       {ContentBlock::Text("This session continues from an earlier conversation "
                                           "that was summarised to save context:\n\n" +
                                           summary)}});
  for (auto& m : kept) messages_.push_back(std::move(m));
  // SessionStart hooks with source "compact": their context joins the summary.
  StartSession("compact");
  if (options_.hooks) {
    for (std::string& c : options_.hooks->TakePendingContext()) {
      messages_.front().content.push_back(ContentBlock::Text(HookContextText("SessionStart", c)));
    }
  }
  if (options_.on_compaction) options_.on_compaction(summary);
  sink_.OnCompactBoundary("auto", pre_tokens);
  sink_.OnWarning(
      "the conversation was compacted: older turns were summarised to fit the context window");
  return {};
}

void Agent::AddPrompt(std::vector<ContentBlock> content) {
  if (!messages_.empty() && messages_.back().role == Role::kUser) {
    // A resumed session that ended on a user message (an interrupted turn): the prompt joins
    // it, since the Messages API wants the roles to alternate. The transcript gets the prompt.
    Message prompt{Role::kUser, content};
    for (ContentBlock& block : content) messages_.back().content.push_back(std::move(block));
    if (options_.on_message) options_.on_message(prompt);
  } else {
    Commit({Role::kUser, std::move(content)});
  }
}

bool Agent::StopAfterToolTurn(RunResult& result) {
  if (hook_stop_.load()) {
    result.result = hook_stop_reason_.empty() ? "Stopped by a hook" : hook_stop_reason_;
    return true;
  }
  if (options_.cancel && options_.cancel->load()) {
    Error e = Interrupted("");
    result.is_error = true;
    result.subtype = "error_during_execution";
    result.result = e.ToString();
    result.error = e;
    result.terminal_reason = "aborted_tools";
    return true;
  }
  if (options_.max_turns > 0 && result.num_turns >= options_.max_turns) {
    result.is_error = true;
    result.subtype = "error_max_turns";
    result.terminal_reason = "max_turns";
    result.result =
        "Reached the maximum number of turns (" + std::to_string(options_.max_turns) + ")";
    return true;
  }
  if (options_.max_budget_usd > 0 && result.total_cost_usd >= options_.max_budget_usd) {
    result.is_error = true;
    result.subtype = "error_max_budget_usd";
    result.terminal_reason = "budget_exhausted";
    result.result = "Reached the maximum budget ($" + std::to_string(options_.max_budget_usd) + ")";
    return true;
  }
  return false;
}

RunResult Agent::Run(std::vector<Message> history, const std::string& prompt) {
  return RunContent(std::move(history), {ContentBlock::Text(prompt)});
}

RunResult Agent::Resume(std::vector<Message> history) { return RunContent(std::move(history), {}); }

RunResult Agent::RunContent(std::vector<Message> history, std::vector<ContentBlock> content) {
  auto started = env_.Now();
  RunState run;
  RunResult& result = run.result;
  result.session_id = options_.session.session_id;
  messages_ = std::move(history);
  request_.model = options_.model_id;  // a fallback holds for one run only
  size_t next_fallback = 0;
  sink_.OnInit(options_.session);
  hook_stop_ = false;
  hook_stop_reason_.clear();
  // No content (Resume): the conversation already ends with the user's turn.
  if (!content.empty()) {
    if (!PromptHooks(content, result)) {
      result.duration_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(env_.Now() - started).count();
      sink_.OnResult(result);
      return result;
    }
    AddPrompt(std::move(content));
  }

  ModelObserver observer;
  observer.on_text = [&](std::string_view text) { sink_.OnTextDelta(text); };
  observer.on_thinking = [&](std::string_view text) { sink_.OnThinkingDelta(text); };
  observer.on_retry = [&](const Error& cause, int attempt, std::chrono::milliseconds delay) {
    sink_.OnRetry(cause, attempt, delay);
  };
  auto fail = [&](const Error& e) {
    result.is_error = true;
    result.subtype = "error_during_execution";
    result.result = e.ToString();
    result.error = e;
  };

  bool compacted_for_error = false;
  bool stop_hook_active = false;
  for (;;) {
    auto api_started = env_.Now();
    auto reply = CallModel(observer);
    result.duration_api_ms +=
        std::chrono::duration_cast<std::chrono::milliseconds>(env_.Now() - api_started).count();
    if (!reply.ok()) {
      // The conversation no longer fits: summarise and try once more.
      if (model_.IsContextOverflow(reply.error()) && !compacted_for_error && messages_.size() > 1) {
        compacted_for_error = true;
        if (Status c = Compact(result); c.ok()) continue;
      }
      bool cancelled = options_.cancel && options_.cancel->load();
      if (!cancelled && IsOverloaded(reply.error()) &&
          next_fallback < options_.fallback_models.size()) {
        std::string from = request_.model;
        request_.model = options_.fallback_models[next_fallback++];
        sink_.OnModelFallback(from, request_.model, reply.error());
        continue;
      }
      fail(cancelled ? Interrupted(" while the reply streamed") : reply.error());
      result.terminal_reason = cancelled                                 ? "aborted_streaming"
                               : model_.IsContextOverflow(reply.error()) ? "prompt_too_long"
                                                                         : "api_error";
      break;
    }
    ++result.num_turns;
    result.stop_reason = reply->stop_reason;
    Account(*reply, result);
    sink_.OnAssistantMessage(*reply);
    Commit(reply->message);

    if (reply->stop_reason != "tool_use") {
      result.result = MessageText(reply->message);
      // A Stop hook may send the agent back to work, with its reason as the next user turn.
      if (std::optional<Message> more = StopHooks(stop_hook_active)) {
        stop_hook_active = true;
        sink_.OnUserMessage(*more);
        Commit(std::move(*more));
        if (StopAfterToolTurn(result)) break;
        continue;
      }
      if (hook_stop_.load()) StopAfterToolTurn(result);
      break;
    }
    Message tool_results = RunTools(messages_.back(), run);
    sink_.OnUserMessage(tool_results);
    Commit(std::move(tool_results));
    if (StopAfterToolTurn(result)) break;
    if (options_.compact_at_tokens > 0 &&
        reply->usage.ContextTokens() >= options_.compact_at_tokens) {
      if (Status c = Compact(result); !c.ok()) {
        fail(c.error());
        break;
      }
    }
  }
  result.duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(env_.Now() - started).count();
  sink_.OnResult(result);
  return result;
}

}  // namespace brock
