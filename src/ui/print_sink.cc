#include "ui/print_sink.h"

#include <atomic>
#include <ctime>
#include <nlohmann/json.hpp>

#include "base/secrets.h"
#include "base/uuid.h"

namespace brock {

Result<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "text") return OutputFormat::kText;
  if (name == "json") return OutputFormat::kJson;
  if (name == "stream-json") return OutputFormat::kStreamJson;
  return MakeError("cli.output_format", "unknown --output-format " + std::string(name),
                   "use one of: text, json, stream-json");
}

namespace {

Json UsageJson(const Usage& u) {
  return {{"input_tokens", u.input_tokens},
          {"cache_creation_input_tokens", u.cache_creation_input_tokens},
          {"cache_read_input_tokens", u.cache_read_input_tokens},
          {"output_tokens", u.output_tokens}};
}

void WriteLine(std::FILE* f, const std::string& line) {
  std::string scrubbed = ScrubSecrets(line);
  scrubbed += '\n';
  std::fwrite(scrubbed.data(), 1, scrubbed.size(), f);
  std::fflush(f);
}

// Shared stderr reporting for all formats.
class SinkBase : public AgentSink {
 public:
  SinkBase(bool verbose, std::FILE* out, std::FILE* err)
      : verbose_(verbose), out_(out), err_(err) {}

  void OnRetry(const Error& cause, int next_attempt, std::chrono::milliseconds delay) override {
    WriteLine(err_, "brock: " + cause.message + " — retrying in " + std::to_string(delay.count()) +
                        " ms (attempt " + std::to_string(next_attempt) + ")");
  }
  void OnWarning(std::string_view text) override { WriteLine(err_, "brock: " + std::string(text)); }
  // Hooks: what needs the user's attention goes to stderr in every format.
  void OnHook(const HookNotice& n) override {
    if (!n.message.empty()) WriteLine(err_, "brock: " + n.message);
  }

 protected:
  void ReportError(const RunResult& r) {
    if (!r.is_error) return;
    if (r.error) {
      WriteLine(err_, "Error: " + r.error->ToString());
    } else {
      WriteLine(err_, "Error: " + r.result);
    }
  }

  bool verbose_;
  std::FILE* out_;
  std::FILE* err_;
};

// text: only the final result, as Claude Code prints it (the text of the last reply; what the
// model said between tool calls is not shown), scrubbed of registered secrets.
class TextSink : public SinkBase {
 public:
  using SinkBase::SinkBase;
  void OnResult(const RunResult& r) override {
    if (!r.is_error) {
      std::string text = ScrubSecrets(r.result);
      if (!text.empty()) {
        if (text.back() != '\n') text += '\n';
        std::fwrite(text.data(), 1, text.size(), out_);
        std::fflush(out_);
      }
    }
    ReportError(r);
  }
};

class JsonSink : public SinkBase {
 public:
  using SinkBase::SinkBase;
  void OnResult(const RunResult& r) override {
    WriteLine(out_, ResultJson(r).dump());
    ReportError(r);
  }
};

// system/init's mcp_servers: [{"name": ..., "status": ...}], as Claude Code lists them.
Json McpServersJson(const SessionInfo& info) {
  Json servers = Json::array();
  for (const auto& [name, status] : info.mcp_servers) {
    servers.push_back({{"name", name}, {"status", status}});
  }
  return servers;
}

// Claude Code's error category for a failed request ("rate_limit", "overloaded", ...).
std::string ErrorCategory(const Error& e) {
  const std::string& c = e.code;
  if (c.find("Throttling") != std::string::npos || e.http_status == 429) return "rate_limit";
  if (c.find("ServiceUnavailable") != std::string::npos || e.http_status == 503 ||
      e.message.find("verloaded") != std::string::npos) {
    return "overloaded";
  }
  if (c.find("AccessDenied") != std::string::npos || c.find("credentials") != std::string::npos ||
      c.find("Token") != std::string::npos || e.http_status == 401 || e.http_status == 403) {
    return "authentication_failed";
  }
  if (c.find("Validation") != std::string::npos || e.http_status == 400) return "invalid_request";
  if (c.find("ResourceNotFound") != std::string::npos || e.http_status == 404) {
    return "model_not_found";
  }
  if (e.http_status >= 500 || c.find("InternalServer") != std::string::npos ||
      c.find("ModelStreamError") != std::string::npos) {
    return "server_error";
  }
  return "unknown";
}

Json AssistantMessageJson(const ModelReply& reply, const std::string& fallback_model) {
  Json m = MessageToJson(reply.message);
  Json out = {{"id", reply.id.empty() ? "msg_" + NewUuid() : reply.id},
              {"type", "message"},
              {"role", "assistant"},
              {"model", reply.model.empty() ? fallback_model : reply.model},
              {"content", m.value("content", Json::array())},
              {"stop_reason", reply.stop_reason.empty() ? Json(nullptr) : Json(reply.stop_reason)},
              {"stop_sequence", nullptr},
              {"usage", UsageJson(reply.usage)}};
  return out;
}

class StreamJsonSink : public SinkBase {
 public:
  StreamJsonSink(bool verbose, std::FILE* out, std::FILE* err, bool partial_messages)
      : SinkBase(verbose, out, err), partial_messages_(partial_messages) {}

  void OnInit(const SessionInfo& info) override {
    session_id_ = info.session_id;
    model_ = info.model;
    max_retries_ = info.max_retries;
    Json init = {{"type", "system"},
                 {"subtype", "init"},
                 {"cwd", info.cwd},
                 {"session_id", info.session_id},
                 {"tools", info.tools},
                 {"mcp_servers", McpServersJson(info)},
                 {"model", info.model},
                 {"permissionMode", info.permission_mode},
                 {"slash_commands", info.slash_commands},
                 {"apiKeySource", "none"},
                 {"claude_code_version", info.version},
                 {"output_style", info.output_style},
                 {"agents", info.agents},
                 {"skills", Json::array()},
                 {"plugins", Json::array()},
                 {"original_cwd", info.cwd},
                 {"per_turn_effort_active", false},
                 {"sandbox_enabled", false},
                 {"served_by_anthropic", false},
                 {"uuid", NewUuid()}};
    if (!info.betas.empty()) init["betas"] = info.betas;
    WriteLine(out_, init.dump());
  }
  void OnTextDelta(std::string_view text) override {
    if (!partial_messages_) return;
    OpenMessage();
    if (open_block_ != "text") {
      CloseBlock();
      Event({{"type", "content_block_start"},
             {"index", block_index_},
             {"content_block", {{"type", "text"}, {"text", ""}}}});
      open_block_ = "text";
    }
    Event({{"type", "content_block_delta"},
           {"index", block_index_},
           {"delta", {{"type", "text_delta"}, {"text", std::string(text)}}}});
  }
  void OnThinkingDelta(std::string_view thinking) override {
    if (!partial_messages_) return;
    OpenMessage();
    if (open_block_ != "thinking") {
      CloseBlock();
      Event({{"type", "content_block_start"},
             {"index", block_index_},
             {"content_block", {{"type", "thinking"}, {"thinking", ""}, {"signature", ""}}}});
      open_block_ = "thinking";
    }
    Event({{"type", "content_block_delta"},
           {"index", block_index_},
           {"delta", {{"type", "thinking_delta"}, {"thinking", std::string(thinking)}}}});
  }
  void OnAssistantMessage(const ModelReply& reply) override {
    if (partial_messages_) FinishPartialMessage(reply);
    Json message = AssistantMessageJson(reply, model_);
    begun_message_ids_.push_back(message["id"]);
    WriteLine(out_, Json{{"type", "assistant"},
                         {"message", std::move(message)},
                         {"parent_tool_use_id", nullptr},
                         {"session_id", session_id_},
                         {"uuid", NewUuid()},
                         {"timestamp", NowTimestamp()}}
                        .dump());
  }
  // Each hook that ran: a system message "hook_response", as Claude Code streams them.
  void OnHook(const HookNotice& n) override {
    SinkBase::OnHook(n);
    std::string out = n.suppress_output ? std::string() : n.stdout_text;
    WriteLine(out_, Json{{"type", "system"},
                         {"subtype", "hook_response"},
                         {"hook_id", NewUuid()},
                         {"hook_name", n.name},
                         {"hook_event", n.event},
                         {"output", out + n.stderr_text},
                         {"stdout", out},
                         {"stderr", n.stderr_text},
                         {"exit_code", n.exit_code},
                         {"outcome", n.outcome},
                         {"session_id", n.session_id},
                         {"uuid", NewUuid()}}
                        .dump(-1, ' ', false, Json::error_handler_t::replace));
  }
  void OnUserMessage(const Message& message) override {
    WriteLine(out_, Json{{"type", "user"},
                         {"message", MessageToJson(message)},
                         {"parent_tool_use_id", nullptr},
                         {"session_id", session_id_},
                         {"uuid", NewUuid()},
                         {"timestamp", NowTimestamp()}}
                        .dump());
  }
  void OnRetry(const Error& cause, int next_attempt, std::chrono::milliseconds delay) override {
    SinkBase::OnRetry(cause, next_attempt, delay);
    WriteLine(out_, Json{{"type", "system"},
                         {"subtype", "api_retry"},
                         {"attempt", next_attempt},
                         {"max_retries", max_retries_},
                         {"retry_delay_ms", delay.count()},
                         {"error_status",
                          cause.http_status > 0 ? Json(cause.http_status) : Json(nullptr)},
                         {"error", ErrorCategory(cause)},
                         {"uuid", NewUuid()},
                         {"session_id", session_id_}}
                        .dump());
    // A retried stream starts its message again.
    message_open_ = false;
    open_block_.clear();
    block_index_ = -1;
  }
  void OnCompactBoundary(std::string_view trigger, int64_t pre_tokens) override {
    WriteLine(out_, Json{{"type", "system"},
                         {"subtype", "compact_boundary"},
                         {"compact_metadata",
                          {{"trigger", std::string(trigger)}, {"pre_tokens", pre_tokens}}},
                         {"uuid", NewUuid()},
                         {"session_id", session_id_}}
                        .dump());
  }
  void OnResult(const RunResult& r) override {
    Json result = ResultJson(r);
    result["model_usage_since_last_result"] = result["modelUsage"];  // one result per turn
    result["begun_message_ids"] = std::move(begun_message_ids_);
    begun_message_ids_ = Json::array();
    WriteLine(out_, result.dump());
    ReportError(r);
  }

 private:
  static std::string NowTimestamp() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
  }
  void Event(Json event) {
    WriteLine(out_, Json{{"type", "stream_event"},
                         {"event", std::move(event)},
                         {"parent_tool_use_id", nullptr},
                         {"uuid", NewUuid()},
                         {"session_id", session_id_}}
                        .dump());
  }
  void OpenMessage() {
    if (message_open_) return;
    message_open_ = true;
    block_index_ = -1;
    open_block_.clear();
    Event({{"type", "message_start"},
           {"message",
            {{"id", "msg_" + NewUuid()},
             {"type", "message"},
             {"role", "assistant"},
             {"model", model_},
             {"content", Json::array()},
             {"stop_reason", nullptr},
             {"stop_sequence", nullptr},
             {"usage", UsageJson(Usage{})}}}});
  }
  void CloseBlock() {
    if (!open_block_.empty()) Event({{"type", "content_block_stop"}, {"index", block_index_}});
    open_block_.clear();
    ++block_index_;
  }
  // The blocks that arrive whole (tool calls), then the message's end.
  void FinishPartialMessage(const ModelReply& reply) {
    OpenMessage();
    Json content = MessageToJson(reply.message).value("content", Json::array());
    for (size_t i = static_cast<size_t>(block_index_ < 0 ? 0 : block_index_ + 1);
         i < content.size(); ++i) {
      const Json& block = content[i];
      if (block.value("type", "") != "tool_use") continue;
      CloseBlock();
      block_index_ = static_cast<int>(i);
      Json start = block;
      start["input"] = Json::object();
      Event({{"type", "content_block_start"}, {"index", block_index_}, {"content_block", start}});
      Event({{"type", "content_block_delta"},
             {"index", block_index_},
             {"delta",
              {{"type", "input_json_delta"},
               {"partial_json", block.value("input", Json::object()).dump()}}}});
      open_block_ = "tool_use";
    }
    if (!open_block_.empty()) Event({{"type", "content_block_stop"}, {"index", block_index_}});
    Event({{"type", "message_delta"},
           {"delta",
            {{"stop_reason", reply.stop_reason.empty() ? Json(nullptr) : Json(reply.stop_reason)},
             {"stop_sequence", nullptr}}},
           {"usage", UsageJson(reply.usage)}});
    Json stop = {{"type", "message_stop"}};
    if (reply.invocation_latency_ms > 0 || reply.first_byte_latency_ms > 0) {
      stop["amazon-bedrock-invocationMetrics"] = {
          {"inputTokenCount", reply.usage.input_tokens},
          {"outputTokenCount", reply.usage.output_tokens},
          {"invocationLatency", reply.invocation_latency_ms},
          {"firstByteLatency", reply.first_byte_latency_ms}};
    }
    Event(std::move(stop));
    message_open_ = false;
    open_block_.clear();
    block_index_ = -1;
  }

  bool partial_messages_;
  std::string session_id_;
  std::string model_;
  int max_retries_ = 10;
  bool message_open_ = false;
  std::string open_block_;                  // "text" | "thinking" | "tool_use" | "" (none open)
  int block_index_ = -1;                    // index of the open (or last closed) block
  Json begun_message_ids_ = Json::array();  // ids of this turn's assistant messages
};

}  // namespace

namespace {
std::atomic<int> g_result_index{0};  // results printed by this process so far
}  // namespace

Json ResultJson(const RunResult& r) {
  Json model_usage = Json::object();
  for (const auto& [model, mu] : r.model_usage) {
    auto window = r.context_windows.find(model);
    auto cap = r.max_output_tokens.find(model);
    model_usage[model] = {
        {"inputTokens", mu.usage.input_tokens},
        {"outputTokens", mu.usage.output_tokens},
        {"cacheReadInputTokens", mu.usage.cache_read_input_tokens},
        {"cacheCreationInputTokens", mu.usage.cache_creation_input_tokens},
        {"cacheCreationEphemeral5mInputTokens", mu.usage.cache_creation_input_tokens},
        {"cacheCreationEphemeral1hInputTokens", 0},
        {"thinkingTokens", 0},
        {"webSearchRequests", 0},
        {"costUSD", mu.cost_usd},
        {"costBasis", "list"},
        {"provider", "bedrock"},
        {"canonicalModel", model},
        {"contextWindow", window == r.context_windows.end() ? int64_t{200000} : window->second},
        {"maxOutputTokens", cap == r.max_output_tokens.end() ? int64_t{32000} : cap->second}};
  }
  Json usage = UsageJson(r.usage);
  usage["server_tool_use"] = {{"web_search_requests", 0}, {"web_fetch_requests", 0}};
  usage["service_tier"] = "standard";
  usage["output_tokens_details"] = {{"thinking_tokens", 0}};
  usage["fallback_credit"] = nullptr;
  usage["cache_creation"] = {{"ephemeral_1h_input_tokens", 0},
                             {"ephemeral_5m_input_tokens", r.usage.cache_creation_input_tokens}};
  Json out = {{"type", "result"},
              {"subtype", r.subtype},
              {"is_error", r.is_error},
              {"duration_ms", r.duration_ms},
              {"duration_api_ms", r.duration_api_ms},
              {"num_turns", r.num_turns},
              {"result", ScrubSecrets(r.result)},
              {"stop_reason", r.stop_reason.empty() ? Json(nullptr) : Json(r.stop_reason)},
              {"session_id", r.session_id},
              {"total_cost_usd", r.total_cost_usd},
              {"usage", usage},
              {"modelUsage", model_usage},
              {"permission_denials", r.permission_denials},
              {"terminal_reason", r.terminal_reason},
              {"api_error_status",
               r.error && r.error->http_status > 0 ? Json(r.error->http_status) : Json(nullptr)},
              {"queued_turn_count", 0},
              {"result_index", g_result_index++},
              {"safety_stops", 0},
              {"uuid", NewUuid()}};
  if (r.is_error) {
    out["errors"] = Json::array({ScrubSecrets(r.error ? r.error->message : r.result)});
  }
  if (r.structured_output) out["structured_output"] = r.structured_output->get();
  return out;
}

std::unique_ptr<AgentSink> MakePrintSink(OutputFormat format, bool verbose, std::FILE* out,
                                         std::FILE* err, bool partial_messages) {
  switch (format) {
    case OutputFormat::kJson:
      return std::make_unique<JsonSink>(verbose, out, err);
    case OutputFormat::kStreamJson:
      return std::make_unique<StreamJsonSink>(verbose, out, err, partial_messages);
    case OutputFormat::kText:
      break;
  }
  return std::make_unique<TextSink>(verbose, out, err);
}

}  // namespace brock
