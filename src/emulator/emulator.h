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
#include "emulator/request_log.h"
#include "emulator/script.h"

namespace brock {

// The fixed test key pair accepted when no --access-key is given. Not a real AWS key.
inline constexpr char kEmulatorAccessKeyId[] = "AKIDEMULATOREXAMPLE";
inline constexpr char kEmulatorSecretAccessKey[] = "emulatorSecretKey/EXAMPLEKEY0123456789abcd";

struct EmulatorOptions {
  std::string host = "127.0.0.1";  // loopback only
  int port = 0;                    // 0: a free port
  // Access key id -> secret pairs accepted for SigV4; empty: the fixed test pair above.
  std::vector<std::pair<std::string, std::string>> access_keys;
  std::string session_token;               // required on SigV4 requests when non-empty
  std::vector<std::string> expired_tokens;  // session tokens / key ids / bearer tokens
  std::string bearer_token;                // Bedrock API key accepted as Bearer; "" = none
  bool no_auth = false;                    // accept unsigned requests
  std::string region = "us-east-1";
  std::vector<std::string> allowed_models;  // empty: ids containing "anthropic.claude"
  std::optional<Script> script;             // nullopt: the built-in default replies
  std::string request_log_path;             // "" : record in memory only
  // IAM Identity Center (SSO-OIDC and portal, served on the same port; see sso_service.h).
  std::vector<std::string> sso_access_tokens;  // accepted as already issued (valid 8 hours)
  // Refresh tokens accepted for a registered client: {token, client_id, client_secret}.
  std::vector<std::array<std::string, 3>> sso_refresh_tokens;
  int sso_role_credentials_seconds = 3600;   // lifetime of GetRoleCredentials results
};

class Emulator {
 public:
  // Starts listening and serving. Errors: "emulator.host", "emulator.listen".
  static Result<std::unique_ptr<Emulator>> Start(const EmulatorOptions& options);
  ~Emulator();

  // The bound port.
  int port() const;
  // "http://127.0.0.1:PORT" (the host as configured).
  std::string endpoint() const;
  // Every request received so far, in arrival order.
  std::vector<RecordedRequest> requests() const;
  void ClearRequests();
  // Stops serving and joins all threads; idempotent (the destructor calls it).
  void Stop();

  struct Parts;

 private:
  explicit Emulator(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace brock
