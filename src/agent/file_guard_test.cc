#include "agent/file_guard.h"

#include <gtest/gtest.h>

#include "testing/fake_env.h"
#include "testing/tool_test_util.h"

namespace brock {
namespace {

using testing::ContextHolder;

TEST(NormalizeAbsolutePath, RemovesDotsAndDuplicateSlashes) {
  EXPECT_EQ(NormalizeAbsolutePath("/a//b/./c/../d"), "/a/b/d");
  EXPECT_EQ(NormalizeAbsolutePath("/a/b/"), "/a/b");
  EXPECT_EQ(NormalizeAbsolutePath("/../.."), "/");
  EXPECT_EQ(NormalizeAbsolutePath("/"), "/");
  EXPECT_EQ(NormalizeAbsolutePath("/x/../../y"), "/y");
}

TEST(ResolveToolPath, AbsoluteRelativeAndHome) {
  testing::FakeEnv env;
  ContextHolder h("/work/project", env);
  EXPECT_EQ(ResolveToolPath("/etc/hosts", h.ctx), "/etc/hosts");
  EXPECT_EQ(ResolveToolPath("src/../README.md", h.ctx), "/work/project/README.md");
  EXPECT_EQ(ResolveToolPath("./a//b", h.ctx), "/work/project/a/b");
  EXPECT_EQ(ResolveToolPath("~/notes.txt", h.ctx), "/home/user/notes.txt");
  EXPECT_EQ(ResolveToolPath("", h.ctx), "");
  h.ctx.cwd.clear();  // falls back to the process directory
  EXPECT_EQ(ResolveToolPath("x", h.ctx), "/home/user/project/x");
}

TEST(FileGuard, ReadBeforeWriteTracksMtimeAndSize) {
  testing::FakeEnv env;
  env.files["/p/f.txt"] = "one";
  ContextHolder h("/p", env);
  auto refusal = CheckReadBeforeWrite(h.ctx, "/p/f.txt");
  ASSERT_TRUE(refusal.has_value());
  EXPECT_NE(refusal->find("has not been read"), std::string::npos);

  RecordRead(h.ctx, "/p/f.txt");
  EXPECT_FALSE(CheckReadBeforeWrite(h.ctx, "/p/f.txt").has_value());

  env.files["/p/f.txt"] = "three";  // size changed
  refusal = CheckReadBeforeWrite(h.ctx, "/p/f.txt");
  ASSERT_TRUE(refusal.has_value());
  EXPECT_NE(refusal->find("modified since read"), std::string::npos);

  RecordRead(h.ctx, "/p/f.txt");
  env.now += std::chrono::seconds(5);  // same size, newer mtime
  EXPECT_TRUE(CheckReadBeforeWrite(h.ctx, "/p/f.txt").has_value());
}

TEST(FileGuard, NoTrackingWithoutReadsMap) {
  testing::FakeEnv env;
  env.files["/p/f.txt"] = "one";
  ContextHolder h("/p", env);
  h.ctx.reads = nullptr;
  RecordRead(h.ctx, "/p/f.txt");  // no crash
  EXPECT_FALSE(CheckReadBeforeWrite(h.ctx, "/p/f.txt").has_value());
}

TEST(FileGuard, WriteKeepsModeAndCreatesParents) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::string f = dir / "script.sh";
  testing::WriteRaw(f, "old");
  ::chmod(f.c_str(), 0750);
  ASSERT_TRUE(WriteFileKeepingMode(RealEnv(), f, "new").ok());
  EXPECT_EQ(testing::ReadRaw(f), "new");
  EXPECT_EQ(testing::ModeOf(f), 0750u);

  std::string nested = dir / "a/b/c.txt";
  ASSERT_TRUE(WriteFileKeepingMode(RealEnv(), nested, "x").ok());
  EXPECT_EQ(testing::ReadRaw(nested), "x");
  EXPECT_EQ(testing::ModeOf(nested), 0644u);
  mode_t mask = ::umask(0);
  ::umask(mask);
  EXPECT_EQ(testing::ModeOf(dir / "a/b"), 0755u & ~static_cast<uint32_t>(mask));
  // No temporary files are left beside the target.
  EXPECT_EQ(RealEnv().ListDir(dir / "a/b"), std::vector<std::string>{"c.txt"});
}

TEST(FileGuard, WriteThroughSymlinkKeepsTheLink) {
  testing::TempDir dir;
  std::string target = dir / "real.txt";
  std::string link = dir / "link.txt";
  testing::WriteRaw(target, "old");
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  ASSERT_TRUE(WriteFileKeepingMode(RealEnv(), link, "new").ok());
  struct stat st;
  ASSERT_EQ(::lstat(link.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  EXPECT_EQ(testing::ReadRaw(target), "new");
}

TEST(FileGuard, BinaryDetection) {
  EXPECT_TRUE(LooksBinary(std::string("abc\0def", 7)));
  EXPECT_FALSE(LooksBinary("plain text\n"));
  std::string late(9000, 'a');
  late[8500] = '\0';
  EXPECT_FALSE(LooksBinary(late));  // only the first 8 KiB count
  EXPECT_TRUE(HasBinaryExtension("/x/archive.ZIP"));
  EXPECT_TRUE(HasBinaryExtension("/x/lib.so"));
  EXPECT_FALSE(HasBinaryExtension("/x/main.cc"));
  EXPECT_FALSE(HasBinaryExtension("/x.zip/README"));
  EXPECT_FALSE(HasBinaryExtension("/x/photo.png"));  // Read shows images
}

TEST(FileGuard, LineEndings) {
  EXPECT_TRUE(UsesCrlf("a\r\nb\r\n"));
  EXPECT_FALSE(UsesCrlf("a\nb\n"));
  EXPECT_FALSE(UsesCrlf("a\r\nb\nc\n"));
  EXPECT_EQ(LfToCrlf("a\nb\r\nc\n"), "a\r\nb\r\nc\r\n");
}

}  // namespace
}  // namespace brock
