// RealProcessRunner: fork/exec with the child in its own process group, stdin fed from a pipe,
// stdout/stderr captured through pipes with poll(), and the whole group killed on timeout or
// cancel (SIGTERM, then SIGKILL after a grace period).
//
// Notes on behaviour callers may rely on:
//  - max_output_bytes == 0 means "no limit". Beyond the limit the head and the tail of the
//    stream are kept (half each) and the middle is replaced by a line
//    "... [N bytes truncated] ...".
//  - When the direct child exits normally while a background grandchild still holds the output
//    pipes open (`server &`), Run drains what is already buffered and returns; the grandchild is
//    left running (it was started on purpose). Only timeout and cancel kill the group.
//  - The child gets default signal dispositions and an empty signal mask, and no inherited file
//    descriptors beyond 0, 1 and 2.
#include "base/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace brock {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kTick = std::chrono::milliseconds(50);        // cancel / exit polling period
constexpr auto kKillGrace = std::chrono::milliseconds(2000);  // SIGTERM -> SIGKILL
constexpr auto kDrainAfterExit = std::chrono::milliseconds(100);

// Keeps the first and the last max/2 bytes of a stream.
class OutputCapture {
 public:
  explicit OutputCapture(size_t max_bytes)
      : unlimited_(max_bytes == 0),
        head_cap_(max_bytes / 2),
        tail_cap_(max_bytes - max_bytes / 2) {}

  void Append(std::string_view chunk) {
    total_ += chunk.size();
    if (unlimited_) {
      head_.append(chunk);
      return;
    }
    if (head_.size() < head_cap_) {
      size_t n = std::min(chunk.size(), head_cap_ - head_.size());
      head_.append(chunk.substr(0, n));
      chunk.remove_prefix(n);
    }
    if (chunk.empty()) return;
    tail_.append(chunk);
    // Trim lazily so that appending stays amortised O(1).
    if (tail_.size() > 2 * tail_cap_ + 65536) tail_.erase(0, tail_.size() - tail_cap_);
  }

  std::string Take() {
    if (unlimited_ || total_ <= head_cap_ + tail_cap_) return head_ + tail_;
    if (tail_.size() > tail_cap_) tail_.erase(0, tail_.size() - tail_cap_);
    size_t dropped = total_ - head_.size() - tail_.size();
    std::string out = std::move(head_);
    if (!out.empty() && out.back() != '\n') out += '\n';
    out += "... [" + std::to_string(dropped) + " bytes truncated] ...\n";
    out += tail_;
    return out;
  }

 private:
  bool unlimited_;
  size_t head_cap_;
  size_t tail_cap_;
  size_t total_ = 0;
  std::string head_;
  std::string tail_;
};

void CloseFd(int& fd) {
  if (fd >= 0) {
    while (close(fd) != 0 && errno == EINTR) {
    }
    fd = -1;
  }
}

struct Pipe {
  int read = -1;
  int write = -1;
  ~Pipe() {
    CloseFd(read);
    CloseFd(write);
  }
};

bool MakePipe(Pipe& p) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return false;
  p.read = fds[0];
  p.write = fds[1];
  return true;
}

// What the child reports through the exec-status pipe when it fails before exec.
struct ChildFailure {
  int stage;  // 1: chdir, 2: exec, 3: dup2/open
  int err;
};

// Async-signal-safe write of the whole buffer.
void WriteAll(int fd, const void* data, size_t len) {
  const char* p = static_cast<const char*>(data);
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    p += n;
    len -= static_cast<size_t>(n);
  }
}

// Closes (or marks close-on-exec) every descriptor >= 3 except `keep`. Async-signal-safe.
void CloseOtherFds(int keep) {
#ifdef SYS_close_range
  // CLOSE_RANGE_CLOEXEC (1 << 2): keep them open until exec so `keep` still works.
  if (syscall(SYS_close_range, 3u, ~0u, 1u << 2) == 0) return;
  bool ok = true;
  if (keep > 3 && syscall(SYS_close_range, 3u, static_cast<unsigned>(keep - 1), 0u) != 0) ok = false;
  if (ok && syscall(SYS_close_range, static_cast<unsigned>(keep + 1), ~0u, 0u) == 0) return;
#endif
  struct rlimit rl;
  long max_fd = 4096;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
    max_fd = static_cast<long>(rl.rlim_cur);
  }
  if (max_fd > 65536) max_fd = 65536;
  for (long fd = 3; fd < max_fd; ++fd) {
    if (fd != keep) close(static_cast<int>(fd));
  }
}

// dup2 that also works when `fd` already is `target` (then only close-on-exec is cleared).
bool MoveFd(int fd, int target) {
  if (fd == target) return fcntl(fd, F_SETFD, 0) == 0;
  return dup2(fd, target) >= 0;
}

// Runs in the child after fork: only async-signal-safe calls from here on.
[[noreturn]] void ChildExec(int stdin_fd, int stdout_fd, int stderr_fd, int status_fd,
                            const char* cwd, char* const* argv, char* const* envp) {
  setpgid(0, 0);
  // Default dispositions and an empty mask: ignored signals survive exec otherwise.
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    signal(sig, SIG_DFL);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);

  if (!MoveFd(stdin_fd, 0) || !MoveFd(stdout_fd, 1) || !MoveFd(stderr_fd, 2)) {
    ChildFailure f{3, errno};
    WriteAll(status_fd, &f, sizeof f);
    _exit(127);
  }
  CloseOtherFds(status_fd);
  if (cwd != nullptr && chdir(cwd) != 0) {
    ChildFailure f{1, errno};
    WriteAll(status_fd, &f, sizeof f);
    _exit(127);
  }
  execvpe(argv[0], argv, envp);
  ChildFailure f{2, errno};
  WriteAll(status_fd, &f, sizeof f);
  _exit(127);
}

// Blocks SIGPIPE for this thread while writing to the child's stdin, and discards a SIGPIPE this
// thread raised itself, so a child that stops reading does not kill brock.
class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock() {
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~ScopedSigpipeBlock() {
    if (!was_pending_) {
      sigset_t set;
      sigemptyset(&set);
      sigaddset(&set, SIGPIPE);
      struct timespec zero = {0, 0};
      while (sigtimedwait(&set, nullptr, &zero) == SIGPIPE) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  bool was_pending_ = false;
  sigset_t old_;
};

std::string ProgramName(const ProcessSpec& spec) {
  return spec.shell_command.empty() ? spec.argv[0] : std::string("/bin/sh");
}

class RealRunner final : public ProcessRunner {
 public:
  Result<ProcessResult> Run(const ProcessSpec& spec, const std::atomic<bool>* cancel) override;
};

// Builds "NAME=value" strings: the current environment with spec.env applied.
std::vector<std::string> BuildEnvironment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    std::string name(entry.substr(0, eq));
    if (extra.count(name) != 0) continue;
    out.emplace_back(entry);
  }
  for (const auto& [name, value] : extra) out.push_back(name + "=" + value);
  return out;
}

Result<ProcessResult> RealRunner::Run(const ProcessSpec& spec, const std::atomic<bool>* cancel) {
  if (spec.shell_command.empty() && (spec.argv.empty() || spec.argv[0].empty())) {
    return MakeError("process.start", "no program to run (empty command)",
                     "give the command to run");
  }
  const std::string program = ProgramName(spec);

  // Everything the child needs is prepared before fork: no allocation after it.
  std::vector<std::string> args;
  if (spec.shell_command.empty()) {
    args = spec.argv;
  } else {
    args = {"/bin/sh", "-c", spec.shell_command};
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings = BuildEnvironment(spec.env);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  auto start_error = [&](const std::string& what) {
    return MakeError("process.start", "could not start '" + program + "': " + what,
                     "check that '" + program + "' is installed and on PATH");
  };

  Pipe in_pipe, out_pipe, err_pipe, status_pipe;
  int devnull = -1;
  const bool feed_stdin = !spec.stdin_data.empty();
  if (!MakePipe(out_pipe) || !MakePipe(err_pipe) || !MakePipe(status_pipe) ||
      (feed_stdin && !MakePipe(in_pipe))) {
    return start_error(std::string("pipe: ") + std::strerror(errno));
  }
  if (!feed_stdin) {
    devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull < 0) return start_error(std::string("/dev/null: ") + std::strerror(errno));
  }

  ScopedSigpipeBlock sigpipe_block;
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    CloseFd(devnull);
    return start_error(std::string("fork: ") + std::strerror(e));
  }
  if (pid == 0) {
    ChildExec(feed_stdin ? in_pipe.read : devnull, out_pipe.write, err_pipe.write,
              status_pipe.write, spec.cwd.empty() ? nullptr : spec.cwd.c_str(), argv.data(),
              envp.data());
  }
  setpgid(pid, pid);  // also done in the child; whichever runs first wins the race
  CloseFd(devnull);
  CloseFd(in_pipe.read);
  CloseFd(out_pipe.write);
  CloseFd(err_pipe.write);
  CloseFd(status_pipe.write);

  // The status pipe closes on a successful exec, or carries the failure.
  ChildFailure failure{0, 0};
  ssize_t got;
  do {
    got = read(status_pipe.read, &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof failure)) {
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (failure.stage == 1) {
      return MakeError("process.start",
                       "could not start '" + program + "': working directory '" + spec.cwd +
                           "': " + std::strerror(failure.err),
                       "check that the directory exists and is accessible");
    }
    return start_error(std::strerror(failure.err));
  }

  if (feed_stdin) fcntl(in_pipe.write, F_SETFL, fcntl(in_pipe.write, F_GETFL) | O_NONBLOCK);

  ProcessResult result;
  OutputCapture out_capture(spec.max_output_bytes), err_capture(spec.max_output_bytes);
  size_t stdin_offset = 0;
  const auto start = Clock::now();
  bool exited = false;  // the child is a zombie (not reaped: keeps its pid and group reserved)
  Clock::time_point exited_at;
  bool killing = false;
  Clock::time_point term_sent_at;
  bool kill_sent = false;
  std::vector<char> buf(64 * 1024);
  auto backoff = std::chrono::milliseconds(1);

  auto start_kill = [&] {
    killing = true;
    term_sent_at = Clock::now();
    kill(-pid, SIGTERM);
  };

  while (true) {
    // Timeout and cancel.
    if (!killing && !exited) {
      if (spec.timeout.count() > 0 && Clock::now() - start >= spec.timeout) {
        result.timed_out = true;
        start_kill();
      } else if (cancel != nullptr && cancel->load()) {
        result.cancelled = true;
        start_kill();
      }
    }
    if (killing && !kill_sent && Clock::now() - term_sent_at >= kKillGrace) {
      kill(-pid, SIGKILL);
      kill_sent = true;
    }

    // Has the direct child exited? WNOWAIT keeps the zombie so its pid cannot be reused.
    if (!exited) {
      siginfo_t info;
      info.si_pid = 0;
      if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
          info.si_pid == pid) {
        exited = true;
        exited_at = Clock::now();
      }
    }

    pollfd fds[3];
    nfds_t n = 0;
    int out_idx = -1, err_idx = -1, in_idx = -1;
    if (out_pipe.read >= 0) {
      out_idx = static_cast<int>(n);
      fds[n++] = {out_pipe.read, POLLIN, 0};
    }
    if (err_pipe.read >= 0) {
      err_idx = static_cast<int>(n);
      fds[n++] = {err_pipe.read, POLLIN, 0};
    }
    if (in_pipe.write >= 0 && !exited) {
      in_idx = static_cast<int>(n);
      fds[n++] = {in_pipe.write, POLLOUT, 0};
    }

    if (exited) {
      // Once the child is gone, take what is already buffered; do not wait on grandchildren
      // that inherited the pipes, except briefly while the group is being killed.
      bool pipes_open = out_pipe.read >= 0 || err_pipe.read >= 0;
      auto waited = Clock::now() - exited_at;
      if (!pipes_open) break;
      if (!killing && waited >= kDrainAfterExit) break;
      if (killing && waited >= kDrainAfterExit) break;
    }

    int wait_ms;
    if (n == 0) {
      // Nothing to watch (outputs closed, stdin done): the child is still running; back off.
      wait_ms = static_cast<int>(backoff.count());
      backoff = std::min(backoff * 2, std::chrono::milliseconds(kTick));
    } else {
      wait_ms = static_cast<int>(kTick.count());
    }
    if (spec.timeout.count() > 0 && !killing) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          spec.timeout - (Clock::now() - start));
      wait_ms = std::max<int>(0, std::min<int>(wait_ms, static_cast<int>(left.count()) + 1));
    }
    int rc = poll(fds, n, wait_ms);
    if (rc < 0) {
      if (errno == EINTR) continue;
      break;  // should not happen; fall through to reaping
    }
    if (rc == 0) continue;

    auto read_stream = [&](int idx, Pipe& p, OutputCapture& capture, bool is_stderr) {
      if (idx < 0 || fds[idx].revents == 0) return;
      ssize_t r = read(p.read, buf.data(), buf.size());
      if (r > 0) {
        std::string_view chunk(buf.data(), static_cast<size_t>(r));
        if (spec.on_output) spec.on_output(chunk, is_stderr);
        capture.Append(chunk);
      } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
        CloseFd(p.read);
      }
    };
    read_stream(out_idx, out_pipe, out_capture, false);
    read_stream(err_idx, err_pipe, err_capture, true);

    if (in_idx >= 0 && fds[in_idx].revents != 0) {
      if (fds[in_idx].revents & (POLLERR | POLLHUP)) {
        CloseFd(in_pipe.write);
      } else {
        size_t left = spec.stdin_data.size() - stdin_offset;
        ssize_t w = write(in_pipe.write, spec.stdin_data.data() + stdin_offset,
                          std::min<size_t>(left, 64 * 1024));
        if (w > 0) {
          stdin_offset += static_cast<size_t>(w);
          if (stdin_offset == spec.stdin_data.size()) CloseFd(in_pipe.write);
        } else if (w < 0 && errno != EINTR && errno != EAGAIN) {
          CloseFd(in_pipe.write);  // EPIPE: the child stopped reading
        }
      }
    }
  }

  CloseFd(in_pipe.write);
  // After a timeout or cancel, nothing of the group may outlive Run: members that ignored
  // SIGTERM get SIGKILL. The unreaped leader keeps the group id from being reused meanwhile.
  if (killing && !kill_sent) kill(-pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = -1;
    result.term_signal = WTERMSIG(status);
  }
  result.stdout_data = out_capture.Take();
  result.stderr_data = err_capture.Take();
  return result;
}

}  // namespace

ProcessRunner& RealProcessRunner() {
  static RealRunner* runner = new RealRunner();
  return *runner;
}

}  // namespace brock
