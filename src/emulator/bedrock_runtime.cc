#include "emulator/bedrock_runtime.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "aws/uri.h"
#include "base/crypto.h"
#include "base/json.h"
#include "base/strings.h"
#include "emulator/bedrock_events.h"
#include "emulator/thinking_blocks.h"

namespace brock {

using nlohmann::json;

namespace {

std::string NewRequestId() {
  std::string h = HexEncode(RandomBytes(16));
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20, 12);
}

std::string JsonTypeName(const json& v) {
  if (v.is_string()) return "String";
  if (v.is_boolean()) return "Boolean";
  if (v.is_number_integer()) return "Integer";
  if (v.is_number()) return "BigDecimal";
  if (v.is_array()) return "JSONArray";
  if (v.is_object()) return "JSONObject";
  return "Null";
}

std::string Malformed(const std::string& what) {
  return "Malformed input request: " + what + ", please reformat your input and try again.";
}

bool IsAuthError(const std::string& type) {
  return type == "InvalidSignatureException" || type == "UnrecognizedClientException" ||
         type == "IncompleteSignatureException" || type == "ExpiredTokenException" ||
         type == "MissingAuthenticationTokenException";
}

}  // namespace

std::string ValidateInvokeBody(const json& body) {
  if (!body.is_object())
    return Malformed("expected type: JSONObject, found: " + JsonTypeName(body));
  for (const char* key : {"anthropic_version", "max_tokens", "messages"}) {
    if (!body.contains(key)) {
      return Malformed(std::string("#: required key [") + key + "] not found");
    }
  }
  const json& version = body["anthropic_version"];
  if (!version.is_string()) {
    return Malformed("#/anthropic_version: expected type: String, found: " + JsonTypeName(version));
  }
  if (version.get<std::string>() != "bedrock-2023-05-31") {
    return Malformed("#/anthropic_version: " + version.get<std::string>() +
                     " is not a valid enum value");
  }
  const json& max_tokens = body["max_tokens"];
  if (!max_tokens.is_number_integer()) {
    return Malformed("#/max_tokens: expected type: Integer, found: " + JsonTypeName(max_tokens));
  }
  if (max_tokens.get<int64_t>() < 1) {
    return Malformed("#/max_tokens: " + std::to_string(max_tokens.get<int64_t>()) +
                     " is not greater or equal to 1");
  }
  const json& messages = body["messages"];
  if (!messages.is_array()) {
    return Malformed("#/messages: expected type: JSONArray, found: " + JsonTypeName(messages));
  }
  if (messages.empty()) return "messages: at least one message is required";
  for (size_t i = 0; i < messages.size(); ++i) {
    const json& m = messages[i];
    std::string where = "#/messages/" + std::to_string(i);
    if (!m.is_object())
      return Malformed(where + ": expected type: JSONObject, found: " + JsonTypeName(m));
    if (!m.contains("role")) return Malformed(where + ": required key [role] not found");
    if (!m.contains("content")) return Malformed(where + ": required key [content] not found");
    std::string role = m["role"].is_string() ? m["role"].get<std::string>() : "";
    if (role != "user" && role != "assistant") {
      return Malformed(where + "/role: " + m["role"].dump() + " is not a valid enum value");
    }
  }
  if (messages[0].value("role", "") != "user") {
    return "messages: first message must use the \"user\" role";
  }
  if (body.contains("output_config")) {
    const json& oc = body["output_config"];
    if (!oc.is_object()) return "output_config: Input should be a valid dictionary";
    if (oc.contains("effort")) {
      const json& e = oc["effort"];
      std::string v = e.is_string() ? e.get<std::string>() : "";
      if (v != "low" && v != "medium" && v != "high" && v != "xhigh" && v != "max") {
        return "output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'";
      }
    }
  }
  // Every cache_control is {"type":"ephemeral"} with an optional ttl of "5m" or "1h".
  std::string bad_cache;
  auto check_cache = [&bad_cache](const json& block, const std::string& where) {
    if (!bad_cache.empty() || !block.is_object() || !block.contains("cache_control")) return;
    const json& c = block["cache_control"];
    if (!c.is_object() || c.value("type", "") != "ephemeral") {
      bad_cache = where + ".cache_control.type: Input should be 'ephemeral'";
    } else if (c.contains("ttl") && c["ttl"] != "5m" && c["ttl"] != "1h") {
      bad_cache = where + ".cache_control.ttl: Input should be '5m' or '1h'";
    }
  };
  for (const char* key : {"system", "tools"}) {
    if (!body.contains(key) || !body[key].is_array()) continue;
    for (size_t i = 0; i < body[key].size(); ++i) {
      check_cache(body[key][i], std::string(key) + "." + std::to_string(i));
    }
  }
  for (size_t i = 0; i < messages.size(); ++i) {
    const json& content = messages[i]["content"];
    if (!content.is_array()) continue;
    for (size_t b = 0; b < content.size(); ++b) {
      check_cache(content[b], "messages." + std::to_string(i) + ".content." + std::to_string(b));
    }
  }
  return bad_cache;
}

void SendBedrockError(ResponseWriter& writer, int status, const std::string& type,
                      const std::string& message, const std::string& request_id) {
  std::string ns = IsAuthError(type) ? "http://internal.amazon.com/coral/com.amazon.coral.service/"
                                     : "http://internal.amazon.com/coral/com.amazon.bedrock/";
  json body = type == "AccessDeniedException" && StartsWith(message, "Authentication failed")
                  ? json{{"Message", message}}
                  : json{{"message", message}};
  writer.Send(status,
              {{"Content-Type", "application/json"},
               {"x-amzn-RequestId", request_id},
               {"x-amzn-ErrorType", type + ":" + ns}},
              body.dump());
}

EmulatedRuntime::EmulatedRuntime(EmulatedRuntimeOptions options, RequestRecorder* recorder)
    : options_(std::move(options)), recorder_(recorder), runner_(options_.script) {}

void EmulatedRuntime::Handle(const HttpRequest& request, ResponseWriter& writer) {
  auto start = std::chrono::steady_clock::now();
  std::string request_id = NewRequestId();
  RecordedRequest record;
  record.method = request.method;
  size_t scheme = request.url.find("://");
  size_t path_start = request.url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  record.path = path_start == std::string::npos ? "/" : request.url.substr(path_start);
  record.headers = RedactHeaders(request.headers);
  record.body = request.body;

  auto fail = [&](int status, const std::string& type, const std::string& message) {
    record.status = status;
    record.error_type = type;
    recorder_->Record(record);
    SendBedrockError(writer, status, type, message, request_id);
  };

  // Route.
  std::string path = record.path.substr(0, record.path.find('?'));
  std::string model_raw;
  bool streaming = false;
  // A gateway path prefix (ANTHROPIC_BEDROCK_BASE_URL=http://host/prefix) is ignored.
  if (size_t model_at = path.find("/model/"); model_at != std::string::npos) {
    std::string rest = path.substr(model_at + 7);
    if (EndsWith(rest, "/invoke-with-response-stream")) {
      streaming = true;
      model_raw = rest.substr(0, rest.size() - 28);
    } else if (EndsWith(rest, "/invoke")) {
      model_raw = rest.substr(0, rest.size() - 7);
    }
  }
  if (model_raw.empty() || request.method != "POST") {
    fail(404, "UnknownOperationException", "Unknown operation " + request.method + " " + path);
    return;
  }
  record.operation = streaming ? "InvokeModelWithResponseStream" : "InvokeModel";
  record.model_id = UriDecode(model_raw);

  AuthOutcome auth = CheckAuth(request, options_.auth, Clock::now());
  record.auth_kind = auth.kind;
  record.access_key_id = auth.access_key_id;
  record.auth_ok = auth.ok;
  record.auth_error = auth.error_type;
  if (!auth.ok) {
    fail(auth.status, auth.error_type, auth.message);
    return;
  }

  bool model_ok = false;
  if (options_.allowed_models.empty()) {
    model_ok = record.model_id.find("anthropic.claude") != std::string::npos;
    for (const auto& m : options_.extra_model_ids) model_ok = model_ok || m == record.model_id;
  } else {
    for (const auto& m : options_.allowed_models) model_ok = model_ok || m == record.model_id;
  }
  if (!model_ok) {
    fail(400, "ValidationException", "The provided model identifier is invalid.");
    return;
  }
  if (std::string action = "bedrock:" + record.operation; options_.denied_actions.count(action)) {
    fail(403, "AccessDeniedException",
         "User: " + (auth.access_key_id.empty() ? std::string("the caller") : auth.access_key_id) +
             " is not authorized to perform: " + action + " on resource: " + record.model_id +
             " because no identity-based policy allows the " + action + " action");
    return;
  }

  json body = ParseJsonOrDiscarded(request.body);
  if (body.is_discarded()) {
    fail(400, "ValidationException",
         Malformed("#: expected type: JSONObject, found: invalid JSON"));
    return;
  }
  std::string invalid = ValidateInvokeBody(body);
  if (invalid.empty()) invalid = ThinkingViolation(body);
  if (!invalid.empty()) {
    fail(400, "ValidationException", invalid);
    return;
  }

  Decision d = runner_.Decide(body, record.model_id, streaming);
  record.rule = d.rule_name;
  if (d.error) {
    fail(d.error->status, d.error->type, d.error->message);
    return;
  }
  record.status = 200;
  if (!streaming) {
    recorder_->Record(record);
    auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - start)
                       .count();
    writer.Send(
        200,
        {{"Content-Type", "application/json"},
         {"x-amzn-RequestId", request_id},
         {"X-Amzn-Bedrock-Invocation-Latency", std::to_string(latency)},
         {"X-Amzn-Bedrock-Input-Token-Count", std::to_string(d.reply.usage.input_tokens)},
         {"X-Amzn-Bedrock-Output-Token-Count", std::to_string(d.reply.usage.output_tokens)}},
        ReplyToMessageJson(d.reply));
    return;
  }
  const FaultSpec& f = d.stream_faults;
  record.stream_fault = f.exception_frame            ? "exception_frame"
                        : f.drop_after_events        ? "drop"
                        : f.corrupt_crc_after_events ? "corrupt_crc"
                                                     : "";
  recorder_->Record(record);
  if (!writer.StartStream(200, {{"Content-Type", "application/vnd.amazon.eventstream"},
                                {"x-amzn-RequestId", request_id},
                                {"X-Amzn-Bedrock-Content-Type", "application/json"}})) {
    return;
  }
  Stream(d, writer, record);
}

void EmulatedRuntime::Stream(const Decision& d, ResponseWriter& writer, RecordedRequest& record) {
  const FaultSpec& f = d.stream_faults;
  InvocationMetrics metrics;
  int64_t per_event = f.delay_ms_per_event;
  metrics.first_byte_latency_ms = 40 + per_event;
  std::vector<std::string> events = ReplyToStreamEvents(d.reply, metrics);
  // The latency is known once the events are paced; estimate it so message_stop can carry it.
  metrics.invocation_latency_ms = 40 + per_event * static_cast<int64_t>(events.size());
  events = ReplyToStreamEvents(d.reply, metrics);
  for (size_t i = 0; i <= events.size(); ++i) {
    int sent = static_cast<int>(i);
    if (f.exception_frame && f.exception_frame->after_events == sent) {
      writer.WriteChunk(EncodeExceptionFrame(f.exception_frame->type, f.exception_frame->message));
      writer.FinishStream();
      return;
    }
    if (f.drop_after_events && *f.drop_after_events == sent) {
      writer.Drop();
      return;
    }
    if (i == events.size()) break;
    if (per_event > 0 && !writer.SleepFor(std::chrono::milliseconds(per_event))) {
      writer.Drop();
      return;
    }
    std::string frame = EncodeChunkFrame(events[i], i);
    if (f.corrupt_crc_after_events && *f.corrupt_crc_after_events == sent) {
      writer.WriteChunk(CorruptMessageCrc(std::move(frame)));
      writer.FinishStream();
      return;
    }
    if (!writer.WriteChunk(frame)) return;
  }
  writer.FinishStream();
}

}  // namespace brock
