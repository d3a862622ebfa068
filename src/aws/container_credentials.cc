#include "aws/container_credentials.h"

#include <arpa/inet.h>

#include <nlohmann/json.hpp>

#include "aws/credential_time.h"
#include "aws/credentials.h"
#include "aws/uri.h"
#include "base/json.h"
#include "base/secrets.h"
#include "base/strings.h"

namespace brock {

namespace {

constexpr char kEcsHost[] = "http://169.254.170.2";
constexpr char kFix[] =
    "unset AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / AWS_CONTAINER_CREDENTIALS_FULL_URI when not "
    "running in a container that provides credentials";

bool IsLoopback(std::string host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    in6_addr a6{};
    if (inet_pton(AF_INET6, host.c_str(), &a6) != 1) return false;
    if (IN6_IS_ADDR_LOOPBACK(&a6)) return true;
    // ::ffff:127.x.x.x
    return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
  }
  in_addr a4{};
  if (inet_pton(AF_INET, host.c_str(), &a4) != 1) return false;
  return (ntohl(a4.s_addr) >> 24) == 127;
}

}  // namespace

bool ContainerUrlAllowed(std::string_view url) {
  auto parsed = ParseUrl(url);
  if (!parsed.ok()) return false;
  if (parsed->scheme == "https") return true;
  if (parsed->scheme != "http") return false;
  const std::string& host = parsed->host;
  if (IsLoopback(host)) return true;
  return host == "localhost" || host == "169.254.170.2" || host == "169.254.170.23" ||
         host == "[fd00:ec2::23]";
}

ContainerCredentialProvider::ContainerCredentialProvider(const Env& env, HttpClient& http)
    : env_(env), http_(http) {}

Result<std::optional<Credentials>> ContainerCredentialProvider::Load() {
  auto relative = env_.GetVar("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  auto full = env_.GetVar("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (!relative && !full) return std::optional<Credentials>();
  std::string url, origin;
  if (relative) {
    url = std::string(kEcsHost) + (StartsWith(*relative, "/") ? "" : "/") + *relative;
    origin = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (from " +
             env_.VarOrigin("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") + ")";
  } else {
    url = *full;
    origin = "AWS_CONTAINER_CREDENTIALS_FULL_URI (from " +
             env_.VarOrigin("AWS_CONTAINER_CREDENTIALS_FULL_URI") + ")";
    if (!ContainerUrlAllowed(url)) {
      return MakeError(
          "container.host_not_allowed",
          origin + " is " + url +
              ", but container credentials may only come from an https URL, a "
              "loopback address, or localhost, 169.254.170.2, 169.254.170.23, fd00:ec2::23",
          "point AWS_CONTAINER_CREDENTIALS_FULL_URI at the local credentials agent, "
          "or unset it");
    }
  }

  std::string token;
  if (auto file = env_.GetVar("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
    auto text = env_.ReadFile(*file);
    if (!text.ok()) {
      return MakeError("container.token_unreadable",
                       "cannot read the container authorization token file " + *file +
                           " (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE from " +
                           env_.VarOrigin("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") + ")",
                       "check that the file exists and is readable by this user");
    }
    token = std::string(Trim(*text));
  } else if (auto value = env_.GetVar("AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
    token = std::string(Trim(*value));
  }
  RegisterSecret(token);
  if (token.find_first_of("\r\n") != std::string::npos) {
    return MakeError("container.bad_token",
                     "the container authorization token contains a line break, which is not a "
                     "legal header value",
                     "check AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)");
  }

  HttpRequest request;
  request.method = "GET";
  request.url = url;
  request.headers = {{"Accept", "application/json"}};
  if (!token.empty()) request.headers.emplace_back("Authorization", token);
  request.connect_timeout = std::chrono::seconds(2);
  request.total_timeout = std::chrono::seconds(2);
  request.max_response_bytes = kCredentialResponseMaxBytes;
  Result<HttpResponse> response = MakeError("container.unreachable", "");
  for (int attempt = 1; attempt <= 3; ++attempt) {
    response = http_.Send(request);
    bool retry = response.ok() ? response->status >= 500 : response.error().retryable;
    if (!retry || attempt == 3) break;
    const_cast<Env&>(env_).SleepFor(std::chrono::seconds(1));
  }
  if (!response.ok()) {
    return MakeError("container.unreachable",
                     "cannot reach the container credentials endpoint " + url + " (" + origin +
                         "): " + response.error().message,
                     kFix);
  }
  if (response->status != 200) {
    std::string detail;
    Json j = ParseJsonOrDiscarded(response->body);
    if (j.is_object()) {
      for (const char* key : {"message", "Message", "code", "Code"}) {
        if (j.contains(key) && j[key].is_string()) {
          detail = ": " + j[key].get<std::string>();
          break;
        }
      }
    }
    Error e =
        MakeError("container.failed",
                  "the container credentials endpoint " + url + " (" + origin + ") answered HTTP " +
                      std::to_string(response->status) + ScrubSecrets(detail),
                  response->status == 401 || response->status == 403
                      ? "check AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE): the agent refused it"
                      : "check the task or pod role configuration");
    e.http_status = response->status;
    return e;
  }
  Json j = ParseJsonOrDiscarded(response->body);
  auto bad = [&](const std::string& what) {
    return MakeError("container.bad_response",
                     "the container credentials endpoint " + url + " answered " + what, kFix);
  };
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
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return bad("JSON without AccessKeyId and SecretAccessKey");
  }
  std::string expiration = str("Expiration");
  if (!expiration.empty()) {
    auto t = ParseIso8601(expiration);
    if (!t) return bad("an unreadable Expiration \"" + expiration + "\"");
    c.expiration = *t;
  }
  c.account_id = str("AccountId");
  c.source = "container credentials (" + origin + ")";
  return std::optional<Credentials>(std::move(c));
}

}  // namespace brock
