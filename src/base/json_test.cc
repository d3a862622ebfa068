// ParseJson's limits and its promise never to quote the input in an error.
#include "base/json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace brock {
namespace {

std::string Nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JsonLimitsTest, DeepNestingIsRefusedWithItsPlace) {
  auto r = ParseJson("{\"a\":\n" + Nested(100000) + "}", "deep.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "json.too_deep");
  // The 256th '[' on line 2 is the 257th level (the object is the first).
  EXPECT_NE(r.error().message.find("deep.json:2:256: "), std::string::npos) << r.error().message;
  EXPECT_FALSE(r.error().fix.empty());
}

TEST(JsonLimitsTest, NestingUpToTheLimitParses) {
  EXPECT_TRUE(ParseJson(Nested(kJsonMaxDepth), "x").ok());
  EXPECT_FALSE(ParseJson(Nested(kJsonMaxDepth + 1), "x").ok());
}

TEST(JsonLimitsTest, BracketsInsideStringsDoNotCount) {
  std::string s = "[\"" + std::string(1000, '[') + "\\\"{{{\"]";
  auto r = ParseJson(s, "x");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(FindJsonTooDeep(s, 1), std::string_view::npos);
}

TEST(JsonLimitsTest, TooLargeIsRefused) {
  JsonLimits small;
  small.max_bytes = 10;
  auto r = ParseJson("[1,2,3,4,5,6,7]", "big.json", small);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "json.too_large");
  EXPECT_NE(r.error().message.find("big.json"), std::string::npos);
}

TEST(JsonLimitsTest, OrDiscardedRefusesDeepLargeAndBroken) {
  EXPECT_TRUE(ParseJsonOrDiscarded(Nested(kJsonMaxDepth + 1)).is_discarded());
  EXPECT_TRUE(ParseJsonOrDiscarded("{").is_discarded());
  JsonLimits small;
  small.max_bytes = 3;
  EXPECT_TRUE(ParseJsonOrDiscarded("[1,2]", small).is_discarded());
  Json ok = ParseJsonOrDiscarded("{\"a\": [1]}");
  ASSERT_FALSE(ok.is_discarded());
  EXPECT_EQ(ok["a"][0].get<int>(), 1);
}

// nlohmann's own messages end in "; last read: '<the text>'": never shown.
TEST(JsonErrorsTest, SyntaxErrorsNeverQuoteTheInput) {
  const std::string secret = "AKIAIOSFODNN7EXAMPLE-wJalrXUtnFEMI";
  for (const std::string& text : {
           "{\"aws_secret\": " + secret + "}",    // bare word
           "{\"token\": \"" + secret,             // truncated string
           "{\"token\": \"" + secret + "\n\"}",   // raw newline in a string
           "{\"" + secret + "\" 1}",              // missing ':' after a key
           "{\"token\": \"" + secret + "\\q\"}",  // bad escape
           "{\"token\": 1" + secret + "}",        // bad number
       }) {
    auto r = ParseJson(text, "/h/.claude/settings.json");
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().message.find("AKIA"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find("wJal"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find("last read"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("/h/.claude/settings.json:1:"), std::string::npos)
        << r.error().message;
  }
}

}  // namespace
}  // namespace brock
