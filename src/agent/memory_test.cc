#include "agent/memory.h"

#include <gtest/gtest.h>

#include "testing/fake_env.h"

namespace brock {
namespace {

std::vector<std::string> Paths(const MemoryLoad& load) {
  std::vector<std::string> out;
  for (const auto& f : load.files) out.push_back(f.path);
  return out;
}

MemoryOptions Opts(std::string cwd) {
  MemoryOptions o;
  o.cwd = std::move(cwd);
  return o;
}

TEST(Memory, LoadsUserThenEveryDirectoryFromRepoRootDown) {
  testing::FakeEnv env;  // home /home/user
  env.files["/etc/claude-code/CLAUDE.md"] = "managed";
  env.files["/home/user/.claude/CLAUDE.md"] = "user";
  env.files["/work/CLAUDE.md"] = "above the repo: not loaded";
  env.files["/work/repo/.git/HEAD"] = "ref: refs/heads/main";
  env.files["/work/repo/CLAUDE.md"] = "root";
  env.files["/work/repo/.claude/CLAUDE.md"] = "root dot-claude";
  env.files["/work/repo/CLAUDE.local.md"] = "root local";
  env.files["/work/repo/pkg/CLAUDE.md"] = "pkg";
  env.files["/work/repo/pkg/sub/CLAUDE.local.md"] = "sub local";
  env.files["/work/repo/pkg/sub/deeper/CLAUDE.md"] = "below cwd: not loaded";
  MemoryLoad load = LoadMemory(env, Opts("/work/repo/pkg/sub"));
  EXPECT_EQ(Paths(load), (std::vector<std::string>{
                             "/etc/claude-code/CLAUDE.md",
                             "/home/user/.claude/CLAUDE.md",
                             "/work/repo/CLAUDE.md",
                             "/work/repo/.claude/CLAUDE.md",
                             "/work/repo/CLAUDE.local.md",
                             "/work/repo/pkg/CLAUDE.md",
                             "/work/repo/pkg/sub/CLAUDE.local.md",
                         }));
  EXPECT_EQ(load.files[0].type, "managed");
  EXPECT_EQ(load.files[1].type, "user");
  EXPECT_EQ(load.files[2].type, "project");
  EXPECT_EQ(load.files[4].type, "local");
  EXPECT_EQ(load.files[5].content, "pkg");
  EXPECT_TRUE(load.notes.empty());
}

TEST(Memory, WithoutARepositoryOnlyTheWorkingDirectory) {
  testing::FakeEnv env;
  env.files["/work/CLAUDE.md"] = "parent";
  env.files["/work/here/CLAUDE.md"] = "here";
  MemoryLoad load = LoadMemory(env, Opts("/work/here"));
  EXPECT_EQ(Paths(load), (std::vector<std::string>{"/work/here/CLAUDE.md"}));
  EXPECT_EQ(FindRepositoryRoot(env, "/work/here"), "");
}

TEST(Memory, GitFileMarksAWorktreeRoot) {
  testing::FakeEnv env;
  env.files["/wt/.git"] = "gitdir: /repo/.git/worktrees/wt";
  env.files["/wt/CLAUDE.md"] = "wt";
  env.files["/wt/a/CLAUDE.md"] = "a";
  EXPECT_EQ(FindRepositoryRoot(env, "/wt/a"), "/wt");
  EXPECT_EQ(Paths(LoadMemory(env, Opts("/wt/a"))),
            (std::vector<std::string>{"/wt/CLAUDE.md", "/wt/a/CLAUDE.md"}));
}

TEST(Memory, ImportsRelativeHomeAndAbsolute) {
  testing::FakeEnv env;
  env.files["/p/.git/HEAD"] = "";
  env.files["/p/CLAUDE.md"] = "See @docs/style.md and @~/my.md and @/abs/x.md.\n";
  env.files["/p/docs/style.md"] = "style; more in @../README";
  env.files["/p/README"] = "readme";
  env.files["/home/user/my.md"] = "mine";
  env.files["/abs/x.md"] = "abs";
  MemoryLoad load = LoadMemory(env, Opts("/p"));
  EXPECT_EQ(Paths(load), (std::vector<std::string>{"/p/CLAUDE.md", "/p/docs/style.md", "/p/README",
                                                   "/home/user/my.md", "/abs/x.md"}));
  EXPECT_EQ(load.files[1].imported_from, "/p/CLAUDE.md");
  EXPECT_EQ(load.files[1].depth, 1);
  EXPECT_EQ(load.files[2].depth, 2);
  EXPECT_EQ(load.files[2].type, "project");
  EXPECT_TRUE(load.notes.empty()) << load.notes[0];
}

TEST(Memory, AnUntrustedProjectImportsNothingFromOutsideIt) {
  testing::FakeEnv env;
  env.files["/p/.git/HEAD"] = "";
  env.files["/p/CLAUDE.md"] = "@~/.aws/credentials @/etc/passwd @docs/style.md @linked.md\n";
  env.files["/p/docs/style.md"] = "style";
  env.files["/p/linked.md"] = "a link";
  env.real_paths["/p/linked.md"] = "/home/user/.ssh/id_rsa";
  env.files["/home/user/.aws/credentials"] = "[default]\naws_secret_access_key = s\n";
  env.files["/etc/passwd"] = "root";
  env.files["/home/user/.claude/CLAUDE.md"] = "@~/notes.md";  // the user's own: unrestricted
  env.files["/home/user/notes.md"] = "notes";
  MemoryOptions o = Opts("/p");
  o.confine_project_to = "/p";
  MemoryLoad load = LoadMemory(env, o);
  EXPECT_EQ(Paths(load),
            (std::vector<std::string>{"/home/user/.claude/CLAUDE.md", "/home/user/notes.md",
                                      "/p/CLAUDE.md", "/p/docs/style.md"}));
  EXPECT_EQ(load.refused,
            (std::vector<std::string>{"/p/CLAUDE.md imports /home/user/.aws/credentials",
                                      "/p/CLAUDE.md imports /etc/passwd",
                                      "/p/CLAUDE.md imports /home/user/.ssh/id_rsa"}));
  EXPECT_TRUE(load.notes.empty()) << load.notes[0];
}

TEST(Memory, AnUntrustedProjectsMemoryFileMayNotLinkOutside) {
  testing::FakeEnv env;
  env.files["/p/.git/HEAD"] = "";
  env.files["/p/CLAUDE.md"] = "secret";
  env.real_paths["/p/CLAUDE.md"] = "/home/user/.aws/credentials";
  MemoryOptions o = Opts("/p");
  o.confine_project_to = "/p";
  MemoryLoad load = LoadMemory(env, o);
  EXPECT_TRUE(load.files.empty());
  ASSERT_EQ(load.refused.size(), 1u);
  EXPECT_EQ(load.refused[0], "/p/CLAUDE.md links to /home/user/.aws/credentials");
}

TEST(Memory, CyclesIncludeEachFileOnce) {
  testing::FakeEnv env;
  env.files["/p/CLAUDE.md"] = "@a.md";
  env.files["/p/a.md"] = "@b.md";
  env.files["/p/b.md"] = "@a.md @CLAUDE.md @b.md";
  MemoryLoad load = LoadMemory(env, Opts("/p"));
  EXPECT_EQ(Paths(load), (std::vector<std::string>{"/p/CLAUDE.md", "/p/a.md", "/p/b.md"}));
}

TEST(Memory, ImportDepthIsBoundedAtFiveHops) {
  testing::FakeEnv env;
  env.files["/p/CLAUDE.md"] = "@f1.md";
  for (int i = 1; i <= 7; ++i) {
    env.files["/p/f" + std::to_string(i) + ".md"] = "@f" + std::to_string(i + 1) + ".md";
  }
  MemoryLoad load = LoadMemory(env, Opts("/p"));
  ASSERT_EQ(load.files.size(), 6u);  // CLAUDE.md + 5 hops
  EXPECT_EQ(load.files.back().path, "/p/f5.md");
  ASSERT_EQ(load.notes.size(), 1u);
  EXPECT_NE(load.notes[0].find("/p/f5.md"), std::string::npos);
}

TEST(Memory, MissingImportIsANote) {
  testing::FakeEnv env;
  env.files["/p/CLAUDE.md"] = "@gone.md\nmail me: me@example.com";
  MemoryLoad load = LoadMemory(env, Opts("/p"));
  EXPECT_EQ(load.files.size(), 1u);
  ASSERT_EQ(load.notes.size(), 1u);
  EXPECT_NE(load.notes[0].find("/p/gone.md"), std::string::npos);
}

TEST(FindImports, IgnoresCodeSpansAndFences) {
  std::string md =
      "Use @a.md here.\n"
      "Not `@b.md` nor ``x @c.md y``.\n"
      "```\n"
      "@d.md\n"
      "```\n"
      "~~~~sh\n"
      "@e.md\n"
      "```\n"
      "@f.md\n"
      "~~~~\n"
      "- item @g\\ h.md\n"
      "user@example.com @\n";
  EXPECT_EQ(FindImports(md), (std::vector<std::string>{"a.md", "g h.md"}));
}

TEST(Memory, BinaryAndOversizedFilesAreSkipped) {
  testing::FakeEnv env;
  env.files["/p/CLAUDE.md"] = "@bin @big.md";
  env.files["/p/bin"] = std::string("a\0b", 3);
  env.files["/p/big.md"] = std::string(100, 'x');
  MemoryOptions o = Opts("/p");
  o.max_file_bytes = 50;
  MemoryLoad load = LoadMemory(env, o);
  EXPECT_EQ(load.files.size(), 1u);
  EXPECT_EQ(load.notes.size(), 2u);
}

TEST(Memory, PromptNamesEachFile) {
  std::vector<MemoryFile> files = {{"/home/user/.claude/CLAUDE.md", "be brief\n", "user", "", 0},
                                   {"/p/CLAUDE.md", "  ", "project", "", 0},
                                   {"/p/CLAUDE.local.md", "my sandbox", "local", "", 0}};
  std::string prompt = BuildMemoryPrompt(files);
  EXPECT_NE(prompt.find("Contents of /home/user/.claude/CLAUDE.md"), std::string::npos);
  EXPECT_NE(prompt.find("be brief"), std::string::npos);
  EXPECT_EQ(prompt.find("Contents of /p/CLAUDE.md "), std::string::npos);  // blank: left out
  EXPECT_LT(prompt.find("be brief"), prompt.find("my sandbox"));
  EXPECT_EQ(BuildMemoryPrompt({}), "");
}

}  // namespace
}  // namespace brock
