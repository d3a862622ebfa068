// LineEditor: the interactive prompt's line editing, as a pure state machine. Bytes typed at a
// terminal in raw mode go in (keys, escape sequences and UTF-8 may be split anywhere across
// feeds); the line being edited, the cursor and whether the line is finished come out. LineView
// turns that state into the ANSI text that shows it on one terminal row. No I/O here: the
// terminal (terminal.cc) reads the bytes and writes what LineView returns.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace brock {

class LineEditor {
 public:
  enum class Status { kEditing, kLine, kEnd, kInterrupt };

  // Starts a new line: empty buffer, cursor at 0, status kEditing, history position after the
  // newest entry. `use_history` false (hidden input such as codes): Up/Down do nothing and the
  // finished line is not remembered.
  void Begin(bool use_history = true);

  // Feeds typed bytes. Consumes them up to and including the byte that finishes the line (Enter
  // -> kLine, Ctrl-C -> kInterrupt, Ctrl-D on an empty line -> kEnd) and returns how many bytes
  // were consumed; the rest belongs to the next line (call Begin, then Feed it). An incomplete
  // escape sequence or UTF-8 character at the end is kept and completed by the next Feed.
  // Feeding after the line is finished consumes nothing.
  //
  // Keys: printable text and UTF-8 insert at the cursor; Left/Right (Ctrl-B/Ctrl-F) move one
  // character; Ctrl-Left/Ctrl-Right and Alt-B/Alt-F one word; Home/End (Ctrl-A/Ctrl-E);
  // Backspace; Delete; Ctrl-D deletes the character under the cursor on a non-empty line;
  // Ctrl-U kills to the start, Ctrl-K to the end, Ctrl-W (and Alt-Backspace) the word before the
  // cursor; Up/Down (Ctrl-P/Ctrl-N) recall history, keeping the line being edited to come back
  // to. Enter is CR or LF; a CR LF pair counts as one Enter. A tab is kept as a tab; other
  // control bytes are ignored.
  size_t Feed(std::string_view bytes);

  Status status() const { return status_; }
  // The line (for kLine: without its newline). Valid UTF-8 whenever the input was.
  const std::string& buffer() const { return buffer_; }
  // Byte offset of the cursor in buffer(), always at a character boundary.
  size_t cursor() const { return cursor_; }

  // Remembers `line` as the newest history entry unless it is empty or equals the newest one.
  // Finished lines of Begin(true) are added automatically.
  void AddHistory(const std::string& line);
  const std::vector<std::string>& history() const { return history_; }

 private:
  void Byte(unsigned char c);
  void Control(unsigned char c);
  void Csi(char final_byte);
  void Insert(std::string_view text);
  void Finish(Status s);
  void MoveLeft();
  void MoveRight();
  void WordLeft();
  void WordRight();
  void KillWordBack();
  void DeleteUnderCursor();
  void HistoryUp();
  void HistoryDown();

  enum class Esc { kNone, kEsc, kCsi, kSs3 };
  std::string buffer_;
  size_t cursor_ = 0;
  Status status_ = Status::kEditing;
  bool use_history_ = true;
  std::vector<std::string> history_;
  size_t history_pos_ = 0;  // == history_.size(): the line being edited
  std::string draft_;       // the line being edited while browsing history
  Esc esc_ = Esc::kNone;
  std::string csi_;       // parameter and intermediate bytes of a CSI sequence
  std::string utf8_;      // an incomplete UTF-8 character
  size_t utf8_need_ = 0;  // bytes still missing from utf8_
  bool skip_lf_ = false;  // the last byte was a CR that finished a line
};

// Display columns of the code point `cp`: 0 for combining marks and zero-width characters, 2 for
// East Asian wide and fullwidth characters and emoji, 1 otherwise.
int CharWidth(char32_t cp);

// Display columns of `text` with ANSI escape sequences (CSI and two-byte ESC x) not counted.
int DisplayWidth(std::string_view text);

// Shows an edited line on the terminal's current row, after a prompt. Keeps what it drew last,
// so typing at the end of a line that fits writes just the new characters; anything else redraws
// the row: CR, the prompt, the visible part of the text, ESC[K, then ESC[nD back to the cursor.
// A line wider than the row scrolls horizontally so the cursor stays visible; nothing is written
// into the last column, so the terminal never wraps.
class LineView {
 public:
  // Starts a new line whose `prompt` (one row, may contain ANSI styling) is already on screen,
  // with the cursor after it.
  void Begin(std::string_view prompt);
  // The bytes that make the row show `text` with the cursor at byte `cursor`, on a row `width`
  // columns wide. Empty when nothing changed.
  std::string Update(const std::string& text, size_t cursor, int width);

 private:
  std::string prompt_;
  std::string text_;  // as last drawn
  size_t cursor_ = 0;
  int first_col_ = 0;  // text column shown first (horizontal scroll)
  int width_ = 0;
  bool full_ = false;  // the last draw showed the whole text
};

}  // namespace brock
