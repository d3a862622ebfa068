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
#include "cli/session_setup.h"
#include "ui/print_sink.h"

namespace brock {

namespace {

std::atomic<bool> g_cancel{false};

void OnSigint(int) {
  if (g_cancel.exchange(true)) _exit(130);  // a second Ctrl-C leaves at once
}

void PrintError(const Error& e) {
  std::string s = "Error: " + e.ToString() + "\n";
  std::fwrite(s.data(), 1, s.size(), stderr);
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

// A failure before the run starts: still a result object in the json formats, else stderr.
int ReportSetupFailure(OutputFormat format, bool verbose, const Error& error) {
  if (format == OutputFormat::kText) {
    PrintError(error);
    return 1;
  }
  RunResult r;
  r.is_error = true;
  r.subtype = "error_during_execution";
  r.result = error.ToString();
  r.error = error;
  MakePrintSink(format, verbose, stdout, stderr)->OnResult(r);
  return 1;
}

}  // namespace

int RunPrintCommand(const CliOptions& options) {
  Env& env = RealEnv();
  auto format = ParseOutputFormat(options.output_format);
  if (!format.ok()) {
    PrintError(format.error());
    return 1;
  }
  if (*format == OutputFormat::kStreamJson && !options.verbose) {
    PrintError(MakeError("cli.usage", "--output-format=stream-json requires --verbose with -p",
                         "add --verbose"));
    return 1;
  }
  std::string prompt = ReadPrompt(options);
  if (prompt.empty()) {
    PrintError(MakeError("cli.no_prompt", "no prompt given",
                         "pass it as an argument (brock -p \"...\") or on stdin"));
    return 1;
  }

  auto setup = SetUpSession(env, options);
  if (!setup.ok()) return ReportSetupFailure(*format, options.verbose, setup.error());
  SessionSetup& s = **setup;
  auto sink = MakePrintSink(*format, options.verbose, stdout, stderr);
  for (const std::string& w : s.warnings) sink->OnWarning(w);

  struct sigaction sa = {};
  sa.sa_handler = OnSigint;
  sigaction(SIGINT, &sa, nullptr);

  auto session = BuildAgentSession(env, options, s, &g_cancel);
  if (!session.ok()) return ReportSetupFailure(*format, options.verbose, session.error());
  for (const std::string& w : (*session)->warnings) sink->OnWarning(w);

  BedrockRuntime runtime(*s.http, env, s.connection->runtime);
  Agent agent(runtime, env, (*session)->agent, *sink);
  RunResult result = agent.Run((*session)->history, prompt);
  return result.is_error ? 1 : 0;
}

}  // namespace brock
