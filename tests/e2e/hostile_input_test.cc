// Hostile input end to end (docs/security.md, "Hostile input"): files and tool calls built to
// crash, hang or trick brock get a clear, prompt refusal, and parse errors never echo a secret.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "e2e_harness.h"

namespace brock::e2e {
namespace {

const char kQuestion[] = "Which state is the Garden State?";
// Looks like an AWS secret key; must never appear in any output.
const char kLookalike[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiHOSTILEKEY01";

class HostileInputTest : public E2eTest {
 protected:
  void StartWithScript(const Json& rules) {
    WriteGuideSetup("dev");
    WriteFile("script.json", Json{{"rules", rules}}.dump(2));
    StartEmulator({"--script", root_ + "/script.json"});
  }
  static Json ToolUse(const std::string& name, const Json& input) {
    return Json::array({{{"type", "tool_use"}, {"name", name}, {"input", input}}});
  }
  void ExpectNotEchoed(const RunOutput& r, const std::string& secret) {
    EXPECT_EQ(r.out.find(secret), std::string::npos) << "echoed on stdout: " << r.out;
    EXPECT_EQ(r.err.find(secret), std::string::npos) << "echoed on stderr: " << r.err;
  }
};

TEST_F(HostileInputTest, SettingsNested100000DeepIsAClearErrorNotACrash) {
  WriteFile(home_ + "/.claude/settings.json",
            "{\"env\": {}, \"x\": " + std::string(100000, '[') + std::string(100000, ']') + "}");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_EQ(r.exit_code, 1) << "a clean failure, not a signal: " << r.err;
  EXPECT_NE(r.err.find(home_ + "/.claude/settings.json:1:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nested more than 256 levels"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("fix"), std::string::npos) << r.err;
  EXPECT_TRUE(emulator_.Requests().empty());
}

TEST_F(HostileInputTest, MalformedSettingsDoNotEchoASecretLookingValue) {
  StartEmulator();
  for (const std::string& text : {
           std::string("{\"env\": {\"AWS_SECRET_ACCESS_KEY\": ") + kLookalike + "}}",
           std::string("{\"env\": {\"AWS_SECRET_ACCESS_KEY\": \"") + kLookalike,
           std::string("{\"env\": {\"AWS_SECRET_ACCESS_KEY\": \"") + kLookalike + "\n\"}}",
       }) {
    WriteFile(home_ + "/.claude/settings.json", text);
    RunOutput r = RunBrock({"-p", kQuestion});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find(home_ + "/.claude/settings.json:"), std::string::npos) << r.err;
    ExpectNotEchoed(r, kLookalike);
    ExpectNotEchoed(r, "wJalrXUtnFEMI");
  }
}

TEST_F(HostileInputTest, BadCredentialsLineDoesNotEchoTheSecret) {
  WriteGuideSetup("dev");
  WriteFile(home_ + "/.aws/credentials",
            std::string("[dev]\naws_access_key_id = AKIDEXAMPLE\n") + kLookalike + "\n");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find(home_ + "/.aws/credentials:3:1:"), std::string::npos) << r.err;
  ExpectNotEchoed(r, "wJalrXUtnFEMI");
}

TEST_F(HostileInputTest, TruncatedSsoCacheDoesNotEchoTheToken) {
  const std::string token = "aoaHOSTILEaccessTOKENvalue0123456789abcdefABCDEF";
  std::string cache = WriteSsoSetup(token, "2099-01-01T00:00:00Z", "refresh-token-value");
  std::string full = ReadAll(cache);
  size_t cut = full.find(token);
  ASSERT_NE(cut, std::string::npos);
  WriteFile(cache, full.substr(0, cut + token.size() / 2));  // ends inside the token's string
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion}, SsoEndpoints());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find(cache + ":"), std::string::npos) << r.err;
  ExpectNotEchoed(r, token.substr(0, 12));
}

// Read of a FIFO (nobody writing) or of a symlink to /dev/zero: refused at once, and the run
// goes on.
TEST_F(HostileInputTest, ReadOfAFifoOrDevZeroIsRefusedPromptly) {
  ASSERT_EQ(::mkfifo((project_ + "/pipe.txt").c_str(), 0600), 0);
  ASSERT_EQ(::symlink("/dev/zero", (project_ + "/zero.txt").c_str()), 0);
  StartWithScript(Json::array({
      {{"match", {{"contains", "read the pipe"}}},
       {"content", ToolUse("Read", {{"file_path", project_ + "/pipe.txt"}})}},
      {{"match", {{"contains", "read zero"}}},
       {"content", ToolUse("Read", {{"file_path", project_ + "/zero.txt"}})}},
      {{"match", {{"tool_result_contains", "not a regular file"}}},
       {"text", "Refused, as it should be."}},
  }));
  for (const char* prompt : {"please read the pipe", "please read zero"}) {
    auto start = std::chrono::steady_clock::now();
    // /dev/zero is outside the project: --add-dir lets the Read reach the open, which refuses it.
    RunOutput r = RunBrock({"-p", prompt, "--output-format", "json", "--add-dir", "/dev"});
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    Json j = Json::parse(r.out, nullptr, false);
    EXPECT_EQ(j["result"], "Refused, as it should be.") << r.out;
  }
}

// "./.env\0.txt" would pass a rule on ".txt" files and then open .env: refused before any rule.
TEST_F(HostileInputTest, PathWithANulByteIsRefused) {
  WriteFile(project_ + "/.env", "TOKEN=do-not-leak-this-value\n");
  WriteFile(project_ + "/.claude/settings.json",
            R"json({"permissions": {"deny": ["Read(./.env)"]}})json");
  StartWithScript(Json::array({
      {{"match", {{"contains", "read the env"}}},
       {"content", ToolUse("Read", {{"file_path", std::string("./.env\0.txt", 11)}})}},
      {{"match", {{"tool_result_contains", "NUL byte"}}}, {"text", "That path was refused."}},
  }));
  RunOutput r = RunBrock({"-p", "please read the env file", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  Json j = Json::parse(r.out, nullptr, false);
  EXPECT_EQ(j["result"], "That path was refused.") << r.out;
  for (const Json& req : emulator_.Requests()) {
    EXPECT_EQ(req.dump().find("do-not-leak-this-value"), std::string::npos);
  }
}

}  // namespace
}  // namespace brock::e2e
