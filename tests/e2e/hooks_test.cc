// Hooks end to end: real hook scripts (small sh files the test writes) configured in settings,
// the real brock binary, and the emulator playing a model that reacts to what the hooks did. Each
// hook that records its input writes its stdin to a file the test parses; what the model
// received is read from the emulator's request log.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "e2e_harness.h"
#include "pty_session.h"

namespace brock::e2e {
namespace {

class HooksTest : public E2eTest {
 protected:
  void StartWithScript(const Json& rules) {
    WriteGuideSetup("dev");
    WriteFile("script.json", Json{{"rules", rules}}.dump(2));
    StartEmulator({"--script", root_ + "/script.json"});
  }
  static Json ToolUse(const std::string& name, const Json& input) {
    return Json::array({{{"type", "tool_use"}, {"name", name}, {"input", input}}});
  }
  // Writes hook script `name` (sh) and returns the command that runs it.
  std::string Script(const std::string& name, const std::string& body) {
    WriteFile(root_ + "/hooks/" + name, "#!/bin/sh\n" + body + "\n");
    return "sh " + root_ + "/hooks/" + name;
  }
  // A hook that appends its stdin (one JSON line) to root_/seen/<event>.jsonl and exits 0.
  std::string Recorder(const std::string& event) {
    std::filesystem::create_directories(root_ + "/seen");
    return Script("record-" + event + ".sh", "cat >> " + root_ + "/seen/" + event +
                                                 ".jsonl\necho >> " + root_ + "/seen/" + event +
                                                 ".jsonl");
  }
  std::vector<Json> Seen(const std::string& event) {
    std::vector<Json> out;
    std::istringstream in(ReadAll(root_ + "/seen/" + event + ".jsonl"));
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) out.push_back(Json::parse(line, nullptr, false));
    }
    return out;
  }
  // Hook settings: {event: [[matcher, command, timeout], ...]} written to a --settings file.
  std::string HookSettings(
      const std::vector<std::tuple<std::string, std::string, std::string, int>>& hooks) {
    Json h = Json::object();
    for (const auto& [event, matcher, command, timeout] : hooks) {
      Json entry = {{"type", "command"}, {"command", command}};
      if (timeout > 0) entry["timeout"] = timeout;
      h[event].push_back({{"matcher", matcher}, {"hooks", Json::array({entry})}});
    }
    std::string path = root_ + "/hook-settings.json";
    WriteFile(path, Json{{"hooks", h}}.dump(2));
    return path;
  }
  std::vector<Json> Lines(const std::string& out) {
    std::vector<Json> lines;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) lines.push_back(Json::parse(line, nullptr, false));
    return lines;
  }
  // The request bodies the emulator received, as text.
  std::vector<std::string> Bodies() {
    std::vector<std::string> out;
    for (const Json& r : BedrockRequests(emulator_.Requests())) out.push_back(Body(r).dump());
    return out;
  }
};

TEST_F(HooksTest, EachEventFiresWithTheDocumentedInput) {
  StartWithScript(Json::array({
      {{"match", {{"contains", "list"}}},
       {"content", ToolUse("Bash", {{"command", "echo listed"}, {"description", "list"}})}},
      {{"match", {{"tool_result_contains", "listed"}}}, {"text", "All listed."}},
  }));
  std::string settings = HookSettings({
      {"SessionStart", "", Recorder("SessionStart"), 0},
      {"UserPromptSubmit", "", Recorder("UserPromptSubmit"), 0},
      {"PreToolUse", "Bash", Recorder("PreToolUse"), 0},
      {"PostToolUse", "Bash", Recorder("PostToolUse"), 0},
      {"Stop", "", Recorder("Stop"), 0},
      {"SessionEnd", "", Recorder("SessionEnd"), 0},
  });
  RunOutput r = RunBrock({"-p", "list things", "--settings", settings, "--output-format", "json",
                          "--allowedTools", "Bash(echo:*)"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  Json result = Json::parse(r.out);
  std::string session_id = result["session_id"];
  for (const char* event :
       {"SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop", "SessionEnd"}) {
    auto seen = Seen(event);
    ASSERT_EQ(seen.size(), 1u) << event;
    const Json& in = seen[0];
    EXPECT_EQ(in["hook_event_name"], event);
    EXPECT_EQ(in["session_id"], session_id) << event;
    EXPECT_EQ(in["cwd"], project_) << event;
    EXPECT_EQ(in["permission_mode"], "default") << event;
    EXPECT_TRUE(in["transcript_path"].is_string() &&
                in["transcript_path"].get<std::string>().find(session_id) != std::string::npos)
        << in.dump();
  }
  EXPECT_EQ(Seen("SessionStart")[0]["source"], "startup");
  EXPECT_EQ(Seen("UserPromptSubmit")[0]["prompt"], "list things");
  Json pre = Seen("PreToolUse")[0];
  EXPECT_EQ(pre["tool_name"], "Bash");
  EXPECT_EQ(pre["tool_input"]["command"], "echo listed");
  EXPECT_TRUE(pre["tool_use_id"].is_string());
  Json post = Seen("PostToolUse")[0];
  EXPECT_EQ(post["tool_use_id"], pre["tool_use_id"]);
  EXPECT_NE(post["tool_response"].dump().find("listed"), std::string::npos) << post.dump();
  EXPECT_EQ(Seen("Stop")[0]["stop_hook_active"], false);
  EXPECT_EQ(Seen("SessionEnd")[0]["reason"], "other");
}

TEST_F(HooksTest, PreToolUseExitTwoBlocksTheToolAndTheModelGetsTheReason) {
  StartWithScript(Json::array({
      {{"match", {{"contains", "clean"}}},
       {"content", ToolUse("Bash", {{"command", "touch blocked-marker"}})}},
      {{"match", {{"tool_result_contains", "never touch markers"}}}, {"text", "Understood."}},
      {{"text", "The hook did not reach me."}},
  }));
  std::string settings = HookSettings(
      {{"PreToolUse", "Bash", Script("guard.sh", "echo 'never touch markers' >&2\nexit 2"), 0}});
  RunOutput r = RunBrock({"-p", "clean up", "--settings", settings, "--output-format", "json",
                          "--allowedTools", "Bash"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(project_ + "/blocked-marker"));
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["result"], "Understood.");
  EXPECT_EQ(j["permission_denials"].size(), 1u);
  auto bodies = Bodies();
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_NE(bodies[1].find("never touch markers"), std::string::npos);
}

TEST_F(HooksTest, PreToolUseJsonDenyStopsTheToolWithItsReason) {
  StartWithScript(Json::array({
      {{"match", {{"contains", "clean"}}},
       {"content", ToolUse("Bash", {{"command", "touch denied-marker"}})}},
      {{"match", {{"tool_result_contains", "policy 7 forbids this"}}}, {"text", "Denied, ok."}},
      {{"text", "The reason did not reach me."}},
  }));
  std::string settings = HookSettings(
      {{"PreToolUse", "Bash",
        Script(
            "deny.sh",
            R"(echo '{"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "deny", "permissionDecisionReason": "policy 7 forbids this"}}')"),
        0}});
  RunOutput r = RunBrock({"-p", "clean up", "--settings", settings, "--output-format", "json",
                          "--allowedTools", "Bash"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(project_ + "/denied-marker"));
  EXPECT_EQ(Json::parse(r.out)["result"], "Denied, ok.");
}

TEST_F(HooksTest, UpdatedInputChangesTheCommand) {
  StartWithScript(Json::array({
      {{"match", {{"contains", "write"}}},
       {"content", ToolUse("Bash", {{"command", "echo original > out.txt"}})}},
      {{"match", {{"tool_result_contains", ""}}}, {"text", "Written."}},
  }));
  std::string settings = HookSettings(
      {{"PreToolUse", "Bash",
        Script(
            "rewrite.sh",
            R"(echo '{"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "allow", "updatedInput": {"command": "echo rewritten > out.txt"}}}')"),
        0}});
  // No allow rule: the hook's "allow" lets the call run in print mode.
  RunOutput r = RunBrock({"-p", "write it", "--settings", settings, "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadAll(project_ + "/out.txt"), "rewritten\n");
  EXPECT_TRUE(Json::parse(r.out)["permission_denials"].empty());
}

TEST_F(HooksTest, PreToolUseAllowDoesNotOverrideDenyRules) {
  StartWithScript(Json::array({
      {{"match", {{"contains", "write"}}},
       {"content", ToolUse("Bash", {{"command", "touch allowed-marker"}})}},
      {{"match", {{"tool_result_contains", ""}}}, {"text", "Done."}},
  }));
  std::string settings = HookSettings(
      {{"PreToolUse", "",
        Script("allow.sh", R"(echo '{"hookSpecificOutput": {"permissionDecision": "allow"}}')"),
        0}});
  RunOutput r = RunBrock({"-p", "write it", "--settings", settings, "--output-format", "json",
                          "--disallowedTools", "Bash(touch:*)"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(project_ + "/allowed-marker"));
}

TEST_F(HooksTest, PostToolUseFeedbackReachesTheModel) {
  StartWithScript(Json::array({
      {{"match", {{"contains", "format"}}},
       {"content", ToolUse("Bash", {{"command", "echo formatted"}})}},
      {{"match", {{"tool_result_contains", "lint: line 3 too long"}}},
       {"text", "I will fix line 3."}},
      {{"text", "No feedback arrived."}},
  }));
  std::string settings = HookSettings(
      {{"PostToolUse", "Bash", Script("lint.sh", "echo 'lint: line 3 too long' >&2\nexit 2"), 0}});
  RunOutput r = RunBrock({"-p", "format it", "--settings", settings, "--output-format", "json",
                          "--allowedTools", "Bash(echo:*)"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["result"], "I will fix line 3.");
  auto bodies = Bodies();
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_NE(bodies[1].find("formatted"), std::string::npos) << "the tool still ran";
}

TEST_F(HooksTest, StopHookMakesTheAgentContinue) {
  StartWithScript(Json::array({
      {{"match", {{"contains", "run the tests too"}}}, {"text", "Tests pass now."}},
      {{"match", {{"contains", "do the work"}}}, {"text", "Done, I think."}},
  }));
  std::filesystem::create_directories(root_ + "/seen");
  std::string settings = HookSettings(
      {{"Stop", "",
        Script("stop.sh", "input=$(cat)\necho \"$input\" >> " + root_ +
                              "/seen/Stop.jsonl\n"
                              "case \"$input\" in *'\"stop_hook_active\":true'*) exit 0;; esac\n"
                              R"(echo '{"decision": "block", "reason": "run the tests too"}')"),
        0}});
  RunOutput r = RunBrock({"-p", "do the work", "--settings", settings, "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["result"], "Tests pass now.");
  EXPECT_EQ(j["num_turns"], 2);
  auto seen = Seen("Stop");
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0]["stop_hook_active"], false);
  EXPECT_EQ(seen[1]["stop_hook_active"], true);
}

TEST_F(HooksTest, UserPromptSubmitAddsContext) {
  StartWithScript(Json::array({
      {{"match", {{"contains", "ticket ABC-123 is open"}}}, {"text", "Saw the ticket."}},
      {{"text", "No context."}},
  }));
  std::string settings = HookSettings(
      {{"UserPromptSubmit", "", Script("ctx.sh", "echo 'ticket ABC-123 is open'"), 0}});
  RunOutput r =
      RunBrock({"-p", "what is open?", "--settings", settings, "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["result"], "Saw the ticket.");
}

TEST_F(HooksTest, UserPromptSubmitExitTwoBlocksThePrompt) {
  StartWithScript(Json::array({{{"text", "should not be asked"}}}));
  std::string settings =
      HookSettings({{"UserPromptSubmit", "",
                     Script("block.sh", "echo 'no secrets in prompts' >&2\nexit 2"), 0}});
  RunOutput r = RunBrock({"-p", "my password is hunter2", "--settings", settings});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no secrets in prompts"), std::string::npos) << r.err;
  EXPECT_TRUE(Bodies().empty()) << "a blocked prompt never reaches the model";
}

TEST_F(HooksTest, SessionStartContextAndEnvFile) {
  StartWithScript(Json::array({
      {{"match", {{"contains", "deploy freeze until Friday"}}},
       {"content", ToolUse("Bash", {{"command", "echo \"mode=$DEPLOY_MODE\""}})}},
      {{"match", {{"tool_result_contains", "mode=frozen"}}}, {"text", "Frozen."}},
      {{"text", "Missing."}},
  }));
  std::string settings =
      HookSettings({{"SessionStart", "startup",
                     Script("start.sh",
                            "echo 'export DEPLOY_MODE=frozen' >> \"$CLAUDE_ENV_FILE\"\n"
                            "echo 'deploy freeze until Friday'"),
                     0}});
  RunOutput r = RunBrock({"-p", "status?", "--settings", settings, "--output-format", "json",
                          "--allowedTools", "Bash"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["result"], "Frozen.");
}

TEST_F(HooksTest, HangingHookIsKilledAtItsTimeout) {
  StartWithScript(Json::array({
      {{"match", {{"contains", "go"}}}, {"content", ToolUse("Bash", {{"command", "echo ran"}})}},
      {{"match", {{"tool_result_contains", "ran"}}}, {"text", "Ran."}},
  }));
  std::string settings =
      HookSettings({{"PreToolUse", "Bash", Script("hang.sh", "sleep 60 & sleep 60"), 1}});
  auto started = std::chrono::steady_clock::now();
  RunOutput r = RunBrock({"-p", "go", "--settings", settings, "--output-format", "stream-json",
                          "--verbose", "--allowedTools", "Bash(echo:*)"});
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(took, std::chrono::seconds(20));
  EXPECT_NE(r.err.find("timed out after 1s"), std::string::npos) << r.err;
  bool reported = false;
  for (const Json& line : Lines(r.out)) {
    if (line.value("subtype", "") == "hook_response" && line["hook_event"] == "PreToolUse") {
      reported = true;
      EXPECT_EQ(line["outcome"], "error");
      EXPECT_EQ(line["hook_name"], "PreToolUse:Bash");
    }
  }
  EXPECT_TRUE(reported) << r.out;
  EXPECT_EQ(Lines(r.out).back()["result"], "Ran.");
}

TEST_F(HooksTest, UntrustedProjectHooksDoNotRunUntilTrusted) {
  StartWithScript(Json::array({{{"text", "hello"}}}));
  std::string marker = root_ + "/project-hook-ran";
  WriteFile(project_ + "/.claude/settings.json",
            Json{{"hooks",
                  {{"UserPromptSubmit",
                    Json::array({{{"hooks", Json::array({{{"type", "command"},
                                                          {"command", "touch " + marker}}})}}})}}}}
                .dump());
  RunOutput r = RunBrock({"-p", "hi"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(marker));
  EXPECT_NE(r.err.find("hooks"), std::string::npos) << "the ignored hooks are named: " << r.err;
  TrustProject();
  r = RunBrock({"-p", "hi"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(marker));
}

TEST_F(HooksTest, DisableAllHooksTurnsThemOff) {
  StartWithScript(Json::array({{{"text", "hello"}}}));
  std::string marker = root_ + "/hook-ran";
  std::string settings = root_ + "/off.json";
  WriteFile(settings,
            Json{{"disableAllHooks", true},
                 {"hooks",
                  {{"UserPromptSubmit",
                    Json::array({{{"hooks", Json::array({{{"type", "command"},
                                                          {"command", "touch " + marker}}})}}})}}}}
                .dump());
  RunOutput r = RunBrock({"-p", "hi", "--settings", settings});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST_F(HooksTest, PermissionRequestHookAnswersInPlaceOfTheQuestion) {
  StartWithScript(Json::array({
      {{"match", {{"contains", "make"}}},
       {"content", ToolUse("Bash", {{"command", "touch perm-marker"}})}},
      {{"match", {{"tool_result_contains", ""}}}, {"text", "Done."}},
  }));
  std::filesystem::create_directories(root_ + "/seen");
  std::string settings = HookSettings(
      {{"PermissionRequest", "Bash",
        Script(
            "perm.sh",
            "cat >> " + root_ + "/seen/PermissionRequest.jsonl\n" +
                R"(echo '{"hookSpecificOutput": {"hookEventName": "PermissionRequest", "decision": {"behavior": "allow"}}}')"),
        0}});
  // No allow rule: print mode would deny the call, but the hook allows it first.
  RunOutput r = RunBrock({"-p", "make it", "--settings", settings, "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(project_ + "/perm-marker"));
  auto seen = Seen("PermissionRequest");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0]["tool_name"], "Bash");
  EXPECT_EQ(seen[0]["tool_input"]["command"], "touch perm-marker");
}

TEST_F(HooksTest, TerminalListsHooksAndEndsTheSession) {
  StartWithScript(Json::array({{{"text", "hello"}}}));
  std::string settings = HookSettings({{"PreToolUse", "Edit|Write", "echo guarded", 5},
                                       {"SessionEnd", "", Recorder("SessionEnd"), 0},
                                       {"SessionStart", "", Recorder("SessionStart"), 0}});
  PtySession pty;
  std::map<std::string, std::string> env = {{"TERM", "xterm-256color"}, {"NO_COLOR", "1"}};
  pty.Start({BROCK_BIN, "--settings", settings}, BrockEnv(env), project_);
  ASSERT_TRUE(pty.Expect("> "));
  pty.SendLine("/hooks");
  ASSERT_TRUE(pty.Expect("PreToolUse:"));
  ASSERT_TRUE(pty.Expect("[Edit|Write] echo guarded"));
  ASSERT_TRUE(pty.Expect("timeout 5s"));
  ASSERT_TRUE(pty.Expect(settings));
  pty.SendLine("/exit");
  EXPECT_EQ(pty.Wait(), 0);
  ASSERT_EQ(Seen("SessionStart").size(), 1u);
  EXPECT_EQ(Seen("SessionStart")[0]["source"], "startup");
  ASSERT_EQ(Seen("SessionEnd").size(), 1u);
  EXPECT_EQ(Seen("SessionEnd")[0]["reason"], "prompt_input_exit");
}

}  // namespace
}  // namespace brock::e2e
