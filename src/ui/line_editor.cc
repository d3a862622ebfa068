#include "ui/line_editor.h"

#include <algorithm>

namespace brock {

namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }
bool IsSpace(char c) { return c == ' ' || c == '\t'; }

// Decodes the UTF-8 character at `i` (advancing `i`); U+FFFD for a malformed one.
char32_t Decode(std::string_view s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i++]);
  if (c < 0x80) return c;
  size_t extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (extra == 0) return 0xFFFD;
  char32_t cp = c & (0x3F >> extra);
  for (size_t k = 0; k < extra; ++k) {
    if (i >= s.size() || !IsContinuation(static_cast<unsigned char>(s[i]))) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  }
  return cp;
}

struct Cell {
  size_t offset, length;
  int col, width;
};

// The characters of `text` with their display columns. A tab shows as one space.
std::vector<Cell> Cells(const std::string& text) {
  std::vector<Cell> cells;
  int col = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    char32_t cp = Decode(text, i);
    int w = cp == '\t' ? 1 : CharWidth(cp);
    cells.push_back({start, i - start, col, w});
    col += w;
  }
  return cells;
}

// `text` as shown: tabs as spaces.
std::string Shown(std::string_view text) {
  std::string out(text);
  std::replace(out.begin(), out.end(), '\t', ' ');
  return out;
}

}  // namespace

int CharWidth(char32_t cp) {
  if (cp == 0) return 0;
  if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
      (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
      (cp >= 0xFE20 && cp <= 0xFE2F) || (cp >= 0x200B && cp <= 0x200F) ||
      (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x2060 || cp == 0xFEFF)
    return 0;
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
      (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
      (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
      (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
    return 2;
  return 1;
}

int DisplayWidth(std::string_view text) {
  int width = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '\x1b') {
      if (i + 1 < text.size() && text[i + 1] == '[') {
        size_t j = i + 2;
        while (j < text.size() && !(text[j] >= '@' && text[j] <= '~')) ++j;
        i = j + 1;
      } else {
        i += 2;
      }
      continue;
    }
    char32_t cp = Decode(text, i);
    if (cp >= 0x20 && cp != 0x7F) width += CharWidth(cp);
  }
  return width;
}

// ---- LineEditor ----

void LineEditor::Begin(bool use_history) {
  buffer_.clear();
  cursor_ = 0;
  status_ = Status::kEditing;
  use_history_ = use_history;
  history_pos_ = history_.size();
  draft_.clear();
  esc_ = Esc::kNone;
  csi_.clear();
  utf8_.clear();
  utf8_need_ = 0;
  // skip_lf_ carries over: a CR LF pair split across lines is one Enter.
}

size_t LineEditor::Feed(std::string_view bytes) {
  size_t used = 0;
  while (used < bytes.size() && status_ == Status::kEditing) {
    Byte(static_cast<unsigned char>(bytes[used++]));
  }
  return used;
}

void LineEditor::AddHistory(const std::string& line) {
  if (line.empty() || (!history_.empty() && history_.back() == line)) return;
  history_.push_back(line);
}

void LineEditor::Finish(Status s) {
  status_ = s;
  if (s == Status::kLine && use_history_) AddHistory(buffer_);
}

void LineEditor::Byte(unsigned char c) {
  bool after_cr = skip_lf_;
  skip_lf_ = false;
  switch (esc_) {
    case Esc::kEsc:
      esc_ = Esc::kNone;
      if (c == '[') {
        esc_ = Esc::kCsi;
        csi_.clear();
        return;
      }
      if (c == 'O') {
        esc_ = Esc::kSs3;
        return;
      }
      if (c == 'b' || c == 'B') {
        WordLeft();
        return;
      }
      if (c == 'f' || c == 'F') {
        WordRight();
        return;
      }
      if (c == 0x7F || c == 0x08) {
        KillWordBack();
        return;
      }
      if (c == 0x1B) {
        esc_ = Esc::kEsc;
        return;
      }
      break;  // Alt with any other key: the key alone
    case Esc::kCsi:
      if (c >= 0x20 && c <= 0x3F && csi_.size() < 32) {
        csi_ += static_cast<char>(c);
        return;
      }
      esc_ = Esc::kNone;
      if (c >= 0x40 && c <= 0x7E) Csi(static_cast<char>(c));
      return;  // a malformed sequence is dropped
    case Esc::kSs3:
      esc_ = Esc::kNone;
      csi_.clear();
      Csi(static_cast<char>(c));
      return;
    case Esc::kNone:
      break;
  }
  if (utf8_need_ > 0) {
    if (IsContinuation(c)) {
      utf8_ += static_cast<char>(c);
      if (--utf8_need_ == 0) {
        Insert(utf8_);
        utf8_.clear();
      }
      return;
    }
    utf8_.clear();  // a malformed character is dropped
    utf8_need_ = 0;
  }
  if (c >= 0xC2 && c <= 0xF4) {
    utf8_.assign(1, static_cast<char>(c));
    utf8_need_ = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
    return;
  }
  if (c >= 0x80) return;  // a stray continuation or invalid byte
  if (c < 0x20 || c == 0x7F) {
    if (c == '\n' && after_cr) return;
    Control(c);
    return;
  }
  char ch = static_cast<char>(c);
  Insert(std::string_view(&ch, 1));
}

void LineEditor::Control(unsigned char c) {
  switch (c) {
    case '\r':
      skip_lf_ = true;
      Finish(Status::kLine);
      return;
    case '\n':
      Finish(Status::kLine);
      return;
    case 0x03:  // Ctrl-C
      Finish(Status::kInterrupt);
      return;
    case 0x04:  // Ctrl-D
      if (buffer_.empty())
        Finish(Status::kEnd);
      else
        DeleteUnderCursor();
      return;
    case 0x01:
      cursor_ = 0;
      return;  // Ctrl-A
    case 0x05:
      cursor_ = buffer_.size();
      return;  // Ctrl-E
    case 0x02:
      MoveLeft();
      return;  // Ctrl-B
    case 0x06:
      MoveRight();
      return;  // Ctrl-F
    case 0x10:
      HistoryUp();
      return;  // Ctrl-P
    case 0x0E:
      HistoryDown();
      return;  // Ctrl-N
    case 0x7F:
    case 0x08: {  // Backspace
      size_t end = cursor_;
      MoveLeft();
      buffer_.erase(cursor_, end - cursor_);
      return;
    }
    case 0x15:  // Ctrl-U
      buffer_.erase(0, cursor_);
      cursor_ = 0;
      return;
    case 0x0B:  // Ctrl-K
      buffer_.erase(cursor_);
      return;
    case 0x17:  // Ctrl-W
      KillWordBack();
      return;
    case '\t':
      Insert("\t");
      return;
    case 0x1B:
      esc_ = Esc::kEsc;
      return;
    default:
      return;
  }
}

void LineEditor::Csi(char final_byte) {
  // "1;5C" is Ctrl-Right, "1;3C" Alt-Right: a word at a time.
  bool word = csi_.find(";5") != std::string::npos || csi_.find(";3") != std::string::npos;
  switch (final_byte) {
    case 'A':
      HistoryUp();
      return;
    case 'B':
      HistoryDown();
      return;
    case 'C':
      word ? WordRight() : MoveRight();
      return;
    case 'D':
      word ? WordLeft() : MoveLeft();
      return;
    case 'H':
      cursor_ = 0;
      return;
    case 'F':
      cursor_ = buffer_.size();
      return;
    case '~': {
      std::string n = csi_.substr(0, csi_.find(';'));
      if (n == "1" || n == "7")
        cursor_ = 0;
      else if (n == "4" || n == "8")
        cursor_ = buffer_.size();
      else if (n == "3")
        DeleteUnderCursor();
      return;  // others (Insert, PageUp/Down, paste brackets) do nothing
    }
    default:
      return;
  }
}

void LineEditor::Insert(std::string_view text) {
  buffer_.insert(cursor_, text);
  cursor_ += text.size();
}

void LineEditor::MoveLeft() {
  if (cursor_ == 0) return;
  --cursor_;
  while (cursor_ > 0 && IsContinuation(static_cast<unsigned char>(buffer_[cursor_]))) --cursor_;
}

void LineEditor::MoveRight() {
  if (cursor_ >= buffer_.size()) return;
  ++cursor_;
  while (cursor_ < buffer_.size() && IsContinuation(static_cast<unsigned char>(buffer_[cursor_])))
    ++cursor_;
}

void LineEditor::WordLeft() {
  while (cursor_ > 0 && IsSpace(buffer_[cursor_ - 1])) --cursor_;
  while (cursor_ > 0 && !IsSpace(buffer_[cursor_ - 1])) --cursor_;
}

void LineEditor::WordRight() {
  while (cursor_ < buffer_.size() && IsSpace(buffer_[cursor_])) ++cursor_;
  while (cursor_ < buffer_.size() && !IsSpace(buffer_[cursor_])) ++cursor_;
}

void LineEditor::KillWordBack() {
  size_t end = cursor_;
  WordLeft();
  buffer_.erase(cursor_, end - cursor_);
}

void LineEditor::DeleteUnderCursor() {
  size_t start = cursor_;
  MoveRight();
  buffer_.erase(start, cursor_ - start);
  cursor_ = start;
}

void LineEditor::HistoryUp() {
  if (!use_history_ || history_pos_ == 0) return;
  if (history_pos_ == history_.size()) draft_ = buffer_;
  buffer_ = history_[--history_pos_];
  cursor_ = buffer_.size();
}

void LineEditor::HistoryDown() {
  if (!use_history_ || history_pos_ >= history_.size()) return;
  ++history_pos_;
  buffer_ = history_pos_ == history_.size() ? draft_ : history_[history_pos_];
  cursor_ = buffer_.size();
}

// ---- LineView ----

void LineView::Begin(std::string_view prompt) {
  prompt_ = prompt;
  text_.clear();
  cursor_ = 0;
  first_col_ = 0;
  width_ = 0;
  full_ = true;
}

std::string LineView::Update(const std::string& text, size_t cursor, int width) {
  if (width < 2) width = 2;
  int avail = std::max(1, width - DisplayWidth(prompt_) - 1);
  std::vector<Cell> cells = Cells(text);
  int total = cells.empty() ? 0 : cells.back().col + cells.back().width;
  int cursor_col = total;
  for (const Cell& c : cells) {
    if (c.offset >= cursor) {
      cursor_col = c.col;
      break;
    }
  }
  if (text == text_ && cursor == cursor_ && (width == width_ || width_ == 0)) return {};

  // Typing at the end of a line that fits: just the new characters.
  if (full_ && first_col_ == 0 && (width == width_ || width_ == 0) && cursor_ == text_.size() &&
      cursor == text.size() && text.size() > text_.size() &&
      text.compare(0, text_.size(), text_) == 0 && total <= avail) {
    std::string out = Shown(std::string_view(text).substr(text_.size()));
    text_ = text;
    cursor_ = cursor;
    width_ = width;
    return out;
  }

  int first = first_col_;
  if (total - first < avail) first = std::max(0, total - avail);
  if (cursor_col < first) first = cursor_col;
  if (cursor_col > first + avail) first = cursor_col - avail;
  // Start at a character boundary (a wide character cut in half is left out).
  size_t begin = 0;
  while (begin < cells.size() && cells[begin].col < first) ++begin;
  int first_shown = begin < cells.size() ? cells[begin].col : total;
  std::string out = "\r" + prompt_;
  int end_col = first_shown;
  for (size_t i = begin; i < cells.size(); ++i) {
    if (cells[i].col + cells[i].width - first_shown > avail) break;
    out += Shown(std::string_view(text).substr(cells[i].offset, cells[i].length));
    end_col = cells[i].col + cells[i].width;
  }
  out += "\x1b[K";
  int back = end_col - std::max(cursor_col, first_shown);
  if (back > 0) out += "\x1b[" + std::to_string(back) + "D";

  text_ = text;
  cursor_ = cursor;
  first_col_ = first_shown;
  width_ = width;
  full_ = first_shown == 0 && end_col == total;
  return out;
}

}  // namespace brock
