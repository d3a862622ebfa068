#include "bedrock/bedrock_connection.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "base/secrets.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class BedrockConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.files[env_.home + "/.aws/config"] =
        "[default]\n"
        "region = eu-west-3\n"
        "[profile dev]\n"
        "region = us-west-2\n";
    env_.files[env_.home + "/.aws/credentials"] =
        "[default]\n"
        "aws_access_key_id = AKIDDEFAULT000000000\n"
        "aws_secret_access_key = default-secret-key-0123456789\n"
        "[dev]\n"
        "aws_access_key_id = AKIDDEVPROFILE000000\n"
        "aws_secret_access_key = dev-profile-secret-key-0123456789\n";
  }

  Result<BedrockConnection> Resolve() {
    auto config = LoadAwsConfig(env_);
    if (!config.ok()) return std::move(config).error();
    return ResolveBedrockConnection(env_, *config);
  }

  // Resolves and fails the test on error.
  std::optional<BedrockConnection> ResolveOk() {
    auto r = Resolve();
    if (!r.ok()) {
      ADD_FAILURE() << r.error().ToString();
      return std::nullopt;
    }
    return std::move(r).value();
  }

  testing::FakeEnv env_;
};

TEST_F(BedrockConnectionTest, MissingRegionIsARegionError) {
  env_.files.clear();
  auto r = Resolve();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "region.missing");
  EXPECT_TRUE(Has(r.error().message, "AWS_REGION")) << r.error().message;
  EXPECT_TRUE(Has(r.error().fix, "AWS_REGION")) << r.error().fix;
}

TEST_F(BedrockConnectionTest, RegionFromTheEnvironmentWinsAndIsSigned) {
  env_.vars["AWS_REGION"] = "us-east-1";
  auto c = ResolveOk();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->region, "us-east-1");
  EXPECT_TRUE(Has(c->region_origin, "AWS_REGION")) << c->region_origin;
  EXPECT_EQ(c->runtime.region, "us-east-1");
  EXPECT_EQ(c->runtime.context.region, "us-east-1");
  EXPECT_EQ(c->runtime.base_url, "https://bedrock-runtime.us-east-1.amazonaws.com");
  EXPECT_EQ(c->runtime.context.endpoint, c->runtime.base_url);
}

TEST_F(BedrockConnectionTest, RegionFromTheSelectedProfile) {
  env_.vars["AWS_PROFILE"] = "dev";
  auto c = ResolveOk();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->region, "us-west-2");
  EXPECT_EQ(c->profile, "dev");
  EXPECT_TRUE(c->profile_explicit);
  EXPECT_TRUE(Has(c->profile_origin, "AWS_PROFILE")) << c->profile_origin;
  EXPECT_EQ(c->runtime.base_url, "https://bedrock-runtime.us-west-2.amazonaws.com");
}

TEST_F(BedrockConnectionTest, DefaultEndpointsPerPartitionAndFips) {
  struct Case {
    const char* region;
    bool fips;
    const char* url;
  } cases[] = {
      {"us-east-1", false, "https://bedrock-runtime.us-east-1.amazonaws.com"},
      {"us-gov-west-1", false, "https://bedrock-runtime.us-gov-west-1.amazonaws.com"},
      {"cn-north-1", false, "https://bedrock-runtime.cn-north-1.amazonaws.com.cn"},
      {"us-east-1", true, "https://bedrock-runtime-fips.us-east-1.amazonaws.com"},
      {"us-gov-west-1", true, "https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com"},
  };
  for (const Case& k : cases) {
    testing::FakeEnv env;
    env.vars["AWS_REGION"] = k.region;
    if (k.fips) env.vars["AWS_USE_FIPS_ENDPOINT"] = "true";
    auto c = ResolveBedrockConnection(env, AwsConfig{});
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    EXPECT_EQ(c->runtime.base_url, k.url) << k.region << (k.fips ? " fips" : "");
    EXPECT_TRUE(Has(c->runtime.context.endpoint_origin, "default"))
        << c->runtime.context.endpoint_origin;
  }
}

TEST_F(BedrockConnectionTest, AnthropicBaseUrlWinsOverAwsEndpointVariable) {
  env_.vars["AWS_REGION"] = "us-east-1";
  env_.vars["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = "http://127.0.0.1:4000";
  env_.vars["ANTHROPIC_BEDROCK_BASE_URL"] = "https://gateway.example.test/bedrock";
  env_.origins["ANTHROPIC_BEDROCK_BASE_URL"] = "/home/user/.claude/settings.json";
  auto c = ResolveOk();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->runtime.base_url, "https://gateway.example.test/bedrock");
  EXPECT_EQ(c->runtime.context.endpoint_origin,
            "ANTHROPIC_BEDROCK_BASE_URL (from /home/user/.claude/settings.json)");
}

TEST_F(BedrockConnectionTest, AwsEndpointVariableIsUsedWithoutAnthropicBaseUrl) {
  env_.vars["AWS_REGION"] = "us-east-1";
  env_.vars["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = "http://127.0.0.1:4000";
  auto c = ResolveOk();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->runtime.base_url, "http://127.0.0.1:4000");
  EXPECT_TRUE(Has(c->runtime.context.endpoint_origin, "AWS_ENDPOINT_URL_BEDROCK_RUNTIME"))
      << c->runtime.context.endpoint_origin;
}

TEST_F(BedrockConnectionTest, BearerTokenIsSelectedAndRegisteredAsSecret) {
  env_.vars["AWS_REGION"] = "us-east-1";
  const std::string token = "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlLXRva2Vu";
  env_.vars["AWS_BEARER_TOKEN_BEDROCK"] = token;
  env_.vars["AWS_PROFILE"] = "dev";  // the API key wins over a profile
  auto c = ResolveOk();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->runtime.auth.kind, BedrockAuthKind::kBearer);
  EXPECT_EQ(c->runtime.auth.bearer_token, token);
  EXPECT_EQ(c->runtime.auth.credentials, nullptr);
  EXPECT_TRUE(Has(c->auth_summary, "AWS_BEARER_TOKEN_BEDROCK")) << c->auth_summary;
  EXPECT_FALSE(Has(c->auth_summary, token));
  EXPECT_EQ(ScrubSecrets("key=" + token), "key=[REDACTED]");
}

TEST_F(BedrockConnectionTest, SkipBedrockAuthSendsUnsigned) {
  env_.vars["AWS_REGION"] = "us-east-1";
  env_.vars["CLAUDE_CODE_SKIP_BEDROCK_AUTH"] = "1";
  env_.vars["AWS_BEARER_TOKEN_BEDROCK"] = "ignored-token-0123456789";
  auto c = ResolveOk();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->runtime.auth.kind, BedrockAuthKind::kUnsigned);
  EXPECT_EQ(c->runtime.auth.credentials, nullptr);
  EXPECT_TRUE(Has(c->auth_summary, "CLAUDE_CODE_SKIP_BEDROCK_AUTH")) << c->auth_summary;
}

TEST_F(BedrockConnectionTest, SigV4WhenNoApiKeyWithTheProfileInTheErrorContext) {
  env_.vars["AWS_PROFILE"] = "dev";
  auto c = ResolveOk();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->runtime.auth.kind, BedrockAuthKind::kSigV4);
  EXPECT_EQ(c->runtime.auth.credentials, nullptr) << "the session plugs in the AWS chain";
  EXPECT_EQ(c->profile, "dev");
  EXPECT_TRUE(c->profile_explicit);
  EXPECT_EQ(c->runtime.context.profile, "dev");
  EXPECT_EQ(c->auth_summary, "profile dev");
  EXPECT_EQ(c->region, "us-west-2");
}

TEST_F(BedrockConnectionTest, DefaultProfileIsNotExplicit) {
  env_.vars["AWS_REGION"] = "us-east-1";
  auto c = ResolveOk();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->profile, "default");
  EXPECT_FALSE(c->profile_explicit);
}

TEST_F(BedrockConnectionTest, MaxRetriesComesFromClaudeCodeMaxRetries) {
  env_.vars["AWS_REGION"] = "us-east-1";
  {
    auto c = ResolveOk();
    ASSERT_TRUE(c);
    EXPECT_EQ(c->runtime.max_retries, 10);
  }
  env_.vars["CLAUDE_CODE_MAX_RETRIES"] = "3";
  {
    auto c = ResolveOk();
    ASSERT_TRUE(c);
    EXPECT_EQ(c->runtime.max_retries, 3);
  }
  env_.vars["CLAUDE_CODE_MAX_RETRIES"] = "0";
  {
    auto c = ResolveOk();
    ASSERT_TRUE(c);
    EXPECT_EQ(c->runtime.max_retries, 0);
  }
  for (const char* bad : {"lots", "-2", ""}) {
    env_.vars["CLAUDE_CODE_MAX_RETRIES"] = bad;
    auto c = ResolveOk();
    ASSERT_TRUE(c);
    EXPECT_EQ(c->runtime.max_retries, 10) << "value \"" << bad << "\"";
  }
}

TEST_F(BedrockConnectionTest, RetryDelaysFromTheEnvironmentKeepMaxAboveBase) {
  env_.vars["AWS_REGION"] = "us-east-1";
  env_.vars["BROCK_RETRY_BASE_DELAY_MS"] = "50";
  env_.vars["BROCK_RETRY_MAX_DELAY_MS"] = "10";
  auto c = ResolveOk();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->runtime.retry_base_delay.count(), 50);
  EXPECT_EQ(c->runtime.retry_max_delay.count(), 50);
}

TEST_F(BedrockConnectionTest, CustomHeadersFromTheEnvironment) {
  env_.vars["AWS_REGION"] = "us-east-1";
  env_.vars["ANTHROPIC_CUSTOM_HEADERS"] = "X-Team: ml\nX-Cost-Center:  42 \n";
  auto c = ResolveOk();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->runtime.extra_headers, (HttpHeaders{{"X-Team", "ml"}, {"X-Cost-Center", "42"}}));

  env_.vars["ANTHROPIC_CUSTOM_HEADERS"] = "no colon here";
  auto bad = Resolve();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "settings.custom_headers");
}

TEST(ParseCustomHeadersTest, ParsesNameValueLines) {
  auto h = ParseCustomHeaders("X-A: 1\r\n\n  X-B :two words \nX-C: a:b:c\nX-Empty:");
  ASSERT_TRUE(h.ok()) << h.error().ToString();
  EXPECT_EQ(*h,
            (HttpHeaders{{"X-A", "1"}, {"X-B", "two words"}, {"X-C", "a:b:c"}, {"X-Empty", ""}}));
  auto empty = ParseCustomHeaders("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(ParseCustomHeadersTest, RejectsLinesWithoutAName) {
  for (const char* bad : {"just text", ": value without name", "X-Ok: 1\nbroken line"}) {
    auto h = ParseCustomHeaders(bad);
    ASSERT_FALSE(h.ok()) << bad;
    EXPECT_EQ(h.error().code, "settings.custom_headers");
    EXPECT_TRUE(Has(h.error().message, "ANTHROPIC_CUSTOM_HEADERS")) << h.error().message;
    EXPECT_FALSE(h.error().fix.empty());
  }
}

}  // namespace
}  // namespace brock
