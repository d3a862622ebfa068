#include "ui/line_editor.h"

#include <gtest/gtest.h>

namespace brock {
namespace {

using Status = LineEditor::Status;

// Feeds `bytes` one call per byte, as a slow terminal would deliver them.
size_t FeedByByte(LineEditor& e, std::string_view bytes) {
  size_t used = 0;
  for (char c : bytes) {
    size_t n = e.Feed(std::string_view(&c, 1));
    used += n;
    if (n == 0) break;
  }
  return used;
}

TEST(LineEditorTest, TypingAndEnterFinishTheLine) {
  LineEditor e;
  e.Begin();
  EXPECT_EQ(e.Feed("hello"), 5u);
  EXPECT_EQ(e.status(), Status::kEditing);
  EXPECT_EQ(e.buffer(), "hello");
  EXPECT_EQ(e.cursor(), 5u);
  EXPECT_EQ(e.Feed("\r"), 1u);
  EXPECT_EQ(e.status(), Status::kLine);
  EXPECT_EQ(e.buffer(), "hello");
  EXPECT_EQ(e.Feed("more"), 0u) << "a finished line takes nothing more";
}

TEST(LineEditorTest, LeftRightInsertAtTheCursor) {
  LineEditor e;
  e.Begin();
  e.Feed("helo\x1b[D");
  EXPECT_EQ(e.cursor(), 3u);
  e.Feed("l");
  EXPECT_EQ(e.buffer(), "hello");
  e.Feed("\x1b[D\x1b[D\x1b[C");
  EXPECT_EQ(e.cursor(), 3u);
  e.Feed("\x02X\x06Y");  // Ctrl-B, Ctrl-F
  EXPECT_EQ(e.buffer(), "heXlYlo");
  e.Feed("\x1bOD!");  // SS3 form of Left
  EXPECT_EQ(e.buffer(), "heXl!Ylo");
}

TEST(LineEditorTest, HomeEndInAllTheirForms) {
  for (std::string home : {"\x01", "\x1b[H", "\x1bOH", "\x1b[1~", "\x1b[7~"}) {
    for (std::string end : {"\x05", "\x1b[F", "\x1bOF", "\x1b[4~", "\x1b[8~"}) {
      LineEditor e;
      e.Begin();
      e.Feed("middle" + home + "<" + end + ">");
      EXPECT_EQ(e.buffer(), "<middle>") << "home " << home.substr(1) << " end " << end.substr(1);
    }
  }
}

TEST(LineEditorTest, BackspaceAndDelete) {
  LineEditor e;
  e.Begin();
  e.Feed("abcd\x7f");
  EXPECT_EQ(e.buffer(), "abc");
  e.Feed("\x08");
  EXPECT_EQ(e.buffer(), "ab");
  e.Feed("\x01\x7f");  // Backspace at the start: nothing
  EXPECT_EQ(e.buffer(), "ab");
  e.Feed("\x1b[3~");
  EXPECT_EQ(e.buffer(), "b");
  EXPECT_EQ(e.cursor(), 0u);
  e.Feed("\x05\x1b[3~");  // Delete at the end: nothing
  EXPECT_EQ(e.buffer(), "b");
}

TEST(LineEditorTest, KillToStartToEndAndWordBack) {
  LineEditor e;
  e.Begin();
  e.Feed("one two  three");
  e.Feed("\x17");  // Ctrl-W
  EXPECT_EQ(e.buffer(), "one two  ");
  e.Feed("\x17");
  EXPECT_EQ(e.buffer(), "one ");
  e.Feed("four five\x1b[D\x1b[D");
  e.Feed("\x0b");  // Ctrl-K
  EXPECT_EQ(e.buffer(), "one four fi");
  e.Feed("\x1b[D\x1b[D\x1b[D");
  e.Feed("\x15");  // Ctrl-U
  EXPECT_EQ(e.buffer(), " fi");
  EXPECT_EQ(e.cursor(), 0u);
  e.Feed("\x05x y\x1b\x7f");  // Alt-Backspace
  EXPECT_EQ(e.buffer(), " fix ");
}

TEST(LineEditorTest, WordMoves) {
  LineEditor e;
  e.Begin();
  e.Feed("alpha beta gamma");
  e.Feed("\x1b[1;5D");
  EXPECT_EQ(e.cursor(), 11u);
  e.Feed(
      "\x1b"
      "b");
  EXPECT_EQ(e.cursor(), 6u);
  e.Feed("\x1b[1;5C");
  EXPECT_EQ(e.cursor(), 10u);
  e.Feed(
      "\x1b"
      "f");
  EXPECT_EQ(e.cursor(), 16u);
}

TEST(LineEditorTest, CtrlDEndsAnEmptyLineAndDeletesOtherwise) {
  LineEditor e;
  e.Begin();
  e.Feed("ab\x01\x04");
  EXPECT_EQ(e.status(), Status::kEditing);
  EXPECT_EQ(e.buffer(), "b");
  e.Feed("\x04");
  EXPECT_EQ(e.buffer(), "");
  EXPECT_EQ(e.Feed("\x04zz"), 1u);
  EXPECT_EQ(e.status(), Status::kEnd);
}

TEST(LineEditorTest, CtrlCInterruptsWithTextOrWithout) {
  LineEditor e;
  e.Begin();
  EXPECT_EQ(e.Feed("half a thought\x03rest"), 15u);
  EXPECT_EQ(e.status(), Status::kInterrupt);
  e.Begin();
  EXPECT_EQ(e.buffer(), "");
  e.Feed("\x03");
  EXPECT_EQ(e.status(), Status::kInterrupt);
  EXPECT_TRUE(e.history().empty()) << "interrupted lines are not remembered";
}

TEST(LineEditorTest, UpAndDownRecallHistoryKeepingTheDraft) {
  LineEditor e;
  for (std::string line : {"first", "second", "second", ""}) {
    e.Begin();
    e.Feed(line + "\r");
    ASSERT_EQ(e.status(), Status::kLine);
  }
  ASSERT_EQ(e.history(), (std::vector<std::string>{"first", "second"}))
      << "no empty lines, no repeats in a row";
  e.Begin();
  e.Feed("draft");
  e.Feed("\x1b[A");
  EXPECT_EQ(e.buffer(), "second");
  EXPECT_EQ(e.cursor(), 6u);
  e.Feed("\x1b[A\x1b[A");  // past the oldest: stays
  EXPECT_EQ(e.buffer(), "first");
  e.Feed("\x1b[B");
  EXPECT_EQ(e.buffer(), "second");
  e.Feed("\x1b[B");
  EXPECT_EQ(e.buffer(), "draft");
  e.Feed("\x1b[B");
  EXPECT_EQ(e.buffer(), "draft");
  e.Feed("\x10\x10\x0e");  // Ctrl-P, Ctrl-P, Ctrl-N
  EXPECT_EQ(e.buffer(), "second");
  e.Feed("\x1b[D!\r");
  EXPECT_EQ(e.buffer(), "secon!d");
  EXPECT_EQ(e.history().back(), "secon!d");
}

TEST(LineEditorTest, HiddenInputHasNoHistory) {
  LineEditor e;
  e.Begin();
  e.Feed("visible\r");
  e.Begin(false);
  e.Feed("\x1b[A");
  EXPECT_EQ(e.buffer(), "");
  e.Feed("123456\r");
  EXPECT_EQ(e.buffer(), "123456");
  EXPECT_EQ(e.history(), std::vector<std::string>{"visible"});
}

TEST(LineEditorTest, EscapeSequencesSplitAcrossFeeds) {
  LineEditor e;
  e.Begin();
  e.Feed("abc");
  EXPECT_EQ(FeedByByte(e, "\x1b[D\x1b[1;5D\x1b[3~"), 13u);
  EXPECT_EQ(e.buffer(), "bc");
  EXPECT_EQ(e.cursor(), 0u);
  e.Feed("\x1b");
  e.Feed("O");
  e.Feed("F");
  EXPECT_EQ(e.cursor(), 2u);
  e.Feed("x\x1b[");
  EXPECT_EQ(e.buffer(), "bcx");
  e.Feed("D");
  EXPECT_EQ(e.cursor(), 2u);
}

TEST(LineEditorTest, UnknownSequencesAreDropped) {
  LineEditor e;
  e.Begin();
  e.Feed("a\x1b[5~\x1b[200~b\x1b[201~\x1b[99;99Zc\x07\x1bxd");
  EXPECT_EQ(e.buffer(), "abcxd") << "PageUp, paste brackets, back-tab and a bell insert nothing";
}

TEST(LineEditorTest, Utf8IsOneStepPerCharacter) {
  LineEditor e;
  e.Begin();
  std::string text = "h\xc3\xa9llo \xe4\xb8\x96\xf0\x9f\x98\x80";  // héllo 世😀
  EXPECT_EQ(FeedByByte(e, text), text.size());
  EXPECT_EQ(e.buffer(), text);
  e.Feed("\x1b[D");
  EXPECT_EQ(e.cursor(), text.size() - 4);
  e.Feed("\x1b[D");
  EXPECT_EQ(e.cursor(), text.size() - 7);
  e.Feed("\x7f");               // the space
  e.Feed("\x01\x1b[C\x1b[3~");  // deletes the two-byte é
  EXPECT_EQ(e.buffer(), "hllo\xe4\xb8\x96\xf0\x9f\x98\x80");
  e.Feed("\x05\x7f");
  EXPECT_EQ(e.buffer(), "hllo\xe4\xb8\x96");
  e.Feed("\x17");
  EXPECT_EQ(e.buffer(), "");
}

TEST(LineEditorTest, MalformedUtf8IsDropped) {
  LineEditor e;
  e.Begin();
  e.Feed(
      "a\x80"
      "b\xc3"
      "c\xff"
      "d\xe4\xb8");
  e.Feed("\x96");
  EXPECT_EQ(e.buffer(), "abcd\xe4\xb8\x96");
}

TEST(LineEditorTest, PastedLinesEndOneByOne) {
  LineEditor e;
  std::string paste = "first line\\\rsecond\r\nthird\n";
  std::vector<std::string> lines;
  while (!paste.empty()) {
    e.Begin();
    paste.erase(0, e.Feed(paste));
    if (e.status() == Status::kLine) lines.push_back(e.buffer());
  }
  EXPECT_EQ(lines, (std::vector<std::string>{"first line\\", "second", "third"}))
      << "CR LF is one Enter";
  e.Begin();
  e.Feed("\n");
  EXPECT_EQ(e.status(), Status::kLine) << "an LF on its own is Enter";
}

TEST(LineEditorTest, TabsAreKept) {
  LineEditor e;
  e.Begin();
  e.Feed("a\tb\r");
  EXPECT_EQ(e.buffer(), "a\tb");
}

TEST(CharWidthTest, WideZeroAndNarrow) {
  EXPECT_EQ(CharWidth(U'a'), 1);
  EXPECT_EQ(CharWidth(U'\u00e9'), 1);
  EXPECT_EQ(CharWidth(U'\u4e16'), 2);
  EXPECT_EQ(CharWidth(U'\U0001F600'), 2);
  EXPECT_EQ(CharWidth(U'\u0301'), 0);
  EXPECT_EQ(DisplayWidth("\x1b[1m> \x1b[0m"), 2);
  EXPECT_EQ(DisplayWidth("h\xc3\xa9\xe4\xb8\x96"), 4);
}

TEST(LineViewTest, TypingAtTheEndWritesOnlyTheNewText) {
  LineView v;
  v.Begin("> ");
  EXPECT_EQ(v.Update("he", 2, 80), "he");
  EXPECT_EQ(v.Update("hello", 5, 80), "llo");
  EXPECT_EQ(v.Update("hello", 5, 80), "");
}

TEST(LineViewTest, EditsRedrawTheRowAndPlaceTheCursor) {
  LineView v;
  v.Begin("\x1b[1m> \x1b[0m");
  v.Update("hello", 5, 80);
  EXPECT_EQ(v.Update("hello", 3, 80), "\r\x1b[1m> \x1b[0mhello\x1b[K\x1b[2D");
  EXPECT_EQ(v.Update("helo", 3, 80), "\r\x1b[1m> \x1b[0mhelo\x1b[K\x1b[1D");
  EXPECT_EQ(v.Update("he\tlo", 3, 80), "\r\x1b[1m> \x1b[0mhe lo\x1b[K\x1b[2D")
      << "a tab shows as a space";
  EXPECT_EQ(v.Update("", 0, 80), "\r\x1b[1m> \x1b[0m\x1b[K");
}

TEST(LineViewTest, WideCharactersMoveTheCursorByTheirWidth) {
  LineView v;
  v.Begin("> ");
  std::string text = "\xe4\xb8\x96\xe7\x95\x8c!";  // 世界!
  v.Update(text, text.size(), 80);
  EXPECT_EQ(v.Update(text, 3, 80), "\r> " + text + "\x1b[K\x1b[3D");
}

// What a terminal `width` columns wide shows after `bytes`: the row's text and the cursor column.
// Understands exactly what LineView writes: CR, text, ESC[K and ESC[nD.
struct Screen {
  std::string row;  // one character per column (ASCII only in these tests)
  int col = 0;
  void Apply(const std::string& bytes) {
    for (size_t i = 0; i < bytes.size(); ++i) {
      char c = bytes[i];
      if (c == '\r') {
        col = 0;
      } else if (c == '\x1b') {
        size_t j = i + 2;
        int n = 0;
        while (j < bytes.size() && isdigit(static_cast<unsigned char>(bytes[j])))
          n = n * 10 + (bytes[j++] - '0');
        if (bytes[j] == 'K') row.resize(std::min<size_t>(row.size(), col));
        if (bytes[j] == 'D') col -= n;
        i = j;
      } else {
        if (row.size() <= static_cast<size_t>(col)) row.resize(col + 1, ' ');
        row[col++] = c;
      }
    }
  }
};

TEST(LineViewTest, LongLinesScrollAndNeverReachTheLastColumn) {
  const int width = 20;
  LineView v;
  Screen s;
  s.Apply("> ");
  v.Begin("> ");
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += static_cast<char>('a' + i % 26);
    s.Apply(v.Update(text, text.size(), width));
    ASSERT_LT(s.row.size(), static_cast<size_t>(width)) << "i=" << i;
    ASSERT_EQ(s.row.substr(0, 2), "> ");
    // The text shown is a slice of the line ending at the cursor.
    std::string shown = s.row.substr(2);
    ASSERT_EQ(text.substr(text.size() - shown.size()), shown) << "i=" << i;
    ASSERT_EQ(s.col, static_cast<int>(s.row.size())) << "i=" << i;
  }
  // Home: the start of the line shows, the cursor right after the prompt.
  s.Apply(v.Update(text, 0, width));
  EXPECT_EQ(s.row, "> " + text.substr(0, width - 3));
  EXPECT_EQ(s.col, 2);
  // Moving right inside the window does not scroll; past its edge it does.
  for (size_t c = 1; c <= text.size(); ++c) {
    s.Apply(v.Update(text, c, width));
    std::string shown = s.row.substr(2);
    int first = static_cast<int>(text.find(shown));
    ASSERT_NE(first, -1) << "c=" << c;
    ASSERT_EQ(s.col - 2 + first, static_cast<int>(c)) << "the cursor is on character " << c;
    ASSERT_LT(s.row.size(), static_cast<size_t>(width));
  }
}

}  // namespace
}  // namespace brock
