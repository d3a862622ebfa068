// The process terminal on a real pseudo-terminal and on a pipe: raw mode only inside ReadLine,
// the line editor's keys, Ctrl-C, hidden input, and plain reading without a terminal.
#include "ui/terminal.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace brock {
namespace {

class PtyTerminalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TERM", "xterm-256color", 1);
    winsize ws{};
    ws.ws_col = 80;
    ws.ws_row = 24;
    if (openpty(&master_, &slave_, nullptr, nullptr, &ws) != 0) {
      GTEST_SKIP() << "no pseudo-terminal available (openpty failed): cannot test raw mode";
    }
    ASSERT_EQ(tcgetattr(slave_, &before_), 0);
    term_ = MakeTtyTerminal(slave_, slave_, &interrupted_, false);
  }
  void TearDown() override {
    if (typist_.joinable()) typist_.join();
    if (master_ >= 0) close(master_);
    if (slave_ >= 0) close(slave_);
  }
  // Types `bytes` once ReadLine has put the terminal in raw mode, from another thread.
  void TypeWhenRaw(std::string bytes) {
    if (typist_.joinable()) typist_.join();
    typist_ = std::thread([this, bytes] {
      for (int i = 0; i < 500; ++i) {
        termios now{};
        if (tcgetattr(slave_, &now) == 0 && !(now.c_lflag & ICANON)) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      ASSERT_EQ(write(master_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    });
  }
  // What the terminal showed so far.
  std::string Screen() {
    std::string out;
    char buf[4096];
    for (;;) {
      pollfd p{master_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) break;
      ssize_t n = read(master_, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
  void ExpectRestored() {
    termios after{};
    ASSERT_EQ(tcgetattr(slave_, &after), 0);
    EXPECT_EQ(after.c_lflag, before_.c_lflag) << "ICANON, ECHO and ISIG are back after ReadLine";
    EXPECT_EQ(after.c_iflag, before_.c_iflag);
  }

  int master_ = -1, slave_ = -1;
  termios before_{};
  std::atomic<bool> interrupted_{false};
  std::unique_ptr<Terminal> term_;
  std::thread typist_;
};

TEST_F(PtyTerminalTest, EditsInRawModeAndRestoresTheTerminal) {
  TypeWhenRaw("ab\x1b[Dc\r");
  LineInput in = term_->ReadLine("> ");
  EXPECT_EQ(in.kind, LineInput::Kind::kLine);
  EXPECT_EQ(in.text, "acb");
  ExpectRestored();
  std::string shown = Screen();
  EXPECT_NE(shown.find("> "), std::string::npos);
  EXPECT_NE(shown.find("\r> acb\x1b[K"), std::string::npos) << shown;
}

TEST_F(PtyTerminalTest, CtrlCIsAnInterruptAndUpRecalls) {
  TypeWhenRaw("first\r");
  EXPECT_EQ(term_->ReadLine("> ").text, "first");
  TypeWhenRaw("half\x03");
  EXPECT_EQ(term_->ReadLine("> ").kind, LineInput::Kind::kInterrupt);
  ExpectRestored();
  TypeWhenRaw("\x1b[A!\r");
  EXPECT_EQ(term_->ReadLine("> ").text, "first!");
  TypeWhenRaw("\x04");
  EXPECT_EQ(term_->ReadLine("> ").kind, LineInput::Kind::kEnd);
}

TEST_F(PtyTerminalTest, AnswersToQuestionsAreNotRecalled) {
  TypeWhenRaw("message\r");
  EXPECT_EQ(term_->ReadLine("> ").text, "message");
  TypeWhenRaw("y\r");
  EXPECT_EQ(term_->ReadLine("Allow? ", true, /*remember=*/false).text, "y");
  TypeWhenRaw("\x1b[A\r");
  EXPECT_EQ(term_->ReadLine("> ").text, "message") << "Up skips the answer";
}

TEST_F(PtyTerminalTest, APasteOfTwoLinesIsTwoReads) {
  TypeWhenRaw("one\rtwo\r");
  EXPECT_EQ(term_->ReadLine("> ").text, "one");
  EXPECT_EQ(term_->ReadLine("  ").text, "two") << "the rest of the paste was kept";
}

TEST_F(PtyTerminalTest, HiddenInputIsNotShownNorRemembered) {
  TypeWhenRaw("123456\r");
  EXPECT_EQ(term_->ReadLine("code: ", false).text, "123456");
  EXPECT_EQ(Screen().find("123456"), std::string::npos);
  TypeWhenRaw("\x1b[A\r");
  EXPECT_EQ(term_->ReadLine("> ").text, "") << "a hidden line is not in the history";
}

TEST_F(PtyTerminalTest, TheInterruptFlagEndsAWaitingRead) {
  std::thread later([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    interrupted_.store(true);
  });
  LineInput in = term_->ReadLine("> ");
  later.join();
  EXPECT_EQ(in.kind, LineInput::Kind::kInterrupt);
  EXPECT_FALSE(interrupted_.load()) << "the flag is cleared";
  ExpectRestored();
}

TEST_F(PtyTerminalTest, LinesTypedAheadDuringATurnAreRead) {
  // Typed while the terminal was in its normal mode (a turn running): a line, then Ctrl-D.
  ASSERT_EQ(write(master_, "ahead\r\x04", 7), 7);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(term_->ReadLine("> ").text, "ahead");
  EXPECT_EQ(term_->ReadLine("> ").kind, LineInput::Kind::kEnd);
}

TEST(PipeTerminalTest, WithoutATerminalLinesAreReadAsTheyCome) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(write(fds[1], "one\x1b[D\ntwo", 10), 10);
  close(fds[1]);
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  auto term = MakeTtyTerminal(fds[0], out[1], nullptr, false);
  EXPECT_EQ(term->ReadLine("> ").text, "one\x1b[D") << "no editing keys on a pipe";
  EXPECT_EQ(term->ReadLine("> ").text, "two");
  EXPECT_EQ(term->ReadLine("> ").kind, LineInput::Kind::kEnd);
  close(fds[0]);
  close(out[0]);
  close(out[1]);
}

}  // namespace
}  // namespace brock
