// End-to-end harness: a throwaway HOME and project directory, a real brock-emulator process on
// 127.0.0.1, and a way to run the real brock binary with an exact, clean environment.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "base/json.h"

namespace brock::e2e {

// The emulator's default test credentials (see docs/emulator.md) used by most tests.
inline constexpr char kKeyId[] = "AKIDE2ETESTKEY000001";
inline constexpr char kSecret[] = "e2eSecretKeyForTheEmulator0000000000000001";

struct RunOutput {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class EmulatorProcess {
 public:
  // Starts brock-emulator with `args` (plus --port 0 --port-file and --request-log); waits until
  // it listens. Fails the test on error.
  void Start(const std::string& dir, std::vector<std::string> args);
  void Stop();
  ~EmulatorProcess() { Stop(); }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // The requests it received so far (one JSON object per request, from --request-log).
  std::vector<Json> Requests() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_path_;
};

class E2eTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Writes `content` to `path` (relative paths are under root_), creating directories.
  void WriteFile(const std::string& path, const std::string& content);
  // The guide's setup: user settings with CLAUDE_CODE_USE_BEDROCK, AWS_REGION and AWS_PROFILE
  // (plus extra env entries), credentials for `profile` matching the emulator's key.
  void WriteGuideSetup(const std::string& profile, const std::string& region = "us-east-1");
  // An IAM Identity Center setup as the AWS CLI leaves it: user settings selecting profile
  // "ui-dev" (sso-session "corp", account 111122223333, role BedrockUser, us-east-1) and the token
  // cache file holding `access_token` (expiring at `expires_at`, "2020-01-01T00:00:00Z" style), a
  // registered client and `refresh_token`. Returns the cache file's path.
  std::string WriteSsoSetup(const std::string& access_token, const std::string& expires_at,
                            const std::string& refresh_token);
  // Environment pointing IAM Identity Center (SSO portal and SSO-OIDC) at the emulator.
  std::map<std::string, std::string> SsoEndpoints() const;
  // Starts the emulator with the test key pair and `extra` flags.
  void StartEmulator(std::vector<std::string> extra = {});
  // Runs brock in project_ with HOME=home_, PATH, ANTHROPIC_BEDROCK_BASE_URL pointing at the
  // emulator (unless `env` sets it to ""), fast retries, and `env`; nothing else is inherited.
  // Where user namespaces allow it (ManagedSettingsAvailable), brock runs with root_/managed
  // mounted at /etc/claude-code, its fixed managed settings directory, so the machine's own
  // managed settings never reach a test and a test can write its own.
  RunOutput RunBrock(const std::vector<std::string>& args,
                     std::map<std::string, std::string> env = {},
                     const std::string& stdin_data = "");
  // The exact environment RunBrock gives brock, with `env` applied ("<unset>" removes a name).
  std::map<std::string, std::string> BrockEnv(std::map<std::string, std::string> env = {}) const;

  // Whether RunBrock can give brock managed settings (root_/managed at /etc/claude-code). Tests
  // of managed policy skip without it, saying why.
  static bool ManagedSettingsAvailable();
  // Trusts the project directory (brock trust), as a user who cloned it and decided would.
  void TrustProject();

  std::string root_;     // temp dir
  std::string home_;     // root_/home
  std::string project_;  // root_/home/work/project (a git repo)
  EmulatorProcess emulator_;
};

// The whole file at `path` ("" when it cannot be read).
std::string ReadAll(const std::string& path);
// The JSON body of a request-log entry (discarded JSON when it is not JSON).
Json Body(const Json& request);
// The Bedrock runtime requests (paths under /model/) among request-log entries: not the SSO, STS
// or metadata calls.
std::vector<Json> BedrockRequests(const std::vector<Json>& requests);

// The value of header `name` (case-insensitive) in a request-log entry, or "".
std::string RequestHeader(const Json& request, const std::string& name);
// The region of a SigV4-signed request-log entry (from its credential scope), or "".
std::string RequestRegion(const Json& request);

// Runs `argv` with exactly `env` (no inheritance), stdin from `stdin_data`, in `cwd`.
RunOutput RunProcess(const std::vector<std::string>& argv,
                     const std::map<std::string, std::string>& env, const std::string& cwd,
                     const std::string& stdin_data, int timeout_seconds = 60);

}  // namespace brock::e2e
