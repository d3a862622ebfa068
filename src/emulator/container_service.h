// The emulator's container credentials endpoint (what the ECS agent or the EKS Pod Identity
// agent serves), on the same port as the Bedrock runtime:
//   GET <path> (default /container-credentials)
//     with "Authorization: <token>" equal to the configured token (when one is configured; else
//     no check) -> 200 {"AccessKeyId","SecretAccessKey","Token","Expiration","RoleArn"}
//     wrong or missing token -> 401 {"code":"AccessDenied","message":...}
// Credentials come from the IssuedCredentialStore shared with the runtime; the same ones are
// answered until less than half of their lifetime is left. Calls are recorded (operation
// ContainerCredentials, auth_kind "token"); the Authorization value is redacted.
//
// Wiring (emulator.cc): `if (container->Handle(request, writer)) return;` before the runtime.
// Clients reach it through AWS_CONTAINER_CREDENTIALS_FULL_URI=<emulator URL><path> and
// AWS_CONTAINER_AUTHORIZATION_TOKEN.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "emulator/http_server.h"
#include "emulator/issued_credentials.h"
#include "emulator/request_log.h"

namespace brock {

struct ContainerServiceOptions {
  std::string path = "/container-credentials";
  std::string token;  // "" : no Authorization check
  std::string role_arn = "arn:aws:iam::111122223333:role/emulator-task-role";
};

class ContainerService {
 public:
  // `issued` and `recorder` must outlive the service.
  ContainerService(ContainerServiceOptions options, IssuedCredentialStore* issued,
                   RequestRecorder* recorder);

  // Answers and returns true for GET <path> (query ignored); false, writing nothing, otherwise.
  bool Handle(const HttpRequest& request, ResponseWriter& writer);

 private:
  ContainerServiceOptions options_;
  IssuedCredentialStore* issued_;
  RequestRecorder* recorder_;
  std::mutex mu_;
  std::optional<IssuedCredential> current_;
};

}  // namespace brock
