#include "bedrock/bedrock_connection.h"

#include <gtest/gtest.h>

#include <string>

#include "testing/fake_env.h"
#include "base/secrets.h"
#include "testing/bedrock_fake_http.h"

namespace brock {
namespace {

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Starts nothing: every command "succeeds" at once with exit status 0, and is recorded.
class FakeRunner : public ProcessRunner {
 public:
  Result<ProcessResult> Run(const ProcessSpec& spec, const std::atomic<bool>*) override {
    specs.push_back(spec);
    ProcessResult r;
    r.exit_code = 0;
    return r;
  }
  std::vector<ProcessSpec> specs;
};

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

  Result<std::unique_ptr<BedrockConnection>> Resolve(const BedrockAuthSettings& s = {}) {
    return ResolveBedrockConnection(env_, http_, runner_, s);
  }

  // Resolves and fails the test on error.
  std::unique_ptr<BedrockConnection> ResolveOk(const BedrockAuthSettings& s = {}) {
    auto r = Resolve(s);
    if (!r.ok()) {
      ADD_FAILURE() << r.error().ToString();
      return nullptr;
    }
    return std::move(r).value();
  }

  testing::FakeEnv env_;
  testing::FakeBedrockHttp http_;
  FakeRunner runner_;
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
    auto c = ResolveBedrockConnection(env, http_, runner_, {});
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    EXPECT_EQ((*c)->runtime.base_url, k.url) << k.region << (k.fips ? " fips" : "");
    EXPECT_TRUE(Has((*c)->runtime.context.endpoint_origin, "default")) << (*c)->runtime.context.endpoint_origin;
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
  BedrockAuthSettings s;
  s.aws_auth_refresh = "aws sso login --profile dev";
  auto c = ResolveOk(s);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->runtime.auth.kind, BedrockAuthKind::kBearer);
  EXPECT_EQ(c->runtime.auth.bearer_token, token);
  EXPECT_EQ(c->runtime.auth.credentials, nullptr);
  EXPECT_TRUE(Has(c->auth_summary, "AWS_BEARER_TOKEN_BEDROCK")) << c->auth_summary;
  EXPECT_FALSE(Has(c->auth_summary, token));
  EXPECT_FALSE(c->runtime.on_credentials_expired) << "awsAuthRefresh cannot help an API key";
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

TEST_F(BedrockConnectionTest, SigV4ChainUsesEnvironmentKeysWithoutAProfile) {
  env_.vars["AWS_REGION"] = "us-east-1";
  env_.vars["AWS_ACCESS_KEY_ID"] = "AKIDFROMENVIRONMENT0";
  env_.vars["AWS_SECRET_ACCESS_KEY"] = "env-secret-key-0123456789";
  auto c = ResolveOk();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->runtime.auth.kind, BedrockAuthKind::kSigV4);
  ASSERT_NE(c->runtime.auth.credentials, nullptr);
  EXPECT_EQ(c->runtime.auth.credentials, c->chain.get());
  EXPECT_TRUE(c->warnings.empty());
  auto creds = c->runtime.auth.credentials->Get();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(creds->access_key_id, "AKIDFROMENVIRONMENT0");
}

TEST_F(BedrockConnectionTest, SigV4ChainFallsBackToTheDefaultProfile) {
  env_.vars["AWS_REGION"] = "us-east-1";
  auto c = ResolveOk();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->profile, "default");
  EXPECT_FALSE(c->profile_explicit);
  auto creds = c->runtime.auth.credentials->Get();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(creds->access_key_id, "AKIDDEFAULT000000000");
}

TEST_F(BedrockConnectionTest, ExplicitProfileWithEnvKeysWarnsAndUsesTheProfile) {
  env_.vars["AWS_PROFILE"] = "dev";
  env_.vars["AWS_ACCESS_KEY_ID"] = "AKIDSTALEKEY00000000";
  env_.vars["AWS_SECRET_ACCESS_KEY"] = "stale-secret-key-0123456789";
  env_.origins["AWS_ACCESS_KEY_ID"] = "/home/user/.claude/settings.json";
  auto c = ResolveOk();
  ASSERT_TRUE(c);
  ASSERT_EQ(c->warnings.size(), 1u);
  const std::string& w = c->warnings[0];
  EXPECT_TRUE(Has(w, "AWS_ACCESS_KEY_ID")) << w;
  EXPECT_TRUE(Has(w, "AWS_SECRET_ACCESS_KEY")) << w;
  EXPECT_TRUE(Has(w, "AWS_PROFILE=dev")) << w;
  EXPECT_TRUE(Has(w, "/home/user/.claude/settings.json")) << w;
  EXPECT_TRUE(Has(w, "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY")) << w;
  EXPECT_FALSE(Has(w, "stale-secret-key")) << w;
  auto creds = c->runtime.auth.credentials->Get();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(creds->access_key_id, "AKIDDEVPROFILE000000");
  EXPECT_EQ(c->runtime.context.profile, "dev");
}

TEST_F(BedrockConnectionTest, ExplicitProfileWithOnlyASessionTokenDoesNotWarn) {
  env_.vars["AWS_PROFILE"] = "dev";
  env_.vars["AWS_SESSION_TOKEN"] = "lonely-token-0123456789";
  auto c = ResolveOk();
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->warnings.empty());
}

TEST_F(BedrockConnectionTest, AuthRefreshHookIsInstalledForSigV4) {
  env_.vars["AWS_PROFILE"] = "dev";
  BedrockAuthSettings s;
  s.aws_auth_refresh = "aws sso login --profile dev";
  s.aws_auth_refresh_origin = "/home/user/.claude/settings.json";
  auto c = ResolveOk(s);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->runtime.on_credentials_expired);
  EXPECT_TRUE(c->runtime.context.has_auth_refresh);
  // Running it runs the command (through the runner) and re-reads the AWS files.
  env_.files[env_.home + "/.aws/credentials"] =
      "[dev]\naws_access_key_id = AKIDREFRESHED0000000\naws_secret_access_key = refreshed-secret-0123456789\n";
  Status st = c->runtime.on_credentials_expired();
  EXPECT_TRUE(st.ok()) << st.error().ToString();
  ASSERT_EQ(runner_.specs.size(), 1u);
  std::string ran = runner_.specs[0].shell_command;
  for (const auto& a : runner_.specs[0].argv) ran += " " + a;
  EXPECT_TRUE(Has(ran, "aws sso login --profile dev")) << ran;
  auto creds = c->runtime.auth.credentials->Get(/*force_refresh=*/true);
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(creds->access_key_id, "AKIDREFRESHED0000000");
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
  EXPECT_EQ(*h, (HttpHeaders{{"X-A", "1"}, {"X-B", "two words"}, {"X-C", "a:b:c"}, {"X-Empty", ""}}));
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
