// SsoCredentialProvider against the emulator's IAM Identity Center service
// (testing/emulated_aws.h) over loopback HTTP with the libcurl client: the cached token, its
// refresh through SSO-OIDC, GetRoleCredentials, and every way they can fail. NetFaultHttp adds
// what the service cannot produce (connection failures, the default AWS host names) and records
// each request as the provider issued it.
#include "aws/sso_credentials.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/secrets.h"
#include "testing/emulated_aws.h"
#include "testing/fake_env.h"
#include "testing/net_fault_http.h"

namespace brock {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr char kConfig[] = R"(
[profile ui-dev]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = BedrockUser
region = us-west-2

[sso-session my-sso]
sso_start_url = https://d-abc123.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile legacy]
sso_start_url = https://d-abc123.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 444455556666
sso_role_name = Legacy

[profile no-role]
sso_session = my-sso

[profile dangling]
sso_session = nope
sso_account_id = 1
sso_role_name = R

[profile keys]
aws_access_key_id = AKIDEXAMPLE
aws_secret_access_key = secretsecretsecret
)";

constexpr char kAccessToken[] = "cached-access-token-AAAAAAAA";
constexpr char kRefreshToken[] = "cached-refresh-token-BBBBBBBB";
constexpr char kClientSecret[] = "cached-client-secret-CCCCCCCC";
constexpr char kNewAccessToken[] = "refreshed-access-token-DDDDDDDD";
constexpr char kSecretKey[] = "role-secret-access-key-FFFFFFFF";
constexpr char kSessionToken[] = "role-session-token-GGGGGGGG";

class SsoCredentialsTest : public ::testing::Test {
 protected:
  SsoCredentialsTest() : aws(env), curl(MakeCurlHttpClient()), http(*curl) {}

  void SetUp() override {
    auto parsed =
        ParseAwsConfig(kConfig, "", "/home/user/.aws/config", "/home/user/.aws/credentials");
    ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
    config = std::move(parsed).value();
    env.vars["AWS_ENDPOINT_URL_SSO_OIDC"] = aws.url();
    env.vars["AWS_ENDPOINT_URL_SSO"] = aws.url();
    aws.ResetSso(Options());
  }

  // The service's options: GetRoleCredentials hands out ASIAROLEKEY / kSecretKey /
  // kSessionToken, valid one hour (FakeEnv: 2026-01-01T00:00:00Z, so 1767229200000 ms).
  static SsoServiceOptions Options() {
    SsoServiceOptions options = testing::EmulatedAws::DefaultSsoOptions();
    options.access_key_id = "ASIAROLEKEY";
    options.secret_access_key = kSecretKey;
    options.session_token = kSessionToken;
    options.account_roles = {{"111122223333", {"BedrockUser"}}, {"444455556666", {"Legacy"}}};
    return options;
  }

  std::string CachePath() const { return SsoTokenCachePath(env, "my-sso"); }

  // Puts a token expiring `expires_in` from now in the cache, and makes the service accept it
  // (and its refresh token, for the cached client) as if it had issued them.
  void CacheToken(Clock::duration expires_in, bool refreshable = true,
                  Clock::duration registration_in = std::chrono::hours(24 * 60)) {
    nlohmann::json j = {{"startUrl", "https://d-abc123.awsapps.com/start"},
                        {"region", "us-east-1"},
                        {"accessToken", kAccessToken},
                        {"expiresAt", FormatSsoTime(env.now + expires_in)},
                        {"toolSpecificField", 42}};
    aws.sso().AddAccessToken(kAccessToken, env.now + expires_in);
    if (refreshable) {
      j["refreshToken"] = kRefreshToken;
      j["clientId"] = "client-id-1";
      j["clientSecret"] = kClientSecret;
      j["registrationExpiresAt"] = FormatSsoTime(env.now + registration_in);
      aws.sso().AddRefreshToken(kRefreshToken, "client-id-1", kClientSecret);
    }
    env.files[CachePath()] = j.dump(2);
    original_cache = env.files[CachePath()];
  }

  Result<std::optional<Credentials>> Load(const std::string& profile = "ui-dev") {
    SsoCredentialProvider provider(env, http, config, profile);
    return provider.Load();
  }

  // The bearer token GetRoleCredentials was last called with.
  std::string BearerUsed() const {
    auto calls = http.Calls("GET", "/federation/credentials");
    return calls.empty() ? "" : FindHeader(calls.back().headers, "x-amz-sso_bearer_token");
  }
  std::vector<HttpRequest> RefreshCalls() const { return http.Calls("POST", "/token"); }

  testing::FakeEnv env;
  testing::EmulatedAws aws;
  std::unique_ptr<HttpClient> curl;
  testing::NetFaultHttp http;
  AwsConfig config;
  std::string original_cache;
};

TEST_F(SsoCredentialsTest, ValidCachedTokenIsExchangedForRoleCredentials) {
  CacheToken(std::chrono::hours(4));
  auto creds = Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  ASSERT_TRUE(creds->has_value());
  const Credentials& c = **creds;
  EXPECT_EQ(c.access_key_id, "ASIAROLEKEY");
  EXPECT_EQ(c.secret_access_key, kSecretKey);
  EXPECT_EQ(c.session_token, kSessionToken);
  ASSERT_TRUE(c.expiration.has_value());
  EXPECT_EQ(*c.expiration, env.now + std::chrono::hours(1));  // 1767229200000 ms
  EXPECT_EQ(c.source, "SSO profile ui-dev");
  EXPECT_EQ(c.profile, "ui-dev");
  EXPECT_EQ(c.account_id, "111122223333");
  // No refresh; the request went to the configured portal with the right query and header.
  EXPECT_TRUE(RefreshCalls().empty());
  EXPECT_EQ(aws.sso().calls("CreateToken:refresh_token"), 0);
  auto calls = http.Calls("GET", "/federation/credentials");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].url,
            aws.url() + "/federation/credentials?role_name=BedrockUser&account_id=111122223333");
  EXPECT_EQ(aws.sso().calls("GetRoleCredentials"), 1);
  EXPECT_EQ(BearerUsed(), kAccessToken);
  EXPECT_EQ(env.files[CachePath()], original_cache);
  // Secrets are registered.
  EXPECT_EQ(ScrubSecrets(kSecretKey), "[REDACTED]");
  EXPECT_EQ(ScrubSecrets(kSessionToken), "[REDACTED]");
  EXPECT_EQ(ScrubSecrets(kRefreshToken), "[REDACTED]");
  EXPECT_EQ(ScrubSecrets(kClientSecret), "[REDACTED]");
}

TEST_F(SsoCredentialsTest, DefaultEndpointsUseTheSsoRegion) {
  env.vars.clear();
  // The default portal host, reached on the emulator (NetFaultHttp refuses any other origin).
  http.Route("https://portal.sso.us-east-1.amazonaws.com", aws.url());
  CacheToken(std::chrono::hours(4));
  auto creds = Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(http.requests.back().url,
            "https://portal.sso.us-east-1.amazonaws.com/federation/"
            "credentials?role_name=BedrockUser&account_id="
            "111122223333");
  EXPECT_EQ(aws.sso().calls("GetRoleCredentials"), 1);
}

TEST_F(SsoCredentialsTest, NearExpiryTokenIsRefreshedAndCacheRewrittenWithAllFields) {
  CacheToken(minutes(4));
  aws.sso().SetAccessTokenLifetime(seconds(28800));
  auto creds = Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  ASSERT_TRUE(creds->has_value());

  auto refresh = RefreshCalls();
  ASSERT_EQ(refresh.size(), 1u);
  EXPECT_EQ(refresh[0].url, aws.url() + "/token");
  EXPECT_EQ(aws.sso().calls("CreateToken:refresh_token"), 1);
  auto body = nlohmann::json::parse(refresh[0].body);
  EXPECT_EQ(body["grantType"], "refresh_token");
  EXPECT_EQ(body["clientId"], "client-id-1");
  EXPECT_EQ(body["clientSecret"], kClientSecret);
  EXPECT_EQ(body["refreshToken"], kRefreshToken);
  EXPECT_EQ(FindHeader(refresh[0].headers, "Authorization"), "");  // unsigned

  EXPECT_EQ(env.modes[CachePath()], 0600u);
  auto j = nlohmann::json::parse(env.files[CachePath()]);
  // The new access token (the service's own) is cached and used for GetRoleCredentials.
  const std::string new_access = j["accessToken"];
  EXPECT_NE(new_access, kAccessToken);
  EXPECT_FALSE(new_access.empty());
  EXPECT_EQ(BearerUsed(), new_access);
  EXPECT_EQ(j["expiresAt"], FormatSsoTime(env.now + seconds(28800)));
  // The service rotates refresh tokens: the new one replaces the old.
  const std::string new_refresh = j["refreshToken"];
  EXPECT_NE(new_refresh, kRefreshToken);
  EXPECT_FALSE(new_refresh.empty());
  EXPECT_EQ(j["clientId"], "client-id-1");
  EXPECT_EQ(j["clientSecret"], kClientSecret);
  EXPECT_EQ(j["registrationExpiresAt"], FormatSsoTime(env.now + std::chrono::hours(24 * 60)));
  EXPECT_EQ(j["region"], "us-east-1");
  EXPECT_EQ(j["startUrl"], "https://d-abc123.awsapps.com/start");
  EXPECT_EQ(j["toolSpecificField"], 42);
  EXPECT_EQ(ScrubSecrets(new_refresh), "[REDACTED]");
}

TEST_F(SsoCredentialsTest, RefreshWithoutANewRefreshTokenKeepsTheOldOne) {
  CacheToken(-minutes(10));  // already expired
  // The emulator always rotates refresh tokens; an answer without one (which AWS may send) is
  // scripted. The portal accepts the access token it carries.
  aws.ForceResponse(
      200,
      nlohmann::json{
          {"accessToken", kNewAccessToken}, {"tokenType", "Bearer"}, {"expiresIn", 28800}}
          .dump(),
      {{"Content-Type", "application/json"}});
  aws.sso().AddAccessToken(kNewAccessToken, env.now + seconds(28800));
  auto creds = Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(BearerUsed(), kNewAccessToken);
  auto j = nlohmann::json::parse(env.files[CachePath()]);
  EXPECT_EQ(j["accessToken"], kNewAccessToken);
  EXPECT_EQ(j["refreshToken"], kRefreshToken);
}

TEST_F(SsoCredentialsTest, TokenOutsideTheWindowIsNotRefreshed) {
  CacheToken(minutes(6));
  ASSERT_TRUE(Load().ok());
  EXPECT_TRUE(RefreshCalls().empty());
  EXPECT_EQ(aws.sso().calls("CreateToken:refresh_token"), 0);
  EXPECT_EQ(BearerUsed(), kAccessToken);
}

TEST_F(SsoCredentialsTest, RefusedRefreshOfExpiredTokenNeedsLoginAndIsNotRetryable) {
  CacheToken(-minutes(1));
  aws.sso().RevokeRefreshTokens();  // CreateToken(refresh_token): InvalidGrantException
  auto creds = Load();
  ASSERT_FALSE(creds.ok());
  const Error& e = creds.error();
  EXPECT_EQ(e.code, "sso.login_required");
  EXPECT_FALSE(e.retryable);
  EXPECT_NE(e.message.find("the SSO session for profile ui-dev expired at 2025-12-31T23:59:00Z"),
            std::string::npos)
      << e.message;
  EXPECT_NE(e.message.find("InvalidGrantException"), std::string::npos) << e.message;
  EXPECT_EQ(e.fix,
            "run: brock login --profile ui-dev (or aws sso login --profile ui-dev), or set "
            "awsAuthRefresh in "
            "~/.claude/settings.json");
  EXPECT_EQ(aws.sso().calls("CreateToken:refresh_token"), 1);
  EXPECT_TRUE(http.Calls("GET", "/federation/credentials").empty());
  EXPECT_EQ(aws.sso().calls("GetRoleCredentials"), 0);
  EXPECT_EQ(env.files[CachePath()], original_cache);  // never deleted or rewritten
  for (const char* secret : {kAccessToken, kRefreshToken, kClientSecret}) {
    EXPECT_EQ(e.ToString().find(secret), std::string::npos);
  }
}

TEST_F(SsoCredentialsTest, RefusedRefreshOfStillValidTokenUsesIt) {
  CacheToken(minutes(3));
  aws.sso().RevokeRefreshTokens();
  auto creds = Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(aws.sso().calls("CreateToken:refresh_token"), 1);
  EXPECT_EQ(BearerUsed(), kAccessToken);
  EXPECT_EQ(env.files[CachePath()], original_cache);
}

TEST_F(SsoCredentialsTest, TransientRefreshFailureWithValidTokenUsesItAndLeavesCache) {
  for (bool connection_failure : {true, false}) {
    SCOPED_TRACE(connection_failure ? "connection failure" : "HTTP 500");
    http.requests.clear();
    CacheToken(minutes(2));
    if (connection_failure)
      http.FailNext("/token", 1);
    else
      aws.sso().FailNext("CreateToken", 1, 500, "InternalServerException");
    auto creds = Load();
    ASSERT_TRUE(creds.ok()) << creds.error().ToString();
    EXPECT_EQ(RefreshCalls().size(), 1u);
    EXPECT_EQ(BearerUsed(), kAccessToken);
    EXPECT_EQ(env.files[CachePath()], original_cache);
  }
  EXPECT_EQ(aws.sso().calls("CreateToken:refresh_token"), 1);  // the other never got there
}

TEST_F(SsoCredentialsTest, TransientRefreshFailureWithExpiredTokenIsRetryableNotLogin) {
  CacheToken(-minutes(2));
  http.FailNext("/token", 1);
  auto creds = Load();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, "sso.refresh_failed");
  EXPECT_TRUE(creds.error().retryable);
  EXPECT_EQ(env.files.count(CachePath()), 1u);
  EXPECT_EQ(env.files[CachePath()], original_cache);
}

TEST_F(SsoCredentialsTest, ExpiredTokenWithoutRefreshTokenNeedsLogin) {
  CacheToken(-std::chrono::hours(1), /*refreshable=*/false);
  auto creds = Load();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, "sso.login_required");
  EXPECT_NE(creds.error().message.find("no refresh token"), std::string::npos)
      << creds.error().message;
  EXPECT_TRUE(http.requests.empty());
  EXPECT_TRUE(aws.requests().empty());
}

TEST_F(SsoCredentialsTest, ExpiredRegistrationMeansNoRefresh) {
  CacheToken(-minutes(1), true, /*registration_in=*/-std::chrono::hours(1));
  auto creds = Load();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, "sso.login_required");
  EXPECT_NE(creds.error().message.find("client registration expired at 2025-12-31T23:00:00Z"),
            std::string::npos)
      << creds.error().message;
  EXPECT_TRUE(RefreshCalls().empty());
  EXPECT_EQ(aws.sso().calls("CreateToken:refresh_token"), 0);
}

TEST_F(SsoCredentialsTest, MissingCacheFileNeedsLogin) {
  auto creds = Load();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, "sso.login_required");
  EXPECT_FALSE(creds.error().retryable);
  EXPECT_NE(creds.error().message.find("profile ui-dev"), std::string::npos);
  EXPECT_NE(creds.error().message.find(CachePath()), std::string::npos);
  EXPECT_NE(creds.error().fix.find("brock login --profile ui-dev"), std::string::npos);
}

TEST_F(SsoCredentialsTest, BrokenCacheFileIsCacheInvalid) {
  env.files[CachePath()] = "{";
  auto creds = Load();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, "sso.cache_invalid");
  EXPECT_NE(creds.error().message.find(CachePath()), std::string::npos);
}

TEST_F(SsoCredentialsTest, UnauthorizedFromPortalNeedsLogin) {
  CacheToken(std::chrono::hours(2));
  aws.sso().ExpireAccessTokens();  // signed out elsewhere: the portal answers 401
  auto creds = Load();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, "sso.login_required");
  EXPECT_FALSE(creds.error().retryable);
  EXPECT_NE(creds.error().message.find("UnauthorizedException"), std::string::npos);
  EXPECT_EQ(creds.error().ToString().find(kAccessToken), std::string::npos);
  EXPECT_EQ(aws.sso().calls("GetRoleCredentials"), 1);
}

TEST_F(SsoCredentialsTest, ForbiddenRoleIsNoAccess) {
  SsoServiceOptions options = Options();
  options.account_roles = {{"111122223333", {"SomeOtherRole"}}};
  aws.ResetSso(options);
  CacheToken(std::chrono::hours(2));
  auto creds = Load();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, "sso.no_access");
  EXPECT_NE(creds.error().message.find("BedrockUser"), std::string::npos);
  EXPECT_NE(creds.error().message.find("111122223333"), std::string::npos);
}

TEST_F(SsoCredentialsTest, ThrottledPortalStaysRetryable) {
  CacheToken(std::chrono::hours(2));
  aws.sso().FailNext("GetRoleCredentials", 1, 429, "TooManyRequestsException");
  auto creds = Load();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, "aws.TooManyRequestsException");
  EXPECT_TRUE(creds.error().retryable);
}

TEST_F(SsoCredentialsTest, LegacyProfileUsesStartUrlKeyAndNeverRefreshes) {
  std::string path = SsoTokenCachePath(env, "https://d-abc123.awsapps.com/start");
  env.files[path] = std::string(R"({"accessToken":")") + kAccessToken + R"(","expiresAt":")" +
                    FormatSsoTime(env.now + minutes(2)) + R"(","refreshToken":"x-refresh-token-1",
                    "clientId":"c","clientSecret":"x-client-secret-1","registrationExpiresAt":"2044-01-01T00:00:00Z"})";
  aws.sso().AddAccessToken(kAccessToken, env.now + minutes(2));
  aws.sso().AddRefreshToken("x-refresh-token-1", "c", "x-client-secret-1");
  auto creds = Load("legacy");
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ((*creds)->account_id, "444455556666");
  EXPECT_TRUE(RefreshCalls().empty());
  EXPECT_EQ(http.requests.back().url,
            aws.url() + "/federation/credentials?role_name=Legacy&account_id=444455556666");

  env.now += minutes(3);  // now expired
  auto expired = Load("legacy");
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, "sso.login_required");
  EXPECT_NE(expired.error().fix.find("--profile legacy"), std::string::npos);
  EXPECT_TRUE(RefreshCalls().empty());
  EXPECT_EQ(aws.sso().calls("CreateToken:refresh_token"), 0);
}

TEST_F(SsoCredentialsTest, MissingFieldsAreNamed) {
  auto creds = Load("no-role");
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, "sso.config_incomplete");
  EXPECT_NE(creds.error().message.find("sso_account_id and sso_role_name"), std::string::npos)
      << creds.error().message;
  auto dangling = Load("dangling");
  ASSERT_FALSE(dangling.ok());
  EXPECT_EQ(dangling.error().code, "sso.session_not_found");
}

TEST_F(SsoCredentialsTest, NonSsoProfilesAreNotThisProvidersBusiness) {
  auto keys = Load("keys");
  ASSERT_TRUE(keys.ok());
  EXPECT_FALSE(keys->has_value());
  auto missing = Load("does-not-exist");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  EXPECT_TRUE(http.requests.empty());
  EXPECT_TRUE(aws.requests().empty());
}

TEST(SsoCredentialsName, NamesTheProfile) {
  testing::FakeEnv env;
  std::unique_ptr<HttpClient> http = MakeCurlHttpClient();  // never called
  AwsConfig config;
  EXPECT_EQ(SsoCredentialProvider(env, *http, config, "ui-dev").name(), "SSO profile ui-dev");
}

}  // namespace
}  // namespace brock
