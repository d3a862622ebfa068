// Credentials from the container credentials endpoint (ECS task roles, EKS Pod Identity,
// CodeBuild, Greengrass):
//   AWS_CONTAINER_CREDENTIALS_RELATIVE_URI  -> GET http://169.254.170.2<uri>  (wins when both set)
//   AWS_CONTAINER_CREDENTIALS_FULL_URI      -> GET <url>; as botocore allows it, the URL must be
//        https, or its host a loopback address (127.0.0.0/8, ::1) or one of localhost,
//        169.254.170.2, 169.254.170.23, fd00:ec2::23.
//   Authorization header: the content of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, else
//        AWS_CONTAINER_AUTHORIZATION_TOKEN (trimmed; a token with a line break is refused).
// The answer is JSON {"AccessKeyId","SecretAccessKey","Token","Expiration"[,"AccountId"]}.
// Timeouts as botocore: 2 s per request, up to 3 attempts 1 s apart for network errors and 5xx.
#pragma once

#include <string>
#include <string_view>

#include "aws/credential_provider.h"
#include "base/env.h"
#include "net/http_client.h"

namespace brock {

// True when the full-URI rules above allow `url` (scheme://host[:port]/...).
bool ContainerUrlAllowed(std::string_view url);

class ContainerCredentialProvider : public CredentialProvider {
 public:
  // `env` and `http` must outlive the provider.
  ContainerCredentialProvider(const Env& env, HttpClient& http);
  std::string name() const override {
    return "container credentials (AWS_CONTAINER_CREDENTIALS_*)";
  }
  // nullopt when neither variable is set. Errors: container.host_not_allowed,
  // container.token_unreadable, container.bad_token, container.unreachable, container.failed
  // (an HTTP error status), container.bad_response.
  Result<std::optional<Credentials>> Load() override;

 private:
  const Env& env_;
  HttpClient& http_;
};

}  // namespace brock
