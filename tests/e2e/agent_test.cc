// The agent end to end: scripted emulator conversations that make brock read, edit and run
// things in a real project directory, with permission rules, sessions and cost accounting.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "e2e_harness.h"

namespace brock::e2e {
namespace {

class AgentTest : public E2eTest {
 protected:
  void StartWithScript(const Json& rules, std::vector<std::string> extra = {}) {
    WriteGuideSetup("dev");
    WriteFile("script.json", Json{{"rules", rules}}.dump(2));
    extra.insert(extra.begin(), {"--script", root_ + "/script.json"});
    StartEmulator(extra);
  }
  static Json ToolUse(const std::string& name, const Json& input) {
    return Json::array({{{"type", "tool_use"}, {"name", name}, {"input", input}}});
  }
};

TEST_F(AgentTest, ReadEditRunAndAnswer) {
  WriteFile(project_ + "/calc.py", "def add(a, b):\n    return a - b\n");
  WriteFile(project_ + "/test_calc.py",
            "from calc import add\nassert add(2, 3) == 5, 'add is broken'\nprint('TESTS OK')\n");
  const std::string calc = project_ + "/calc.py";
  StartWithScript(Json::array({
      {{"name", "read"},
       {"match", {{"contains", "fix the add"}}},
       {"content", ToolUse("Read", {{"file_path", calc}})}},
      {{"name", "edit"},
       {"match", {{"tool_result_contains", "return a - b"}}},
       {"content",
        ToolUse("Edit", {{"file_path", calc}, {"old_string", "a - b"}, {"new_string", "a + b"}})}},
      {{"name", "test"},
       {"match", {{"tool_result_contains", "has been updated"}}},
       {"content",
        ToolUse("Bash", {{"command", "python3 test_calc.py"}, {"description", "Run the tests"}})}},
      {{"name", "done"},
       {"match", {{"tool_result_contains", "TESTS OK"}}},
       {"text", "Fixed: add now adds."}},
  }));
  RunOutput r =
      RunBrock({"-p", "Please fix the add function", "--output-format", "json", "--permission-mode",
                "acceptEdits", "--allowedTools", "Bash(python3 test_calc.py)"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(ReadAll(calc), "def add(a, b):\n    return a + b\n");
  Json j = Json::parse(r.out, nullptr, false);
  EXPECT_EQ(j["result"], "Fixed: add now adds.");
  EXPECT_EQ(j["num_turns"], 4);
  EXPECT_TRUE(j["permission_denials"].empty());
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 4u);
  Json last = Body(reqs[3]);
  EXPECT_EQ(last["messages"].size(), 7u) << "prompt + 3 tool rounds";
  EXPECT_TRUE(last["tools"].is_array());
}

TEST_F(AgentTest, StreamJsonCarriesToolUseAndToolResult) {
  WriteFile(project_ + "/notes.txt", "remember the milk\n");
  StartWithScript(Json::array({
      {{"match", {{"contains", "notes"}}},
       {"content", ToolUse("Read", {{"file_path", project_ + "/notes.txt"}})}},
      {{"match", {{"tool_result_contains", "milk"}}},
       {"text", "Your note says to remember the milk."}},
  }));
  RunOutput r =
      RunBrock({"-p", "what do my notes say?", "--output-format", "stream-json", "--verbose"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<Json> lines;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) lines.push_back(Json::parse(line, nullptr, false));
  ASSERT_EQ(lines.size(), 5u)
      << r.out;  // init, assistant(tool_use), user(tool_result), assistant, result
  EXPECT_EQ(lines[1]["message"]["content"][0]["type"], "tool_use");
  EXPECT_EQ(lines[2]["type"], "user");
  EXPECT_EQ(lines[2]["message"]["content"][0]["type"], "tool_result");
  EXPECT_NE(lines[2]["message"]["content"][0].dump().find("remember the milk"), std::string::npos);
  EXPECT_EQ(lines[4]["type"], "result");
}

TEST_F(AgentTest, DenyRuleInProjectSettingsBlocksCommandAndIsReported) {
  WriteFile(project_ + "/keep.txt", "precious\n");
  WriteFile(project_ + "/.claude/settings.json",
            R"json({"permissions": {"deny": ["Bash(rm:*)"], "allow": ["Bash"]}})json");
  TrustProject();  // its allow rule applies only in a trusted project
  StartWithScript(Json::array({
      {{"match", {{"contains", "clean"}}},
       {"content", ToolUse("Bash", {{"command", "ls && rm -f keep.txt"}})}},
      {{"match", {{"tool_result_contains", "denied"}}},
       {"text", "I was not allowed to delete it."}},
  }));
  RunOutput r = RunBrock({"-p", "clean up", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(project_ + "/keep.txt"))
      << "the compound command was denied as a whole";
  Json j = Json::parse(r.out, nullptr, false);
  ASSERT_EQ(j["permission_denials"].size(), 1u) << j.dump();
  EXPECT_EQ(j["permission_denials"][0]["tool_name"], "Bash");
}

TEST_F(AgentTest, AskInPrintModeIsDeniedAndAllowRuleLetsItRun) {
  StartWithScript(Json::array({
      {{"match", {{"contains", "make"}}},
       {"content", ToolUse("Bash", {{"command", "touch made.txt"}})}},
      {{"match", {{"tool_result_regex", "not granted|denied"}}}, {"text", "Not allowed."}},
      {{"match", {{"tool_result_contains", ""}}}, {"text", "Done."}},
  }));
  RunOutput r = RunBrock({"-p", "make a file", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(project_ + "/made.txt"));
  EXPECT_EQ(Json::parse(r.out)["permission_denials"].size(), 1u);
  r = RunBrock({"-p", "make a file", "--output-format", "json", "--allowedTools", "Bash(touch:*)"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(project_ + "/made.txt"));
  EXPECT_EQ(Json::parse(r.out)["result"], "Done.");
}

TEST_F(AgentTest, ReadOutsideWorkingDirectoryNeedsPermission) {
  WriteFile(root_ + "/outside/secret.txt", "outside data\n");
  StartWithScript(Json::array({
      {{"match", {{"contains", "peek"}}},
       {"content", ToolUse("Read", {{"file_path", root_ + "/outside/secret.txt"}})}},
      {{"match", {{"tool_result_contains", "outside data"}}}, {"text", "read it"}},
      {{"text", "could not read it"}},
  }));
  RunOutput r = RunBrock({"-p", "peek", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["result"], "could not read it");
  r = RunBrock({"-p", "peek", "--output-format", "json", "--add-dir", root_ + "/outside"});
  EXPECT_EQ(Json::parse(r.out)["result"], "read it");
}

TEST_F(AgentTest, CostAndUsageFollowTheScriptTokenCounts) {
  StartWithScript(Json::array({
      {{"match", {{"contains", "count"}}},
       {"text", "counted"},
       {"usage",
        {{"input_tokens", 1000},
         {"output_tokens", 500},
         {"cache_read_input_tokens", 2000},
         {"cache_creation_input_tokens", 100}}}},
  }));
  RunOutput r = RunBrock({"-p", "count", "--output-format", "json", "--model",
                          "us.anthropic.claude-sonnet-4-5-20250929-v1:0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["usage"]["input_tokens"], 1000);
  EXPECT_EQ(j["usage"]["output_tokens"], 500);
  EXPECT_EQ(j["usage"]["cache_read_input_tokens"], 2000);
  EXPECT_EQ(j["usage"]["cache_creation_input_tokens"], 100);
  // Sonnet 4.5 on Bedrock: $3 in, $15 out, $3.75 cache write, $0.30 cache read per million.
  double expected = (1000 * 3.0 + 500 * 15.0 + 100 * 3.75 + 2000 * 0.30) / 1e6;
  EXPECT_NEAR(j["total_cost_usd"].get<double>(), expected, 1e-12);
  EXPECT_NEAR(
      j["modelUsage"]["us.anthropic.claude-sonnet-4-5-20250929-v1:0"]["costUSD"].get<double>(),
      expected, 1e-12);
}

TEST_F(AgentTest, PromptCachingBreakpointsAndTheirSwitch) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  ASSERT_EQ(RunBrock({"-p", "hi"}).exit_code, 0);
  ASSERT_EQ(RunBrock({"-p", "hi"}, {{"DISABLE_PROMPT_CACHING", "1"}}).exit_code, 0);
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 2u);
  std::string cached = reqs[0].value("body", ""), uncached = reqs[1].value("body", "");
  size_t count = 0;
  for (size_t p = cached.find("cache_control"); p != std::string::npos;
       p = cached.find("cache_control", p + 1))
    ++count;
  EXPECT_GE(count, 2u);
  EXPECT_LE(count, 4u) << "Bedrock allows at most four breakpoints";
  EXPECT_EQ(uncached.find("cache_control"), std::string::npos);
}

TEST_F(AgentTest, ContinueResumesTheLatestSession) {
  StartWithScript(Json::array({
      {{"match", {{"contains", "first question"}}}, {"text", "first answer"}},
      {{"match", {{"contains", "second question"}}}, {"text", "second answer"}},
  }));
  ASSERT_EQ(RunBrock({"-p", "first question"}).exit_code, 0);
  RunOutput r = RunBrock({"-p", "second question", "-c", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 2u);
  Json msgs = Body(reqs[1])["messages"];
  ASSERT_EQ(msgs.size(), 3u) << msgs.dump();
  EXPECT_NE(msgs[0].dump().find("first question"), std::string::npos);
  EXPECT_NE(msgs[1].dump().find("first answer"), std::string::npos);
  Json j = Json::parse(r.out);
  std::string id = j["session_id"];
  r = RunBrock({"-p", "second question", "-r", id});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Body(emulator_.Requests()[2])["messages"].size(), 5u);
}

TEST_F(AgentTest, KilledMidTurnResumesWithTranscriptIntact) {
  WriteFile(project_ + "/a.txt", "alpha\n");
  StartWithScript(Json::array({
      {{"match", {{"contains", "slow task"}}},
       {"content", ToolUse("Read", {{"file_path", project_ + "/a.txt"}})}},
      {{"match", {{"contains", "go on"}}}, {"text", "resumed fine"}},
      {{"match", {{"tool_result_contains", "alpha"}}},
       {"text", "this reply streams slowly and will be cut off"},
       {"delay_ms_per_event", 400}},
  }));
  // Start brock, wait until it has sent the second request, then kill -9 it mid-stream.
  std::string log = root_ + "/brock.out";
  pid_t pid = fork();
  if (pid == 0) {
    chdir(project_.c_str());
    std::string home = "HOME=" + home_, base = "ANTHROPIC_BEDROCK_BASE_URL=" + emulator_.url();
    freopen(log.c_str(), "w", stdout);
    std::string path = "PATH=/usr/bin:/bin";
    std::string no_thinking = "CLAUDE_CODE_DISABLE_THINKING=1";  // as BrockEnv() sets it
    char* envp[] = {home.data(), base.data(), path.data(), no_thinking.data(), nullptr};
    execle(BROCK_BIN, BROCK_BIN, "-p", "slow task", nullptr, envp);
    _exit(127);
  }
  for (int i = 0; i < 500 && emulator_.Requests().size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  kill(pid, SIGKILL);
  int status;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  RunOutput r = RunBrock({"-p", "go on", "-c", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["result"], "resumed fine");
  Json msgs = Body(emulator_.Requests().back())["messages"];
  // prompt, assistant tool_use, user tool_result (+ the new prompt merged into it).
  ASSERT_EQ(msgs.size(), 3u) << msgs.dump(1);
  EXPECT_EQ(msgs[1]["content"][0]["type"], "tool_use");
  EXPECT_NE(msgs[2].dump().find("alpha"), std::string::npos);
  EXPECT_NE(msgs[2].dump().find("go on"), std::string::npos);
}

TEST_F(AgentTest, InterruptedRunStopsPromptlyAndContinues) {
  StartWithScript(Json::array({
      {{"match", {{"contains", "go on"}}}, {"text", "continued"}},
      {{"match", {{"contains", "long story"}}},
       {"text", "once upon a time there was a very long story indeed"},
       {"delay_ms_per_event", 300}},
  }));
  pid_t pid = fork();
  if (pid == 0) {
    chdir(project_.c_str());
    std::string home = "HOME=" + home_, base = "ANTHROPIC_BEDROCK_BASE_URL=" + emulator_.url();
    std::string path = "PATH=/usr/bin:/bin";
    char* envp[] = {home.data(), base.data(), path.data(), nullptr};
    freopen("/dev/null", "w", stdout);
    execle(BROCK_BIN, BROCK_BIN, "-p", "tell me a long story", nullptr, envp);
    _exit(127);
  }
  for (int i = 0; i < 500 && emulator_.Requests().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  auto interrupted = std::chrono::steady_clock::now();
  kill(pid, SIGINT);
  int status;
  waitpid(pid, &status, 0);
  auto took = std::chrono::steady_clock::now() - interrupted;
  EXPECT_TRUE(WIFEXITED(status)) << "exits by itself, not killed by the signal";
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_LT(took, std::chrono::seconds(2)) << "the stream is abandoned promptly";
  RunOutput r = RunBrock({"-p", "go on", "-c", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["result"], "continued");
  Json msgs = Body(emulator_.Requests().back())["messages"];
  ASSERT_EQ(msgs.size(), 1u) << "the interrupted prompt and the new one, merged: " << msgs.dump(1);
  EXPECT_NE(msgs[0].dump().find("long story"), std::string::npos);
  EXPECT_NE(msgs[0].dump().find("go on"), std::string::npos);
}

TEST_F(AgentTest, CompactionSummarisesAndTheRunCompletes) {
  WriteFile(project_ + "/big.txt", "lots of content\n");
  StartWithScript(Json::array({
      {{"name", "summary"},
       {"match", {{"contains", "context window is nearly full"}}},
       {"text", "SUMMARY: read big.txt"}},
      {{"match", {{"contains", "big task"}}},
       {"content", ToolUse("Read", {{"file_path", project_ + "/big.txt"}})},
       {"usage", {{"input_tokens", 5000}, {"output_tokens", 20}}}},
      {{"match", {{"tool_result_contains", "lots of content"}}},
       {"text", "finished after compaction"}},
  }));
  RunOutput r = RunBrock({"-p", "big task", "--output-format", "json"},
                         {{"BROCK_COMPACT_AT_TOKENS", "3000"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["result"], "finished after compaction");
  EXPECT_NE(r.err.find("compacted"), std::string::npos) << r.err;
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[1].value("rule", ""), "summary");
  Json msgs = Body(reqs[2])["messages"];
  EXPECT_NE(msgs[0].dump().find("SUMMARY: read big.txt"), std::string::npos) << msgs.dump(1);
}

}  // namespace
}  // namespace brock::e2e

namespace brock::e2e {
namespace {

class PermissionFormsTest : public AgentTest {};

TEST_F(PermissionFormsTest, PathRulesRelativeToTheSettingsFile) {
  WriteFile(project_ + "/secrets/key.txt", "hunter2-credential\n");
  WriteFile(project_ + "/src/app.txt", "version 1\n");
  WriteFile(project_ + "/docs/readme.txt", "docs v1\n");
  // Read(./secrets/**) denies; Edit(/src/**) allows edits under <project>/src only.
  WriteFile(
      project_ + "/.claude/settings.json",
      R"json({"permissions": {"deny": ["Read(./secrets/**)"], "allow": ["Edit(/src/**)"]}})json");
  TrustProject();
  StartWithScript(Json::array({
      {{"match", {{"contains", "read the key"}}},
       {"content", ToolUse("Read", {{"file_path", project_ + "/secrets/key.txt"}})}},
      {{"match", {{"contains", "edit src"}}},
       {"content", ToolUse("Read", {{"file_path", project_ + "/src/app.txt"}})}},
      {{"match", {{"tool_result_contains", "version 1"}}},
       {"content", ToolUse("Edit", {{"file_path", project_ + "/src/app.txt"},
                                    {"old_string", "version 1"},
                                    {"new_string", "version 2"}})}},
      {{"match", {{"contains", "edit docs"}}},
       {"content", ToolUse("Read", {{"file_path", project_ + "/docs/readme.txt"}})}},
      {{"match", {{"tool_result_contains", "docs v1"}}},
       {"content", ToolUse("Edit", {{"file_path", project_ + "/docs/readme.txt"},
                                    {"old_string", "v1"},
                                    {"new_string", "v2"}})}},
      {{"text", "done"}},
  }));
  RunOutput r = RunBrock({"-p", "read the key", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  ASSERT_EQ(j["permission_denials"].size(), 1u);
  EXPECT_EQ(j["permission_denials"][0]["tool_name"], "Read");
  EXPECT_EQ(r.out.find("hunter2"), std::string::npos);

  r = RunBrock({"-p", "edit src", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Json::parse(r.out)["permission_denials"].empty()) << r.out;
  EXPECT_EQ(ReadAll(project_ + "/src/app.txt"), "version 2\n");

  r = RunBrock({"-p", "edit docs", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["permission_denials"].size(), 1u)
      << "edits outside /src/** ask, so print mode denies";
  EXPECT_EQ(ReadAll(project_ + "/docs/readme.txt"), "docs v1\n");
}

TEST_F(PermissionFormsTest, BareToolDenyHidesTheToolAndPlanModeBlocksEdits) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  ASSERT_EQ(RunBrock({"-p", "hi", "--disallowedTools", "Bash"}).exit_code, 0);
  Json tools = Body(emulator_.Requests()[0])["tools"];
  for (const Json& t : tools) EXPECT_NE(t["name"], "Bash") << "a bare deny rule hides the tool";
  EXPECT_GE(tools.size(), 5u);

  WriteFile(project_ + "/f.txt", "a\n");
  WriteFile("script.json",
            Json{{"rules",
                  Json::array({{{"match", {{"contains", "change"}}},
                                {"content", ToolUse("Write", {{"file_path", project_ + "/new.txt"},
                                                              {"content", "x"}})}},
                               {{"text", "stopped"}}})}}
                .dump());
  emulator_.Stop();
  StartEmulator({"--script", root_ + "/script.json"});
  RunOutput r =
      RunBrock({"-p", "change it", "--permission-mode", "plan", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(project_ + "/new.txt"));
  EXPECT_EQ(Json::parse(r.out)["permission_denials"].size(), 1u);
}

TEST_F(PermissionFormsTest, ClaudeMdMemoryReachesTheSystemPrompt) {
  WriteFile(home_ + "/.claude/CLAUDE.md", "Always answer in haiku.\n");
  WriteFile(project_ + "/CLAUDE.md", "Project rule: use tabs.\n@docs/style.md\n");
  WriteFile(project_ + "/docs/style.md", "Imported style: no semicolons.\n");
  StartWithScript(Json::array({{{"text", "ok"}}}));
  ASSERT_EQ(RunBrock({"-p", "hi", "--append-system-prompt", "Appended line."}).exit_code, 0);
  std::string system = Body(emulator_.Requests()[0])["system"].dump();
  EXPECT_NE(system.find("Always answer in haiku."), std::string::npos);
  EXPECT_NE(system.find("Project rule: use tabs."), std::string::npos);
  EXPECT_NE(system.find("Imported style: no semicolons."), std::string::npos);
  EXPECT_NE(system.find("Appended line."), std::string::npos);
  EXPECT_NE(system.find(project_), std::string::npos)
      << "the environment names the working directory";
}

TEST_F(PermissionFormsTest, MaxBudgetStopsTheRun) {
  WriteFile(project_ + "/a.txt", "a\n");
  StartWithScript(Json::array({
      {{"match", {{"contains", "loop"}}},
       {"content", ToolUse("Read", {{"file_path", project_ + "/a.txt"}})},
       {"usage", {{"input_tokens", 100000}, {"output_tokens", 1000}}}},
      {{"content", ToolUse("Read", {{"file_path", project_ + "/a.txt"}})},
       {"usage", {{"input_tokens", 100000}, {"output_tokens", 1000}}}},
  }));
  RunOutput r = RunBrock({"-p", "loop", "--output-format", "json", "--max-budget-usd", "0.5",
                          "--model", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"});
  EXPECT_NE(r.exit_code, 0);
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["subtype"], "error_max_budget_usd");
  EXPECT_GE(j["total_cost_usd"].get<double>(), 0.5);
  EXPECT_LE(emulator_.Requests().size(), 2u);
}

}  // namespace
}  // namespace brock::e2e
