#include "aws/auth_refresh.h"

#include "aws/process_credentials.h"

namespace brock {

Status RunAuthRefresh(ProcessRunner& runner, const std::string& command,
                      const AuthRefreshOptions& options) {
  std::string what = "awsAuthRefresh (" + options.origin + ")";
  ProcessSpec spec;
  spec.shell_command = command;
  spec.timeout = options.timeout;
  spec.on_output = options.on_output;
  if (!options.profile.empty()) spec.env["AWS_PROFILE"] = options.profile;
  auto run = runner.Run(spec, options.cancel);
  if (!run.ok()) {
    return MakeError("auth_refresh.start_failed", "cannot run " + what + ": " + run.error().message,
                     "check awsAuthRefresh in " + options.origin);
  }
  if (run->cancelled) {
    return MakeError("auth_refresh.cancelled", what + " was cancelled", "run it again when ready");
  }
  if (run->timed_out) {
    return MakeError(
        "auth_refresh.timeout",
        what + " did not finish within " +
            std::to_string(
                std::chrono::duration_cast<std::chrono::seconds>(options.timeout).count()) +
            " s and was stopped",
        "finish the login in the browser sooner, or run the command yourself in a "
        "terminal and start brock again");
  }
  if (run->exit_code != 0) {
    std::string tail = StderrTail(run->stderr_data, 5);
    std::string status = run->term_signal
                             ? "was killed by signal " + std::to_string(run->term_signal)
                             : "exited with status " + std::to_string(run->exit_code);
    return MakeError("auth_refresh.failed", what + " " + status + (tail.empty() ? "" : ": " + tail),
                     "run the command yourself to see the problem, then fix awsAuthRefresh in " +
                         options.origin);
  }
  return {};
}

}  // namespace brock
