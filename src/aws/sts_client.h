// StsClient: the three AWS STS calls brock makes, over the query protocol (form-encoded POST,
// XML answers, API version 2011-06-15):
//   AssumeRole                 SigV4-signed (service "sts") with the source credentials
//   AssumeRoleWithWebIdentity  unsigned: the web identity token is the proof
//   GetCallerIdentity          SigV4-signed; `brock whoami` and the oracle tests use it
// Error answers are parsed with ParseAwsXmlError and mapped to stable codes:
//   sts.access_denied (AccessDenied), sts.expired_token (ExpiredToken),
//   sts.invalid_credentials (InvalidClientTokenId, SignatureDoesNotMatch, IncompleteSignature,
//   UnrecognizedClient), sts.invalid_identity_token (InvalidIdentityToken, IDPRejectedClaim,
//   IDPCommunicationError), sts.region_disabled (RegionDisabledException),
//   sts.invalid_request (ValidationError, MalformedPolicyDocument, ...), sts.throttled, and
//   sts.failed for anything else; transport failures are sts.unreachable. The message is
//   "<Action> via <endpoint>: <AWS type>: <AWS message>"; callers (the role providers) rewrite
//   the message and fix to name the role and profile. Retryable failures (throttling, 5xx,
//   network) are retried up to 3 attempts in all.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/config_file.h"
#include "aws/credentials.h"
#include "base/env.h"
#include "base/error.h"
#include "net/http_client.h"

namespace brock {

struct StsEndpoint {
  std::string url;     // "https://sts.us-east-1.amazonaws.com", or a configured URL
  std::string region;  // signing region
  std::string origin;  // where the URL came from (ResolvedEndpoint::origin)
};

// The STS endpoint for `profile`: ResolveEndpoint(..., "sts", region), where region is the
// profile's resolved region (ResolveRegion); when no region is configured at all, us-east-1 (the
// SDKs' global STS endpoint lives there). Errors: region.invalid, endpoint.invalid.
Result<StsEndpoint> ResolveStsEndpoint(const Env& env, const AwsConfig& config,
                                       std::string_view profile);

struct AssumeRoleRequest {
  std::string role_arn;
  std::string role_session_name;        // required
  std::string external_id;              // optional
  std::optional<int> duration_seconds;  // optional
  std::string serial_number;            // MFA device, optional
  std::string token_code;               // MFA code, with serial_number
};

struct AssumeRoleWithWebIdentityRequest {
  std::string role_arn;
  std::string role_session_name;
  std::string web_identity_token;
  std::optional<int> duration_seconds;
};

struct CallerIdentity {
  std::string account, arn, user_id;
};

class StsClient {
 public:
  // `env` supplies the clock (signing time) and sleeps between retries. Both must outlive the
  // client.
  StsClient(const Env& env, HttpClient& http, StsEndpoint endpoint);

  // Returned credentials carry the expiration and the account id (from the assumed role ARN);
  // their secret parts are registered with RegisterSecret. `source` signs the call.
  Result<Credentials> AssumeRole(const Credentials& source, const AssumeRoleRequest& request);
  // Unsigned call; the token is registered as a secret.
  Result<Credentials> AssumeRoleWithWebIdentity(const AssumeRoleWithWebIdentityRequest& request);
  Result<CallerIdentity> GetCallerIdentity(const Credentials& creds);

  const StsEndpoint& endpoint() const { return endpoint_; }

 private:
  // Sends one query-protocol call (form `body` without Action/Version), signed when `creds` is
  // set; returns the 2xx XML body.
  Result<std::string> Call(std::string_view action, const std::string& params,
                           const Credentials* creds);

  const Env& env_;
  HttpClient& http_;
  StsEndpoint endpoint_;
};

// "k=v&k2=v2" with both sides percent-encoded as the query protocol wants.
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& params);

// The account id in an ARN ("arn:aws:sts::123456789012:assumed-role/x/y" -> "123456789012"),
// or "" when the ARN has none.
std::string AccountFromArn(std::string_view arn);

}  // namespace brock
