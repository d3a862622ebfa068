#include "agent/file_walker.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "testing/grep_test_tree.h"

namespace brock {
namespace {

using testing::BuildOracleTree;
using testing::FindRipgrep;
using testing::Lines;
using testing::RunRipgrep;
using testing::TempTree;

std::vector<std::string> Walked(const std::string& root, const WalkOptions& opts) {
  auto files = WalkFiles(root, opts);
  EXPECT_TRUE(files.ok());
  std::vector<std::string> rels;
  if (!files.ok()) return rels;
  for (const WalkedFile& f : *files) rels.push_back(f.rel);
  std::sort(rels.begin(), rels.end());
  return rels;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(FileWalkerTest, DefaultRulesSkipIgnoredAndHidden) {
  TempTree t;
  BuildOracleTree(t);
  std::vector<std::string> got = Walked(t.root(), WalkOptions{});
  auto has = [&](const char* rel) { return std::count(got.begin(), got.end(), rel) == 1; };
  EXPECT_TRUE(has("src/main.rs"));
  EXPECT_TRUE(has("important.log"));      // re-included by !important.log
  EXPECT_TRUE(has("sub/root_only.txt"));  // /root_only.txt is anchored
  EXPECT_TRUE(has("docs/nested/keep.md"));
  EXPECT_FALSE(has("debug.log"));
  EXPECT_FALSE(has("build/output.txt"));
  EXPECT_FALSE(has("root_only.txt"));
  EXPECT_FALSE(has("node_modules/pkg/index.js"));
  EXPECT_FALSE(has("docs/notes.tmp"));
  EXPECT_FALSE(has("docs/nested/a.md"));
  EXPECT_FALSE(has("excluded_by_info.txt"));
  EXPECT_FALSE(has("ignored_by_dotignore.txt"));
  EXPECT_FALSE(has(".hidden_dir/secret.txt"));
  EXPECT_FALSE(has("src/util/.hidden_config"));
  EXPECT_FALSE(has(".gitignore"));
}

TEST(FileWalkerTest, GitignoreNeedsARepository) {
  TempTree t;
  t.Write(".gitignore", "*.log\n");
  t.Write(".ignore", "*.tmp\n");
  t.Write("a.log", "x");
  t.Write("b.tmp", "x");
  t.Write("c.txt", "x");
  EXPECT_EQ(Walked(t.root(), WalkOptions{}), (std::vector<std::string>{"a.log", "c.txt"}));
}

TEST(FileWalkerTest, RootFileIsReturnedUnfiltered) {
  TempTree t;
  t.Write(".hidden.log", "x");
  auto files = WalkFiles(t.Path(".hidden.log"), WalkOptions{});
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].path, t.Path(".hidden.log"));
}

TEST(FileWalkerTest, MissingRootIsAnError) {
  auto files = WalkFiles("/nonexistent/brock/path", WalkOptions{});
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.error().code, "path.not_found");
}

TEST(FileWalkerTest, StartSubdirKeepsPathsRelativeToRoot) {
  TempTree t;
  BuildOracleTree(t);
  WalkOptions opts;
  opts.start_subdir = "src/util";
  EXPECT_EQ(Walked(t.root(), opts), (std::vector<std::string>{"src/util/helpers.py"}));
  opts.start_subdir = "build";  // ignored directory
  EXPECT_TRUE(Walked(t.root(), opts).empty());
}

TEST(FileWalkerTest, DisplayPath) {
  EXPECT_EQ(DisplayPath("/a/b/c.txt", "/a"), "b/c.txt");
  EXPECT_EQ(DisplayPath("/a/b/c.txt", "/a/"), "b/c.txt");
  EXPECT_EQ(DisplayPath("/ab/c.txt", "/a"), "/ab/c.txt");
  EXPECT_EQ(DisplayPath("/x/c.txt", "/a"), "/x/c.txt");
  EXPECT_EQ(DisplayPath("/x/c.txt", "/"), "x/c.txt");
}

// Oracle: the same file lists as `rg --files` with the same options.
class FileWalkerOracleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rg_ = FindRipgrep();
    if (rg_.empty()) GTEST_SKIP() << "ripgrep (rg) is not installed; the oracle is unavailable";
    BuildOracleTree(tree_);
  }
  std::vector<std::string> Rg(std::vector<std::string> args, const std::string& cwd) {
    args.insert(args.begin(), "--files");
    return Sorted(Lines(RunRipgrep(rg_, args, cwd)));
  }
  std::string rg_;
  TempTree tree_;
};

TEST_F(FileWalkerOracleTest, Defaults) {
  EXPECT_EQ(Walked(tree_.root(), WalkOptions{}), Rg({}, tree_.root()));
}

TEST_F(FileWalkerOracleTest, HiddenWithVcsExcluded) {
  WalkOptions opts;
  opts.hidden = true;
  opts.globs = {"!.git"};
  EXPECT_EQ(Walked(tree_.root(), opts), Rg({"--hidden", "--glob", "!.git"}, tree_.root()));
}

TEST_F(FileWalkerOracleTest, GlobOverrides) {
  for (std::vector<std::string> globs : {std::vector<std::string>{"*.rs"},
                                         {"*.{ts,tsx}"},
                                         {"!*.txt"},
                                         {"src/**"},
                                         {"*.log"},
                                         {"*.md", "!keep.md"},
                                         {"docs/**/*.md"},
                                         {"!src/"}}) {
    WalkOptions opts;
    opts.hidden = true;
    opts.globs = globs;
    opts.globs.push_back("!.git");
    std::vector<std::string> args = {"--hidden"};
    for (const std::string& g : opts.globs) {
      args.push_back("--glob");
      args.push_back(g);
    }
    EXPECT_EQ(Walked(tree_.root(), opts), Rg(args, tree_.root())) << "glob " << globs[0];
  }
}

TEST_F(FileWalkerOracleTest, FromASubdirectoryParentsRulesApply) {
  tree_.Write("docs/x.log", "x");
  tree_.Write("docs/y.tmp", "x");
  std::vector<std::string> got = Walked(tree_.Path("docs"), WalkOptions{});
  EXPECT_EQ(got, Rg({}, tree_.Path("docs")));
}

}  // namespace
}  // namespace brock
