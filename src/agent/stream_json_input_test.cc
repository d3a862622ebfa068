#include "agent/stream_json_input.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace brock {
namespace {

TEST(StreamJsonInputTest, StringContent) {
  auto c = ParseStreamJsonInputLine(
      R"({"type":"user","message":{"role":"user","content":"hello"},"session_id":"x"})", 1);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(*c, "hello");
}

TEST(StreamJsonInputTest, BlockContentIsKeptAsGiven) {
  auto c = ParseStreamJsonInputLine(
      R"({"type":"user","message":{"role":"user","content":[{"type":"text","text":"a"},)"
      R"({"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA=="}}]}})",
      3);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  ASSERT_TRUE(c->is_array());
  EXPECT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[1]["type"], "image");
}

TEST(StreamJsonInputTest, RoleMayBeOmitted) {
  auto c = ParseStreamJsonInputLine(R"({"type":"user","message":{"content":"hi"}})", 1);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, "hi");
}

void ExpectMalformed(const std::string& line, int n, const std::string& fragment) {
  auto c = ParseStreamJsonInputLine(line, n);
  ASSERT_FALSE(c.ok()) << line;
  EXPECT_EQ(c.error().code, "input.malformed");
  EXPECT_NE(c.error().message.find("stdin line " + std::to_string(n) + ":"), std::string::npos)
      << c.error().message;
  EXPECT_NE(c.error().message.find(fragment), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().fix.find("\"type\":\"user\""), std::string::npos);
}

TEST(StreamJsonInputTest, ErrorsNameTheLineAndWhatIsWrong) {
  ExpectMalformed("hello there", 2, "not valid JSON at column");
  ExpectMalformed(R"({"type":"user","message":{"content":"x"})", 4, "not valid JSON");
  ExpectMalformed("[1,2]", 5, "expected a JSON object, got array");
  ExpectMalformed(R"({"message":{"content":"x"}})", 6, "no \"type\"");
  ExpectMalformed(R"({"type":"assistant","message":{"content":"x"}})", 7,
                  "\"type\" is \"assistant\"");
  ExpectMalformed(R"({"type":"user"})", 8, "\"message\" is missing");
  ExpectMalformed(R"({"type":"user","message":{"role":"assistant","content":"x"}})", 9,
                  "must be \"user\"");
  ExpectMalformed(R"({"type":"user","message":{"role":"user"}})", 10, "content\" is missing");
  ExpectMalformed(R"({"type":"user","message":{"content":""}})", 11, "is empty");
  ExpectMalformed(R"({"type":"user","message":{"content":[]}})", 12, "empty array");
  ExpectMalformed(R"({"type":"user","message":{"content":42}})", 13, "got number");
  ExpectMalformed(R"({"type":"user","message":{"content":[{"text":"x"}]}})", 14, "content[0]");
  ExpectMalformed(R"({"type":"user","message":{"content":[{"type":"text"}]}})", 15,
                  "without a string \"text\"");
  ExpectMalformed(
      R"({"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t"}]}})", 16,
      "tool_result");
}

TEST(StreamJsonInputTest, BlankLines) {
  EXPECT_TRUE(IsBlankInputLine(""));
  EXPECT_TRUE(IsBlankInputLine(" \t\r"));
  EXPECT_FALSE(IsBlankInputLine(" {}"));
}

}  // namespace
}  // namespace brock
