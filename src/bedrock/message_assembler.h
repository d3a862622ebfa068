// MessageAssembler: turns the Anthropic Messages streaming events that Bedrock wraps in
// event-stream "chunk" frames (message_start, content_block_start/delta/stop, message_delta,
// message_stop) into text deltas as they arrive and one complete assistant message at the end.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/json.h"
#include "model/usage.h"

namespace brock {

// A finished assistant reply.
struct AssistantReply {
  std::shared_ptr<Json>
      message;              // {"role":"assistant","content":[...]} with tool_use inputs parsed
  std::string stop_reason;  // end_turn, tool_use, max_tokens, stop_sequence, ...
  Usage usage;
  std::string model;                  // as reported by message_start, if any
  std::string id;                     // the message id from message_start, if any
  int64_t invocation_latency_ms = 0;  // from amazon-bedrock-invocationMetrics, when present
  int64_t first_byte_latency_ms = 0;
};

class MessageAssembler {
 public:
  // `on_text` receives each text delta as it arrives, `on_thinking` each thinking delta (either
  // may be empty).
  explicit MessageAssembler(std::function<void(std::string_view)> on_text,
                            std::function<void(std::string_view)> on_thinking = nullptr);
  ~MessageAssembler();

  // Feeds one decoded event (the JSON inside a chunk's base64 "bytes"). Malformed events are
  // errors with code "bedrock.bad_event".
  Status Feed(std::string_view event_json);
  // True after message_stop.
  bool done() const { return done_; }
  // Text delivered through on_text so far.
  const std::string& text_so_far() const { return text_; }
  // The assembled reply; call after done() (or after a failure, for what arrived).
  AssistantReply Finish();

 private:
  struct State;
  std::function<void(std::string_view)> on_text_;
  std::function<void(std::string_view)> on_thinking_;
  std::unique_ptr<State> state_;
  std::string text_;
  bool done_ = false;
};

}  // namespace brock
