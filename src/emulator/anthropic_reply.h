// ModelReply: one scripted assistant turn, and its two wire shapes — the Anthropic Messages
// response body that InvokeModel returns, and the sequence of Anthropic streaming events
// (message_start ... message_stop) that InvokeModelWithResponseStream carries one per chunk.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace brock {

struct ReplyBlock {
  enum class Kind { kText, kToolUse, kThinking, kRedactedThinking };
  Kind kind = Kind::kText;
  std::string text;             // kText; kThinking: the thinking
  std::string tool_id;          // kToolUse: "toolu_bdrk_..."
  std::string tool_name;        // kToolUse
  std::string tool_input_json;  // kToolUse: a JSON object, serialized
  std::string signature;        // kThinking (emulator/thinking_blocks.h)
  std::string data;             // kRedactedThinking: opaque
};

struct ReplyUsage {
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  int64_t cache_read_input_tokens = 0;
  int64_t cache_creation_input_tokens = 0;
};

struct ModelReply {
  std::string message_id;  // "msg_bdrk_..."
  std::string model;       // the bare model name, e.g. "claude-3-5-sonnet-20240620"
  std::vector<ReplyBlock> content;
  std::string stop_reason = "end_turn";  // end_turn | tool_use | max_tokens | stop_sequence
  ReplyUsage usage;
};

struct InvocationMetrics {
  int64_t invocation_latency_ms = 0;
  int64_t first_byte_latency_ms = 0;
};

// The model name Anthropic reports for a Bedrock model id: region prefix, provider and version
// suffix removed ("us.anthropic.claude-sonnet-4-6" -> "claude-sonnet-4-6",
// "anthropic.claude-3-5-sonnet-20240620-v1:0" -> "claude-3-5-sonnet-20240620"; ARNs use their
// last path segment).
std::string ModelNameFromId(std::string_view model_id);

// The InvokeModel response body: an Anthropic Messages "message" object.
std::string ReplyToMessageJson(const ModelReply& reply);

// The streaming events, each a compact JSON object. Text is split into deltas of a few words;
// tool input JSON into several input_json_delta pieces; thinking into thinking_delta pieces
// followed by one signature_delta; a redacted_thinking block arrives whole in its start event.
// message_stop carries "amazon-bedrock-invocationMetrics".
std::vector<std::string> ReplyToStreamEvents(const ModelReply& reply,
                                             const InvocationMetrics& metrics);

// Splits text into pieces of about `words` words each (whitespace kept with the piece before
// it); the pieces concatenate back to `text`.
std::vector<std::string> SplitIntoDeltas(std::string_view text, int words = 3);

}  // namespace brock
