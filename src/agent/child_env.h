// The environment of the processes tools start (Bash commands; hooks use the same list): brock's
// own environment minus the secrets brock uses to reach Bedrock, so a command the model chose
// cannot read them with `env`. docs/security.md ("What tool processes inherit") is the
// user-facing description.
//
// Removed unless the user opts in: AWS_BEARER_TOKEN_BEDROCK, AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN,
// AWS_CONTAINER_AUTHORIZATION_TOKEN, ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN,
// CLAUDE_CODE_OAUTH_TOKEN. Everything else (PATH, HOME, AWS_PROFILE, AWS_REGION, proxies...) is
// inherited.
//
// Opt-in: BROCK_TOOLS_INHERIT_CREDENTIALS=1, honoured only when it comes from the shell
// environment, the user's settings directory or the managed settings (never from a project's
// settings, which a repository controls).
#pragma once

#include <string>
#include <vector>

#include "base/env.h"

namespace brock {

// The secret variables every tool process loses.
const std::vector<std::string>& ToolSecretVariables();

// Names to remove from a tool process's environment (ProcessSpec::unset_env): the secret
// variables that are set, or none when the user opted in.
std::vector<std::string> ToolEnvironmentRemovals(const Env& env);

}  // namespace brock
