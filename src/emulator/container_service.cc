#include "emulator/container_service.h"

#include <nlohmann/json.hpp>

#include "aws/credential_time.h"
#include "base/strings.h"

namespace brock {

namespace {

std::string PathOf(const std::string& url) {
  size_t scheme = url.find("://");
  size_t start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  std::string target = start == std::string::npos ? "/" : url.substr(start);
  return target.substr(0, target.find('?'));
}

}  // namespace

ContainerService::ContainerService(ContainerServiceOptions options, IssuedCredentialStore* issued,
                                   RequestRecorder* recorder)
    : options_(std::move(options)), issued_(issued), recorder_(recorder) {}

bool ContainerService::Handle(const HttpRequest& request, ResponseWriter& writer) {
  if (request.method != "GET" || options_.path.empty() || PathOf(request.url) != options_.path) {
    return false;
  }
  RecordedRequest record;
  record.method = request.method;
  record.path = PathOf(request.url);
  record.operation = "ContainerCredentials";
  record.headers = RedactHeaders(request.headers);
  record.auth_kind = "token";
  auto send = [&](int status, const nlohmann::json& body) {
    record.status = status;
    recorder_->Record(record);
    writer.Send(status, {{"Content-Type", "application/json"}}, body.dump());
  };
  if (!options_.token.empty()) {
    std::string given = FindHeader(request.headers, "Authorization");
    if (given != options_.token) {
      record.auth_error = given.empty() ? "MissingToken" : "InvalidToken";
      record.error_type = "AccessDenied";
      send(401, {{"code", "AccessDenied"},
                 {"message", given.empty() ? "Authorization header is missing"
                                           : "Authorization token is not valid"}});
      return true;
    }
  }
  record.auth_ok = true;
  IssuedCredential c;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!current_ || !issued_->StillFresh(*current_)) {
      std::vector<std::string> parts = Split(options_.role_arn, ':');
      std::string account = parts.size() > 4 ? parts[4] : "111122223333";
      std::string role = options_.role_arn.substr(options_.role_arn.rfind('/') + 1);
      current_ =
          issued_->Issue("arn:aws:sts::" + account + ":assumed-role/" + role + "/emulator-task",
                         "AROAEMULATORTASKROLE:emulator-task", "Container");
    }
    c = *current_;
  }
  record.access_key_id = c.access_key_id;
  send(200, {{"AccessKeyId", c.access_key_id},
             {"SecretAccessKey", c.secret_access_key},
             {"Token", c.session_token},
             {"Expiration", FormatIso8601(c.expires_at)},
             {"RoleArn", options_.role_arn}});
  return true;
}

}  // namespace brock
