#include "mcp/stdio_transport.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>

#include "base/error_codes.h"

namespace brock {

namespace {

constexpr size_t kStderrTailBytes = 4096;
// A line longer than this from a server is refused (and the connection ended).
constexpr size_t kMaxLineBytes = size_t{64} << 20;

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

std::string SignalName(int sig) {
  const char* name = strsignal(sig);
  return name ? std::string(name) : "signal " + std::to_string(sig);
}

// Waits until `fd` is readable; false when the transport is closing and the child is gone, so a
// grandchild that kept the pipe open (a daemon in its own session) cannot hold Close forever.
bool WaitReadable(int fd, const std::atomic<bool>& closing, const std::function<bool()>& gone) {
  for (;;) {
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, 100);
    if (r > 0) return true;
    if (r < 0 && errno != EINTR) return true;  // let read() report it
    if (closing.load() && gone()) return false;
  }
}

}  // namespace

StdioTransport::StdioTransport(StdioServerSpec spec) : spec_(std::move(spec)) {}

StdioTransport::~StdioTransport() { Close(); }

Status StdioTransport::Start(MessageHandler on_message, CloseHandler on_close) {
  on_message_ = std::move(on_message);
  on_close_ = std::move(on_close);
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0) return MakeError(errc::kMcpStart, "pipe failed");
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    return MakeError(errc::kMcpStart, "pipe failed");
  }
  if (pipe2(err, O_CLOEXEC) != 0) {
    for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
    return MakeError(errc::kMcpStart, "pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  if (!spec_.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, spec_.cwd.c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  std::vector<std::string> argv_s{spec_.command};
  argv_s.insert(argv_s.end(), spec_.args.begin(), spec_.args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s;
  for (const auto& [k, v] : spec_.env) env_s.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  // posix_spawnp searches PATH of the calling process; use the child's PATH when it has one.
  std::string program = spec_.command;
  if (program.find('/') == std::string::npos) {
    auto path = spec_.env.find("PATH");
    std::string dirs = path != spec_.env.end() ? path->second : "/usr/local/bin:/usr/bin:/bin";
    size_t start = 0;
    while (start <= dirs.size()) {
      size_t end = dirs.find(':', start);
      if (end == std::string::npos) end = dirs.size();
      std::string dir = dirs.substr(start, end - start);
      if (dir.empty()) dir = ".";
      std::string candidate = dir + "/" + program;
      if (access(candidate.c_str(), X_OK) == 0) {
        program = candidate;
        break;
      }
      start = end + 1;
    }
  }
  pid_t pid = 0;
  int rc = posix_spawn(&pid, program.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    close(err[0]);
    return MakeError(
        errc::kMcpStart, "could not start '" + spec_.command + "': " + std::strerror(rc),
        "check that '" + spec_.command + "' is installed and on PATH (or give its absolute path)");
  }
  pid_ = pid;
  stdin_fd_ = in[1];
  int out_fd = out[0], err_fd = err[0];
  stdout_thread_ = std::thread([this, out_fd] { ReadStdout(out_fd); });
  stderr_thread_ = std::thread([this, err_fd] { ReadStderr(err_fd); });
  return {};
}

bool StdioTransport::Reap(bool block) {
  std::lock_guard<std::mutex> lock(reap_mu_);
  if (reaped_ || pid_ <= 0) return true;
  int status = 0;
  pid_t r = waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (r == pid_) {
    reaped_ = true;
    exit_status_ = status;
    return true;
  }
  return false;
}

void StdioTransport::ReadStdout(int fd) {
  std::string buffer;
  char chunk[65536];
  auto gone = [this] {
    std::lock_guard<std::mutex> lock(reap_mu_);
    return reaped_;
  };
  for (;;) {
    if (!WaitReadable(fd, closing_, gone)) break;
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    buffer.append(chunk, static_cast<size_t>(n));
    size_t start = 0;
    for (;;) {
      size_t nl = buffer.find('\n', start);
      if (nl == std::string::npos) break;
      std::string_view line(buffer.data() + start, nl - start);
      start = nl + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
      Json message = ParseJsonOrDiscarded(line);
      // Lines that are not JSON (a server logging to stdout by mistake) are skipped.
      if (!message.is_discarded() && message.is_object() && !closing_.load()) {
        on_message_(std::move(message));
      }
    }
    buffer.erase(0, start);
    if (buffer.size() > kMaxLineBytes) break;
  }
  close(fd);
  if (closing_.load()) return;
  // The server ended its stdout: it exited or is about to. Give it a moment to be reaped.
  for (int i = 0; i < 20 && !Reap(false); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::string reason;
  {
    std::lock_guard<std::mutex> lock(reap_mu_);
    if (!reaped_) {
      reason = "the server closed its output";
    } else if (WIFEXITED(exit_status_)) {
      reason = "the server exited with status " + std::to_string(WEXITSTATUS(exit_status_));
    } else if (WIFSIGNALED(exit_status_)) {
      reason = "the server was killed by " + SignalName(WTERMSIG(exit_status_));
    } else {
      reason = "the server exited";
    }
  }
  if (!closing_.load() && on_close_) on_close_(reason);
}

void StdioTransport::ReadStderr(int fd) {
  char chunk[4096];
  auto gone = [this] {
    std::lock_guard<std::mutex> lock(reap_mu_);
    return reaped_;
  };
  for (;;) {
    if (!WaitReadable(fd, closing_, gone)) break;
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::lock_guard<std::mutex> lock(stderr_mu_);
    stderr_tail_.append(chunk, static_cast<size_t>(n));
    if (stderr_tail_.size() > 2 * kStderrTailBytes) {
      stderr_tail_.erase(0, stderr_tail_.size() - kStderrTailBytes);
    }
  }
  close(fd);
}

Status StdioTransport::Send(const Json& message) {
  std::string line = message.dump(-1, ' ', false, Json::error_handler_t::replace);
  line.push_back('\n');
  std::lock_guard<std::mutex> lock(write_mu_);
  if (stdin_fd_ < 0) {
    return MakeError(errc::kMcpClosed, "the MCP server '" + spec_.command + "' is not running");
  }
  // A server that exited leaves a pipe without a reader: SIGPIPE is blocked for this write (and
  // a SIGPIPE it raised discarded), so the write fails with EPIPE instead of ending brock.
  sigset_t pipe_set, old_mask, pending;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigemptyset(&pending);
  sigpending(&pending);
  const bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
  struct Restore {
    const sigset_t& set;
    const sigset_t& old;
    bool was_pending;
    ~Restore() {
      if (!was_pending) {
        struct timespec zero = {0, 0};
        while (sigtimedwait(&set, nullptr, &zero) == SIGPIPE) {
        }
      }
      pthread_sigmask(SIG_SETMASK, &old, nullptr);
    }
  } restore{pipe_set, old_mask, was_pending};
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = write(stdin_fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return MakeError(errc::kMcpClosed,
                       "the MCP server '" + spec_.command + "' stopped reading its input");
    }
    done += static_cast<size_t>(n);
  }
  return {};
}

void StdioTransport::Close() {
  if (closing_.exchange(true)) {
    if (stdout_thread_.joinable()) stdout_thread_.join();
    if (stderr_thread_.joinable()) stderr_thread_.join();
    return;
  }
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    CloseFd(stdin_fd_);
  }
  if (pid_ > 0) {
    // The specification's shutdown: close stdin, wait, SIGTERM, wait, SIGKILL. The whole process
    // group goes, so servers started through npx or a shell leave nothing behind.
    auto wait_for = [this](int ms) {
      for (int i = 0; i < ms / 10; ++i) {
        if (Reap(false)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      return Reap(false);
    };
    if (!wait_for(200)) {
      kill(-pid_, SIGTERM);
      if (!wait_for(1000)) {
        kill(-pid_, SIGKILL);
        Reap(true);
      }
    }
    kill(-pid_, SIGKILL);  // anything of the group still running
  }
  if (stdout_thread_.joinable()) stdout_thread_.join();
  if (stderr_thread_.joinable()) stderr_thread_.join();
}

std::string StdioTransport::Diagnostics() const {
  std::lock_guard<std::mutex> lock(stderr_mu_);
  if (stderr_tail_.size() <= kStderrTailBytes) return stderr_tail_;
  return stderr_tail_.substr(stderr_tail_.size() - kStderrTailBytes);
}

}  // namespace brock
