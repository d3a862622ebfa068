// Permission semantics end to end: the real brock against the emulator, with a model that tries
// what the security review tried. A file a Read rule hides never reaches a request body, a
// symlink inside the project does not open ~/.ssh, `rm -rf .` asks even in bypassPermissions,
// built-in read-only commands run without a rule, and the credentials brock uses are not in a
// Bash command's environment.
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "e2e_harness.h"

namespace brock::e2e {
namespace {

class PermissionSemanticsTest : public E2eTest {
 protected:
  void StartWithScript(const Json& rules, std::vector<std::string> extra = {}) {
    WriteFile("script.json", Json{{"rules", rules}}.dump(2));
    extra.insert(extra.begin(), {"--script", root_ + "/script.json"});
    StartEmulator(extra);
  }
  static Json ToolUse(const std::string& name, const Json& input) {
    return Json::array({{{"type", "tool_use"}, {"name", name}, {"input", input}}});
  }
  // True when any request the emulator received carries `text` in its body (headers carry
  // credentials by design: a SigV4 session token, a bearer token).
  bool AnyRequestContains(const std::string& text) const {
    for (const Json& r : emulator_.Requests()) {
      if (Body(r).dump().find(text) != std::string::npos) return true;
    }
    return false;
  }
  // One scripted tool call, then a closing answer whatever the result.
  Json OneCall(const std::string& trigger, const std::string& tool, const Json& input) {
    return Json::array({
        {{"match", {{"contains", trigger}}}, {"content", ToolUse(tool, input)}},
        {{"match", {{"tool_result_contains", ""}}}, {"text", "Finished."}},
    });
  }
};

TEST_F(PermissionSemanticsTest, GrepWithEnvGlobNeverSendsADeniedEnvFile) {
  WriteGuideSetup("dev");
  WriteFile(project_ + "/.env", "SECRET_TOKEN=hunter2-e2e-leak-canary\n");
  WriteFile(project_ + "/config/.env", "SECRET_TOKEN=nested-e2e-leak-canary\n");
  WriteFile(project_ + "/app.py", "SECRET_TOKEN = os.environ['SECRET_TOKEN']\n");
  StartWithScript(OneCall("search", "Grep",
                          {{"pattern", "SECRET_TOKEN"},
                           {"glob", ".env"},
                           {"output_mode", "content"},
                           {"path", project_}}));
  RunOutput r = RunBrock(
      {"-p", "search the secrets", "--output-format", "json", "--disallowedTools", "Read(.env)"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(Json::parse(r.out)["result"], "Finished.");
  EXPECT_FALSE(AnyRequestContains("hunter2-e2e-leak-canary")) << "a denied .env reached Bedrock";
  EXPECT_FALSE(AnyRequestContains("nested-e2e-leak-canary")) << "a denied .env reached Bedrock";
}

TEST_F(PermissionSemanticsTest, GlobAndLsDoNotListDeniedFiles) {
  WriteGuideSetup("dev");
  WriteFile(project_ + "/.env", "x\n");
  WriteFile(project_ + "/secrets/prod-db-password-canary.txt", "x\n");
  WriteFile(project_ + "/src/main.cc", "int main() {}\n");
  StartWithScript(Json::array({
      {{"match", {{"contains", "list"}}}, {"content", ToolUse("Glob", {{"pattern", "**/*"}})}},
      {{"match", {{"tool_result_contains", "main.cc"}}},
       {"times", 1},
       {"content", ToolUse("LS", {{"path", project_}})}},
      {{"match", {{"tool_result_contains", ""}}}, {"text", "Finished."}},
  }));
  RunOutput r = RunBrock({"-p", "list the files", "--output-format", "json", "--disallowedTools",
                          "Read(./secrets/**)"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(Json::parse(r.out)["result"], "Finished.");
  EXPECT_FALSE(AnyRequestContains("prod-db-password-canary"));
}

TEST_F(PermissionSemanticsTest, GlobWithAnAbsolutePatternFromRootAsks) {
  WriteGuideSetup("dev");
  StartWithScript(OneCall("find", "Glob", {{"pattern", "/etc/**/passwd"}}));
  RunOutput r = RunBrock({"-p", "find passwd files", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  Json j = Json::parse(r.out);
  ASSERT_EQ(j["permission_denials"].size(), 1u) << j.dump();
  EXPECT_EQ(j["permission_denials"][0]["tool_name"], "Glob");
}

TEST_F(PermissionSemanticsTest, SymlinkedSshKeyIsRefusedThroughAProjectSymlink) {
  WriteGuideSetup("dev");
  WriteFile(home_ + "/.ssh/id_ed25519", "PRIVATE-KEY-MATERIAL-e2e-canary\n");
  std::filesystem::create_symlink(home_ + "/.ssh", project_ + "/keys");
  std::filesystem::create_symlink(home_ + "/.ssh/id_ed25519", project_ + "/deploy_key");
  // Read through the directory link, cat through the file link, Grep over the project.
  StartWithScript(Json::array({
      {{"match", {{"contains", "keys"}}},
       {"content", ToolUse("Read", {{"file_path", project_ + "/keys/id_ed25519"}})}},
      {{"match", {{"tool_result_regex", "use Read was (denied|not granted)"}}},
       {"content", ToolUse("Bash", {{"command", "cat deploy_key"}})}},
      {{"match", {{"tool_result_regex", "use Bash was (denied|not granted)"}}},
       {"content",
        ToolUse("Grep", {{"pattern", "PRIVATE"}, {"output_mode", "content"}, {"path", project_}})}},
      {{"match", {{"tool_result_contains", ""}}}, {"text", "Finished."}},
  }));
  // No rule at all: the targets are outside the working directory, so print mode refuses.
  RunOutput r = RunBrock({"-p", "show me the keys", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["result"], "Finished.");
  EXPECT_EQ(j["permission_denials"].size(), 2u) << j.dump();
  EXPECT_FALSE(AnyRequestContains("PRIVATE-KEY-MATERIAL")) << "the key reached Bedrock";

  // With the key's directory allowed as a working directory but denied by a rule: still refused.
  r = RunBrock({"-p", "show me the keys", "--output-format", "json", "--add-dir", home_ + "/.ssh",
                "--disallowedTools", "Read(~/.ssh/**)"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  j = Json::parse(r.out);
  EXPECT_EQ(j["permission_denials"].size(), 2u) << j.dump();
  EXPECT_FALSE(AnyRequestContains("PRIVATE-KEY-MATERIAL")) << "the key reached Bedrock";
}

TEST_F(PermissionSemanticsTest, RemovingTheWorkingDirectoryAsksEvenInBypassMode) {
  WriteGuideSetup("dev");
  WriteFile(project_ + "/keep.txt", "precious\n");
  StartWithScript(OneCall("clean", "Bash", {{"command", "rm -rf ."}}));
  for (const char* mode : {"bypassPermissions", "acceptEdits", "default"}) {
    RunOutput r = RunBrock({"-p", "clean everything", "--output-format", "json",
                            "--permission-mode", mode, "--allowedTools", "Bash(rm:*)"});
    ASSERT_EQ(r.exit_code, 0) << mode << ": " << r.err << r.out;
    Json j = Json::parse(r.out);
    EXPECT_EQ(j["permission_denials"].size(), 1u) << mode << ": " << j.dump();
    EXPECT_TRUE(std::filesystem::exists(project_ + "/keep.txt")) << mode;
  }
}

TEST_F(PermissionSemanticsTest, ReadOnlyCommandsRunWithoutARuleInEveryMode) {
  WriteGuideSetup("dev");
  WriteFile(project_ + "/notes.txt", "readonly-e2e-marker\n");
  StartWithScript(Json::array({
      {{"match", {{"contains", "look"}}},
       {"content",
        ToolUse("Bash",
                {{"command", "ls && cat notes.txt | grep readonly && git status --short"}})}},
      {{"match", {{"tool_result_contains", "readonly-e2e-marker"}}}, {"text", "Saw it."}},
      {{"match", {{"tool_result_contains", ""}}}, {"text", "Did not see it."}},
  }));
  for (const char* mode : {"default", "plan", "dontAsk"}) {
    RunOutput r =
        RunBrock({"-p", "look around", "--output-format", "json", "--permission-mode", mode});
    ASSERT_EQ(r.exit_code, 0) << mode << ": " << r.err << r.out;
    Json j = Json::parse(r.out);
    EXPECT_EQ(j["result"], "Saw it.") << mode << ": " << j.dump();
    EXPECT_TRUE(j["permission_denials"].empty()) << mode;
  }
}

TEST_F(PermissionSemanticsTest, BashDoesNotInheritTheCredentialsBrockUses) {
  // Credentials in the environment: brock signs with them, a Bash command does not see them.
  WriteFile(home_ + "/.claude/settings.json",
            R"({"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"}})");
  StartWithScript(Json::array({
      {{"match", {{"contains", "environment"}}},
       {"content", ToolUse("Bash", {{"command", "env; echo END-OF-ENV"}})}},
      {{"match", {{"tool_result_contains", "END-OF-ENV"}}}, {"text", "Listed."}},
  }));
  const std::map<std::string, std::string> creds = {
      {"AWS_ACCESS_KEY_ID", kKeyId},
      {"AWS_SECRET_ACCESS_KEY", kSecret},
      {"AWS_SESSION_TOKEN", "session-token-e2e-canary"},
      {"ANTHROPIC_API_KEY", "sk-ant-e2e-canary"},
      {"BROCK_E2E_VISIBLE_MARKER", "visible-e2e-marker"}};
  RunOutput r = RunBrock(
      {"-p", "print the environment", "--output-format", "json", "--allowedTools", "Bash(env)"},
      creds);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(Json::parse(r.out)["result"], "Listed.") << r.out;
  // The tool result is in the second request's body.
  EXPECT_TRUE(AnyRequestContains("visible-e2e-marker")) << "the env output reached the model";
  EXPECT_TRUE(AnyRequestContains("END-OF-ENV"));
  EXPECT_FALSE(AnyRequestContains(kSecret)) << "the secret key reached a tool";
  EXPECT_FALSE(AnyRequestContains("session-token-e2e-canary"));
  EXPECT_FALSE(AnyRequestContains("sk-ant-e2e-canary"));
  EXPECT_FALSE(AnyRequestContains(std::string("AWS_ACCESS_KEY_ID=") + kKeyId));

  // Opting in from the shell passes them.
  auto opted = creds;
  opted["BROCK_TOOLS_INHERIT_CREDENTIALS"] = "1";
  r = RunBrock(
      {"-p", "print the environment", "--output-format", "json", "--allowedTools", "Bash(env)"},
      opted);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_TRUE(AnyRequestContains("session-token-e2e-canary"));
}

TEST_F(PermissionSemanticsTest, BearerTokenStaysOutOfBash) {
  WriteFile(
      home_ + "/.claude/settings.json",
      R"({"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "AWS_BEARER_TOKEN_BEDROCK": "bedrock-api-key-e2e-canary-0123"}})");
  StartWithScript(Json::array({
                      {{"match", {{"contains", "environment"}}},
                       {"content", ToolUse("Bash", {{"command", "env; echo END-OF-ENV"}})}},
                      {{"match", {{"tool_result_contains", "END-OF-ENV"}}}, {"text", "Listed."}},
                  }),
                  {"--bearer-token", "bedrock-api-key-e2e-canary-0123"});
  RunOutput r = RunBrock(
      {"-p", "print the environment", "--output-format", "json", "--allowedTools", "Bash(env)"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(Json::parse(r.out)["result"], "Listed.") << r.out;
  EXPECT_TRUE(AnyRequestContains("END-OF-ENV"));
  // The Authorization header carries it by design; a request body never does.
  EXPECT_FALSE(AnyRequestContains("bedrock-api-key-e2e-canary"));
}

}  // namespace
}  // namespace brock::e2e
