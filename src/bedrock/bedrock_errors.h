// Turns raw AWS / transport errors from Bedrock into messages that name the cause and the fix,
// in the words of the Bedrock setup guide's troubleshooting table.
#pragma once

#include <string>

#include "base/error.h"

namespace brock {

// What was in play when a request failed, so messages can say where to look.
struct BedrockErrorContext {
  std::string operation = "bedrock:InvokeModelWithResponseStream";
  std::string model_id;
  std::string model_origin;  // "ANTHROPIC_MODEL (from /home/me/.claude/settings.json)", "default"
  std::string region;
  std::string region_origin;
  std::string endpoint;
  std::string endpoint_origin;
  std::string profile;  // the AWS profile used, or ""
  std::string profile_origin;
  std::string auth;  // "Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)", credentials' source
  bool bearer = false;
  bool has_auth_refresh = false;  // awsAuthRefresh is configured
  int attempts = 1;               // requests sent, including retries
};

// Returns `raw` with a message and fix for the user. Codes are kept, so callers can still
// branch on them ("aws.ExpiredTokenException", "net.connect", ...).
Error ExplainBedrockError(const Error& raw, const BedrockErrorContext& context);

// True when `error` means the credentials have expired (ExpiredTokenException and friends).
bool IsExpiredTokenError(const Error& error);

// True when a fresh sign-in can cure `error`: expired or missing SSO logins, expired session
// tokens (from Bedrock, STS, credential_process or awsCredentialExport). The interactive
// terminal offers /login for these.
bool NeedsFreshLogin(const Error& error);

}  // namespace brock
