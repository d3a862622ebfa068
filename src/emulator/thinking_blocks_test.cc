// The emulator's extended thinking: signed thinking blocks in replies and streams, and the
// 400 ValidationException messages for a follow-up request that altered or dropped them.
#include "emulator/thinking_blocks.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emulator/script.h"
#include "emulator/script_runner.h"

namespace brock {
namespace {

using nlohmann::json;

json ThinkingBody(json messages, bool interleaved = true) {
  json body = {{"anthropic_version", "bedrock-2023-05-31"},
               {"max_tokens", 32000},
               {"thinking", {{"type", "enabled"}, {"budget_tokens", 31999}}},
               {"messages", std::move(messages)}};
  if (interleaved) body["anthropic_beta"] = {std::string(kInterleavedThinkingBeta)};
  return body;
}

// A first turn's reply (thinking + tool_use) as the emulator gives it, as wire JSON.
json FirstReply() {
  Script script = *ParseScript(
      R"({"rules":[{"match":{"contains":"list"},"content":[{"type":"text","text":"Listing."},
         {"type":"tool_use","name":"Bash","input":{"command":"ls"}}]},
         {"text":"done"}]})",
      "t.json");
  ScriptRunner runner(script);
  json body = ThinkingBody({{{"role", "user"}, {"content", "list the files"}}});
  Decision d = runner.Decide(body, "anthropic.claude-sonnet-4-6", true);
  EXPECT_FALSE(d.error);
  return json::parse(ReplyToMessageJson(d.reply));
}

json FollowUp(const json& assistant_content) {
  return ThinkingBody({{{"role", "user"}, {"content", "list the files"}},
                       {{"role", "assistant"}, {"content", assistant_content}},
                       {{"role", "user"},
                        {"content",
                         {{{"type", "tool_result"},
                           {"tool_use_id", assistant_content.back().value("id", "")},
                           {"content", "a.txt"}}}}}});
}

TEST(ThinkingBlocksTest, ReplyStartsWithASignedThinkingBlockWhenThinkingIsOn) {
  json reply = FirstReply();
  ASSERT_EQ(reply["content"].size(), 3u);
  const json& thinking = reply["content"][0];
  EXPECT_EQ(thinking["type"], "thinking");
  EXPECT_NE(thinking["thinking"].get<std::string>().find("list the files"), std::string::npos);
  EXPECT_EQ(thinking["signature"], ThinkingSignature(thinking["thinking"].get<std::string>()));
  EXPECT_EQ(reply["content"][2]["type"], "tool_use");
}

TEST(ThinkingBlocksTest, NoThinkingWithoutTheRequest) {
  Script script = *ParseScript(
      R"([{"content":[{"type":"thinking","thinking":"hmm"},{"type":"text","text":"hi"}]}])", "t");
  ScriptRunner runner(script);
  json body = {{"anthropic_version", "bedrock-2023-05-31"},
               {"max_tokens", 100},
               {"messages", {{{"role", "user"}, {"content", "hi"}}}}};
  Decision d = runner.Decide(body, "anthropic.claude-sonnet-4-6", false);
  ASSERT_EQ(d.reply.content.size(), 1u);
  EXPECT_EQ(d.reply.content[0].kind, ReplyBlock::Kind::kText);
}

TEST(ThinkingBlocksTest, UnchangedBlocksPassTheCheck) {
  json reply = FirstReply();
  EXPECT_EQ(ThinkingViolation(FollowUp(reply["content"])), "");
}

TEST(ThinkingBlocksTest, AlteredThinkingIsRejected) {
  json content = FirstReply()["content"];
  content[0]["thinking"] = content[0]["thinking"].get<std::string>() + " (edited)";
  EXPECT_EQ(ThinkingViolation(FollowUp(content)),
            "messages.1.content.0: Invalid `signature` in `thinking` block");
  content = FirstReply()["content"];
  content[0]["signature"] = "forged";
  EXPECT_EQ(ThinkingViolation(FollowUp(content)),
            "messages.1.content.0: Invalid `signature` in `thinking` block");
}

TEST(ThinkingBlocksTest, DroppedOrMovedThinkingBeforeAToolUseIsRejected) {
  json content = FirstReply()["content"];
  json dropped = json::array({content[1], content[2]});
  std::string v = ThinkingViolation(FollowUp(dropped));
  EXPECT_EQ(v.rfind("messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but "
                    "found `text`",
                    0),
            0u)
      << v;
  json moved = json::array({content[1], content[0], content[2]});
  EXPECT_NE(ThinkingViolation(FollowUp(moved)), "");
  // Without tool results to answer, an earlier turn's thinking may be left out.
  json body = FollowUp(dropped);
  body["messages"][2]["content"] = "thanks";
  EXPECT_EQ(ThinkingViolation(body), "");
}

TEST(ThinkingBlocksTest, RedactedThinkingDataMustComeBackIntact) {
  std::string data = RedactedThinkingData("msg_1:0");
  json content = json::array({{{"type", "redacted_thinking"}, {"data", data}},
                              {{"type", "tool_use"},
                               {"id", "toolu_1"},
                               {"name", "Bash"},
                               {"input", {{"command", "ls"}}}}});
  EXPECT_EQ(ThinkingViolation(FollowUp(content)), "");
  content[0]["data"] = data.substr(1);
  EXPECT_EQ(ThinkingViolation(FollowUp(content)),
            "messages.1.content.0: Invalid `data` in `redacted_thinking` block");
}

TEST(ThinkingBlocksTest, BudgetRules) {
  json body = ThinkingBody({{{"role", "user"}, {"content", "hi"}}});
  body["thinking"]["budget_tokens"] = 512;
  EXPECT_EQ(ThinkingViolation(body),
            "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
  body["thinking"]["budget_tokens"] = 32000;
  EXPECT_EQ(
      ThinkingViolation(body).rfind("max_tokens must be greater than thinking.budget_tokens", 0),
      0u);
}

TEST(ThinkingBlocksTest, InterleavedThinkingOnlyWithTheBeta) {
  json content = FirstReply()["content"];
  ScriptRunner runner(std::nullopt);
  Decision with = runner.Decide(FollowUp(content), "anthropic.claude-sonnet-4-6", true);
  ASSERT_FALSE(with.reply.content.empty());
  EXPECT_EQ(with.reply.content[0].kind, ReplyBlock::Kind::kThinking);
  json body = FollowUp(content);
  body.erase("anthropic_beta");
  Decision without = runner.Decide(body, "anthropic.claude-sonnet-4-6", true);
  ASSERT_FALSE(without.reply.content.empty());
  EXPECT_EQ(without.reply.content[0].kind, ReplyBlock::Kind::kText);
}

TEST(ThinkingBlocksTest, AdaptiveThinkingThinksAndInterleavesWithoutTheBeta) {
  json content = FirstReply()["content"];
  json body = FollowUp(content);
  body.erase("anthropic_beta");
  body["thinking"] = {{"type", "adaptive"}};
  EXPECT_TRUE(RequestsThinking(body));
  EXPECT_TRUE(RequestsAdaptiveThinking(body));
  EXPECT_EQ(ThinkingViolation(body), "");
  ScriptRunner runner(std::nullopt);
  Decision d = runner.Decide(body, "anthropic.claude-opus-4-6-v1", true);
  ASSERT_FALSE(d.reply.content.empty());
  EXPECT_EQ(d.reply.content[0].kind, ReplyBlock::Kind::kThinking);
  // The signed blocks must still come back intact.
  body["messages"][1]["content"][0]["thinking"] = "changed";
  EXPECT_NE(ThinkingViolation(body).find("Invalid `signature`"), std::string::npos);
}

TEST(ThinkingBlocksTest, ThinkingTypeRules) {
  json body = ThinkingBody({{{"role", "user"}, {"content", "hi"}}});
  body["thinking"] = {{"type", "adaptive"}, {"budget_tokens", 2048}};
  EXPECT_EQ(ThinkingViolation(body),
            "thinking.adaptive.budget_tokens: Extra inputs are not permitted");
  body["thinking"] = {{"type", "sometimes"}};
  EXPECT_NE(ThinkingViolation(body).find("'sometimes'"), std::string::npos);
  body["thinking"] = {{"type", "disabled"}};
  EXPECT_EQ(ThinkingViolation(body), "");
  EXPECT_FALSE(RequestsThinking(body));
}

TEST(ThinkingBlocksTest, StreamCarriesThinkingDeltasThenTheSignature) {
  ModelReply reply;
  reply.message_id = "msg_1";
  ReplyBlock thinking;
  thinking.kind = ReplyBlock::Kind::kThinking;
  thinking.text = "one two three four five six seven";
  thinking.signature = ThinkingSignature(thinking.text);
  reply.content.push_back(thinking);
  ReplyBlock redacted;
  redacted.kind = ReplyBlock::Kind::kRedactedThinking;
  redacted.data = RedactedThinkingData("x");
  reply.content.push_back(redacted);
  std::string text, signature;
  int thinking_deltas = 0;
  bool redacted_whole = false;
  for (const std::string& e : ReplyToStreamEvents(reply, {})) {
    json ev = json::parse(e);
    if (ev["type"] == "content_block_start" && ev["index"] == 1) {
      redacted_whole = ev["content_block"]["data"] == redacted.data;
    }
    if (ev["type"] != "content_block_delta") continue;
    EXPECT_TRUE(signature.empty()) << "a delta after the signature";
    if (ev["delta"]["type"] == "thinking_delta") {
      text += ev["delta"]["thinking"].get<std::string>();
      ++thinking_deltas;
    } else if (ev["delta"]["type"] == "signature_delta") {
      signature = ev["delta"]["signature"].get<std::string>();
    }
  }
  EXPECT_GT(thinking_deltas, 1);
  EXPECT_EQ(text, thinking.text);
  EXPECT_EQ(signature, thinking.signature);
  EXPECT_TRUE(redacted_whole);
}

}  // namespace
}  // namespace brock
