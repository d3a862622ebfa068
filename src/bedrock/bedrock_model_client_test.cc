#include "bedrock/bedrock_model_client.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/bedrock_fake_http.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

constexpr char kModel[] = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

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

ModelCallOptions Options() {
  ModelCallOptions o;
  o.model = kModel;
  o.max_tokens = 1000;
  o.system = "You are a test.";
  o.tools = {{"Read", "Reads a file.", Json{{"type", "object"}}},
             {"Bash", "Runs a command.", Json{{"type", "object"}}}};
  return o;
}

std::vector<Message> Conversation() {
  return MessagesFromJson({
      {{"role", "user"}, {"content", "first"}},
      {{"role", "assistant"},
       {"content", Json::array({{{"type", "text"}, {"text", "Reading."}},
                                {{"type", "tool_use"},
                                 {"id", "t1"},
                                 {"name", "Read"},
                                 {"input", {{"file_path", "/a"}}}}})}},
      {{"role", "user"},
       {"content",
        Json::array({{{"type", "tool_result"}, {"tool_use_id", "t1"}, {"content", "data"}}})}},
  });
}

TEST(AnthropicRequestBodyTest, HasBedrocksShape) {
  Json body = AnthropicRequestBody(Conversation(), Options());
  EXPECT_EQ(body["anthropic_version"], "bedrock-2023-05-31");
  EXPECT_EQ(body["max_tokens"], 1000);
  EXPECT_FALSE(body.contains("model")) << "the model goes in the URL path on Bedrock";
  EXPECT_FALSE(body.contains("stream"));
  EXPECT_FALSE(body.contains("anthropic_beta"));
  EXPECT_FALSE(body.contains("thinking"));
  EXPECT_EQ(body["system"][0]["text"], "You are a test.");
  EXPECT_EQ(body["tools"][0]["name"], "Read");
  EXPECT_EQ(body["tools"][1]["input_schema"], (Json{{"type", "object"}}));
  ASSERT_EQ(body["messages"].size(), 3u);
  EXPECT_EQ(body["messages"][0]["content"][0]["text"], "first");
  EXPECT_EQ(body["messages"][1]["content"][1]["input"], (Json{{"file_path", "/a"}}));
  EXPECT_EQ(body["messages"][2]["content"][0]["tool_use_id"], "t1");
}

TEST(AnthropicRequestBodyTest, CacheControlBreakpointsArePlaced) {
  Json body = AnthropicRequestBody(Conversation(), Options());
  int n = CountCacheControl(body);
  EXPECT_EQ(n, 3);
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

TEST(AnthropicRequestBodyTest, ExplicitCachePointsStayWithinBedrocksLimit) {
  std::vector<Message> messages = Conversation();
  for (Message& m : messages) {
    for (ContentBlock& b : m.content) b.cache_point = true;
  }
  Json body = AnthropicRequestBody(messages, Options());
  EXPECT_EQ(CountCacheControl(body), kMaxCacheBreakpoints);
  // The latest explicit point (the assistant's tool_use) got the one left.
  EXPECT_TRUE(body["messages"][1]["content"][1].contains("cache_control"));
  EXPECT_FALSE(body["messages"][0]["content"][0].contains("cache_control"));
}

TEST(AnthropicRequestBodyTest, NoCacheControlWithPromptCachingOff) {
  ModelCallOptions o = Options();
  o.prompt_caching = false;
  Json body = AnthropicRequestBody(Conversation(), o);
  EXPECT_EQ(body.dump().find("cache_control"), std::string::npos) << body.dump();
}

TEST(AnthropicRequestBodyTest, BetasAndThinking) {
  ModelCallOptions o = Options();
  o.betas = {"context-1m-2025-08-07", "interleaved-thinking-2025-05-14"};
  o.thinking_budget_tokens = 4096;
  Json body = AnthropicRequestBody(Conversation(), o);
  EXPECT_EQ(body["anthropic_beta"],
            (Json{"context-1m-2025-08-07", "interleaved-thinking-2025-05-14"}));
  EXPECT_EQ(body["thinking"], (Json{{"type", "enabled"}, {"budget_tokens", 4096}}));
}

TEST(AnthropicRequestBodyTest, ThinkingIsShapedForTheModelCalled) {
  ModelCallOptions o = Options();
  o.thinking_budget_tokens = 31999;
  // A fixed-budget model that interleaves gets the beta added once.
  Json body = AnthropicRequestBody(Conversation(), o);
  EXPECT_EQ(body["thinking"], (Json{{"type", "enabled"}, {"budget_tokens", 31999}}));
  EXPECT_EQ(body["anthropic_beta"], (Json{"interleaved-thinking-2025-05-14"}));
  EXPECT_FALSE(body.contains("output_config"));
  o.interleaved_thinking = false;
  EXPECT_FALSE(AnthropicRequestBody(Conversation(), o).contains("anthropic_beta"));
  // Opus 4.6 thinks adaptively, interleaving without the beta, and takes effort.
  o = Options();
  o.model = "us.anthropic.claude-opus-4-6-v1";
  o.thinking_budget_tokens = 31999;
  body = AnthropicRequestBody(Conversation(), o);
  EXPECT_EQ(body["thinking"], (Json{{"type", "adaptive"}}));
  EXPECT_FALSE(body.contains("anthropic_beta"));
  EXPECT_EQ(body["output_config"], (Json{{"effort", "high"}}));
  o.effort = "xhigh";
  EXPECT_EQ(AnthropicRequestBody(Conversation(), o)["output_config"]["effort"], "high");
  o.effort = "low";
  o.adaptive_thinking = false;  // CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING
  body = AnthropicRequestBody(Conversation(), o);
  EXPECT_EQ(body["thinking"], (Json{{"type", "enabled"}, {"budget_tokens", 31999}}));
  EXPECT_EQ(body["output_config"]["effort"], "low");
  // Thinking off: effort still goes to a model that takes it; no thinking field.
  o.thinking_budget_tokens = 0;
  body = AnthropicRequestBody(Conversation(), o);
  EXPECT_FALSE(body.contains("thinking"));
  EXPECT_EQ(body["output_config"]["effort"], "low");
  // 3.5 Haiku cannot think: no thinking field even when asked.
  o = Options();
  o.model = "anthropic.claude-3-5-haiku-20241022-v1:0";
  o.thinking_budget_tokens = 4096;
  o.effort = "max";
  body = AnthropicRequestBody(Conversation(), o);
  EXPECT_FALSE(body.contains("thinking"));
  EXPECT_FALSE(body.contains("output_config"));
  EXPECT_FALSE(body.contains("anthropic_beta"));
}

TEST(AnthropicRequestBodyTest, OneHourCachePoints) {
  ModelCallOptions o = Options();
  o.cache_ttl_1h = true;
  Json body = AnthropicRequestBody(Conversation(), o);
  const Json one_hour = {{"type", "ephemeral"}, {"ttl", "1h"}};
  EXPECT_EQ(body["system"][0]["cache_control"], one_hour);
  EXPECT_EQ(body["tools"].back()["cache_control"], one_hour);
  EXPECT_EQ(body["messages"].back()["content"].back()["cache_control"], one_hour);
  o.cache_ttl_1h = false;
  body = AnthropicRequestBody(Conversation(), o);
  EXPECT_EQ(body["system"][0]["cache_control"], (Json{{"type", "ephemeral"}}));
}

TEST(AnthropicRequestBodyTest, NoSystemOrToolsWhenEmpty) {
  ModelCallOptions o;
  o.model = kModel;
  Json body = AnthropicRequestBody({Message{Role::kUser, {ContentBlock::Text("hi")}}}, o);
  EXPECT_FALSE(body.contains("system"));
  EXPECT_FALSE(body.contains("tools"));
  EXPECT_EQ(CountCacheControl(body), 1);
}

class BedrockModelClientTest : public ::testing::Test {
 protected:
  BedrockModelClientTest() : runtime_(http_, env_, RuntimeOptionsForTest()), client_(runtime_) {}
  static RuntimeOptions RuntimeOptionsForTest() {
    RuntimeOptions o;
    o.base_url = "http://127.0.0.1:1";
    o.region = "us-east-1";
    o.auth.kind = BedrockAuthKind::kUnsigned;
    o.max_retries = 0;
    return o;
  }
  testing::FakeEnv env_;
  testing::FakeBedrockHttp http_;
  BedrockRuntime runtime_;
  BedrockModelClient client_;
};

TEST_F(BedrockModelClientTest, StreamsTextAndReturnsATypedPricedReply) {
  testing::ReplySpec spec;
  spec.pieces = {"Hi ", "there."};
  spec.tool_calls = {{"toolu_1", "Read", {{"file_path", "/a"}}}};
  spec.stop_reason = "tool_use";
  spec.input_tokens = 1000;
  http_.script.push_back(testing::StreamReply(spec));
  std::string streamed;
  ModelObserver observer;
  observer.on_text = [&](std::string_view t) { streamed.append(t); };
  auto reply = client_.Stream({Message{Role::kUser, {ContentBlock::Text("hello")}}}, Options(),
                              observer, nullptr);
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_EQ(streamed, "Hi there.");
  EXPECT_EQ(reply->message.role, Role::kAssistant);
  ASSERT_EQ(reply->message.content.size(), 2u);
  EXPECT_EQ(reply->message.content[0].text, "Hi there.");
  EXPECT_EQ(reply->message.content[1].type, BlockType::kToolUse);
  EXPECT_EQ(reply->message.content[1].input.get(), (Json{{"file_path", "/a"}}));
  EXPECT_EQ(reply->stop_reason, "tool_use");
  EXPECT_EQ(reply->usage.input_tokens, 1000);
  EXPECT_GT(reply->cost_usd, 0);
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_NE(http_.requests[0].url.find("/invoke-with-response-stream"), std::string::npos);
  Json body = http_.Body(0);
  EXPECT_EQ(body,
            AnthropicRequestBody({Message{Role::kUser, {ContentBlock::Text("hello")}}}, Options()));
}

TEST_F(BedrockModelClientTest, ThinkingDeltasReachTheObserver) {
  std::vector<Json> events = {
      {{"type", "message_start"},
       {"message", {{"model", "claude-test"}, {"usage", {{"input_tokens", 5}}}}}},
      {{"type", "content_block_start"},
       {"index", 0},
       {"content_block", {{"type", "thinking"}, {"thinking", ""}}}},
      {{"type", "content_block_delta"},
       {"index", 0},
       {"delta", {{"type", "thinking_delta"}, {"thinking", "Hmm"}}}},
      {{"type", "content_block_delta"},
       {"index", 0},
       {"delta", {{"type", "signature_delta"}, {"signature", "sig"}}}},
      {{"type", "content_block_stop"}, {"index", 0}},
      {{"type", "message_delta"},
       {"delta", {{"stop_reason", "end_turn"}}},
       {"usage", {{"output_tokens", 2}}}},
      {{"type", "message_stop"}},
  };
  http_.script.push_back(testing::StreamReply(testing::Frames(events)));
  std::string thinking;
  ModelObserver observer;
  observer.on_thinking = [&](std::string_view t) { thinking.append(t); };
  auto reply = client_.Stream({Message{Role::kUser, {ContentBlock::Text("think")}}}, Options(),
                              observer, nullptr);
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_EQ(thinking, "Hmm");
  ASSERT_EQ(reply->message.content.size(), 1u);
  EXPECT_EQ(reply->message.content[0].type, BlockType::kThinking);
  EXPECT_EQ(reply->message.content[0].signature, "sig");
}

TEST_F(BedrockModelClientTest, ContextOverflowIsRecognised) {
  EXPECT_TRUE(client_.IsContextOverflow(
      MakeError("aws.ValidationException", "Input is too long for requested model.")));
  EXPECT_TRUE(client_.IsContextOverflow(
      MakeError("aws.ValidationException", "prompt has too many tokens")));
  EXPECT_FALSE(client_.IsContextOverflow(MakeError("aws.ValidationException", "malformed input")));
  EXPECT_FALSE(client_.IsContextOverflow(MakeError("aws.ThrottlingException", "too long a wait")));
}

TEST_F(BedrockModelClientTest, ErrorsComeBackExplained) {
  http_.script.push_back(testing::AwsErrorReply(403, "AccessDeniedException", "no access"));
  auto reply =
      client_.Stream({Message{Role::kUser, {ContentBlock::Text("hello")}}}, Options(), {}, nullptr);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, "aws.AccessDeniedException");
  EXPECT_FALSE(reply.error().fix.empty());
}

}  // namespace
}  // namespace brock
