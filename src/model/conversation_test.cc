#include "model/conversation.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace brock {
namespace {

TEST(ConversationTest, MessageTextJoinsTextBlocksAndAcceptsStrings) {
  EXPECT_EQ(MessageText(MessageFromJson({{"role", "user"}, {"content", "plain"}})), "plain");
  EXPECT_EQ(
      MessageText(MessageFromJson({{"role", "assistant"},
                                   {"content", Json::array({{{"type", "text"}, {"text", "a"}},
                                                            {{"type", "tool_use"}, {"id", "t"}},
                                                            {{"type", "text"}, {"text", "b"}}})}})),
      "ab");
  EXPECT_EQ(MessageText(MessageFromJson(Json::object())), "");
}

TEST(ConversationTest, StringContentBecomesOneTextBlock) {
  Message m = MessageFromJson({{"role", "user"}, {"content", "hello"}});
  EXPECT_EQ(m.role, Role::kUser);
  ASSERT_EQ(m.content.size(), 1u);
  EXPECT_EQ(m.content[0].type, BlockType::kText);
  EXPECT_EQ(
      MessageToJson(m),
      (Json{{"role", "user"}, {"content", Json::array({{{"type", "text"}, {"text", "hello"}}})}}));
  EXPECT_TRUE(ContentFromJson(Json()).empty());
  EXPECT_TRUE(ContentFromJson(42).empty());
}

TEST(ConversationTest, EveryBlockTypeRoundTrips) {
  Json message = {
      {"role", "assistant"},
      {"content",
       Json::array({
           {{"type", "thinking"}, {"thinking", "hmm"}, {"signature", "sig=="}},
           {{"type", "redacted_thinking"}, {"data", "opaque"}},
           {{"type", "text"}, {"text", "Reading."}},
           {{"type", "tool_use"},
            {"id", "toolu_1"},
            {"name", "Read"},
            {"input", {{"file_path", "/a"}, {"n", {1, 2}}}}},
           {{"type", "image"},
            {"source", {{"type", "base64"}, {"media_type", "image/png"}, {"data", "iVBOR"}}}},
           {{"type", "document"},
            {"source", {{"type", "text"}, {"media_type", "text/plain"}, {"data", "doc"}}},
            {"title", "T"}},
           {{"type", "server_tool_use"},
            {"id", "srv_1"},
            {"name", "web_search"},
            {"input", {{"q", "x"}}}},
       })}};
  Message m = MessageFromJson(message);
  EXPECT_EQ(m.role, Role::kAssistant);
  ASSERT_EQ(m.content.size(), 7u);
  EXPECT_EQ(m.content[0].type, BlockType::kThinking);
  EXPECT_EQ(m.content[0].signature, "sig==");
  EXPECT_EQ(m.content[1].type, BlockType::kRedactedThinking);
  EXPECT_EQ(m.content[3].type, BlockType::kToolUse);
  EXPECT_EQ(m.content[3].input.get()["n"], (Json{1, 2}));
  EXPECT_EQ(m.content[4].type, BlockType::kImage);
  EXPECT_EQ(m.content[5].type, BlockType::kDocument);
  EXPECT_EQ(m.content[6].type, BlockType::kOther) << "unknown blocks pass through";
  EXPECT_EQ(MessageToJson(m), message);
}

TEST(ConversationTest, ToolResultsNormaliseStringContent) {
  Json result = {
      {"type", "tool_result"}, {"tool_use_id", "t1"}, {"content", "output"}, {"is_error", true}};
  ContentBlock b = BlockFromJson(result);
  EXPECT_EQ(b.type, BlockType::kToolResult);
  EXPECT_EQ(b.id, "t1");
  EXPECT_TRUE(b.is_error);
  ASSERT_EQ(b.content.size(), 1u);
  EXPECT_EQ(b.content[0].text, "output");
  EXPECT_EQ(BlockToJson(b),
            (Json{{"type", "tool_result"},
                  {"tool_use_id", "t1"},
                  {"content", Json::array({{{"type", "text"}, {"text", "output"}}})},
                  {"is_error", true}}));
}

TEST(ConversationTest, CopiesAreIndependent) {
  ContentBlock a = ContentBlock::ToolUse("t", "Bash", {{"command", "ls"}});
  ContentBlock b = a;
  b.input.get()["command"] = "pwd";
  EXPECT_EQ(a.input.get()["command"], "ls");
  EXPECT_EQ(b.input.get()["command"], "pwd");
}

}  // namespace
}  // namespace brock
