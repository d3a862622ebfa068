// Sandboxed Bash end to end (sandbox.enabled on bubblewrap): the real brock runs the model's
// commands inside the sandbox. A command may write in the project, but not outside it; it cannot
// read a denied path; it cannot open a network connection; with allowedDomains it reaches only
// those hosts, through brock's filtering proxy. Skipped, with the reason, where bwrap cannot run.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "e2e_harness.h"

namespace brock::e2e {
namespace {

// Empty when bubblewrap can create its namespaces here; else why not.
std::string BubblewrapProblem() {
  RunOutput r = RunProcess({"/bin/sh", "-c",
                            "command -v bwrap >/dev/null || { echo 'bwrap is not installed "
                            "(apt-get install bubblewrap)'; exit 1; }; bwrap --ro-bind / / --dev "
                            "/dev --proc /proc --unshare-pid --unshare-net true 2>&1"},
                           {{"PATH", "/usr/local/bin:/usr/bin:/bin"}}, "/", "");
  if (r.exit_code == 0) return "";
  return r.out.empty() ? "bwrap failed" : r.out;
}

class SandboxTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    std::string problem = BubblewrapProblem();
    if (!problem.empty()) GTEST_SKIP() << "bubblewrap cannot run here: " << problem;
  }
  // The guide's setup plus a `sandbox` block in the user settings.
  void WriteSandboxSettings(const Json& sandbox) {
    WriteGuideSetup("dev");
    Json settings = Json::parse(ReadAll(home_ + "/.claude/settings.json"));
    settings["sandbox"] = sandbox;
    WriteFile(home_ + "/.claude/settings.json", settings.dump(2));
  }
  void StartWithCommand(const std::string& command, const Json& extra_input = Json::object()) {
    Json input = {{"command", command}};
    input.update(extra_input);
    Json rules = Json::array({
        {{"match", {{"contains", "go"}}},
         {"content", Json::array({{{"type", "tool_use"}, {"name", "Bash"}, {"input", input}}})}},
        {{"match", {{"tool_result_contains", ""}}}, {"text", "Finished."}},
    });
    WriteFile("script.json", Json{{"rules", rules}}.dump(2));
    StartEmulator({"--script", root_ + "/script.json"});
  }
  // The text of the tool result brock sent back (from the last request's body).
  std::string ToolResultText() {
    std::string all;
    for (const Json& r : emulator_.Requests()) all += Body(r).dump();
    return all;
  }
};

TEST_F(SandboxTest, CommandsWriteOnlyInsideReadNoDeniedPathAndHaveNoNetwork) {
  WriteFile(home_ + "/vault/key.txt", "SANDBOX-DENIED-READ-canary\n");
  WriteFile(root_ + "/outside/existing.txt", "untouched\n");
  WriteSandboxSettings(
      {{"enabled", true}, {"filesystem", {{"denyRead", Json::array({home_ + "/vault"})}}}});
  StartWithCommand(
      "touch made-inside.txt; "
      "touch " +
      root_ +
      "/outside/escape.txt 2>&1 || echo WRITE-OUTSIDE-FAILED; "
      "cat " +
      home_ +
      "/vault/key.txt 2>&1 || echo READ-DENIED-FAILED; "
      "curl -s -m 3 http://127.0.0.1:1/ >/dev/null 2>&1 && echo NET-OPEN || echo NET-BLOCKED; "
      "echo END-OF-SANDBOX-TEST");
  RunOutput r = RunBrock({"-p", "go", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["result"], "Finished.");
  EXPECT_TRUE(j["permission_denials"].empty()) << "sandboxed commands run without asking";
  std::string result = ToolResultText();
  ASSERT_NE(result.find("END-OF-SANDBOX-TEST"), std::string::npos) << result;
  EXPECT_TRUE(std::filesystem::exists(project_ + "/made-inside.txt")) << "writes inside work";
  EXPECT_FALSE(std::filesystem::exists(root_ + "/outside/escape.txt")) << result;
  EXPECT_NE(result.find("WRITE-OUTSIDE-FAILED"), std::string::npos) << result;
  EXPECT_EQ(result.find("SANDBOX-DENIED-READ-canary"), std::string::npos) << result;
  EXPECT_NE(result.find("READ-DENIED-FAILED"), std::string::npos) << result;
  EXPECT_NE(result.find("NET-BLOCKED"), std::string::npos) << result;
}

TEST_F(SandboxTest, TheSandboxCannotReachTheEmulatorButAllowedDomainsGoThroughTheProxy) {
  WriteSandboxSettings({{"enabled", true}, {"network", {{"allowedDomains", {"localhost"}}}}});
  // The emulator listens on 127.0.0.1 (its port is in ANTHROPIC_BEDROCK_BASE_URL, which Bash
  // inherits); "localhost" is allowed, "127.0.0.1" is not.
  StartWithCommand(
      "P=${ANTHROPIC_BEDROCK_BASE_URL##*:}; "
      "curl -s -o /dev/null -w 'ALLOWED-%{http_code}\\n' http://localhost:$P/ping; "
      "curl -s -o /dev/null -w 'DIRECT-%{http_code}\\n' http://127.0.0.1:$P/ping; echo END");
  RunOutput r = RunBrock({"-p", "go", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  std::string result = ToolResultText();
  ASSERT_NE(result.find("END"), std::string::npos) << result;
  EXPECT_EQ(result.find("ALLOWED-000"), std::string::npos) << "localhost went through: " << result;
  EXPECT_NE(result.find("DIRECT-403"), std::string::npos) << "127.0.0.1 was refused: " << result;
}

TEST_F(SandboxTest, RunningOutsideTheSandboxGoesThroughThePermissionQuestion) {
  WriteSandboxSettings({{"enabled", true}});
  StartWithCommand("touch unsandboxed.txt", {{"dangerouslyDisableSandbox", true}});
  RunOutput r = RunBrock({"-p", "go", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["permission_denials"].size(), 1u) << "print mode refuses what needs approval";
  EXPECT_FALSE(std::filesystem::exists(project_ + "/unsandboxed.txt"));
}

}  // namespace
}  // namespace brock::e2e
