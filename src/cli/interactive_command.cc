#include "cli/interactive_command.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "agent/transcript.h"
#include "base/strings.h"
#include "cli/agent_session.h"
#include "cli/repl.h"
#include "cli/session.h"
#include "ui/approval_question.h"
#include "ui/terminal.h"
#include "ui/terminal_sink.h"

namespace brock {

namespace {

std::atomic<bool> g_interrupt{false};
std::atomic<bool> g_quit{false};
std::atomic<int> g_quit_signal{0};

// Ctrl-C stops the running turn (or, at the prompt, arms exit); one that arrives while the last
// is still unhandled (brock is stuck in something that does not watch it) leaves at once.
void OnSigint(int) {
  if (g_interrupt.exchange(true)) _exit(130);
}

// SIGTERM and SIGHUP (the terminal closed): stop the running turn cleanly, then leave. A second
// one leaves at once.
void OnTerminate(int sig) {
  if (g_quit.exchange(true)) _exit(128 + sig);
  g_quit_signal.store(sig);
  g_interrupt.store(true);
}

// Bare -r / --resume: lists this directory's sessions (newest first, with the start of their
// first prompt) and returns the path of the one picked; "" when the user picks none.
Result<std::string> PickSession(Env& env, Terminal& t) {
  std::vector<std::string> paths = ListSessions(env, env.CurrentDir());
  if (paths.empty()) {
    return MakeError("session.none", "there is no earlier session in " + env.CurrentDir(),
                     "run brock without -r to start one");
  }
  if (paths.size() > 20) paths.resize(20);
  t.Write("Sessions in " + env.CurrentDir() + ", newest first:\n");
  for (size_t i = 0; i < paths.size(); ++i) {
    std::string label = paths[i].substr(paths[i].rfind('/') + 1);
    if (auto loaded = LoadTranscript(env, paths[i]); loaded.ok()) {
      std::string first;
      for (const Json& m : loaded->messages) {
        if (m.value("role", "") != "user") continue;
        const Json& c = m.value("content", Json());
        if (c.is_string()) first = c.get<std::string>();
        for (const Json& b : c.is_array() ? c : Json::array()) {
          if (b.value("type", "") == "text") first = b.value("text", "");
          if (!first.empty()) break;
        }
        if (!first.empty()) break;
      }
      for (char& ch : first) {
        if (static_cast<unsigned char>(ch) < 0x20) ch = ' ';
      }
      if (first.size() > 60) first = first.substr(0, 60) + "...";
      label = loaded->session_id + "  " + loaded->created_at + "  " + first;
    }
    t.Write("  " + std::to_string(i + 1) + ". " + label + "\n");
  }
  for (;;) {
    LineInput answer = t.ReadLine(
        "Resume which session? [1-" + std::to_string(paths.size()) + ", empty to cancel]: ", true,
        /*remember=*/false);
    if (answer.kind != LineInput::Kind::kLine) return std::string();
    std::string a(Trim(answer.text));
    if (a.empty()) return std::string();
    char* end = nullptr;
    long n = std::strtol(a.c_str(), &end, 10);
    if (end && *end == '\0' && n >= 1 && n <= static_cast<long>(paths.size())) {
      return paths[static_cast<size_t>(n - 1)];
    }
  }
}

}  // namespace

int RunInteractiveCommand(const CliOptions& given_options) {
  CliOptions options = given_options;
  if (!isatty(STDIN_FILENO)) {
    std::fputs(
        "Error: the interactive terminal needs a terminal on stdin\n"
        "  fix: run brock -p \"your prompt\" (print mode), or pipe the prompt on stdin with -p\n",
        stderr);
    return 2;
  }
  Env& env = RealEnv();
  auto terminal =
      MakeTtyTerminal(STDIN_FILENO, STDOUT_FILENO, &g_interrupt,
                      WantsStyle(STDOUT_FILENO, std::getenv("NO_COLOR"), std::getenv("TERM")));
  Terminal& t = *terminal;

  struct sigaction sa = {};
  sa.sa_handler = OnSigint;  // no SA_RESTART: a blocked read wakes up
  sigaction(SIGINT, &sa, nullptr);
  struct sigaction term = {};
  term.sa_handler = OnTerminate;
  sigaction(SIGTERM, &term, nullptr);
  sigaction(SIGHUP, &term, nullptr);

  SessionHooks hooks;
  hooks.mfa_prompt = [&t](const std::string& profile,
                          const std::string& serial) -> Result<std::string> {
    LineInput code = t.ReadLine("MFA code for " + serial + " (profile " + profile + "): ", true,
                                /*remember=*/false);
    std::string value(code.kind == LineInput::Kind::kLine ? Trim(code.text) : "");
    if (value.empty()) {
      return MakeError("role.mfa_cancelled", "no MFA code was entered for " + serial,
                       "enter the current code from your MFA device when asked");
    }
    return value;
  };
  hooks.on_refresh_output = [&t](std::string_view chunk, bool) { t.Write(chunk); };
  hooks.ask_trust = [&t](const TrustReport& report) {
    t.Write(Styled(t.styled(), kYellow, "Do you trust the files in " + report.directory + "?") +
            "\nIts project files would do this, which brock ignores until you trust it:\n" +
            DescribeTrustReport(report) +
            (report.rememberable
                 ? "The answer is remembered for this directory and everything below it "
                   "(change it with brock trust).\n"
                 : "This is your home directory or above it: a yes holds for this session "
                   "only.\n"));
    for (;;) {
      LineInput answer = t.ReadLine("Trust it? [y]es / [n]o: ", true, /*remember=*/false);
      if (answer.kind != LineInput::Kind::kLine) return false;
      std::string a = ToLower(Trim(answer.text));
      if (a == "y" || a == "yes") return true;
      if (a == "n" || a == "no") return false;
    }
  };

  if (options.resume_picker) {
    auto picked = PickSession(env, t);
    if (!picked.ok()) {
      ShowError(t, picked.error());
      return 1;
    }
    if (picked->empty()) return 0;
    options.resume = *picked;
    options.resume_picker = false;
  }
  auto opened = Session::Open(env, options, hooks);
  if (!opened.ok()) {
    ShowError(t, opened.error());
    return 1;
  }
  Session& s = **opened;

  PermissionAsker ask = [&t](const Tool& tool, const Json& input,
                             const PermissionDecision& decision) -> AskAnswer {
    Json call = {{"name", tool.name()}, {"input", input}};
    // The whole command or path, control characters visible, folded: nothing hidden.
    t.Write(ApprovalQuestion(call, decision.reason, t.width(), t.styled()));
    LineInput answer = t.ReadLine("  Allow? [y]es / [a]lways in this session / [n]o: ", true,
                                  /*remember=*/false);
    if (answer.kind == LineInput::Kind::kInterrupt) {
      g_interrupt.store(true);  // Ctrl-C at the question stops the turn
      return AskAnswer::kDeny;
    }
    if (answer.kind == LineInput::Kind::kEnd) return AskAnswer::kDeny;
    return ParseAskAnswer(answer.text);
  };
  McpApprovalAsker ask_mcp = [&t](const std::vector<McpServerConfig>& servers) {
    std::vector<std::string> approved;
    for (const auto& server : servers) {
      std::string what = server.transport == McpTransportKind::kStdio ? server.command : server.url;
      for (const auto& a : server.args) what += " " + a;
      t.Write(Styled(t.styled(), kYellow,
                     "New MCP server found in " + server.origin + ": " + server.name) +
              "\n  " + what + "\n");
      for (;;) {
        LineInput answer = t.ReadLine("  Use this MCP server? [y]es / [n]o: ", true,
                                      /*remember=*/false);
        if (answer.kind != LineInput::Kind::kLine) break;
        std::string a = ToLower(Trim(answer.text));
        if (a == "y" || a == "yes") approved.push_back(server.name);
        if (a == "y" || a == "yes" || a == "n" || a == "no") break;
      }
    }
    return approved;
  };
  auto session =
      BuildAgentSession(env, options, s, &g_interrupt, std::move(ask), std::move(ask_mcp));
  if (!session.ok()) {
    ShowError(t, session.error());
    return 1;
  }
  for (const std::string& w : s.warnings()) t.Write(Styled(t.styled(), kYellow, "! " + w) + "\n");
  for (const std::string& w : (*session)->warnings)
    t.Write(Styled(t.styled(), kYellow, "! " + w) + "\n");

  Repl repl(env, t, s, **session, &g_interrupt, &g_quit);
  int code = repl.Run(options.prompt);
  return g_quit.load() ? 128 + g_quit_signal.load() : code;
}

}  // namespace brock
