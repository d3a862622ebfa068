// ProcessRunner: the seam for starting other programs (awsAuthRefresh, credential_process, the
// Bash tool). Commands from configuration that brock itself assembles are run from an argv,
// never through a shell; only commands a user wrote as shell text (awsAuthRefresh, a Bash tool
// command) go through /bin/sh -c, and then nothing brock-generated is pasted into that text:
// values reach the command as environment variables.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace brock {

struct ProcessSpec {
  std::vector<std::string> argv;  // program and arguments, run without a shell
  std::string shell_command;      // when non-empty, run as /bin/sh -c shell_command instead
  std::string cwd;                // empty: inherit
  std::map<std::string, std::string> env;  // set (added or replaced) in the child
  std::vector<std::string> unset_env;      // removed from the child's environment (secrets)
  std::string stdin_data;                  // written to the child's stdin, then closed
  std::chrono::milliseconds timeout{0};    // 0: none; on expiry the process group is killed
  size_t max_output_bytes = 8 << 20;       // per stream; the middle is dropped beyond this
  // Called with each chunk of stdout/stderr as it arrives (for live display), if set.
  std::function<void(std::string_view chunk, bool is_stderr)> on_output;
};

struct ProcessResult {
  int exit_code = -1;      // exit status, or -1 when killed by a signal
  int term_signal = 0;     // the signal that ended it, else 0
  bool timed_out = false;  // killed because the timeout expired
  bool cancelled = false;  // killed because *cancel became true
  std::string stdout_data;
  std::string stderr_data;
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Runs the process to completion (or timeout/cancel, which kill its whole process group).
  // Fails only when the process could not be started.
  virtual Result<ProcessResult> Run(const ProcessSpec& spec,
                                    const std::atomic<bool>* cancel = nullptr) = 0;
};

// Runs real processes (fork/exec, own process group). Never null.
ProcessRunner& RealProcessRunner();

}  // namespace brock
