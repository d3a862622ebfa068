// RunSsoLogin (the device-code sign-in) against the emulator's IAM Identity Center service
// (testing/emulated_aws.h) over loopback HTTP with the libcurl client. The service approves a
// device authorization after a set number of polls; NetFaultHttp adds connection failures and
// records each request as brock issued it.
#include "aws/sso_login.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "aws/sso_credentials.h"
#include "testing/emulated_aws.h"
#include "testing/fake_env.h"
#include "testing/net_fault_http.h"

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

constexpr char kUserCodeLine[] = "and check that it shows this code: ";

class SsoLoginTest : public ::testing::Test {
 protected:
  SsoLoginTest() : aws(env), curl(MakeCurlHttpClient()), http(*curl) {}

  void SetUp() override {
    auto parsed =
        ParseAwsConfig(kConfig, "", "/home/user/.aws/config", "/home/user/.aws/credentials");
    ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
    config = std::move(parsed).value();
    env.vars["AWS_ENDPOINT_URL_SSO_OIDC"] = aws.url();
    Serve(/*approve_after_polls=*/0);
  }

  // The service approves the sign-in on poll approve_after_polls + slow_down_polls + 1 (after
  // that many AuthorizationPending, then SlowDown answers); it asks for a 2 s interval, device
  // codes live 600 s and client registrations 89 days (until 2026-03-31T00:00:00Z).
  static SsoServiceOptions Options(int approve_after_polls, int slow_down_polls = 0) {
    SsoServiceOptions options = testing::EmulatedAws::DefaultSsoOptions();
    options.interval_seconds = 2;
    options.device_code_lifetime = std::chrono::seconds(600);
    options.registration_lifetime = std::chrono::hours(24 * 89);
    options.approve_after_polls = approve_after_polls;
    options.slow_down_polls = slow_down_polls;
    return options;
  }
  void Serve(int approve_after_polls, int slow_down_polls = 0) {
    aws.ResetSso(Options(approve_after_polls, slow_down_polls));
  }

  Result<SsoLoginResult> Login(const std::string& profile, SsoBrowserOpener opener = nullptr) {
    return RunSsoLogin(
        env, http, config, profile,
        [&](std::string_view line) { printed += std::string(line) + "\n"; }, opener);
  }

  // The user code the sign-in showed, or "".
  std::string ShownUserCode() const {
    size_t at = printed.find(kUserCodeLine);
    if (at == std::string::npos) return "";
    at += sizeof(kUserCodeLine) - 1;
    return printed.substr(at, printed.find('\n', at) - at);
  }

  testing::FakeEnv env;
  testing::EmulatedAws aws;
  std::unique_ptr<HttpClient> curl;
  testing::NetFaultHttp http;
  AwsConfig config;
  std::string printed;
};

TEST_F(SsoLoginTest, CancelWhileWaitingStopsTheSignIn) {
  Serve(/*approve_after_polls=*/1000);
  std::atomic<bool> cancel{true};
  auto result = RunSsoLogin(env, http, config, "ui-dev", nullptr, nullptr, &cancel);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "sso.login_cancelled");
  EXPECT_NE(result.error().fix.find("login --profile ui-dev"), std::string::npos)
      << result.error().fix;
  EXPECT_EQ(http.Calls("POST", "/token").size(), 1u) << "no polling after the cancel";
  EXPECT_EQ(aws.sso().calls("CreateToken:device_code"), 1);
  EXPECT_EQ(env.slept, std::chrono::milliseconds(0));
}

TEST_F(SsoLoginTest, PendingThenSlowDownThenSuccessWritesTheCliCacheFile) {
  Serve(/*approve_after_polls=*/1, /*slow_down_polls=*/1);
  const Clock::time_point start = env.now;
  auto result = Login("ui-dev");
  ASSERT_TRUE(result.ok()) << result.error().ToString();

  // The cache file, exactly where and how the AWS CLI writes it.
  const std::string path = SsoTokenCachePath(env, "my-sso");
  EXPECT_EQ(result->cache_path, path);
  EXPECT_EQ(path, "/home/user/.aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json");
  EXPECT_EQ(env.modes[path], 0600u);
  auto j = nlohmann::json::parse(env.files[path]);
  const std::string client_id = j.value("clientId", "");
  const std::string client_secret = j.value("clientSecret", "");
  const std::string access_token = j.value("accessToken", "");
  const std::string refresh_token = j.value("refreshToken", "");
  ASSERT_FALSE(client_id.empty());
  ASSERT_FALSE(client_secret.empty());
  ASSERT_FALSE(access_token.empty());
  ASSERT_FALSE(refresh_token.empty());
  EXPECT_EQ(j["startUrl"], "https://d-abc123.awsapps.com/start");
  EXPECT_EQ(j["region"], "us-east-1");
  EXPECT_EQ(j["expiresAt"],
            FormatSsoTime(start + std::chrono::seconds(9) + std::chrono::seconds(28800)));
  EXPECT_EQ(j["registrationExpiresAt"], "2026-03-31T00:00:00Z");  // 1774915200
  EXPECT_EQ(j.size(), 8u) << j.dump();

  // Registration: client "brock", public, default scope.
  auto reg = http.Calls("POST", "/client/register");
  ASSERT_EQ(reg.size(), 1u);
  EXPECT_EQ(reg[0].url, aws.url() + "/client/register");
  EXPECT_EQ(
      nlohmann::json::parse(reg[0].body),
      (nlohmann::json{
          {"clientName", "brock"}, {"clientType", "public"}, {"scopes", {"sso:account:access"}}}));
  auto start_auth = http.Calls("POST", "/device_authorization");
  ASSERT_EQ(start_auth.size(), 1u);
  auto sbody = nlohmann::json::parse(start_auth[0].body);
  EXPECT_EQ(sbody["clientId"], client_id);
  EXPECT_EQ(sbody["clientSecret"], client_secret);
  EXPECT_EQ(sbody["startUrl"], "https://d-abc123.awsapps.com/start");

  // Polling: at once (pending), after 2 s (slow_down), after 2 + 5 s (issued).
  auto polls = http.Calls("POST", "/token");
  ASSERT_EQ(polls.size(), 3u);
  EXPECT_EQ(aws.sso().calls("CreateToken:device_code"), 3);
  const std::string device_code = nlohmann::json::parse(polls[0].body).value("deviceCode", "");
  ASSERT_FALSE(device_code.empty());
  for (const HttpRequest& p : polls) {
    auto b = nlohmann::json::parse(p.body);
    EXPECT_EQ(b["grantType"], "urn:ietf:params:oauth:grant-type:device_code");
    EXPECT_EQ(b["deviceCode"], device_code);
    EXPECT_EQ(b["clientId"], client_id);
  }
  EXPECT_EQ(env.slept, std::chrono::seconds(9));

  // The user saw the URL and the code, never a secret.
  const std::string code = ShownUserCode();
  ASSERT_EQ(code.size(), 9u) << printed;  // "ABCD-EF01"
  EXPECT_NE(printed.find(aws.url() + "/device?user_code=" + code), std::string::npos) << printed;
  for (const std::string& secret : {client_secret, access_token, refresh_token, device_code}) {
    EXPECT_EQ(printed.find(secret), std::string::npos) << secret;
  }

  // And the credential provider now works from that file without any refresh: the portal
  // accepts the token the sign-in got.
  env.vars["AWS_ENDPOINT_URL_SSO"] = aws.url();
  SsoCredentialProvider provider(env, http, config, "ui-dev");
  auto creds = provider.Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ((*creds)->access_key_id, testing::EmulatedAws::kSsoAccessKeyId);
  EXPECT_EQ(aws.sso().calls("CreateToken:refresh_token"), 0);
  auto role = http.Calls("GET", "/federation/credentials");
  ASSERT_EQ(role.size(), 1u);
  EXPECT_EQ(FindHeader(role[0].headers, "x-amz-sso_bearer_token"), access_token);
}

TEST_F(SsoLoginTest, ConfiguredScopesAreRegistered) {
  auto result = Login("scoped");
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  auto reg = nlohmann::json::parse(http.Calls("POST", "/client/register").at(0).body);
  EXPECT_EQ(reg["scopes"], (nlohmann::json{"sso:account:access", "codewhisperer:completions"}));
  EXPECT_EQ(env.slept, std::chrono::seconds(0));
  EXPECT_EQ(result->cache_path, SsoTokenCachePath(env, "scoped-sso"));
}

TEST_F(SsoLoginTest, LegacyProfileRegistersWithoutScopesAndKeysOnStartUrl) {
  auto result = Login("legacy");
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  auto reg = nlohmann::json::parse(http.Calls("POST", "/client/register").at(0).body);
  EXPECT_FALSE(reg.contains("scopes"));
  EXPECT_EQ(result->cache_path, SsoTokenCachePath(env, "https://old.awsapps.com/start"));
  EXPECT_EQ(env.files.count(result->cache_path), 1u);
  // Without scopes the service issues no refresh token, and none is cached.
  EXPECT_TRUE(result->token.refresh_token.empty());
  EXPECT_FALSE(nlohmann::json::parse(env.files[result->cache_path]).contains("refreshToken"));
}

TEST_F(SsoLoginTest, BrowserOpenerGetsTheCompleteUrl) {
  std::string opened;
  auto result = Login("ui-dev", [&](std::string_view url) {
    opened = std::string(url);
    return true;
  });
  ASSERT_TRUE(result.ok());
  ASSERT_FALSE(ShownUserCode().empty()) << printed;
  EXPECT_EQ(opened, aws.url() + "/device?user_code=" + ShownUserCode());
}

TEST_F(SsoLoginTest, NeverApprovedExpiresAtExpiresIn) {
  // A service that never approves and whose clock stands still, so it never expires the device
  // code either: brock's own deadline (expiresIn from the device authorization) stops it.
  SsoServiceOptions options = Options(/*approve_after_polls=*/1'000'000);
  const Clock::time_point frozen = env.now;
  options.now = [frozen] { return frozen; };
  aws.ResetSso(options);
  auto result = Login("ui-dev");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "sso.login_expired");
  EXPECT_NE(result.error().message.find("was not approved in time"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().fix.find("brock login --profile ui-dev"), std::string::npos);
  // Polled every 2 s until the 600 s lifetime ran out, no longer.
  EXPECT_GE(env.slept, std::chrono::seconds(598));
  EXPECT_LE(env.slept, std::chrono::seconds(600));
  EXPECT_EQ(http.Calls("POST", "/token").size(), 301u);
  EXPECT_EQ(aws.sso().calls("CreateToken:device_code"), 301);
  EXPECT_TRUE(env.files.empty());
}

TEST_F(SsoLoginTest, ExpiredDeviceCodeAndDenialAreDistinct) {
  // The service expires the device code after its lifetime: ExpiredTokenException.
  SsoServiceOptions options = Options(/*approve_after_polls=*/1'000'000);
  options.device_code_lifetime = std::chrono::seconds(4);
  aws.ResetSso(options);
  auto expired = Login("ui-dev");
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, "sso.login_expired");
  EXPECT_NE(expired.error().message.find("expired before it was approved"), std::string::npos)
      << expired.error().message;
  EXPECT_EQ(aws.sso().calls("CreateToken:device_code"), 3);  // at 0 s, 2 s, 4 s
  // The user chose Deny (the emulator approves by itself, so the refusal is injected).
  Serve(/*approve_after_polls=*/0);
  aws.sso().FailNext("CreateToken", 1, 400, "AccessDeniedException");
  auto denied = Login("ui-dev");
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, "sso.login_denied");
}

TEST_F(SsoLoginTest, TransientPollFailuresAreRetried) {
  http.FailNext("/token", 1);                                            // no connection
  aws.sso().FailNext("CreateToken", 1, 500, "InternalServerException");  // then a 500
  auto result = Login("ui-dev");
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(http.Calls("POST", "/token").size(), 3u);
  EXPECT_EQ(aws.sso().calls("CreateToken:device_code"), 2);  // the first never got there
}

TEST_F(SsoLoginTest, OtherErrorsStopWithContext) {
  // The client registration expires (after 1 s) while the sign-in waits: the next poll is
  // refused with InvalidClientException.
  SsoServiceOptions options = Options(/*approve_after_polls=*/1);
  options.registration_lifetime = std::chrono::seconds(1);
  aws.ResetSso(options);
  auto result = Login("ui-dev");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "aws.InvalidClientException");
  EXPECT_NE(result.error().message.find("https://d-abc123.awsapps.com/start"), std::string::npos);
  EXPECT_EQ(aws.sso().calls("CreateToken:device_code"), 2);
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
  EXPECT_TRUE(aws.requests().empty());
}

TEST_F(SsoLoginTest, SessionByName) {
  auto session = ResolveSsoSessionByName(config, "my-sso");
  ASSERT_TRUE(session.ok());
  auto result = RunSsoLoginForSession(env, http, config, *session, nullptr);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->cache_path, SsoTokenCachePath(env, "my-sso"));
}

}  // namespace
}  // namespace brock
