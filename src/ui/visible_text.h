// Showing untrusted text (a command the model wants to run, a path, a reason quoting them) on the
// terminal without letting it act on the terminal: control characters are made visible, and long
// lines are folded, never cut, so nothing can hide.
//
// The notation is bash's $'...' (ANSI-C quoting), which users can read and paste:
//   ESC -> \e    BEL -> \a   BS -> \b   TAB -> \t   CR -> \r   VT -> \v   FF -> \f
//   other C0 bytes and DEL -> \xHH     bytes that are not UTF-8 -> \xHH
//   C1 controls U+0080..U+009F, and the invisible bidirectional and zero-width formatting
//   characters (U+200B..U+200F, U+202A..U+202E, U+2066..U+2069, U+FEFF) -> \uHHHH
// A literal backslash stays as it is, so the two characters `\e` and an escape byte look the
// same in plain output; styled output shows every escape in reverse video, which tells them
// apart. A newline is kept as a line break, or shown as \n when `keep_newlines` is false.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace brock {

// One displayed piece: a single character, or the escape standing for an invisible one.
struct VisiblePiece {
  std::string text;      // what to print ("a", "é", "\\e", "\\x00"); "\n" for a kept newline
  bool escaped = false;  // true when `text` stands for a control or formatting character
};

// `text` as pieces, in order.
std::vector<VisiblePiece> ToVisiblePieces(std::string_view text, bool keep_newlines);

// `text` with every control and formatting character escaped (plain, no styling).
std::string VisibleText(std::string_view text, bool keep_newlines = false);

// `text` made visible and split into rows of at most `width` columns (one per character or
// escape; at least 1). Kept newlines end a row; a row that continues a folded line has
// `continued` set. Nothing is dropped: joining the rows gives back the whole text. With
// `styled`, escapes are wrapped in reverse video.
struct FoldedRow {
  std::string text;
  bool continued = false;
};
std::vector<FoldedRow> FoldVisible(std::string_view text, size_t width, bool styled);

}  // namespace brock
