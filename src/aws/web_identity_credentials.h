// Credentials from a web identity token (EKS IRSA, GitHub Actions OIDC...): the token file is
// read on every load and exchanged with STS AssumeRoleWithWebIdentity (an unsigned call).
//
// Configuration, each key looked up on its own as botocore does: the environment variable first
// (unless `use_env` is false, as for a source_profile), then the profile:
//   AWS_WEB_IDENTITY_TOKEN_FILE  / web_identity_token_file
//   AWS_ROLE_ARN                 / role_arn
//   AWS_ROLE_SESSION_NAME        / role_session_name   (default "brock-<unix time>")
#pragma once

#include <optional>
#include <string>

#include "aws/config_file.h"
#include "aws/credential_provider.h"
#include "aws/sts_client.h"

namespace brock {

struct WebIdentityConfig {
  std::string token_file;
  std::string role_arn;           // may be empty: Load() then reports webidentity.no_role_arn
  std::string role_session_name;  // may be empty: "brock-<unix time>"
  std::string origin;   // "AWS_WEB_IDENTITY_TOKEN_FILE (from ...)" or "profile X in <file>"
  std::string profile;  // the profile that configured it, "" for the environment
};

// The web identity configuration for `profile`, or nullopt when no token file is configured.
std::optional<WebIdentityConfig> FindWebIdentityConfig(const Env& env, const AwsConfig& config,
                                                       const std::string& profile, bool use_env);

class WebIdentityCredentialProvider : public CredentialProvider {
 public:
  // `env` reads the token file and gives the clock; it must outlive the provider.
  WebIdentityCredentialProvider(const Env& env, StsClient sts, WebIdentityConfig config);
  std::string name() const override;
  // Always configured: credentials or an Error (webidentity.no_role_arn,
  // webidentity.token_unreadable, webidentity.token_empty, or an sts.* error naming the role).
  Result<std::optional<Credentials>> Load() override;

 private:
  const Env& env_;
  StsClient sts_;
  WebIdentityConfig config_;
};

// "brock-<seconds since the epoch>", the default role session name.
std::string DefaultRoleSessionName(const Env& env);

}  // namespace brock
