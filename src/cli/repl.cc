#include "cli/repl.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "agent/agent_loop.h"
#include "base/error_codes.h"
#include "base/strings.h"
#include "bedrock/bedrock_errors.h"
#include "bedrock/model_resolver.h"
#include "bedrock/model_table.h"
#include "cli/hooks_listing.h"
#include "cli/version.h"
#include "ui/terminal_sink.h"

namespace brock {

namespace {

constexpr char kHelp[] =
    "Commands:\n"
    "  /login          sign in again (IAM Identity Center, awsAuthRefresh, or re-read ~/.aws)\n"
    "                  and carry on with a turn that failed\n"
    "  /retry          run a failed or interrupted turn again\n"
    "  /clear          start a new conversation\n"
    "  /model [NAME]   show the model, or switch (sonnet, opus, haiku, or a Bedrock model ID)\n"
    "  /cost           tokens and cost of this session\n"
    "  /status         model, region, authentication and session\n"
    "  /mcp            MCP servers: status, tools and prompts (/mcp__server__prompt runs one)\n"
    "  /mcp login NAME sign in to a remote MCP server (OAuth); /mcp logout NAME forgets it\n"
    "  /hooks          the configured hooks and the files they come from\n"
    "  /exit           leave (also Ctrl-D, or Ctrl-C twice)\n"
    "End a line with \\ to continue the message on the next line. Ctrl-C stops a running turn.\n";

std::string Money(double usd) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "$%.4f", usd);
  return buf;
}

}  // namespace

AskAnswer ParseAskAnswer(std::string_view line) {
  std::string a = ToLower(Trim(line));
  if (a == "y" || a == "yes") return AskAnswer::kAllowOnce;
  if (a == "a" || a == "always") return AskAnswer::kAllowAlways;
  return AskAnswer::kDeny;
}

Repl::Repl(Env& env, Terminal& terminal, Session& setup, AgentSession& session,
           std::atomic<bool>* interrupt, const std::atomic<bool>* quit)
    : env_(env),
      t_(terminal),
      setup_(setup),
      session_(session),
      interrupt_(interrupt),
      quit_(quit) {
  sink_ = MakeTerminalSink(t_);
  history_ = session_.history;
  // A resumed session that stopped on the user's side can be carried on with /retry.
  pending_ = !history_.empty() && history_.back().role == Role::kUser;
}

std::string Repl::Banner() const {
  const BedrockConnection& c = setup_.connection();
  bool s = t_.styled();
  std::string b =
      Styled(s, kBold, std::string("brock ") + kBrockVersion) + " · Claude on Amazon Bedrock\n";
  b += "  model   " + setup_.model().model_id +
       Styled(s, kDim, " (" + setup_.model().origin + ")") + "\n";
  b += "  region  " + c.region + Styled(s, kDim, " (" + c.region_origin + ")") + "\n";
  b += "  auth    " + c.auth_summary + "\n";
  b += "  cwd     " + session_.agent.session.cwd + "\n";
  if (!history_.empty()) {
    b += "  resumed session " + session_.agent.session.session_id + " (" +
         std::to_string(history_.size()) + " messages)\n";
  }
  b += Styled(s, kDim, "/help for commands · Ctrl-C stops a turn · Ctrl-D exits") + "\n";
  return b;
}

int Repl::Run(const std::string& first_prompt) {
  t_.Write(Banner());
  Agent(setup_.model_client(), env_, session_.agent, *sink_)
      .StartSession(history_.empty() ? "startup" : "resume");
  if (!first_prompt.empty()) {
    t_.Write(Styled(t_.styled(), kBold, "> ") + first_prompt + "\n");
    RunTurn(first_prompt, false);
  }
  bool exit_armed = false;  // Ctrl-C at an empty prompt once: a second one leaves
  for (;;) {
    if (quit_->load()) break;
    LineInput in = t_.ReadLine(Styled(t_.styled(), kBold, "> "));
    if (in.kind == LineInput::Kind::kEnd || quit_->load()) break;
    if (in.kind == LineInput::Kind::kInterrupt) {
      if (exit_armed) break;
      exit_armed = true;
      Say("(press Ctrl-C again to exit, or type /exit)");
      continue;
    }
    exit_armed = false;
    std::string text = in.text;
    while (!text.empty() && text.back() == '\\') {
      text.back() = '\n';
      LineInput more = t_.ReadLine("  ");
      if (more.kind != LineInput::Kind::kLine) break;
      text += more.text;
    }
    std::string trimmed(Trim(text));
    if (trimmed.empty()) continue;
    if (trimmed[0] == '/') {
      if (!Command(trimmed)) break;
      continue;
    }
    RunTurn(AttachMcpResources(session_.mcp.servers.get(), text), false);
  }
  Agent(setup_.model_client(), env_, session_.agent, *sink_)
      .EndSession(quit_->load() ? "other" : "prompt_input_exit");
  t_.Write("\n");
  Say("Session saved. Continue it with: brock -r " + session_.agent.session.session_id);
  return 0;
}

void Repl::RunTurn(const std::string& prompt, bool resume) {
  interrupt_->store(false);
  Agent agent(setup_.model_client(), env_, session_.agent, *sink_);
  RunResult r = resume ? agent.Resume(history_) : agent.Run(history_, prompt);
  history_ = agent.messages();
  interrupt_->store(false);
  usage_ += r.usage;
  cost_usd_ += r.total_cost_usd;
  turns_ += r.num_turns;
  pending_ = r.is_error && !history_.empty() && history_.back().role == Role::kUser;
  if (!r.is_error || !r.error) return;
  if (r.error->code == errc::kAgentInterrupted) {
    Say("The conversation is kept: type a message to go on, or /retry to run the turn again.");
  } else if (NeedsFreshLogin(*r.error)) {
    std::string hint = LoginHint(setup_);
    Say("Your conversation is kept. Type /login to sign in again" +
        (hint.empty() ? std::string() : " (or run `" + hint + "` elsewhere, then /retry)") +
        "; brock then carries on where it stopped.");
  } else if (pending_) {
    Say("Type /retry to try this turn again, or a new message.");
  }
}

bool Repl::Command(const std::string& line) {
  size_t space = line.find(' ');
  std::string name = line.substr(0, space);
  std::string args = space == std::string::npos ? "" : std::string(Trim(line.substr(space + 1)));
  if (name == "/exit" || name == "/quit") return false;
  if (name == "/help") {
    t_.Write(kHelp);
  } else if (name == "/login") {
    Login();
  } else if (name == "/retry") {
    if (pending_)
      RunTurn("", true);
    else
      Say("There is no failed turn to retry.");
  } else if (name == "/hooks") {
    t_.Write(HooksListing(setup_.settings()));
  } else if (name == "/clear") {
    NewConversation();
  } else if (name == "/model") {
    if (args.empty())
      Say("Model: " + setup_.model().model_id + " (" + setup_.model().origin + ")");
    else
      SwitchModel(args);
  } else if (name == "/cost") {
    Say("This session: " + std::to_string(turns_) + " model requests, " +
        std::to_string(usage_.input_tokens) + " input tokens, " +
        std::to_string(usage_.output_tokens) + " output tokens, " +
        std::to_string(usage_.cache_read_input_tokens) + " cache reads, " +
        std::to_string(usage_.cache_creation_input_tokens) + " cache writes; " + Money(cost_usd_));
  } else if (name == "/status") {
    t_.Write(Banner());
    Say("Session " + session_.agent.session.session_id + " · permission mode " +
        std::string(PermissionModeName(session_.permissions->mode())) +
        (session_.transcript ? " · transcript " + session_.transcript->path() : ""));
  } else if (name == "/mcp" && (StartsWith(args, "login ") || StartsWith(args, "logout "))) {
    McpAuth(args);
  } else if (name == "/mcp") {
    t_.Write(DescribeMcpServers(session_.mcp.servers.get()));
  } else if (auto prompt = ExpandMcpPromptCommand(session_.mcp.servers.get(), line)) {
    if (prompt->ok())
      RunTurn(prompt->value(), false);
    else
      Problem(prompt->error());
  } else {
    Say("Unknown command " + name + ". /help lists the commands.");
  }
  return true;
}

void Repl::McpAuth(const std::string& args) {
  bool login = StartsWith(args, "login ");
  std::string server(Trim(args.substr(args.find(' ') + 1)));
  Result<std::string> done = std::string();
  if (login) {
    Say("Signing in to MCP server " + server + "… (Ctrl-C cancels)");
    interrupt_->store(false);
    done = McpSessionLogin(
        env_, session_.mcp.servers.get(), server, [this](const std::string& line) { Say(line); },
        interrupt_);
    interrupt_->store(false);
  } else {
    done = McpSessionLogout(env_, session_.mcp.servers.get(), server);
  }
  if (done.ok()) {
    Say(*done);
  } else {
    Problem(done.error());
  }
}

void Repl::Login() {
  Say("Signing in again… (Ctrl-C cancels)");
  interrupt_->store(false);
  auto who = Relogin(
      env_, setup_, [this](std::string_view line) { Say(std::string(line)); }, interrupt_);
  interrupt_->store(false);
  if (!who.ok()) {
    Problem(who.error());
    return;
  }
  Say("Signed in (" + *who + ").");
  if (pending_) {
    Say("Carrying on where the conversation stopped…");
    RunTurn("", true);
  }
}

void Repl::SwitchModel(const std::string& name) {
  ModelRequest mr;
  mr.cli_model = name;
  mr.region = setup_.connection().region;
  auto choice = ResolveModel(env_, mr);
  if (!choice.ok()) {
    Problem(choice.error());
    return;
  }
  choice->origin = "/model";
  if (Status st = setup_.SetModel(std::move(choice).value()); !st.ok()) {
    Problem(st.error());
    return;
  }
  const ModelChoice& model = setup_.model();
  AgentOptions& a = session_.agent;
  a.model_id = model.model_id;
  a.session.model = model.model_id;
  std::erase(a.betas, std::string(kContext1mBeta));
  if (model.context_1m) a.betas.push_back(kContext1mBeta);
  Say("Model: " + model.model_id);
}

void Repl::NewConversation() {
  auto writer = TranscriptWriter::Create(env_, session_.agent.session.cwd, setup_.model().model_id);
  if (!writer.ok()) {
    Problem(writer.error());
    return;
  }
  // The agent's on_message callback points at this optional's storage, which emplace reuses.
  session_.transcript.emplace(std::move(writer).value());
  session_.agent.session.session_id = session_.transcript->session_id();
  history_.clear();
  pending_ = false;
  if (session_.hooks) {
    Agent(setup_.model_client(), env_, session_.agent, *sink_).EndSession("clear");
    HookSessionInfo info = session_.hooks->session();
    info.session_id = session_.agent.session.session_id;
    info.transcript_path = session_.transcript->path();
    session_.hooks->set_session(info);
    session_.hooks->TakePendingContext();
    Agent(setup_.model_client(), env_, session_.agent, *sink_).StartSession("clear");
  }
  Say("New conversation (session " + session_.agent.session.session_id + ").");
}

void Repl::Say(const std::string& text) { t_.Write(Styled(t_.styled(), kDim, text) + "\n"); }

void Repl::Problem(const Error& e) { ShowError(t_, e); }

}  // namespace brock
