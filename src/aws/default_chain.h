// The default AWS credential chain as brock (and Claude Code, through the AWS JS SDK) walks it:
// awsCredentialExport when configured, then environment keys unless a profile was selected
// explicitly (then the profile wins and the keys are ignored, with a warning), the profile
// (roles, web identity, SSO, keys, process), container credentials, EC2 instance metadata.
//
// ReloadableCredentials holds the chain of one reading of the AWS files and replaces it as a
// whole after a re-login (Reload), so no provider ever sees its configuration change under it.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/assume_role_credentials.h"
#include "aws/config_file.h"
#include "aws/credential_chain.h"
#include "base/env.h"
#include "base/process.h"
#include "net/http_client.h"

namespace brock {

struct DefaultChainOptions {
  std::string profile;            // the active profile ("default" when none was selected)
  bool profile_explicit = false;  // AWS_PROFILE chose it
  std::optional<std::string> credential_export;  // awsCredentialExport's command
  std::string credential_export_origin;
  MfaPrompt mfa_prompt;  // empty: roles with mfa_serial fail with role.mfa_required
};

struct DefaultChain {
  std::unique_ptr<CredentialChain> chain;
  std::vector<std::string> warnings;  // stale environment keys beside AWS_PROFILE
};

// Builds the chain over `config`, which must outlive it, as must `http` and `runner`. Fails only
// when an explicitly selected profile cannot be used; otherwise a broken profile fails when the
// chain reaches it.
Result<DefaultChain> BuildDefaultCredentialChain(Env& env, HttpClient& http, ProcessRunner& runner,
                                                 const AwsConfig& config,
                                                 const DefaultChainOptions& options);

class ReloadableCredentials final : public CredentialSource {
 public:
  using ChainFactory = std::function<Result<DefaultChain>(const AwsConfig& config)>;

  // Builds the first chain over `config` (the AWS files as read at start-up).
  static Result<std::unique_ptr<ReloadableCredentials>> Create(const Env& env, AwsConfig config,
                                                               ChainFactory factory);

  // The current chain's credentials.
  Result<Credentials> Get(bool force_refresh = false) override;
  // Reads the AWS files again and replaces the config and the chain together (after a login
  // rewrote them). A call to Get running on the old chain finishes on it.
  Status Reload();
  // The AWS files as last read.
  std::shared_ptr<const AwsConfig> config() const;
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  struct Generation {
    AwsConfig config;
    std::unique_ptr<CredentialChain> chain;  // refers to `config`
  };
  ReloadableCredentials(const Env& env, ChainFactory factory)
      : env_(env), factory_(std::move(factory)) {}
  static Result<std::shared_ptr<Generation>> Build(const ChainFactory& factory, AwsConfig config,
                                                   std::vector<std::string>* warnings);
  std::shared_ptr<Generation> Current() const;

  const Env& env_;
  ChainFactory factory_;
  mutable std::mutex mu_;
  std::shared_ptr<Generation> current_;
  std::vector<std::string> warnings_;  // of the first chain
};

}  // namespace brock
