// BedrockConnection: where and how to talk to Bedrock for one session, resolved from the
// environment (after settings' env blocks were applied) and the shared AWS files: region,
// endpoint, the kind of authentication (API key, SigV4, or unsigned), custom headers and the
// retry policy, each with where it came from. The SigV4 credentials themselves come from the
// AWS layer's chain (aws/default_chain.h), which the session plugs into `runtime.auth`.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/config_file.h"
#include "base/env.h"
#include "bedrock/runtime_client.h"

namespace brock {

struct BedrockConnection {
  std::string region, region_origin;
  std::string profile, profile_origin;  // active profile ("default" when none was selected)
  bool profile_explicit = false;        // AWS_PROFILE was set
  std::string auth_summary;             // "profile ui-dev", "Bedrock API key", ...
  // Ready for BedrockRuntime but for auth.credentials (kSigV4), on_credentials_expired and the
  // model's part of the error context, which the session adds.
  RuntimeOptions runtime;
};

// Resolves the connection from `config` (the AWS files as read once for the session). Fails
// (before any request) on a missing or invalid region or endpoint, or bad custom headers.
Result<BedrockConnection> ResolveBedrockConnection(const Env& env, const AwsConfig& config);

// Parses ANTHROPIC_CUSTOM_HEADERS ("Name: Value" lines). Malformed lines are errors.
Result<HttpHeaders> ParseCustomHeaders(std::string_view text);

}  // namespace brock
