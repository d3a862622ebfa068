#include "agent/agent_loop.h"

#include <nlohmann/json.hpp>

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
  Json body = {{"anthropic_version", "bedrock-2023-05-31"},
               {"max_tokens", options_.max_tokens},
               {"messages", messages_}};
  if (!options_.system_prompt.empty()) {
    body["system"] = Json::array({{{"type", "text"}, {"text", options_.system_prompt}}});
  }
  if (!options_.tools.empty()) {
    Json tools = Json::array();
    for (const Tool* t : options_.tools) {
      tools.push_back({{"name", t->name()},
                       {"description", t->description()},
                       {"input_schema", t->input_schema()}});
    }
    body["tools"] = std::move(tools);
  }
  if (!options_.betas.empty()) body["anthropic_beta"] = options_.betas;
  return body;
}

Json Agent::RunTools(const Json& assistant_message, RunResult& result) {
  Json results = Json::array();
  for (const Json& block : assistant_message.value("content", Json::array())) {
    if (block.value("type", "") != "tool_use") continue;
    std::string id = block.value("id", "");
    std::string name = block.value("name", "");
    const Json& input = block.contains("input") ? block["input"] : Json::object();
    auto error_result = [&](const std::string& text) {
      results.push_back({{"type", "tool_result"},
                         {"tool_use_id", id},
                         {"content", Json::array({{{"type", "text"}, {"text", text}}})},
                         {"is_error", true}});
    };
    if (options_.cancel && options_.cancel->load()) {
      error_result("Interrupted by the user before the tool ran.");
      continue;
    }
    Tool* tool = nullptr;
    for (Tool* t : options_.tools) {
      if (t->name() == name) tool = t;
    }
    if (!tool || !options_.tool_context) {
      error_result("No such tool: " + name);
      continue;
    }
    if (options_.authorize) {
      if (auto denial = options_.authorize(*tool, input, *options_.tool_context)) {
        result.permission_denials.push_back(
            {{"tool_name", name}, {"tool_use_id", id}, {"tool_input", input}});
        error_result(*denial);
        continue;
      }
    }
    auto ran = tool->Run(input, *options_.tool_context);
    if (!ran.ok()) {
      error_result(ran.error().ToString());
      continue;
    }
    Json r = {{"type", "tool_result"}, {"tool_use_id", id}, {"content", ran->content}};
    if (ran->is_error) r["is_error"] = true;
    results.push_back(std::move(r));
  }
  return {{"role", "user"}, {"content", std::move(results)}};
}

RunResult Agent::Run(std::vector<Json> history, const std::string& prompt) {
  auto started = env_.Now();
  RunResult result;
  result.session_id = options_.session.session_id;
  messages_ = std::move(history);
  sink_.OnInit(options_.session);

  auto commit = [&](Json message) {
    messages_.push_back(std::move(message));
    if (options_.on_message) options_.on_message(messages_.back());
  };
  commit({{"role", "user"}, {"content", Json::array({{{"type", "text"}, {"text", prompt}}})}});

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

  for (;;) {
    auto api_started = env_.Now();
    auto reply = runtime_.Stream(options_.model_id, BuildBody(), observer, options_.cancel);
    result.duration_api_ms += std::chrono::duration_cast<std::chrono::milliseconds>(
                                  env_.Now() - api_started).count();
    if (!reply.ok()) {
      fail(reply.error());
      break;
    }
    ++result.num_turns;
    ModelUsage& mu = result.model_usage[options_.model_id];
    mu.usage += reply->usage;
    double cost = CostUsd(reply->usage, PriceForModel(options_.model_id));
    mu.cost_usd += cost;
    result.usage += reply->usage;
    result.total_cost_usd += cost;

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
      fail(MakeError("agent.interrupted", "interrupted by the user", ""));
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
  }
  result.duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(env_.Now() - started).count();
  sink_.OnResult(result);
  return result;
}

}  // namespace brock
