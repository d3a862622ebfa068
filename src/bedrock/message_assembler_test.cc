#include "bedrock/message_assembler.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace brock {
namespace {

// Feeds `event` and fails the test when the assembler rejects it.
void FeedOk(MessageAssembler& a, const Json& event) {
  Status s = a.Feed(event.dump());
  ASSERT_TRUE(s.ok()) << s.error().ToString() << " for " << event.dump();
}

Json Start(int64_t input_tokens, int64_t cache_read = 0, int64_t cache_write = 0) {
  return {{"type", "message_start"},
          {"message",
           {{"id", "msg_1"},
            {"role", "assistant"},
            {"model", "claude-sonnet-test"},
            {"content", Json::array()},
            {"usage",
             {{"input_tokens", input_tokens},
              {"cache_read_input_tokens", cache_read},
              {"cache_creation_input_tokens", cache_write},
              {"output_tokens", 1}}}}}};
}
Json BlockStart(int index, Json block) {
  return {{"type", "content_block_start"}, {"index", index}, {"content_block", std::move(block)}};
}
Json TextDelta(int index, const std::string& text) {
  return {{"type", "content_block_delta"},
          {"index", index},
          {"delta", {{"type", "text_delta"}, {"text", text}}}};
}
Json JsonDelta(int index, const std::string& part) {
  return {{"type", "content_block_delta"},
          {"index", index},
          {"delta", {{"type", "input_json_delta"}, {"partial_json", part}}}};
}
Json BlockStop(int index) { return {{"type", "content_block_stop"}, {"index", index}}; }
Json MessageDelta(const std::string& stop_reason, int64_t output_tokens) {
  return {{"type", "message_delta"},
          {"delta", {{"stop_reason", stop_reason}, {"stop_sequence", nullptr}}},
          {"usage", {{"output_tokens", output_tokens}}}};
}
Json Stop() { return {{"type", "message_stop"}}; }

TEST(MessageAssemblerTest, TextDeltasArriveInOrderAndFormOneBlock) {
  std::vector<std::string> seen;
  MessageAssembler a([&](std::string_view t) { seen.emplace_back(t); });
  FeedOk(a, Start(12));
  FeedOk(a, BlockStart(0, {{"type", "text"}, {"text", ""}}));
  FeedOk(a, TextDelta(0, "Hel"));
  FeedOk(a, {{"type", "ping"}});
  FeedOk(a, TextDelta(0, "lo, "));
  FeedOk(a, TextDelta(0, "wörld"));
  EXPECT_FALSE(a.done());
  FeedOk(a, BlockStop(0));
  FeedOk(a, MessageDelta("end_turn", 7));
  FeedOk(a, Stop());
  EXPECT_TRUE(a.done());
  EXPECT_EQ(seen, (std::vector<std::string>{"Hel", "lo, ", "wörld"}));
  EXPECT_EQ(a.text_so_far(), "Hello, wörld");

  AssistantReply r = a.Finish();
  ASSERT_TRUE(r.message);
  EXPECT_EQ((*r.message)["role"], "assistant");
  ASSERT_EQ((*r.message)["content"].size(), 1u);
  EXPECT_EQ((*r.message)["content"][0]["type"], "text");
  EXPECT_EQ((*r.message)["content"][0]["text"], "Hello, wörld");
  EXPECT_EQ(r.stop_reason, "end_turn");
  EXPECT_EQ(r.model, "claude-sonnet-test");
}

TEST(MessageAssemblerTest, EmptyTextDeltaIsNotPassedOn) {
  int calls = 0;
  MessageAssembler a([&](std::string_view) { ++calls; });
  FeedOk(a, BlockStart(0, {{"type", "text"}, {"text", ""}}));
  FeedOk(a, TextDelta(0, ""));
  FeedOk(a, TextDelta(0, "x"));
  EXPECT_EQ(calls, 1);
}

TEST(MessageAssemblerTest, NullTextCallbackIsAllowed) {
  MessageAssembler a(nullptr);
  FeedOk(a, BlockStart(0, {{"type", "text"}, {"text", ""}}));
  FeedOk(a, TextDelta(0, "quiet"));
  EXPECT_EQ(a.text_so_far(), "quiet");
}

TEST(MessageAssemblerTest, ToolUseInputIsAssembledFromJsonPieces) {
  MessageAssembler a(nullptr);
  FeedOk(a, Start(5));
  FeedOk(a, BlockStart(0, {{"type", "text"}, {"text", ""}}));
  FeedOk(a, TextDelta(0, "Reading."));
  FeedOk(a, BlockStop(0));
  FeedOk(a, BlockStart(1, {{"type", "tool_use"},
                           {"id", "toolu_1"},
                           {"name", "Read"},
                           {"input", Json::object()}}));
  FeedOk(a, JsonDelta(1, ""));
  FeedOk(a, JsonDelta(1, "{\"file_pa"));
  FeedOk(a, JsonDelta(1, "th\": \"/tmp/a \\\"b\\\".txt\", \"lim"));
  FeedOk(a, JsonDelta(1, "it\": 20}"));
  FeedOk(a, BlockStop(1));
  FeedOk(a, MessageDelta("tool_use", 30));
  FeedOk(a, Stop());
  AssistantReply r = a.Finish();
  const Json& content = (*r.message)["content"];
  ASSERT_EQ(content.size(), 2u);
  EXPECT_EQ(content[1]["type"], "tool_use");
  EXPECT_EQ(content[1]["id"], "toolu_1");
  EXPECT_EQ(content[1]["name"], "Read");
  EXPECT_EQ(content[1]["input"], (Json{{"file_path", "/tmp/a \"b\".txt"}, {"limit", 20}}));
  EXPECT_EQ(r.stop_reason, "tool_use");
  // Tool input is not text: only the text block reached text_so_far.
  EXPECT_EQ(a.text_so_far(), "Reading.");
}

TEST(MessageAssemblerTest, ToolUseWithoutDeltasGetsAnEmptyObject) {
  MessageAssembler a(nullptr);
  FeedOk(a, BlockStart(0, {{"type", "tool_use"}, {"id", "t"}, {"name", "LS"}}));
  FeedOk(a, BlockStop(0));
  AssistantReply r = a.Finish();
  EXPECT_EQ((*r.message)["content"][0]["input"], Json::object());
}

TEST(MessageAssemblerTest, InvalidToolInputIsABadEvent) {
  MessageAssembler a(nullptr);
  FeedOk(a, BlockStart(0, {{"type", "tool_use"}, {"id", "t"}, {"name", "LS"}}));
  FeedOk(a, JsonDelta(0, "{\"path\": "));
  Status s = a.Feed(BlockStop(0).dump());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "bedrock.bad_event");
  EXPECT_NE(s.error().message.find("tool input"), std::string::npos) << s.error().message;
}

TEST(MessageAssemblerTest, UsageComesFromMessageStartAndMessageDelta) {
  MessageAssembler a(nullptr);
  FeedOk(a, Start(1200, 800, 64));
  FeedOk(a, BlockStart(0, {{"type", "text"}, {"text", ""}}));
  FeedOk(a, TextDelta(0, "ok"));
  FeedOk(a, BlockStop(0));
  FeedOk(a, MessageDelta("max_tokens", 321));
  FeedOk(a, Stop());
  AssistantReply r = a.Finish();
  EXPECT_EQ(r.usage.input_tokens, 1200);
  EXPECT_EQ(r.usage.cache_read_input_tokens, 800);
  EXPECT_EQ(r.usage.cache_creation_input_tokens, 64);
  // message_delta's cumulative output count replaces message_start's placeholder.
  EXPECT_EQ(r.usage.output_tokens, 321);
  EXPECT_EQ(r.stop_reason, "max_tokens");
}

TEST(MessageAssemblerTest, InvocationMetricsGiveLatencyAndFillMissingUsage) {
  MessageAssembler a(nullptr);
  FeedOk(a, {{"type", "message_start"}, {"message", {{"model", "m"}}}});
  FeedOk(a, BlockStart(0, {{"type", "text"}, {"text", ""}}));
  FeedOk(a, TextDelta(0, "hi"));
  FeedOk(a, BlockStop(0));
  FeedOk(a, {{"type", "message_delta"}, {"delta", {{"stop_reason", "end_turn"}}}});
  FeedOk(a, {{"type", "message_stop"},
             {"amazon-bedrock-invocationMetrics",
              {{"inputTokenCount", 42},
               {"outputTokenCount", 9},
               {"invocationLatency", 1234},
               {"firstByteLatency", 321}}}});
  AssistantReply r = a.Finish();
  EXPECT_EQ(r.invocation_latency_ms, 1234);
  EXPECT_EQ(r.first_byte_latency_ms, 321);
  EXPECT_EQ(r.usage.input_tokens, 42);
  EXPECT_EQ(r.usage.output_tokens, 9);
}

TEST(MessageAssemblerTest, InvocationMetricsDoNotOverrideStreamedUsage) {
  MessageAssembler a(nullptr);
  FeedOk(a, Start(100));
  FeedOk(a, MessageDelta("end_turn", 50));
  FeedOk(a, {{"type", "message_stop"},
             {"amazon-bedrock-invocationMetrics",
              {{"inputTokenCount", 1},
               {"outputTokenCount", 2},
               {"invocationLatency", 5},
               {"firstByteLatency", 3}}}});
  AssistantReply r = a.Finish();
  EXPECT_EQ(r.usage.input_tokens, 100);
  EXPECT_EQ(r.usage.output_tokens, 50);
  EXPECT_EQ(r.invocation_latency_ms, 5);
}

TEST(MessageAssemblerTest, ThinkingAndSignatureDeltasAccumulate) {
  MessageAssembler a(nullptr);
  FeedOk(a, BlockStart(0, {{"type", "thinking"}, {"thinking", ""}}));
  FeedOk(a, {{"type", "content_block_delta"},
             {"index", 0},
             {"delta", {{"type", "thinking_delta"}, {"thinking", "Let me "}}}});
  FeedOk(a, {{"type", "content_block_delta"},
             {"index", 0},
             {"delta", {{"type", "thinking_delta"}, {"thinking", "think."}}}});
  FeedOk(a, {{"type", "content_block_delta"},
             {"index", 0},
             {"delta", {{"type", "signature_delta"}, {"signature", "c2ln"}}}});
  FeedOk(a, BlockStop(0));
  AssistantReply r = a.Finish();
  EXPECT_EQ((*r.message)["content"][0]["thinking"], "Let me think.");
  EXPECT_EQ((*r.message)["content"][0]["signature"], "c2ln");
  EXPECT_EQ(a.text_so_far(), "");  // thinking is not shown as answer text
}

TEST(MessageAssemblerTest, MalformedEventsAreBadEvents) {
  for (std::string bad : {std::string("not json"), std::string("[1,2]"), std::string("\"text\""),
                          std::string("{\"type\": \"message_start\""), std::string("")}) {
    MessageAssembler a(nullptr);
    Status s = a.Feed(bad);
    ASSERT_FALSE(s.ok()) << "accepted: " << bad;
    EXPECT_EQ(s.error().code, "bedrock.bad_event") << bad;
    EXPECT_FALSE(s.error().fix.empty());
  }
}

TEST(MessageAssemblerTest, NonObjectContentBlockIsABadEvent) {
  MessageAssembler a(nullptr);
  Status s = a.Feed(
      Json({{"type", "content_block_start"}, {"index", 0}, {"content_block", "text"}}).dump());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "bedrock.bad_event");
}

TEST(MessageAssemblerTest, OutOfOrderBlockIndexIsABadEvent) {
  MessageAssembler a(nullptr);
  // A block that skips index 0.
  Status s = a.Feed(BlockStart(1, {{"type", "text"}, {"text", ""}}).dump());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "bedrock.bad_event");
  EXPECT_NE(s.error().message.find("out of order"), std::string::npos) << s.error().message;

  // A block index repeated.
  MessageAssembler b(nullptr);
  FeedOk(b, BlockStart(0, {{"type", "text"}, {"text", ""}}));
  Status again = b.Feed(BlockStart(0, {{"type", "text"}, {"text", ""}}).dump());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "bedrock.bad_event");
}

TEST(MessageAssemblerTest, DeltaOrStopForUnknownBlockIsABadEvent) {
  MessageAssembler a(nullptr);
  FeedOk(a, BlockStart(0, {{"type", "text"}, {"text", ""}}));
  Status d = a.Feed(TextDelta(3, "x").dump());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, "bedrock.bad_event");
  Status s = a.Feed(BlockStop(2).dump());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "bedrock.bad_event");
  // The rejected delta's text was not shown.
  EXPECT_EQ(a.text_so_far(), "");
}

TEST(MessageAssemblerTest, ErrorEventBecomesAStreamError) {
  MessageAssembler a(nullptr);
  FeedOk(a, Start(3));
  Status s = a.Feed(Json({{"type", "error"},
                          {"error", {{"type", "overloaded_error"}, {"message", "Overloaded"}}}})
                        .dump());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "bedrock.stream_error");
  EXPECT_NE(s.error().message.find("overloaded_error"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("Overloaded"), std::string::npos) << s.error().message;
  EXPECT_FALSE(a.done());
}

TEST(MessageAssemblerTest, FinishBeforeDoneReturnsWhatArrived) {
  MessageAssembler a(nullptr);
  FeedOk(a, Start(3));
  FeedOk(a, BlockStart(0, {{"type", "text"}, {"text", ""}}));
  FeedOk(a, TextDelta(0, "partial"));
  EXPECT_FALSE(a.done());
  AssistantReply r = a.Finish();
  EXPECT_EQ((*r.message)["content"][0]["text"], "partial");
  EXPECT_EQ(r.stop_reason, "");
}

TEST(UsageTest, PlusEqualsAddsEveryField) {
  Usage a{1, 2, 3, 4};
  Usage b{10, 20, 30, 40};
  a += b;
  EXPECT_EQ(a.input_tokens, 11);
  EXPECT_EQ(a.output_tokens, 22);
  EXPECT_EQ(a.cache_read_input_tokens, 33);
  EXPECT_EQ(a.cache_creation_input_tokens, 44);
}

}  // namespace
}  // namespace brock
