#include "agent/tool_multiedit.h"

#include <gtest/gtest.h>

#include "agent/tool_read.h"
#include "testing/tool_test_util.h"

namespace brock {
namespace {

using testing::ContextHolder;
using testing::ReadRaw;
using testing::RunOk;
using testing::TempDir;
using testing::WriteRaw;

class MultiEditToolTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir.path().empty()) << "mkdtemp failed"; }
  ToolResult MultiEdit(const std::string& path, const Json& edits) {
    return RunOk(*tool, {{"file_path", path}, {"edits", edits}}, h.ctx);
  }
  void Read(const std::string& path) {
    ASSERT_FALSE(RunOk(*read, {{"file_path", path}}, h.ctx).is_error);
  }

  TempDir dir;
  ContextHolder h{dir.path()};
  std::unique_ptr<Tool> tool = MakeMultiEditTool();
  std::unique_ptr<Tool> read = MakeReadTool();
};

TEST_F(MultiEditToolTest, AppliesInSequence) {
  std::string path = dir / "f.js";
  WriteRaw(path, "let count = 0;\nlog(count);\nlog(count);\n");
  Read(path);
  // The second edit finds text the first one produced.
  ToolResult r = MultiEdit(
      path, Json::array({
                {{"old_string", "let count"}, {"new_string", "let total"}},
                {{"old_string", "let total = 0"}, {"new_string", "let total = 1"}},
                {{"old_string", "log(count)"}, {"new_string", "log(total)"}, {"replace_all", true}},
            }));
  ASSERT_FALSE(r.is_error) << r.AllText();
  EXPECT_EQ(ReadRaw(path), "let total = 1;\nlog(total);\nlog(total);\n");
  EXPECT_NE(r.AllText().find("3 edits"), std::string::npos) << r.AllText();
}

TEST_F(MultiEditToolTest, AllOrNothing) {
  std::string path = dir / "f.txt";
  WriteRaw(path, "alpha beta\n");
  Read(path);
  ToolResult r = MultiEdit(path, Json::array({
                                     {{"old_string", "alpha"}, {"new_string", "ALPHA"}},
                                     {{"old_string", "gamma"}, {"new_string", "GAMMA"}},
                                 }));
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("Edit 2"), std::string::npos) << r.AllText();
  EXPECT_EQ(ReadRaw(path), "alpha beta\n");
}

TEST_F(MultiEditToolTest, CreatesWithEmptyFirstOldString) {
  std::string path = dir / "new.txt";
  ToolResult r = MultiEdit(path, Json::array({
                                     {{"old_string", ""}, {"new_string", "one two\n"}},
                                     {{"old_string", "two"}, {"new_string", "2"}},
                                 }));
  ASSERT_FALSE(r.is_error) << r.AllText();
  EXPECT_EQ(ReadRaw(path), "one 2\n");
}

TEST_F(MultiEditToolTest, RequiresReadAndValidInput) {
  std::string path = dir / "f.txt";
  WriteRaw(path, "x\n");
  ToolResult r = MultiEdit(path, Json::array({{{"old_string", "x"}, {"new_string", "y"}}}));
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("has not been read"), std::string::npos);
  Read(path);
  EXPECT_TRUE(MultiEdit(path, Json::array()).is_error);
  EXPECT_TRUE(MultiEdit(path, Json::array({{{"old_string", "x"}}})).is_error);
  EXPECT_TRUE(MultiEdit(path, Json::array({"x"})).is_error);
  EXPECT_TRUE(RunOk(*tool, {{"file_path", path}}, h.ctx).is_error);
  EXPECT_EQ(ReadRaw(path), "x\n");
}

TEST_F(MultiEditToolTest, Schema) {
  EXPECT_EQ(tool->name(), "MultiEdit");
  EXPECT_TRUE(tool->edits_files());
  Json schema = tool->input_schema();
  EXPECT_EQ(schema["required"], Json::array({"file_path", "edits"}));
  EXPECT_EQ(schema["properties"]["edits"]["items"]["required"],
            Json::array({"old_string", "new_string"}));
}

}  // namespace
}  // namespace brock
