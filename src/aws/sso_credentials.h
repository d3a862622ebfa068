// Credentials from IAM Identity Center (SSO), as botocore's SSOProvider and the AWS SDKs resolve
// them (docs/sso.md):
//
//   1. the profile names an SSO session and a role (sso_config.h);
//   2. the session's access token is read from ~/.aws/sso/cache (sso_token_cache.h);
//   3. sso-session form only: when the token expires within kSsoTokenRefreshWindow and the cache
//      holds a refresh token and an unexpired client registration, it is refreshed with
//      SSO-OIDC CreateToken(grant_type=refresh_token) and the cache file is rewritten atomically
//      (mode 0600, other fields kept). A refused refresh with a still-valid token, or a transient
//      failure (network, 5xx, throttling) with a still-valid token, keeps using the cached one.
//      The cache file is never deleted.
//   4. the token is exchanged for role keys with the portal's GetRoleCredentials.
//
// When the user must sign in again the error is "sso.login_required" (never retryable): its
// message names the profile and the reason ("the SSO session for profile ui-dev expired at
// 2026-01-01T08:00:00Z ..."), its fix says "run: brock login --profile ui-dev (or aws sso login
// --profile ui-dev), or set awsAuthRefresh in ~/.claude/settings.json".
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "aws/config_file.h"
#include "aws/credential_provider.h"
#include "aws/sso_config.h"
#include "aws/sso_token_cache.h"
#include "base/env.h"
#include "net/http_client.h"

namespace brock {

// A token expiring sooner than this is refreshed first (the AWS SDKs' SSO token window).
inline constexpr std::chrono::minutes kSsoTokenRefreshWindow{5};

// The "sso.login_required" error for `profile` (or the session name when profile is ""), with
// `reason` as the message.
Error SsoLoginRequired(std::string_view profile, std::string_view reason);

// A usable access token for `session`: the cached one, refreshed as described above.
// Errors: "sso.login_required"; "sso.cache_invalid"; "sso.refresh_failed" (retryable: the token
// has expired and the refresh failed for a transient reason); endpoint errors.
// A failure to write the refreshed token back is logged (DebugLog) and the new token used.
Result<SsoToken> LoadSsoAccessToken(Env& env, HttpClient& http, const AwsConfig& config,
                                    const SsoSessionConfig& session);

class SsoCredentialProvider : public CredentialProvider {
 public:
  // `env`, `http` and `config` must outlive the provider.
  SsoCredentialProvider(Env& env, HttpClient& http, const AwsConfig& config, std::string profile);

  // "SSO profile NAME".
  std::string name() const override;
  // nullopt when the profile is missing or does not use SSO. Otherwise credentials with source
  // "SSO profile NAME", profile NAME, account_id = sso_account_id and the role keys' expiration,
  // or an Error: "sso.config_incomplete" / "sso.session_not_found" / "sso.config_conflict",
  // "sso.login_required", "sso.cache_invalid", "sso.refresh_failed", "sso.no_access" (the
  // portal refused the account/role), "sso.bad_response", or the transport's "net.*" errors.
  Result<std::optional<Credentials>> Load() override;

 private:
  Env& env_;
  HttpClient& http_;
  const AwsConfig& config_;
  std::string profile_;
};

}  // namespace brock
