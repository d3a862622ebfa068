// Claude Code's command-line flags, end to end: each flag brock accepts does what Claude Code's
// --help says where it has a meaning on Bedrock (docs/print-mode.md lists them), one test each.
#include <sys/stat.h>

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "e2e_harness.h"

namespace brock::e2e {
namespace {

Json ParseLine(const std::string& line) { return Json::parse(line, nullptr, false); }

std::vector<Json> JsonLines(const std::string& out) {
  std::vector<Json> lines;
  size_t start = 0;
  while (start < out.size()) {
    size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    if (end > start) lines.push_back(ParseLine(out.substr(start, end - start)));
    start = end + 1;
  }
  return lines;
}

class CliFlagsTest : public E2eTest {
 protected:
  void StartWithScript(const Json& rules) {
    WriteGuideSetup("dev");
    WriteFile("script.json", Json{{"rules", rules}}.dump(2));
    StartEmulator({"--script", root_ + "/script.json"});
  }
  // The request bodies Bedrock received, in order.
  std::vector<Json> Bodies() {
    std::vector<Json> out;
    for (const Json& r : BedrockRequests(emulator_.Requests())) out.push_back(Body(r));
    return out;
  }
  std::vector<std::string> ToolNames(const Json& body) {
    std::vector<std::string> names;
    for (const Json& t : body.value("tools", Json::array())) names.push_back(t.value("name", ""));
    return names;
  }
  static std::string SystemText(const Json& body) {
    const Json& s = body.value("system", Json());
    if (s.is_string()) return s.get<std::string>();
    std::string text;
    for (const Json& b : s.is_array() ? s : Json::array()) text += b.value("text", "");
    return text;
  }
};

const char kUuid[] = "123e4567-e89b-42d3-a456-426614174000";

TEST_F(CliFlagsTest, TextPrintsOnlyTheFinalResult) {
  StartWithScript(
      Json::array({{{"match", {{"contains", "go"}}},
                    {"content",
                     {{{"type", "text"}, {"text", "Let me look first."}},
                      {{"type", "tool_use"}, {"name", "LS"}, {"input", {{"path", "."}}}}}}},
                   {{"text", "All done."}}}));
  RunOutput r = RunBrock({"-p", "go"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "All done.\n");
}

TEST_F(CliFlagsTest, DangerouslySkipPermissionsRunsWithoutAsking) {
  StartWithScript(
      Json::array({{{"match", {{"contains", "write"}}},
                    {"content",
                     {{{"type", "tool_use"},
                       {"name", "Write"},
                       {"input", {{"file_path", project_ + "/made.txt"}, {"content", "hi\n"}}}}}}},
                   {{"text", "written"}}}));
  RunOutput r = RunBrock({"-p", "write it", "--dangerously-skip-permissions"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadAll(project_ + "/made.txt"), "hi\n");
}

TEST_F(CliFlagsTest, AllowDangerouslySkipPermissionsDoesNotBypassByItself) {
  StartWithScript(
      Json::array({{{"match", {{"contains", "write"}}},
                    {"content",
                     {{{"type", "tool_use"},
                       {"name", "Write"},
                       {"input", {{"file_path", project_ + "/made.txt"}, {"content", "hi\n"}}}}}}},
                   {{"text", "not written"}}}));
  RunOutput r = RunBrock(
      {"-p", "write it", "--allow-dangerously-skip-permissions", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadAll(project_ + "/made.txt"), "");
  Json j = ParseLine(r.out);
  EXPECT_EQ(j["permission_denials"].size(), 1u) << r.out;
}

TEST_F(CliFlagsTest, SessionIdNamesTheNewSessionAndMustBeAUuid) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  RunOutput r = RunBrock({"-p", "hi", "--session-id", kUuid, "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ParseLine(r.out)["session_id"], kUuid);
  RunOutput again = RunBrock({"-p", "hi", "--session-id", kUuid});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("already in use"), std::string::npos) << again.err;
  RunOutput bad = RunBrock({"-p", "hi", "--session-id", "not-a-uuid"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("is not a UUID"), std::string::npos) << bad.err;
  // The session can be resumed by that id.
  RunOutput resumed = RunBrock({"-p", "more", "-r", kUuid, "--output-format", "json"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(ParseLine(resumed.out)["session_id"], kUuid);
}

TEST_F(CliFlagsTest, ForkSessionCopiesTheConversationUnderANewId) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  RunOutput first = RunBrock({"-p", "one", "--session-id", kUuid});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  RunOutput fork =
      RunBrock({"-p", "two", "-r", kUuid, "--fork-session", "--output-format", "json"});
  ASSERT_EQ(fork.exit_code, 0) << fork.err;
  std::string id = ParseLine(fork.out)["session_id"];
  EXPECT_NE(id, kUuid);
  auto bodies = Bodies();
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[1]["messages"].size(), 3u) << "the fork sends the earlier turn";
}

TEST_F(CliFlagsTest, NoSessionPersistenceWritesNoTranscript) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  RunOutput r = RunBrock({"-p", "hi", "--no-session-persistence", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string id = ParseLine(r.out)["session_id"];
  EXPECT_FALSE(id.empty());
  RunOutput resume = RunBrock({"-p", "again", "-r", id});
  EXPECT_NE(resume.exit_code, 0) << "nothing was saved to resume";
}

TEST_F(CliFlagsTest, FallbackModelAnswersWhenTheMainModelIsOverloaded) {
  StartWithScript(Json::array(
      {{{"match", {{"model", "opus"}}}, {"error", {{"type", "ServiceUnavailableException"}}}},
       {{"match", {{"model", "haiku"}}}, {"text", "from the fallback"}}}));
  RunOutput r = RunBrock(
      {"-p", "hi", "--model", "opus", "--fallback-model", "haiku", "--output-format", "json"},
      {{"CLAUDE_CODE_MAX_RETRIES", "1"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = ParseLine(r.out);
  EXPECT_EQ(j["result"], "from the fallback");
  EXPECT_NE(r.err.find("--fallback-model"), std::string::npos) << r.err;
  bool haiku_usage = false;
  for (const auto& [model, usage] : j["modelUsage"].items()) {
    if (model.find("haiku") != std::string::npos) haiku_usage = true;
  }
  EXPECT_TRUE(haiku_usage) << j["modelUsage"].dump();
  // Without a fallback the overload is the run's error.
  RunOutput alone = RunBrock({"-p", "hi", "--model", "opus"}, {{"CLAUDE_CODE_MAX_RETRIES", "1"}});
  EXPECT_NE(alone.exit_code, 0);
}

TEST_F(CliFlagsTest, ToolsChoosesTheBuiltInToolsOffered) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  ASSERT_EQ(RunBrock({"-p", "hi", "--tools", "Read,Grep"}).exit_code, 0);
  ASSERT_EQ(RunBrock({"-p", "hi", "--tools", ""}).exit_code, 0);
  ASSERT_EQ(RunBrock({"-p", "hi", "--tools", "default"}).exit_code, 0);
  auto bodies = Bodies();
  ASSERT_EQ(bodies.size(), 3u);
  std::vector<std::string> chosen = ToolNames(bodies[0]);
  std::sort(chosen.begin(), chosen.end());
  EXPECT_EQ(chosen, (std::vector<std::string>{"Grep", "Read"}));
  EXPECT_TRUE(ToolNames(bodies[1]).empty());
  EXPECT_GT(ToolNames(bodies[2]).size(), 5u);
}

TEST_F(CliFlagsTest, SettingSourcesSkipsTheOthers) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  WriteFile(project_ + "/.claude/settings.json", R"({"model": "haiku"})");
  TrustProject();
  ASSERT_EQ(RunBrock({"-p", "hi"}).exit_code, 0);
  ASSERT_EQ(RunBrock({"-p", "hi", "--setting-sources", "user"}).exit_code, 0);
  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_NE(reqs[0].value("path", "").find("haiku"), std::string::npos) << reqs[0].dump();
  EXPECT_NE(reqs[1].value("path", "").find("sonnet"), std::string::npos) << reqs[1].dump();
}

TEST_F(CliFlagsTest, SystemPromptFilesReplaceAndAppend) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  WriteFile(project_ + "/sys.txt", "You are a pirate.");
  WriteFile(project_ + "/more.txt", "Always say arr.");
  ASSERT_EQ(RunBrock({"-p", "hi", "--system-prompt-file", "sys.txt"}).exit_code, 0);
  ASSERT_EQ(RunBrock({"-p", "hi", "--append-system-prompt-file", "more.txt"}).exit_code, 0);
  auto bodies = Bodies();
  ASSERT_EQ(bodies.size(), 2u);
  // The file's text replaces brock's prompt; the environment facts follow it.
  EXPECT_EQ(SystemText(bodies[0]).rfind("You are a pirate.\n\n<env>", 0), 0u)
      << SystemText(bodies[0]);
  EXPECT_NE(SystemText(bodies[1]).find("Always say arr."), std::string::npos);
  EXPECT_GT(SystemText(bodies[1]).size(), std::string("Always say arr.").size());
  RunOutput missing = RunBrock({"-p", "hi", "--system-prompt-file", "nope.txt"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("--system-prompt-file"), std::string::npos) << missing.err;
}

TEST_F(CliFlagsTest, IncludePartialMessagesStreamsEvents) {
  StartWithScript(Json::array({{{"text", "streamed answer"}}}));
  RunOutput r = RunBrock(
      {"-p", "hi", "--output-format", "stream-json", "--verbose", "--include-partial-messages"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> types;
  std::string text;
  for (const Json& line : JsonLines(r.out)) {
    if (line.value("type", "") != "stream_event") continue;
    types.push_back(line["event"].value("type", ""));
    if (line["event"].value("type", "") == "content_block_delta") {
      text += line["event"]["delta"].value("text", "");
    }
  }
  ASSERT_FALSE(types.empty()) << r.out;
  EXPECT_EQ(types.front(), "message_start");
  EXPECT_EQ(types.back(), "message_stop");
  EXPECT_EQ(text, "streamed answer");
  RunOutput without = RunBrock({"-p", "hi", "--output-format", "stream-json", "--verbose"});
  EXPECT_EQ(without.out.find("stream_event"), std::string::npos);
}

TEST_F(CliFlagsTest, ReplayUserMessagesEchoesInput) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  std::string line =
      R"({"type":"user","message":{"role":"user","content":"echo me"}})" + std::string("\n");
  // stdin stays open until the harness closes it after writing; the turn may be interrupted by
  // that close, but the echo comes first.
  RunOutput r = RunBrock({"-p", "--input-format", "stream-json", "--output-format", "stream-json",
                          "--verbose", "--replay-user-messages"},
                         {}, line);
  bool echoed = false;
  for (const Json& l : JsonLines(r.out)) {
    if (l.value("type", "") == "user" && l.value("isReplay", false)) {
      echoed = l["message"]["content"] == "echo me";
    }
  }
  EXPECT_TRUE(echoed) << r.out;
}

TEST_F(CliFlagsTest, PermissionPromptToolMustNameAnMcpToolOrStdio) {
  RunOutput r = RunBrock({"-p", "hi", "--permission-prompt-tool", "approver"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("mcp__<server>__<tool>"), std::string::npos) << r.err;
}

TEST_F(CliFlagsTest, PermissionPromptToolWithoutItsServerDeniesWithTheFix) {
  StartWithScript(Json::array(
      {{{"match", {{"tool_result_contains", "not a tool of a connected MCP server"}}},
        {"text", "Refused."}},
       {{"content",
         {{{"type", "tool_use"}, {"name", "Bash"}, {"input", {{"command", "rm -f x"}}}}}}}}));
  RunOutput r = RunBrock({"-p", "hi", "--permission-prompt-tool", "mcp__approver__ask"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Refused.\n") << r.err;
}

TEST_F(CliFlagsTest, JsonSchemaGivesStructuredOutput) {
  StartWithScript(Json::array({{{"match", {{"contains", "capital"}}},
                                {"content",
                                 {{{"type", "tool_use"},
                                   {"name", "StructuredOutput"},
                                   {"input", {{"city", "Paris"}, {"population", 2100000}}}}}}},
                               {{"text", "Done."}}}));
  std::string schema =
      R"({"type":"object","properties":{"city":{"type":"string"},"population":{"type":"integer"}},"required":["city"]})";
  RunOutput r =
      RunBrock({"-p", "capital of France", "--json-schema", schema, "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  Json j = ParseLine(r.out);
  EXPECT_EQ(j["structured_output"]["city"], "Paris") << r.out;
  auto bodies = Bodies();
  ASSERT_FALSE(bodies.empty());
  auto names = ToolNames(bodies[0]);
  EXPECT_NE(std::find(names.begin(), names.end(), "StructuredOutput"), names.end());
  RunOutput bad = RunBrock({"-p", "x", "--json-schema", "{not json"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("--json-schema"), std::string::npos) << bad.err;
}

TEST_F(CliFlagsTest, AgentsAreListedInInit) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  RunOutput r = RunBrock({"-p", "hi", "--output-format", "stream-json", "--verbose", "--agents",
                          R"({"reviewer":{"description":"Reviews","prompt":"Review"}})"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json init = JsonLines(r.out).front();
  EXPECT_EQ(init["agents"], Json::array({"reviewer"})) << init.dump();
}

TEST_F(CliFlagsTest, DebugWithFilterAndDebugFile) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  RunOutput r = RunBrock({"-p", "--debug=api", "hi"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ok\n");
  EXPECT_NE(r.err.find("[brock]"), std::string::npos) << r.err;
  std::string log = root_ + "/debug.log";
  RunOutput f = RunBrock({"-p", "--debug-file", log, "hi"});
  ASSERT_EQ(f.exit_code, 0) << f.err;
  EXPECT_EQ(f.err.find("[brock]"), std::string::npos) << f.err;
  EXPECT_NE(ReadAll(log).find("[brock]"), std::string::npos);
}

TEST_F(CliFlagsTest, EffortIsValidated) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  EXPECT_EQ(RunBrock({"-p", "hi", "--effort", "high"}).exit_code, 0);
  RunOutput bad = RunBrock({"-p", "hi", "--effort", "extreme"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("--effort"), std::string::npos) << bad.err;
}

TEST_F(CliFlagsTest, MaxBudgetStopsTheRun) {
  StartWithScript(Json::array(
      {{{"match", {{"contains", "go"}}},
        {"content", {{{"type", "tool_use"}, {"name", "LS"}, {"input", {{"path", "."}}}}}},
        {"usage", {{"input_tokens", 100000}, {"output_tokens", 1000}}}},
       {{"text", "never"}}}));
  RunOutput r = RunBrock({"-p", "go", "--max-budget-usd", "0.01", "--output-format", "json"});
  Json j = ParseLine(r.out);
  EXPECT_EQ(j["subtype"], "error_max_budget_usd") << r.out;
  EXPECT_EQ(j["terminal_reason"], "budget_exhausted");
}

TEST_F(CliFlagsTest, SpaceSeparatedAllowedToolsAndAddDir) {
  WriteFile(root_ + "/other/note.txt", "note-canary\n");
  StartWithScript(
      Json::array({{{"match", {{"contains", "read"}}},
                    {"content",
                     {{{"type", "tool_use"},
                       {"name", "Read"},
                       {"input", {{"file_path", root_ + "/other/note.txt"}}}}}}},
                   {{"match", {{"tool_result_contains", "note-canary"}}}, {"text", "read it"}},
                   {{"text", "could not"}}}));
  RunOutput denied = RunBrock({"-p", "read it"});
  EXPECT_EQ(denied.out, "could not\n") << denied.err;
  RunOutput r =
      RunBrock({"-p", "read it", "--add-dir", root_ + "/other", "--allowedTools", "Read Grep"});
  EXPECT_EQ(r.out, "read it\n") << r.err;
}

TEST_F(CliFlagsTest, VerboseIsRequiredForStreamJson) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  RunOutput r = RunBrock({"-p", "hi", "--output-format", "stream-json"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--verbose"), std::string::npos);
}

TEST_F(CliFlagsTest, EveryPermissionModeStarts) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  for (const char* mode :
       {"default", "acceptEdits", "plan", "bypassPermissions", "dontAsk", "auto", "manual"}) {
    RunOutput r = RunBrock({"-p", "hi", "--permission-mode", mode});
    EXPECT_EQ(r.exit_code, 0) << mode << ": " << r.err;
  }
  // "auto" in settings must not stop brock either: it says what it does instead.
  RunOutput s = RunBrock({"-p", "hi", "--settings", R"({"permissions":{"defaultMode":"auto"}})"});
  EXPECT_EQ(s.exit_code, 0) << s.err;
  EXPECT_NE(s.err.find("auto"), std::string::npos) << s.err;
}

TEST_F(CliFlagsTest, WrongTypedSettingIsSkippedWithAWarning) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  std::string file = root_ + "/typed.json";
  WriteFile(file, R"({"model": 42, "permissions": {"allow": "Read"}})");
  RunOutput r = RunBrock({"-p", "hi", "--settings", file});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(file + ": \"model\" must be a string"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("permissions.allow"), std::string::npos) << r.err;
  WriteFile(file, "{\"model\": \"haiku\",\n  oops}");
  RunOutput bad = RunBrock({"-p", "hi", "--settings", file});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find(file + ":2:"), std::string::npos) << bad.err;
}

TEST_F(CliFlagsTest, RestrictedDropsBashAndUserSettings) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  // The user's settings file is not read: the region and profile come from the shell.
  const std::map<std::string, std::string> shell = {{"AWS_REGION", "us-east-1"},
                                                    {"AWS_PROFILE", "dev"}};
  RunOutput r = RunBrock({"-p", "hi", "--restricted"}, shell);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto names = ToolNames(Bodies().at(0));
  EXPECT_EQ(std::find(names.begin(), names.end(), "Bash"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "Read"), names.end());
  RunOutput bypass =
      RunBrock({"-p", "hi", "--restricted", "--dangerously-skip-permissions"}, shell);
  EXPECT_NE(bypass.exit_code, 0);
}

TEST_F(CliFlagsTest, BareSkipsClaudeMd) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  WriteFile(project_ + "/CLAUDE.md", "Project rule: use tabs.");
  TrustProject();
  ASSERT_EQ(RunBrock({"-p", "hi"}).exit_code, 0);
  ASSERT_EQ(RunBrock({"-p", "hi", "--bare"}).exit_code, 0);
  auto bodies = Bodies();
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_NE(bodies[0].dump().find("use tabs"), std::string::npos);
  EXPECT_EQ(bodies[1].dump().find("use tabs"), std::string::npos);
}

TEST_F(CliFlagsTest, DisableSlashCommandsEmptiesTheList) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  RunOutput with = RunBrock({"-p", "hi", "--output-format", "stream-json", "--verbose"});
  RunOutput without = RunBrock(
      {"-p", "hi", "--output-format", "stream-json", "--verbose", "--disable-slash-commands"});
  EXPECT_FALSE(JsonLines(with.out).front()["slash_commands"].empty());
  EXPECT_TRUE(JsonLines(without.out).front()["slash_commands"].empty());
}

TEST_F(CliFlagsTest, BareResumeInPrintModeSaysToPassTheId) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  RunOutput r = RunBrock({"-p", "-r"}, {}, "hi");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("session ID"), std::string::npos) << r.err;
}

TEST_F(CliFlagsTest, FlagsWithoutMeaningOnBedrockSayLeaveOneLineEach) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  RunOutput r = RunBrock({"-p", "hi", "--ide", "--chrome", "--plugin-dir", "/nowhere"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ok\n");
  for (const char* flag : {"--ide", "--chrome", "--plugin-dir"}) {
    EXPECT_NE(r.err.find(std::string("brock: ") + flag + " is accepted and ignored"),
              std::string::npos)
        << flag << ": " << r.err;
  }
}

TEST_F(CliFlagsTest, EveryFlagWithoutMeaningOnBedrockRunsTheQuestionAnyway) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  const std::vector<std::string> flags = {"--ax-screen-reader",
                                          "--bg",
                                          "--betas",
                                          "x",
                                          "--brief",
                                          "--no-chrome",
                                          "--cloud",
                                          "--desktop",
                                          "--environment",
                                          "e",
                                          "--exclude-dynamic-system-prompt-sections",
                                          "--file",
                                          "f",
                                          "--forward-subagent-text",
                                          "--from-pr",
                                          "--plugin-url",
                                          "https://example.invalid/p",
                                          "--prompt-suggestions",
                                          "--remote-control",
                                          "--remote-control-session-name-prefix",
                                          "x",
                                          "--system-prompt-snapshot",
                                          "s",
                                          "--teleport",
                                          "--tmux",
                                          "--worktree",
                                          "--name",
                                          "n",
                                          "--agent",
                                          "reviewer"};
  std::vector<std::string> args = {"-p"};
  args.insert(args.end(), flags.begin(), flags.end());
  args.insert(args.end(), {"--", "hi"});
  RunOutput r = RunBrock(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ok\n");
  for (const std::string& flag : flags) {
    if (flag.rfind("--", 0) != 0) continue;
    EXPECT_NE(r.err.find("brock: " + flag + " is accepted and ignored"), std::string::npos)
        << flag << ": " << r.err;
  }
}

TEST_F(CliFlagsTest, MaxThinkingTokensSetsTheBudget) {
  StartWithScript(Json::array({{{"text", "ok"}}}));
  RunOutput r = RunBrock({"-p", "hi", "--max-thinking-tokens", "2048"},
                         {{"CLAUDE_CODE_DISABLE_THINKING", "<unset>"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(Body(reqs[0])["thinking"], (Json{{"type", "enabled"}, {"budget_tokens", 2048}}));
}

}  // namespace
}  // namespace brock::e2e
