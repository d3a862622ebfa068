#include "cli/print_command.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "agent/agent_loop.h"
#include "agent/stream_json_input.h"
#include "base/line_reader.h"
#include "base/uuid.h"
#include "cli/agent_session.h"
#include "cli/report_error.h"
#include "cli/session.h"
#include "ui/print_sink.h"

namespace brock {

namespace {

// The interrupt flag shared by the agent loop, requests and tools: set by SIGINT, SIGTERM and
// SIGHUP, and (with --input-format stream-json) by stdin closing while a turn runs.
std::atomic<bool> g_cancel{false};

void OnInterruptSignal(int sig) {
  if (g_cancel.exchange(true)) _exit(128 + sig);  // a second signal leaves at once
}

void InstallInterruptHandlers() {
  struct sigaction sa = {};
  sa.sa_handler = OnInterruptSignal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, nullptr);
}

// The prompt: the positional argument, with piped stdin before it (as Claude Code does).
std::string ReadPrompt(const CliOptions& options) {
  std::string prompt = options.prompt;
  if (!isatty(STDIN_FILENO)) {
    std::string piped((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (!piped.empty()) prompt = prompt.empty() ? piped : piped + "\n\n" + prompt;
  }
  return prompt;
}

// A failure outside a turn (before the run, or a bad input line): still a result object in
// the json formats, else stderr.
int ReportFailure(OutputFormat format, bool verbose, const Error& error,
                  const std::string& session_id = "") {
  if (format == OutputFormat::kText) {
    ReportError(error);
    return 1;
  }
  RunResult r;
  r.is_error = true;
  r.subtype = "error_during_execution";
  r.result = error.ToString();
  r.error = error;
  r.session_id = session_id;
  MakePrintSink(format, verbose, stdout, stderr)->OnResult(r);
  return 1;
}

// --input-format stream-json: one turn per stdin line, all in the same session. The input is
// read on a LineReader thread; when it ends while a turn runs (or a line waits to run), that
// is an interrupt, exactly like SIGINT.
int RunStreamJsonTurns(Agent& agent, std::vector<Message> history, OutputFormat format,
                       bool verbose, const std::string& session_id, bool replay) {
  std::atomic<bool> turn_running{false};
  LineReader reader(STDIN_FILENO, [&](bool lines_waiting) {
    if (turn_running.load() || lines_waiting) g_cancel.store(true);
  });
  int line_number = 0;
  bool ran_any = false;
  int exit_code = 0;
  for (;;) {
    // A signal between turns ends the session too (it cannot wake the reader, so Next polls).
    std::optional<std::string> line = reader.Next([&] { turn_running = true; }, &g_cancel);
    if (!line) break;
    ++line_number;
    if (IsBlankInputLine(*line)) {
      turn_running = false;
      continue;
    }
    auto content = ParseStreamJsonInputLine(*line, line_number);
    if (!content.ok()) {
      turn_running = false;
      reader.Stop();
      return ReportFailure(format, verbose, content.error(), session_id);
    }
    if (replay) {
      // --replay-user-messages: the message as received, acknowledged on stdout.
      std::string echo = Json{{"type", "user"},
                              {"message", {{"role", "user"}, {"content", *content}}},
                              {"parent_tool_use_id", nullptr},
                              {"session_id", session_id},
                              {"uuid", NewUuid()},
                              {"isReplay", true}}
                             .dump() +
                         "\n";
      std::fwrite(echo.data(), 1, echo.size(), stdout);
      std::fflush(stdout);
    }
    RunResult result = agent.RunContent(ran_any ? agent.messages() : std::move(history),
                                        ContentFromJson(*content));
    turn_running = false;
    ran_any = true;
    exit_code = result.is_error ? 1 : 0;
    if (g_cancel.load()) break;  // interrupted (signal or closed stdin): no further turns
  }
  reader.Stop();
  if (!ran_any) {
    return ReportFailure(format, verbose,
                         MakeError("cli.no_prompt", "stdin ended without a user message",
                                   "with --input-format stream-json, write one {\"type\":\"user\","
                                   "\"message\":{...}} object per line on stdin"),
                         session_id);
  }
  return exit_code;
}

// --json-schema: passes everything on, and puts the StructuredOutput tool's answer into the
// result (a run that ends without one is an error, as in Claude Code).
class StructuredOutputSink : public AgentSink {
 public:
  StructuredOutputSink(AgentSink& inner, std::shared_ptr<Json> answer)
      : inner_(inner), answer_(std::move(answer)) {}
  void OnInit(const SessionInfo& info) override { inner_.OnInit(info); }
  void OnTextDelta(std::string_view t) override { inner_.OnTextDelta(t); }
  void OnThinkingDelta(std::string_view t) override { inner_.OnThinkingDelta(t); }
  void OnAssistantMessage(const ModelReply& r) override { inner_.OnAssistantMessage(r); }
  void OnUserMessage(const Message& m) override { inner_.OnUserMessage(m); }
  void OnRetry(const Error& c, int n, std::chrono::milliseconds d) override {
    inner_.OnRetry(c, n, d);
  }
  void OnCompactBoundary(std::string_view t, int64_t p) override { inner_.OnCompactBoundary(t, p); }
  void OnModelFallback(std::string_view f, std::string_view t, const Error& c) override {
    inner_.OnModelFallback(f, t, c);
  }
  void OnWarning(std::string_view text) override { inner_.OnWarning(text); }
  void OnResult(const RunResult& result) override {
    RunResult r = result;
    if (!answer_->is_null()) {
      r.structured_output = JsonBox(*answer_);
      *answer_ = Json();  // each turn gives its own
    } else if (!r.is_error) {
      r.is_error = true;
      r.subtype = "error_max_structured_output_retries";
      r.error = MakeError("agent.no_structured_output",
                          "the model ended without an answer matching --json-schema",
                          "make the prompt ask for the data the schema describes, or loosen "
                          "the schema");
      r.result = r.error->ToString();
    }
    inner_.OnResult(r);
  }

 private:
  AgentSink& inner_;
  std::shared_ptr<Json> answer_;
};

}  // namespace

int RunPrintCommand(const CliOptions& options) {
  Env& env = RealEnv();
  auto format = ParseOutputFormat(options.output_format);
  if (!format.ok()) {
    ReportError(format.error());
    return 1;
  }
  if (*format == OutputFormat::kStreamJson && !options.verbose) {
    ReportError(MakeError("cli.usage", "--output-format=stream-json requires --verbose with -p",
                          "add --verbose"));
    return 1;
  }
  const bool stream_input = options.input_format == "stream-json";
  if (stream_input && *format != OutputFormat::kStreamJson) {
    ReportError(MakeError("cli.usage",
                          "--input-format=stream-json requires --output-format=stream-json",
                          "add --output-format stream-json --verbose"));
    return 1;
  }
  if (stream_input && !options.prompt.empty()) {
    ReportError(MakeError("cli.usage",
                          "a prompt argument cannot be combined with --input-format=stream-json",
                          "send the prompt as the first {\"type\":\"user\",...} line on stdin"));
    return 1;
  }
  if (options.resume_picker) {
    ReportError(MakeError("cli.usage", "--resume without a session ID needs the terminal",
                          "pass the session ID (brock -p -r ID \"...\"), or use -c for the "
                          "latest session here"));
    return 1;
  }
  std::string prompt;
  if (!stream_input) {
    prompt = ReadPrompt(options);
    if (prompt.empty()) {
      ReportError(MakeError("cli.no_prompt", "no prompt given",
                            "pass it as an argument (brock -p \"...\") or on stdin"));
      return 1;
    }
  }

  auto opened = Session::Open(env, options);
  if (!opened.ok()) return ReportFailure(*format, options.verbose, opened.error());
  Session& s = **opened;
  auto sink =
      MakePrintSink(*format, options.verbose, stdout, stderr, options.include_partial_messages);
  for (const std::string& w : s.warnings()) sink->OnWarning(w);

  InstallInterruptHandlers();

  auto session = BuildAgentSession(env, options, s, &g_cancel);
  if (!session.ok()) return ReportFailure(*format, options.verbose, session.error());
  for (const std::string& w : (*session)->warnings) sink->OnWarning(w);

  std::optional<StructuredOutputSink> structured;
  AgentSink* out = sink.get();
  if ((*session)->structured_output) {
    out = &structured.emplace(*sink, (*session)->structured_output);
  }
  Agent agent(s.model_client(), env, (*session)->agent, *out);
  agent.StartSession((*session)->resumed ? "resume" : "startup");
  int exit_code = 0;
  if (stream_input) {
    exit_code = RunStreamJsonTurns(agent, std::move((*session)->history), *format, options.verbose,
                                   (*session)->agent.session.session_id,
                                   options.replay_user_messages);
  } else {
    // An MCP prompt as a slash command (/mcp__server__prompt args), and @server:uri resources.
    McpServers* mcp = (*session)->mcp.servers.get();
    if (auto expanded = ExpandMcpPromptCommand(mcp, prompt)) {
      if (!expanded->ok()) {
        agent.EndSession("other");
        return ReportFailure(*format, options.verbose, expanded->error(),
                             (*session)->agent.session.session_id);
      }
      prompt = expanded->value();
    }
    prompt = AttachMcpResources(mcp, prompt);
    RunResult result = agent.Run((*session)->history, prompt);
    exit_code = result.is_error ? 1 : 0;
  }
  agent.EndSession("other");
  return exit_code;
}

}  // namespace brock
