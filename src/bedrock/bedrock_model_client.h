// BedrockModelClient: the ModelClient for Anthropic models on Amazon Bedrock, over
// InvokeModelWithResponseStream. It owns the wire body (AnthropicRequestBody: anthropic_version,
// anthropic_beta, system, tools, thinking, and where cache_control goes) and leaves
// authentication, retries and error explanation to the BedrockRuntime it sends through.
#pragma once

#include "bedrock/runtime_client.h"
#include "model/model_client.h"

namespace brock {

// Bedrock accepts at most this many cache_control breakpoints in one request.
inline constexpr int kMaxCacheBreakpoints = 4;

// The InvokeModel body for `messages` and `request`: Anthropic's Messages API as Bedrock takes it
// ("anthropic_version": "bedrock-2023-05-31", betas in "anthropic_beta", no "model" or "stream").
// With prompt caching on, cache_control marks the end of the system prompt, the last tool and
// the last block of the last message; blocks with cache_point are marked too, the latest first,
// while fewer than kMaxCacheBreakpoints are placed.
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
