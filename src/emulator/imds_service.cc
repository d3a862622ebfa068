#include "emulator/imds_service.h"

#include <nlohmann/json.hpp>

#include "aws/credential_time.h"
#include "base/crypto.h"
#include "base/strings.h"

namespace brock {

namespace {

constexpr char kCredentialsPath[] = "/latest/meta-data/iam/security-credentials/";

std::string PathOf(const std::string& url) {
  size_t scheme = url.find("://");
  size_t start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  std::string target = start == std::string::npos ? "/" : url.substr(start);
  return target.substr(0, target.find('?'));
}

}  // namespace

ImdsService::ImdsService(ImdsServiceOptions options, IssuedCredentialStore* issued,
                         RequestRecorder* recorder)
    : options_(std::move(options)), issued_(issued), recorder_(recorder) {}

int ImdsService::calls(const std::string& operation) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = calls_.find(operation);
  return it == calls_.end() ? 0 : it->second;
}

bool ImdsService::Handle(const HttpRequest& request, ResponseWriter& writer) {
  std::string path = PathOf(request.url);
  if (!StartsWith(path, "/latest/")) return false;
  RecordedRequest record;
  record.method = request.method;
  record.path = path;
  record.headers = RedactHeaders(request.headers);
  record.auth_kind = "token";
  auto answer = [&](int status, const std::string& content_type, const std::string& body,
                    HttpHeaders extra = {}) {
    record.status = status;
    if (status >= 400) record.error_type = std::to_string(status);
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++calls_[record.operation];
    }
    recorder_->Record(record);
    extra.insert(extra.begin(), {"Content-Type", content_type});
    extra.push_back({"Server", "EC2ws"});
    writer.Send(status, extra, body);
  };
  auto plain = [&](int status, const std::string& body) { answer(status, "text/plain", body); };

  Clock::time_point now = issued_->Now();
  if (path == "/latest/api/token") {
    record.operation = "ImdsGetToken";
    if (request.method != "PUT") {
      plain(405, "");
      return true;
    }
    std::string ttl = FindHeader(request.headers, "X-aws-ec2-metadata-token-ttl-seconds");
    char* end = nullptr;
    long seconds = ttl.empty() ? 0 : std::strtol(ttl.c_str(), &end, 10);
    if (ttl.empty() || *end != '\0' || seconds < 1 || seconds > 21600) {
      record.auth_ok = false;
      plain(400, "");
      return true;
    }
    std::string token = "AQAEA" + Base64Encode(RandomBytes(39));
    {
      std::lock_guard<std::mutex> lock(mu_);
      tokens_[token] = now + std::chrono::seconds(seconds);
    }
    record.auth_ok = true;
    answer(200, "text/plain", token,
           {{"X-aws-ec2-metadata-token-ttl-seconds", std::to_string(seconds)}});
    return true;
  }

  bool listing = path == kCredentialsPath;
  bool role_path = StartsWith(path, kCredentialsPath) && !listing;
  record.operation = listing ? "ImdsListRoles" : role_path ? "ImdsGetCredentials" : "ImdsGet";
  if (request.method != "GET") {
    plain(405, "");
    return true;
  }
  std::string token = FindHeader(request.headers, "X-aws-ec2-metadata-token");
  bool token_ok = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = tokens_.find(token);
    token_ok = it != tokens_.end() && now < it->second;
  }
  record.auth_ok = token_ok;
  if (!token_ok) {
    record.auth_error = token.empty() ? "MissingToken" : "InvalidToken";
    plain(401, "");
    return true;
  }
  if (listing) {
    plain(200, options_.role_name);
    return true;
  }
  if (!role_path || path.substr(sizeof(kCredentialsPath) - 1) != options_.role_name) {
    answer(404, "text/html",
           "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<html><head><title>404 - Not "
           "Found</title>"
           "</head><body><h1>404 - Not Found</h1></body></html>\n");
    return true;
  }
  IssuedCredential c;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!current_ || !issued_->StillFresh(*current_)) {
      current_ =
          issued_->Issue("arn:aws:sts::" + options_.account + ":assumed-role/" +
                             options_.role_name + "/" + options_.instance_id,
                         "AROA" + HexEncode(Sha256("imds/" + options_.role_name)).substr(0, 17) +
                             ":" + options_.instance_id,
                         "IMDS");
    }
    c = *current_;
  }
  nlohmann::json body = {{"Code", "Success"},
                         {"LastUpdated", FormatIso8601(c.issued_at)},
                         {"Type", "AWS-HMAC"},
                         {"AccessKeyId", c.access_key_id},
                         {"SecretAccessKey", c.secret_access_key},
                         {"Token", c.session_token},
                         {"Expiration", FormatIso8601(c.expires_at)}};
  record.access_key_id = c.access_key_id;
  answer(200, "text/plain", body.dump(2));
  return true;
}

}  // namespace brock
