#include "aws/sso_oidc_client.h"

#include <nlohmann/json.hpp>

#include "aws/aws_error.h"
#include "aws/credentials.h"
#include "base/error_codes.h"
#include "base/json.h"
#include "base/secrets.h"

namespace brock {

namespace {

constexpr std::chrono::milliseconds kTotalTimeout{30000};

std::string StringField(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t IntField(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return 0;
  if (it->is_number_integer() || it->is_number_unsigned()) return it->get<int64_t>();
  if (it->is_number_float()) return static_cast<int64_t>(it->get<double>());
  return 0;
}

Error BadResponse(std::string_view operation, std::string_view what) {
  return MakeError(
      "sso.bad_response",
      "IAM Identity Center OIDC " + std::string(operation) + " returned " + std::string(what),
      "check AWS_ENDPOINT_URL_SSO_OIDC / the sso_region of your profile; retry with --debug");
}

Result<Json> ParseBody(std::string_view operation, const std::string& body) {
  Json j = ParseJsonOrDiscarded(body);
  if (j.is_discarded() || !j.is_object())
    return BadResponse(operation, "a body that is not a JSON object");
  return j;
}

}  // namespace

bool IsOidcError(const Error& error, std::string_view type) {
  return errc::IsAwsException(error, type);
}

SsoOidcClient::SsoOidcClient(HttpClient& http, std::string endpoint)
    : http_(http), endpoint_(std::move(endpoint)) {
  while (!endpoint_.empty() && endpoint_.back() == '/') endpoint_.pop_back();
}

Result<std::string> SsoOidcClient::Post(std::string_view path, std::string body) {
  HttpRequest request;
  request.method = "POST";
  request.url = endpoint_ + std::string(path);
  request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  request.body = std::move(body);
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

Result<SsoClientRegistration> SsoOidcClient::RegisterClient(
    std::string_view client_name, std::string_view client_type,
    const std::vector<std::string>& scopes) {
  Json req = {{"clientName", client_name}, {"clientType", client_type}};
  if (!scopes.empty()) req["scopes"] = scopes;
  auto body = Post("/client/register", req.dump());
  if (!body.ok()) return std::move(body).error();
  auto j = ParseBody("RegisterClient", *body);
  if (!j.ok()) return std::move(j).error();
  SsoClientRegistration out;
  out.client_id = StringField(*j, "clientId");
  out.client_secret = StringField(*j, "clientSecret");
  out.client_id_issued_at = IntField(*j, "clientIdIssuedAt");
  out.client_secret_expires_at = IntField(*j, "clientSecretExpiresAt");
  RegisterSecret(out.client_secret);
  if (out.client_id.empty() || out.client_secret.empty()) {
    return BadResponse("RegisterClient", "no clientId or clientSecret");
  }
  return out;
}

Result<SsoDeviceAuthorization> SsoOidcClient::StartDeviceAuthorization(
    std::string_view client_id, std::string_view client_secret, std::string_view start_url) {
  Json req = {{"clientId", client_id}, {"clientSecret", client_secret}, {"startUrl", start_url}};
  auto body = Post("/device_authorization", req.dump());
  if (!body.ok()) return std::move(body).error();
  auto j = ParseBody("StartDeviceAuthorization", *body);
  if (!j.ok()) return std::move(j).error();
  SsoDeviceAuthorization out;
  out.device_code = StringField(*j, "deviceCode");
  out.user_code = StringField(*j, "userCode");
  out.verification_uri = StringField(*j, "verificationUri");
  out.verification_uri_complete = StringField(*j, "verificationUriComplete");
  out.expires_in = IntField(*j, "expiresIn");
  out.interval = IntField(*j, "interval");
  RegisterSecret(out.device_code);
  if (out.device_code.empty() ||
      (out.verification_uri.empty() && out.verification_uri_complete.empty())) {
    return BadResponse("StartDeviceAuthorization", "no deviceCode or verification URI");
  }
  return out;
}

Result<SsoOidcToken> SsoOidcClient::CreateToken(const std::string& request_body) {
  auto body = Post("/token", request_body);
  if (!body.ok()) return std::move(body).error();
  auto j = ParseBody("CreateToken", *body);
  if (!j.ok()) return std::move(j).error();
  SsoOidcToken out;
  out.access_token = StringField(*j, "accessToken");
  out.token_type = StringField(*j, "tokenType");
  out.refresh_token = StringField(*j, "refreshToken");
  out.id_token = StringField(*j, "idToken");
  out.expires_in = IntField(*j, "expiresIn");
  RegisterSecret(out.access_token);
  RegisterSecret(out.refresh_token);
  RegisterSecret(out.id_token);
  if (out.access_token.empty()) return BadResponse("CreateToken", "no accessToken");
  if (out.expires_in <= 0) return BadResponse("CreateToken", "no positive expiresIn");
  return out;
}

Result<SsoOidcToken> SsoOidcClient::CreateTokenWithRefreshToken(std::string_view client_id,
                                                                std::string_view client_secret,
                                                                std::string_view refresh_token) {
  Json req = {{"clientId", client_id},
              {"clientSecret", client_secret},
              {"grantType", kRefreshTokenGrantType},
              {"refreshToken", refresh_token}};
  return CreateToken(req.dump());
}

Result<SsoOidcToken> SsoOidcClient::CreateTokenWithDeviceCode(std::string_view client_id,
                                                              std::string_view client_secret,
                                                              std::string_view device_code) {
  Json req = {{"clientId", client_id},
              {"clientSecret", client_secret},
              {"grantType", kDeviceCodeGrantType},
              {"deviceCode", device_code}};
  return CreateToken(req.dump());
}

}  // namespace brock
