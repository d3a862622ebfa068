// awsAuthRefresh (Claude Code settings): a shell command the user wrote to refresh their login
// (typically `aws sso login --profile X`), run through /bin/sh -c via the ProcessRunner seam when
// credentials are missing or expired. Its output is shown live (it usually prints a device code
// and URL). brock pastes nothing into the command: the profile reaches it only as the
// environment variable AWS_PROFILE.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/process.h"

namespace brock {

struct AuthRefreshOptions {
  std::string profile;              // passed as AWS_PROFILE when non-empty
  std::string origin = "settings";  // the settings file that set awsAuthRefresh
  std::chrono::milliseconds timeout = std::chrono::minutes(3);
  // Receives stdout/stderr chunks as they arrive (secrets are not scrubbed here: the command's
  // output is the user's own).
  std::function<void(std::string_view chunk, bool is_stderr)> on_output;
  const std::atomic<bool>* cancel = nullptr;
};

// Runs the command to completion. Errors: auth_refresh.start_failed, auth_refresh.timeout,
// auth_refresh.cancelled, auth_refresh.failed (non-zero exit; the message ends with the last
// lines of stderr).
Status RunAuthRefresh(ProcessRunner& runner, const std::string& command,
                      const AuthRefreshOptions& options);

}  // namespace brock
