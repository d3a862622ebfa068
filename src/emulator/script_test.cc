#include "emulator/script.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "emulator/anthropic_reply.h"
#include "emulator/script_runner.h"

namespace brock {
namespace {

using nlohmann::json;

json Body(const json& messages) {
  return {{"anthropic_version", "bedrock-2023-05-31"}, {"max_tokens", 100}, {"messages", messages}};
}
json UserSays(const std::string& text) { return Body({{{"role", "user"}, {"content", text}}}); }

Script MustParse(const std::string& text) {
  auto s = ParseScript(text, "test.json");
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().ToString());
  return s.ok() ? *s : Script{};
}

std::string TextOf(const Decision& d) {
  std::string out;
  for (const auto& b : d.reply.content) out += b.text;
  return out;
}

TEST(ScriptTest, ParseErrorsNameTheRuleAndField) {
  auto s = ParseScript(R"({"rules":[{"text":"a"},{"text":"b","tmies":2}]})", "s.json");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "emulator.script");
  EXPECT_NE(s.error().message.find("s.json: rule 2: unknown field \"tmies\""), std::string::npos)
      << s.error().message;
  s = ParseScript(R"([{"match":{"regex":"("},"text":"a"}])", "s.json");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("invalid regular expression"), std::string::npos);
  s = ParseScript(R"([{"match":{"contains":"x"}}])", "s.json");
  ASSERT_FALSE(s.ok());
  s = ParseScript(R"([{"text":"a","stop_reason":"done"}])", "s.json");
  ASSERT_FALSE(s.ok());
  s = ParseScript(R"({"rules": 3})", "s.json");
  ASSERT_FALSE(s.ok());
  s = ParseScript(R"([{"text":"a",)", "s.json");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("s.json:1:"), std::string::npos) << s.error().message;
}

TEST(ScriptTest, ViewTakesLastUserTextAndToolResult) {
  json body = Body({{{"role", "user"}, {"content", "first"}},
                    {{"role", "assistant"}, {"content", "ok"}},
                    {{"role", "user"},
                     {"content",
                      {{{"type", "tool_result"},
                        {"tool_use_id", "t1"},
                        {"content", {{{"type", "text"}, {"text", "file.txt"}}}}},
                       {{"type", "text"}, {"text", "and then?"}}}}}});
  RequestView v = ViewRequest(body);
  EXPECT_EQ(v.last_user_text, "and then?");
  EXPECT_TRUE(v.has_tool_result);
  EXPECT_EQ(v.last_tool_result, "file.txt");
  EXPECT_GT(v.prompt_chars, 10u);
}

TEST(ScriptTest, RulesMatchInOrderBySubstringRegexAndToolResult) {
  ScriptRunner runner(MustParse(R"({"rules":[
    {"name":"tool","match":{"tool_result_contains":"README"},"text":"saw the readme"},
    {"name":"re","match":{"regex":"^list (\\w+)$"},"text":"regex hit"},
    {"name":"sub","match":{"contains":"weather"},"text":"sunny"},
    {"name":"fb","text":"fallback"}]})"));
  EXPECT_EQ(TextOf(runner.Decide(UserSays("what is the weather"), "m", false)), "sunny");
  EXPECT_EQ(TextOf(runner.Decide(UserSays("list files"), "m", false)), "regex hit");
  EXPECT_EQ(TextOf(runner.Decide(UserSays("please list files now"), "m", false)), "fallback");
  json tool =
      Body({{{"role", "user"},
             {"content",
              {{{"type", "tool_result"}, {"tool_use_id", "t"}, {"content", "README.md\nsrc"}}}}}});
  Decision d = runner.Decide(tool, "m", false);
  EXPECT_EQ(d.rule_name, "tool");
  EXPECT_EQ(TextOf(d), "saw the readme");
}

TEST(ScriptTest, TimesLimitsARuleThenFallsThrough) {
  ScriptRunner runner(MustParse(R"([{"name":"once","times":1,"text":"first"},
                                     {"name":"after","text":"later"}])"));
  EXPECT_EQ(TextOf(runner.Decide(UserSays("x"), "m", false)), "first");
  EXPECT_EQ(TextOf(runner.Decide(UserSays("x"), "m", false)), "later");
  EXPECT_EQ(TextOf(runner.Decide(UserSays("x"), "m", false)), "later");
}

TEST(ScriptTest, NoMatchingRuleIsAValidationErrorNamingThePrompt) {
  ScriptRunner runner(MustParse(R"([{"match":{"contains":"hello"},"text":"hi"}])"));
  Decision d = runner.Decide(UserSays("goodbye"), "m", false);
  ASSERT_TRUE(d.error.has_value());
  EXPECT_EQ(d.error->type, "ValidationException");
  EXPECT_NE(d.error->message.find("goodbye"), std::string::npos);
}

TEST(ScriptTest, ErrorTimesThenSuccess) {
  ScriptRunner runner(MustParse(R"([{"error":{"type":"ThrottlingException"},"error_times":2,
                                     "text":"finally","times":1},{"text":"fb"}])"));
  for (int i = 0; i < 2; ++i) {
    Decision d = runner.Decide(UserSays("x"), "m", false);
    ASSERT_TRUE(d.error.has_value()) << i;
    EXPECT_EQ(d.error->type, "ThrottlingException");
    EXPECT_EQ(d.error->status, 429);
    EXPECT_FALSE(d.error->message.empty());
  }
  EXPECT_EQ(TextOf(runner.Decide(UserSays("x"), "m", false)), "finally");
  EXPECT_EQ(TextOf(runner.Decide(UserSays("x"), "m", false)), "fb");
}

TEST(ScriptTest, StreamFaultsApplyOnlyToStreamsAndOnlyStreamFaultTimes) {
  ScriptRunner runner(MustParse(R"([{"text":"a b c","drop_after_events":2,"stream_fault_times":1,
                                     "delay_ms_per_event":5}])"));
  Decision plain = runner.Decide(UserSays("x"), "m", false);
  EXPECT_FALSE(plain.stream_faults.drop_after_events.has_value());
  Decision first = runner.Decide(UserSays("x"), "m", true);
  ASSERT_TRUE(first.stream_faults.drop_after_events.has_value());
  EXPECT_EQ(*first.stream_faults.drop_after_events, 2);
  Decision second = runner.Decide(UserSays("x"), "m", true);
  EXPECT_FALSE(second.stream_faults.drop_after_events.has_value());
  EXPECT_EQ(second.stream_faults.delay_ms_per_event, 5);
}

TEST(ScriptTest, ToolUseGetsIdsStopReasonAndUsage) {
  ScriptRunner runner(MustParse(R"([{"content":[{"type":"text","text":"Running it."},
      {"type":"tool_use","name":"Bash","input":{"command":"ls"}}],
      "usage":{"input_tokens":11,"cache_read_input_tokens":7}}])"));
  Decision d = runner.Decide(UserSays("x"), "us.anthropic.claude-sonnet-4-6", false);
  ASSERT_EQ(d.reply.content.size(), 2u);
  EXPECT_EQ(d.reply.stop_reason, "tool_use");
  EXPECT_TRUE(d.reply.content[1].tool_id.rfind("toolu_bdrk_", 0) == 0);
  EXPECT_EQ(d.reply.usage.input_tokens, 11);
  EXPECT_EQ(d.reply.usage.cache_read_input_tokens, 7);
  EXPECT_GE(d.reply.usage.output_tokens, 1);
  EXPECT_EQ(d.reply.model, "claude-sonnet-4-6");
  EXPECT_TRUE(d.reply.message_id.rfind("msg_bdrk_", 0) == 0);
}

TEST(ScriptTest, DefaultAnswersTheGardenStateAndEchoesOtherwise) {
  ScriptRunner runner(std::nullopt);
  EXPECT_EQ(
      TextOf(runner.Decide(UserSays("Which state is the Garden State? One sentence."), "m", false)),
      "New Jersey is known as the Garden State.");
  std::string echo = TextOf(runner.Decide(UserSays("Tell me about the moon landing in 1969 "
                                                   "and everything after it"),
                                          "m", false));
  EXPECT_EQ(echo, "Emulator reply to: Tell me about the moon landing in 1969 a");
}

// Every {"rules": ...} example in docs/emulator.md parses, so the documentation stays true.
TEST(ScriptTest, DocumentedExamplesParse) {
  std::ifstream in(std::string(BROCK_SOURCE_DIR) + "/docs/emulator.md");
  if (!in) GTEST_SKIP() << "docs/emulator.md not found under " << BROCK_SOURCE_DIR;
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  int examples = 0;
  for (size_t pos = 0; (pos = doc.find("```json\n{\"rules\"", pos)) != std::string::npos;) {
    size_t start = pos + 8;
    size_t end = doc.find("```", start);
    auto s = ParseScript(doc.substr(start, end - start), "docs/emulator.md example");
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    EXPECT_GE(s->rules.size(), 1u);
    ++examples;
    pos = end;
  }
  EXPECT_GE(examples, 2);
}

TEST(AnthropicReplyTest, ModelNamesFromIds) {
  EXPECT_EQ(ModelNameFromId("us.anthropic.claude-sonnet-4-6"), "claude-sonnet-4-6");
  EXPECT_EQ(ModelNameFromId("anthropic.claude-3-5-sonnet-20240620-v1:0"),
            "claude-3-5-sonnet-20240620");
  EXPECT_EQ(ModelNameFromId("arn:aws:bedrock:us-east-1:123456789012:inference-profile/"
                            "us.anthropic.claude-3-7-sonnet-20250219-v1:0"),
            "claude-3-7-sonnet-20250219");
}

TEST(AnthropicReplyTest, DeltasConcatenateBackToTheText) {
  std::string text = "  New Jersey is known\nas the   Garden State.  ";
  auto pieces = SplitIntoDeltas(text, 2);
  EXPECT_GT(pieces.size(), 2u);
  std::string joined;
  for (const auto& p : pieces) joined += p;
  EXPECT_EQ(joined, text);
}

TEST(AnthropicReplyTest, StreamEventsFollowTheMessagesProtocol) {
  ModelReply r;
  r.message_id = "msg_bdrk_1";
  r.model = "claude-x";
  r.content.push_back({ReplyBlock::Kind::kText, "one two three four five", "", "", "", "", ""});
  r.content.push_back({ReplyBlock::Kind::kToolUse, "", "toolu_1", "Read",
                       R"({"file_path":"/tmp/a.txt","limit":10})", "", ""});
  r.stop_reason = "tool_use";
  r.usage = {12, 34, 0, 0};
  auto events = ReplyToStreamEvents(r, {100, 20});
  std::vector<std::string> types;
  std::string text, tool_json;
  for (const auto& e : events) {
    json j = json::parse(e);
    types.push_back(j["type"]);
    if (j["type"] == "content_block_delta") {
      if (j["delta"]["type"] == "text_delta")
        text += j["delta"]["text"].get<std::string>();
      else
        tool_json += j["delta"]["partial_json"].get<std::string>();
    }
  }
  EXPECT_EQ(types.front(), "message_start");
  EXPECT_EQ(types[1], "content_block_start");
  EXPECT_EQ(types.back(), "message_stop");
  EXPECT_EQ(types[types.size() - 2], "message_delta");
  EXPECT_EQ(text, "one two three four five");
  EXPECT_EQ(json::parse(tool_json), json::parse(r.content[1].tool_input_json));
  json start = json::parse(events.front());
  EXPECT_EQ(start["message"]["usage"]["input_tokens"], 12);
  json delta = json::parse(events[events.size() - 2]);
  EXPECT_EQ(delta["delta"]["stop_reason"], "tool_use");
  EXPECT_EQ(delta["usage"]["output_tokens"], 34);
  json stop = json::parse(events.back());
  EXPECT_EQ(stop["amazon-bedrock-invocationMetrics"]["inputTokenCount"], 12);
  EXPECT_EQ(stop["amazon-bedrock-invocationMetrics"]["invocationLatency"], 100);
  json message = json::parse(ReplyToMessageJson(r));
  EXPECT_EQ(message["content"][1]["input"]["limit"], 10);
  EXPECT_EQ(message["stop_reason"], "tool_use");
}

}  // namespace
}  // namespace brock
