// SessionSetup: the chain from command line to a ready Bedrock client, shared by print mode and
// (later) the interactive terminal: settings files -> their env blocks applied -> region,
// endpoint and credentials -> model. Every step that fails stops here, before any request.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bedrock/bedrock_connection.h"
#include "bedrock/model_resolver.h"
#include "cli/cli_options.h"
#include "net/http_client.h"
#include "settings/settings.h"

namespace brock {

struct SessionSetup {
  Settings settings;
  std::unique_ptr<BedrockConnection> connection;
  ModelChoice model;
  std::unique_ptr<HttpClient> http;
  std::vector<std::string> warnings;  // show on stderr before the run
};

// How the session talks to the user while credentials are resolved (the interactive terminal
// supplies both; print mode leaves the prompt empty and sends refresh output to stderr).
struct SessionHooks {
  MfaPrompt mfa_prompt;  // empty: a role with mfa_serial fails with role.mfa_required
  // awsAuthRefresh's output as it runs; empty: copied to stderr.
  std::function<void(std::string_view chunk, bool is_stderr)> on_refresh_output;
};

Result<std::unique_ptr<SessionSetup>> SetUpSession(Env& env, const CliOptions& options,
                                                   const SessionHooks& hooks = {});

}  // namespace brock
