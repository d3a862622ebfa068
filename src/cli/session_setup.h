// SessionSetup: the chain from command line to a ready Bedrock client, shared by print mode and
// (later) the interactive terminal: settings files -> their env blocks applied -> region,
// endpoint and credentials -> model. Every step that fails stops here, before any request.
#pragma once

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

Result<std::unique_ptr<SessionSetup>> SetUpSession(Env& env, const CliOptions& options);

}  // namespace brock
