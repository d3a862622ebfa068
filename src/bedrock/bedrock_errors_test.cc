#include "bedrock/bedrock_errors.h"

#include <gtest/gtest.h>

#include <string>

namespace brock {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Error Aws(const std::string& type, const std::string& message, int status, bool retryable = false) {
  Error e = MakeError("aws." + type, type + ": " + message, "generic fix");
  e.http_status = status;
  e.retryable = retryable;
  return e;
}

BedrockErrorContext Context() {
  BedrockErrorContext c;
  c.operation = "bedrock:InvokeModelWithResponseStream";
  c.model_id = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
  c.model_origin = "ANTHROPIC_MODEL (from /home/me/.claude/settings.json)";
  c.region = "us-east-1";
  c.region_origin = "AWS_REGION (from the shell environment)";
  c.endpoint = "https://bedrock-runtime.us-east-1.amazonaws.com";
  c.endpoint_origin = "default for bedrock-runtime in us-east-1";
  c.profile = "ui-dev";
  c.profile_origin = "AWS_PROFILE (from the shell environment)";
  c.auth = "SSO profile ui-dev";
  return c;
}

TEST(BedrockErrorsTest, AccessDeniedNamesThePermissionModelAndRegion) {
  Error raw = Aws("AccessDeniedException", "User is not authorized to perform this action", 403);
  Error e = ExplainBedrockError(raw, Context());
  EXPECT_EQ(e.code, "aws.AccessDeniedException");
  EXPECT_EQ(e.http_status, 403);
  EXPECT_TRUE(Has(e.message, "us.anthropic.claude-sonnet-4-5-20250929-v1:0")) << e.message;
  EXPECT_TRUE(Has(e.message, "us-east-1")) << e.message;
  EXPECT_TRUE(Has(e.message, "SSO profile ui-dev")) << e.message;
  EXPECT_TRUE(Has(e.message, "User is not authorized")) << e.message;
  EXPECT_TRUE(Has(e.fix, "bedrock:InvokeModelWithResponseStream")) << e.fix;
  EXPECT_TRUE(Has(e.fix, "bedrock:InvokeModel ")) << e.fix;
  EXPECT_TRUE(Has(e.fix, "us-east-1")) << e.fix;
  EXPECT_TRUE(Has(e.fix, "model access")) << e.fix;
}

TEST(BedrockErrorsTest, AccessDeniedWithAnApiKeyPointsAtTheKey) {
  BedrockErrorContext c = Context();
  c.bearer = true;
  c.auth = "the Bedrock API key in AWS_BEARER_TOKEN_BEDROCK";
  c.region = "eu-west-1";
  Error e = ExplainBedrockError(Aws("AccessDeniedException", "denied", 403), c);
  EXPECT_TRUE(Has(e.fix, "AWS_BEARER_TOKEN_BEDROCK")) << e.fix;
  EXPECT_TRUE(Has(e.fix, "bedrock:InvokeModelWithResponseStream")) << e.fix;
  EXPECT_TRUE(Has(e.fix, "eu-west-1")) << e.fix;
  EXPECT_FALSE(Has(e.fix, "IAM policy")) << e.fix;
}

TEST(BedrockErrorsTest, InvalidModelNamesOriginAndRegionPrefix) {
  BedrockErrorContext c = Context();
  c.model_id = "us.anthropic.claude-nope-v9:0";
  c.region = "eu-central-1";
  Error e = ExplainBedrockError(
      Aws("ValidationException", "The provided model identifier is invalid.", 400), c);
  EXPECT_EQ(e.code, "aws.ValidationException");
  EXPECT_TRUE(Has(e.message, "Invalid model identifier us.anthropic.claude-nope-v9:0"))
      << e.message;
  EXPECT_TRUE(Has(e.message, "ANTHROPIC_MODEL (from /home/me/.claude/settings.json)")) << e.message;
  EXPECT_TRUE(Has(e.message, "eu-central-1")) << e.message;
  EXPECT_TRUE(Has(e.fix, "ANTHROPIC_MODEL (from /home/me/.claude/settings.json)")) << e.fix;
  EXPECT_TRUE(Has(e.fix, "prefix \"eu.\"")) << e.fix;
  EXPECT_TRUE(Has(e.fix, "list-inference-profiles --region eu-central-1")) << e.fix;
  EXPECT_FALSE(Has(e.fix, "bare foundation model")) << e.fix;
}

TEST(BedrockErrorsTest, BareFoundationModelIdGetsTheProfileSuggestion) {
  BedrockErrorContext c = Context();
  c.model_id = "anthropic.claude-sonnet-4-5-20250929-v1:0";
  c.region = "ap-northeast-1";
  Error e = ExplainBedrockError(
      Aws("ValidationException",
          "Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand "
          "throughput "
          "isn't supported. Retry your request with the ID or ARN of an inference profile",
          400),
      c);
  EXPECT_TRUE(Has(e.fix, "bare foundation model")) << e.fix;
  EXPECT_TRUE(Has(e.fix, "apac.anthropic.claude-sonnet-4-5-20250929-v1:0")) << e.fix;
}

TEST(BedrockErrorsTest, ResourceNotFoundIsAnInvalidModelToo) {
  BedrockErrorContext c = Context();
  c.region = "us-gov-west-1";
  Error e = ExplainBedrockError(Aws("ResourceNotFoundException", "Model not found", 404), c);
  EXPECT_TRUE(Has(e.message, "Invalid model identifier")) << e.message;
  EXPECT_TRUE(Has(e.fix, "\"us-gov.\"")) << e.fix;
}

TEST(BedrockErrorsTest, OtherValidationErrorsKeepTheirMessage) {
  Error raw = Aws("ValidationException", "max_tokens: Input should be greater than 0", 400);
  Error e = ExplainBedrockError(raw, Context());
  EXPECT_EQ(e.message, raw.message);
  EXPECT_EQ(e.fix, raw.fix);
}

TEST(BedrockErrorsTest, ExpiredTokenNamesTheProfileAndLoginCommand) {
  Error e = ExplainBedrockError(
      Aws("ExpiredTokenException", "The security token included in the request is expired", 403),
      Context());
  EXPECT_EQ(e.code, "aws.ExpiredTokenException");
  EXPECT_TRUE(Has(e.message, "SSO profile ui-dev")) << e.message;
  EXPECT_TRUE(Has(e.message, "expired")) << e.message;
  EXPECT_TRUE(Has(e.fix, "aws sso login --profile ui-dev")) << e.fix;
  EXPECT_TRUE(Has(e.fix, "awsAuthRefresh")) << e.fix;
  EXPECT_TRUE(Has(e.fix, "settings.json")) << e.fix;
}

TEST(BedrockErrorsTest, ExpiredTokenAfterAuthRefreshSaysTheRefreshDidNotHelp) {
  BedrockErrorContext c = Context();
  c.has_auth_refresh = true;
  Error e = ExplainBedrockError(Aws("ExpiredTokenException", "expired", 403), c);
  EXPECT_TRUE(Has(e.fix, "aws sso login --profile ui-dev")) << e.fix;
  EXPECT_TRUE(Has(e.fix, "awsAuthRefresh ran")) << e.fix;
}

TEST(BedrockErrorsTest, ExpiredTokenWithoutProfilePointsAtTemporaryKeys) {
  BedrockErrorContext c = Context();
  c.profile.clear();
  c.auth = "environment variables (AWS_ACCESS_KEY_ID from the shell environment)";
  Error e = ExplainBedrockError(Aws("ExpiredToken", "expired", 400), c);
  EXPECT_TRUE(Has(e.message, "environment variables")) << e.message;
  EXPECT_TRUE(Has(e.fix, "AWS_SESSION_TOKEN")) << e.fix;
  EXPECT_TRUE(Has(e.fix, "aws sso login")) << e.fix;
}

TEST(BedrockErrorsTest, ExpiredTokenCodesAreRecognised) {
  for (const char* code : {"aws.ExpiredTokenException", "aws.ExpiredToken", "aws.RequestExpired",
                           "aws.TokenRefreshRequired"}) {
    EXPECT_TRUE(IsExpiredTokenError(MakeError(code, "x"))) << code;
  }
  EXPECT_FALSE(IsExpiredTokenError(MakeError("aws.AccessDeniedException", "x")));
  EXPECT_FALSE(IsExpiredTokenError(MakeError("sso.login_required", "x")));
}

TEST(BedrockErrorsTest, ThrottlingNamesAttemptsAndMaxRetries) {
  BedrockErrorContext c = Context();
  c.attempts = 11;
  Error e =
      ExplainBedrockError(Aws("ThrottlingException", "Too many tokens, please wait", 429, true), c);
  EXPECT_EQ(e.code, "aws.ThrottlingException");
  EXPECT_TRUE(e.retryable);
  EXPECT_TRUE(Has(e.message, "11 attempt")) << e.message;
  EXPECT_TRUE(Has(e.message, "us.anthropic.claude-sonnet-4-5-20250929-v1:0")) << e.message;
  EXPECT_TRUE(Has(e.message, "Too many tokens")) << e.message;
  EXPECT_TRUE(Has(e.fix, "CLAUDE_CODE_MAX_RETRIES")) << e.fix;
  EXPECT_TRUE(Has(e.fix, "quota")) << e.fix;
  EXPECT_TRUE(Has(e.fix, "us-east-1")) << e.fix;
}

TEST(BedrockErrorsTest, QuotaErrorsAreExplainedAsThrottling) {
  for (const char* type : {"TooManyRequestsException", "ServiceQuotaExceededException"}) {
    Error e = ExplainBedrockError(Aws(type, "quota", 429, true), Context());
    EXPECT_TRUE(Has(e.fix, "CLAUDE_CODE_MAX_RETRIES")) << type << ": " << e.fix;
    EXPECT_TRUE(Has(e.message, type)) << e.message;
  }
}

TEST(BedrockErrorsTest, BadSignatureNamesTheCredentialSource) {
  BedrockErrorContext c = Context();
  c.auth = "environment variables (AWS_ACCESS_KEY_ID from the shell environment)";
  Error e = ExplainBedrockError(Aws("UnrecognizedClientException",
                                    "The security token included in the request is invalid", 403),
                                c);
  EXPECT_TRUE(Has(e.message, "UnrecognizedClientException")) << e.message;
  EXPECT_TRUE(Has(e.message, "environment variables")) << e.message;
  EXPECT_TRUE(Has(e.fix, "unset")) << e.fix;
  EXPECT_TRUE(Has(e.fix, "AWS_ACCESS_KEY_ID")) << e.fix;

  c.bearer = true;
  Error k = ExplainBedrockError(Aws("InvalidSignatureException", "bad", 403), c);
  EXPECT_TRUE(Has(k.fix, "AWS_BEARER_TOKEN_BEDROCK")) << k.fix;
}

TEST(BedrockErrorsTest, ConnectErrorsNameTheEndpointAndItsOrigin) {
  Error raw =
      MakeError("net.connect", "could not connect to bedrock-runtime.us-east-1.amazonaws.com",
                "check your network");
  raw.retryable = true;
  BedrockErrorContext c = Context();
  c.attempts = 4;
  Error e = ExplainBedrockError(raw, c);
  EXPECT_EQ(e.code, "net.connect");
  EXPECT_TRUE(Has(e.message, "https://bedrock-runtime.us-east-1.amazonaws.com")) << e.message;
  EXPECT_TRUE(Has(e.message, "default for bedrock-runtime in us-east-1")) << e.message;
  EXPECT_TRUE(Has(e.message, "after 4 attempts")) << e.message;
  EXPECT_EQ(e.fix, "check your network");
}

TEST(BedrockErrorsTest, RetryableServerErrorsSayHowManyAttempts) {
  BedrockErrorContext c = Context();
  c.attempts = 3;
  Error e = ExplainBedrockError(Aws("InternalServerException", "boom", 500, true), c);
  EXPECT_TRUE(Has(e.message, "after 3 attempts")) << e.message;
  EXPECT_TRUE(Has(e.message, "us-east-1")) << e.message;
  // A single attempt is not mentioned.
  c.attempts = 1;
  Error once = ExplainBedrockError(Aws("InternalServerException", "boom", 500, true), c);
  EXPECT_FALSE(Has(once.message, "attempts")) << once.message;
}

}  // namespace
}  // namespace brock
