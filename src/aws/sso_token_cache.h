// The IAM Identity Center (SSO) token cache that the AWS CLI, botocore and every AWS SDK share:
// one JSON file per session at ~/.aws/sso/cache/<sha1 hex of key>.json, the key being the
// sso-session name (profiles with `sso_session = NAME`) or the start URL (legacy profiles with
// `sso_start_url` on the profile itself). Format (docs/sso.md):
//
//   {"startUrl": "https://my-sso-portal.awsapps.com/start", "region": "us-east-1",
//    "accessToken": "...", "expiresAt": "2026-01-01T08:00:00Z",
//    "clientId": "...", "clientSecret": "...", "registrationExpiresAt": "2026-03-31T00:00:00Z",
//    "refreshToken": "..."}
//
// accessToken and expiresAt are required; the rest only matter for refreshing (sso-session
// form). Fields brock does not know are kept when it writes a token back.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/env.h"
#include "base/error.h"

namespace brock {

struct SsoToken {
  std::string access_token;
  Clock::time_point expires_at;
  std::string refresh_token;  // "" when absent
  std::string client_id;      // "" when absent
  std::string client_secret;  // "" when absent
  std::optional<Clock::time_point> registration_expires_at;
  std::string region;     // "" when absent
  std::string start_url;  // "" when absent
  // The JSON object the token was read from ("" for a new token). SerializeSsoToken starts
  // from it, so fields written by other tools survive a refresh.
  std::string original_json;

  // True when refresh_token, client_id, client_secret and registration_expires_at are all
  // present and the registration has not expired at `now`.
  bool CanRefresh(Clock::time_point now) const;
};

// Parses an ISO-8601 / RFC 3339 timestamp as the SDKs write them: "2044-04-04T07:00:01Z",
// with optional fractional seconds ("...01.123Z"), a numeric offset ("+02:00", "-0700"),
// "UTC", or no zone at all (taken as UTC); 'T' or a space between date and time.
// nullopt when the text is not such a timestamp.
std::optional<Clock::time_point> ParseSsoTime(std::string_view text);
// Formats as the AWS CLI does: "%Y-%m-%dT%H:%M:%SZ" in UTC (whole seconds, rounded down).
std::string FormatSsoTime(Clock::time_point time);

// The cache file name for a session name or start URL: sha1 hex of the UTF-8 key + ".json".
std::string SsoCacheFileName(std::string_view key);
// <home>/.aws/sso/cache/<SsoCacheFileName(key)>, home being $HOME, else Env::HomeDir().
std::string SsoTokenCachePath(const Env& env, std::string_view key);

// Parses a cache file's text. `path` names the file in messages; `profile` goes into the fix.
// Errors: code "sso.cache_invalid", message naming the file and what is wrong (not JSON, not an
// object, accessToken or expiresAt missing / not a string / not a timestamp), fix "run: brock
// login --profile NAME (or aws sso login --profile NAME)". Never includes token values.
// Registers the access token, refresh token and client secret with RegisterSecret.
Result<SsoToken> ParseSsoToken(std::string_view text, std::string_view path,
                               std::string_view profile);

// Reads and parses the file at `path`; nullopt when it does not exist. An unreadable file is
// "sso.cache_invalid" too.
Result<std::optional<SsoToken>> ReadSsoToken(const Env& env, const std::string& path,
                                             std::string_view profile);

// The JSON text of `token`: its original_json object with the known fields set from `token`
// (known fields that are empty in `token` are removed), on one line as botocore writes it.
std::string SerializeSsoToken(const SsoToken& token);

// Writes `token` to `path` through Env::WriteFileAtomic with mode 0600 (the directory is
// created 0700 when missing). Errors: "sso.cache_write" naming the path.
Status WriteSsoToken(Env& env, const std::string& path, const SsoToken& token);

}  // namespace brock
