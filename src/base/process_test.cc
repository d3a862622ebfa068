#include "base/process.h"

#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace brock {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

ProcessSpec Argv(std::vector<std::string> argv) {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  return spec;
}

ProcessSpec Shell(std::string command) {
  ProcessSpec spec;
  spec.shell_command = std::move(command);
  return spec;
}

// True while `pid` exists and is not a zombie.
bool ProcessAlive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return false;
  std::string line;
  std::getline(stat, line);
  size_t paren = line.rfind(')');
  if (paren == std::string::npos || paren + 2 >= line.size()) return false;
  char state = line[paren + 2];
  return state != 'Z' && state != 'X';
}

// Waits up to `limit` for `pid` to be gone.
bool EventuallyGone(pid_t pid, milliseconds limit = milliseconds(3000)) {
  auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (!ProcessAlive(pid)) return true;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return !ProcessAlive(pid);
}

TEST(ProcessTest, EchoCapturesStdoutAndExitZero) {
  auto r = RealProcessRunner().Run(Argv({"echo", "hello", "world"}));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->term_signal, 0);
  EXPECT_EQ(r->stdout_data, "hello world\n");
  EXPECT_EQ(r->stderr_data, "");
  EXPECT_FALSE(r->timed_out);
  EXPECT_FALSE(r->cancelled);
}

TEST(ProcessTest, ExitCodesAndStderrAreReported) {
  auto r = RealProcessRunner().Run(Shell("echo out; echo err >&2; exit 42"));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->exit_code, 42);
  EXPECT_EQ(r->stdout_data, "out\n");
  EXPECT_EQ(r->stderr_data, "err\n");
}

TEST(ProcessTest, SignalDeathIsReported) {
  auto r = RealProcessRunner().Run(Shell("kill -9 $$"));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->exit_code, -1);
  EXPECT_EQ(r->term_signal, SIGKILL);
}

TEST(ProcessTest, StdinIsPipedThenClosed) {
  ProcessSpec spec = Argv({"cat"});
  spec.stdin_data = "line one\nline two\n";
  auto r = RealProcessRunner().Run(spec);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->stdout_data, "line one\nline two\n");
}

TEST(ProcessTest, LargeStdinAndStdoutDoNotDeadlock) {
  // More than a pipe buffer in both directions at once.
  std::string big;
  for (int i = 0; i < 200000; ++i) big += "0123456789\n"[i % 11];
  ProcessSpec spec = Argv({"cat"});
  spec.stdin_data = big;
  spec.timeout = milliseconds(20000);
  auto r = RealProcessRunner().Run(spec);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_FALSE(r->timed_out);
  EXPECT_EQ(r->stdout_data, big);
}

TEST(ProcessTest, EmptyStdinIsDevNull) {
  // With no stdin_data, reading stdin sees EOF at once instead of hanging on the terminal.
  ProcessSpec spec = Argv({"cat"});
  spec.timeout = milliseconds(5000);
  auto r = RealProcessRunner().Run(spec);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_FALSE(r->timed_out);
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->stdout_data, "");
}

TEST(ProcessTest, ChildThatStopsReadingStdinDoesNotKillUs) {
  ProcessSpec spec = Shell("exec 0<&-; echo closed");
  spec.stdin_data = std::string(1 << 20, 'x');
  auto r = RealProcessRunner().Run(spec);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->stdout_data, "closed\n");
  EXPECT_EQ(r->exit_code, 0);
}

TEST(ProcessTest, EnvironmentAdditionsReachTheChild) {
  ProcessSpec spec = Argv({"sh", "-c", "printf '%s|%s' \"$BROCK_TEST_VAR\" \"$PATH\""});
  spec.env["BROCK_TEST_VAR"] = "value with spaces; $(not run)";
  auto r = RealProcessRunner().Run(spec);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const char* path = std::getenv("PATH");
  EXPECT_EQ(r->stdout_data,
            std::string("value with spaces; $(not run)|") + (path != nullptr ? path : ""));
}

TEST(ProcessTest, EnvironmentOverrideReplacesInheritedValue) {
  setenv("BROCK_TEST_OVERRIDE", "parent", 1);
  ProcessSpec spec = Shell("env | grep '^BROCK_TEST_OVERRIDE='");
  spec.env["BROCK_TEST_OVERRIDE"] = "child";
  auto r = RealProcessRunner().Run(spec);
  unsetenv("BROCK_TEST_OVERRIDE");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->stdout_data, "BROCK_TEST_OVERRIDE=child\n");
}

TEST(ProcessTest, CwdIsHonored) {
  auto dir =
      std::filesystem::temp_directory_path() / ("brock_process_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  ProcessSpec spec = Argv({"pwd", "-P"});
  spec.cwd = dir.string();
  auto r = RealProcessRunner().Run(spec);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->stdout_data, std::filesystem::canonical(dir).string() + "\n");
  std::filesystem::remove_all(dir);
}

TEST(ProcessTest, MissingCwdIsAStartError) {
  ProcessSpec spec = Argv({"pwd"});
  spec.cwd = "/nonexistent/brock/dir";
  auto r = RealProcessRunner().Run(spec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "process.start");
  EXPECT_NE(r.error().message.find("/nonexistent/brock/dir"), std::string::npos);
}

TEST(ProcessTest, MissingProgramIsAStartErrorNamingIt) {
  auto r = RealProcessRunner().Run(Argv({"brock-no-such-program-xyz", "arg"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "process.start");
  EXPECT_NE(r.error().message.find("brock-no-such-program-xyz"), std::string::npos)
      << r.error().message;
  EXPECT_FALSE(r.error().fix.empty());
}

TEST(ProcessTest, EmptyCommandIsAStartError) {
  auto r = RealProcessRunner().Run(ProcessSpec{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "process.start");
}

TEST(ProcessTest, ArgvElementsAreNotInterpretedByAShell) {
  const std::string tricky = "a; echo INJECTED $(echo sub) `id` > /dev/null | cat && *";
  auto r = RealProcessRunner().Run(Argv({"printf", "%s", tricky}));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->stdout_data, tricky);
}

TEST(ProcessTest, ShellCommandUsesShell) {
  auto r = RealProcessRunner().Run(Shell("echo a | tr a b && echo $((2+3))"));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->stdout_data, "b\n5\n");
}

TEST(ProcessTest, TimeoutKillsChildAndGrandchildrenPromptly) {
  // The shell prints the background sleep's pid, then waits on a foreground sleep.
  ProcessSpec spec = Shell("sleep 30 & echo $!; sleep 30");
  spec.timeout = milliseconds(300);
  auto t0 = Clock::now();
  auto r = RealProcessRunner().Run(spec);
  auto elapsed = Clock::now() - t0;
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->timed_out);
  EXPECT_FALSE(r->cancelled);
  EXPECT_EQ(r->exit_code, -1);
  EXPECT_EQ(r->term_signal, SIGTERM);
  EXPECT_LT(elapsed, milliseconds(5000));
  pid_t grandchild = static_cast<pid_t>(std::atoi(r->stdout_data.c_str()));
  ASSERT_GT(grandchild, 0) << r->stdout_data;
  EXPECT_TRUE(EventuallyGone(grandchild)) << "grandchild " << grandchild << " survived";
}

TEST(ProcessTest, TimeoutEscalatesToSigkillWhenSigtermIsIgnored) {
  ProcessSpec spec = Shell("trap '' TERM; echo ready; while :; do sleep 0.05; done");
  spec.timeout = milliseconds(200);
  auto t0 = Clock::now();
  auto r = RealProcessRunner().Run(spec);
  auto elapsed = Clock::now() - t0;
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->term_signal, SIGKILL);
  EXPECT_LT(elapsed, milliseconds(6000));
}

TEST(ProcessTest, CancelKillsTheGroup) {
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(200));
    cancel = true;
  });
  ProcessSpec spec = Shell("sleep 30 & echo $!; sleep 30");
  auto t0 = Clock::now();
  auto r = RealProcessRunner().Run(spec, &cancel);
  auto elapsed = Clock::now() - t0;
  canceller.join();
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->cancelled);
  EXPECT_FALSE(r->timed_out);
  EXPECT_LT(elapsed, milliseconds(5000));
  pid_t grandchild = static_cast<pid_t>(std::atoi(r->stdout_data.c_str()));
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(EventuallyGone(grandchild));
}

TEST(ProcessTest, BackgroundGrandchildHoldingPipesDoesNotBlockNormalExit) {
  ProcessSpec spec = Shell("sleep 30 & echo $!");
  auto t0 = Clock::now();
  auto r = RealProcessRunner().Run(spec);
  auto elapsed = Clock::now() - t0;
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_LT(elapsed, milliseconds(3000));
  pid_t grandchild = static_cast<pid_t>(std::atoi(r->stdout_data.c_str()));
  ASSERT_GT(grandchild, 0);
  kill(grandchild, SIGKILL);  // left running on purpose by the runner; clean up
}

TEST(ProcessTest, ChildRunsInItsOwnProcessGroup) {
  auto r =
      RealProcessRunner().Run(Shell("echo $$; ps -o pgid= -p $$ 2>/dev/null || "
                                    "cut -d' ' -f5 /proc/$$/stat"));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  std::istringstream in(r->stdout_data);
  long pid = 0, pgid = 0;
  in >> pid >> pgid;
  EXPECT_GT(pid, 0);
  EXPECT_EQ(pid, pgid);
  EXPECT_NE(pgid, static_cast<long>(getpgrp()));
}

TEST(ProcessTest, OnOutputSeesChunksLive) {
  std::string seen_out, seen_err;
  Clock::time_point first_chunk{};
  ProcessSpec spec = Shell("echo first; echo e >&2; sleep 0.5; echo second");
  spec.on_output = [&](std::string_view chunk, bool is_stderr) {
    if (first_chunk == Clock::time_point{}) first_chunk = Clock::now();
    (is_stderr ? seen_err : seen_out).append(chunk);
  };
  auto t0 = Clock::now();
  auto r = RealProcessRunner().Run(spec);
  auto done = Clock::now();
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(seen_out, "first\nsecond\n");
  EXPECT_EQ(seen_err, "e\n");
  EXPECT_EQ(r->stdout_data, seen_out);
  // The first chunk arrived well before the process finished.
  EXPECT_LT(first_chunk - t0, done - t0 - milliseconds(300));
}

TEST(ProcessTest, TruncationKeepsHeadAndTail) {
  // 1000 numbered lines, ~9 KB, limit 1000 bytes.
  ProcessSpec spec = Shell("i=0; while [ $i -lt 1000 ]; do echo \"line $i\"; i=$((i+1)); done");
  spec.max_output_bytes = 1000;
  auto r = RealProcessRunner().Run(spec);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const std::string& out = r->stdout_data;
  EXPECT_EQ(out.rfind("line 0\nline 1\n", 0), 0u) << out.substr(0, 40);
  EXPECT_TRUE(out.size() >= 13 && out.compare(out.size() - 9, 9, "line 999\n") == 0);
  size_t marker = out.find("bytes truncated] ...\n");
  ASSERT_NE(marker, std::string::npos);
  EXPECT_EQ(out.find("line 500\n"), std::string::npos);
  // The marker states exactly how many bytes were dropped.
  size_t full = 0;
  for (int i = 0; i < 1000; ++i) full += ("line " + std::to_string(i) + "\n").size();
  size_t open = out.rfind("... [", marker);
  ASSERT_NE(open, std::string::npos);
  size_t dropped = std::stoul(out.substr(open + 5));
  size_t marker_line_end = out.find('\n', marker) + 1;
  size_t kept = open + (out.size() - marker_line_end);
  // Head may have gained a newline before the marker.
  EXPECT_TRUE(kept + dropped == full || kept + dropped == full + 1)
      << kept << " + " << dropped << " vs " << full;
  EXPECT_LE(kept, 1001u);
}

TEST(ProcessTest, OutputUnderTheLimitIsUntouched) {
  ProcessSpec spec = Argv({"printf", "%s", std::string(999, 'a').c_str()});
  spec.max_output_bytes = 1000;
  auto r = RealProcessRunner().Run(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stdout_data, std::string(999, 'a'));
}

TEST(ProcessTest, InheritedDescriptorsAreClosedInTheChild) {
  // A descriptor opened without O_CLOEXEC in brock must not leak into the child.
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  auto r = RealProcessRunner().Run(Shell("ls /proc/self/fd | sort -n | tr '\\n' ' '"));
  close(fds[0]);
  close(fds[1]);
  ASSERT_TRUE(r.ok());
  // ls itself opens one descriptor for the directory listing; anything else leaked.
  std::istringstream in(r->stdout_data);
  int fd, count_high = 0;
  while (in >> fd) {
    if (fd > 3) ++count_high;
  }
  EXPECT_EQ(count_high, 0) << r->stdout_data;
}

}  // namespace
}  // namespace brock
