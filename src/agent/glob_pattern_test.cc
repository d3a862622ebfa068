#include "agent/glob_pattern.h"

#include <gtest/gtest.h>

namespace brock {
namespace {

bool M(const char* pattern, const char* path, bool fold = false) {
  auto g = GlobPattern::Compile(pattern, GlobOptions{fold});
  EXPECT_TRUE(g.ok()) << pattern;
  return g.ok() && g->Matches(path);
}

TEST(GlobPatternTest, StarStaysInsideOneSegment) {
  EXPECT_TRUE(M("*.js", "a.js"));
  EXPECT_FALSE(M("*.js", "src/a.js"));
  EXPECT_TRUE(M("src/*.js", "src/a.js"));
  EXPECT_FALSE(M("src/*.js", "src/x/a.js"));
  EXPECT_TRUE(M("*", "anything"));
  EXPECT_FALSE(M("*", "a/b"));
  EXPECT_TRUE(M("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(M("a*b*c", "aXXbYY"));
  EXPECT_TRUE(M("*.tar.gz", "x.tar.gz"));
  EXPECT_FALSE(M("*/x", "a/b/x"));
  EXPECT_TRUE(M("*/x", "a/x"));
}

TEST(GlobPatternTest, QuestionMarkIsOneCharacterButNotSlash) {
  EXPECT_TRUE(M("a?c", "abc"));
  EXPECT_FALSE(M("a?c", "ac"));
  EXPECT_FALSE(M("a?c", "a/c"));
}

TEST(GlobPatternTest, Globstar) {
  EXPECT_TRUE(M("**/*.ts", "a.ts"));
  EXPECT_TRUE(M("**/*.ts", "x/y/a.ts"));
  EXPECT_FALSE(M("**/*.ts", "x/y/a.tsx"));
  EXPECT_TRUE(M("src/**/*.c", "src/a.c"));
  EXPECT_TRUE(M("src/**/*.c", "src/x/y/a.c"));
  EXPECT_FALSE(M("src/**/*.c", "lib/src/a.c"));
  EXPECT_TRUE(M("a/**", "a/b"));
  EXPECT_TRUE(M("a/**", "a/b/c"));
  EXPECT_FALSE(M("a/**", "b/c"));
  EXPECT_TRUE(M("**", "x/y/z"));
  EXPECT_TRUE(M("a/**/b", "a/b"));
  EXPECT_TRUE(M("a/**/b", "a/x/y/b"));
  EXPECT_FALSE(M("a/**/b", "a/x/y/c"));
  // Not a whole segment: like '*'.
  EXPECT_TRUE(M("a**b", "aXb"));
  EXPECT_FALSE(M("a**b", "a/b"));
}

TEST(GlobPatternTest, CharacterClasses) {
  EXPECT_TRUE(M("[abc].txt", "b.txt"));
  EXPECT_FALSE(M("[abc].txt", "d.txt"));
  EXPECT_TRUE(M("[a-c]x", "cx"));
  EXPECT_FALSE(M("[!a-c]x", "cx"));
  EXPECT_TRUE(M("[^a-c]x", "dx"));
  EXPECT_TRUE(M("*.[ch]", "x.h"));
  EXPECT_FALSE(M("x[/]y", "x/y"));
  EXPECT_TRUE(M("[]]", "]"));
  EXPECT_TRUE(M("[Mm]akefile", "Makefile"));
}

TEST(GlobPatternTest, BraceAlternatives) {
  EXPECT_TRUE(M("*.{ts,tsx}", "a.ts"));
  EXPECT_TRUE(M("*.{ts,tsx}", "a.tsx"));
  EXPECT_FALSE(M("*.{ts,tsx}", "a.js"));
  EXPECT_TRUE(M("{src,lib}/**/*.{c,h}", "lib/x/y.h"));
  EXPECT_TRUE(M("a{b,c{d,e}}f", "acef"));
  EXPECT_FALSE(M("a{b,c{d,e}}f", "acf"));
  auto expanded = ExpandBraces("x{1,2}{a,b}");
  ASSERT_TRUE(expanded.ok());
  EXPECT_EQ(expanded->size(), 4u);
}

TEST(GlobPatternTest, EscapesAndCase) {
  EXPECT_TRUE(M("\\*.txt", "*.txt"));
  EXPECT_FALSE(M("\\*.txt", "a.txt"));
  EXPECT_TRUE(M("\\{a\\}", "{a}"));
  EXPECT_FALSE(M("*.TXT", "a.txt"));
  EXPECT_TRUE(M("*.TXT", "a.txt", true));
}

TEST(GlobPatternTest, InvalidPatternsAreErrors) {
  auto a = GlobPattern::Compile("[abc");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, "glob.invalid");
  auto b = GlobPattern::Compile("*.{ts,tsx");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, "glob.invalid");
}

TEST(GlobPatternTest, LiteralDirPrefix) {
  EXPECT_EQ(GlobPattern::Compile("src/lib/**/*.c")->LiteralDirPrefix(), "src/lib");
  EXPECT_EQ(GlobPattern::Compile("*.c")->LiteralDirPrefix(), "");
  EXPECT_EQ(GlobPattern::Compile("{a,b}/x")->LiteralDirPrefix(), "");
  EXPECT_EQ(GlobPattern::Compile("a/{b,c}/x")->LiteralDirPrefix(), "a");
  EXPECT_TRUE(GlobPattern::Compile("a/b.c")->IsLiteral());
  EXPECT_FALSE(GlobPattern::Compile("a/*.c")->IsLiteral());
}

TEST(GlobPatternTest, ReversedRangeHoldsNothing) {
  auto g = GlobPattern::Compile("log[9-0].txt");
  ASSERT_TRUE(g.ok());
  EXPECT_FALSE(g->Matches("log5.txt"));
  EXPECT_FALSE(g->Matches("log0.txt"));
}

TEST(GlobPatternTest, BracesCanBeLiteral) {
  GlobOptions options;
  options.braces = false;
  auto g = GlobPattern::Compile("*.{a,b}", options);
  ASSERT_TRUE(g.ok());
  EXPECT_TRUE(g->Matches("x.{a,b}"));
  EXPECT_FALSE(g->Matches("x.a"));
  EXPECT_TRUE(GlobPattern::Compile("{unclosed", options).ok());
}

}  // namespace
}  // namespace brock
