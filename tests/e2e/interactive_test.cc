// The interactive terminal end to end: the real brock on a pseudo-terminal, typed at like a user
// would, against the emulator. A conversation that keeps its context, approval questions, Ctrl-C
// stopping a running tool, an MFA code asked for, and a session whose SSO login ran out being
// signed in again and carried on without restarting.
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "base/crypto.h"
#include "e2e_harness.h"
#include "pty_session.h"

namespace brock::e2e {
namespace {

class InteractiveTest : public E2eTest {
 protected:
  void StartBrock(std::vector<std::string> args = {}, std::map<std::string, std::string> env = {}) {
    std::vector<std::string> argv = {BROCK_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    env.emplace("TERM", "xterm-256color");
    pty_.Start(argv, BrockEnv(env), project_);
  }
  void StartWithScript(const Json& rules) {
    WriteGuideSetup("dev");
    WriteFile("script.json", Json{{"rules", rules}}.dump(2));
    StartEmulator({"--script", root_ + "/script.json"});
  }
  static Json ToolUse(const std::string& name, const Json& input) {
    return Json::array({{{"type", "tool_use"}, {"name", name}, {"input", input}}});
  }
  PtySession pty_;
};

TEST_F(InteractiveTest, ConversationKeepsItsContextAndExitsCleanly) {
  WriteGuideSetup("dev");
  StartEmulator();
  StartBrock();
  ASSERT_TRUE(pty_.Expect("Claude on Amazon Bedrock"));
  ASSERT_TRUE(pty_.Expect("region  us-east-1"));
  ASSERT_TRUE(pty_.Expect("> "));
  pty_.SendLine("Which state is the Garden State?");
  ASSERT_TRUE(pty_.Expect("New Jersey is known as the Garden State."));
  ASSERT_TRUE(pty_.Expect("> "));
  pty_.SendLine("and what is its capital?");
  ASSERT_TRUE(pty_.Expect("Emulator reply to: and what is its capital?"));
  pty_.SendLine("/cost");
  ASSERT_TRUE(pty_.Expect("2 model requests"));
  pty_.SendLine("/exit");
  ASSERT_TRUE(pty_.Expect("brock -r "));
  EXPECT_EQ(pty_.Wait(), 0);

  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 2u);
  Json second = Body(reqs[1]);
  ASSERT_EQ(second["messages"].size(), 3u) << "the first exchange is sent with the second question";
  EXPECT_NE(second["messages"][1].dump().find("New Jersey"), std::string::npos);
  EXPECT_NE(pty_.raw().find("\x1b["), std::string::npos) << "a terminal gets colours";
}

TEST_F(InteractiveTest, NoColorMeansPlainText) {
  WriteGuideSetup("dev");
  StartEmulator();
  StartBrock({}, {{"NO_COLOR", "1"}});
  ASSERT_TRUE(pty_.Expect("> "));
  pty_.SendEof();
  EXPECT_EQ(pty_.Wait(), 0);
  EXPECT_EQ(pty_.raw().find("\x1b["), std::string::npos) << pty_.raw();
}

TEST_F(InteractiveTest, FirstPromptFromTheCommandLineAndResumeWithContinue) {
  WriteGuideSetup("dev");
  StartEmulator();
  StartBrock({"Which state is the Garden State?"});
  ASSERT_TRUE(pty_.Expect("New Jersey"));
  pty_.SendEof();
  EXPECT_EQ(pty_.Wait(), 0);

  PtySession again;
  std::vector<std::string> argv = {BROCK_BIN, "-c"};
  again.Start(argv, BrockEnv({{"TERM", "dumb"}}), project_);
  ASSERT_TRUE(again.Expect("resumed session"));
  again.SendLine("one more");
  ASSERT_TRUE(again.Expect("Emulator reply to: one more"));
  again.SendLine("/quit");
  EXPECT_EQ(again.Wait(), 0);
  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(Body(reqs[1])["messages"].size(), 3u);
}

TEST_F(InteractiveTest, ApprovalQuestionsAllowOnceAlwaysAndNo) {
  StartWithScript(Json::array({
      {{"name", "make"},
       {"match", {{"contains", "make the file"}}},
       {"content", ToolUse("Bash", {{"command", "touch made.txt"}, {"description", "make it"}})}},
      {{"name", "made"},
       {"match", {{"tool_result_contains", ""}}},
       {"times", 1},
       {"text", "Done making."}},
      {{"name", "remove"},
       {"match", {{"contains", "remove it"}}},
       {"content", ToolUse("Bash", {{"command", "rm made.txt"}, {"description", "remove it"}})}},
      {{"name", "refused"},
       {"match", {{"tool_result_contains", "did not allow"}}},
       {"text", "Left it alone."}},
      {{"name", "made-again"},
       {"match", {{"tool_result_contains", ""}}},
       {"text", "Made it again."}},
  }));
  StartBrock();
  ASSERT_TRUE(pty_.Expect("> "));
  pty_.SendLine("please make the file");
  ASSERT_TRUE(pty_.Expect("Bash(touch made.txt)"));
  ASSERT_TRUE(pty_.Expect("needs approval"));
  ASSERT_TRUE(pty_.Expect("Allow?"));
  pty_.SendLine("y");
  ASSERT_TRUE(pty_.Expect("Done making."));
  struct stat made;
  EXPECT_EQ(stat((project_ + "/made.txt").c_str(), &made), 0) << "an allowed command runs";

  pty_.SendLine("now remove it");
  ASSERT_TRUE(pty_.Expect("Allow?"));
  pty_.SendLine("n");
  ASSERT_TRUE(pty_.Expect("Left it alone."));
  struct stat st;
  EXPECT_EQ(stat((project_ + "/made.txt").c_str(), &st), 0) << "a refused command does not run";

  // "always": the same command runs again later in the session without a question.
  pty_.SendLine("make the file again");
  ASSERT_TRUE(pty_.Expect("Allow?"));
  pty_.SendLine("a");
  ASSERT_TRUE(pty_.Expect("Made it again."));
  pty_.SendLine("make the file once more");
  ASSERT_TRUE(pty_.Expect("Made it again."));
  EXPECT_EQ(pty_.Output().find("Allow?", pty_.Output().rfind("once more")), std::string::npos)
      << "no question after \"always\"";
  pty_.SendEof();
  EXPECT_EQ(pty_.Wait(), 0);
}

TEST_F(InteractiveTest, CtrlCStopsARunningToolAndTheConversationGoesOn) {
  StartWithScript(Json::array({
      {{"name", "wait"},
       {"match", {{"contains", "wait for it"}}},
       {"content",
        ToolUse("Bash", {{"command", "sleep 30; echo late > late.txt"}, {"description", "wait"}})}},
      {{"name", "after"}, {"match", {{"contains", "carry on"}}}, {"text", "Carrying on."}},
  }));
  StartBrock({"--allowedTools", "Bash(sleep:*)", "--permission-mode", "bypassPermissions"});
  ASSERT_TRUE(pty_.Expect("> "));
  pty_.SendLine("wait for it");
  ASSERT_TRUE(pty_.Expect("Bash(sleep 30"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto pressed = std::chrono::steady_clock::now();
  pty_.SendInterrupt();
  ASSERT_TRUE(pty_.Expect("Interrupted.", 10));
  EXPECT_LT(std::chrono::steady_clock::now() - pressed, std::chrono::seconds(10));
  ASSERT_TRUE(pty_.Expect("conversation is kept"));
  pty_.SendLine("carry on");
  ASSERT_TRUE(pty_.Expect("Carrying on."));
  pty_.SendLine("/exit");
  EXPECT_EQ(pty_.Wait(), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  struct stat st;
  EXPECT_NE(stat((project_ + "/late.txt").c_str(), &st), 0) << "the interrupted command was killed";

  // The request after the interrupt answers the tool call with a result, as the API requires.
  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 2u);
  Json messages = Body(reqs[1])["messages"];
  ASSERT_EQ(messages.size(), 3u) << messages.dump();
  EXPECT_EQ(messages[1]["content"][0]["type"], "tool_use");
  EXPECT_EQ(messages[2]["content"][0]["type"], "tool_result");
  EXPECT_NE(messages[2].dump().find("carry on"), std::string::npos);
}

TEST_F(InteractiveTest, SigtermStopsTheTurnKeepsTheTranscriptAndLeaves) {
  StartWithScript(Json::array({
      {{"name", "wait"},
       {"match", {{"contains", "wait for it"}}},
       {"content",
        ToolUse("Bash", {{"command", "sleep 30; echo late > late.txt"}, {"description", "wait"}})}},
      {{"name", "after"}, {"match", {{"contains", "go on"}}}, {"text", "Going on."}},
  }));
  StartBrock({"--permission-mode", "bypassPermissions"});
  ASSERT_TRUE(pty_.Expect("> "));
  pty_.SendLine("wait for it");
  ASSERT_TRUE(pty_.Expect("Bash(sleep 30"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto sent = std::chrono::steady_clock::now();
  pty_.Signal(SIGTERM);
  EXPECT_EQ(pty_.Wait(10), 128 + SIGTERM);
  EXPECT_LT(std::chrono::steady_clock::now() - sent, std::chrono::seconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  struct stat st;
  EXPECT_NE(stat((project_ + "/late.txt").c_str(), &st), 0) << "the running command was stopped";

  // The session continues in print mode with a valid conversation.
  RunOutput r = RunBrock({"-c", "-p", "go on"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Going on."), std::string::npos);
  Json messages = Body(BedrockRequests(emulator_.Requests()).back())["messages"];
  ASSERT_EQ(messages.size(), 3u) << messages.dump();
  EXPECT_EQ(messages[2]["content"][0]["type"], "tool_result");
}

TEST_F(InteractiveTest, SetupErrorsAreShownWithTheirFixBeforeAnyRequest) {
  WriteFile(home_ + "/.claude/settings.json",
            R"({"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_PROFILE": "dev"}})");
  WriteFile(home_ + "/.aws/credentials", std::string("[dev]\naws_access_key_id = ") + kKeyId +
                                             "\naws_secret_access_key = " + kSecret + "\n");
  StartEmulator();
  StartBrock();
  ASSERT_TRUE(pty_.Expect("Error: "));
  ASSERT_TRUE(pty_.Expect("AWS_REGION"));
  ASSERT_TRUE(pty_.Expect("fix: "));
  EXPECT_EQ(pty_.Wait(), 1);
  EXPECT_TRUE(emulator_.Requests().empty());
  EXPECT_EQ(pty_.Output().find(kSecret), std::string::npos);
}

TEST_F(InteractiveTest, WithoutATerminalItPointsAtPrintMode) {
  WriteGuideSetup("dev");
  RunOutput r = RunBrock({}, {}, "hello\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("needs a terminal"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("brock -p"), std::string::npos) << r.err;
}

TEST_F(InteractiveTest, RoleWithMfaAsksForTheCode) {
  WriteFile(
      home_ + "/.claude/settings.json",
      R"({"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "AWS_PROFILE": "admin"}})");
  WriteFile(home_ + "/.aws/config",
            "[profile base]\nregion = us-east-1\n\n"
            "[profile admin]\nrole_arn = "
            "arn:aws:iam::111122223333:role/BedrockAdmin\nsource_profile = base\n"
            "mfa_serial = arn:aws:iam::111122223333:mfa/jane\n");
  WriteFile(home_ + "/.aws/credentials", std::string("[base]\naws_access_key_id = ") + kKeyId +
                                             "\naws_secret_access_key = " + kSecret + "\n");
  StartEmulator();
  StartBrock({}, {{"AWS_ENDPOINT_URL_STS", emulator_.url()}});
  ASSERT_TRUE(pty_.Expect("> "));
  pty_.SendLine("Which state is the Garden State?");
  ASSERT_TRUE(pty_.Expect("MFA code for arn:aws:iam::111122223333:mfa/jane (profile admin): "));
  pty_.SendLine("123456");
  ASSERT_TRUE(pty_.Expect("New Jersey"));
  pty_.SendEof();
  EXPECT_EQ(pty_.Wait(), 0);
  bool saw_code = false;
  for (const Json& r : emulator_.Requests()) {
    std::string body = r.value("body", "");
    if (body.find("Action=AssumeRole") != std::string::npos) {
      EXPECT_NE(body.find("SerialNumber=arn%3Aaws%3Aiam%3A%3A111122223333%3Amfa%2Fjane"),
                std::string::npos)
          << body;
      saw_code = body.find("TokenCode=123456") != std::string::npos;
    }
  }
  EXPECT_TRUE(saw_code) << "AssumeRole carried the code the user typed";
}

// The text of the last user message of a Bedrock request body.
std::string LastUserText(const Json& body) {
  const Json& content = body["messages"].back()["content"];
  if (content.is_string()) return content.get<std::string>();
  std::string text;
  for (const Json& block : content) text += block.value("text", "");
  return text;
}

TEST_F(InteractiveTest, UpRecallsAnEarlierMessageToEditAndSend) {
  WriteGuideSetup("dev");
  StartEmulator();
  StartBrock();
  ASSERT_TRUE(pty_.Expect("> "));
  pty_.SendLine("Which state is the Garden State?");
  ASSERT_TRUE(pty_.Expect("New Jersey is known as the Garden State."));
  ASSERT_TRUE(pty_.Expect("> "));
  pty_.SendLine("caf\xc3\xa9 \xe2\x98\x95");  // café ☕
  ASSERT_TRUE(pty_.Expect("Emulator reply to: caf\xc3\xa9 \xe2\x98\x95"));
  ASSERT_TRUE(pty_.Expect("> "));

  // Up twice, with the escape sequence split across writes as a slow link delivers it; then Left
  // (before the "?") and insert.
  pty_.Type("\x1b");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  pty_.Type("[A");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  pty_.Type("\x1b[A\x1b[D");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  pty_.SendLine(" now");
  ASSERT_TRUE(pty_.Expect("Which state is the Garden State now?"));
  // Keys typed while a turn runs go through the kernel's line discipline (the terminal is not in
  // raw mode then), so wait for the answer and the prompt before pressing cursor keys.
  ASSERT_TRUE(pty_.Expect("New Jersey is known as the Garden State."));
  ASSERT_TRUE(pty_.Expect("> "));

  // Up once brings the line just sent; Up again the café one. Left over the cup and the space,
  // Backspace removes the two-byte é as one character.
  pty_.Type("\x1b[A\x1b[A\x1b[D\x1b[D\x7f");
  pty_.SendLine("e");
  ASSERT_TRUE(pty_.Expect("Emulator reply to: cafe \xe2\x98\x95"));
  ASSERT_TRUE(pty_.Expect("> "));
  pty_.SendEof();
  EXPECT_EQ(pty_.Wait(), 0);

  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 4u);
  EXPECT_EQ(LastUserText(Body(reqs[0])), "Which state is the Garden State?");
  EXPECT_EQ(LastUserText(Body(reqs[1])), "caf\xc3\xa9 \xe2\x98\x95");
  EXPECT_EQ(LastUserText(Body(reqs[2])), "Which state is the Garden State now?");
  EXPECT_EQ(LastUserText(Body(reqs[3])), "cafe \xe2\x98\x95");
  EXPECT_NE(pty_.raw().find("\x1b[K"), std::string::npos) << "edits redraw the line";
}

TEST_F(InteractiveTest, KillKeysAndAPasteOfSeveralLines) {
  WriteGuideSetup("dev");
  StartEmulator();
  StartBrock();
  ASSERT_TRUE(pty_.Expect("> "));
  // Ctrl-U drops what was typed, Ctrl-W the word before the cursor, Home/Ctrl-K the rest.
  pty_.Type("throw this away\x15keep this\x17that");
  pty_.Type("\x1b[Hdraft: \x05 tail\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x0b");
  pty_.SendLine("");
  ASSERT_TRUE(pty_.Expect("Emulator reply to: draft: keep that"));
  ASSERT_TRUE(pty_.Expect("> "));
  // A paste of two lines, the first ending in "\", is one message of two lines.
  pty_.Type("first line\\\rsecond line\r");
  ASSERT_TRUE(pty_.Expect("second line"));
  ASSERT_TRUE(pty_.Expect("> "));
  pty_.SendLine("/exit");
  EXPECT_EQ(pty_.Wait(), 0);

  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(LastUserText(Body(reqs[0])), "draft: keep that");
  EXPECT_EQ(LastUserText(Body(reqs[1])), "first line\nsecond line");
}

class InteractiveSsoTest : public InteractiveTest {
 protected:
  // An SSO profile whose cached access token expires `seconds_left` from now and whose refresh
  // token the emulator does not know: once it runs out, only a new sign-in helps.
  void WriteSsoSetup(int seconds_left) {
    auto expires = std::chrono::system_clock::now() + std::chrono::seconds(seconds_left);
    std::time_t t = std::chrono::system_clock::to_time_t(expires);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    cache_path_ = E2eTest::WriteSsoSetup("sso-access-token-e2e-0000000001", when,
                                         "refresh-token-the-emulator-does-not-know");
  }
  std::string cache_path_;
};

TEST_F(InteractiveSsoTest, LoginRunsOutMidConversationSignInAgainAndCarryOn) {
  // The cached token has 4 seconds left: good for the first question (its refresh fails, but a
  // token that is still valid is used). By the second it has expired and the refresh token is
  // dead, so only a new sign-in helps.
  WriteSsoSetup(4);
  StartEmulator(
      {"--sso-access-token", "sso-access-token-e2e-0000000001", "--sso-credentials-seconds", "2"});
  StartBrock({}, SsoEndpoints());
  ASSERT_TRUE(pty_.Expect("> "));
  pty_.SendLine("Which state is the Garden State?");
  ASSERT_TRUE(pty_.Expect("New Jersey"));
  ASSERT_TRUE(pty_.Expect("> "));
  std::this_thread::sleep_for(std::chrono::seconds(5));  // token and role credentials run out

  pty_.SendLine("and its capital?");
  ASSERT_TRUE(pty_.Expect("Error: "));
  ASSERT_TRUE(pty_.Expect("conversation is kept. Type /login"));
  ASSERT_TRUE(pty_.Expect("brock login --profile ui-dev"));
  ASSERT_TRUE(pty_.Expect("> "));
  pty_.SendLine("/login");
  ASSERT_TRUE(pty_.Expect("code", 10));
  ASSERT_TRUE(pty_.Expect("Signed in", 30));
  ASSERT_TRUE(pty_.Expect("Emulator reply to: and its capital?", 20))
      << "the failed turn carries on";
  ASSERT_TRUE(pty_.Expect("> "));
  pty_.SendLine("thanks");
  ASSERT_TRUE(pty_.Expect("Emulator reply to: thanks"));
  pty_.SendEof();
  EXPECT_EQ(pty_.Wait(), 0);

  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 3u) << "no Bedrock request while signed out";
  Json last = Body(reqs[2])["messages"];
  ASSERT_EQ(last.size(), 5u) << last.dump();
  EXPECT_EQ(last[2].dump().find("and its capital?") != std::string::npos, true);
  EXPECT_EQ(last[2]["content"].size(), 1u) << "the question is sent once, not repeated";
  Json cache = Json::parse(ReadAll(cache_path_), nullptr, false);
  EXPECT_NE(cache.value("accessToken", ""), "sso-access-token-e2e-0000000001")
      << "new login cached";
  for (const std::string& secret :
       {std::string("client-secret-e2e-0000000000"), cache.value("accessToken", "x")}) {
    EXPECT_EQ(pty_.Output().find(secret), std::string::npos) << "no secret on the terminal";
  }
}

}  // namespace
}  // namespace brock::e2e
