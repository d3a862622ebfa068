// Terminal: the interactive session's window on the user's terminal. Reads lines (with a line
// editor on a real terminal: cursor keys, history, see line_editor.h), reads a code without
// echo, and writes text. The
// interactive loop and its prompts talk only to this interface, so tests can script a user.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

namespace brock {

struct LineInput {
  enum class Kind { kLine, kEnd, kInterrupt } kind = Kind::kLine;
  std::string text;  // kLine: the line, without its newline
};

class Terminal {
 public:
  virtual ~Terminal() = default;
  // Shows `prompt`, then reads one line. kEnd at end of input (Ctrl-D on an empty line, or the
  // terminal closed); kInterrupt when Ctrl-C was pressed while waiting. `echo` false hides what
  // is typed (codes, passwords). `remember` false keeps the line out of the Up/Down history
  // (answers to questions, MFA codes); hidden lines are never remembered.
  virtual LineInput ReadLine(std::string_view prompt, bool echo = true, bool remember = true) = 0;
  // Writes `text` as is (no newline added). Secrets registered with RegisterSecret are scrubbed.
  virtual void Write(std::string_view text) = 0;
  // True when ANSI colours and styles may be used (a terminal, NO_COLOR unset, TERM not "dumb").
  virtual bool styled() const = 0;
  // Columns, for wrapping and truncating one-line summaries (80 when unknown).
  virtual int width() const = 0;
};

// The process's terminal: reads `in_fd`, writes `out_fd`. `interrupted` is the flag the SIGINT
// handler sets: a read waiting for input returns kInterrupt (and clears it) when it becomes true.
// `styled` is decided by the caller (see WantsStyle).
// When both fds are terminals and TERM is not "dumb", ReadLine puts the terminal in raw mode for
// the duration of the call only (the saved settings are restored before it returns, so Ctrl-C
// raises SIGINT while a turn runs) and edits the line with LineEditor: Ctrl-C typed at the
// prompt is kInterrupt, Up/Down recall earlier lines of this session (not hidden ones), and bytes
// after an Enter (a multi-line paste, typing ahead) are kept for the next ReadLine. Otherwise
// (pipes, a dumb terminal) lines are read as the kernel delivers them.
std::unique_ptr<Terminal> MakeTtyTerminal(int in_fd, int out_fd, std::atomic<bool>* interrupted,
                                          bool styled);

// ANSI styling is wanted: `out_fd` is a terminal, NO_COLOR is unset or empty, TERM is not "dumb".
bool WantsStyle(int out_fd, const char* no_color, const char* term);

}  // namespace brock
