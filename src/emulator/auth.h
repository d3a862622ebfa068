// Request authentication as Bedrock performs it: SigV4 (verified with aws/sigv4.h against
// configured key pairs), a Bedrock API key ("Authorization: Bearer <token>"), or nothing at all
// when the emulator runs with --no-auth.
#pragma once

#include <map>
#include <set>
#include <string>

#include "base/env.h"
#include "emulator/issued_credentials.h"
#include "net/http_client.h"

namespace brock {

struct AuthConfig {
  std::map<std::string, std::string> access_keys;  // access key id -> secret access key
  std::string session_token;      // when non-empty, SigV4 requests must carry exactly this
  std::set<std::string> expired;  // session tokens or access key ids answered as expired
  std::string bearer_token;       // accepted as "Authorization: Bearer <token>"; "" = none
  bool no_auth = false;           // accept every request, signed or not
  std::string region = "us-east-1";
  std::string service = "bedrock";
  // Temporary credentials issued at run time (STS, IMDS, container endpoint), accepted with
  // their own session token until they expire (then ExpiredTokenException); the `session_token`
  // requirement above does not apply to them. Not owned; may be null. The store is
  // thread-safe, so keys can be added while requests are being checked.
  const IssuedCredentialStore* issued = nullptr;
};

struct AuthOutcome {
  bool ok = false;
  std::string kind;           // "sigv4", "bearer" or "none"
  std::string access_key_id;  // for sigv4, when known
  int status = 0;             // HTTP status when !ok (403)
  std::string error_type;     // InvalidSignatureException, ExpiredTokenException, ...
  std::string message;        // as AWS words it; never contains a secret
};

// Checks `request` (as received: raw path, headers, body) against `config` at time `now`.
// Issued credentials expire by their store's clock.
AuthOutcome CheckAuth(const HttpRequest& request, const AuthConfig& config, Clock::time_point now);

// The access key id named in a SigV4 Authorization header's Credential=, or "".
std::string AccessKeyIdFromAuthorization(const std::string& authorization);

}  // namespace brock
