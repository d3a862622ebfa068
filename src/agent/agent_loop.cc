#include "agent/agent_loop.h"

#include <future>
#include <mutex>
#include <nlohmann/json.hpp>

#include "base/strings.h"

#include "bedrock/prices.h"

namespace brock {

std::string MessageText(const Json& message) {
  std::string out;
  const Json& content = message.value("content", Json::array());
  if (content.is_string()) return content.get<std::string>();
  for (const Json& block : content) {
    if (block.value("type", "") == "text") out += block.value("text", "");
  }
  return out;
}

Agent::Agent(BedrockRuntime& runtime, Env& env, AgentOptions options, AgentSink& sink)
    : runtime_(runtime), env_(env), options_(std::move(options)), sink_(sink) {}

Json Agent::BuildBody() const {
  const Json kEphemeral = {{"type", "ephemeral"}};
  Json messages = messages_;
  if (options_.prompt_caching && !messages.empty()) {
    // The latest message: its last block marks the end of the cached prefix.
    Json& last = messages.back();
    if (last["content"].is_string()) {
      last["content"] = Json::array({{{"type", "text"}, {"text", last["content"]}}});
    }
    if (last["content"].is_array() && !last["content"].empty()) {
      last["content"].back()["cache_control"] = kEphemeral;
    }
  }
  Json body = {{"anthropic_version", "bedrock-2023-05-31"},
               {"max_tokens", options_.max_tokens},
               {"messages", std::move(messages)}};
  if (!options_.system_prompt.empty()) {
    Json block = {{"type", "text"}, {"text", options_.system_prompt}};
    if (options_.prompt_caching) block["cache_control"] = kEphemeral;
    body["system"] = Json::array({block});
  }
  if (!options_.tools.empty()) {
    Json tools = Json::array();
    for (const Tool* t : options_.tools) {
      tools.push_back({{"name", t->name()},
                       {"description", t->description()},
                       {"input_schema", t->input_schema()}});
    }
    if (options_.prompt_caching) tools.back()["cache_control"] = kEphemeral;
    body["tools"] = std::move(tools);
  }
  if (!options_.betas.empty()) body["anthropic_beta"] = options_.betas;
  return body;
}

namespace {

Json ErrorResult(const std::string& id, const std::string& text) {
  return {{"type", "tool_result"},
          {"tool_use_id", id},
          {"content", Json::array({{{"type", "text"}, {"text", text}}})},
          {"is_error", true}};
}

}  // namespace

Json Agent::RunOneTool(const Json& block, ToolContext& ctx, RunResult& result) {
  std::string id = block.value("id", "");
  std::string name = block.value("name", "");
  const Json input = block.contains("input") ? block["input"] : Json::object();
  if (options_.cancel && options_.cancel->load()) {
    return ErrorResult(id, "Interrupted by the user before the tool ran.");
  }
  Tool* tool = nullptr;
  for (Tool* t : options_.tools) {
    if (t->name() == name) tool = t;
  }
  if (!tool) return ErrorResult(id, "No such tool: " + name);
  if (options_.authorize) {
    if (auto denial = options_.authorize(*tool, input, ctx)) {
      static std::mutex mu;  // denials may come from parallel read-only calls
      std::lock_guard<std::mutex> lock(mu);
      result.permission_denials.push_back(
          {{"tool_name", name}, {"tool_use_id", id}, {"tool_input", input}});
      return ErrorResult(id, *denial);
    }
  }
  auto ran = tool->Run(input, ctx);
  if (!ran.ok()) return ErrorResult(id, ran.error().ToString());
  Json r = {{"type", "tool_result"}, {"tool_use_id", id}, {"content", ran->content}};
  if (ran->is_error) r["is_error"] = true;
  return r;
}

Json Agent::RunTools(const Json& assistant_message, RunResult& result) {
  std::vector<Json> calls;
  for (const Json& block : assistant_message.value("content", Json::array())) {
    if (block.value("type", "") == "tool_use") calls.push_back(block);
  }
  std::vector<Json> results(calls.size());
  ToolContext& ctx = *options_.tool_context;
  // Runs of consecutive read-only file tools (Read, Grep, Glob, LS) run in parallel, each with
  // its own copy of the read records, merged afterwards; everything else runs in order.
  auto parallel_ok = [&](const Json& call) {
    for (Tool* t : options_.tools) {
      if (t->name() == call.value("name", "")) {
        return t->read_only() && !t->edits_files() &&
               t->Subject(call.value("input", Json::object()), ctx).kind ==
                   PermissionSubject::Kind::kPath;
      }
    }
    return false;
  };
  for (size_t i = 0; i < calls.size();) {
    size_t j = i;
    while (j < calls.size() && parallel_ok(calls[j])) ++j;
    if (j - i >= 2) {
      std::vector<std::map<std::string, ReadRecord>> reads(j - i, *ctx.reads);
      std::vector<ToolContext> contexts;
      for (size_t k = i; k < j; ++k) {
        contexts.push_back(ctx);
        contexts.back().reads = &reads[k - i];
      }
      std::vector<std::future<Json>> running;
      for (size_t k = i; k < j; ++k) {
        running.push_back(std::async(std::launch::async, [&, k] {
          return RunOneTool(calls[k], contexts[k - i], result);
        }));
      }
      for (size_t k = i; k < j; ++k) results[k] = running[k - i].get();
      for (const auto& r : reads) {
        for (const auto& [path, record] : r) (*ctx.reads)[path] = record;
      }
      i = j;
    } else {
      results[i] = RunOneTool(calls[i], ctx, result);
      ++i;
    }
  }
  return {{"role", "user"}, {"content", std::move(results)}};
}

void Agent::Account(const AssistantReply& reply, RunResult& result) {
  ModelUsage& mu = result.model_usage[options_.model_id];
  mu.usage += reply.usage;
  double cost = CostUsd(reply.usage, PriceForModel(options_.model_id));
  mu.cost_usd += cost;
  result.usage += reply.usage;
  result.total_cost_usd += cost;
}

namespace {

const char kCompactPrompt[] =
    "Your context window is nearly full. Write a concise but complete summary of this "
    "conversation so far so that the work can continue from it alone: the user's requests and "
    "intent, decisions made, files read or changed (with paths), commands run and their "
    "outcomes, errors met, and what remains to be done. Reply with the summary only.";

bool IsInputTooLong(const Error& e) {
  std::string m = ToLower(e.message);
  return e.code == "aws.ValidationException" &&
         (m.find("too long") != std::string::npos || m.find("too many tokens") != std::string::npos ||
          m.find("context limit") != std::string::npos);
}

}  // namespace

Status Agent::Compact(RunResult& result) {
  std::vector<Json> saved = messages_;
  // The summary request must end with a user message: fold the instruction into the last one
  // when it is a user message (tool results), else add one.
  Json instruction = {{"type", "text"}, {"text", kCompactPrompt}};
  if (!messages_.empty() && messages_.back().value("role", "") == "user") {
    Json& content = messages_.back()["content"];
    if (content.is_string()) content = Json::array({{{"type", "text"}, {"text", content}}});
    content.push_back(instruction);
  } else {
    messages_.push_back({{"role", "user"}, {"content", Json::array({instruction})}});
  }
  // The tools stay in the request: the Messages API rejects tool_use blocks without them.
  StreamObserver quiet;
  auto reply = runtime_.Stream(options_.model_id, BuildBody(), quiet, options_.cancel);
  if (!reply.ok()) {
    messages_ = std::move(saved);
    return reply.error();
  }
  Account(*reply, result);
  std::string summary = MessageText(*reply->message);
  // A tool_use left open at the end must keep its tool_result: keep the last exchange verbatim
  // when it is a user message with tool results.
  std::vector<Json> kept;
  if (!saved.empty() && saved.back().value("role", "") == "user" && saved.size() >= 2 &&
      saved[saved.size() - 2].value("role", "") == "assistant") {
    kept = {saved[saved.size() - 2], saved.back()};
  }
  messages_.clear();
  messages_.push_back(
      {{"role", "user"},
       {"content", Json::array({{{"type", "text"},
                                 {"text", "This session continues from an earlier conversation "
                                          "that was summarised to save context:\n\n" + summary}}})}});
  for (auto& m : kept) messages_.push_back(std::move(m));
  if (options_.on_compaction) options_.on_compaction(summary);
  sink_.OnWarning("the conversation was compacted: older turns were summarised to fit the context window");
  return {};
}

RunResult Agent::Run(std::vector<Json> history, const std::string& prompt) {
  return RunContent(std::move(history), Json::array({{{"type", "text"}, {"text", prompt}}}));
}

RunResult Agent::Resume(std::vector<Json> history) { return RunContent(std::move(history), Json()); }

RunResult Agent::RunContent(std::vector<Json> history, const Json& content) {
  auto started = env_.Now();
  RunResult result;
  result.session_id = options_.session.session_id;
  messages_ = std::move(history);
  sink_.OnInit(options_.session);

  auto commit = [&](Json message) {
    messages_.push_back(std::move(message));
    if (options_.on_message) options_.on_message(messages_.back());
  };
  // Null content (Resume): the conversation already ends with the user's turn.
  if (!content.is_null()) {
    Json blocks = content.is_string() ? Json::array({{{"type", "text"}, {"text", content}}}) : content;
    Json prompt_message = {{"role", "user"}, {"content", blocks}};
    if (!messages_.empty() && messages_.back().value("role", "") == "user") {
      // A resumed session that ended on a user message (an interrupted turn): the prompt joins
      // it, since the Messages API wants the roles to alternate.
      Json& last = messages_.back()["content"];
      if (last.is_string()) last = Json::array({{{"type", "text"}, {"text", last}}});
      for (const Json& block : blocks) last.push_back(block);
      if (options_.on_message) options_.on_message(prompt_message);
    } else {
      commit(std::move(prompt_message));
    }
  }

  StreamObserver observer;
  observer.on_text = [&](std::string_view text) { sink_.OnTextDelta(text); };
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
  for (;;) {
    auto api_started = env_.Now();
    auto reply = runtime_.Stream(options_.model_id, BuildBody(), observer, options_.cancel);
    result.duration_api_ms += std::chrono::duration_cast<std::chrono::milliseconds>(
                                  env_.Now() - api_started).count();
    if (!reply.ok()) {
      // Bedrock's "input is too long": summarise and try once more.
      if (IsInputTooLong(reply.error()) && !compacted_for_error && messages_.size() > 1) {
        compacted_for_error = true;
        if (Status c = Compact(result); c.ok()) continue;
      }
      if (options_.cancel && options_.cancel->load()) {
        fail(MakeError("agent.interrupted", "interrupted by the user while the reply streamed",
                       "run brock -c to continue this session"));
      } else {
        fail(reply.error());
      }
      break;
    }
    ++result.num_turns;
    Account(*reply, result);

    const Json& message = *reply->message;
    sink_.OnAssistantMessage(message, *reply);
    commit(message);

    if (reply->stop_reason != "tool_use") {
      result.result = MessageText(message);
      break;
    }
    Json tool_results = RunTools(message, result);
    sink_.OnUserMessage(tool_results);
    commit(tool_results);
    if (options_.cancel && options_.cancel->load()) {
      fail(MakeError("agent.interrupted", "interrupted by the user",
                     "run brock -c to continue this session"));
      break;
    }
    if (options_.max_turns > 0 && result.num_turns >= options_.max_turns) {
      result.is_error = true;
      result.subtype = "error_max_turns";
      result.result = "Reached the maximum number of turns (" + std::to_string(options_.max_turns) + ")";
      break;
    }
    if (options_.max_budget_usd > 0 && result.total_cost_usd >= options_.max_budget_usd) {
      result.is_error = true;
      result.subtype = "error_max_budget_usd";
      result.result = "Reached the maximum budget ($" + std::to_string(options_.max_budget_usd) + ")";
      break;
    }
    const Usage& u = reply->usage;
    int64_t context = u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens +
                      u.output_tokens;
    if (options_.compact_at_tokens > 0 && context >= options_.compact_at_tokens) {
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
