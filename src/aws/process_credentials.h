// Credentials from a profile's credential_process: the command line is split into argv with
// POSIX shell quoting rules (as botocore's shlex split) and run WITHOUT a shell through the
// ProcessRunner seam, so ';', '|', '$(...)' and globs in it are plain characters. The program
// prints JSON on stdout:
//   {"Version": 1, "AccessKeyId": "...", "SecretAccessKey": "...",
//    "SessionToken": "...", "Expiration": "2026-01-01T00:00:00Z"}
// SessionToken and Expiration are optional (no Expiration: the keys do not expire); AccountId is
// read when present. Version must be 1.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credential_provider.h"
#include "base/env.h"
#include "base/process.h"

namespace brock {

// Splits a command line the way a POSIX shell splits words (no expansion of any kind):
// whitespace separates words; '...' is literal; "..." is literal except that a backslash escapes
// '"', '\', '$', '`' and a newline; outside quotes a backslash escapes the next character (and a
// backslash-newline disappears). Errors: "process.bad_command" for an unterminated quote or a
// trailing backslash, or an empty command.
Result<std::vector<std::string>> SplitCommandLine(std::string_view command);

// Parses credential_process output (Version 1 JSON). `what` names the command in messages. The
// output itself never appears in an error (it holds secrets). Errors: "process.bad_output".
Result<Credentials> ParseProcessCredentials(std::string_view output, std::string_view what);

class ProcessCredentialProvider : public CredentialProvider {
 public:
  // `command` is the credential_process value; `origin` the file that set it (for messages).
  // `env` gives the clock (an Expiration in the past is an error); env and runner must outlive
  // the provider.
  ProcessCredentialProvider(const Env& env, ProcessRunner& runner, std::string profile,
                            std::string command, std::string origin,
                            std::chrono::milliseconds timeout = std::chrono::minutes(2));
  std::string name() const override { return "credential_process of profile " + profile_; }
  // Always configured. Errors: process.bad_command, process.start_failed (the program cannot be
  // run), process.timeout, process.failed (non-zero exit; the message ends with the process's
  // stderr), process.bad_output, process.expired (Expiration already passed).
  Result<std::optional<Credentials>> Load() override;

 private:
  const Env& env_;
  ProcessRunner& runner_;
  std::string profile_, command_, origin_;
  std::chrono::milliseconds timeout_;
};

// The last `max_lines` non-empty lines of a process's stderr, secrets scrubbed, for messages.
std::string StderrTail(std::string_view stderr_data, size_t max_lines = 10);

}  // namespace brock
