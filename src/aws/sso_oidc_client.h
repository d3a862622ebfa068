// A client for the IAM Identity Center OIDC service (SSO-OIDC, service id "oidc"): REST-JSON,
// unsigned, at https://oidc.{sso_region}.amazonaws.com (or AWS_ENDPOINT_URL_SSO_OIDC, resolved
// by the caller with ResolveEndpoint(..., "oidc", sso_region)).
//
//   RegisterClient           POST /client/register       {clientName, clientType, scopes}
//   StartDeviceAuthorization POST /device_authorization  {clientId, clientSecret, startUrl}
//   CreateToken              POST /token                 {clientId, clientSecret, grantType,
//                                                         deviceCode | refreshToken}
//
// Service errors come back as ParseAwsJsonError builds them: code "aws.<Type>", e.g.
// "aws.InvalidGrantException" (the refresh token or device code is dead),
// "aws.AuthorizationPendingException", "aws.SlowDownException", "aws.ExpiredTokenException",
// "aws.AccessDeniedException", with `retryable` set for 5xx/throttling. Transport failures are
// the HttpClient's "net.*" errors. No message ever contains a token or secret.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "base/error.h"
#include "net/http_client.h"

namespace brock {

inline constexpr char kDeviceCodeGrantType[] = "urn:ietf:params:oauth:grant-type:device_code";
inline constexpr char kRefreshTokenGrantType[] = "refresh_token";

struct SsoClientRegistration {
  std::string client_id;
  std::string client_secret;
  int64_t client_id_issued_at = 0;       // epoch seconds
  int64_t client_secret_expires_at = 0;  // epoch seconds
};

struct SsoDeviceAuthorization {
  std::string device_code;
  std::string user_code;
  std::string verification_uri;
  std::string verification_uri_complete;
  int64_t expires_in = 0;  // seconds; 0 when the service did not say
  int64_t interval = 0;    // seconds between polls; 0 when the service did not say
};

struct SsoOidcToken {
  std::string access_token;
  std::string token_type;
  std::string refresh_token;  // "" when none was issued
  std::string id_token;
  int64_t expires_in = 0;  // seconds
};

// True when `error` is the SSO-OIDC error `type` ("InvalidGrantException").
bool IsOidcError(const Error& error, std::string_view type);

class SsoOidcClient {
 public:
  // `endpoint`: "https://oidc.us-east-1.amazonaws.com" or a configured URL (no trailing '/').
  SsoOidcClient(HttpClient& http, std::string endpoint);

  // Registers a public client. `scopes` may be empty (legacy start-URL flow, no refresh token).
  Result<SsoClientRegistration> RegisterClient(std::string_view client_name,
                                               std::string_view client_type,
                                               const std::vector<std::string>& scopes);
  Result<SsoDeviceAuthorization> StartDeviceAuthorization(std::string_view client_id,
                                                          std::string_view client_secret,
                                                          std::string_view start_url);
  // grant_type "refresh_token": a new access token (and maybe a new refresh token).
  Result<SsoOidcToken> CreateTokenWithRefreshToken(std::string_view client_id,
                                                   std::string_view client_secret,
                                                   std::string_view refresh_token);
  // grant_type device_code: one poll of a device authorization.
  Result<SsoOidcToken> CreateTokenWithDeviceCode(std::string_view client_id,
                                                 std::string_view client_secret,
                                                 std::string_view device_code);

 private:
  // POSTs `body` (JSON) to endpoint_ + path; the parsed 2xx body is returned as text.
  Result<std::string> Post(std::string_view path, std::string body);
  Result<SsoOidcToken> CreateToken(const std::string& body);

  HttpClient& http_;
  std::string endpoint_;
};

}  // namespace brock
