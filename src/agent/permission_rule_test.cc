#include "agent/permission_rule.h"

#include <gtest/gtest.h>

namespace brock {
namespace {

TEST(ParsePermissionRule, Forms) {
  auto bare = ParsePermissionRule("Bash");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->tool, "Bash");
  EXPECT_FALSE(bare->has_specifier);

  auto star = ParsePermissionRule("Bash(*)");
  ASSERT_TRUE(star.ok());
  EXPECT_FALSE(star->has_specifier);

  auto spec = ParsePermissionRule(" Bash(npm run test:*) ");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->tool, "Bash");
  EXPECT_EQ(spec->specifier, "npm run test:*");

  auto nested = ParsePermissionRule("Bash(echo (a))");
  ASSERT_TRUE(nested.ok());
  EXPECT_EQ(nested->specifier, "echo (a)");

  auto mcp = ParsePermissionRule("mcp__github__get_issue");
  ASSERT_TRUE(mcp.ok());
  EXPECT_EQ(mcp->tool, "mcp__github__get_issue");
}

TEST(ParsePermissionRule, RejectsMalformed) {
  for (const char* bad : {"", "Bash(ls", "(ls)", "Ba sh", "Bash(ls) x"}) {
    auto r = ParsePermissionRule(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "permissions.bad_rule");
    EXPECT_FALSE(r.error().fix.empty());
  }
}

TEST(RuleToolNameMatches, McpAndWildcards) {
  EXPECT_TRUE(RuleToolNameMatches("Bash", "Bash"));
  EXPECT_FALSE(RuleToolNameMatches("Bash", "BashOutput"));
  EXPECT_TRUE(RuleToolNameMatches("mcp__github", "mcp__github__get_issue"));
  EXPECT_FALSE(RuleToolNameMatches("mcp__github", "mcp__githubx__get_issue"));
  EXPECT_TRUE(RuleToolNameMatches("mcp__github__*", "mcp__github__get_issue"));
  EXPECT_TRUE(RuleToolNameMatches("mcp__github__get_*", "mcp__github__get_issue"));
  EXPECT_FALSE(RuleToolNameMatches("mcp__github__get_*", "mcp__github__create_issue"));
  EXPECT_FALSE(RuleToolNameMatches("mcp__github__get_issue", "mcp__github__get_issues"));
}

TEST(MatchShellRule, Exact) {
  EXPECT_TRUE(MatchShellRule("npm run build", "npm run build"));
  EXPECT_TRUE(MatchShellRule("npm run build", "  npm run build "));
  EXPECT_FALSE(MatchShellRule("npm run build", "npm run build --prod"));
  EXPECT_FALSE(MatchShellRule("npm run build", "npm run buil"));
}

TEST(MatchShellRule, LegacyPrefix) {
  EXPECT_TRUE(MatchShellRule("npm run test:*", "npm run test"));
  EXPECT_TRUE(MatchShellRule("npm run test:*", "npm run test --watch"));
  EXPECT_TRUE(MatchShellRule("npm run test:*", "npm run test:unit"));
  EXPECT_FALSE(MatchShellRule("npm run test:*", "npm run testing"));
  EXPECT_FALSE(MatchShellRule("git:*", "gitk"));
  EXPECT_TRUE(MatchShellRule("curl http://site.com/:*", "curl http://site.com/a/b"));
  EXPECT_FALSE(MatchShellRule("curl http://site.com/:*", "curl https://site.com/a"));
}

TEST(MatchShellRule, Wildcards) {
  EXPECT_TRUE(MatchShellRule("git diff *", "git diff HEAD~1 -- src"));
  EXPECT_TRUE(MatchShellRule("git diff *", "git diff"));
  EXPECT_FALSE(MatchShellRule("git diff *", "git diffx"));
  EXPECT_TRUE(MatchShellRule("ls *", "ls -la"));
  EXPECT_FALSE(MatchShellRule("ls *", "lsof"));
  EXPECT_TRUE(MatchShellRule("ls*", "lsof"));
  EXPECT_TRUE(MatchShellRule("git * main", "git push origin main"));
  EXPECT_FALSE(MatchShellRule("git * main", "git push origin main2"));
  EXPECT_TRUE(MatchShellRule("* --version", "node --version"));
  EXPECT_TRUE(MatchShellRule("*", "anything at all"));
  EXPECT_TRUE(MatchShellRule("echo \\*", "echo *"));
  EXPECT_FALSE(MatchShellRule("echo \\*", "echo hi"));
}

TEST(GitignoreMatch, Patterns) {
  EXPECT_TRUE(GitignoreMatch("*.env", ".env"));
  EXPECT_TRUE(GitignoreMatch("*.env", "config/prod.env"));
  EXPECT_FALSE(GitignoreMatch("*.env", "config/prod.env.example"));
  EXPECT_TRUE(GitignoreMatch("/secrets/**", "secrets/a/key.pem"));
  EXPECT_FALSE(GitignoreMatch("/secrets/**", "app/secrets/key.pem"));
  EXPECT_TRUE(GitignoreMatch("secrets", "app/secrets/key.pem"));  // directory at any depth
  EXPECT_TRUE(GitignoreMatch("/src/**/*.ts", "src/a.ts"));
  EXPECT_TRUE(GitignoreMatch("/src/**/*.ts", "src/x/y/a.ts"));
  EXPECT_FALSE(GitignoreMatch("/src/**/*.ts", "src/x/y/a.tsx"));
  EXPECT_FALSE(GitignoreMatch("/src/*.ts", "src/x/a.ts"));
  EXPECT_TRUE(GitignoreMatch("/doc/file?.md", "doc/file1.md"));
  EXPECT_FALSE(GitignoreMatch("/doc/file?.md", "doc/file12.md"));
  EXPECT_TRUE(GitignoreMatch("/log[0-9].txt", "log7.txt"));
  EXPECT_FALSE(GitignoreMatch("/log[!0-9].txt", "log7.txt"));
  EXPECT_TRUE(GitignoreMatch("build/", "build/out.o"));
  EXPECT_TRUE(GitignoreMatch("**/node_modules/**", "a/node_modules/x/y.js"));
}

TEST(ResolvePathPattern, Anchors) {
  const char* root = "/proj";
  const char* cwd = "/proj/sub";
  const char* home = "/home/me";
  EXPECT_EQ(ResolvePathPattern("//etc/passwd", root, cwd, home).base, "/");
  EXPECT_EQ(ResolvePathPattern("~/.ssh/**", root, cwd, home).base, "/home/me");
  EXPECT_EQ(ResolvePathPattern("/src/**", root, cwd, home).base, "/proj");
  EXPECT_EQ(ResolvePathPattern("./x", root, cwd, home).base, "/proj/sub");
  EXPECT_EQ(ResolvePathPattern("../x", root, cwd, home).base, "/proj");
  EXPECT_EQ(ResolvePathPattern("*.env", root, cwd, home).base, "/proj/sub");
  EXPECT_EQ(ResolvePathPattern("*.env", root, cwd, home).pattern, "*.env");
}

TEST(MatchPathRule, EveryAnchor) {
  const char* root = "/proj";
  const char* cwd = "/proj/sub";
  const char* home = "/home/me";
  EXPECT_TRUE(MatchPathRule("//etc/**", "/etc/passwd", root, cwd, home));
  EXPECT_FALSE(MatchPathRule("//etc/**", "/proj/etc/passwd", root, cwd, home));
  EXPECT_TRUE(MatchPathRule("~/.ssh/**", "/home/me/.ssh/id_rsa", root, cwd, home));
  EXPECT_FALSE(MatchPathRule("~/.ssh/**", "/home/other/.ssh/id_rsa", root, cwd, home));
  EXPECT_TRUE(MatchPathRule("/src/**", "/proj/src/a.c", root, cwd, home));
  EXPECT_FALSE(MatchPathRule("/src/**", "/proj/sub/src/a.c", root, cwd, home));
  EXPECT_TRUE(MatchPathRule("./secrets/**", "/proj/sub/secrets/k", root, cwd, home));
  EXPECT_FALSE(MatchPathRule("./secrets/**", "/proj/sub/x/secrets/k", root, cwd, home));
  EXPECT_TRUE(MatchPathRule("*.env", "/proj/sub/deep/a.env", root, cwd, home));
  EXPECT_FALSE(MatchPathRule("*.env", "/proj/a.env", root, cwd, home));  // outside cwd
  EXPECT_TRUE(MatchPathRule("./.env", "/proj/sub/.env", root, cwd, home));
  // Paths are normalized before matching.
  EXPECT_TRUE(MatchPathRule("./secrets/**", "/proj/sub/x/../secrets//k", root, cwd, home));
  EXPECT_FALSE(MatchPathRule("./secrets/**", "/proj/sub/secrets/../public/k", root, cwd, home));
}

// Cases where the permission matcher and the ignore-file matcher used to disagree, before
// they became one (GitignorePattern). Claude Code's rules follow the gitignore spec.
TEST(GitignoreMatch, BracesAreLiteralAsInGit) {
  EXPECT_FALSE(GitignoreMatch("/src/*.{ts,tsx}", "src/a.ts"));
  EXPECT_TRUE(GitignoreMatch("/src/*.{ts,tsx}", "src/a.{ts,tsx}"));
}

TEST(GitignoreMatch, UnclosedBracketIsLiteral) {
  EXPECT_TRUE(GitignoreMatch("/notes[draft.md", "notes[draft.md"));
  EXPECT_FALSE(GitignoreMatch("/notes[draft.md", "notesd.md"));
  EXPECT_TRUE(GitignoreMatch("[a-c]x[", "b/ax["));  // a closed class beside an unclosed one
}

TEST(GitignoreMatch, ReversedRangeMatchesNothing) {
  EXPECT_FALSE(GitignoreMatch("/log[9-0].txt", "log5.txt"));
  EXPECT_FALSE(GitignoreMatch("/log[9-0].txt", "log9.txt"));
}

TEST(GitignoreMatch, OneTrailingSlashIsTheDirectoryMark) {
  EXPECT_TRUE(GitignoreMatch("secrets/", "app/secrets/key.pem"));
  EXPECT_FALSE(GitignoreMatch("secrets//", "app/secrets/key.pem"))
      << "git reads \"secrets//\" as the anchored pattern \"secrets/\", which names no file";
  EXPECT_FALSE(GitignoreMatch("/", "a"));
  EXPECT_FALSE(GitignoreMatch("", "a"));
}

TEST(NormalizePath, Resolves) {
  EXPECT_EQ(NormalizePath("a/./b/../c", "/w", "/h"), "/w/a/c");
  EXPECT_EQ(NormalizePath("~/x", "/w", "/h"), "/h/x");
  EXPECT_EQ(NormalizePath("/../..", "/w", "/h"), "/");
  EXPECT_TRUE(PathIsInside("/a/b", "/a"));
  EXPECT_TRUE(PathIsInside("/a", "/a"));
  EXPECT_FALSE(PathIsInside("/ab", "/a"));
  EXPECT_TRUE(PathIsInside("/x", "/"));
}

}  // namespace
}  // namespace brock
