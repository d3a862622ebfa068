// The agent's hook events with real hook commands (/bin/sh) and a scripted model: the events the
// end-to-end tests do not reach (PostToolUseFailure, continue:false, PreCompact) and the notices
// reaching the sink.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "agent/agent_loop.h"
#include "testing/fake_env.h"
#include "testing/tool_test_util.h"

namespace brock {
namespace {

class ScriptedModel : public ModelClient {
 public:
  Result<ModelReply> Stream(const std::vector<Message>& messages, const ModelCallOptions&,
                            const ModelObserver&, const std::atomic<bool>*) override {
    calls.push_back(messages);
    return script.at(std::min(calls.size(), script.size()) - 1);
  }
  bool IsContextOverflow(const Error&) const override { return false; }
  std::vector<ModelReply> script;
  std::vector<std::vector<Message>> calls;
};

// A tool that fails when its input says so.
class FlakyTool : public Tool {
 public:
  std::string name() const override { return "Flaky"; }
  std::string description() const override { return "test"; }
  Json input_schema() const override { return {{"type", "object"}}; }
  bool read_only() const override { return false; }
  PermissionSubject Subject(const Json&, const ToolContext&) const override { return {}; }
  Result<ToolResult> Run(const Json& input, ToolContext&) override {
    ++runs;
    if (input.value("fail", false)) return ToolResult::Text("disk on fire", /*is_error=*/true);
    return ToolResult::Text("fine");
  }
  int runs = 0;
};

struct NoticeSink : AgentSink {
  void OnHook(const HookNotice& n) override { notices.push_back(n); }
  void OnWarning(std::string_view w) override { warnings.emplace_back(w); }
  std::vector<HookNotice> notices;
  std::vector<std::string> warnings;
};

ModelReply Reply(std::vector<ContentBlock> content, const std::string& stop, int64_t tokens = 10) {
  ModelReply r;
  r.message = {Role::kAssistant, std::move(content)};
  r.stop_reason = stop;
  r.usage.input_tokens = tokens;
  return r;
}

ModelReply CallFlaky(bool fail, int64_t tokens = 10) {
  return Reply({ContentBlock::ToolUse("toolu_1", "Flaky", Json{{"fail", fail}})}, "tool_use",
               tokens);
}

class AgentHooksTest : public ::testing::Test {
 protected:
  AgentHooksTest() : ctx_{env_, RealProcessRunner(), dir_.path(), {}, &reads_, nullptr, nullptr} {}

  void UseHooks(std::vector<HookCommand> hooks) {
    engine_ = std::make_unique<HookEngine>(std::move(hooks), RealProcessRunner(), env_,
                                           HookSessionInfo{"s1", "", dir_.path(), "default", ""});
  }
  HookCommand Hook(const std::string& event, const std::string& command) {
    HookCommand h;
    h.event = event;
    h.command = command;
    return h;
  }
  AgentOptions Options() {
    AgentOptions o;
    o.model_id = "m";
    o.tools = {&tool_};
    o.authorize = [](const Tool&, const Json&, const ToolContext&) -> std::optional<std::string> {
      return std::nullopt;
    };
    o.tool_context = &ctx_;
    o.hooks = engine_.get();
    o.compact_at_tokens = 0;
    return o;
  }
  std::string ToolResultText(size_t call) {
    return MessagesToJson(model_.calls.at(call)).back().dump();
  }

  testing::TempDir dir_;
  testing::FakeEnv env_;
  std::map<std::string, ReadRecord> reads_;
  ToolContext ctx_;
  FlakyTool tool_;
  ScriptedModel model_;
  NoticeSink sink_;
  std::unique_ptr<HookEngine> engine_;
};

TEST_F(AgentHooksTest, PostToolUseFailureGetsTheErrorAndAddsContext) {
  std::string seen = dir_ / "failure.json";
  UseHooks({Hook("PostToolUseFailure",
                 "cat > '" + seen +
                     "'; echo '{\"hookSpecificOutput\": {\"additionalContext\": \"try the spare "
                     "disk\"}}'"),
            Hook("PostToolUse", "echo 'should not run' >&2; exit 2")});
  model_.script = {CallFlaky(true), Reply({ContentBlock::Text("ok")}, "end_turn")};
  Agent agent(model_, env_, Options(), sink_);
  RunResult r = agent.Run({}, "go");
  EXPECT_FALSE(r.is_error);
  Json in = Json::parse(testing::ReadRaw(seen));
  EXPECT_EQ(in["hook_event_name"], "PostToolUseFailure");
  EXPECT_EQ(in["tool_name"], "Flaky");
  EXPECT_EQ(in["error"], "disk on fire");
  EXPECT_EQ(in["is_interrupt"], false);
  std::string sent = ToolResultText(1);
  EXPECT_NE(sent.find("try the spare disk"), std::string::npos) << sent;
  EXPECT_EQ(sent.find("should not run"), std::string::npos);
}

TEST_F(AgentHooksTest, ContinueFalseStopsTheRunAfterTheToolTurn) {
  UseHooks({Hook("PostToolUse", R"(echo '{"continue": false, "stopReason": "build broke"}')")});
  model_.script = {CallFlaky(false), Reply({ContentBlock::Text("more")}, "end_turn")};
  Agent agent(model_, env_, Options(), sink_);
  RunResult r = agent.Run({}, "go");
  EXPECT_EQ(model_.calls.size(), 1u) << "no request after the hook stopped the session";
  EXPECT_EQ(tool_.runs, 1);
  EXPECT_EQ(r.result, "build broke");
  ASSERT_FALSE(sink_.warnings.empty());
  EXPECT_NE(sink_.warnings[0].find("build broke"), std::string::npos);
}

TEST_F(AgentHooksTest, PreCompactFiresBeforeCompactionAndSessionStartCompactAfter) {
  std::string log = dir_ / "events";
  UseHooks(
      {Hook("PreCompact", "cat >> '" + log + "'; echo >> '" + log + "'"),
       Hook("SessionStart", "cat >> '" + log + "'; echo >> '" + log + "'; echo 'resumed note'")});
  model_.script = {CallFlaky(false, 500), Reply({ContentBlock::Text("summary")}, "end_turn"),
                   Reply({ContentBlock::Text("done")}, "end_turn")};
  AgentOptions o = Options();
  o.compact_at_tokens = 100;
  Agent agent(model_, env_, o, sink_);
  agent.Run({}, "go");
  std::string text = testing::ReadRaw(log);
  size_t pre = text.find("\"hook_event_name\":\"PreCompact\"");
  size_t start = text.find("\"source\":\"compact\"");
  ASSERT_NE(pre, std::string::npos) << text;
  ASSERT_NE(start, std::string::npos) << text;
  EXPECT_LT(pre, start);
  EXPECT_NE(text.find("\"trigger\":\"auto\""), std::string::npos);
  ASSERT_EQ(model_.calls.size(), 3u);
  EXPECT_NE(MessagesToJson(model_.calls[2]).dump().find("resumed note"), std::string::npos);
}

TEST_F(AgentHooksTest, NoticesReachTheSink) {
  UseHooks({Hook("PreToolUse", "echo fine"), Hook("PreToolUse", "exit 7")});
  model_.script = {CallFlaky(false), Reply({ContentBlock::Text("ok")}, "end_turn")};
  Agent agent(model_, env_, Options(), sink_);
  agent.Run({}, "go");
  ASSERT_EQ(sink_.notices.size(), 2u);
  EXPECT_EQ(sink_.notices[0].outcome, "success");
  EXPECT_EQ(sink_.notices[1].outcome, "error");
  EXPECT_NE(sink_.notices[1].message.find("exit 7"), std::string::npos);
  EXPECT_EQ(tool_.runs, 1) << "a non-blocking error lets the tool run";
}

}  // namespace
}  // namespace brock
