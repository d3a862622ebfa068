// The emulator's EC2 instance metadata service (IMDSv2 only, as on an instance with
// HttpTokens=required), served on the same port as the Bedrock runtime:
//   PUT /latest/api/token            header X-aws-ec2-metadata-token-ttl-seconds (1-21600)
//                                    required (else 400); answers a token (text/plain)
//   GET /latest/meta-data/iam/security-credentials/        -> the role name
//   GET /latest/meta-data/iam/security-credentials/<role>  -> {"Code":"Success",
//        "LastUpdated","Type":"AWS-HMAC","AccessKeyId","SecretAccessKey","Token","Expiration"}
// Every GET needs a valid, unexpired X-aws-ec2-metadata-token (else 401, as IMDS does); an
// unknown role or path is 404. Credentials come from the IssuedCredentialStore shared with the
// runtime; like IMDS, the same credentials are answered until less than half of their lifetime
// is left, then fresh ones. Calls are recorded (operations ImdsGetToken, ImdsListRoles,
// ImdsGetCredentials, auth_kind "token"); the token header is redacted.
//
// Wiring (emulator.cc): `if (imds->Handle(request, writer)) return;` before the runtime.
// Clients reach it through AWS_EC2_METADATA_SERVICE_ENDPOINT=<emulator URL>.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "emulator/http_server.h"
#include "emulator/issued_credentials.h"
#include "emulator/request_log.h"

namespace brock {

struct ImdsServiceOptions {
  std::string role_name = "emulator-ec2-role";
  std::string account = "111122223333";
  std::string instance_id = "i-0e1a2b3c4d5e6f708";
};

class ImdsService {
 public:
  // `issued` and `recorder` must outlive the service.
  ImdsService(ImdsServiceOptions options, IssuedCredentialStore* issued, RequestRecorder* recorder);

  // Answers and returns true for paths under /latest/; false, writing nothing, otherwise.
  bool Handle(const HttpRequest& request, ResponseWriter& writer);

  // How many calls of each operation were answered (any status). Thread-safe.
  int calls(const std::string& operation) const;

 private:
  ImdsServiceOptions options_;
  IssuedCredentialStore* issued_;
  RequestRecorder* recorder_;
  mutable std::mutex mu_;
  std::map<std::string, Clock::time_point> tokens_;  // token -> expiry
  std::optional<IssuedCredential> current_;
  std::map<std::string, int> calls_;
};

}  // namespace brock
