#include "bedrock/bedrock_model_client.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "base/error_codes.h"
#include "base/strings.h"
#include "bedrock/model_table.h"
#include "bedrock/prices.h"

namespace brock {

namespace {

const char kAnthropicVersion[] = "bedrock-2023-05-31";

// How the thinking, effort and beta fields come out for the model `request` calls.
void AddReasoning(const ModelCallOptions& request, Json& body) {
  unsigned caps = ModelCapabilities(request.model);
  std::vector<std::string> betas = request.betas;
  if (request.thinking_budget_tokens > 0) {
    if ((caps & kCapAdaptive) && request.adaptive_thinking) {
      // Adaptive thinking interleaves with tool calls by itself: no beta.
      body["thinking"] = {{"type", "adaptive"}};
    } else if (caps & kCapThinking) {
      body["thinking"] = {{"type", "enabled"}, {"budget_tokens", request.thinking_budget_tokens}};
      if ((caps & kCapInterleaved) && request.interleaved_thinking &&
          std::find(betas.begin(), betas.end(), kInterleavedThinkingBeta) == betas.end()) {
        betas.push_back(kInterleavedThinkingBeta);
      }
    }
  }
  if (std::string effort = EffortForModel(request.model, request.effort); !effort.empty()) {
    body["output_config"] = {{"effort", effort}};
  }
  if (!betas.empty()) body["anthropic_beta"] = std::move(betas);
}

}  // namespace

Json AnthropicRequestBody(const std::vector<Message>& messages, const ModelCallOptions& request) {
  const bool one_hour = request.cache_ttl_1h;
  auto Ephemeral = [one_hour]() -> Json {
    Json c = {{"type", "ephemeral"}};
    if (one_hour) c["ttl"] = "1h";
    return c;
  };
  int breakpoints = 0;
  Json body = {{"anthropic_version", kAnthropicVersion}, {"max_tokens", request.max_tokens}};
  if (!request.system.empty()) {
    Json block = {{"type", "text"}, {"text", request.system}};
    if (request.prompt_caching) {
      block["cache_control"] = Ephemeral();
      ++breakpoints;
    }
    body["system"] = Json::array({block});
  }
  if (!request.tools.empty()) {
    Json tools = Json::array();
    for (const ToolSpec& t : request.tools) {
      tools.push_back({{"name", t.name},
                       {"description", t.description},
                       {"input_schema", t.input_schema.get()}});
    }
    if (request.prompt_caching) {
      tools.back()["cache_control"] = Ephemeral();
      ++breakpoints;
    }
    body["tools"] = std::move(tools);
  }
  Json wire = MessagesToJson(messages);
  if (request.prompt_caching && !wire.empty() && !wire.back()["content"].empty()) {
    // The latest message's last block marks the end of the cached prefix.
    wire.back()["content"].back()["cache_control"] = Ephemeral();
    ++breakpoints;
  }
  // Explicit cache points, the latest first, while Bedrock allows more.
  for (size_t m = messages.size(); m-- > 0 && breakpoints < kMaxCacheBreakpoints;) {
    const auto& content = messages[m].content;
    for (size_t b = content.size(); b-- > 0 && breakpoints < kMaxCacheBreakpoints;) {
      Json& block = wire[m]["content"][b];
      if (content[b].cache_point && !block.contains("cache_control")) {
        block["cache_control"] = Ephemeral();
        ++breakpoints;
      }
    }
  }
  body["messages"] = std::move(wire);
  AddReasoning(request, body);
  return body;
}

ModelReply ToModelReply(const AssistantReply& reply, const std::string& model_id) {
  ModelReply r;
  if (reply.message) r.message = MessageFromJson(*reply.message);
  r.message.role = Role::kAssistant;
  r.stop_reason = reply.stop_reason;
  r.usage = reply.usage;
  r.cost_usd = CostUsd(reply.usage, PriceForModel(model_id));
  r.model = reply.model;
  r.id = reply.id;
  r.invocation_latency_ms = reply.invocation_latency_ms;
  r.first_byte_latency_ms = reply.first_byte_latency_ms;
  return r;
}

Result<ModelReply> BedrockModelClient::Stream(const std::vector<Message>& messages,
                                              const ModelCallOptions& request,
                                              const ModelObserver& observer,
                                              const std::atomic<bool>* cancel) {
  StreamObserver so;
  so.on_text = observer.on_text;
  so.on_thinking = observer.on_thinking;
  so.on_retry = observer.on_retry;
  auto reply = runtime_.Stream(request.model, AnthropicRequestBody(messages, request), so, cancel);
  if (!reply.ok()) return std::move(reply).error();
  return ToModelReply(*reply, request.model);
}

bool BedrockModelClient::IsContextOverflow(const Error& e) const {
  std::string m = ToLower(e.message);
  return errc::IsAwsException(e, "ValidationException") &&
         (m.find("too long") != std::string::npos ||
          m.find("too many tokens") != std::string::npos ||
          m.find("context limit") != std::string::npos);
}

}  // namespace brock
