#include "ui/terminal.h"

#include <errno.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "base/secrets.h"
#include "ui/line_editor.h"

namespace brock {

namespace {

void WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // the terminal went away; nothing useful to do
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
}

class TtyTerminal : public Terminal {
 public:
  TtyTerminal(int in_fd, int out_fd, std::atomic<bool>* interrupted, bool styled)
      : in_(in_fd), out_(out_fd), interrupted_(interrupted), styled_(styled) {
    // A dumb terminal cannot move the cursor: it keeps the kernel's line editing.
    const char* term = std::getenv("TERM");
    editing_ = isatty(in_fd) && isatty(out_fd) && !(term && std::strcmp(term, "dumb") == 0);
  }

  LineInput ReadLine(std::string_view prompt, bool echo, bool remember) override {
    termios saved{};
    if (editing_ && tcgetattr(in_, &saved) == 0) {
      DrainTypedAhead(saved);
      termios raw = saved;
      raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG | IEXTEN);
      raw.c_iflag &= ~static_cast<tcflag_t>(ICRNL | INLCR | IGNCR | IXON);
      raw.c_cc[VMIN] = 1;
      raw.c_cc[VTIME] = 0;
      if (tcsetattr(in_, TCSANOW, &raw) == 0) {
        LineInput result = Edit(prompt, echo, remember);
        tcsetattr(in_, TCSANOW, &saved);  // Ctrl-C raises SIGINT again while a turn runs
        return result;
      }
    }
    Write(prompt);
    bool restore = false;
    if (!echo && tcgetattr(in_, &saved) == 0) {
      termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      restore = tcsetattr(in_, TCSAFLUSH, &quiet) == 0;
    }
    LineInput result = Read();
    if (restore) {
      tcsetattr(in_, TCSAFLUSH, &saved);
      WriteAll(out_, "\n");  // the Enter the user typed was not echoed
    }
    return result;
  }

  void Write(std::string_view text) override { WriteAll(out_, ScrubSecrets(text)); }
  bool styled() const override { return styled_; }
  int width() const override {
    winsize ws{};
    if (ioctl(out_, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
  }

 private:
  LineInput Read() {
    for (;;) {
      size_t nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        LineInput line{LineInput::Kind::kLine, buffer_.substr(0, nl)};
        buffer_.erase(0, nl + 1);
        return line;
      }
      Wait got = WaitForInput();
      if (got == Wait::kInterrupt) {
        WriteAll(out_, "\n");
        return {LineInput::Kind::kInterrupt, {}};
      }
      if (got == Wait::kClosed) {
        if (buffer_.empty()) return {LineInput::Kind::kEnd, {}};
        // Ctrl-D after some text: that text is the line.
        LineInput line{LineInput::Kind::kLine, std::move(buffer_)};
        buffer_.clear();
        return line;
      }
    }
  }

  // Waits up to 100 ms for input and appends what arrives to buffer_. kInterrupt (the buffer is
  // dropped) when the SIGINT flag was set, kClosed at the end of the input.
  enum class Wait { kMore, kInterrupt, kClosed };
  Wait WaitForInput() {
    if (interrupted_ && interrupted_->exchange(false)) {
      buffer_.clear();
      return Wait::kInterrupt;
    }
    pollfd p{in_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) return Wait::kMore;  // timeout or EINTR: look at the flag again
    char chunk[4096];
    ssize_t n = ::read(in_, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return Wait::kMore;
    if (n <= 0) return Wait::kClosed;  // EOF, or the terminal is gone
    buffer_.append(chunk, static_cast<size_t>(n));
    return Wait::kMore;
  }

  // Lines typed while a turn ran wait in the kernel's canonical buffer; a Ctrl-D among them is
  // an end-of-file mark that raw mode would not show. Read the complete ones now, as they are,
  // turning an end-of-file into the Ctrl-D byte it was typed as.
  void DrainTypedAhead(const termios& mode) {
    if (!(mode.c_lflag & ICANON)) return;
    for (;;) {
      pollfd p{in_, POLLIN, 0};
      if (::poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN)) return;
      char chunk[4096];
      ssize_t n = ::read(in_, chunk, sizeof chunk);
      if (n < 0) return;
      if (n == 0) {
        buffer_ += '\x04';
        return;
      }
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  // Raw mode: the line editor reads and draws the line.
  LineInput Edit(std::string_view prompt, bool echo, bool remember) {
    Write(prompt);
    std::string_view row =
        prompt.substr(prompt.rfind('\n') == std::string_view::npos ? 0 : prompt.rfind('\n') + 1);
    if (echo && DisplayWidth(row) + 10 > width()) {
      WriteAll(out_, "\r\n");  // no room after the prompt: edit on the next row
      row = {};
    }
    editor_.Begin(echo && remember);
    view_.Begin(ScrubSecrets(row));
    for (;;) {
      if (!buffer_.empty()) {
        buffer_.erase(0, editor_.Feed(buffer_));
        if (echo) WriteAll(out_, view_.Update(editor_.buffer(), editor_.cursor(), width()));
      }
      switch (editor_.status()) {
        case LineEditor::Status::kEditing:
          break;
        case LineEditor::Status::kLine:
          if (echo)
            WriteAll(out_, view_.Update(editor_.buffer(), editor_.buffer().size(), width()));
          WriteAll(out_, "\r\n");
          return {LineInput::Kind::kLine, editor_.buffer()};
        case LineEditor::Status::kInterrupt:
          WriteAll(out_, "\r\n");
          return {LineInput::Kind::kInterrupt, {}};
        case LineEditor::Status::kEnd:
          if (!echo) WriteAll(out_, "\r\n");
          return {LineInput::Kind::kEnd, {}};
      }
      Wait got = WaitForInput();
      if (got != Wait::kMore) {
        WriteAll(out_, "\r\n");
        return {got == Wait::kInterrupt ? LineInput::Kind::kInterrupt : LineInput::Kind::kEnd, {}};
      }
    }
  }

  int in_, out_;
  std::atomic<bool>* interrupted_;
  bool styled_;
  bool editing_;
  std::string buffer_;  // read and not yet used (typed ahead, or the rest of a paste)
  LineEditor editor_;   // keeps the session's history
  LineView view_;
};

}  // namespace

std::unique_ptr<Terminal> MakeTtyTerminal(int in_fd, int out_fd, std::atomic<bool>* interrupted,
                                          bool styled) {
  return std::make_unique<TtyTerminal>(in_fd, out_fd, interrupted, styled);
}

bool WantsStyle(int out_fd, const char* no_color, const char* term) {
  if (!isatty(out_fd)) return false;
  if (no_color && *no_color) return false;
  if (term && std::strcmp(term, "dumb") == 0) return false;
  return true;
}

}  // namespace brock
