#include "bedrock/message_assembler.h"

#include <nlohmann/json.hpp>

namespace brock {

struct MessageAssembler::State {
  Json content = Json::array();
  std::vector<std::string> partial_json;  // per block index, for tool_use inputs
  std::string stop_reason;
  std::string model;
  std::string id;
  Usage usage;
  int64_t invocation_latency_ms = 0;
  int64_t first_byte_latency_ms = 0;
};

MessageAssembler::MessageAssembler(std::function<void(std::string_view)> on_text,
                                   std::function<void(std::string_view)> on_thinking)
    : on_text_(std::move(on_text)),
      on_thinking_(std::move(on_thinking)),
      state_(std::make_unique<State>()) {}

MessageAssembler::~MessageAssembler() = default;

namespace {

Error BadEvent(const std::string& what) {
  return MakeError("bedrock.bad_event", "Bedrock sent a malformed stream event: " + what,
                   "retry; if it persists, run with --debug and report the output");
}

int64_t IntField(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_number()) return 0;
  return it->get<int64_t>();
}

void ReadUsage(const Json& u, Usage* usage) {
  if (!u.is_object()) return;
  if (u.contains("input_tokens")) usage->input_tokens = IntField(u, "input_tokens");
  if (u.contains("output_tokens")) usage->output_tokens = IntField(u, "output_tokens");
  if (u.contains("cache_read_input_tokens"))
    usage->cache_read_input_tokens = IntField(u, "cache_read_input_tokens");
  if (u.contains("cache_creation_input_tokens"))
    usage->cache_creation_input_tokens = IntField(u, "cache_creation_input_tokens");
}

}  // namespace

Status MessageAssembler::Feed(std::string_view event_json) {
  Json ev = ParseJsonOrDiscarded(event_json);
  if (!ev.is_object()) return BadEvent("not a JSON object");
  std::string type = ev.value("type", "");
  State& s = *state_;
  if (type == "message_start") {
    const Json& msg = ev.value("message", Json::object());
    s.model = msg.value("model", "");
    if (msg.contains("id") && msg["id"].is_string()) s.id = msg["id"].get<std::string>();
    ReadUsage(msg.value("usage", Json::object()), &s.usage);
  } else if (type == "content_block_start") {
    size_t index = ev.value("index", size_t{0});
    if (index != s.content.size()) return BadEvent("content block index out of order");
    Json block = ev.value("content_block", Json::object());
    if (!block.is_object()) return BadEvent("content_block is not an object");
    s.content.push_back(block);
    s.partial_json.emplace_back();
  } else if (type == "content_block_delta") {
    size_t index = ev.value("index", size_t{0});
    if (index >= s.content.size()) return BadEvent("delta for an unknown content block");
    const Json& delta = ev.value("delta", Json::object());
    std::string dtype = delta.value("type", "");
    Json& block = s.content[index];
    if (dtype == "text_delta") {
      std::string t = delta.value("text", "");
      block["text"] = block.value("text", "") + t;
      text_ += t;
      if (on_text_ && !t.empty()) on_text_(t);
    } else if (dtype == "input_json_delta") {
      s.partial_json[index] += delta.value("partial_json", "");
    } else if (dtype == "thinking_delta") {
      std::string t = delta.value("thinking", "");
      block["thinking"] = block.value("thinking", "") + t;
      if (on_thinking_ && !t.empty()) on_thinking_(t);
    } else if (dtype == "signature_delta") {
      block["signature"] = block.value("signature", "") + delta.value("signature", "");
    }
  } else if (type == "content_block_stop") {
    size_t index = ev.value("index", size_t{0});
    if (index >= s.content.size()) return BadEvent("stop for an unknown content block");
    Json& block = s.content[index];
    if (block.value("type", "") == "tool_use") {
      const std::string& pj = s.partial_json[index];
      if (!pj.empty()) {
        Json input = ParseJsonOrDiscarded(pj);
        if (input.is_discarded()) return BadEvent("tool input is not valid JSON");
        block["input"] = std::move(input);
      } else if (!block.contains("input")) {
        block["input"] = Json::object();
      }
    }
  } else if (type == "message_delta") {
    const Json& delta = ev.value("delta", Json::object());
    if (delta.contains("stop_reason") && delta["stop_reason"].is_string())
      s.stop_reason = delta["stop_reason"].get<std::string>();
    ReadUsage(ev.value("usage", Json::object()), &s.usage);
  } else if (type == "message_stop") {
    done_ = true;
  } else if (type == "error") {
    const Json& err = ev.value("error", Json::object());
    return MakeError("bedrock.stream_error",
                     "the model stream reported an error: " + err.value("type", "error") + ": " +
                         err.value("message", ""),
                     "retry the request");
  }
  // ping and unknown events are ignored.
  if (auto m = ev.find("amazon-bedrock-invocationMetrics"); m != ev.end() && m->is_object()) {
    s.invocation_latency_ms = IntField(*m, "invocationLatency");
    s.first_byte_latency_ms = IntField(*m, "firstByteLatency");
    if (s.usage.input_tokens == 0) s.usage.input_tokens = IntField(*m, "inputTokenCount");
    if (s.usage.output_tokens == 0) s.usage.output_tokens = IntField(*m, "outputTokenCount");
  }
  return {};
}

AssistantReply MessageAssembler::Finish() {
  AssistantReply r;
  r.message = std::make_shared<Json>(Json{{"role", "assistant"}, {"content", state_->content}});
  r.stop_reason = state_->stop_reason;
  r.usage = state_->usage;
  r.model = state_->model;
  r.id = state_->id;
  r.invocation_latency_ms = state_->invocation_latency_ms;
  r.first_byte_latency_ms = state_->first_byte_latency_ms;
  return r;
}

}  // namespace brock
