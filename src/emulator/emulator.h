// Emulator: a local Bedrock-compatible server, started in-process (C++ tests) or by the
// brock-emulator binary / `brock emulator` (emulator_cli.h). It listens on a loopback address
// only. Behaviour and script format: docs/emulator.md.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"
#include "emulator/issued_credentials.h"
#include "emulator/request_log.h"
#include "emulator/script.h"

namespace brock {

// The fixed test key pair accepted when no --access-key is given. Not a real AWS key.
inline constexpr char kEmulatorAccessKeyId[] = "AKIDEMULATOREXAMPLE";
inline constexpr char kEmulatorSecretAccessKey[] = "emulatorSecretKey/EXAMPLEKEY0123456789abcd";

struct EmulatorOptions {
  std::string host = "127.0.0.1";  // loopback only
  int port = 0;                    // 0: a free port
  // HTTPS: PEM certificate (chain) and private key files; both empty: plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Access key id -> secret pairs accepted for SigV4; empty: the fixed test pair above.
  std::vector<std::pair<std::string, std::string>> access_keys;
  std::string session_token;                // required on SigV4 requests when non-empty
  std::vector<std::string> expired_tokens;  // session tokens / key ids / bearer tokens
  std::string bearer_token;                 // Bedrock API key accepted as Bearer; "" = none
  bool no_auth = false;                     // accept unsigned requests
  std::string region = "us-east-1";
  std::vector<std::string> allowed_models;  // empty: ids containing "anthropic.claude"
  std::optional<Script> script;             // nullopt: the built-in default replies
  std::string request_log_path;             // "" : record in memory only
  // IAM Identity Center (SSO-OIDC and portal, served on the same port; see sso_service.h).
  std::vector<std::string> sso_access_tokens;  // accepted as already issued (valid 8 hours)
  // Refresh tokens accepted for a registered client: {token, client_id, client_secret}.
  std::vector<std::array<std::string, 3>> sso_refresh_tokens;
  int sso_role_credentials_seconds = 3600;  // lifetime of GetRoleCredentials results
  int sso_access_token_seconds = 8 * 3600;  // lifetime of access tokens CreateToken issues
  // STS, IMDS and container credentials (sts_service.h, imds_service.h, container_service.h):
  // the credentials they issue are accepted by the runtime for this long, then expired.
  int issued_credentials_seconds = 3600;
  std::string issued_credentials_seed;  // "" : random; else DeterministicCredential(seed, n)
  std::string web_identity_token;       // AssumeRoleWithWebIdentity accepts only this; "" : any
  std::vector<std::string> sts_denied_roles;  // role ARNs AssumeRole* answers AccessDenied for
  std::string container_path = "/container-credentials";
  std::string container_token;  // the container endpoint's Authorization; "" : no check
  std::string imds_role_name = "emulator-ec2-role";
  // IAM actions answered with AccessDeniedException by the control plane and the runtime
  // ("bedrock:InvokeModel", "bedrock:ListInferenceProfiles", ...; control_plane.h).
  std::vector<std::string> denied_actions;
};

class Emulator {
 public:
  // Starts listening and serving. Errors: "emulator.host", "emulator.listen", "emulator.tls".
  static Result<std::unique_ptr<Emulator>> Start(const EmulatorOptions& options);
  ~Emulator();

  // The bound port.
  int port() const;
  // "http://127.0.0.1:PORT" (the host as configured; "https://" when serving TLS).
  std::string endpoint() const;
  // Every request received so far, in arrival order.
  std::vector<RecordedRequest> requests() const;
  void ClearRequests();
  // Every credential issued by STS, IMDS or the container endpoint so far, in order.
  std::vector<IssuedCredential> issued_credentials() const;
  // Stops serving and joins all threads; idempotent (the destructor calls it).
  void Stop();

  struct Parts;

 private:
  explicit Emulator(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace brock
