#include "base/line_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>

namespace brock {

LineReader::LineReader(int fd, std::function<void(bool)> on_end)
    : fd_(fd), on_end_(std::move(on_end)) {
  if (pipe2(wake_, O_CLOEXEC) != 0) wake_[0] = wake_[1] = -1;
  thread_ = std::thread([this] { Loop(); });
}

LineReader::~LineReader() {
  Stop();
  if (thread_.joinable()) thread_.join();
  if (wake_[0] >= 0) close(wake_[0]);
  if (wake_[1] >= 0) close(wake_[1]);
}

void LineReader::Stop() {
  if (wake_[1] >= 0) {
    char c = 1;
    ssize_t n = write(wake_[1], &c, 1);
    (void)n;
  }
}

void LineReader::Loop() {
  std::string partial;
  char buf[65536];
  bool stopped = false;
  for (;;) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    int n = poll(fds, wake_[0] >= 0 ? 2 : 1, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (wake_[0] >= 0 && (fds[1].revents & POLLIN)) {
      stopped = true;
      break;
    }
    if (fds[0].revents == 0) continue;
    ssize_t got = read(fd_, buf, sizeof buf);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got <= 0) break;  // EOF, or an error: the input is over either way
    partial.append(buf, static_cast<size_t>(got));
    size_t start = 0;
    std::deque<std::string> complete;
    for (size_t nl; (nl = partial.find('\n', start)) != std::string::npos; start = nl + 1) {
      complete.push_back(partial.substr(start, nl - start));
    }
    partial.erase(0, start);
    if (!complete.empty()) {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& l : complete) lines_.push_back(std::move(l));
      cv_.notify_all();
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (!partial.empty() && !stopped) lines_.push_back(std::move(partial));
  ended_ = true;
  if (on_end_ && !stopped) on_end_(!lines_.empty());
  cv_.notify_all();
}

std::optional<std::string> LineReader::Next() { return Next(nullptr); }

std::optional<std::string> LineReader::Next(const std::function<void()>& taken,
                                            const std::atomic<bool>* stop) {
  std::unique_lock<std::mutex> lock(mu_);
  auto ready = [this] { return !lines_.empty() || ended_; };
  if (stop == nullptr) {
    cv_.wait(lock, ready);
  } else {
    while (!ready() && !stop->load()) cv_.wait_for(lock, std::chrono::milliseconds(50), ready);
  }
  if (lines_.empty()) return std::nullopt;  // ended, or stopped while nothing was waiting
  std::string line = std::move(lines_.front());
  lines_.pop_front();
  if (taken) taken();
  return line;
}

bool LineReader::ended() {
  std::lock_guard<std::mutex> lock(mu_);
  return ended_;
}

}  // namespace brock
