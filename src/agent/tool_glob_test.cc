#include "agent/tool_glob.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/grep_test_tree.h"

namespace brock {
namespace {

using testing::BuildOracleTree;
using testing::Lines;
using testing::TempTree;

struct GlobRun {
  std::string text;
  bool is_error = false;
};

GlobRun RunGlob(const Json& input, const std::string& cwd) {
  ToolContext ctx{RealEnv(), RealProcessRunner(), cwd, {}, nullptr};
  auto tool = MakeGlobTool();
  auto r = tool->Run(input, ctx);
  EXPECT_TRUE(r.ok());
  if (!r.ok()) return {};
  std::string text;
  for (const Json& block : r->content) text += block.value("text", "");
  return {text, r->is_error};
}

TEST(GlobToolTest, SortedByModificationTimeNewestFirst) {
  TempTree t;
  t.Write("a.ts", "", 1000000000);
  t.Write("src/b.ts", "", 1600000000);
  t.Write("src/deep/c.ts", "", 1300000000);
  t.Write("src/d.js", "", 1700000000);
  EXPECT_EQ(RunGlob(Json{{"pattern", "**/*.ts"}}, t.root()).text, "src/b.ts\nsrc/deep/c.ts\na.ts");
  EXPECT_EQ(RunGlob(Json{{"pattern", "*.ts"}}, t.root()).text, "a.ts");
  EXPECT_EQ(RunGlob(Json{{"pattern", "src/**/*.{ts,js}"}}, t.root()).text,
            "src/d.js\nsrc/b.ts\nsrc/deep/c.ts");
  EXPECT_EQ(RunGlob(Json{{"pattern", "*.ts"}, {"path", "src"}}, t.root()).text, "src/b.ts");
  EXPECT_EQ(RunGlob(Json{{"pattern", "*.py"}}, t.root()).text, "No files found");
}

TEST(GlobToolTest, HonorsGitignoreAndHiddenRules) {
  TempTree t;
  BuildOracleTree(t);
  std::vector<std::string> all = Lines(RunGlob(Json{{"pattern", "**/*"}}, t.root()).text);
  auto has = [&](const char* rel) { return std::count(all.begin(), all.end(), rel) == 1; };
  EXPECT_TRUE(has("src/main.rs"));
  EXPECT_TRUE(has("important.log"));
  EXPECT_FALSE(has("debug.log"));
  EXPECT_FALSE(has("build/output.txt"));
  EXPECT_FALSE(has("node_modules/pkg/index.js"));
  EXPECT_FALSE(has(".hidden_dir/secret.txt"));
  EXPECT_FALSE(has(".git/HEAD"));
  // Naming a hidden component asks for hidden files.
  EXPECT_EQ(RunGlob(Json{{"pattern", ".hidden_dir/*.txt"}}, t.root()).text,
            ".hidden_dir/secret.txt");
  EXPECT_EQ(RunGlob(Json{{"pattern", "**/.hidden_config"}}, t.root()).text,
            "src/util/.hidden_config");
}

TEST(GlobToolTest, TruncatesAtOneHundred) {
  TempTree t;
  for (int i = 0; i < 130; ++i) t.Write("f" + std::to_string(i) + ".txt", "", 1000000000 + i);
  std::vector<std::string> lines = Lines(RunGlob(Json{{"pattern", "*.txt"}}, t.root()).text);
  ASSERT_EQ(lines.size(), 101u);
  EXPECT_EQ(lines[0], "f129.txt");
  EXPECT_EQ(lines[100], "(Results are truncated. Consider using a more specific path or pattern.)");
}

TEST(GlobToolTest, AbsolutePatternsAndErrors) {
  TempTree t;
  t.Write("x/y.md", "");
  EXPECT_EQ(RunGlob(Json{{"pattern", t.Path("x") + "/*.md"}}, "/").text,
            t.Path("x/y.md").substr(1));
  EXPECT_EQ(RunGlob(Json{{"pattern", t.Path("x") + "/*.md"}}, "/elsewhere").text, t.Path("x/y.md"));
  GlobRun missing = RunGlob(Json{{"pattern", "*"}, {"path", "nope"}}, t.root());
  EXPECT_TRUE(missing.is_error);
  GlobRun bad = RunGlob(Json{{"pattern", "[abc"}}, t.root());
  EXPECT_TRUE(bad.is_error);
  auto tool = MakeGlobTool();
  ToolContext ctx{RealEnv(), RealProcessRunner(), t.root(), {}, nullptr};
  PermissionSubject s = tool->Subject(Json{{"pattern", "*"}, {"path", "x"}}, ctx);
  EXPECT_EQ(s.kind, PermissionSubject::Kind::kPath);
  EXPECT_EQ(s.value, t.Path("x"));
}

}  // namespace
}  // namespace brock
