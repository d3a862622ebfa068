#include "ui/print_sink.h"

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

class TextSink : public SinkBase {
 public:
  using SinkBase::SinkBase;
  // Deltas are scrubbed as one stream (a secret split across two deltas is still caught).
  void OnTextDelta(std::string_view text) override { Write(scrubber_.Push(text)); }
  void OnAssistantMessage(const ModelReply&) override {
    Flush();
    // Separate the text of successive turns.
    if (wrote_ && !ends_with_newline_) Write("\n");
  }
  void OnResult(const RunResult& r) override {
    Flush();
    if (wrote_ && !ends_with_newline_) Write("\n");
    ReportError(r);
  }

 private:
  void Flush() { Write(scrubber_.Finish()); }
  void Write(std::string_view s) {
    if (s.empty()) return;
    std::fwrite(s.data(), 1, s.size(), out_);
    std::fflush(out_);
    ends_with_newline_ = s.back() == '\n';
    wrote_ = true;
  }

  StreamScrubber scrubber_;
  bool wrote_ = false;
  bool ends_with_newline_ = true;
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

class StreamJsonSink : public SinkBase {
 public:
  using SinkBase::SinkBase;
  void OnInit(const SessionInfo& info) override {
    session_id_ = info.session_id;
    WriteLine(out_, Json{{"type", "system"},
                         {"subtype", "init"},
                         {"cwd", info.cwd},
                         {"session_id", info.session_id},
                         {"tools", info.tools},
                         {"mcp_servers", McpServersJson(info)},
                         {"model", info.model},
                         {"permissionMode", info.permission_mode},
                         {"apiKeySource", "none"},
                         {"uuid", NewUuid()}}
                        .dump());
  }
  void OnAssistantMessage(const ModelReply& reply) override {
    Json m = MessageToJson(reply.message);
    m["type"] = "message";
    m["model"] = reply.model;
    m["stop_reason"] = reply.stop_reason;
    m["usage"] = UsageJson(reply.usage);
    WriteLine(out_, Json{{"type", "assistant"},
                         {"message", m},
                         {"parent_tool_use_id", nullptr},
                         {"session_id", session_id_},
                         {"uuid", NewUuid()}}
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
                         {"uuid", NewUuid()}}
                        .dump());
  }
  void OnResult(const RunResult& r) override {
    WriteLine(out_, ResultJson(r).dump());
    ReportError(r);
  }

 private:
  std::string session_id_;
};

}  // namespace

Json ResultJson(const RunResult& r) {
  Json model_usage = Json::object();
  for (const auto& [model, mu] : r.model_usage) {
    model_usage[model] = {{"inputTokens", mu.usage.input_tokens},
                          {"outputTokens", mu.usage.output_tokens},
                          {"cacheReadInputTokens", mu.usage.cache_read_input_tokens},
                          {"cacheCreationInputTokens", mu.usage.cache_creation_input_tokens},
                          {"costUSD", mu.cost_usd}};
  }
  return {{"type", "result"},
          {"subtype", r.subtype},
          {"is_error", r.is_error},
          {"duration_ms", r.duration_ms},
          {"duration_api_ms", r.duration_api_ms},
          {"num_turns", r.num_turns},
          {"result", ScrubSecrets(r.result)},
          {"session_id", r.session_id},
          {"total_cost_usd", r.total_cost_usd},
          {"usage", UsageJson(r.usage)},
          {"modelUsage", model_usage},
          {"permission_denials", r.permission_denials},
          {"uuid", NewUuid()}};
}

std::unique_ptr<AgentSink> MakePrintSink(OutputFormat format, bool verbose, std::FILE* out,
                                         std::FILE* err) {
  switch (format) {
    case OutputFormat::kJson:
      return std::make_unique<JsonSink>(verbose, out, err);
    case OutputFormat::kStreamJson:
      return std::make_unique<StreamJsonSink>(verbose, out, err);
    case OutputFormat::kText:
      break;
  }
  return std::make_unique<TextSink>(verbose, out, err);
}

}  // namespace brock
