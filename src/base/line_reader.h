// LineReader: reads newline-terminated lines from a file descriptor (stdin in print mode's
// `--input-format stream-json`) on a thread of its own, so the main thread can run a turn while
// the input is watched. The thread waits with poll() on the descriptor and on a wake pipe, so
// Stop() never blocks on a read; the end of the input (EOF, hang-up or a read error) is reported
// the moment it happens, through a callback, which is how a closed stdin interrupts a turn.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace brock {

class LineReader {
 public:
  // Starts reading `fd` (not owned, not closed). `on_end` runs once on the reader thread when
  // the input ends, with the reader's lock held (it may call nothing on this LineReader; it
  // gets whether lines are still waiting to be taken with Next()). It may be empty.
  LineReader(int fd, std::function<void(bool lines_waiting)> on_end);
  // Stops and joins the thread.
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Blocks until a line is available and returns it without its '\n' (a trailing "\r" is
  // kept; a last line without '\n' is returned too), or returns nullopt once the input ended
  // and every line was taken.
  std::optional<std::string> Next();
  // Like Next, but also runs `taken` with the lock held when a line is returned (so a caller
  // can mark "a turn is running" atomically with respect to on_end), and stops waiting
  // (nullopt) within ~50 ms of `*stop` becoming true (e.g. an interrupt flag set by a signal
  // handler, which cannot wake a condition variable); a line already waiting is still returned.
  // Either may be null.
  std::optional<std::string> Next(const std::function<void()>& taken,
                                  const std::atomic<bool>* stop = nullptr);
  // True once the input ended (lines may still be waiting).
  bool ended();
  // Stops reading (idempotent); Next then returns the lines already read, then nullopt.
  void Stop();

 private:
  void Loop();

  int fd_;
  int wake_[2] = {-1, -1};
  std::function<void(bool)> on_end_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> lines_;
  bool ended_ = false;
  std::thread thread_;
};

}  // namespace brock
