// Session: the one owner of a run's setup, built once and shared by print mode, the interactive
// terminal, `whoami` and `login`:
//   the workspace's trust (the trust store; the interactive terminal may ask)
//   -> settings files (untrusted project files restricted) (merged, with the source of every value)
//   -> their env blocks applied
//   -> the AWS files, read once -> the HTTP client (CA bundle, proxies)
//   -> the Bedrock connection (region, endpoint, kind of authentication)
//   -> the credential chain (built in aws/, reloadable as a whole after a re-login)
//   -> the model (alias, pin or ID) -> the model client the agent talks to.
// Every step that fails stops here, before any request, with an Error that names the cause, where
// the value came from and the fix. Where each value came from is kept as data (Provenance) for
// messages, `whoami` and `/status`.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aws/assume_role_credentials.h"
#include "aws/config_file.h"
#include "aws/default_chain.h"
#include "base/env.h"
#include "base/process.h"
#include "bedrock/bedrock_connection.h"
#include "bedrock/bedrock_model_client.h"
#include "bedrock/model_resolver.h"
#include "cli/cli_options.h"
#include "cli/trust_report.h"
#include "net/http_client.h"
#include "settings/settings.h"

namespace brock {

// How the session talks to the user while it is set up (the interactive terminal supplies the
// prompts; print mode leaves them empty and sends refresh output to stderr), and the one place
// tests move.
struct SessionHooks {
  MfaPrompt mfa_prompt;  // empty: a role with mfa_serial fails with role.mfa_required
  // awsAuthRefresh's output as it runs; empty: copied to stderr.
  std::function<void(std::string_view chunk, bool is_stderr)> on_refresh_output;
  // Asked once when the workspace has no trust decision and its files would do something trust
  // governs; true trusts it. Empty (print mode, whoami): never asked, the project stays
  // restricted and warnings() carries the one-line notice.
  std::function<bool(const TrustReport& report)> ask_trust;
  // Where managed settings are read. The product always uses kManagedSettingsDir; unit tests
  // point it at their fake files. No variable or flag reaches it.
  std::string managed_dir = kManagedSettingsDir;
};

// A resolved value and where it came from ("AWS_REGION (from ~/.claude/settings.json)").
struct Sourced {
  std::string value;
  std::string origin;
};

struct Provenance {
  Sourced profile, region, endpoint, model, auth;
};

class Session {
 public:
  // How far Open goes: kAws stops after the AWS files and the HTTP client (enough for `brock
  // login`, which must work before a region or model is set up); kModel goes all the way.
  enum class Depth { kAws, kModel };

  static Result<std::unique_ptr<Session>> Open(Env& env, const CliOptions& options,
                                               const SessionHooks& hooks = {},
                                               Depth depth = Depth::kModel);
  ~Session();

  Env& env() { return env_; }
  const Settings& settings() const { return settings_; }
  // The AWS files as last read (after a re-login, the fresh reading).
  std::shared_ptr<const AwsConfig> aws_config() const;
  HttpClient& http() { return *http_; }
  const BedrockConnection& connection() const { return connection_; }
  const ModelChoice& model() const { return model_; }
  const Provenance& provenance() const { return provenance_; }
  // The SigV4 credentials (null with a Bedrock API key or unsigned requests).
  CredentialSource* credentials();
  bool has_auth_refresh() const { return settings_.aws_auth_refresh.has_value(); }
  // Whether the workspace's project files apply in full (docs/security.md), and the directory
  // that decision covers.
  bool project_trusted() const { return settings_.project_trusted; }
  const std::string& trust_directory() const { return trust_directory_; }
  // What the user should see before the first request (stale keys, ...).
  const std::vector<std::string>& warnings() const { return warnings_; }

  // The agent's model client (Bedrock InvokeModelWithResponseStream).
  ModelClient& model_client() { return *model_client_; }
  BedrockRuntime& runtime() { return *runtime_; }

  // Switches the model (the terminal's /model); `choice.origin` says who chose it. Error
  // model.not_available when managed availableModels does not list it.
  Status SetModel(ModelChoice choice);
  // Runs awsAuthRefresh (when configured and credentials are SigV4). Then, as ReloadCredentials.
  Status RunAuthRefresh();
  // Reads the AWS files again and replaces the credential chain as a whole, so the next request
  // uses what a login wrote; cached credentials are dropped with the old chain.
  Status ReloadCredentials();

 private:
  Session(Env& env) : env_(env) {}
  Status OpenAws(const CliOptions& options, const SessionHooks& hooks);
  // Loads the settings, restricted unless the workspace is trusted; asks through `hooks` when
  // there is no decision yet and the answer would change something.
  Status LoadWorkspaceSettings(const CliOptions& options, const SessionHooks& hooks);
  Status OpenBedrock(const CliOptions& options, const SessionHooks& hooks);
  // (Re)builds the runtime and model client from the connection, credentials and model.
  void BuildModelClient();

  Env& env_;
  Settings settings_;
  std::string trust_directory_;
  AwsConfig initial_config_;  // until the credential chain takes it over
  std::unique_ptr<HttpClient> http_;
  BedrockConnection connection_;
  std::unique_ptr<ReloadableCredentials> credentials_;
  std::function<void(std::string_view, bool)> on_refresh_output_;
  ModelChoice model_;
  Provenance provenance_;
  std::vector<std::string> warnings_;
  std::unique_ptr<BedrockRuntime> runtime_;
  std::unique_ptr<BedrockModelClient> model_client_;
};

}  // namespace brock
