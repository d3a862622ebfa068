#include "base/line_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace brock {
namespace {

struct Pipe {
  int fds[2];
  Pipe() { EXPECT_EQ(pipe(fds), 0); }
  ~Pipe() {
    CloseWrite();
    close(fds[0]);
  }
  void Write(const std::string& s) {
    ASSERT_EQ(write(fds[1], s.data(), s.size()), (ssize_t)s.size());
  }
  void CloseWrite() {
    if (fds[1] >= 0) close(fds[1]);
    fds[1] = -1;
  }
};

TEST(LineReaderTest, SplitsLinesAcrossWritesAndReturnsTheUnterminatedLastOne) {
  Pipe p;
  LineReader reader(p.fds[0], nullptr);
  p.Write("first\nsec");
  EXPECT_EQ(reader.Next(), "first");
  p.Write("ond\r\n\nlast");
  EXPECT_EQ(reader.Next(), "second\r");
  EXPECT_EQ(reader.Next(), "");
  p.CloseWrite();
  EXPECT_EQ(reader.Next(), "last");
  EXPECT_EQ(reader.Next(), std::nullopt);
  EXPECT_TRUE(reader.ended());
}

TEST(LineReaderTest, ReportsTheEndAsSoonAsTheWriterCloses) {
  Pipe p;
  std::atomic<int> ends{0};
  std::atomic<bool> waiting{true};
  LineReader reader(p.fds[0], [&](bool lines_waiting) {
    ++ends;
    waiting = lines_waiting;
  });
  p.Write("a\n");
  EXPECT_EQ(reader.Next(), "a");
  EXPECT_FALSE(reader.ended());
  p.CloseWrite();
  for (int i = 0; i < 200 && ends == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(ends, 1);
  EXPECT_FALSE(waiting) << "every line had been taken";
  EXPECT_EQ(reader.Next(), std::nullopt);
}

TEST(LineReaderTest, EndWithLinesWaitingSaysSo) {
  Pipe p;
  std::atomic<int> ends{0};
  std::atomic<bool> waiting{false};
  LineReader reader(p.fds[0], [&](bool lines_waiting) {
    waiting = lines_waiting;
    ++ends;
  });
  p.Write("x\ny\n");
  p.CloseWrite();
  for (int i = 0; i < 200 && ends == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(ends, 1);
  EXPECT_TRUE(waiting);
  int taken = 0;
  EXPECT_EQ(reader.Next([&] { ++taken; }), "x");
  EXPECT_EQ(reader.Next([&] { ++taken; }), "y");
  EXPECT_EQ(reader.Next([&] { ++taken; }), std::nullopt);
  EXPECT_EQ(taken, 2);
}

TEST(LineReaderTest, StopDoesNotWaitForAnOpenInput) {
  Pipe p;
  bool ended_called = false;
  auto start = std::chrono::steady_clock::now();
  {
    LineReader reader(p.fds[0], [&](bool) { ended_called = true; });
    p.Write("pending\n");
    EXPECT_EQ(reader.Next(), "pending");
  }  // the writer is still open: the destructor must not block on read()
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_FALSE(ended_called) << "stopping is not the input ending";
}

TEST(LineReaderTest, NextGivesUpWhenTheStopFlagIsSet) {
  Pipe p;
  LineReader reader(p.fds[0], nullptr);
  std::atomic<bool> stop{false};
  std::thread setter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop = true;
  });
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(reader.Next(nullptr, &stop), std::nullopt);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  setter.join();
  EXPECT_FALSE(reader.ended()) << "the input is still open";
}

}  // namespace
}  // namespace brock
