// ModelClient: the agent's only view of a model. A typed conversation and request options go in;
// text and thinking deltas stream out through an observer as they arrive, and a typed final
// message with its usage and cost comes back.
//
// Implementations own everything about the wire: the request body, where cache points go,
// authentication, retries and their backoff, and turning failures into user-facing errors
// (bedrock/bedrock_model_client.h speaks InvokeModelWithResponseStream with Anthropic's
// Messages body; a Converse implementation would speak Bedrock's Converse API). The agent never
// sees a body, a header or an event-stream frame.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "model/conversation.h"
#include "model/usage.h"

namespace brock {

// A tool as the model sees it.
struct ToolSpec {
  std::string name;
  std::string description;
  JsonBox input_schema;  // a JSON Schema object
};

struct ModelCallOptions {
  std::string model;  // the model id (or inference profile / ARN) to call
  int max_tokens = 32000;
  std::string system;  // the system prompt; empty: none
  std::vector<ToolSpec> tools;
  // Extended thinking: on when the budget is above 0. The implementation shapes it for the
  // model it calls (a fallback model may differ): adaptive thinking where the model has it and
  // `adaptive_thinking` allows it, else this fixed budget; nothing for a model that cannot think.
  int thinking_budget_tokens = 0;
  bool adaptive_thinking = true;     // CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING clears it
  bool interleaved_thinking = true;  // think between tool calls (DISABLE_INTERLEAVED_THINKING)
  // The effort level asked for ("low".."max"); "" for the model's default. Sent only to models
  // that take effort, lowered to the highest level the model has.
  std::string effort;
  std::vector<std::string> betas;  // beta feature names (e.g. "context-1m-2025-08-07")
  // Mark cache points at the end of the system prompt, the tools and the conversation, so
  // that the prefix is cached between turns (DISABLE_PROMPT_CACHING turns this off).
  bool prompt_caching = true;
  bool cache_ttl_1h = false;  // cache points last one hour, not five minutes
};

struct ModelObserver {
  // A piece of the reply's text, exactly once and in order (also across retries).
  std::function<void(std::string_view text)> on_text;
  // A piece of the reply's visible thinking.
  std::function<void(std::string_view thinking)> on_thinking;
  // Before each retry: why, which attempt comes next (1-based), and the wait.
  std::function<void(const Error& cause, int next_attempt, std::chrono::milliseconds delay)>
      on_retry;
};

struct ModelReply {
  Message message;          // role assistant
  std::string stop_reason;  // end_turn, tool_use, max_tokens, stop_sequence, ...
  Usage usage;
  double cost_usd = 0;                // what this reply cost at the model's list price
  std::string model;                  // as the service reported it, if it did
  std::string id;                     // the message id the service gave, if it did
  int64_t invocation_latency_ms = 0;  // service-side metrics, when reported
  int64_t first_byte_latency_ms = 0;
};

class ModelClient {
 public:
  virtual ~ModelClient() = default;

  // Sends `messages` (which must end with a user message) and streams the reply. `cancel`, when
  // set and raised, stops the call; it then fails.
  virtual Result<ModelReply> Stream(const std::vector<Message>& messages,
                                    const ModelCallOptions& request, const ModelObserver& observer,
                                    const std::atomic<bool>* cancel) = 0;

  // True when `error` (from Stream) says the conversation no longer fits the model's context
  // window, so that a shorter (compacted) conversation may succeed.
  virtual bool IsContextOverflow(const Error& error) const = 0;
};

}  // namespace brock
