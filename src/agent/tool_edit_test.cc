#include "agent/tool_edit.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "agent/edit_apply.h"
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

TEST(ApplyEdits, UniqueReplacement) {
  EditOutcome o = ApplyEdits("int a = 1;\nint b = 2;\n", true, {{"b = 2", "b = 3", false}});
  ASSERT_TRUE(o.ok) << o.error;
  EXPECT_EQ(o.content, "int a = 1;\nint b = 3;\n");
  EXPECT_EQ(o.replacements, 1);
  EXPECT_EQ(o.first_change, 19u);  // the '2' -> '3'
}

TEST(ApplyEdits, Errors) {
  EditOutcome o = ApplyEdits("x x\n", true, {{"x", "y", false}});
  EXPECT_FALSE(o.ok);
  EXPECT_NE(o.error.find("Found 2 matches"), std::string::npos);
  EXPECT_NE(o.error.find("replace_all"), std::string::npos);

  o = ApplyEdits("abc\n", true, {{"zzz", "y", false}});
  EXPECT_FALSE(o.ok);
  EXPECT_NE(o.error.find("not found"), std::string::npos);

  o = ApplyEdits("abc\n", true, {{"abc", "abc", false}});
  EXPECT_FALSE(o.ok);
  EXPECT_NE(o.error.find("exactly the same"), std::string::npos);

  o = ApplyEdits("abc\n", true, {{"", "new", false}});
  EXPECT_FALSE(o.ok) << "empty old_string on a non-empty file";

  o = ApplyEdits("", false, {{"a", "b", false}});
  EXPECT_FALSE(o.ok);
  EXPECT_NE(o.error.find("does not exist"), std::string::npos);

  EXPECT_FALSE(ApplyEdits("abc", true, {}).ok);
}

TEST(ApplyEdits, ReplaceAllAndCreate) {
  EditOutcome o = ApplyEdits("foo(foo)\nfoo\n", true, {{"foo", "bar", true}});
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.content, "bar(bar)\nbar\n");
  EXPECT_EQ(o.replacements, 3);

  o = ApplyEdits("", false, {{"", "fresh\n", false}});
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.content, "fresh\n");

  o = ApplyEdits("", true, {{"", "into empty\n", false}});  // existing empty file
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.content, "into empty\n");
}

TEST(ApplyEdits, CrlfFileTakesLfStrings) {
  const std::string crlf = "first\r\nsecond\r\nthird\r\n";
  EditOutcome o = ApplyEdits(crlf, true, {{"first\nsecond", "one\ntwo\nthree-ish", false}});
  ASSERT_TRUE(o.ok) << o.error;
  EXPECT_EQ(o.content, "one\r\ntwo\r\nthree-ish\r\nthird\r\n");
  // Strings that already carry CRLF match as they are.
  o = ApplyEdits(crlf, true, {{"second\r\n", "2\r\n", false}});
  ASSERT_TRUE(o.ok) << o.error;
  EXPECT_EQ(o.content, "first\r\n2\r\nthird\r\n");
}

TEST(ApplyEdits, LfFileIsNotConverted) {
  EditOutcome o = ApplyEdits("a\nb\nc\n", true, {{"a\nb", "x\ny", false}});
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.content, "x\ny\nc\n");
}

class EditToolTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir.path().empty()) << "mkdtemp failed"; }
  ToolResult Edit(const std::string& path, const std::string& old_s, const std::string& new_s,
                  bool replace_all = false) {
    return RunOk(*edit,
                 {{"file_path", path},
                  {"old_string", old_s},
                  {"new_string", new_s},
                  {"replace_all", replace_all}},
                 h.ctx);
  }
  void Read(const std::string& path) {
    ASSERT_FALSE(RunOk(*read, {{"file_path", path}}, h.ctx).is_error);
  }

  TempDir dir;
  ContextHolder h{dir.path()};
  std::unique_ptr<Tool> edit = MakeEditTool();
  std::unique_ptr<Tool> read = MakeReadTool();
};

TEST_F(EditToolTest, ReplacesAndShowsSnippet) {
  std::string path = dir / "m.py";
  std::string body;
  for (int i = 1; i <= 20; ++i) body += "x" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  WriteRaw(path, body);
  Read(path);
  ToolResult r = Edit(path, "x10 = 10", "x10 = 'ten'");
  ASSERT_FALSE(r.is_error) << r.AllText();
  EXPECT_NE(ReadRaw(path).find("x10 = 'ten'\nx11 = 11\n"), std::string::npos);
  std::string text = r.AllText();
  EXPECT_NE(text.find("has been updated"), std::string::npos);
  EXPECT_NE(text.find("    10\tx10 = 'ten'\n"), std::string::npos) << text;
  EXPECT_NE(text.find("     6\tx6 = 6\n"), std::string::npos) << "4 lines of context before";
  EXPECT_NE(text.find("    14\tx14 = 14\n"), std::string::npos) << "4 lines after";
  EXPECT_EQ(text.find("x20"), std::string::npos) << "only a snippet";
}

TEST_F(EditToolTest, RequiresARead) {
  std::string path = dir / "f.txt";
  WriteRaw(path, "hello\n");
  ToolResult r = Edit(path, "hello", "bye");
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("has not been read"), std::string::npos);
  EXPECT_EQ(ReadRaw(path), "hello\n");
}

TEST_F(EditToolTest, RefusesWhenModifiedSinceRead) {
  std::string path = dir / "f.txt";
  WriteRaw(path, "hello\n");
  Read(path);
  // Same size, different mtime: a formatter rewrote it.
  WriteRaw(path, "HELLO\n");
  struct timespec times[2] = {{0, UTIME_OMIT}, {1000000000, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  ToolResult r = Edit(path, "HELLO", "bye");
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("File has been modified since read"), std::string::npos);
  EXPECT_EQ(ReadRaw(path), "HELLO\n");
  // After reading again it works.
  Read(path);
  EXPECT_FALSE(Edit(path, "HELLO", "bye").is_error);
  EXPECT_EQ(ReadRaw(path), "bye\n");
}

TEST_F(EditToolTest, ConsecutiveEditsNeedNoReread) {
  std::string path = dir / "f.txt";
  WriteRaw(path, "a b c\n");
  Read(path);
  ASSERT_FALSE(Edit(path, "a", "A").is_error);
  ASSERT_FALSE(Edit(path, "b", "B").is_error);
  EXPECT_EQ(ReadRaw(path), "A B c\n");
}

TEST_F(EditToolTest, AmbiguousAndReplaceAll) {
  std::string path = dir / "f.txt";
  WriteRaw(path, "foo\nfoo\n");
  Read(path);
  ToolResult r = Edit(path, "foo", "bar");
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("Found 2 matches"), std::string::npos);
  EXPECT_EQ(ReadRaw(path), "foo\nfoo\n");
  r = Edit(path, "foo", "bar", true);
  EXPECT_FALSE(r.is_error) << r.AllText();
  EXPECT_EQ(ReadRaw(path), "bar\nbar\n");
}

TEST_F(EditToolTest, NotFoundAndSameStrings) {
  std::string path = dir / "f.txt";
  WriteRaw(path, "abc\n");
  Read(path);
  EXPECT_TRUE(Edit(path, "xyz", "q").is_error);
  EXPECT_TRUE(Edit(path, "abc", "abc").is_error);
  EXPECT_EQ(ReadRaw(path), "abc\n");
}

TEST_F(EditToolTest, CrlfAndModeArePreserved) {
  std::string path = dir / "w.bat";
  WriteRaw(path, "@echo off\r\necho one\r\necho two\r\n");
  ASSERT_EQ(::chmod(path.c_str(), 0700), 0);
  Read(path);
  ToolResult r = Edit(path, "echo one\necho two", "echo 1\necho 2\necho 3");
  ASSERT_FALSE(r.is_error) << r.AllText();
  EXPECT_EQ(ReadRaw(path), "@echo off\r\necho 1\r\necho 2\r\necho 3\r\n");
  EXPECT_EQ(ModeOf(path), 0700u);
  EXPECT_EQ(RealEnv().ListDir(dir.path()), std::vector<std::string>{"w.bat"});
}

TEST_F(EditToolTest, EmptyOldStringCreatesMissingFile) {
  std::string path = dir / "pkg/new.txt";
  ToolResult r = Edit(path, "", "brand new\n");
  ASSERT_FALSE(r.is_error) << r.AllText();
  EXPECT_EQ(ReadRaw(path), "brand new\n");
  EXPECT_NE(r.AllText().find("created"), std::string::npos);
  // A missing file with a non-empty old_string is an error.
  r = Edit(dir / "other.txt", "x", "y");
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("does not exist"), std::string::npos);
}

TEST_F(EditToolTest, BinaryAndDirectoryRefused) {
  std::string path = dir / "b.dat";
  WriteRaw(path, std::string("a\0b", 3));
  h.reads[path] = {RealEnv().Stat(path).modified, 3};
  EXPECT_TRUE(Edit(path, "a", "c").is_error);
  EXPECT_TRUE(Edit(dir.path(), "a", "c").is_error);
}

TEST_F(EditToolTest, SchemaAndSubject) {
  EXPECT_EQ(edit->name(), "Edit");
  EXPECT_TRUE(edit->edits_files());
  EXPECT_FALSE(edit->read_only());
  Json schema = edit->input_schema();
  EXPECT_EQ(schema["required"], Json::array({"file_path", "old_string", "new_string"}));
  EXPECT_EQ(schema["properties"]["replace_all"]["type"], "boolean");
  PermissionSubject s = edit->Subject({{"file_path", dir / "x/../y.txt"}}, h.ctx);
  EXPECT_EQ(s.kind, PermissionSubject::Kind::kPath);
  EXPECT_EQ(s.value, dir / "y.txt");
}

}  // namespace
}  // namespace brock
