#include "cli/print_command.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "agent/agent_loop.h"
#include "cli/agent_session.h"
#include "cli/report_error.h"
#include "cli/session.h"
#include "cli/stream_json_session.h"
#include "cli/structured_output_sink.h"
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
  if (stream_input) return RunStreamJsonSession(env, options, s, *sink, &g_cancel);

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
  agent.EndSession("other");
  return result.is_error ? 1 : 0;
}

}  // namespace brock
