#include "emulator/anthropic_reply.h"

#include <nlohmann/json.hpp>

#include "base/json.h"
#include "base/strings.h"

namespace brock {

using nlohmann::json;

std::string ModelNameFromId(std::string_view model_id) {
  std::string id(model_id);
  size_t slash = id.rfind('/');
  if (slash != std::string::npos) id = id.substr(slash + 1);
  size_t pos = id.find("anthropic.");
  if (pos != std::string::npos) id = id.substr(pos + 10);
  size_t v = id.rfind("-v");
  if (v != std::string::npos && v + 2 < id.size() &&
      isdigit(static_cast<unsigned char>(id[v + 2]))) {
    id = id.substr(0, v);
  }
  return id;
}

namespace {

json UsageJson(const ReplyUsage& u) {
  return json{{"input_tokens", u.input_tokens},
              {"cache_creation_input_tokens", u.cache_creation_input_tokens},
              {"cache_read_input_tokens", u.cache_read_input_tokens},
              {"output_tokens", u.output_tokens}};
}

json ToolInput(const ReplyBlock& b) {
  json input = ParseJsonOrDiscarded(b.tool_input_json.empty() ? "{}" : b.tool_input_json);
  return input.is_discarded() ? json::object() : input;
}

json BlockJson(const ReplyBlock& b) {
  if (b.kind == ReplyBlock::Kind::kText) return json{{"type", "text"}, {"text", b.text}};
  if (b.kind == ReplyBlock::Kind::kThinking) {
    return json{{"type", "thinking"}, {"thinking", b.text}, {"signature", b.signature}};
  }
  if (b.kind == ReplyBlock::Kind::kRedactedThinking) {
    return json{{"type", "redacted_thinking"}, {"data", b.data}};
  }
  return json{
      {"type", "tool_use"}, {"id", b.tool_id}, {"name", b.tool_name}, {"input", ToolInput(b)}};
}

}  // namespace

std::string ReplyToMessageJson(const ModelReply& reply) {
  json content = json::array();
  for (const auto& b : reply.content) content.push_back(BlockJson(b));
  json msg = {{"id", reply.message_id},   {"type", "message"},
              {"role", "assistant"},      {"model", reply.model},
              {"content", content},       {"stop_reason", reply.stop_reason},
              {"stop_sequence", nullptr}, {"usage", UsageJson(reply.usage)}};
  return msg.dump();
}

std::vector<std::string> SplitIntoDeltas(std::string_view text, int words) {
  std::vector<std::string> out;
  std::string cur;
  int count = 0;
  size_t i = 0;
  while (i < text.size()) {
    // one word plus the whitespace after it
    size_t j = i;
    while (j < text.size() && !isspace(static_cast<unsigned char>(text[j]))) ++j;
    while (j < text.size() && isspace(static_cast<unsigned char>(text[j]))) ++j;
    cur.append(text.substr(i, j - i));
    i = j;
    if (++count == words) {
      out.push_back(std::move(cur));
      cur.clear();
      count = 0;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::vector<std::string> ReplyToStreamEvents(const ModelReply& reply,
                                             const InvocationMetrics& metrics) {
  std::vector<std::string> events;
  ReplyUsage start_usage = reply.usage;
  start_usage.output_tokens = 1;
  json message = {{"id", reply.message_id},   {"type", "message"},
                  {"role", "assistant"},      {"model", reply.model},
                  {"content", json::array()}, {"stop_reason", nullptr},
                  {"stop_sequence", nullptr}, {"usage", UsageJson(start_usage)}};
  events.push_back(json{{"type", "message_start"}, {"message", message}}.dump());
  for (size_t index = 0; index < reply.content.size(); ++index) {
    const ReplyBlock& b = reply.content[index];
    json start_block;
    switch (b.kind) {
      case ReplyBlock::Kind::kText:
        start_block = {{"type", "text"}, {"text", ""}};
        break;
      case ReplyBlock::Kind::kThinking:
        start_block = {{"type", "thinking"}, {"thinking", ""}, {"signature", ""}};
        break;
      case ReplyBlock::Kind::kRedactedThinking:
        start_block = {{"type", "redacted_thinking"}, {"data", b.data}};
        break;
      case ReplyBlock::Kind::kToolUse:
        start_block = {{"type", "tool_use"},
                       {"id", b.tool_id},
                       {"name", b.tool_name},
                       {"input", json::object()}};
        break;
    }
    events.push_back(
        json{{"type", "content_block_start"}, {"index", index}, {"content_block", start_block}}
            .dump());
    if (b.kind == ReplyBlock::Kind::kRedactedThinking) {
      // Arrives whole in content_block_start.
    } else if (b.kind == ReplyBlock::Kind::kThinking) {
      for (const auto& piece : SplitIntoDeltas(b.text)) {
        events.push_back(json{{"type", "content_block_delta"},
                              {"index", index},
                              {"delta", {{"type", "thinking_delta"}, {"thinking", piece}}}}
                             .dump());
      }
      events.push_back(json{{"type", "content_block_delta"},
                            {"index", index},
                            {"delta", {{"type", "signature_delta"}, {"signature", b.signature}}}}
                           .dump());
    } else if (b.kind == ReplyBlock::Kind::kText) {
      for (const auto& piece : SplitIntoDeltas(b.text)) {
        events.push_back(json{{"type", "content_block_delta"},
                              {"index", index},
                              {"delta", {{"type", "text_delta"}, {"text", piece}}}}
                             .dump());
      }
    } else {
      std::string input = ToolInput(b).dump();
      // Anthropic sends an empty first piece, then the JSON in several parts.
      std::vector<std::string> pieces = {""};
      size_t step = std::max<size_t>(4, input.size() / 3 + 1);
      for (size_t i = 0; i < input.size(); i += step) pieces.push_back(input.substr(i, step));
      for (const auto& piece : pieces) {
        events.push_back(json{{"type", "content_block_delta"},
                              {"index", index},
                              {"delta", {{"type", "input_json_delta"}, {"partial_json", piece}}}}
                             .dump());
      }
    }
    events.push_back(json{{"type", "content_block_stop"}, {"index", index}}.dump());
  }
  events.push_back(json{{"type", "message_delta"},
                        {"delta", {{"stop_reason", reply.stop_reason}, {"stop_sequence", nullptr}}},
                        {"usage", {{"output_tokens", reply.usage.output_tokens}}}}
                       .dump());
  json stop = {{"type", "message_stop"},
               {"amazon-bedrock-invocationMetrics",
                {{"inputTokenCount", reply.usage.input_tokens},
                 {"outputTokenCount", reply.usage.output_tokens},
                 {"invocationLatency", metrics.invocation_latency_ms},
                 {"firstByteLatency", metrics.first_byte_latency_ms}}}};
  events.push_back(stop.dump());
  return events;
}

}  // namespace brock
