#include "pty_session.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

#include <gtest/gtest.h>

namespace brock::e2e {

std::string StripAnsi(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\x1b') {
      if (text[i] != '\r') out += text[i];
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '[') {
      size_t j = i + 2;
      while (j < text.size() && !(text[j] >= '@' && text[j] <= '~')) ++j;
      i = j;
    } else {
      ++i;
    }
  }
  return out;
}

void PtySession::Start(const std::vector<std::string>& argv,
                       const std::map<std::string, std::string>& env, const std::string& cwd) {
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> cargv, cenv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  for (auto& e : env_strings) cenv.push_back(e.data());
  cenv.push_back(nullptr);

  winsize ws{};
  ws.ws_row = 30;
  ws.ws_col = 100;
  pid_ = forkpty(&master_, nullptr, nullptr, &ws);
  ASSERT_GE(pid_, 0) << "forkpty: " << std::strerror(errno);
  if (pid_ == 0) {
    if (chdir(cwd.c_str()) != 0) _exit(126);
    execve(cargv[0], cargv.data(), cenv.data());
    _exit(127);
  }
  fcntl(master_, F_SETFL, fcntl(master_, F_GETFL) | O_NONBLOCK);
}

PtySession::~PtySession() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (master_ >= 0) close(master_);
}

bool PtySession::Pump(int timeout_ms) {
  if (ended_) return false;
  pollfd p{master_, POLLIN, 0};
  int ready = poll(&p, 1, timeout_ms);
  if (ready <= 0) return true;
  char buf[4096];
  ssize_t n = read(master_, buf, sizeof buf);
  if (n > 0) {
    raw_.append(buf, static_cast<size_t>(n));
    return true;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
  ended_ = true;  // EIO: the last holder of the terminal closed it
  return false;
}

std::string PtySession::Output() { return StripAnsi(raw_); }

bool PtySession::Expect(const std::string& needle, int timeout_seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  for (;;) {
    std::string out = Output();
    size_t at = out.find(needle, consumed_);
    if (at != std::string::npos) {
      consumed_ = at + needle.size();
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline || !Pump(100)) {
      // One last look: the end may have brought the text.
      out = Output();
      at = out.find(needle, consumed_);
      if (at != std::string::npos) {
        consumed_ = at + needle.size();
        return true;
      }
      ADD_FAILURE() << "did not see \"" << needle
                    << "\" in the terminal; after the last match it shows:\n"
                    << out.substr(consumed_);
      return false;
    }
  }
}

void PtySession::Send(const std::string& bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = write(master_, bytes.data() + off, bytes.size() - off);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      ADD_FAILURE() << "writing to the terminal: " << std::strerror(errno);
      return;
    }
    off += static_cast<size_t>(n);
  }
}

void PtySession::SendLine(const std::string& text) { Send(text + "\r"); }
void PtySession::SendInterrupt() { Send("\x03"); }
void PtySession::SendEof() { Send("\x04"); }
void PtySession::Signal(int sig) {
  if (pid_ > 0) kill(pid_, sig);
}

int PtySession::Wait(int timeout_seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  for (;;) {
    Pump(50);  // keep draining so the program never blocks on a full terminal
    int status = 0;
    pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      while (Pump(20)) {
        if (ended_) break;
        pollfd p{master_, POLLIN, 0};
        if (poll(&p, 1, 0) <= 0) break;
      }
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
      return -1;
    }
  }
}

}  // namespace brock::e2e
