// The Read and Grep tools meet FIFOs, devices and hostile paths: each is refused at once with a
// tool error, never waited on or read forever.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

#include "agent/tool_grep.h"
#include "agent/tool_read.h"
#include "testing/tool_test_util.h"

namespace brock {
namespace {

using testing::ContextHolder;
using testing::RunOk;
using testing::TempDir;
using testing::WriteRaw;

class SpecialFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir.path().empty()) << "mkdtemp failed";
    ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
    ASSERT_EQ(::symlink("/dev/zero", (dir / "zero.txt").c_str()), 0);
    WriteRaw(dir / "a.txt", "needle here\n");
  }
  // Runs `tool` and checks that it came back within a few seconds.
  ToolResult Run(Tool& tool, const Json& input) {
    auto start = std::chrono::steady_clock::now();
    ToolResult r = RunOk(tool, input, h.ctx);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    return r;
  }

  TempDir dir;
  ContextHolder h{dir.path()};
  std::unique_ptr<Tool> read = MakeReadTool();
  std::unique_ptr<Tool> grep = MakeGrepTool();
};

TEST_F(SpecialFilesTest, ReadRefusesAFifo) {
  ToolResult r = Run(*read, {{"file_path", dir / "fifo"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("FIFO"), std::string::npos) << r.AllText();
}

TEST_F(SpecialFilesTest, ReadRefusesASymlinkToDevZero) {
  ToolResult r = Run(*read, {{"file_path", dir / "zero.txt"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("character device"), std::string::npos) << r.AllText();
}

TEST_F(SpecialFilesTest, ReadRefusesANulInThePath) {
  ToolResult r = Run(*read, {{"file_path", dir / std::string("a.txt\0.md", 9)}});
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("NUL byte"), std::string::npos) << r.AllText();
}

TEST_F(SpecialFilesTest, GrepOfAFifoRootIsRefused) {
  ToolResult r = Run(*grep, {{"pattern", "x"}, {"path", dir / "fifo"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("FIFO"), std::string::npos) << r.AllText();
}

TEST_F(SpecialFilesTest, GrepOfADirectorySkipsTheFifoAndTheDevice) {
  ToolResult r = Run(*grep, {{"pattern", "needle"}, {"path", dir.path()}});
  EXPECT_FALSE(r.is_error) << r.AllText();
  EXPECT_NE(r.AllText().find("a.txt"), std::string::npos) << r.AllText();
  EXPECT_EQ(r.AllText().find("fifo"), std::string::npos) << r.AllText();
}

TEST_F(SpecialFilesTest, GrepRefusesAControlCharacterInThePath) {
  ToolResult r = Run(*grep, {{"pattern", "x"}, {"path", dir / "a\x1b[2J"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("control character"), std::string::npos) << r.AllText();
}

}  // namespace
}  // namespace brock
