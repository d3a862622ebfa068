// Credentials of an EC2 instance's role from the instance metadata service, IMDSv2 first:
//   PUT  <endpoint>/latest/api/token   (X-aws-ec2-metadata-token-ttl-seconds: 21600)
//   GET  <endpoint>/latest/meta-data/iam/security-credentials/         -> role name
//   GET  <endpoint>/latest/meta-data/iam/security-credentials/<role>   -> JSON credentials
// with X-aws-ec2-metadata-token on both GETs. When the token PUT is refused with 403, 404 or 405
// the GETs go without a token (IMDSv1), unless AWS_EC2_METADATA_V1_DISABLED=true.
//
// Endpoint: AWS_EC2_METADATA_SERVICE_ENDPOINT, else the profile's ec2_metadata_service_endpoint
// (ImdsOptions), else http://169.254.169.254, or http://[fd00:ec2::254] when
// AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE (or the profile's ec2_metadata_service_endpoint_mode)
// is IPv6. AWS_EC2_METADATA_DISABLED=true turns the provider off.
//
// Like botocore (1 s timeout, 1 attempt), a machine that is not on EC2 costs at most about a
// second: connect and read time out after 1 s, nothing is retried, and an unreachable service
// means "not configured" (nullopt), not an error.
#pragma once

#include <chrono>
#include <string>

#include "aws/credential_provider.h"
#include "base/env.h"
#include "net/http_client.h"

namespace brock {

struct ImdsOptions {
  std::string config_endpoint;       // the profile's ec2_metadata_service_endpoint, if any
  std::string config_endpoint_mode;  // the profile's ec2_metadata_service_endpoint_mode, if any
  std::chrono::milliseconds timeout{1000};
};

// The IMDS base URL as described above (no trailing '/').
std::string ImdsEndpoint(const Env& env, const ImdsOptions& options);

class ImdsCredentialProvider : public CredentialProvider {
 public:
  // `env` and `http` must outlive the provider.
  ImdsCredentialProvider(const Env& env, HttpClient& http, ImdsOptions options = {});
  std::string name() const override { return "EC2 instance metadata"; }
  // nullopt when disabled, unreachable, or the instance has no role. Errors (the service
  // answered, but wrongly): imds.bad_request (400 to the token PUT), imds.v1_disabled (no token
  // and IMDSv1 disabled), imds.bad_response (unparseable or incomplete credentials JSON, or
  // "Code" other than "Success").
  Result<std::optional<Credentials>> Load() override;

 private:
  const Env& env_;
  HttpClient& http_;
  ImdsOptions options_;
};

}  // namespace brock
