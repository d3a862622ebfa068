#include "ui/terminal.h"

#include <errno.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>

#include "base/secrets.h"

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
      : in_(in_fd), out_(out_fd), interrupted_(interrupted), styled_(styled) {}

  LineInput ReadLine(std::string_view prompt, bool echo) override {
    Write(prompt);
    termios saved{};
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
      if (interrupted_ && interrupted_->exchange(false)) {
        buffer_.clear();
        WriteAll(out_, "\n");
        return {LineInput::Kind::kInterrupt, {}};
      }
      pollfd p{in_, POLLIN, 0};
      int ready = ::poll(&p, 1, 100);
      if (ready <= 0) continue;  // timeout or EINTR: check the interrupt flag again
      char chunk[4096];
      ssize_t n = ::read(in_, chunk, sizeof chunk);
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        n = 0;  // the terminal is gone: treat as end of input
      }
      if (n == 0) {
        if (buffer_.empty()) return {LineInput::Kind::kEnd, {}};
        // Ctrl-D after some text: that text is the line.
        LineInput line{LineInput::Kind::kLine, std::move(buffer_)};
        buffer_.clear();
        return line;
      }
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  int in_, out_;
  std::atomic<bool>* interrupted_;
  bool styled_;
  std::string buffer_;
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
