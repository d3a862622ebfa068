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

namespace brock {
namespace {

constexpr char kModel[] = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

// The agent's model, scripted: each Stream call records what it was sent and answers with the
// next reply (the last one repeats), streaming its text blocks to the observer.
class FakeModelClient : public ModelClient {
 public:
  struct Call {
    std::vector<Message> messages;
    ModelCallOptions options;
  };
  Result<ModelReply> Stream(const std::vector<Message>& messages, const ModelCallOptions& options,
                            const ModelObserver& observer, const std::atomic<bool>*) override {
    calls.push_back({messages, options});
    Result<ModelReply> next = script.at(std::min(calls.size(), script.size()) - 1);
    if (next.ok() && observer.on_text) {
      for (const ContentBlock& b : next->message.content) {
        if (b.type == BlockType::kText) observer.on_text(b.text);
      }
    }
    return next;
  }
  bool IsContextOverflow(const Error& e) const override { return e.code == "test.overflow"; }

  std::vector<Result<ModelReply>> script;
  std::vector<Call> calls;
};

// A read-only tool whose subject is the path in its input; records every call. When
// `rendezvous` is set, each call waits (up to 5 s) until that many calls are running at once.
class ProbeTool : public Tool {
 public:
  explicit ProbeTool(std::string name = "Probe") : name_(std::move(name)) {}
  std::string name() const override { return name_; }
  std::string description() const override { return "Reads a path for the test."; }
  Json input_schema() const override {
    return {{"type", "object"},
            {"properties", {{"path", {{"type", "string"}}}}},
            {"required", {"path"}}};
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
  void OnAssistantMessage(const ModelReply&) override { events.push_back("assistant"); }
  void OnUserMessage(const Message& m) override {
    events.push_back("user");
    user_messages.push_back(m);
  }
  void OnRetry(const Error&, int, std::chrono::milliseconds) override { events.push_back("retry"); }
  void OnWarning(std::string_view w) override { warnings.emplace_back(w); }
  void OnResult(const RunResult&) override { events.push_back("result"); }
  std::vector<std::string> events;
  std::vector<std::string> warnings;
  std::vector<Message> user_messages;
  std::string text;
};

struct ToolCall {
  std::string id, name;
  Json input;
};

ModelReply Reply(std::vector<ContentBlock> content, std::string stop_reason, int64_t input_tokens) {
  ModelReply r;
  r.message = {Role::kAssistant, std::move(content)};
  r.stop_reason = std::move(stop_reason);
  r.usage.input_tokens = input_tokens;
  r.usage.output_tokens = 5;
  r.cost_usd = 0.001;
  r.model = "claude-test";
  return r;
}

ModelReply Text(const std::string& text, int64_t input_tokens = 10) {
  return Reply({ContentBlock::Text(text)}, "end_turn", input_tokens);
}

ModelReply ToolCalls(std::vector<ToolCall> calls, int64_t input_tokens = 10) {
  std::vector<ContentBlock> content = {ContentBlock::Text("Let me check.")};
  for (const ToolCall& c : calls) content.push_back(ContentBlock::ToolUse(c.id, c.name, c.input));
  return Reply(std::move(content), "tool_use", input_tokens);
}

Error AwsError(const std::string& code, const std::string& message) {
  Error e = MakeError("aws." + code, message, "");
  e.http_status = 403;
  return e;
}

class AgentLoopTest : public ::testing::Test {
 protected:
  AgentLoopTest() : ctx_{env_, runner_, "/home/user/project", {}, &reads_, nullptr, &todos_} {}

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

  RunResult Run(AgentOptions options, std::vector<Message> history, const std::string& prompt) {
    Agent agent(model_, env_, std::move(options), sink_);
    RunResult r = agent.Run(std::move(history), prompt);
    final_messages_ = agent.messages();
    return r;
  }

  // The messages of the i-th model call, in their Messages API JSON form.
  Json Sent(size_t i) const { return MessagesToJson(model_.calls.at(i).messages); }

  testing::FakeEnv env_;
  NullRunner runner_;
  std::map<std::string, ReadRecord> reads_;
  Json todos_ = Json::array();
  ToolContext ctx_;
  FakeModelClient model_;
  ProbeTool probe_;
  RecordingSink sink_;
  std::vector<Message> final_messages_;
};

TEST_F(AgentLoopTest, PlainAnswerEndsTheRun) {
  model_.script.push_back(Text("Hi there."));
  RunResult r = Run(Options(), {}, "hello");
  EXPECT_FALSE(r.is_error) << r.result;
  EXPECT_EQ(r.subtype, "success");
  EXPECT_EQ(r.result, "Hi there.");
  EXPECT_EQ(r.num_turns, 1);
  EXPECT_EQ(r.session_id, "sess-1");
  EXPECT_EQ(sink_.text, "Hi there.");
  EXPECT_EQ(sink_.events, (std::vector<std::string>{"init", "assistant", "result"}));
  ASSERT_EQ(model_.calls.size(), 1u);
  const ModelCallOptions& o = model_.calls[0].options;
  EXPECT_EQ(o.model, kModel);
  EXPECT_EQ(o.max_tokens, 1000);
  EXPECT_EQ(o.system, "You are a test.");
  ASSERT_EQ(o.tools.size(), 1u);
  EXPECT_EQ(o.tools[0].name, "Probe");
  EXPECT_EQ(o.tools[0].input_schema.get()["required"], (Json{"path"}));
  EXPECT_TRUE(o.prompt_caching);
  Json sent = Sent(0);
  EXPECT_EQ(sent[0]["role"], "user");
  EXPECT_EQ(sent[0]["content"][0]["text"], "hello");
  EXPECT_EQ(r.usage.input_tokens, 10);
  EXPECT_DOUBLE_EQ(r.total_cost_usd, 0.001);
  ASSERT_EQ(r.model_usage.count(kModel), 1u);
  EXPECT_DOUBLE_EQ(r.model_usage[kModel].cost_usd, 0.001);
}

TEST_F(AgentLoopTest, RequestOptionsCarryBetasAndTheThinkingBudget) {
  model_.script.push_back(Text("ok"));
  AgentOptions o = Options();
  o.betas = {"context-1m-2025-08-07"};
  o.thinking_budget_tokens = 2048;
  o.prompt_caching = false;
  RunResult r = Run(o, {}, "hello");
  ASSERT_FALSE(r.is_error) << r.result;
  const ModelCallOptions& sent = model_.calls.at(0).options;
  EXPECT_EQ(sent.betas, (std::vector<std::string>{"context-1m-2025-08-07"}));
  EXPECT_EQ(sent.thinking_budget_tokens, 2048);
  EXPECT_FALSE(sent.prompt_caching);
}

TEST_F(AgentLoopTest, ThinkingBlocksAreKeptAndSentBackUnchanged) {
  ContentBlock thinking;
  thinking.type = BlockType::kThinking;
  thinking.text = "Let me think.";
  thinking.signature = "sig-abc";
  ContentBlock redacted;
  redacted.type = BlockType::kRedactedThinking;
  redacted.data = "opaque";
  ModelReply first = ToolCalls({{"toolu_1", "Probe", {{"path", "/a"}}}});
  first.message.content.insert(first.message.content.begin(), {thinking, redacted});
  model_.script = {first, Text("done")};
  RunResult r = Run(Options(), {}, "think");
  ASSERT_FALSE(r.is_error) << r.result;
  ASSERT_EQ(model_.calls.size(), 2u);
  const Json assistant = Sent(1)[1];
  EXPECT_EQ(assistant["content"][0],
            (Json{{"type", "thinking"}, {"thinking", "Let me think."}, {"signature", "sig-abc"}}));
  EXPECT_EQ(assistant["content"][1], (Json{{"type", "redacted_thinking"}, {"data", "opaque"}}));
}

TEST_F(AgentLoopTest, ToolUseRunsTheToolAndSendsTheResultBack) {
  model_.script = {ToolCalls({{"toolu_1", "Probe", {{"path", "/etc/hosts"}}}}),
                   Text("The file lists hosts.")};
  RunResult r = Run(Options(), {}, "what is in /etc/hosts?");
  EXPECT_FALSE(r.is_error) << r.result;
  EXPECT_EQ(r.result, "The file lists hosts.");
  EXPECT_EQ(r.num_turns, 2);
  ASSERT_EQ(probe_.inputs.size(), 1u);
  EXPECT_EQ(probe_.inputs[0], (Json{{"path", "/etc/hosts"}}));
  ASSERT_EQ(model_.calls.size(), 2u);
  const Json messages = Sent(1);
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
  EXPECT_EQ(sink_.events,
            (std::vector<std::string>{"init", "assistant", "user", "assistant", "result"}));
  EXPECT_TRUE(r.permission_denials.empty());
  EXPECT_EQ(r.usage.input_tokens, 20);
}

TEST_F(AgentLoopTest, AuthorizerDenialIsAnErrorResultAndAPermissionDenial) {
  model_.script = {ToolCalls({{"toolu_7", "Probe", {{"path", "/root/.ssh/id_rsa"}}}}),
                   Text("I may not read that.")};
  AgentOptions o = Options();
  int asked = 0;
  o.authorize = [&](const Tool& tool, const Json& input,
                    const ToolContext&) -> std::optional<std::string> {
    ++asked;
    EXPECT_EQ(tool.name(), "Probe");
    return "Permission to use Probe on " + input.value("path", "") + " has been denied.";
  };
  RunResult r = Run(o, {}, "read my key");
  EXPECT_EQ(asked, 1);
  EXPECT_TRUE(probe_.inputs.empty()) << "a denied tool must not run";
  const Json tr = Sent(1)[2]["content"][0];
  EXPECT_EQ(tr["tool_use_id"], "toolu_7");
  EXPECT_EQ(tr["is_error"], true);
  EXPECT_EQ(tr["content"][0]["text"],
            "Permission to use Probe on /root/.ssh/id_rsa has been denied.");
  ASSERT_EQ(r.permission_denials.size(), 1u);
  EXPECT_EQ(r.permission_denials[0]["tool_name"], "Probe");
  EXPECT_EQ(r.permission_denials[0]["tool_use_id"], "toolu_7");
  EXPECT_EQ(r.permission_denials[0]["tool_input"], (Json{{"path", "/root/.ssh/id_rsa"}}));
  EXPECT_FALSE(r.is_error);
  EXPECT_EQ(r.result, "I may not read that.");
}

// "./.env\0.txt" ends in ".txt" for a suffix rule but opens ./.env: refused before any rule.
TEST_F(AgentLoopTest, PathWithANulByteIsRefusedBeforeThePermissionCheck) {
  model_.script = {ToolCalls({{"toolu_8", "Probe", {{"path", std::string("./.env\0.txt", 10)}}}}),
                   Text("That path was refused.")};
  AgentOptions o = Options();
  int asked = 0;
  o.authorize = [&](const Tool&, const Json&, const ToolContext&) -> std::optional<std::string> {
    ++asked;
    return std::nullopt;
  };
  RunResult r = Run(o, {}, "read it");
  EXPECT_EQ(asked, 0);
  EXPECT_TRUE(probe_.inputs.empty());
  const Json tr = Sent(1)[2]["content"][0];
  EXPECT_EQ(tr["is_error"], true);
  EXPECT_NE(tr["content"][0]["text"].get<std::string>().find("NUL byte"), std::string::npos)
      << tr.dump();
  EXPECT_FALSE(r.is_error);
}

TEST_F(AgentLoopTest, UnknownToolIsAnErrorResult) {
  model_.script = {ToolCalls({{"toolu_2", "Teleport", {{"to", "mars"}}}}),
                   Text("That tool does not exist.")};
  RunResult r = Run(Options(), {}, "go");
  const Json tr = Sent(1)[2]["content"][0];
  EXPECT_EQ(tr["tool_use_id"], "toolu_2");
  EXPECT_EQ(tr["is_error"], true);
  EXPECT_NE(tr["content"][0]["text"].get<std::string>().find("Teleport"), std::string::npos)
      << tr.dump();
  EXPECT_TRUE(probe_.inputs.empty());
  EXPECT_FALSE(r.is_error);
}

TEST_F(AgentLoopTest, MaxTurnsStopsWithErrorMaxTurns) {
  model_.script = {ToolCalls({{"toolu_1", "Probe", {{"path", "/a"}}}})};  // repeats
  AgentOptions o = Options();
  o.max_turns = 2;
  RunResult r = Run(o, {}, "loop forever");
  EXPECT_TRUE(r.is_error);
  EXPECT_EQ(r.subtype, "error_max_turns");
  EXPECT_EQ(r.num_turns, 2);
  EXPECT_EQ(model_.calls.size(), 2u);
  EXPECT_EQ(probe_.inputs.size(), 2u);
  EXPECT_NE(r.result.find("2"), std::string::npos) << r.result;
  EXPECT_EQ(sink_.events.back(), "result");
}

TEST_F(AgentLoopTest, MaxBudgetStopsWithErrorMaxBudget) {
  model_.script = {ToolCalls({{"toolu_1", "Probe", {{"path", "/a"}}}})};  // repeats, $0.001 each
  AgentOptions o = Options();
  o.max_budget_usd = 0.0025;
  RunResult r = Run(o, {}, "spend");
  EXPECT_TRUE(r.is_error);
  EXPECT_EQ(r.subtype, "error_max_budget_usd");
  EXPECT_EQ(model_.calls.size(), 3u);
}

TEST_F(AgentLoopTest, ModelErrorEndsTheRunWithErrorDuringExecution) {
  model_.script = {AwsError("AccessDeniedException", "no access")};
  RunResult r = Run(Options(), {}, "hello");
  EXPECT_TRUE(r.is_error);
  EXPECT_EQ(r.subtype, "error_during_execution");
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->code, "aws.AccessDeniedException");
  EXPECT_EQ(sink_.events, (std::vector<std::string>{"init", "result"}));
}

TEST_F(AgentLoopTest, ContextOverflowCompactsAndTriesOnce) {
  std::vector<Message> history = {
      {Role::kUser, {ContentBlock::Text("earlier question")}},
      {Role::kAssistant, {ContentBlock::Text("earlier answer")}},
  };
  model_.script = {Error(MakeError("test.overflow", "input is too long")), Text("SUMMARY."),
                   Text("Answer.")};
  RunResult r = Run(Options(), history, "next");
  ASSERT_FALSE(r.is_error) << r.result;
  EXPECT_EQ(r.result, "Answer.");
  ASSERT_EQ(model_.calls.size(), 3u);
  std::string first = Sent(2)[0]["content"][0]["text"];
  EXPECT_NE(first.find("SUMMARY."), std::string::npos) << first;
}

TEST_F(AgentLoopTest, ContextOverflowTwiceFails) {
  std::vector<Message> history = {
      {Role::kUser, {ContentBlock::Text("q")}},
      {Role::kAssistant, {ContentBlock::Text("a")}},
  };
  model_.script = {Error(MakeError("test.overflow", "too long")), Text("SUMMARY."),
                   Error(MakeError("test.overflow", "still too long"))};
  RunResult r = Run(Options(), history, "next");
  ASSERT_TRUE(r.is_error);
  EXPECT_EQ(r.error->code, "test.overflow");
  EXPECT_EQ(model_.calls.size(), 3u);
}

TEST_F(AgentLoopTest, PromptCachingIsAskedForAndTheKeptConversationHasNoCachePoints) {
  model_.script = {ToolCalls({{"toolu_1", "Probe", {{"path", "/a"}}}}), Text("done")};
  RunResult r = Run(Options(), {}, "hello");
  ASSERT_FALSE(r.is_error) << r.result;
  for (const auto& call : model_.calls) {
    EXPECT_TRUE(call.options.prompt_caching);
    for (const Message& m : call.messages) {
      for (const ContentBlock& b : m.content) EXPECT_FALSE(b.cache_point);
    }
  }
  EXPECT_EQ(MessagesToJson(final_messages_).dump().find("cache_control"), std::string::npos);
}

TEST_F(AgentLoopTest, CompactsWhenUsageExceedsTheThreshold) {
  model_.script = {ToolCalls({{"toolu_1", "Probe", {{"path", "/big"}}}}, /*input_tokens=*/5000),
                   Text("SUMMARY: the user asked about /big; it was read."), Text("Final answer.")};
  AgentOptions o = Options();
  o.compact_at_tokens = 4000;
  std::vector<std::string> summaries;
  o.on_compaction = [&](const std::string& s) { summaries.push_back(s); };
  RunResult r = Run(o, {}, "look at /big");
  ASSERT_FALSE(r.is_error) << r.result;
  EXPECT_EQ(r.result, "Final answer.");
  ASSERT_EQ(model_.calls.size(), 3u);

  // Request 2 asks for the summary; the tools stay defined because the conversation holds
  // tool_use blocks, which the Messages API rejects without them.
  EXPECT_FALSE(model_.calls[1].options.tools.empty());
  std::string last_text = Sent(1).back()["content"].back()["text"];
  EXPECT_NE(last_text.find("summary"), std::string::npos) << last_text;

  // Request 3 starts with the summary and keeps the open tool exchange.
  const Json msgs = Sent(2);
  ASSERT_GE(msgs.size(), 1u);
  EXPECT_EQ(msgs[0]["role"], "user");
  std::string first = msgs[0]["content"][0]["text"];
  EXPECT_NE(first.find("SUMMARY: the user asked about /big"), std::string::npos) << first;
  EXPECT_EQ(first.find("look at /big"), std::string::npos)
      << "the original prompt is summarised away";
  ASSERT_EQ(msgs.size(), 3u) << msgs.dump();
  EXPECT_EQ(msgs[1]["role"], "assistant");
  EXPECT_EQ(msgs[2]["content"][0]["type"], "tool_result");
  EXPECT_EQ(msgs[2]["content"][0]["tool_use_id"], "toolu_1");
  EXPECT_FALSE(model_.calls[2].options.tools.empty());

  EXPECT_EQ(summaries,
            (std::vector<std::string>{"SUMMARY: the user asked about /big; it was read."}));
  ASSERT_FALSE(sink_.warnings.empty());
  EXPECT_NE(sink_.warnings[0].find("compacted"), std::string::npos);
  // The summary call's usage is accounted too.
  EXPECT_EQ(r.usage.input_tokens, 5000 + 10 + 10);
}

TEST_F(AgentLoopTest, NoCompactionBelowTheThreshold) {
  model_.script = {ToolCalls({{"toolu_1", "Probe", {{"path", "/a"}}}}, 100), Text("done")};
  AgentOptions o = Options();
  o.compact_at_tokens = 4000;
  RunResult r = Run(o, {}, "hello");
  ASSERT_FALSE(r.is_error) << r.result;
  EXPECT_EQ(model_.calls.size(), 2u);
  EXPECT_TRUE(sink_.warnings.empty());
}

TEST_F(AgentLoopTest, ResumedHistoryEndingInAUserMessageMergesThePrompt) {
  model_.script = {Text("Merged.")};
  std::vector<Message> history = MessagesFromJson({
      {{"role", "user"}, {"content", "first question"}},
      {{"role", "assistant"},
       {"content", Json::array({{{"type", "text"}, {"text", "first answer"}}})}},
      {{"role", "user"}, {"content", "interrupted question"}},
  });
  std::vector<Json> committed;
  AgentOptions o = Options();
  o.on_message = [&](const Message& m) { committed.push_back(MessageToJson(m)); };
  RunResult r = Run(o, history, "new prompt");
  ASSERT_FALSE(r.is_error) << r.result;
  const Json msgs = Sent(0);
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
  model_.script = {Text("ok")};
  std::vector<Message> history = MessagesFromJson({
      {{"role", "user"}, {"content", "q"}},
      {{"role", "assistant"}, {"content", Json::array({{{"type", "text"}, {"text", "a"}}})}},
  });
  RunResult r = Run(Options(), history, "next");
  ASSERT_FALSE(r.is_error) << r.result;
  const Json msgs = Sent(0);
  ASSERT_EQ(msgs.size(), 3u);
  EXPECT_EQ(msgs[2]["content"][0]["text"], "next");
}

TEST_F(AgentLoopTest, TwoReadOnlyPathToolsRunInParallel) {
  model_.script = {ToolCalls({{"toolu_a", "Probe", {{"path", "/one"}}},
                              {"toolu_b", "Probe", {{"path", "/two"}}}}),
                   Text("both read")};
  probe_.rendezvous = 2;
  RunResult r = Run(Options(), {}, "read two files");
  ASSERT_FALSE(r.is_error) << r.result;
  EXPECT_EQ(probe_.inputs.size(), 2u);
  EXPECT_EQ(probe_.max_running, 2) << "the two calls did not overlap";
  const Json results = Sent(1)[2]["content"];
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0]["tool_use_id"], "toolu_a");
  EXPECT_EQ(results[0]["content"][0]["text"], "contents of /one");
  EXPECT_EQ(results[1]["tool_use_id"], "toolu_b");
  EXPECT_EQ(results[1]["content"][0]["text"], "contents of /two");
}

TEST_F(AgentLoopTest, ParallelDenialsAreAllRecorded) {
  model_.script = {ToolCalls({{"toolu_a", "Probe", {{"path", "/one"}}},
                              {"toolu_b", "Probe", {{"path", "/two"}}},
                              {"toolu_c", "Probe", {{"path", "/three"}}}}),
                   Text("denied")};
  AgentOptions o = Options();
  o.authorize = [](const Tool&, const Json&, const ToolContext&) -> std::optional<std::string> {
    return "no";
  };
  RunResult r = Run(o, {}, "read three files");
  EXPECT_EQ(r.permission_denials.size(), 3u);
}

TEST_F(AgentLoopTest, ResumeCarriesOnAFailedTurnWithoutRepeatingThePrompt) {
  // The first attempt fails (say, the login expired); the conversation ends with the prompt.
  model_.script = {
      AwsError("ExpiredTokenException", "The security token included in the request is expired"),
      Text("Answer.")};
  std::vector<Json> committed;
  AgentOptions o = Options();
  o.on_message = [&](const Message& m) { committed.push_back(MessageToJson(m)); };
  RunResult failed = Run(o, {}, "question");
  ASSERT_TRUE(failed.is_error);
  std::vector<Message> history = final_messages_;
  ASSERT_EQ(history.size(), 1u);
  ASSERT_EQ(history.back().role, Role::kUser);

  Agent agent(model_, env_, o, sink_);
  RunResult r = agent.Resume(history);
  ASSERT_FALSE(r.is_error) << r.result;
  EXPECT_EQ(r.result, "Answer.");
  const Json msgs = Sent(1);
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
