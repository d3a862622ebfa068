// The hook engine with real /bin/sh processes: matchers, the JSON input on stdin, exit codes,
// JSON output, deduplication, parallel runs, timeouts that kill the hook's process group.
#include "agent/hook_engine.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "agent/hook_matcher.h"
#include "testing/tool_test_util.h"

namespace brock {
namespace {

using testing::ReadRaw;
using testing::TempDir;

TEST(HookMatcherTest, DocumentedForms) {
  EXPECT_TRUE(HookMatcherMatches("", "Bash"));
  EXPECT_TRUE(HookMatcherMatches("*", "Bash"));
  EXPECT_TRUE(HookMatcherMatches("Bash", "Bash"));
  EXPECT_FALSE(HookMatcherMatches("Bash", "bash"));
  EXPECT_FALSE(HookMatcherMatches("Bash", "BashOutput"));
  EXPECT_TRUE(HookMatcherMatches("Edit|Write", "Write"));
  EXPECT_FALSE(HookMatcherMatches("Edit|Write", "MultiEdit"));
  EXPECT_TRUE(HookMatcherMatches("Notebook.*", "NotebookEdit"));
  EXPECT_TRUE(HookMatcherMatches("mcp__memory__.*", "mcp__memory__create_entities"));
  EXPECT_FALSE(HookMatcherMatches("mcp__memory__.*", "mcp__github__search"));
  EXPECT_TRUE(HookMatcherMatches("mcp__github__search", "mcp__github__search"));
  EXPECT_TRUE(HookMatcherMatches("^(Read|Grep)$", "Grep"));
  EXPECT_FALSE(HookMatcherMatches("([", "Bash"));  // not a valid regex: matches nothing
}

class HookEngineTest : public ::testing::Test {
 protected:
  HookCommand Hook(const std::string& event, const std::string& matcher, const std::string& cmd,
                   int timeout = 60) {
    HookCommand h;
    h.event = event;
    h.matcher = matcher;
    h.command = cmd;
    h.timeout_seconds = timeout;
    h.source_file = "/home/user/.claude/settings.json";
    return h;
  }
  HookEngine Engine(std::vector<HookCommand> hooks) {
    return HookEngine(std::move(hooks), RealProcessRunner(), RealEnv(),
                      {"sess-1", "/t/sess-1.jsonl", dir_.path(), "default", dir_.path()});
  }
  TempDir dir_;
};

TEST_F(HookEngineTest, StdinCarriesTheDocumentedFieldsAndEnvHasProjectDir) {
  std::string out = dir_ / "in.json";
  std::string env_out = dir_ / "env.txt";
  HookEngine e(std::vector<HookCommand>{Hook(
                   "PreToolUse", "Bash",
                   "cat > '" + out + "'; echo \"$CLAUDE_PROJECT_DIR\" > '" + env_out + "'")},
               RealProcessRunner(), RealEnv(),
               {"sess-1", "/t/sess-1.jsonl", dir_.path(), "plan", "/proj"});
  HookOutcome o = e.Fire(
      "PreToolUse", "Bash",
      {{"tool_name", "Bash"}, {"tool_input", {{"command", "ls"}}}, {"tool_use_id", "toolu_1"}});
  EXPECT_EQ(o.hooks_run, 1);
  Json in = Json::parse(ReadRaw(out));
  EXPECT_EQ(in["session_id"], "sess-1");
  EXPECT_EQ(in["transcript_path"], "/t/sess-1.jsonl");
  EXPECT_EQ(in["cwd"], dir_.path());
  EXPECT_EQ(in["permission_mode"], "plan");
  EXPECT_EQ(in["hook_event_name"], "PreToolUse");
  EXPECT_EQ(in["tool_name"], "Bash");
  EXPECT_EQ(in["tool_input"]["command"], "ls");
  EXPECT_EQ(in["tool_use_id"], "toolu_1");
  EXPECT_EQ(ReadRaw(env_out), "/proj\n");
}

TEST_F(HookEngineTest, MatcherSelectsAndOtherEventsIgnoreIt) {
  auto e = Engine({Hook("PreToolUse", "Write|Edit", "exit 2"), Hook("Stop", "Bash", "exit 2")});
  EXPECT_EQ(e.Fire("PreToolUse", "Bash", Json::object()).hooks_run, 0);
  EXPECT_EQ(e.Fire("PreToolUse", "Edit", Json::object()).hooks_run, 1);
  EXPECT_EQ(e.Fire("Stop", "", Json::object()).hooks_run, 1);  // Stop has no matcher
}

TEST_F(HookEngineTest, ExitTwoBlocksWithStderr) {
  auto e = Engine({Hook("PreToolUse", "", "echo 'rm is not allowed' >&2; exit 2")});
  HookOutcome o = e.Fire("PreToolUse", "Bash", Json::object());
  EXPECT_TRUE(o.block);
  EXPECT_EQ(o.block_reason, "rm is not allowed");
  ASSERT_EQ(o.notices.size(), 1u);
  EXPECT_EQ(o.notices[0].outcome, "blocked");
  EXPECT_EQ(o.notices[0].exit_code, 2);
  EXPECT_EQ(o.notices[0].name, "PreToolUse:Bash");
}

TEST_F(HookEngineTest, OtherExitCodesAreNonBlockingErrors) {
  auto e = Engine({Hook("PostToolUse", "", "echo oops >&2; exit 3")});
  HookOutcome o = e.Fire("PostToolUse", "Bash", Json::object());
  EXPECT_FALSE(o.block);
  ASSERT_EQ(o.notices.size(), 1u);
  EXPECT_EQ(o.notices[0].outcome, "error");
  EXPECT_NE(o.notices[0].message.find("exit 3"), std::string::npos);
  EXPECT_NE(o.notices[0].message.find("oops"), std::string::npos);
}

TEST_F(HookEngineTest, JsonPermissionDecisionAndUpdatedInput) {
  auto e = Engine({Hook("PreToolUse", "",
                        R"(echo '{"hookSpecificOutput": {"hookEventName": "PreToolUse",
                           "permissionDecision": "allow", "permissionDecisionReason": "safe",
                           "updatedInput": {"command": "echo rewritten"}}}')")});
  HookOutcome o = e.Fire("PreToolUse", "Bash", Json::object());
  EXPECT_EQ(o.permission_decision, "allow");
  EXPECT_EQ(o.permission_reason, "safe");
  ASSERT_FALSE(o.updated_input.is_null());
  EXPECT_EQ(o.updated_input.get()["command"], "echo rewritten");
}

TEST_F(HookEngineTest, DenyWinsOverAllowAcrossHooks) {
  auto e = Engine(
      {Hook("PreToolUse", "", R"(echo '{"hookSpecificOutput": {"permissionDecision": "allow"}}')"),
       Hook(
           "PreToolUse", "",
           R"(echo '{"hookSpecificOutput": {"permissionDecision": "deny", "permissionDecisionReason": "no"}}')"),
       Hook("PreToolUse", "", R"(echo '{"decision": "approve"}')")});
  HookOutcome o = e.Fire("PreToolUse", "Bash", Json::object());
  EXPECT_EQ(o.permission_decision, "deny");
  EXPECT_EQ(o.permission_reason, "no");
}

TEST_F(HookEngineTest, LegacyBlockDecisionDeniesATool) {
  auto e = Engine({Hook("PreToolUse", "", R"(echo '{"decision": "block", "reason": "legacy"}')")});
  HookOutcome o = e.Fire("PreToolUse", "Bash", Json::object());
  EXPECT_EQ(o.permission_decision, "deny");
  EXPECT_EQ(o.permission_reason, "legacy");
}

TEST_F(HookEngineTest, ContinueFalseSystemMessageSuppressOutput) {
  auto e =
      Engine({Hook("PostToolUse", "",
                   R"(echo '{"continue": false, "stopReason": "enough", "systemMessage": "note",
                           "suppressOutput": true}')")});
  HookOutcome o = e.Fire("PostToolUse", "Bash", Json::object());
  EXPECT_TRUE(o.stop);
  EXPECT_EQ(o.stop_reason, "enough");
  ASSERT_EQ(o.notices.size(), 1u);
  EXPECT_EQ(o.notices[0].message, "note");
  EXPECT_TRUE(o.notices[0].suppress_output);
}

TEST_F(HookEngineTest, PlainStdoutIsContextOnlyForPromptAndSessionStart) {
  auto e = Engine({Hook("UserPromptSubmit", "", "echo 'today is Tuesday'"),
                   Hook("PostToolUse", "", "echo 'just output'")});
  EXPECT_EQ(e.Fire("UserPromptSubmit", "", Json::object()).context,
            std::vector<std::string>{"today is Tuesday"});
  EXPECT_TRUE(e.Fire("PostToolUse", "Bash", Json::object()).context.empty());
}

TEST_F(HookEngineTest, PermissionRequestDecision) {
  auto e = Engine({Hook("PermissionRequest", "Bash",
                        R"(echo '{"hookSpecificOutput": {"hookEventName": "PermissionRequest",
                           "decision": {"behavior": "deny", "message": "not today"}}}')")});
  HookOutcome o = e.Fire("PermissionRequest", "Bash", Json::object());
  EXPECT_EQ(o.permission_behavior, "deny");
  EXPECT_EQ(o.permission_message, "not today");
}

TEST_F(HookEngineTest, SameCommandRunsOnce) {
  std::string log = dir_ / "log";
  std::string cmd = "echo x >> '" + log + "'";
  auto e = Engine({Hook("Stop", "", cmd), Hook("Stop", "", cmd)});
  EXPECT_EQ(e.Fire("Stop", "", Json::object()).hooks_run, 1);
  EXPECT_EQ(ReadRaw(log), "x\n");
}

TEST_F(HookEngineTest, MatchingHooksRunInParallel) {
  auto e = Engine({Hook("Stop", "", "sleep 1; echo a"), Hook("Stop", "", "sleep 1; echo b"),
                   Hook("Stop", "", "sleep 1; echo c")});
  auto started = std::chrono::steady_clock::now();
  HookOutcome o = e.Fire("Stop", "", Json::object());
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(o.hooks_run, 3);
  EXPECT_LT(took, std::chrono::milliseconds(2500));
}

TEST_F(HookEngineTest, TimeoutKillsTheHookAndItsChildren) {
  std::string marker = dir_ / "survived";
  auto e = Engine({Hook("PreToolUse", "", "(sleep 3; touch '" + marker + "') & sleep 30", 1)});
  auto started = std::chrono::steady_clock::now();
  HookOutcome o = e.Fire("PreToolUse", "Bash", Json::object());
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_FALSE(o.block);
  ASSERT_EQ(o.notices.size(), 1u);
  EXPECT_EQ(o.notices[0].outcome, "error");
  EXPECT_NE(o.notices[0].message.find("timed out after 1s"), std::string::npos);
  ::sleep(4);
  EXPECT_TRUE(ReadRaw(marker).empty() && ::access(marker.c_str(), F_OK) != 0)
      << "the hook's background child outlived the timeout";
}

TEST_F(HookEngineTest, ListenerHearsEveryNotice) {
  auto e = Engine({Hook("Stop", "", "true"), Hook("Stop", "", "exit 1")});
  int heard = 0;
  e.set_listener([&](const HookNotice&) { ++heard; });
  e.Fire("Stop", "", Json::object());
  EXPECT_EQ(heard, 2);
}

TEST(HookEnvFileTest, ParsesExportsAndAssignments) {
  auto vars = ParseHookEnvFile(
      "export NODE_ENV=production\nAPI='x y'\n# comment\nexport B=\"q\"\n1BAD=no\nnot a line\n");
  ASSERT_EQ(vars.size(), 3u);
  EXPECT_EQ(vars[0], (std::pair<std::string, std::string>{"NODE_ENV", "production"}));
  EXPECT_EQ(vars[1].second, "x y");
  EXPECT_EQ(vars[2].second, "q");
}

}  // namespace
}  // namespace brock
