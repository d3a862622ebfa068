#include "agent/gitignore.h"

#include <gtest/gtest.h>

namespace brock {
namespace {

TEST(IgnoreRulesTest, BasenamePatternsMatchAtAnyDepth) {
  IgnoreRules r = IgnoreRules::Parse("*.log\nbuild\n");
  EXPECT_EQ(r.Match("a.log", false), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("x/y/a.log", false), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("x/build", true), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("x/build", false), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("a.txt", false), IgnoreMatch::kNone);
}

TEST(IgnoreRulesTest, SlashAnchorsAndTrailingSlashMeansDirectory) {
  IgnoreRules r = IgnoreRules::Parse("/top.txt\ndoc/*.md\nout/\n");
  EXPECT_EQ(r.Match("top.txt", false), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("sub/top.txt", false), IgnoreMatch::kNone);
  EXPECT_EQ(r.Match("doc/a.md", false), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("x/doc/a.md", false), IgnoreMatch::kNone);
  EXPECT_EQ(r.Match("out", true), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("a/out", true), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("out", false), IgnoreMatch::kNone);
}

TEST(IgnoreRulesTest, NegationAndLastMatchWins) {
  IgnoreRules r = IgnoreRules::Parse("*.txt\n!keep.txt\n");
  EXPECT_EQ(r.Match("a.txt", false), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("keep.txt", false), IgnoreMatch::kWhitelist);
  IgnoreRules r2 = IgnoreRules::Parse("!keep.txt\n*.txt\n");
  EXPECT_EQ(r2.Match("keep.txt", false), IgnoreMatch::kIgnore);
  EXPECT_TRUE(r.has_whitelist());
}

TEST(IgnoreRulesTest, CommentsEscapesBlankLinesAndTrailingSpaces) {
  IgnoreRules r = IgnoreRules::Parse("# comment\n\n\\#hash\n\\!bang\ntrail   \nsp\\ \r\n");
  EXPECT_EQ(r.Match("# comment", false), IgnoreMatch::kNone);
  EXPECT_EQ(r.Match("#hash", false), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("!bang", false), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("trail", false), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("sp ", false), IgnoreMatch::kIgnore);
}

TEST(IgnoreRulesTest, DoubleStar) {
  IgnoreRules r = IgnoreRules::Parse("**/gen/*.c\nlogs/**\na/**/z\n");
  EXPECT_EQ(r.Match("gen/x.c", false), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("p/q/gen/x.c", false), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("logs/a/b", false), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("a/z", false), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("a/b/c/z", false), IgnoreMatch::kIgnore);
}

}  // namespace
}  // namespace brock
