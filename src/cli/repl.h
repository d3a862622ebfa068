// Repl: the interactive terminal's conversation loop. Reads a message (a line; a line ending in
// "\" continues on the next), runs the agent on it with the conversation so far, shows the run
// through the terminal sink, and repeats. Slash commands:
//   /help            the commands
//   /login           sign in again (see relogin.h) and carry on with a turn that failed
//   /retry           run a failed or interrupted turn again
//   /clear           start a new conversation (a new session file)
//   /model [NAME]    show the model, or switch to NAME (an alias or a Bedrock model ID)
//   /cost            tokens and cost of this session
//   /status          model, region, authentication, working directory, session
//   /hooks           the configured hooks and where each came from
//   /exit, /quit     leave (so does Ctrl-D; Ctrl-C twice at an empty prompt)
// Ctrl-C during a turn stops it (the stream and any running tool); the conversation is kept.
// A turn that fails because credentials expired keeps the conversation and says how to sign in
// again; after /login it continues where it stopped, without restarting brock.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "agent/agent_events.h"
#include "base/env.h"
#include "base/json.h"
#include "cli/agent_session.h"
#include "cli/relogin.h"
#include "cli/session.h"
#include "ui/terminal.h"

namespace brock {

class Repl {
 public:
  // `interrupt` is set by SIGINT (and cleared here); the session's tools and requests watch it.
  // `quit` (SIGTERM, SIGHUP) ends the session once the running turn has stopped.
  Repl(Env& env, Terminal& terminal, Session& setup, AgentSession& session,
       std::atomic<bool>* interrupt, const std::atomic<bool>* quit);

  // Runs `first_prompt` (when not empty), then reads messages until the user leaves. Returns
  // the process exit code (0).
  int Run(const std::string& first_prompt);

  // The welcome lines: version, model, region, authentication, working directory.
  std::string Banner() const;

 private:
  // Runs one user message (or, with `resume`, the failed turn again).
  void RunTurn(const std::string& prompt, bool resume);
  // Handles "/name args"; false when the user wants to leave.
  bool Command(const std::string& line);
  void Login();
  void McpAuth(const std::string& args);  // "/mcp login NAME", "/mcp logout NAME"
  void SwitchModel(const std::string& name);
  void NewConversation();
  void Say(const std::string& text);  // a line of brock's own
  void Problem(const Error& e);       // an error and its fix

  Env& env_;
  Terminal& t_;
  Session& setup_;
  AgentSession& session_;
  std::atomic<bool>* interrupt_;
  const std::atomic<bool>* quit_;
  std::unique_ptr<AgentSink> sink_;
  std::vector<Message> history_;
  bool pending_ = false;  // the last turn failed; history_ ends with the user's side of it
  // Totals for /cost.
  Usage usage_;
  double cost_usd_ = 0;
  int turns_ = 0;
};

// The answer to a permission question typed by the user: "y"/"yes", "a"/"always", anything
// else (including nothing) is no.
AskAnswer ParseAskAnswer(std::string_view line);

}  // namespace brock
