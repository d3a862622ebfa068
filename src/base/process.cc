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
#include <algorithm>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace brock {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kTick = std::chrono::milliseconds(50);         // cancel / exit polling period
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
  if (keep > 3 && syscall(SYS_close_range, 3u, static_cast<unsigned>(keep - 1), 0u) != 0)
    ok = false;
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

Error StartError(const std::string& program, const std::string& what) {
  return MakeError("process.start", "could not start '" + program + "': " + what,
                   "check that '" + program + "' is installed and on PATH");
}

// Builds "NAME=value" strings: the current environment without spec.unset_env, with spec.env
// applied.
std::vector<std::string> BuildEnvironment(const std::map<std::string, std::string>& extra,
                                          const std::vector<std::string>& unset) {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    std::string name(entry.substr(0, eq));
    if (extra.count(name) != 0) continue;
    if (std::find(unset.begin(), unset.end(), name) != unset.end()) continue;
    out.emplace_back(entry);
  }
  for (const auto& [name, value] : extra) out.push_back(name + "=" + value);
  return out;
}

// The argument and environment arrays for execvpe. Everything the child needs is prepared before
// fork: no allocation after it.
struct ExecArgs {
  std::vector<std::string> args;
  std::vector<std::string> env_strings;
  std::vector<char*> argv;  // into args, null-terminated
  std::vector<char*> envp;  // into env_strings, null-terminated
};

void PrepareExecArgs(const ProcessSpec& spec, ExecArgs& out) {
  if (spec.shell_command.empty()) {
    out.args = spec.argv;
  } else {
    out.args = {"/bin/sh", "-c", spec.shell_command};
  }
  for (auto& a : out.args) out.argv.push_back(a.data());
  out.argv.push_back(nullptr);
  out.env_strings = BuildEnvironment(spec.env, spec.unset_env);
  for (auto& e : out.env_strings) out.envp.push_back(e.data());
  out.envp.push_back(nullptr);
}

// The pipes between brock and one child. `in` is used only when there is stdin data; the child
// reads /dev/null otherwise.
struct ChildPipes {
  bool feed_stdin = false;
  Pipe in, out, err, status;
  int devnull = -1;
  ~ChildPipes() { CloseFd(devnull); }
};

// Opens the pipes (and /dev/null) for a child; nullopt on success.
std::optional<Error> OpenChildPipes(const std::string& program, ChildPipes& p) {
  if (!MakePipe(p.out) || !MakePipe(p.err) || !MakePipe(p.status) ||
      (p.feed_stdin && !MakePipe(p.in))) {
    return StartError(program, std::string("pipe: ") + std::strerror(errno));
  }
  if (!p.feed_stdin) {
    p.devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (p.devnull < 0)
      return StartError(program, std::string("/dev/null: ") + std::strerror(errno));
  }
  return std::nullopt;
}

// Waits for the exec-status pipe: it closes on a successful exec, or carries the child's failure
// (the child is then reaped). Returns `pid` when exec succeeded.
Result<pid_t> WaitForExec(const ProcessSpec& spec, const std::string& program, pid_t pid,
                          int status_fd) {
  ChildFailure failure{0, 0};
  ssize_t got;
  do {
    got = read(status_fd, &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  if (got != static_cast<ssize_t>(sizeof failure)) return pid;
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (failure.stage == 1) {
    return MakeError("process.start",
                     "could not start '" + program + "': working directory '" + spec.cwd +
                         "': " + std::strerror(failure.err),
                     "check that the directory exists and is accessible");
  }
  return StartError(program, std::strerror(failure.err));
}

// Forks and execs the child in its own process group with the pipes as its stdio, and closes the
// child's ends in the parent. Returns the child's pid once exec succeeded.
Result<pid_t> StartChild(const ProcessSpec& spec, const std::string& program, ExecArgs& exec,
                         ChildPipes& pipes) {
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    CloseFd(pipes.devnull);
    return StartError(program, std::string("fork: ") + std::strerror(e));
  }
  if (pid == 0) {
    ChildExec(pipes.feed_stdin ? pipes.in.read : pipes.devnull, pipes.out.write, pipes.err.write,
              pipes.status.write, spec.cwd.empty() ? nullptr : spec.cwd.c_str(), exec.argv.data(),
              exec.envp.data());
  }
  setpgid(pid, pid);  // also done in the child; whichever runs first wins the race
  CloseFd(pipes.devnull);
  CloseFd(pipes.in.read);
  CloseFd(pipes.out.write);
  CloseFd(pipes.err.write);
  CloseFd(pipes.status.write);
  return WaitForExec(spec, program, pid, pipes.status.read);
}

// Watches a started child until it exits: feeds its stdin, captures its output, enforces the
// timeout and cancel (SIGTERM to the group, SIGKILL after a grace period), then reaps it.
class ChildMonitor {
 public:
  ChildMonitor(const ProcessSpec& spec, const std::atomic<bool>* cancel, pid_t pid,
               ChildPipes& pipes)
      : spec_(spec),
        cancel_(cancel),
        pid_(pid),
        pipes_(pipes),
        out_capture_(spec.max_output_bytes),
        err_capture_(spec.max_output_bytes) {}

  // Runs the watch loop to the end and returns the child's result.
  ProcessResult Run();

 private:
  // The descriptors one poll() watches, and where each one is in `fds` (-1: not watched).
  struct PollSet {
    pollfd fds[3];
    nfds_t n = 0;
    int out = -1, err = -1, in = -1;
  };

  // Starts killing the group on timeout or cancel; SIGKILL once the grace period is over.
  void CheckTimeoutAndCancel();
  void StartKill();  // SIGTERM to the group
  // Notes when the direct child has exited, without reaping it.
  void CheckExited();
  PollSet WatchedFds() const;
  // After the child exited: true when the output left to drain is not worth waiting for.
  bool DoneDraining() const;
  int PollTimeoutMs(bool nothing_watched);
  void ReadOutput(const PollSet& set, int idx, Pipe& pipe, OutputCapture& capture, bool is_stderr);
  void FeedStdin(short revents);
  // Closes stdin, kills what is left of a timed-out or cancelled group, reaps the child.
  ProcessResult Reap();

  const ProcessSpec& spec_;
  const std::atomic<bool>* cancel_;
  const pid_t pid_;
  ChildPipes& pipes_;
  ProcessResult result_;
  OutputCapture out_capture_, err_capture_;
  size_t stdin_offset_ = 0;
  const Clock::time_point start_ = Clock::now();
  bool exited_ = false;  // the child is a zombie (not reaped: keeps its pid and group reserved)
  Clock::time_point exited_at_;
  bool killing_ = false;
  Clock::time_point term_sent_at_;
  bool kill_sent_ = false;
  std::vector<char> buf_ = std::vector<char>(64 * 1024);
  std::chrono::milliseconds backoff_{1};
};

ProcessResult ChildMonitor::Run() {
  if (pipes_.feed_stdin) {
    fcntl(pipes_.in.write, F_SETFL, fcntl(pipes_.in.write, F_GETFL) | O_NONBLOCK);
  }
  while (true) {
    CheckTimeoutAndCancel();
    CheckExited();
    PollSet set = WatchedFds();
    if (exited_ && DoneDraining()) break;
    int rc = poll(set.fds, set.n, PollTimeoutMs(set.n == 0));
    if (rc < 0) {
      if (errno == EINTR) continue;
      break;  // should not happen; fall through to reaping
    }
    if (rc == 0) continue;
    ReadOutput(set, set.out, pipes_.out, out_capture_, false);
    ReadOutput(set, set.err, pipes_.err, err_capture_, true);
    if (set.in >= 0 && set.fds[set.in].revents != 0) FeedStdin(set.fds[set.in].revents);
  }
  return Reap();
}

void ChildMonitor::CheckTimeoutAndCancel() {
  if (!killing_ && !exited_) {
    if (spec_.timeout.count() > 0 && Clock::now() - start_ >= spec_.timeout) {
      result_.timed_out = true;
      StartKill();
    } else if (cancel_ != nullptr && cancel_->load()) {
      result_.cancelled = true;
      StartKill();
    }
  }
  if (killing_ && !kill_sent_ && Clock::now() - term_sent_at_ >= kKillGrace) {
    kill(-pid_, SIGKILL);
    kill_sent_ = true;
  }
}

void ChildMonitor::StartKill() {
  killing_ = true;
  term_sent_at_ = Clock::now();
  kill(-pid_, SIGTERM);
}

void ChildMonitor::CheckExited() {
  if (exited_) return;
  // WNOWAIT keeps the zombie so its pid cannot be reused.
  siginfo_t info;
  info.si_pid = 0;
  if (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
      info.si_pid == pid_) {
    exited_ = true;
    exited_at_ = Clock::now();
  }
}

ChildMonitor::PollSet ChildMonitor::WatchedFds() const {
  PollSet set;
  if (pipes_.out.read >= 0) {
    set.out = static_cast<int>(set.n);
    set.fds[set.n++] = {pipes_.out.read, POLLIN, 0};
  }
  if (pipes_.err.read >= 0) {
    set.err = static_cast<int>(set.n);
    set.fds[set.n++] = {pipes_.err.read, POLLIN, 0};
  }
  if (pipes_.in.write >= 0 && !exited_) {
    set.in = static_cast<int>(set.n);
    set.fds[set.n++] = {pipes_.in.write, POLLOUT, 0};
  }
  return set;
}

bool ChildMonitor::DoneDraining() const {
  // Once the child is gone, take what is already buffered; do not wait on grandchildren that
  // inherited the pipes (whether or not the group is being killed) beyond a short drain.
  bool pipes_open = pipes_.out.read >= 0 || pipes_.err.read >= 0;
  return !pipes_open || Clock::now() - exited_at_ >= kDrainAfterExit;
}

int ChildMonitor::PollTimeoutMs(bool nothing_watched) {
  int wait_ms;
  if (nothing_watched) {
    // Nothing to watch (outputs closed, stdin done): the child is still running; back off.
    wait_ms = static_cast<int>(backoff_.count());
    backoff_ = std::min(backoff_ * 2, std::chrono::milliseconds(kTick));
  } else {
    wait_ms = static_cast<int>(kTick.count());
  }
  if (spec_.timeout.count() > 0 && !killing_) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(spec_.timeout -
                                                                      (Clock::now() - start_));
    wait_ms = std::max<int>(0, std::min<int>(wait_ms, static_cast<int>(left.count()) + 1));
  }
  return wait_ms;
}

void ChildMonitor::ReadOutput(const PollSet& set, int idx, Pipe& pipe, OutputCapture& capture,
                              bool is_stderr) {
  if (idx < 0 || set.fds[idx].revents == 0) return;
  ssize_t r = read(pipe.read, buf_.data(), buf_.size());
  if (r > 0) {
    std::string_view chunk(buf_.data(), static_cast<size_t>(r));
    if (spec_.on_output) spec_.on_output(chunk, is_stderr);
    capture.Append(chunk);
  } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
    CloseFd(pipe.read);
  }
}

void ChildMonitor::FeedStdin(short revents) {
  if (revents & (POLLERR | POLLHUP)) {
    CloseFd(pipes_.in.write);
    return;
  }
  size_t left = spec_.stdin_data.size() - stdin_offset_;
  ssize_t w = write(pipes_.in.write, spec_.stdin_data.data() + stdin_offset_,
                    std::min<size_t>(left, 64 * 1024));
  if (w > 0) {
    stdin_offset_ += static_cast<size_t>(w);
    if (stdin_offset_ == spec_.stdin_data.size()) CloseFd(pipes_.in.write);
  } else if (w < 0 && errno != EINTR && errno != EAGAIN) {
    CloseFd(pipes_.in.write);  // EPIPE: the child stopped reading
  }
}

ProcessResult ChildMonitor::Reap() {
  CloseFd(pipes_.in.write);
  // After a timeout or cancel, nothing of the group may outlive Run: members that ignored
  // SIGTERM get SIGKILL. The unreaped leader keeps the group id from being reused meanwhile.
  if (killing_ && !kill_sent_) kill(-pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result_.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result_.exit_code = -1;
    result_.term_signal = WTERMSIG(status);
  }
  result_.stdout_data = out_capture_.Take();
  result_.stderr_data = err_capture_.Take();
  return std::move(result_);
}

class RealRunner final : public ProcessRunner {
 public:
  Result<ProcessResult> Run(const ProcessSpec& spec, const std::atomic<bool>* cancel) override;
};

Result<ProcessResult> RealRunner::Run(const ProcessSpec& spec, const std::atomic<bool>* cancel) {
  if (spec.shell_command.empty() && (spec.argv.empty() || spec.argv[0].empty())) {
    return MakeError("process.start", "no program to run (empty command)",
                     "give the command to run");
  }
  const std::string program = ProgramName(spec);
  ExecArgs exec;
  PrepareExecArgs(spec, exec);
  ChildPipes pipes;
  pipes.feed_stdin = !spec.stdin_data.empty();
  if (std::optional<Error> e = OpenChildPipes(program, pipes)) return std::move(*e);

  // Blocks SIGPIPE while this thread writes the child's stdin (until Run returns).
  ScopedSigpipeBlock sigpipe_block;
  Result<pid_t> pid = StartChild(spec, program, exec, pipes);
  if (!pid.ok()) return std::move(pid).error();
  return ChildMonitor(spec, cancel, *pid, pipes).Run();
}

}  // namespace

ProcessRunner& RealProcessRunner() {
  static RealRunner* runner = new RealRunner();
  return *runner;
}

}  // namespace brock
