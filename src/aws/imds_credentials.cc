#include "aws/imds_credentials.h"

#include <nlohmann/json.hpp>

#include "aws/credential_time.h"
#include "aws/credentials.h"
#include "base/json.h"
#include "base/log.h"
#include "base/secrets.h"
#include "base/strings.h"

namespace brock {

namespace {

constexpr char kCredentialsPath[] = "/latest/meta-data/iam/security-credentials/";

}  // namespace

std::string ImdsEndpoint(const Env& env, const ImdsOptions& options) {
  std::string url;
  if (auto v = env.GetNonEmpty("AWS_EC2_METADATA_SERVICE_ENDPOINT")) {
    url = *v;
  } else if (!options.config_endpoint.empty()) {
    url = options.config_endpoint;
  } else {
    std::string mode = ToLower(env.GetNonEmpty("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
                                   .value_or(options.config_endpoint_mode));
    url = mode == "ipv6" ? "http://[fd00:ec2::254]" : "http://169.254.169.254";
  }
  while (EndsWith(url, "/")) url.pop_back();
  return url;
}

ImdsCredentialProvider::ImdsCredentialProvider(const Env& env, HttpClient& http,
                                               ImdsOptions options)
    : env_(env), http_(http), options_(std::move(options)) {}

Result<std::optional<Credentials>> ImdsCredentialProvider::Load() {
  const std::optional<Credentials> none;
  if (ToLower(env_.GetVar("AWS_EC2_METADATA_DISABLED").value_or("")) == "true") return none;
  std::string base = ImdsEndpoint(env_, options_);
  auto request = [&](std::string method, std::string path) {
    HttpRequest r;
    r.method = std::move(method);
    r.url = base + path;
    r.connect_timeout = options_.timeout;
    r.total_timeout = options_.timeout;
    r.max_response_bytes = kCredentialResponseMaxBytes;
    return r;
  };

  HttpRequest put = request("PUT", "/latest/api/token");
  put.headers = {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}};
  auto token_response = http_.Send(put);
  if (!token_response.ok()) {
    DebugLog("IMDS at " + base + " unreachable: " + token_response.error().message);
    return none;
  }
  std::string token;
  int status = token_response->status;
  if (status == 200) {
    token = std::string(Trim(token_response->body));
    RegisterSecret(token);
  } else if (status == 400) {
    return MakeError(
        "imds.bad_request",
        "the instance metadata service at " + base + " refused the IMDSv2 token request (HTTP 400)",
        "check AWS_EC2_METADATA_SERVICE_ENDPOINT; if this is not an EC2 instance, set "
        "AWS_EC2_METADATA_DISABLED=true");
  } else if (status == 403 || status == 404 || status == 405) {
    if (ToLower(env_.GetVar("AWS_EC2_METADATA_V1_DISABLED").value_or("")) == "true") {
      return MakeError(
          "imds.v1_disabled",
          "the instance metadata service at " + base + " gave no IMDSv2 token (HTTP " +
              std::to_string(status) + ") and AWS_EC2_METADATA_V1_DISABLED forbids IMDSv1",
          "allow IMDSv2 on the instance (or its hop limit) or unset AWS_EC2_METADATA_V1_DISABLED");
    }
  } else {
    DebugLog("IMDS token request answered HTTP " + std::to_string(status));
    return none;
  }

  auto get = [&](const std::string& path) -> std::optional<std::string> {
    HttpRequest r = request("GET", path);
    if (!token.empty()) r.headers = {{"X-aws-ec2-metadata-token", token}};
    auto resp = http_.Send(r);
    if (!resp.ok()) {
      DebugLog("IMDS GET " + path + ": " + resp.error().message);
      return std::nullopt;
    }
    if (resp->status != 200 || resp->body.empty()) {
      DebugLog("IMDS GET " + path + " answered HTTP " + std::to_string(resp->status));
      return std::nullopt;
    }
    return std::move(resp->body);
  };

  auto roles = get(kCredentialsPath);
  if (!roles) return none;  // no role attached to the instance
  std::string role(Trim(Split(*roles, '\n')[0]));
  if (role.empty()) return none;
  auto body = get(kCredentialsPath + role);
  if (!body) return none;
  auto bad = [&](const std::string& what) {
    return MakeError(
        "imds.bad_response",
        "the instance metadata service at " + base + " answered " + what + " for role " + role,
        "if this is not an EC2 instance, set AWS_EC2_METADATA_DISABLED=true");
  };
  Json j = ParseJsonOrDiscarded(*body);
  if (!j.is_object()) return bad("something that is not a JSON object");
  auto str = [&](const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
  };
  Credentials c;
  c.access_key_id = str("AccessKeyId");
  c.secret_access_key = str("SecretAccessKey");
  c.session_token = str("Token");
  RegisterSecret(c.secret_access_key);
  RegisterSecret(c.session_token);
  std::string code = str("Code");
  if (!code.empty() && code != "Success") {
    return bad("Code \"" + code + "\" (" + str("Message") + ")");
  }
  if (c.access_key_id.empty() || c.secret_access_key.empty() || c.session_token.empty()) {
    return bad("credentials without AccessKeyId, SecretAccessKey or Token");
  }
  std::string expiration = str("Expiration");
  if (!expiration.empty()) {
    auto t = ParseIso8601(expiration);
    if (!t) return bad("an unreadable Expiration \"" + expiration + "\"");
    c.expiration = *t;
  }
  c.source = "EC2 instance metadata (role " + role + " via " + base + ")";
  return std::optional<Credentials>(std::move(c));
}

}  // namespace brock
