// BedrockConnection: everything needed to talk to Bedrock for one session, resolved from the
// environment (after settings' env blocks were applied) and the shared AWS files:
// region, endpoint, authentication (API key, SigV4 credential chain, or unsigned), custom headers,
// retry policy, and warnings for the user (stale keys next to AWS_PROFILE).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/assume_role_credentials.h"
#include "aws/config_file.h"
#include "aws/credential_chain.h"
#include "base/env.h"
#include "base/process.h"
#include "bedrock/runtime_client.h"

namespace brock {

struct BedrockConnection {
  std::string region, region_origin;
  std::string profile, profile_origin;  // active profile ("default" when none was selected)
  bool profile_explicit = false;        // AWS_PROFILE was set
  std::string auth_summary;             // "profile ui-dev", "Bedrock API key", ...
  RuntimeOptions runtime;               // ready for BedrockRuntime (points into `chain`)
  std::unique_ptr<AwsConfig> aws_config;
  std::unique_ptr<CredentialChain> chain;
  std::vector<std::string> warnings;    // to print on stderr before the first request
};

// Resolves the connection. Fails (before any request) on a missing/invalid region, broken AWS
// config files, or bad values; credentials themselves are loaded lazily on the first request.
// The settings keys that take part in authentication (from Claude Code's settings files).
struct BedrockAuthSettings {
  std::optional<std::string> aws_auth_refresh;       // shell command run when credentials expire
  std::string aws_auth_refresh_origin;
  std::optional<std::string> aws_credential_export;  // shell command printing credentials JSON
  std::string aws_credential_export_origin;
  // Receives awsAuthRefresh's output as it runs (shown to the user).
  std::function<void(std::string_view chunk, bool is_stderr)> on_refresh_output;
  // Asks for MFA codes of roles with mfa_serial (interactive sessions); empty in print mode.
  MfaPrompt mfa_prompt;
};

// `http` and `runner` (for SSO, STS, metadata calls and credential commands) must outlive the
// connection.
Result<std::unique_ptr<BedrockConnection>> ResolveBedrockConnection(
    Env& env, HttpClient& http, ProcessRunner& runner, const BedrockAuthSettings& auth_settings);

// Parses ANTHROPIC_CUSTOM_HEADERS ("Name: Value" lines). Malformed lines are errors.
Result<HttpHeaders> ParseCustomHeaders(std::string_view text);

}  // namespace brock
