// Test helper (header-only, used by bedrock and agent unit tests): an in-memory HttpClient that
// answers Bedrock runtime requests from a script, and builders for the event-stream bytes of
// InvokeModelWithResponseStream replies (chunk frames wrapping Anthropic Messages events,
// exception frames).
//
// Each Send pops the next scripted reply. A streaming reply (status 2xx with `stream` set) is fed
// to the BodySink piece by piece, the way libcurl delivers it; when the sink returns false the
// transfer stops with "net.aborted", as the real client does. Every request is recorded.
#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "aws/eventstream.h"
#include "base/strings.h"
#include "net/http_client.h"

namespace brock::testing {

// One event-stream "chunk" frame carrying `event` (an Anthropic Messages streaming event) as
// {"bytes": base64(json)}, with the headers Bedrock sends.
inline std::string ChunkFrame(const Json& event) {
  EventMessage m;
  m.headers = {StringHeader(":event-type", "chunk"),
               StringHeader(":content-type", "application/json"),
               StringHeader(":message-type", "event")};
  m.payload = Json{{"bytes", Base64Encode(event.dump())}}.dump();
  return EncodeEventMessage(m);
}

// An exception frame inside a 200 stream (":exception-type" e.g. "modelStreamErrorException").
inline std::string ExceptionFrame(const std::string& exception_type, const std::string& message) {
  EventMessage m;
  m.headers = {StringHeader(":exception-type", exception_type),
               StringHeader(":content-type", "application/json"),
               StringHeader(":message-type", "exception")};
  m.payload = Json{{"message", message}}.dump();
  return EncodeEventMessage(m);
}

// The Anthropic events of a reply: message_start (with input usage), one text block streamed in
// `pieces`, then optional tool_use blocks (input streamed as two input_json_delta halves),
// message_delta (stop_reason, output usage) and message_stop.
struct ReplySpec {
  std::vector<std::string> pieces;  // text deltas; empty: no text block
  struct ToolCall {
    std::string id, name;
    Json input;
  };
  std::vector<ToolCall> tool_calls;
  std::string stop_reason = "end_turn";
  int64_t input_tokens = 10;
  int64_t output_tokens = 5;
  int64_t cache_read_input_tokens = 0;
  int64_t cache_creation_input_tokens = 0;
  std::string model = "claude-test";
};

inline std::vector<Json> ReplyEvents(const ReplySpec& spec) {
  std::vector<Json> ev;
  ev.push_back({{"type", "message_start"},
                {"message",
                 {{"id", "msg_1"},
                  {"type", "message"},
                  {"role", "assistant"},
                  {"model", spec.model},
                  {"content", Json::array()},
                  {"usage",
                   {{"input_tokens", spec.input_tokens},
                    {"cache_read_input_tokens", spec.cache_read_input_tokens},
                    {"cache_creation_input_tokens", spec.cache_creation_input_tokens},
                    {"output_tokens", 1}}}}}});
  int index = 0;
  if (!spec.pieces.empty()) {
    ev.push_back({{"type", "content_block_start"},
                  {"index", index},
                  {"content_block", {{"type", "text"}, {"text", ""}}}});
    for (const std::string& p : spec.pieces) {
      ev.push_back({{"type", "content_block_delta"},
                    {"index", index},
                    {"delta", {{"type", "text_delta"}, {"text", p}}}});
    }
    ev.push_back({{"type", "content_block_stop"}, {"index", index}});
    ++index;
  }
  for (const auto& call : spec.tool_calls) {
    ev.push_back({{"type", "content_block_start"},
                  {"index", index},
                  {"content_block",
                   {{"type", "tool_use"},
                    {"id", call.id},
                    {"name", call.name},
                    {"input", Json::object()}}}});
    std::string input = call.input.dump();
    size_t half = input.size() / 2;
    for (std::string part : {input.substr(0, half), input.substr(half)}) {
      ev.push_back({{"type", "content_block_delta"},
                    {"index", index},
                    {"delta", {{"type", "input_json_delta"}, {"partial_json", part}}}});
    }
    ev.push_back({{"type", "content_block_stop"}, {"index", index}});
    ++index;
  }
  ev.push_back({{"type", "message_delta"},
                {"delta", {{"stop_reason", spec.stop_reason}, {"stop_sequence", nullptr}}},
                {"usage", {{"output_tokens", spec.output_tokens}}}});
  ev.push_back({{"type", "message_stop"}});
  return ev;
}

// The event-stream bytes of `events`, one frame per event.
inline std::vector<std::string> Frames(const std::vector<Json>& events) {
  std::vector<std::string> out;
  for (const Json& e : events) out.push_back(ChunkFrame(e));
  return out;
}

// One scripted answer.
struct FakeReply {
  std::optional<Error> transport_error;  // returned by Send instead of a response
  int status = 200;
  HttpHeaders headers;
  std::string body;                 // non-2xx bodies, and 2xx bodies of non-streaming calls
  std::vector<std::string> stream;  // 2xx stream pieces, fed to the sink in order
};

// A 200 stream of the given frames.
inline FakeReply StreamReply(std::vector<std::string> frames) {
  FakeReply r;
  r.headers = {{"Content-Type", "application/vnd.amazon.eventstream"}};
  r.stream = std::move(frames);
  return r;
}

// A whole successful streamed reply.
inline FakeReply StreamReply(const ReplySpec& spec) {
  return StreamReply(Frames(ReplyEvents(spec)));
}

// An AWS JSON-protocol error answer.
inline FakeReply AwsErrorReply(int status, const std::string& type, const std::string& message) {
  FakeReply r;
  r.status = status;
  r.headers = {
      {"Content-Type", "application/json"},
      {"x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/"}};
  r.body = Json{{"message", message}}.dump();
  return r;
}

class FakeBedrockHttp : public HttpClient {
 public:
  // Answers are used in order; when only one is left it repeats (so "always 503" is one entry).
  std::deque<FakeReply> script;
  std::vector<HttpRequest> requests;
  // Optional: builds the answer from the request instead of the script (takes precedence).
  std::function<FakeReply(const HttpRequest&)> responder;

  Result<HttpResponse> Send(const HttpRequest& request, const BodySink& sink = nullptr) override {
    FakeReply reply;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests.push_back(request);
      if (responder) {
        reply = responder(request);
      } else if (script.empty()) {
        return MakeError("net.connect", "the fake HTTP client has no scripted reply left");
      } else {
        reply = script.front();
        if (script.size() > 1) script.pop_front();
      }
    }
    if (reply.transport_error) return *reply.transport_error;
    HttpResponse resp;
    resp.status = reply.status;
    resp.headers = reply.headers;
    bool ok_status = reply.status >= 200 && reply.status < 300;
    if (ok_status && sink) {
      for (const std::string& piece : reply.stream) {
        // Split each frame in two so the decoder sees frames arriving in pieces.
        size_t half = piece.size() / 2;
        if (!sink(std::string_view(piece).substr(0, half)) ||
            !sink(std::string_view(piece).substr(half))) {
          return MakeError("net.aborted", "the transfer was aborted by the receiver");
        }
      }
    } else if (ok_status) {
      resp.body = reply.body;
      for (const std::string& piece : reply.stream) resp.body += piece;
    } else {
      resp.body = reply.body;
    }
    return resp;
  }

  // The parsed JSON body of request `i`.
  Json Body(size_t i) const { return Json::parse(requests.at(i).body); }

 private:
  std::mutex mu_;
};

}  // namespace brock::testing
