#include "agent/tool_ls.h"

#include <gtest/gtest.h>

#include "base/strings.h"
#include "testing/tool_test_util.h"

namespace brock {
namespace {

using testing::ContextHolder;
using testing::RunOk;
using testing::TempDir;
using testing::WriteRaw;

class LsToolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir.path().empty()) << "mkdtemp failed";
    for (const char* d : {"src", "src/util", ".git", "__pycache__", "build"}) {
      ASSERT_EQ(::mkdir((dir / d).c_str(), 0755), 0) << d;
    }
    for (const char* f : {"README.md", "src/main.cc", "src/util/str.h", ".git/config", ".env",
                          "__pycache__/m.pyc", "build/out.o", "debug.log"}) {
      WriteRaw(dir / f, "x");
    }
  }
  ToolResult Ls(const Json& input) { return RunOk(*tool, input, h.ctx); }

  TempDir dir;
  ContextHolder h{dir.path()};
  std::unique_ptr<Tool> tool = MakeLsTool();
};

TEST_F(LsToolTest, TreeSkipsHidden) {
  ToolResult r = Ls({{"path", dir.path()}});
  ASSERT_FALSE(r.is_error) << r.AllText();
  EXPECT_EQ(r.AllText(), "- " + dir.path() +
                             "/\n"
                             "  - README.md\n"
                             "  - build/\n"
                             "    - out.o\n"
                             "  - debug.log\n"
                             "  - src/\n"
                             "    - main.cc\n"
                             "    - util/\n"
                             "      - str.h\n");
}

TEST_F(LsToolTest, IgnorePatterns) {
  ToolResult r = Ls({{"path", dir.path()}, {"ignore", {"*.log", "build", "src/util"}}});
  ASSERT_FALSE(r.is_error) << r.AllText();
  EXPECT_EQ(r.AllText(), "- " + dir.path() +
                             "/\n"
                             "  - README.md\n"
                             "  - src/\n"
                             "    - main.cc\n");
  EXPECT_TRUE(LsIgnoreMatches("**/*.h", "str.h", "src/util/str.h"));
  EXPECT_TRUE(LsIgnoreMatches("build/", "build", "build"));
  EXPECT_FALSE(LsIgnoreMatches("*.h", "main.cc", "src/main.cc"));
}

TEST_F(LsToolTest, RelativePathAndSubject) {
  ToolResult r = Ls({{"path", "src"}});
  ASSERT_FALSE(r.is_error) << r.AllText();
  EXPECT_TRUE(StartsWith(r.AllText(), "- " + dir.path() + "/src/\n  - main.cc\n"));
  PermissionSubject s = tool->Subject({{"path", "src/util/.."}}, h.ctx);
  EXPECT_EQ(s.kind, PermissionSubject::Kind::kPath);
  EXPECT_EQ(s.value, dir / "src");
  EXPECT_TRUE(tool->read_only());
  EXPECT_EQ(tool->name(), "LS");
  EXPECT_EQ(tool->input_schema()["required"], Json::array({"path"}));
}

TEST_F(LsToolTest, Errors) {
  EXPECT_TRUE(Ls({{"path", dir / "README.md"}}).is_error);
  EXPECT_TRUE(Ls({{"path", dir / "missing"}}).is_error);
  EXPECT_TRUE(Ls(Json::object()).is_error);
  EXPECT_TRUE(Ls({{"path", dir.path()}, {"ignore", "*.log"}}).is_error);
}

TEST_F(LsToolTest, EmptyDirectory) {
  ASSERT_EQ(::mkdir((dir / "empty").c_str(), 0755), 0);
  ToolResult r = Ls({{"path", dir / "empty"}});
  EXPECT_FALSE(r.is_error);
  EXPECT_NE(r.AllText().find("empty directory"), std::string::npos);
}

TEST(LsToolCap, StopsAfterTheLimitBreadthFirst) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  ASSERT_EQ(::mkdir((dir / "deep").c_str(), 0755), 0);
  for (int i = 0; i < 1100; ++i) WriteRaw(dir / ("deep/f" + std::to_string(i)), "");
  WriteRaw(dir / "top.txt", "");
  ContextHolder h(dir.path());
  ToolResult r = RunOk(*MakeLsTool(), {{"path", dir.path()}}, h.ctx);
  std::string text = r.AllText();
  EXPECT_NE(text.find("more than 1000"), std::string::npos);
  EXPECT_NE(text.find("  - top.txt\n"), std::string::npos) << "top level comes first";
  size_t entries = 0;
  for (std::string_view line : Split(text, '\n')) {
    if (StartsWith(line, "  ")) ++entries;
  }
  EXPECT_EQ(entries, kLsMaxEntries);
}

}  // namespace
}  // namespace brock
