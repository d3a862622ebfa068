#include "bedrock/bedrock_errors.h"

#include "base/error_codes.h"
#include "base/strings.h"
#include "bedrock/model_resolver.h"

namespace brock {

bool IsExpiredTokenError(const Error& e) {
  return errc::IsAwsException(e, "ExpiredTokenException") ||
         errc::IsAwsException(e, "ExpiredToken") || errc::IsAwsException(e, "RequestExpired") ||
         errc::IsAwsException(e, "TokenRefreshRequired");
}

bool NeedsFreshLogin(const Error& e) {
  return IsExpiredTokenError(e) || errc::Is(e, errc::kSsoLoginRequired) ||
         errc::Is(e, errc::kSsoLoginExpired) || errc::Is(e, errc::kStsExpiredToken) ||
         errc::Is(e, errc::kProcessExpired) || errc::Is(e, errc::kExportExpired);
}

namespace {

std::string AwsMessage(const Error& raw) { return raw.message; }

bool IsInvalidModel(const Error& raw) {
  if (errc::IsAwsException(raw, "ResourceNotFoundException")) return true;
  if (!errc::IsAwsException(raw, "ValidationException")) return false;
  std::string m = ToLower(raw.message);
  return m.find("model identifier") != std::string::npos ||
         m.find("on-demand throughput") != std::string::npos ||
         m.find("inference profile") != std::string::npos ||
         m.find("model id") != std::string::npos;
}

std::string LoginCommand(const BedrockErrorContext& c) {
  return c.profile.empty() ? "aws sso login" : "aws sso login --profile " + c.profile;
}

// One function per cause a user can meet; each rewrites `e` (a copy of the raw error) into a
// message naming the cause and a fix.

Error ExplainAccessDenied(Error e, const Error& raw, const BedrockErrorContext& c,
                          const std::string& where) {
  e.message = "AccessDeniedException invoking " + where + " as " + c.auth + ": " + AwsMessage(raw);
  if (c.bearer) {
    e.fix = "the Bedrock API key in AWS_BEARER_TOKEN_BEDROCK is not allowed to call " +
            c.operation +
            " on this model: check the key's permissions in the Bedrock console "
            "(API keys), and that model access is granted in " +
            c.region;
  } else {
    e.fix = "confirm your IAM policy allows bedrock:InvokeModel and " + c.operation +
            " on this model (foundation-model/*, inference-profile/*), and check the Bedrock "
            "console's model access page for your account in " +
            c.region + " (a cross-region inference profile also needs access in its other regions)";
  }
  return e;
}

Error ExplainInvalidModel(Error e, const Error& raw, const BedrockErrorContext& c) {
  std::string prefix = InferenceProfilePrefix(c.region);
  e.message = "Invalid model identifier " + c.model_id + " (set by " + c.model_origin +
              ") for region " + c.region + ": " + AwsMessage(raw);
  std::string fix = "check the model ID set by " + c.model_origin +
                    ": remove it to test with "
                    "the default, then re-add a cross-region inference profile ID for " +
                    c.region + " (prefix \"" + prefix + "\", e.g. " + prefix +
                    "anthropic.claude-sonnet-4-5-20250929-v1:0); list them with: aws bedrock "
                    "list-inference-profiles --region " +
                    c.region;
  if (LooksLikeBareFoundationModelId(c.model_id)) {
    fix =
        "this looks like a bare foundation model ID; Claude models on Bedrock need a "
        "cross-region inference profile: try " +
        prefix + c.model_id + ". " + fix;
  }
  e.fix = fix;
  return e;
}

Error ExplainExpiredToken(Error e, const BedrockErrorContext& c) {
  e.message = "ExpiredTokenException: the AWS credentials from " + c.auth + " have expired";
  if (!c.profile.empty()) {
    e.fix = "run: " + LoginCommand(c) + " then run brock again" +
            (c.has_auth_refresh
                 ? " (awsAuthRefresh ran but did not produce fresh credentials)"
                 : "; or add \"awsAuthRefresh\": \"aws sso login --profile " + c.profile +
                       "\" to ~/.claude/settings.json to re-login "
                       "automatically");
  } else {
    e.fix =
        "your temporary keys (AWS_SESSION_TOKEN) have expired: copy fresh ones from the "
        "AWS access portal, or switch to an SSO profile (AWS_PROFILE) and run aws sso login";
  }
  return e;
}

bool IsRejectedCredentials(const Error& raw) {
  return errc::IsAwsException(raw, "UnrecognizedClientException") ||
         errc::IsAwsException(raw, "InvalidSignatureException") ||
         errc::IsAwsException(raw, "IncompleteSignatureException") ||
         errc::IsAwsException(raw, "SignatureDoesNotMatch");
}

Error ExplainRejectedCredentials(Error e, const Error& raw, const BedrockErrorContext& c) {
  e.message = raw.code.substr(4) + ": Bedrock rejected the credentials from " + c.auth + ": " +
              AwsMessage(raw);
  e.fix = c.bearer ? "the Bedrock API key in AWS_BEARER_TOKEN_BEDROCK is invalid or revoked: "
                     "create a new one in the Bedrock console (API keys)"
                   : "check the access keys in " + c.auth +
                         "; run `env | grep AWS_` and unset "
                         "stale AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN "
                         "that override your profile";
  return e;
}

bool IsThrottling(const Error& raw) {
  return errc::IsAwsException(raw, "ThrottlingException") ||
         errc::IsAwsException(raw, "TooManyRequestsException") ||
         errc::IsAwsException(raw, "ServiceQuotaExceededException");
}

Error ExplainThrottling(Error e, const Error& raw, const BedrockErrorContext& c,
                        const std::string& where) {
  e.message = raw.code.substr(4) + ": Bedrock throttled requests for " + where + " after " +
              std::to_string(c.attempts) + " attempt(s): " + AwsMessage(raw);
  e.fix =
      "wait a minute and retry; raise CLAUDE_CODE_MAX_RETRIES for more retries, or ask "
      "your AWS administrator for a higher Bedrock quota (tokens/requests per minute) in " +
      c.region;
  return e;
}

Error ExplainNetwork(Error e, const Error& raw, const BedrockErrorContext& c) {
  if (errc::Is(raw, errc::kNetConnect) || errc::Is(raw, errc::kNetTls)) {
    e.message = raw.message + " (endpoint " + c.endpoint + " from " + c.endpoint_origin + ")";
  }
  if (e.retryable && c.attempts > 1) {
    e.message += " after " + std::to_string(c.attempts) + " attempts";
  }
  return e;
}

}  // namespace

Error ExplainBedrockError(const Error& raw, const BedrockErrorContext& c) {
  const std::string where = "model " + c.model_id + " in region " + c.region;
  if (errc::IsAwsException(raw, "AccessDeniedException")) {
    return ExplainAccessDenied(raw, raw, c, where);
  }
  if (IsInvalidModel(raw)) return ExplainInvalidModel(raw, raw, c);
  if (IsExpiredTokenError(raw)) return ExplainExpiredToken(raw, c);
  if (IsRejectedCredentials(raw)) return ExplainRejectedCredentials(raw, raw, c);
  if (IsThrottling(raw)) return ExplainThrottling(raw, raw, c, where);
  if (errc::IsNetwork(raw)) return ExplainNetwork(raw, raw, c);
  Error e = raw;
  if (errc::IsAws(raw) && e.retryable && c.attempts > 1) {
    e.message = raw.message + " (" + where + ", after " + std::to_string(c.attempts) + " attempts)";
    if (e.fix.empty()) e.fix = "retry later; Bedrock reported a temporary problem";
  }
  return e;
}

}  // namespace brock
