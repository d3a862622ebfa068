// The SSO emulator against brock's own SSO code over real loopback HTTP (libcurl): device sign-in,
// role credentials, refresh on a schedule, revocation, and transient faults.
#include "emulator/sso_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "aws/sso_credentials.h"
#include "aws/sso_login.h"
#include "aws/sso_oidc_client.h"
#include "aws/sso_portal_client.h"
#include "emulator/emulator.h"
#include "emulator/http_server.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

constexpr char kConfig[] = R"(
[profile ui-dev]
sso_session = emu
sso_account_id = 111122223333
sso_role_name = BedrockUser

[profile wrong-role]
sso_session = emu
sso_account_id = 111122223333
sso_role_name = Admin

[sso-session emu]
sso_start_url = https://emulator.awsapps.com/start
sso_region = us-east-1
)";

class SsoServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SsoServiceOptions o;
    o.access_key_id = kEmulatorAccessKeyId;
    o.secret_access_key = kEmulatorSecretAccessKey;
    o.session_token = "emulator-session-token-for-sso-0001";
    o.approve_after_polls = 2;
    o.slow_down_polls = 1;
    o.access_token_lifetime = std::chrono::hours(8);
    // The service shares the test's fake clock (read only while the test thread waits on HTTP).
    o.now = [this] { return Clock::time_point(Clock::duration(clock_ticks.load())); };
    service = std::make_unique<SsoService>(o);
    auto server = HttpServer::Start({}, [this](const HttpRequest& r, ResponseWriter& w) {
      if (!service->Handle(r, w)) w.Send(404, {}, "not sso");
    });
    ASSERT_TRUE(server.ok()) << server.error().ToString();
    this->server = std::move(server).value();
    url = "http://127.0.0.1:" + std::to_string(this->server->port());
    env.vars["AWS_ENDPOINT_URL_SSO_OIDC"] = url;
    env.vars["AWS_ENDPOINT_URL_SSO"] = url;
    SyncClock();
    auto parsed =
        ParseAwsConfig(kConfig, "", "/home/user/.aws/config", "/home/user/.aws/credentials");
    ASSERT_TRUE(parsed.ok());
    config = std::move(parsed).value();
    http = MakeCurlHttpClient();
  }

  void SyncClock() { clock_ticks = env.now.time_since_epoch().count(); }
  void Advance(Clock::duration d) {
    env.now += d;
    SyncClock();
  }

  Result<SsoLoginResult> Login() {
    auto r = RunSsoLogin(env, *http, config, "ui-dev", nullptr);
    SyncClock();
    return r;
  }

  Result<std::optional<Credentials>> Load(const std::string& profile = "ui-dev") {
    SsoCredentialProvider provider(env, *http, config, profile);
    return provider.Load();
  }

  nlohmann::json Cache() { return nlohmann::json::parse(env.files[SsoTokenCachePath(env, "emu")]); }

  testing::FakeEnv env;
  std::atomic<Clock::rep> clock_ticks{0};
  std::unique_ptr<SsoService> service;
  std::unique_ptr<HttpServer> server;
  std::string url;
  AwsConfig config;
  std::unique_ptr<HttpClient> http;
};

TEST_F(SsoServiceTest, DeviceSignInThenRoleCredentialsThenScheduledRefresh) {
  // (FakeEnv's SleepFor moves env.now during the sign-in; the service's clock catches up after
  // it, which only matters to the device code's 600 s lifetime.)
  auto login = Login();
  ASSERT_TRUE(login.ok()) << login.error().ToString();
  EXPECT_EQ(service->calls("RegisterClient"), 1);
  EXPECT_EQ(service->calls("StartDeviceAuthorization"), 1);
  EXPECT_EQ(service->calls("CreateToken:device_code"), 4);  // pending, pending, slow_down, issued
  EXPECT_EQ(env.slept, std::chrono::seconds(1 + 1 + 6));
  auto cache = Cache();
  EXPECT_TRUE(cache.contains("refreshToken"));
  EXPECT_EQ(cache["startUrl"], "https://emulator.awsapps.com/start");
  const std::string first_token = cache["accessToken"];

  auto creds = Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ((*creds)->access_key_id, kEmulatorAccessKeyId);
  EXPECT_EQ((*creds)->session_token, "emulator-session-token-for-sso-0001");
  EXPECT_EQ(
      *(*creds)->expiration,
      std::chrono::time_point_cast<std::chrono::milliseconds>(env.now) + std::chrono::hours(1));
  EXPECT_EQ(service->calls("CreateToken:refresh_token"), 0);

  // 7 h 57 min later the token is inside the refresh window: refreshed, rotated, saved.
  Advance(std::chrono::hours(8) - std::chrono::minutes(3));
  creds = Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(service->calls("CreateToken:refresh_token"), 1);
  EXPECT_NE(Cache()["accessToken"], first_token);
  EXPECT_EQ(Cache()["expiresAt"], FormatSsoTime(env.now + std::chrono::hours(8)));

  // The old refresh token was rotated away; the new one works again later.
  Advance(std::chrono::hours(8));
  creds = Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(service->calls("CreateToken:refresh_token"), 2);
}

TEST_F(SsoServiceTest, RevokedRefreshTokenAfterExpiryNeedsLogin) {
  ASSERT_TRUE(Login().ok());
  service->RevokeRefreshTokens();
  Advance(std::chrono::hours(9));
  auto creds = Load();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, "sso.login_required");
  EXPECT_NE(creds.error().message.find("InvalidGrantException"), std::string::npos)
      << creds.error().message;
  EXPECT_EQ(env.files.count(SsoTokenCachePath(env, "emu")), 1u);
}

TEST_F(SsoServiceTest, ServerSideExpiryIsUnauthorizedAndLoginRequired) {
  ASSERT_TRUE(Login().ok());
  service->ExpireAccessTokens();
  auto creds = Load();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, "sso.login_required");
  EXPECT_NE(creds.error().message.find("UnauthorizedException"), std::string::npos);
}

TEST_F(SsoServiceTest, TransientRefreshFaultKeepsTheStillValidToken) {
  ASSERT_TRUE(Login().ok());
  const std::string before = env.files[SsoTokenCachePath(env, "emu")];
  Advance(std::chrono::hours(8) - std::chrono::minutes(2));
  service->FailNext("CreateToken", 1, 500, "InternalServerException");
  auto creds = Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(env.files[SsoTokenCachePath(env, "emu")], before);
}

TEST_F(SsoServiceTest, RoleNotAssignedIsNoAccess) {
  ASSERT_TRUE(Login().ok());
  auto creds = Load("wrong-role");
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, "sso.no_access");
}

TEST_F(SsoServiceTest, SeededTokenAndListsWithPaging) {
  service->AddAccessToken("seeded-access-token-000001", env.now + std::chrono::hours(1));
  SsoPortalClient portal(*http, url);
  auto accounts = portal.ListAccounts("seeded-access-token-000001");
  ASSERT_TRUE(accounts.ok()) << accounts.error().ToString();
  ASSERT_EQ(accounts->size(), 1u);
  EXPECT_EQ((*accounts)[0].account_id, "111122223333");
  auto roles = portal.ListAccountRoles("seeded-access-token-000001", "111122223333");
  ASSERT_TRUE(roles.ok());
  ASSERT_EQ(roles->size(), 1u);
  EXPECT_EQ((*roles)[0].role_name, "BedrockUser");
  auto bad = portal.ListAccounts("not-a-token-at-all");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "aws.UnauthorizedException");
}

TEST_F(SsoServiceTest, SeededRefreshTokenRefreshesAPreWrittenCache) {
  service->AddRefreshToken("seeded-refresh-token-0001", "seeded-client",
                           "seeded-client-secret-0001");
  nlohmann::json cache = {
      {"startUrl", "https://emulator.awsapps.com/start"},
      {"region", "us-east-1"},
      {"accessToken", "stale-access-token-00001"},
      {"expiresAt", FormatSsoTime(env.now - std::chrono::minutes(1))},
      {"refreshToken", "seeded-refresh-token-0001"},
      {"clientId", "seeded-client"},
      {"clientSecret", "seeded-client-secret-0001"},
      {"registrationExpiresAt", FormatSsoTime(env.now + std::chrono::hours(24))}};
  env.files[SsoTokenCachePath(env, "emu")] = cache.dump();
  auto creds = Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(service->calls("CreateToken:refresh_token"), 1);
}

TEST_F(SsoServiceTest, NonSsoRequestsAreLeftAlone) {
  HttpRequest r;
  r.method = "POST";
  r.url = url + "/model/x/invoke";
  auto resp = http->Send(r);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 404);
  EXPECT_EQ(resp->body, "not sso");
}

}  // namespace
}  // namespace brock
