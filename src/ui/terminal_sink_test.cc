#include "ui/terminal_sink.h"

#include <gtest/gtest.h>
#include <pty.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "base/secrets.h"

namespace brock {
namespace {

class FakeTerminal : public Terminal {
 public:
  LineInput ReadLine(std::string_view, bool, bool) override { return {LineInput::Kind::kEnd, {}}; }
  void Write(std::string_view text) override { out += ScrubSecrets(text); }
  bool styled() const override { return styled_; }
  int width() const override { return 60; }
  std::string out;
  bool styled_ = false;
};

Json ToolUse(const std::string& name, const Json& input) {
  return {{"type", "tool_use"}, {"id", "t1"}, {"name", name}, {"input", input}};
}

TEST(DescribeToolCall, NamesTheToolAndItsMainArgument) {
  EXPECT_EQ(DescribeToolCall(ToolUse("Bash", {{"command", "npm test"}}), 80), "Bash(npm test)");
  EXPECT_EQ(DescribeToolCall(ToolUse("Read", {{"file_path", "/p/a.cc"}, {"limit", 5}}), 80),
            "Read(/p/a.cc)");
  EXPECT_EQ(DescribeToolCall(ToolUse("Grep", {{"pattern", "TODO"}, {"path", "src"}}), 80),
            "Grep(TODO)");
  EXPECT_EQ(DescribeToolCall(ToolUse("TodoWrite", {{"todos", Json::array({1, 2})}}), 80),
            "TodoWrite(2 items)");
  EXPECT_EQ(DescribeToolCall(ToolUse("Bash", {{"command", "a\nb"}}), 80), "Bash(a b)")
      << "one line";
}

TEST(DescribeToolCall, ControlCharactersAreMadeVisible) {
  EXPECT_EQ(DescribeToolCall(ToolUse("Bash", {{"command", "rm x\r\x1b[2Kls"}}), 80),
            "Bash(rm x\\r\\e[2Kls)");
}

TEST(DescribeToolCall, LongArgumentsAreCutWithAnEllipsis) {
  std::string d = DescribeToolCall(ToolUse("Bash", {{"command", std::string(200, 'x')}}), 30);
  EXPECT_LE(d.size(), 30u + 2);  // "…" is three bytes for one column
  EXPECT_EQ(d.substr(0, 5), "Bash(");
  EXPECT_NE(d.find("…)"), std::string::npos);
}

TEST(TerminalSink, ThinkingIsShownDimmedBeforeTheReply) {
  FakeTerminal t;
  t.styled_ = true;
  auto sink = MakeTerminalSink(t);
  sink->OnThinkingDelta("Considering the files");
  sink->OnTextDelta("Here they are.");
  EXPECT_NE(t.out.find("\x1b[2m✻ Thinking…"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("\x1b[2mConsidering the files"), std::string::npos) << t.out;
  size_t thinking = t.out.find("Considering the files");
  size_t reply = t.out.find("Here they are.");
  ASSERT_NE(reply, std::string::npos);
  EXPECT_LT(thinking, reply);
  // The reply itself is not dimmed.
  EXPECT_EQ(t.out.substr(reply - 1, 1), "\n");

  FakeTerminal plain;
  auto plain_sink = MakeTerminalSink(plain);
  plain_sink->OnThinkingDelta("hmm");
  plain_sink->OnTextDelta("ok");
  EXPECT_EQ(plain.out.find('\x1b'), std::string::npos) << "no escapes when unstyled";
  EXPECT_NE(plain.out.find("hmm"), std::string::npos);
}

TEST(TerminalSink, StreamsTextThenToolCallsAndResultSummaries) {
  FakeTerminal t;
  auto sink = MakeTerminalSink(t);
  sink->OnTextDelta("Let me look");
  sink->OnTextDelta(".");
  Json assistant = {{"role", "assistant"},
                    {"content", Json::array({{{"type", "text"}, {"text", "Let me look."}},
                                             ToolUse("Bash", {{"command", "ls"}})})}};
  ModelReply reply;
  reply.message = MessageFromJson(assistant);
  sink->OnAssistantMessage(reply);
  sink->OnUserMessage(
      MessageFromJson({{"role", "user"},
                       {"content", Json::array({{{"type", "tool_result"},
                                                 {"tool_use_id", "t1"},
                                                 {"content", "a.txt\nb.txt\nc.txt\n"}}})}}));
  sink->OnUserMessage(MessageFromJson({{"role", "user"},
                                       {"content", Json::array({{{"type", "tool_result"},
                                                                 {"tool_use_id", "t2"},
                                                                 {"content", "No such file\nmore"},
                                                                 {"is_error", true}}})}}));
  RunResult ok;
  sink->OnResult(ok);
  EXPECT_EQ(t.out,
            "Let me look.\n"
            "● Bash(ls)\n"
            "  ⎿  a.txt (+2 lines)\n"
            "  ⎿  No such file\n");
}

TEST(TerminalSink, FailedRunShowsErrorAndFixInterruptedRunDoesNot) {
  FakeTerminal t;
  auto sink = MakeTerminalSink(t);
  RunResult failed;
  failed.is_error = true;
  failed.error =
      MakeError("sso.login_required", "the SSO session expired", "run: brock login --profile x");
  sink->OnResult(failed);
  EXPECT_EQ(t.out, "Error: the SSO session expired\n  fix: run: brock login --profile x\n");
  t.out.clear();
  RunResult interrupted;
  interrupted.is_error = true;
  interrupted.error = MakeError("agent.interrupted", "interrupted by the user", "run brock -c");
  sink->OnResult(interrupted);
  EXPECT_EQ(t.out, "Interrupted.\n");
}

TEST(TerminalSink, StyledTerminalGetsColoursPlainOneDoesNot) {
  FakeTerminal plain, styled;
  styled.styled_ = true;
  for (FakeTerminal* t : {&plain, &styled}) {
    auto sink = MakeTerminalSink(*t);
    sink->OnWarning("careful");
  }
  EXPECT_EQ(plain.out, "! careful\n");
  EXPECT_EQ(styled.out, "\x1b[33m! careful\x1b[0m\n");
}

TEST(TerminalSink, SecretsInStreamedTextAreScrubbed) {
  RegisterSecret("terminal-secret-value-000111");
  FakeTerminal t;
  auto sink = MakeTerminalSink(t);
  sink->OnTextDelta("key terminal-secret");
  sink->OnTextDelta("-value-000111 done");
  sink->OnResult(RunResult{});
  EXPECT_EQ(t.out, "key [REDACTED] done\n");
}

TEST(WantsStyle, OnlyForARealTerminalWithoutNoColorOrDumbTerm) {
  int master = -1, slave = -1;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  EXPECT_TRUE(WantsStyle(slave, nullptr, "xterm-256color"));
  EXPECT_TRUE(WantsStyle(slave, "", "xterm")) << "an empty NO_COLOR does not count";
  EXPECT_FALSE(WantsStyle(slave, "1", "xterm"));
  EXPECT_FALSE(WantsStyle(slave, nullptr, "dumb"));
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  EXPECT_FALSE(WantsStyle(pipe_fds[1], nullptr, "xterm")) << "not a terminal";
  for (int fd : {master, slave, pipe_fds[0], pipe_fds[1]}) close(fd);
}

}  // namespace
}  // namespace brock
