// Which IAM Identity Center (SSO) session and role a profile names, resolved from the shared
// config file exactly as botocore's SSOProvider does:
//
//   [profile ui-dev]                        [sso-session my-sso]
//   sso_session = my-sso                    sso_start_url = https://my-sso-portal.awsapps.com/start
//   sso_account_id = 111122223333           sso_region = us-east-1
//   sso_role_name = BedrockUser             sso_registration_scopes = sso:account:access
//
// or the legacy form with sso_start_url and sso_region on the profile itself (no refresh).
// A key set both on the profile and in the sso-session must agree.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/config_file.h"
#include "base/error.h"

namespace brock {

struct SsoSessionConfig {
  std::string profile;       // the profile that named it ("" when chosen by session name)
  std::string session_name;  // "" for the legacy form
  std::string start_url;
  std::string region;  // sso_region: where the OIDC and portal endpoints live
  std::vector<std::string> registration_scopes;  // sso_registration_scopes, comma-separated
  std::string origin;  // "[sso-session my-sso] in /home/me/.aws/config" or "profile X in ..."

  bool legacy() const { return session_name.empty(); }
  // The token cache key: the session name, else the start URL.
  std::string cache_key() const { return legacy() ? start_url : session_name; }
};

struct SsoProfileConfig {
  SsoSessionConfig session;
  std::string account_id;  // sso_account_id
  std::string role_name;   // sso_role_name
};

// True when the profile uses SSO (has sso_session or sso_start_url).
bool ProfileUsesSso(const ProfileSection& profile);

// The session part of `profile`: nullopt when the profile is missing or does not use SSO.
// Errors: "sso.session_not_found" (sso_session names no [sso-session] section),
// "sso.config_incomplete" (sso_start_url / sso_region missing; the message names them and the
// file), "sso.config_conflict" (profile and sso-session disagree on a key).
Result<std::optional<SsoSessionConfig>> ResolveSsoSession(const AwsConfig& config,
                                                          std::string_view profile);

// The [sso-session NAME] section on its own (for `brock login --sso-session NAME`). Errors as
// above.
Result<SsoSessionConfig> ResolveSsoSessionByName(const AwsConfig& config,
                                                 std::string_view session_name);

// The session plus sso_account_id and sso_role_name: nullopt when the profile does not use SSO.
// A missing sso_account_id or sso_role_name is "sso.config_incomplete" naming them.
Result<std::optional<SsoProfileConfig>> ResolveSsoProfile(const AwsConfig& config,
                                                          std::string_view profile);

}  // namespace brock
