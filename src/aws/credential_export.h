// awsCredentialExport (Claude Code settings): a shell command the user wrote that prints AWS
// credentials as JSON. It runs through /bin/sh -c (it is the user's own shell text) via the
// ProcessRunner seam; brock pastes nothing into it: the selected profile reaches it only as the
// environment variable AWS_PROFILE. Two output shapes are accepted:
//   {"Credentials": {"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}}
//       (the shape of `aws sts assume-role` / `get-session-token` and Claude Code's docs)
//   {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}
//       (`aws configure export-credentials --format process`)
// SessionToken and Expiration are optional in both.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "aws/credential_provider.h"
#include "base/env.h"
#include "base/process.h"

namespace brock {

struct CredentialExportOptions {
  std::string profile;              // passed as AWS_PROFILE when non-empty
  std::string origin = "settings";  // the settings file that set awsCredentialExport
  std::chrono::milliseconds timeout = std::chrono::minutes(1);
};

// Parses the command's stdout (either shape). The output never appears in errors.
// Errors: export.bad_output.
Result<Credentials> ParseExportedCredentials(std::string_view output, std::string_view origin);

// Runs `command` and parses its output. Errors: export.start_failed, export.timeout,
// export.failed (non-zero exit; the message ends with the command's stderr), export.bad_output,
// export.expired. Secrets are registered with RegisterSecret.
Result<Credentials> RunCredentialExport(const Env& env, ProcessRunner& runner,
                                        const std::string& command,
                                        const CredentialExportOptions& options);

// RunCredentialExport as a CredentialProvider (always configured).
class CredentialExportProvider : public CredentialProvider {
 public:
  CredentialExportProvider(const Env& env, ProcessRunner& runner, std::string command,
                           CredentialExportOptions options);
  std::string name() const override { return "awsCredentialExport (" + options_.origin + ")"; }
  Result<std::optional<Credentials>> Load() override;

 private:
  const Env& env_;
  ProcessRunner& runner_;
  std::string command_;
  CredentialExportOptions options_;
};

}  // namespace brock
