#include "aws/sso_login.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "aws/sso_credentials.h"
#include "testing/fake_env.h"
#include "testing/sso_fake_http.h"

namespace brock {
namespace {

constexpr char kConfig[] = R"(
[profile ui-dev]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = BedrockUser

[sso-session my-sso]
sso_start_url = https://d-abc123.awsapps.com/start
sso_region = us-east-1

[profile scoped]
sso_session = scoped-sso
sso_account_id = 1
sso_role_name = R

[sso-session scoped-sso]
sso_start_url = https://scoped.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access,codewhisperer:completions

[profile legacy]
sso_start_url = https://old.awsapps.com/start
sso_region = us-east-2
sso_account_id = 1
sso_role_name = R

[profile keys]
region = us-east-1
)";

class SsoLoginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed =
        ParseAwsConfig(kConfig, "", "/home/user/.aws/config", "/home/user/.aws/credentials");
    ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
    config = std::move(parsed).value();
    env.vars["AWS_ENDPOINT_URL_SSO_OIDC"] = "http://oidc.test";
    http.On("POST /client/register", [](const HttpRequest&) -> Result<HttpResponse> {
      return testing::SsoFakeHttp::JsonResponse(
          200, R"({"clientId":"login-client-id","clientSecret":"login-client-secret-1",)"
               R"("clientIdIssuedAt":1767225600,"clientSecretExpiresAt":1774915200})");
    });
    http.On("POST /device_authorization", [](const HttpRequest&) -> Result<HttpResponse> {
      return testing::SsoFakeHttp::JsonResponse(
          200,
          R"({"deviceCode":"login-device-code-1","userCode":"WXYZ-1234",)"
          R"("verificationUri":"https://device.sso.us-east-1.amazonaws.com/",)"
          R"("verificationUriComplete":"https://device.sso.us-east-1.amazonaws.com/?user_code=WXYZ-1234",)"
          R"("expiresIn":600,"interval":2})");
    });
  }

  HttpResponse Issued() {
    return testing::SsoFakeHttp::JsonResponse(
        200, R"({"accessToken":"login-access-token-1","tokenType":"Bearer",)"
             R"("expiresIn":28800,"refreshToken":"login-refresh-token-1"})");
  }

  Result<SsoLoginResult> Login(const std::string& profile, SsoBrowserOpener opener = nullptr) {
    return RunSsoLogin(
        env, http, config, profile,
        [&](std::string_view line) { printed += std::string(line) + "\n"; }, opener);
  }

  testing::FakeEnv env;
  AwsConfig config;
  testing::SsoFakeHttp http;
  std::string printed;
};

TEST_F(SsoLoginTest, CancelWhileWaitingStopsTheSignIn) {
  http.Script("POST /token", {testing::SsoFakeHttp::OidcError("AuthorizationPendingException",
                                                              "authorization_pending")});
  std::atomic<bool> cancel{true};
  auto result = RunSsoLogin(env, http, config, "ui-dev", nullptr, nullptr, &cancel);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "sso.login_cancelled");
  EXPECT_NE(result.error().fix.find("login --profile ui-dev"), std::string::npos)
      << result.error().fix;
  EXPECT_EQ(http.Calls("POST /token").size(), 1u) << "no polling after the cancel";
  EXPECT_EQ(env.slept, std::chrono::milliseconds(0));
}

TEST_F(SsoLoginTest, PendingThenSlowDownThenSuccessWritesTheCliCacheFile) {
  http.Script(
      "POST /token",
      {testing::SsoFakeHttp::OidcError("AuthorizationPendingException", "authorization_pending"),
       testing::SsoFakeHttp::OidcError("SlowDownException", "slow_down"), Issued()});
  const Clock::time_point start = env.now;
  auto result = Login("ui-dev");
  ASSERT_TRUE(result.ok()) << result.error().ToString();

  // Registration: client "brock", public, default scope.
  auto reg = http.Calls("POST /client/register");
  ASSERT_EQ(reg.size(), 1u);
  EXPECT_EQ(reg[0].url, "http://oidc.test/client/register");
  EXPECT_EQ(
      nlohmann::json::parse(reg[0].body),
      (nlohmann::json{
          {"clientName", "brock"}, {"clientType", "public"}, {"scopes", {"sso:account:access"}}}));
  auto start_auth = http.Calls("POST /device_authorization");
  ASSERT_EQ(start_auth.size(), 1u);
  auto sbody = nlohmann::json::parse(start_auth[0].body);
  EXPECT_EQ(sbody["clientId"], "login-client-id");
  EXPECT_EQ(sbody["clientSecret"], "login-client-secret-1");
  EXPECT_EQ(sbody["startUrl"], "https://d-abc123.awsapps.com/start");

  // Polling: at once (pending), after 2 s (slow_down), after 2 + 5 s (issued).
  auto polls = http.Calls("POST /token");
  ASSERT_EQ(polls.size(), 3u);
  for (const HttpRequest& p : polls) {
    auto b = nlohmann::json::parse(p.body);
    EXPECT_EQ(b["grantType"], "urn:ietf:params:oauth:grant-type:device_code");
    EXPECT_EQ(b["deviceCode"], "login-device-code-1");
    EXPECT_EQ(b["clientId"], "login-client-id");
  }
  EXPECT_EQ(env.slept, std::chrono::seconds(9));

  // The user saw the URL and the code, never a secret.
  EXPECT_NE(printed.find("https://device.sso.us-east-1.amazonaws.com/?user_code=WXYZ-1234"),
            std::string::npos);
  EXPECT_NE(printed.find("WXYZ-1234"), std::string::npos);
  for (const char* secret : {"login-client-secret-1", "login-access-token-1",
                             "login-refresh-token-1", "login-device-code-1"}) {
    EXPECT_EQ(printed.find(secret), std::string::npos) << secret;
  }

  // The cache file, exactly where and how the AWS CLI writes it.
  const std::string path = SsoTokenCachePath(env, "my-sso");
  EXPECT_EQ(result->cache_path, path);
  EXPECT_EQ(path, "/home/user/.aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json");
  EXPECT_EQ(env.modes[path], 0600u);
  auto j = nlohmann::json::parse(env.files[path]);
  EXPECT_EQ(j["startUrl"], "https://d-abc123.awsapps.com/start");
  EXPECT_EQ(j["region"], "us-east-1");
  EXPECT_EQ(j["accessToken"], "login-access-token-1");
  EXPECT_EQ(j["expiresAt"],
            FormatSsoTime(start + std::chrono::seconds(9) + std::chrono::seconds(28800)));
  EXPECT_EQ(j["refreshToken"], "login-refresh-token-1");
  EXPECT_EQ(j["clientId"], "login-client-id");
  EXPECT_EQ(j["clientSecret"], "login-client-secret-1");
  EXPECT_EQ(j["registrationExpiresAt"], "2026-03-31T00:00:00Z");  // 1774915200
  EXPECT_EQ(j.size(), 8u) << j.dump();

  // And the credential provider now works from that file without any refresh.
  env.vars["AWS_ENDPOINT_URL_SSO"] = "http://portal.test";
  http.On("GET /federation/credentials", [](const HttpRequest& r) -> Result<HttpResponse> {
    if (FindHeader(r.headers, "x-amz-sso_bearer_token") != "login-access-token-1") {
      return testing::SsoFakeHttp::JsonResponse(401, "{}", "UnauthorizedException");
    }
    return testing::SsoFakeHttp::JsonResponse(
        200, R"({"roleCredentials":{"accessKeyId":"ASIA1","secretAccessKey":"s-123456789",)"
             R"("sessionToken":"t-123456789","expiration":1767229200000}})");
  });
  SsoCredentialProvider provider(env, http, config, "ui-dev");
  auto creds = provider.Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ((*creds)->access_key_id, "ASIA1");
}

TEST_F(SsoLoginTest, ConfiguredScopesAreRegistered) {
  http.Script("POST /token", {Issued()});
  auto result = Login("scoped");
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  auto reg = nlohmann::json::parse(http.Calls("POST /client/register").at(0).body);
  EXPECT_EQ(reg["scopes"], (nlohmann::json{"sso:account:access", "codewhisperer:completions"}));
  EXPECT_EQ(env.slept, std::chrono::seconds(0));
  EXPECT_EQ(result->cache_path, SsoTokenCachePath(env, "scoped-sso"));
}

TEST_F(SsoLoginTest, LegacyProfileRegistersWithoutScopesAndKeysOnStartUrl) {
  http.Script("POST /token", {Issued()});
  auto result = Login("legacy");
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  auto reg = nlohmann::json::parse(http.Calls("POST /client/register").at(0).body);
  EXPECT_FALSE(reg.contains("scopes"));
  EXPECT_EQ(result->cache_path, SsoTokenCachePath(env, "https://old.awsapps.com/start"));
  EXPECT_EQ(env.files.count(result->cache_path), 1u);
}

TEST_F(SsoLoginTest, BrowserOpenerGetsTheCompleteUrl) {
  http.Script("POST /token", {Issued()});
  std::string opened;
  auto result = Login("ui-dev", [&](std::string_view url) {
    opened = std::string(url);
    return true;
  });
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(opened, "https://device.sso.us-east-1.amazonaws.com/?user_code=WXYZ-1234");
}

TEST_F(SsoLoginTest, NeverApprovedExpiresAtExpiresIn) {
  http.Script("POST /token", {testing::SsoFakeHttp::OidcError("AuthorizationPendingException",
                                                              "authorization_pending")});
  auto result = Login("ui-dev");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "sso.login_expired");
  EXPECT_NE(result.error().fix.find("brock login --profile ui-dev"), std::string::npos);
  // Polled every 2 s until the 600 s lifetime ran out, no longer.
  EXPECT_GE(env.slept, std::chrono::seconds(598));
  EXPECT_LE(env.slept, std::chrono::seconds(600));
  EXPECT_EQ(http.Calls("POST /token").size(), 301u);
  EXPECT_TRUE(env.files.empty());
}

TEST_F(SsoLoginTest, ExpiredDeviceCodeAndDenialAreDistinct) {
  http.Script("POST /token",
              {testing::SsoFakeHttp::OidcError("ExpiredTokenException", "expired_token")});
  auto expired = Login("ui-dev");
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, "sso.login_expired");
  http.Script("POST /token",
              {testing::SsoFakeHttp::OidcError("AccessDeniedException", "access_denied")});
  auto denied = Login("ui-dev");
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, "sso.login_denied");
}

TEST_F(SsoLoginTest, TransientPollFailuresAreRetried) {
  http.Script("POST /token",
              {testing::SsoFakeHttp::NetError(),
               testing::SsoFakeHttp::JsonResponse(500, "{}", "InternalServerException"), Issued()});
  auto result = Login("ui-dev");
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(http.Calls("POST /token").size(), 3u);
}

TEST_F(SsoLoginTest, OtherErrorsStopWithContext) {
  http.Script("POST /token",
              {testing::SsoFakeHttp::OidcError("InvalidClientException", "invalid_client")});
  auto result = Login("ui-dev");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "aws.InvalidClientException");
  EXPECT_NE(result.error().message.find("https://d-abc123.awsapps.com/start"), std::string::npos);
}

TEST_F(SsoLoginTest, NonSsoProfileIsNotConfigured) {
  auto keys = Login("keys");
  ASSERT_FALSE(keys.ok());
  EXPECT_EQ(keys.error().code, "sso.not_configured");
  EXPECT_NE(keys.error().fix.find("aws configure sso --profile keys"), std::string::npos);
  auto missing = Login("ghost");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "sso.not_configured");
  EXPECT_TRUE(http.requests.empty());
}

TEST_F(SsoLoginTest, SessionByName) {
  http.Script("POST /token", {Issued()});
  auto session = ResolveSsoSessionByName(config, "my-sso");
  ASSERT_TRUE(session.ok());
  auto result = RunSsoLoginForSession(env, http, config, *session, nullptr);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->cache_path, SsoTokenCachePath(env, "my-sso"));
}

}  // namespace
}  // namespace brock
