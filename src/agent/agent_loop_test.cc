#include "agent/agent_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "testing/fake_env.h"
#include "testing/bedrock_fake_http.h"

namespace brock {
namespace {

using testing::FakeBedrockHttp;
using testing::ReplySpec;
using testing::StreamReply;

constexpr char kModel[] = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

// A read-only tool whose subject is the path in its input; records every call. When
// `rendezvous` is set, each call waits (up to 5 s) until that many calls are running at once.
class ProbeTool : public Tool {
 public:
  explicit ProbeTool(std::string name = "Probe") : name_(std::move(name)) {}
  std::string name() const override { return name_; }
  std::string description() const override { return "Reads a path for the test."; }
  Json input_schema() const override {
    return {{"type", "object"}, {"properties", {{"path", {{"type", "string"}}}}}, {"required", {"path"}}};
  }
  bool read_only() const override { return true; }
  PermissionSubject Subject(const Json& input, const ToolContext&) const override {
    return {PermissionSubject::Kind::kPath, input.value("path", "")};
  }
  Result<ToolResult> Run(const Json& input, ToolContext&) override {
    int now_running = ++running;
    int seen = max_running.load();
    while (seen < now_running && !max_running.compare_exchange_weak(seen, now_running)) {
    }
    if (rendezvous > 0) {
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      while (max_running < rendezvous && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      inputs.push_back(input);
    }
    --running;
    return ToolResult::Text("contents of " + input.value("path", ""));
  }

  std::mutex mu;
  std::vector<Json> inputs;
  std::atomic<int> running{0};
  std::atomic<int> max_running{0};
  int rendezvous = 0;

 private:
  std::string name_;
};

class NullRunner : public ProcessRunner {
 public:
  Result<ProcessResult> Run(const ProcessSpec&, const std::atomic<bool>*) override {
    return MakeError("process.start", "no processes in this test");
  }
};

struct RecordingSink : AgentSink {
  void OnInit(const SessionInfo&) override { events.push_back("init"); }
  void OnTextDelta(std::string_view t) override { text.append(t); }
  void OnAssistantMessage(const Json&, const AssistantReply&) override { events.push_back("assistant"); }
  void OnUserMessage(const Json& m) override {
    events.push_back("user");
    user_messages.push_back(m);
  }
  void OnRetry(const Error&, int, std::chrono::milliseconds) override { events.push_back("retry"); }
  void OnWarning(std::string_view w) override { warnings.emplace_back(w); }
  void OnResult(const RunResult&) override { events.push_back("result"); }
  std::vector<std::string> events;
  std::vector<std::string> warnings;
  std::vector<Json> user_messages;
  std::string text;
};

ReplySpec Text(const std::string& text, int64_t input_tokens = 10) {
  ReplySpec s;
  s.pieces = {text};
  s.input_tokens = input_tokens;
  return s;
}

ReplySpec ToolCalls(std::vector<ReplySpec::ToolCall> calls, int64_t input_tokens = 10) {
  ReplySpec s;
  s.pieces = {"Let me check."};
  s.tool_calls = std::move(calls);
  s.stop_reason = "tool_use";
  s.input_tokens = input_tokens;
  return s;
}

// Counts "cache_control" keys anywhere in `j`.
int CountCacheControl(const Json& j) {
  int n = 0;
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "cache_control") ++n;
      n += CountCacheControl(it.value());
    }
  } else if (j.is_array()) {
    for (const Json& e : j) n += CountCacheControl(e);
  }
  return n;
}

class AgentLoopTest : public ::testing::Test {
 protected:
  AgentLoopTest()
      : ctx_{env_, runner_, "/home/user/project", {}, &reads_, nullptr, &todos_},
        runtime_(http_, env_, RuntimeOptionsForTest()) {}

  static RuntimeOptions RuntimeOptionsForTest() {
    RuntimeOptions o;
    o.base_url = "http://127.0.0.1:1";
    o.region = "us-east-1";
    o.auth.kind = BedrockAuthKind::kUnsigned;
    o.max_retries = 0;
    return o;
  }

  AgentOptions Options() {
    AgentOptions o;
    o.model_id = kModel;
    o.max_tokens = 1000;
    o.system_prompt = "You are a test.";
    o.tools = {&probe_};
    o.authorize = [](const Tool&, const Json&, const ToolContext&) -> std::optional<std::string> {
      return std::nullopt;
    };
    o.tool_context = &ctx_;
    o.session.session_id = "sess-1";
    return o;
  }

  RunResult Run(AgentOptions options, std::vector<Json> history, const std::string& prompt) {
    Agent agent(runtime_, env_, std::move(options), sink_);
    RunResult r = agent.Run(std::move(history), prompt);
    final_messages_ = agent.messages();
    return r;
  }

  testing::FakeEnv env_;
  NullRunner runner_;
  std::map<std::string, ReadRecord> reads_;
  Json todos_ = Json::array();
  ToolContext ctx_;
  FakeBedrockHttp http_;
  BedrockRuntime runtime_;
  ProbeTool probe_;
  RecordingSink sink_;
  std::vector<Json> final_messages_;
};

TEST_F(AgentLoopTest, PlainAnswerEndsTheRun) {
  http_.script.push_back(StreamReply(Text("Hi there.")));
  RunResult r = Run(Options(), {}, "hello");
  EXPECT_FALSE(r.is_error) << r.result;
  EXPECT_EQ(r.subtype, "success");
  EXPECT_EQ(r.result, "Hi there.");
  EXPECT_EQ(r.num_turns, 1);
  EXPECT_EQ(r.session_id, "sess-1");
  EXPECT_EQ(sink_.text, "Hi there.");
  EXPECT_EQ(sink_.events, (std::vector<std::string>{"init", "assistant", "result"}));
  ASSERT_EQ(http_.requests.size(), 1u);
  Json body = http_.Body(0);
  EXPECT_EQ(body["anthropic_version"], "bedrock-2023-05-31");
  EXPECT_EQ(body["max_tokens"], 1000);
  EXPECT_EQ(body["messages"][0]["role"], "user");
  EXPECT_EQ(body["messages"][0]["content"][0]["text"], "hello");
  EXPECT_EQ(body["tools"][0]["name"], "Probe");
  EXPECT_EQ(r.usage.input_tokens, 10);
  EXPECT_GT(r.total_cost_usd, 0);
  EXPECT_EQ(r.model_usage.count(kModel), 1u);
}

TEST_F(AgentLoopTest, ToolUseRunsTheToolAndSendsTheResultBack) {
  http_.script.push_back(StreamReply(ToolCalls({{"toolu_1", "Probe", {{"path", "/etc/hosts"}}}})));
  http_.script.push_back(StreamReply(Text("The file lists hosts.")));
  RunResult r = Run(Options(), {}, "what is in /etc/hosts?");
  EXPECT_FALSE(r.is_error) << r.result;
  EXPECT_EQ(r.result, "The file lists hosts.");
  EXPECT_EQ(r.num_turns, 2);
  ASSERT_EQ(probe_.inputs.size(), 1u);
  EXPECT_EQ(probe_.inputs[0], (Json{{"path", "/etc/hosts"}}));
  ASSERT_EQ(http_.requests.size(), 2u);
  const Json messages = http_.Body(1)["messages"];
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[1]["role"], "assistant");
  EXPECT_EQ(messages[1]["content"][1]["type"], "tool_use");
  EXPECT_EQ(messages[1]["content"][1]["input"], (Json{{"path", "/etc/hosts"}}));
  EXPECT_EQ(messages[2]["role"], "user");
  const Json& tr = messages[2]["content"][0];
  EXPECT_EQ(tr["type"], "tool_result");
  EXPECT_EQ(tr["tool_use_id"], "toolu_1");
  EXPECT_EQ(tr["content"][0]["text"], "contents of /etc/hosts");
  EXPECT_FALSE(tr.contains("is_error"));
  EXPECT_EQ(sink_.events, (std::vector<std::string>{"init", "assistant", "user", "assistant", "result"}));
  EXPECT_TRUE(r.permission_denials.empty());
  EXPECT_EQ(r.usage.input_tokens, 20);
}

TEST_F(AgentLoopTest, AuthorizerDenialIsAnErrorResultAndAPermissionDenial) {
  http_.script.push_back(StreamReply(ToolCalls({{"toolu_7", "Probe", {{"path", "/root/.ssh/id_rsa"}}}})));
  http_.script.push_back(StreamReply(Text("I may not read that.")));
  AgentOptions o = Options();
  int asked = 0;
  o.authorize = [&](const Tool& tool, const Json& input, const ToolContext&) -> std::optional<std::string> {
    ++asked;
    EXPECT_EQ(tool.name(), "Probe");
    return "Permission to use Probe on " + input.value("path", "") + " has been denied.";
  };
  RunResult r = Run(o, {}, "read my key");
  EXPECT_EQ(asked, 1);
  EXPECT_TRUE(probe_.inputs.empty()) << "a denied tool must not run";
  const Json tr = http_.Body(1)["messages"][2]["content"][0];
  EXPECT_EQ(tr["tool_use_id"], "toolu_7");
  EXPECT_EQ(tr["is_error"], true);
  EXPECT_EQ(tr["content"][0]["text"], "Permission to use Probe on /root/.ssh/id_rsa has been denied.");
  ASSERT_EQ(r.permission_denials.size(), 1u);
  EXPECT_EQ(r.permission_denials[0]["tool_name"], "Probe");
  EXPECT_EQ(r.permission_denials[0]["tool_use_id"], "toolu_7");
  EXPECT_EQ(r.permission_denials[0]["tool_input"], (Json{{"path", "/root/.ssh/id_rsa"}}));
  EXPECT_FALSE(r.is_error);
  EXPECT_EQ(r.result, "I may not read that.");
}

TEST_F(AgentLoopTest, UnknownToolIsAnErrorResult) {
  http_.script.push_back(StreamReply(ToolCalls({{"toolu_2", "Teleport", {{"to", "mars"}}}})));
  http_.script.push_back(StreamReply(Text("That tool does not exist.")));
  RunResult r = Run(Options(), {}, "go");
  const Json tr = http_.Body(1)["messages"][2]["content"][0];
  EXPECT_EQ(tr["tool_use_id"], "toolu_2");
  EXPECT_EQ(tr["is_error"], true);
  EXPECT_NE(tr["content"][0]["text"].get<std::string>().find("Teleport"), std::string::npos) << tr.dump();
  EXPECT_TRUE(probe_.inputs.empty());
  EXPECT_FALSE(r.is_error);
}

TEST_F(AgentLoopTest, MaxTurnsStopsWithErrorMaxTurns) {
  http_.script.push_back(StreamReply(ToolCalls({{"toolu_1", "Probe", {{"path", "/a"}}}})));  // repeats
  AgentOptions o = Options();
  o.max_turns = 2;
  RunResult r = Run(o, {}, "loop forever");
  EXPECT_TRUE(r.is_error);
  EXPECT_EQ(r.subtype, "error_max_turns");
  EXPECT_EQ(r.num_turns, 2);
  EXPECT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(probe_.inputs.size(), 2u);
  EXPECT_NE(r.result.find("2"), std::string::npos) << r.result;
  EXPECT_EQ(sink_.events.back(), "result");
}

TEST_F(AgentLoopTest, BedrockErrorEndsTheRunWithErrorDuringExecution) {
  http_.script.push_back(testing::AwsErrorReply(403, "AccessDeniedException", "no access"));
  RunResult r = Run(Options(), {}, "hello");
  EXPECT_TRUE(r.is_error);
  EXPECT_EQ(r.subtype, "error_during_execution");
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->code, "aws.AccessDeniedException");
  EXPECT_EQ(sink_.events, (std::vector<std::string>{"init", "result"}));
}

TEST_F(AgentLoopTest, CacheControlBreakpointsArePlaced) {
  http_.script.push_back(StreamReply(ToolCalls({{"toolu_1", "Probe", {{"path", "/a"}}}})));
  http_.script.push_back(StreamReply(Text("done")));
  ProbeTool second("Second");
  AgentOptions o = Options();
  o.tools = {&probe_, &second};
  RunResult r = Run(o, {}, "hello");
  ASSERT_FALSE(r.is_error) << r.result;
  for (size_t i = 0; i < http_.requests.size(); ++i) {
    Json body = http_.Body(i);
    int n = CountCacheControl(body);
    EXPECT_GE(n, 1) << "request " << i;
    EXPECT_LE(n, 4) << "Bedrock allows at most 4 breakpoints; request " << i;
    EXPECT_EQ(body["system"][0]["cache_control"]["type"], "ephemeral");
    EXPECT_FALSE(body["tools"][0].contains("cache_control"));
    EXPECT_EQ(body["tools"][1]["cache_control"]["type"], "ephemeral");
    const Json& last = body["messages"].back()["content"].back();
    EXPECT_EQ(last["cache_control"]["type"], "ephemeral") << body["messages"].dump();
    // Earlier messages carry no breakpoint of their own.
    for (size_t m = 0; m + 1 < body["messages"].size(); ++m) {
      EXPECT_EQ(CountCacheControl(body["messages"][m]), 0) << "message " << m;
    }
  }
  // The conversation the agent keeps is not marked.
  EXPECT_EQ(CountCacheControl(Json(final_messages_)), 0);
}

TEST_F(AgentLoopTest, NoCacheControlWithPromptCachingOff) {
  http_.script.push_back(StreamReply(ToolCalls({{"toolu_1", "Probe", {{"path", "/a"}}}})));
  http_.script.push_back(StreamReply(Text("done")));
  AgentOptions o = Options();
  o.prompt_caching = false;
  RunResult r = Run(o, {}, "hello");
  ASSERT_FALSE(r.is_error) << r.result;
  ASSERT_EQ(http_.requests.size(), 2u);
  for (size_t i = 0; i < http_.requests.size(); ++i) {
    EXPECT_EQ(http_.requests[i].body.find("cache_control"), std::string::npos) << http_.requests[i].body;
  }
}

TEST_F(AgentLoopTest, CompactsWhenUsageExceedsTheThreshold) {
  http_.script.push_back(StreamReply(ToolCalls({{"toolu_1", "Probe", {{"path", "/big"}}}}, /*input_tokens=*/5000)));
  http_.script.push_back(StreamReply(Text("SUMMARY: the user asked about /big; it was read.")));
  http_.script.push_back(StreamReply(Text("Final answer.")));
  AgentOptions o = Options();
  o.compact_at_tokens = 4000;
  std::vector<std::string> summaries;
  o.on_compaction = [&](const std::string& s) { summaries.push_back(s); };
  RunResult r = Run(o, {}, "look at /big");
  ASSERT_FALSE(r.is_error) << r.result;
  EXPECT_EQ(r.result, "Final answer.");
  ASSERT_EQ(http_.requests.size(), 3u);

  // Request 2 asks for the summary; the tools stay defined because the conversation holds
  // tool_use blocks, which the Messages API rejects without them.
  Json summary_req = http_.Body(1);
  EXPECT_TRUE(summary_req.contains("tools"));
  std::string last_text = summary_req["messages"].back()["content"].back()["text"];
  EXPECT_NE(last_text.find("summary"), std::string::npos) << last_text;

  // Request 3 starts with the summary and keeps the open tool exchange.
  Json next = http_.Body(2);
  const Json& msgs = next["messages"];
  ASSERT_GE(msgs.size(), 1u);
  EXPECT_EQ(msgs[0]["role"], "user");
  std::string first = msgs[0]["content"][0]["text"];
  EXPECT_NE(first.find("SUMMARY: the user asked about /big"), std::string::npos) << first;
  EXPECT_EQ(first.find("look at /big"), std::string::npos) << "the original prompt is summarised away";
  ASSERT_EQ(msgs.size(), 3u) << msgs.dump();
  EXPECT_EQ(msgs[1]["role"], "assistant");
  EXPECT_EQ(msgs[2]["content"][0]["type"], "tool_result");
  EXPECT_EQ(msgs[2]["content"][0]["tool_use_id"], "toolu_1");
  EXPECT_TRUE(next.contains("tools"));

  EXPECT_EQ(summaries, (std::vector<std::string>{"SUMMARY: the user asked about /big; it was read."}));
  ASSERT_FALSE(sink_.warnings.empty());
  EXPECT_NE(sink_.warnings[0].find("compacted"), std::string::npos);
  // The summary call's usage is accounted too.
  EXPECT_EQ(r.usage.input_tokens, 5000 + 10 + 10);
}

TEST_F(AgentLoopTest, NoCompactionBelowTheThreshold) {
  http_.script.push_back(StreamReply(ToolCalls({{"toolu_1", "Probe", {{"path", "/a"}}}}, 100)));
  http_.script.push_back(StreamReply(Text("done")));
  AgentOptions o = Options();
  o.compact_at_tokens = 4000;
  RunResult r = Run(o, {}, "hello");
  ASSERT_FALSE(r.is_error) << r.result;
  EXPECT_EQ(http_.requests.size(), 2u);
  EXPECT_TRUE(sink_.warnings.empty());
}

TEST_F(AgentLoopTest, ResumedHistoryEndingInAUserMessageMergesThePrompt) {
  http_.script.push_back(StreamReply(Text("Merged.")));
  std::vector<Json> history = {
      {{"role", "user"}, {"content", "first question"}},
      {{"role", "assistant"}, {"content", Json::array({{{"type", "text"}, {"text", "first answer"}}})}},
      {{"role", "user"}, {"content", "interrupted question"}},
  };
  std::vector<Json> committed;
  AgentOptions o = Options();
  o.on_message = [&](const Json& m) { committed.push_back(m); };
  RunResult r = Run(o, history, "new prompt");
  ASSERT_FALSE(r.is_error) << r.result;
  const Json msgs = http_.Body(0)["messages"];
  ASSERT_EQ(msgs.size(), 3u) << msgs.dump();
  EXPECT_EQ(msgs[2]["role"], "user");
  ASSERT_EQ(msgs[2]["content"].size(), 2u);
  EXPECT_EQ(msgs[2]["content"][0]["text"], "interrupted question");
  EXPECT_EQ(msgs[2]["content"][1]["text"], "new prompt");
  // Roles alternate.
  for (size_t i = 1; i < msgs.size(); ++i) EXPECT_NE(msgs[i]["role"], msgs[i - 1]["role"]);
  // The transcript still gets the prompt, then the reply.
  ASSERT_EQ(committed.size(), 2u);
  EXPECT_EQ(committed[0]["content"][0]["text"], "new prompt");
  EXPECT_EQ(committed[1]["role"], "assistant");
}

TEST_F(AgentLoopTest, ResumedHistoryEndingInAnAssistantMessageAppendsThePrompt) {
  http_.script.push_back(StreamReply(Text("ok")));
  std::vector<Json> history = {
      {{"role", "user"}, {"content", "q"}},
      {{"role", "assistant"}, {"content", Json::array({{{"type", "text"}, {"text", "a"}}})}},
  };
  RunResult r = Run(Options(), history, "next");
  ASSERT_FALSE(r.is_error) << r.result;
  const Json msgs = http_.Body(0)["messages"];
  ASSERT_EQ(msgs.size(), 3u);
  EXPECT_EQ(msgs[2]["content"][0]["text"], "next");
}

TEST_F(AgentLoopTest, TwoReadOnlyPathToolsRunInParallel) {
  http_.script.push_back(StreamReply(ToolCalls({{"toolu_a", "Probe", {{"path", "/one"}}},
                                                {"toolu_b", "Probe", {{"path", "/two"}}}})));
  http_.script.push_back(StreamReply(Text("both read")));
  probe_.rendezvous = 2;
  RunResult r = Run(Options(), {}, "read two files");
  ASSERT_FALSE(r.is_error) << r.result;
  EXPECT_EQ(probe_.inputs.size(), 2u);
  EXPECT_EQ(probe_.max_running, 2) << "the two calls did not overlap";
  const Json results = http_.Body(1)["messages"][2]["content"];
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0]["tool_use_id"], "toolu_a");
  EXPECT_EQ(results[0]["content"][0]["text"], "contents of /one");
  EXPECT_EQ(results[1]["tool_use_id"], "toolu_b");
  EXPECT_EQ(results[1]["content"][0]["text"], "contents of /two");
}

TEST(MessageTextTest, JoinsTextBlocksAndAcceptsStrings) {
  EXPECT_EQ(MessageText({{"role", "user"}, {"content", "plain"}}), "plain");
  EXPECT_EQ(MessageText({{"role", "assistant"},
                         {"content", Json::array({{{"type", "text"}, {"text", "a"}},
                                                  {{"type", "tool_use"}, {"id", "t"}},
                                                  {{"type", "text"}, {"text", "b"}}})}}),
            "ab");
  EXPECT_EQ(MessageText(Json::object()), "");
}

TEST_F(AgentLoopTest, ResumeCarriesOnAFailedTurnWithoutRepeatingThePrompt) {
  // The first attempt fails (say, the login expired); the conversation ends with the prompt.
  http_.script.push_back(testing::AwsErrorReply(403, "ExpiredTokenException", "The security token included in the request is expired"));
  http_.script.push_back(StreamReply(Text("Answer.")));
  std::vector<Json> committed;
  AgentOptions o = Options();
  o.on_message = [&](const Json& m) { committed.push_back(m); };
  RunResult failed = Run(o, {}, "question");
  ASSERT_TRUE(failed.is_error);
  std::vector<Json> history = final_messages_;
  ASSERT_EQ(history.size(), 1u);
  ASSERT_EQ(history.back()["role"], "user");

  Agent agent(runtime_, env_, o, sink_);
  RunResult r = agent.Resume(history);
  ASSERT_FALSE(r.is_error) << r.result;
  EXPECT_EQ(r.result, "Answer.");
  const Json msgs = http_.Body(1)["messages"];
  ASSERT_EQ(msgs.size(), 1u) << msgs.dump();
  ASSERT_EQ(msgs[0]["content"].size(), 1u) << "the prompt is sent once";
  EXPECT_EQ(msgs[0]["content"][0]["text"], "question");
  // The transcript got the prompt once (from the first attempt) and then the answer.
  ASSERT_EQ(committed.size(), 2u);
  EXPECT_EQ(committed[0]["role"], "user");
  EXPECT_EQ(committed[1]["role"], "assistant");
  EXPECT_EQ(agent.messages().size(), 2u);
}

}  // namespace
}  // namespace brock
