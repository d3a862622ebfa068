#include "aws/sso_portal_client.h"

#include <nlohmann/json.hpp>

#include "aws/aws_error.h"
#include "aws/credentials.h"
#include "aws/uri.h"
#include "base/json.h"
#include "base/secrets.h"

namespace brock {

namespace {

constexpr std::chrono::milliseconds kTotalTimeout{30000};
constexpr int kMaxPages = 1000;

std::string StringField(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Error BadResponse(std::string_view operation, std::string_view what) {
  return MakeError(
      "sso.bad_response",
      "IAM Identity Center " + std::string(operation) + " returned " + std::string(what),
      "check AWS_ENDPOINT_URL_SSO / the sso_region of your profile; retry with --debug");
}

Result<Json> ParseObject(std::string_view operation, const std::string& body) {
  Json j = ParseJsonOrDiscarded(body);
  if (j.is_discarded() || !j.is_object())
    return BadResponse(operation, "a body that is not a JSON object");
  return j;
}

}  // namespace

SsoPortalClient::SsoPortalClient(HttpClient& http, std::string endpoint)
    : http_(http), endpoint_(std::move(endpoint)) {
  while (!endpoint_.empty() && endpoint_.back() == '/') endpoint_.pop_back();
}

Result<std::string> SsoPortalClient::Get(std::string_view operation,
                                         const std::string& path_and_query,
                                         std::string_view access_token) {
  HttpRequest request;
  request.method = "GET";
  request.url = endpoint_ + path_and_query;
  request.headers = {{"x-amz-sso_bearer_token", std::string(access_token)},
                     {"Accept", "application/json"}};
  request.total_timeout = kTotalTimeout;
  request.max_response_bytes = kCredentialResponseMaxBytes;
  auto response = http_.Send(request);
  if (!response.ok()) {
    Error e = std::move(response).error();
    e.message = ScrubSecrets(e.message);
    return e;
  }
  if (response->status < 200 || response->status >= 300) {
    return ParseAwsJsonError(response->status, response->headers, response->body);
  }
  return std::move(response->body);
}

Result<SsoRoleCredentials> SsoPortalClient::GetRoleCredentials(std::string_view access_token,
                                                               std::string_view role_name,
                                                               std::string_view account_id) {
  std::string path = "/federation/credentials?role_name=" + UriEncode(role_name, true) +
                     "&account_id=" + UriEncode(account_id, true);
  auto body = Get("GetRoleCredentials", path, access_token);
  if (!body.ok()) return std::move(body).error();
  auto j = ParseObject("GetRoleCredentials", *body);
  if (!j.ok()) return std::move(j).error();
  auto rc = j->find("roleCredentials");
  if (rc == j->end() || !rc->is_object())
    return BadResponse("GetRoleCredentials", "no roleCredentials");
  SsoRoleCredentials out;
  out.access_key_id = StringField(*rc, "accessKeyId");
  out.secret_access_key = StringField(*rc, "secretAccessKey");
  out.session_token = StringField(*rc, "sessionToken");
  RegisterSecret(out.secret_access_key);
  RegisterSecret(out.session_token);
  auto exp = rc->find("expiration");
  if (exp != rc->end() && exp->is_number()) {
    out.expiration_ms =
        exp->is_number_float() ? static_cast<int64_t>(exp->get<double>()) : exp->get<int64_t>();
  }
  if (out.access_key_id.empty() || out.secret_access_key.empty()) {
    return BadResponse("GetRoleCredentials", "no accessKeyId or secretAccessKey");
  }
  return out;
}

Result<std::vector<SsoAccountInfo>> SsoPortalClient::ListAccounts(std::string_view access_token) {
  std::vector<SsoAccountInfo> out;
  std::string next;
  for (int page = 0; page < kMaxPages; ++page) {
    std::string path = "/assignment/accounts";
    if (!next.empty()) path += "?next_token=" + UriEncode(next, true);
    auto body = Get("ListAccounts", path, access_token);
    if (!body.ok()) return std::move(body).error();
    auto j = ParseObject("ListAccounts", *body);
    if (!j.ok()) return std::move(j).error();
    if (auto list = j->find("accountList"); list != j->end() && list->is_array()) {
      for (const Json& a : *list) {
        if (!a.is_object()) continue;
        out.push_back({StringField(a, "accountId"), StringField(a, "accountName"),
                       StringField(a, "emailAddress")});
      }
    }
    next = StringField(*j, "nextToken");
    if (next.empty()) return out;
  }
  return BadResponse("ListAccounts", "more than " + std::to_string(kMaxPages) + " pages");
}

Result<std::vector<SsoRoleInfo>> SsoPortalClient::ListAccountRoles(std::string_view access_token,
                                                                   std::string_view account_id) {
  std::vector<SsoRoleInfo> out;
  std::string next;
  for (int page = 0; page < kMaxPages; ++page) {
    std::string path = "/assignment/roles?account_id=" + UriEncode(account_id, true);
    if (!next.empty()) path += "&next_token=" + UriEncode(next, true);
    auto body = Get("ListAccountRoles", path, access_token);
    if (!body.ok()) return std::move(body).error();
    auto j = ParseObject("ListAccountRoles", *body);
    if (!j.ok()) return std::move(j).error();
    if (auto list = j->find("roleList"); list != j->end() && list->is_array()) {
      for (const Json& r : *list) {
        if (!r.is_object()) continue;
        out.push_back({StringField(r, "roleName"), StringField(r, "accountId")});
      }
    }
    next = StringField(*j, "nextToken");
    if (next.empty()) return out;
  }
  return BadResponse("ListAccountRoles", "more than " + std::to_string(kMaxPages) + " pages");
}

}  // namespace brock
