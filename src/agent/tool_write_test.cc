#include "agent/tool_write.h"

#include <gtest/gtest.h>

#include "agent/tool_read.h"
#include "base/strings.h"
#include "testing/tool_test_util.h"

namespace brock {
namespace {

using testing::ContextHolder;
using testing::ModeOf;
using testing::ReadRaw;
using testing::RunOk;
using testing::TempDir;
using testing::WriteRaw;

class WriteToolTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir.path().empty()) << "mkdtemp failed"; }
  ToolResult Write(const std::string& path, const std::string& content) {
    return RunOk(*write, {{"file_path", path}, {"content", content}}, h.ctx);
  }
  void Read(const std::string& path) {
    ASSERT_FALSE(RunOk(*read, {{"file_path", path}}, h.ctx).is_error);
  }

  TempDir dir;
  ContextHolder h{dir.path()};
  std::unique_ptr<Tool> write = MakeWriteTool();
  std::unique_ptr<Tool> read = MakeReadTool();
};

TEST_F(WriteToolTest, CreatesFileAndParents) {
  std::string path = dir / "new/deep/file.txt";
  ToolResult r = Write(path, "hello\n");
  EXPECT_FALSE(r.is_error) << r.AllText();
  EXPECT_NE(r.AllText().find("created"), std::string::npos);
  EXPECT_EQ(ReadRaw(path), "hello\n");
  EXPECT_EQ(ModeOf(path), 0644u);
  // The write counts as a read: writing again needs no Read.
  ASSERT_EQ(h.reads.count(path), 1u);
  r = Write(path, "again\n");
  EXPECT_FALSE(r.is_error) << r.AllText();
  EXPECT_EQ(ReadRaw(path), "again\n");
}

TEST_F(WriteToolTest, ExistingFileMustBeReadFirst) {
  std::string path = dir / "f.txt";
  WriteRaw(path, "original\n");
  ToolResult r = Write(path, "clobbered\n");
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("has not been read"), std::string::npos);
  EXPECT_EQ(ReadRaw(path), "original\n");

  Read(path);
  r = Write(path, "replaced\n");
  EXPECT_FALSE(r.is_error) << r.AllText();
  EXPECT_EQ(ReadRaw(path), "replaced\n");
}

TEST_F(WriteToolTest, RefusesWhenChangedSinceRead) {
  std::string path = dir / "f.txt";
  WriteRaw(path, "v1\n");
  Read(path);
  WriteRaw(path, "v2 by the user\n");
  ToolResult r = Write(path, "model\n");
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("modified since read"), std::string::npos);
  EXPECT_EQ(ReadRaw(path), "v2 by the user\n");
}

TEST_F(WriteToolTest, KeepsModeAndLeavesNoTempFiles) {
  std::string path = dir / "run.sh";
  WriteRaw(path, "#!/bin/sh\n");
  ASSERT_EQ(::chmod(path.c_str(), 0755), 0);
  Read(path);
  ASSERT_FALSE(Write(path, "#!/bin/sh\necho hi\n").is_error);
  EXPECT_EQ(ModeOf(path), 0755u);
  EXPECT_EQ(RealEnv().ListDir(dir.path()), std::vector<std::string>{"run.sh"});
}

TEST_F(WriteToolTest, CrlfFileStaysCrlf) {
  std::string path = dir / "win.txt";
  WriteRaw(path, "a\r\nb\r\n");
  Read(path);
  ASSERT_FALSE(Write(path, "x\ny\n").is_error);
  EXPECT_EQ(ReadRaw(path), "x\r\ny\r\n");
}

TEST_F(WriteToolTest, DirectoryAndBadInput) {
  EXPECT_TRUE(Write(dir.path(), "x").is_error);
  EXPECT_TRUE(RunOk(*write, {{"file_path", dir / "a"}}, h.ctx).is_error);  // no content
  EXPECT_TRUE(RunOk(*write, {{"content", "x"}}, h.ctx).is_error);
}

TEST_F(WriteToolTest, SubjectAndFlags) {
  EXPECT_EQ(write->name(), "Write");
  EXPECT_FALSE(write->read_only());
  EXPECT_TRUE(write->edits_files());
  PermissionSubject s = write->Subject({{"file_path", "a/../b.txt"}, {"content", ""}}, h.ctx);
  EXPECT_EQ(s.kind, PermissionSubject::Kind::kPath);
  EXPECT_EQ(s.value, dir / "b.txt");
  EXPECT_EQ(write->input_schema()["required"], Json::array({"file_path", "content"}));
}

}  // namespace
}  // namespace brock
