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

TEST(IgnoreRulesTest, BracesAreAlternativesAsInRipgrep) {
  IgnoreRules r = IgnoreRules::Parse("*.{tmp,bak}\n");
  EXPECT_EQ(r.Match("x/a.tmp", false), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("a.bak", false), IgnoreMatch::kIgnore);
  EXPECT_EQ(r.Match("a.txt", false), IgnoreMatch::kNone);
}

TEST(IgnoreRulesTest, UnclosedBracketLineIsSkippedAsRipgrepDoes) {
  IgnoreRules r = IgnoreRules::Parse("notes[draft\n*.log\n");
  EXPECT_EQ(r.Match("notes[draft", false), IgnoreMatch::kNone);
  EXPECT_EQ(r.Match("a.log", false), IgnoreMatch::kIgnore);
}

TEST(GitignorePatternTest, AnchoringBasenameAndDirectories) {
  auto any = GitignorePattern::Compile("build/");
  ASSERT_TRUE(any.ok());
  EXPECT_TRUE(any->dir_only());
  EXPECT_TRUE(any->basename_only());
  EXPECT_TRUE(any->Matches("x/build"));
  EXPECT_TRUE(any->MatchesPathOrParent("x/build/out.o"));
  EXPECT_FALSE(any->Matches("x/build/out.o"));

  auto anchored = GitignorePattern::Compile("/src/**/*.c");
  ASSERT_TRUE(anchored.ok());
  EXPECT_FALSE(anchored->basename_only());
  EXPECT_TRUE(anchored->Matches("src/a.c"));
  EXPECT_TRUE(anchored->Matches("src/x/y/a.c"));
  EXPECT_FALSE(anchored->Matches("lib/src/a.c"));

  EXPECT_FALSE(GitignorePattern::Compile("/").ok());
  EXPECT_EQ(GitignorePattern::Compile("").error().code, "glob.empty");
  EXPECT_EQ(GitignorePattern::Compile("a[b").error().code, "glob.invalid");
}

TEST(GitignorePatternTest, GitSyntaxOptions) {
  GitignorePatternOptions git;
  git.braces = false;
  git.unclosed_bracket_literal = true;
  auto braces = GitignorePattern::Compile("*.{c,h}", git);
  ASSERT_TRUE(braces.ok());
  EXPECT_FALSE(braces->Matches("a.c"));
  EXPECT_TRUE(braces->Matches("a.{c,h}"));
  auto bracket = GitignorePattern::Compile("a[b", git);
  ASSERT_TRUE(bracket.ok());
  EXPECT_TRUE(bracket->Matches("a[b"));
  GitignorePatternOptions folded;
  folded.case_insensitive = true;
  EXPECT_TRUE(GitignorePattern::Compile("*.TXT", folded)->Matches("dir/a.txt"));
}

}  // namespace
}  // namespace brock
