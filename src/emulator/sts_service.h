// The emulator's AWS STS endpoint (query protocol, API version 2011-06-15), served on the same
// port as the Bedrock runtime: POST / with a form body
//   Action=AssumeRole                 SigV4-signed (service "sts") by an accepted key pair or by
//                                     credentials the emulator issued; RoleArn, RoleSessionName
//   Action=AssumeRoleWithWebIdentity  unsigned; RoleArn, RoleSessionName, WebIdentityToken (any
//                                     non-empty token, or exactly the configured one)
//   Action=GetCallerIdentity          SigV4-signed; who the caller is
// Answers are STS's XML shapes (<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser>
// <Credentials>..., <GetCallerIdentityResponse>...), errors STS's
// <ErrorResponse><Error><Type>Sender</Type><Code>..</Code><Message>..</Message></Error>
// <RequestId>..</RequestId></ErrorResponse> with STS's HTTP status:
//   403 MissingAuthenticationToken, InvalidClientTokenId, SignatureDoesNotMatch, AccessDenied
//   400 IncompleteSignature, ExpiredToken, ValidationError, MissingParameter,
//       InvalidIdentityToken, InvalidAction
// Issued credentials come from an IssuedCredentialStore shared with the runtime, so they sign
// Bedrock calls (and further AssumeRole calls) until they expire. Every call is recorded in the
// request log with operation = the Action; WebIdentityToken values are redacted.
//
// Wiring (emulator.cc): `if (sts->Handle(request, writer)) return;` before the runtime.
// Clients reach it through AWS_ENDPOINT_URL_STS (the emulator URL).
#pragma once

#include <map>
#include <set>
#include <string>

#include "emulator/auth.h"
#include "emulator/http_server.h"
#include "emulator/issued_credentials.h"
#include "emulator/request_log.h"

namespace brock {

struct StsServiceOptions {
  // Checks signed calls: its access keys and issued store (service is forced to "sts"; region
  // must match as for the runtime; --no-auth turns the checks off).
  AuthConfig auth;
  std::string web_identity_token;        // "" : any non-empty token is accepted
  std::set<std::string> denied_roles;    // AssumeRole* on these role ARNs: AccessDenied
  std::string account = "111122223333";  // the account of the static keys' IAM user
};

class StsService {
 public:
  // `issued` and `recorder` must outlive the service.
  StsService(StsServiceOptions options, IssuedCredentialStore* issued, RequestRecorder* recorder);

  // Answers `request` and returns true when it is an STS call (POST / or POST /?... whose form
  // body or query carries Action=); returns false, writing nothing, otherwise.
  bool Handle(const HttpRequest& request, ResponseWriter& writer);

 private:
  StsServiceOptions options_;
  IssuedCredentialStore* issued_;
  RequestRecorder* recorder_;
};

// The pairs of an application/x-www-form-urlencoded body (or query string), decoded ('+' is a
// space). A repeated key keeps its last value.
std::map<std::string, std::string> ParseFormBody(std::string_view body);

// `text` with &, <, >, " and ' escaped for XML.
std::string XmlEscape(std::string_view text);

}  // namespace brock
