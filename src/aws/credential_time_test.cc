#include "aws/credential_time.h"

#include <gtest/gtest.h>

namespace brock {
namespace {

TEST(CredentialTimeTest, ParsesTheShapesCredentialSourcesUse) {
  auto base = ParseIso8601("2026-01-01T00:00:00Z");
  ASSERT_TRUE(base.has_value());
  EXPECT_EQ(Clock::to_time_t(*base), 1767225600);
  EXPECT_EQ(ParseIso8601("2026-01-01T00:00:00.123Z"), base);
  EXPECT_EQ(ParseIso8601("2026-01-01T01:00:00+01:00"), base);
  EXPECT_EQ(ParseIso8601("2025-12-31T19:00:00-0500"), base);
  EXPECT_EQ(ParseIso8601("2026-01-01 00:00:00"), base);
  EXPECT_EQ(ParseIso8601("2026-01-01T00:00:00"), base);
  for (const char* bad : {"", "2026-01-01", "2026-13-01T00:00:00Z", "2026-01-01T00:00:00Zjunk",
                          "2026-01-01T00:00:00+1", "yesterday", "2026-01-01T00:00:00."}) {
    EXPECT_FALSE(ParseIso8601(bad).has_value()) << bad;
  }
  EXPECT_EQ(FormatIso8601(*base + std::chrono::seconds(3661)), "2026-01-01T01:01:01Z");
}

}  // namespace
}  // namespace brock
