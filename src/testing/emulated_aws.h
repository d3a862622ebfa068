// EmulatedAws: the emulator's own STS, IMDS and IAM Identity Center (SSO-OIDC and portal)
// services (emulator/sts_service.h, emulator/imds_service.h, emulator/sso_service.h) served
// in-process on 127.0.0.1, for unit tests of brock's AWS clients and credential providers. There
// is no second, hand-written copy of STS, IMDS or SSO for tests: what the unit tests talk to is
// what `brock emulator` serves.
//
// Contract:
// - url() is the base URL; point AWS_ENDPOINT_URL_STS, AWS_EC2_METADATA_SERVICE_ENDPOINT,
//   AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_SSO_OIDC at it.
// - STS accepts SigV4 from the key pairs given to AddKey (any region: the service is rebuilt per
//   call for the region the request was signed for) and from the credentials it issued; issued
//   credentials are deterministic: the n-th issued (by STS or IMDS, n = 1, 2, ...) is
//   Issued(n), valid for one hour from the Env's clock. Static keys are the emulator's
//   IAM user, CallerArn(). Roles given to DenyRole are refused with AccessDenied. Role ARNs must
//   be valid (12-digit account) and session names 2-64 characters, as real STS requires.
// - SSO: sso() is the emulator's SsoService, on the Env's clock, with the test controls it has
//   (AddAccessToken, AddRefreshToken, ExpireAccessTokens, RevokeRefreshTokens, FailNext,
//   calls(operation)...). Its options start as DefaultSsoOptions(); ResetSso replaces the
//   service with a fresh one built from other options (forgetting its tokens and clients).
// - ForceResponse queues whole answers that replace the services' answers for the next calls
//   (fault injection: throttling, garbage bodies, wire forms the services never produce...).
// - Every STS call is kept (calls()); every call of any kind is kept (requests()).
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "emulator/http_server.h"
#include "emulator/imds_service.h"
#include "emulator/issued_credentials.h"
#include "emulator/request_log.h"
#include "emulator/sso_service.h"
#include "testing/test_http_server.h"

namespace brock::testing {

// One STS call as the emulated service received it.
struct StsCall {
  std::string action;
  std::map<std::string, std::string> params;  // decoded form fields
  TestHttpRequest raw;                        // method, target, headers and body as received
  bool signed_request = false;                // an Authorization header was sent
  std::string signer_key_id;                  // the access key id that signed it
  std::string verify_error;  // "" when the signature was accepted (or the call unsigned)
};

class EmulatedAws {
 public:
  static constexpr char kSeed[] = "unit";
  static constexpr char kAccount[] = "111122223333";

  // Starts serving; the services' clock is `env`'s (which must outlive this object).
  explicit EmulatedAws(const Env& env);
  ~EmulatedAws();
  EmulatedAws(const EmulatedAws&) = delete;
  EmulatedAws& operator=(const EmulatedAws&) = delete;

  // "http://127.0.0.1:<port>".
  std::string url() const;
  // Makes `key_id` / `secret` a valid signing identity (the emulator's IAM user).
  void AddKey(const std::string& key_id, const std::string& secret);
  // AssumeRole* on `role_arn` is refused with AccessDenied.
  void DenyRole(const std::string& role_arn);
  // The next call (of any kind) is answered with this status, body and headers instead (queued,
  // in order).
  void ForceResponse(int status, std::string body,
                     HttpHeaders headers = {{"Content-Type", "text/xml"}});
  // Replaces the SSO service with a fresh one built from `options`; a null options.now becomes
  // the Env's clock.
  void ResetSso(SsoServiceOptions options);

  // STS calls so far, in order.
  std::vector<StsCall> calls() const;
  // Every request so far (STS, IMDS, SSO or anything else), in order.
  std::vector<TestHttpRequest> requests() const;
  // The requests so far with this method and path (the target without its query), in order.
  std::vector<TestHttpRequest> requests(std::string_view method, std::string_view path) const;
  // The secret of credentials issued under `key_id`, or "".
  std::string SecretFor(const std::string& key_id) const;
  // The IMDS service (calls, role name in its options).
  const ImdsService& imds() const { return *imds_; }
  // The SSO-OIDC and portal service (test controls, calls(operation)).
  SsoService& sso() { return *sso_; }

  // The n-th credentials issued (1-based): key id, secret and token.
  static brock::IssuedCredential Issued(int n);
  // The ARN GetCallerIdentity answers for keys given to AddKey.
  static std::string CallerArn();
  // The role IMDS serves.
  static std::string ImdsRole();
  // The options the SSO service starts with: the emulator's defaults (account kAccount with role
  // "BedrockUser"), GetRoleCredentials handing out kSsoAccessKeyId / kSsoSecretAccessKey.
  static SsoServiceOptions DefaultSsoOptions();
  static constexpr char kSsoAccessKeyId[] = "ASIAEMULATEDSSOROLE1";
  static constexpr char kSsoSecretAccessKey[] = "emulated-sso-role-secret-0123456789";

 private:
  void Handle(const HttpRequest& request, ResponseWriter& writer);

  const Env& env_;
  IssuedCredentialStore issued_;
  RequestRecorder recorder_;
  mutable std::mutex mu_;
  std::map<std::string, std::string> keys_;
  std::set<std::string> denied_;
  struct Forced {
    int status;
    std::string body;
    HttpHeaders headers;
  };
  std::deque<Forced> forced_;
  std::vector<StsCall> calls_;
  std::vector<TestHttpRequest> requests_;
  std::unique_ptr<ImdsService> imds_;
  std::unique_ptr<SsoService> sso_;
  std::unique_ptr<HttpServer> server_;  // last: stops before the members above go away
};

}  // namespace brock::testing
