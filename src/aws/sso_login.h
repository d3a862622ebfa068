// `brock login`: signs in to IAM Identity Center with the OAuth device authorization flow, as
// `aws sso login` does, and writes the same token cache file the AWS CLI writes, so the CLI,
// the SDKs and brock all share the session:
//
//   1. RegisterClient (client name "brock", type "public", scopes = sso_registration_scopes,
//      default "sso:account:access" for sso-session profiles, none for legacy ones);
//   2. StartDeviceAuthorization for the start URL;
//   3. print the verification URL (verificationUriComplete) and the user code;
//   4. poll CreateToken(grant_type=device_code): first at once, then every `interval` seconds
//      (default 5), +5 s after each SlowDownException, until `expiresIn` (default 600 s) passes;
//      AuthorizationPendingException means "not yet"; transient failures are retried;
//   5. write ~/.aws/sso/cache/<sha1>.json with startUrl, region, accessToken, expiresAt,
//      clientId, clientSecret, registrationExpiresAt and refreshToken (mode 0600).
// Waiting goes through Env::SleepFor, so tests with FakeEnv run instantly.
#pragma once

#include <atomic>

#include <functional>
#include <string>
#include <string_view>

#include "aws/config_file.h"
#include "aws/sso_config.h"
#include "aws/sso_token_cache.h"
#include "base/env.h"
#include "base/error.h"
#include "net/http_client.h"

namespace brock {

inline constexpr char kSsoLoginClientName[] = "brock";
inline constexpr char kDefaultSsoRegistrationScope[] = "sso:account:access";

struct SsoLoginResult {
  SsoToken token;          // what was written
  std::string cache_path;  // where
  std::string start_url;
};

// Shows a line to the user (no trailing newline needed).
using SsoLoginPrinter = std::function<void(std::string_view line)>;
// Tries to open `url` in a browser; returns false when it could not. May be null.
using SsoBrowserOpener = std::function<bool(std::string_view url)>;

// Signs in for `profile` (its sso_session or legacy sso_start_url). Errors:
// "sso.not_configured" (the profile is missing or has no SSO settings), the sso_config.h
// errors, "sso.login_expired" (the code was not approved in time), "sso.login_denied" (the user
// refused), "sso.cache_write", and the OIDC client's "aws.*" / "net.*" errors. When `cancel`
// becomes true while waiting for the approval, the sign-in stops with "sso.login_cancelled".
Result<SsoLoginResult> RunSsoLogin(Env& env, HttpClient& http, const AwsConfig& config,
                                   std::string_view profile, const SsoLoginPrinter& print,
                                   const SsoBrowserOpener& open_browser = nullptr,
                                   const std::atomic<bool>* cancel = nullptr);

// The same for an explicit session (`brock login --sso-session NAME`, or a resolved profile).
Result<SsoLoginResult> RunSsoLoginForSession(Env& env, HttpClient& http, const AwsConfig& config,
                                             const SsoSessionConfig& session,
                                             const SsoLoginPrinter& print,
                                             const SsoBrowserOpener& open_browser = nullptr,
                                             const std::atomic<bool>* cancel = nullptr);

}  // namespace brock
