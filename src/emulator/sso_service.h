// The emulator's IAM Identity Center endpoints: SSO-OIDC (RegisterClient,
// StartDeviceAuthorization, CreateToken with the device_code and refresh_token grants) and the
// SSO portal (GetRoleCredentials, ListAccounts, ListAccountRoles, Logout), answering exactly as
// AWS does on the wire (REST-JSON; OIDC errors as 400 + x-amzn-ErrorType + {"error": "...",
// "error_description": "..."}; portal errors as 401/403 + x-amzn-ErrorType + {"message": ...}).
//
// Device authorizations are approved automatically after `approve_after_polls` polls. Access
// tokens expire `access_token_lifetime` after they are issued (by the service's clock, which a
// test can replace); tests can also expire every token or revoke every refresh token at once to
// drive brock's refresh and "login required" paths. GetRoleCredentials hands out the key pair
// the emulator's Bedrock runtime accepts, so SSO profiles work end to end.
//
// Wiring (emulator.cc): create one SsoService next to the BedrockRuntime and, in the server's
// handler, `if (sso->Handle(request, writer)) return;` before `runtime->Handle(...)`. Clients
// reach it through AWS_ENDPOINT_URL_SSO_OIDC and AWS_ENDPOINT_URL_SSO (both the emulator URL).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/env.h"
#include "emulator/http_server.h"

namespace brock {

struct SsoServiceOptions {
  // Returned by GetRoleCredentials: must be keys the Bedrock runtime accepts.
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // "" : a fixed "emulator-sso-session-token-..." value
  std::chrono::seconds role_credentials_lifetime{3600};
  std::chrono::seconds access_token_lifetime{8 * 3600};
  std::chrono::seconds registration_lifetime{90 * 24 * 3600};
  std::chrono::seconds device_code_lifetime{600};
  int64_t interval_seconds = 1;  // StartDeviceAuthorization's `interval`
  int approve_after_polls = 2;   // CreateToken(device_code) answers AuthorizationPending this often
  int slow_down_polls = 0;       // ... then SlowDown this often, then issues the token
  bool issue_refresh_tokens = true;  // when the client registered with scopes
  // Account id -> role names the signed-in user may use.
  std::map<std::string, std::vector<std::string>> account_roles = {
      {"111122223333", {"BedrockUser"}}};
  // The service's clock; null: the system clock.
  std::function<Clock::time_point()> now;
};

class SsoService {
 public:
  explicit SsoService(SsoServiceOptions options);
  ~SsoService();

  // Answers `request` and returns true when it is an SSO-OIDC or portal call (POST
  // /client/register, /device_authorization, /token, /logout; GET /federation/credentials,
  // /assignment/accounts, /assignment/roles); returns false, writing nothing, otherwise.
  bool Handle(const HttpRequest& request, ResponseWriter& writer);

  // --- test controls (thread-safe) ---
  // Accepts `access_token` until `expires_at`, as if this service had issued it.
  void AddAccessToken(const std::string& access_token, Clock::time_point expires_at);
  // Accepts `refresh_token` for the client (id, secret), as if issued after a device sign-in.
  void AddRefreshToken(const std::string& refresh_token, const std::string& client_id,
                       const std::string& client_secret);
  // Every access token issued or added so far is now expired (portal calls: 401).
  void ExpireAccessTokens();
  // Every refresh token is now dead (CreateToken(refresh_token): InvalidGrantException).
  void RevokeRefreshTokens();
  // Lifetime of access tokens issued from now on.
  void SetAccessTokenLifetime(std::chrono::seconds lifetime);
  // The next `count` calls of `operation` ("CreateToken", "GetRoleCredentials", ...) fail with
  // HTTP `status` and error `type` (e.g. 500 "InternalServerException").
  void FailNext(const std::string& operation, int count, int status, const std::string& type);
  // How often each operation was called ("RegisterClient", "StartDeviceAuthorization",
  // "CreateToken:device_code", "CreateToken:refresh_token", "GetRoleCredentials",
  // "ListAccounts", "ListAccountRoles", "Logout").
  int calls(const std::string& operation) const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace brock
