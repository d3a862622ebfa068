#include "agent/tool_read.h"

#include <gtest/gtest.h>

#include "base/strings.h"
#include "testing/tool_test_util.h"

namespace brock {
namespace {

using testing::ContextHolder;
using testing::RunOk;
using testing::TempDir;
using testing::WriteRaw;

class ReadToolTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir.path().empty()) << "mkdtemp failed"; }
  ToolResult Read(const Json& input) { return RunOk(*tool, input, h.ctx); }

  TempDir dir;
  ContextHolder h{dir.path()};
  std::unique_ptr<Tool> tool = MakeReadTool();
};

std::string Lines(int from, int to) {
  std::string s;
  for (int i = from; i <= to; ++i) s += "line " + std::to_string(i) + "\n";
  return s;
}

TEST_F(ReadToolTest, CatNFormat) {
  WriteRaw(dir / "a.txt", "alpha\n\tbeta\n");
  ToolResult r = Read({{"file_path", dir / "a.txt"}});
  EXPECT_FALSE(r.is_error);
  EXPECT_EQ(r.AllText(), "     1\talpha\n     2\t\tbeta\n");
}

TEST_F(ReadToolTest, LastLineWithoutNewlineAndCrlf) {
  WriteRaw(dir / "a.txt", "one\r\ntwo\r\nthree");
  EXPECT_EQ(Read({{"file_path", dir / "a.txt"}}).AllText(),
            "     1\tone\n     2\ttwo\n     3\tthree\n");
}

TEST_F(ReadToolTest, OffsetAndLimit) {
  WriteRaw(dir / "a.txt", Lines(1, 10));
  ToolResult r = Read({{"file_path", dir / "a.txt"}, {"offset", 3}, {"limit", 2}});
  std::string text = r.AllText();
  EXPECT_TRUE(StartsWith(text, "     3\tline 3\n     4\tline 4\n")) << text;
  EXPECT_EQ(text.find("line 5"), std::string::npos);
  EXPECT_NE(text.find("offset=5"), std::string::npos) << "says where to continue";
  // Numbers sent as strings are accepted.
  r = Read({{"file_path", dir / "a.txt"}, {"offset", "10"}});
  EXPECT_EQ(r.AllText(), "    10\tline 10\n");
}

TEST_F(ReadToolTest, DefaultLimitIs2000Lines) {
  WriteRaw(dir / "big.txt", Lines(1, 2500));
  std::string text = Read({{"file_path", dir / "big.txt"}}).AllText();
  EXPECT_NE(text.find("  2000\tline 2000\n"), std::string::npos);
  EXPECT_EQ(text.find("line 2001"), std::string::npos);
  EXPECT_NE(text.find("of 2500"), std::string::npos);
}

TEST_F(ReadToolTest, LongLinesAreCut) {
  WriteRaw(dir / "wide.txt", std::string(3000, 'x') + "\nshort\n");
  std::string text = Read({{"file_path", dir / "wide.txt"}}).AllText();
  EXPECT_NE(text.find(std::string(2000, 'x')), std::string::npos);
  EXPECT_EQ(text.find(std::string(2001, 'x')), std::string::npos);
  EXPECT_NE(text.find("     2\tshort\n"), std::string::npos);
}

TEST_F(ReadToolTest, EmptyFileAndOffsetPastEnd) {
  WriteRaw(dir / "empty.txt", "");
  ToolResult r = Read({{"file_path", dir / "empty.txt"}});
  EXPECT_FALSE(r.is_error);
  EXPECT_NE(r.AllText().find("empty"), std::string::npos);
  EXPECT_EQ(h.reads.count(dir / "empty.txt"), 1u);

  WriteRaw(dir / "short.txt", "a\nb\n");
  r = Read({{"file_path", dir / "short.txt"}, {"offset", 9}});
  EXPECT_FALSE(r.is_error);
  EXPECT_NE(r.AllText().find("shorter than the provided offset (9)"), std::string::npos);
  EXPECT_NE(r.AllText().find("2 lines"), std::string::npos);
}

TEST_F(ReadToolTest, RecordsTheRead) {
  WriteRaw(dir / "a.txt", "12345");
  Read({{"file_path", dir / "a.txt"}});
  ASSERT_EQ(h.reads.count(dir / "a.txt"), 1u);
  EXPECT_EQ(h.reads[dir / "a.txt"].size, 5);
  EXPECT_EQ(h.reads[dir / "a.txt"].modified, RealEnv().Stat(dir / "a.txt").modified);
}

TEST_F(ReadToolTest, RelativePathResolvesAgainstCwd) {
  ASSERT_EQ(::mkdir((dir / "src").c_str(), 0755), 0);
  WriteRaw(dir / "src/m.cc", "int x;\n");
  ToolResult r = Read({{"file_path", "src/./m.cc"}});
  EXPECT_FALSE(r.is_error) << r.AllText();
  EXPECT_EQ(r.AllText(), "     1\tint x;\n");
  PermissionSubject s = tool->Subject({{"file_path", "src/../src/m.cc"}}, h.ctx);
  EXPECT_EQ(s.kind, PermissionSubject::Kind::kPath);
  EXPECT_EQ(s.value, dir / "src/m.cc");
}

TEST_F(ReadToolTest, PngBecomesAnImageBlock) {
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0", 29);
  WriteRaw(dir / "pixel.png", png);
  ToolResult r = Read({{"file_path", dir / "pixel.png"}});
  ASSERT_FALSE(r.is_error) << r.AllText();
  ASSERT_EQ(r.content.size(), 1u);
  const Json& block = r.content[0];
  EXPECT_EQ(block["type"], "image");
  EXPECT_EQ(block["source"]["type"], "base64");
  EXPECT_EQ(block["source"]["media_type"], "image/png");
  std::string decoded;
  ASSERT_TRUE(Base64Decode(block["source"]["data"].get<std::string>(), &decoded));
  EXPECT_EQ(decoded, png);
  EXPECT_EQ(h.reads.count(dir / "pixel.png"), 1u);
}

TEST_F(ReadToolTest, ImageTypeComesFromTheBytes) {
  // A JPEG saved with a .png name is sent as image/jpeg (the API rejects mismatches).
  WriteRaw(dir / "photo.png", std::string("\xff\xd8\xff\xe0\0\x10JFIF", 10));
  ToolResult r = Read({{"file_path", dir / "photo.png"}});
  ASSERT_FALSE(r.is_error);
  EXPECT_EQ(r.content[0]["source"]["media_type"], "image/jpeg");

  WriteRaw(dir / "fake.gif", "not an image at all");
  r = Read({{"file_path", dir / "fake.gif"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_EQ(SniffImageType("GIF89a..."), "image/gif");
  EXPECT_EQ(SniffImageType(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)), "image/webp");
}

TEST_F(ReadToolTest, HugeImageIsRefused) {
  std::string big("\x89PNG\r\n\x1a\n", 8);
  big.resize(static_cast<size_t>(kReadMaxImageBytes) + 1, 'x');
  WriteRaw(dir / "big.png", big);
  ToolResult r = Read({{"file_path", dir / "big.png"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("too large"), std::string::npos);
}

TEST_F(ReadToolTest, BinaryFilesAreRefused) {
  WriteRaw(dir / "blob.txt", std::string("ab\0cd", 5));
  ToolResult r = Read({{"file_path", dir / "blob.txt"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(StartsWith(r.AllText(), "Cannot read binary file")) << r.AllText();

  WriteRaw(dir / "a.zip", "PK text-looking");
  r = Read({{"file_path", dir / "a.zip"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(StartsWith(r.AllText(), "Cannot read binary file"));
  EXPECT_TRUE(h.reads.empty());
}

TEST_F(ReadToolTest, DirectoryMissingAndBadInput) {
  ToolResult r = Read({{"file_path", dir.path()}});
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("LS"), std::string::npos);

  r = Read({{"file_path", dir / "nope.txt"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("does not exist"), std::string::npos);

  r = Read({{"file_path", "/dev/zero"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("device"), std::string::npos);

  EXPECT_TRUE(Read(Json::object()).is_error);
  EXPECT_TRUE(Read({{"file_path", 7}}).is_error);
  WriteRaw(dir / "a.txt", "x\n");
  EXPECT_TRUE(Read({{"file_path", dir / "a.txt"}, {"limit", 0}}).is_error);
  EXPECT_TRUE(Read({{"file_path", dir / "a.txt"}, {"offset", "abc"}}).is_error);
}

TEST(ReadToolSchema, MatchesClaudeCode) {
  auto tool = MakeReadTool();
  EXPECT_EQ(tool->name(), "Read");
  EXPECT_TRUE(tool->read_only());
  EXPECT_FALSE(tool->edits_files());
  Json schema = tool->input_schema();
  EXPECT_EQ(schema["required"], Json::array({"file_path"}));
  EXPECT_TRUE(schema["properties"].contains("offset"));
  EXPECT_TRUE(schema["properties"].contains("limit"));
}

TEST(SplitLines, Terminators) {
  EXPECT_EQ(SplitLines(""), std::vector<std::string_view>{});
  EXPECT_EQ(SplitLines("a\nb\n"), (std::vector<std::string_view>{"a", "b"}));
  EXPECT_EQ(SplitLines("a\n\nb"), (std::vector<std::string_view>{"a", "", "b"}));
  EXPECT_EQ(SplitLines("a\r\n"), (std::vector<std::string_view>{"a"}));
  EXPECT_EQ(NumberedLine(123456, "x"), "123456\tx\n");
  EXPECT_EQ(NumberedLine(7, ""), "     7\t\n");
}

}  // namespace
}  // namespace brock
