// A client for the IAM Identity Center portal API (service id "portal.sso"): REST-JSON,
// authorized by the SSO access token in the `x-amz-sso_bearer_token` header (no SigV4), at
// https://portal.sso.{sso_region}.amazonaws.com (or AWS_ENDPOINT_URL_SSO, resolved by the caller
// with ResolveEndpoint(..., "portal.sso", sso_region)).
//
//   GetRoleCredentials  GET /federation/credentials?role_name=R&account_id=A
//   ListAccounts        GET /assignment/accounts[?next_token=T]
//   ListAccountRoles    GET /assignment/roles?account_id=A[&next_token=T]
//
// Service errors are ParseAwsJsonError's "aws.<Type>" errors: "aws.UnauthorizedException" means
// the access token is expired or was revoked; "aws.ForbiddenException" /
// "aws.ResourceNotFoundException" mean no access to that account or role. No message ever
// contains the access token or the returned keys.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "net/http_client.h"

namespace brock {

struct SsoRoleCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  int64_t expiration_ms = 0;  // epoch milliseconds
};

struct SsoAccountInfo {
  std::string account_id;
  std::string account_name;
  std::string email_address;
};

struct SsoRoleInfo {
  std::string role_name;
  std::string account_id;
};

class SsoPortalClient {
 public:
  // `endpoint`: "https://portal.sso.us-east-1.amazonaws.com" or a configured URL.
  SsoPortalClient(HttpClient& http, std::string endpoint);

  // Exchanges the access token for the role's temporary keys (registered as secrets).
  // A response without keys is "sso.bad_response".
  Result<SsoRoleCredentials> GetRoleCredentials(std::string_view access_token,
                                                std::string_view role_name,
                                                std::string_view account_id);
  // Every account the token can reach (all pages).
  Result<std::vector<SsoAccountInfo>> ListAccounts(std::string_view access_token);
  // Every role the token can assume in `account_id` (all pages).
  Result<std::vector<SsoRoleInfo>> ListAccountRoles(std::string_view access_token,
                                                    std::string_view account_id);

 private:
  // GETs endpoint_ + path_and_query with the bearer header; the 2xx body parsed as an object.
  Result<std::string> Get(std::string_view operation, const std::string& path_and_query,
                          std::string_view access_token);

  HttpClient& http_;
  std::string endpoint_;
};

}  // namespace brock
