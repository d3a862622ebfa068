// BedrockModelClient: the ModelClient for Anthropic models on Amazon Bedrock, over
// InvokeModelWithResponseStream. It owns the wire body (AnthropicRequestBody: anthropic_version,
// anthropic_beta, system, tools, thinking, output_config.effort, and where cache_control goes,
// each shaped for the model called, from the capabilities in bedrock/model_table.h) and leaves
// authentication, retries and error explanation to the BedrockRuntime it sends through.
#pragma once

#include "bedrock/runtime_client.h"
#include "model/model_client.h"

namespace brock {

// Bedrock accepts at most this many cache_control breakpoints in one request.
inline constexpr int kMaxCacheBreakpoints = 4;

// The beta that lets a fixed-budget thinking model think between tool calls.
inline constexpr char kInterleavedThinkingBeta[] = "interleaved-thinking-2025-05-14";

// The InvokeModel body for `messages` and `request`: Anthropic's Messages API as Bedrock takes it
// ("anthropic_version": "bedrock-2023-05-31", betas in "anthropic_beta", no "model" or "stream").
// With prompt caching on, cache_control marks the end of the system prompt, the last tool and
// the last block of the last message; blocks with cache_point are marked too, the latest first,
// while fewer than kMaxCacheBreakpoints are placed; each is {"type":"ephemeral"}, with "ttl":"1h"
// when `request.cache_ttl_1h`. Thinking on (a budget above 0) is {"type":"adaptive"} for a model
// with adaptive thinking (unless `adaptive_thinking` is false), else {"type":"enabled",
// "budget_tokens":N} plus the interleaved-thinking beta where the model interleaves, and nothing
// for a model that cannot think; "output_config":{"effort":L} goes to models that take effort
// (EffortForModel picks L).
Json AnthropicRequestBody(const std::vector<Message>& messages, const ModelCallOptions& request);

// The agent-facing reply of an assembled Bedrock reply, priced for `model_id`.
ModelReply ToModelReply(const AssistantReply& reply, const std::string& model_id);

class BedrockModelClient final : public ModelClient {
 public:
  // `runtime` must outlive the client.
  explicit BedrockModelClient(BedrockRuntime& runtime) : runtime_(runtime) {}

  Result<ModelReply> Stream(const std::vector<Message>& messages, const ModelCallOptions& request,
                            const ModelObserver& observer,
                            const std::atomic<bool>* cancel) override;
  // Bedrock's ValidationException saying the input is too long / has too many tokens.
  bool IsContextOverflow(const Error& error) const override;

 private:
  BedrockRuntime& runtime_;
};

}  // namespace brock
