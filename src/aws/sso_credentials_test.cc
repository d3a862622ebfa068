#include "aws/sso_credentials.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/secrets.h"
#include "testing/fake_env.h"
#include "testing/sso_fake_http.h"

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
constexpr char kNewRefreshToken[] = "refreshed-refresh-token-EEEEEEEE";
constexpr char kSecretKey[] = "role-secret-access-key-FFFFFFFF";
constexpr char kSessionToken[] = "role-session-token-GGGGGGGG";

class SsoCredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed =
        ParseAwsConfig(kConfig, "", "/home/user/.aws/config", "/home/user/.aws/credentials");
    ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
    config = std::move(parsed).value();
    env.vars["AWS_ENDPOINT_URL_SSO_OIDC"] = "http://oidc.test";
    env.vars["AWS_ENDPOINT_URL_SSO"] = "http://portal.test";
    http.On("GET /federation/credentials", [](const HttpRequest&) -> Result<HttpResponse> {
      return testing::SsoFakeHttp::JsonResponse(
          200,
          std::string(R"({"roleCredentials":{"accessKeyId":"ASIAROLEKEY","secretAccessKey":")") +
              kSecretKey + R"(","sessionToken":")" + kSessionToken +
              R"(","expiration":1767229200000}})");
    });
  }

  std::string CachePath() const { return SsoTokenCachePath(env, "my-sso"); }

  // Puts a token expiring `expires_in` from now (FakeEnv: 2026-01-01T00:00:00Z) in the cache.
  void CacheToken(Clock::duration expires_in, bool refreshable = true,
                  Clock::duration registration_in = std::chrono::hours(24 * 60)) {
    nlohmann::json j = {{"startUrl", "https://d-abc123.awsapps.com/start"},
                        {"region", "us-east-1"},
                        {"accessToken", kAccessToken},
                        {"expiresAt", FormatSsoTime(env.now + expires_in)},
                        {"toolSpecificField", 42}};
    if (refreshable) {
      j["refreshToken"] = kRefreshToken;
      j["clientId"] = "client-id-1";
      j["clientSecret"] = kClientSecret;
      j["registrationExpiresAt"] = FormatSsoTime(env.now + registration_in);
    }
    env.files[CachePath()] = j.dump(2);
    original_cache = env.files[CachePath()];
  }

  void RefreshAnswers(Result<HttpResponse> response) {
    http.Script("POST /token", {std::move(response)});
  }

  HttpResponse RefreshOk(bool rotate = true) {
    nlohmann::json j = {
        {"accessToken", kNewAccessToken}, {"tokenType", "Bearer"}, {"expiresIn", 28800}};
    if (rotate) j["refreshToken"] = kNewRefreshToken;
    return testing::SsoFakeHttp::JsonResponse(200, j.dump());
  }

  Result<std::optional<Credentials>> Load(const std::string& profile = "ui-dev") {
    SsoCredentialProvider provider(env, http, config, profile);
    return provider.Load();
  }

  // The bearer token GetRoleCredentials was called with.
  std::string BearerUsed() const {
    auto calls = http.Calls("GET /federation/credentials");
    return calls.empty() ? "" : FindHeader(calls.back().headers, "x-amz-sso_bearer_token");
  }

  testing::FakeEnv env;
  AwsConfig config;
  testing::SsoFakeHttp http;
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
  EXPECT_TRUE(http.Calls("POST /token").empty());
  auto calls = http.Calls("GET /federation/credentials");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(
      calls[0].url,
      "http://portal.test/federation/credentials?role_name=BedrockUser&account_id=111122223333");
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
  CacheToken(std::chrono::hours(4));
  auto creds = Load();
  ASSERT_TRUE(creds.ok());
  EXPECT_EQ(http.requests.back().url,
            "https://portal.sso.us-east-1.amazonaws.com/federation/"
            "credentials?role_name=BedrockUser&account_id="
            "111122223333");
}

TEST_F(SsoCredentialsTest, NearExpiryTokenIsRefreshedAndCacheRewrittenWithAllFields) {
  CacheToken(minutes(4));
  RefreshAnswers(RefreshOk());
  auto creds = Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  ASSERT_TRUE(creds->has_value());

  auto refresh = http.Calls("POST /token");
  ASSERT_EQ(refresh.size(), 1u);
  EXPECT_EQ(refresh[0].url, "http://oidc.test/token");
  auto body = nlohmann::json::parse(refresh[0].body);
  EXPECT_EQ(body["grantType"], "refresh_token");
  EXPECT_EQ(body["clientId"], "client-id-1");
  EXPECT_EQ(body["clientSecret"], kClientSecret);
  EXPECT_EQ(body["refreshToken"], kRefreshToken);
  EXPECT_EQ(FindHeader(refresh[0].headers, "Authorization"), "");  // unsigned
  EXPECT_EQ(BearerUsed(), kNewAccessToken);

  EXPECT_EQ(env.modes[CachePath()], 0600u);
  auto j = nlohmann::json::parse(env.files[CachePath()]);
  EXPECT_EQ(j["accessToken"], kNewAccessToken);
  EXPECT_EQ(j["expiresAt"], FormatSsoTime(env.now + seconds(28800)));
  EXPECT_EQ(j["refreshToken"], kNewRefreshToken);
  EXPECT_EQ(j["clientId"], "client-id-1");
  EXPECT_EQ(j["clientSecret"], kClientSecret);
  EXPECT_EQ(j["registrationExpiresAt"], FormatSsoTime(env.now + std::chrono::hours(24 * 60)));
  EXPECT_EQ(j["region"], "us-east-1");
  EXPECT_EQ(j["startUrl"], "https://d-abc123.awsapps.com/start");
  EXPECT_EQ(j["toolSpecificField"], 42);
  EXPECT_EQ(ScrubSecrets(kNewRefreshToken), "[REDACTED]");
}

TEST_F(SsoCredentialsTest, RefreshWithoutANewRefreshTokenKeepsTheOldOne) {
  CacheToken(-minutes(10));  // already expired
  RefreshAnswers(RefreshOk(/*rotate=*/false));
  auto creds = Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  auto j = nlohmann::json::parse(env.files[CachePath()]);
  EXPECT_EQ(j["accessToken"], kNewAccessToken);
  EXPECT_EQ(j["refreshToken"], kRefreshToken);
}

TEST_F(SsoCredentialsTest, TokenOutsideTheWindowIsNotRefreshed) {
  CacheToken(minutes(6));
  RefreshAnswers(RefreshOk());
  ASSERT_TRUE(Load().ok());
  EXPECT_TRUE(http.Calls("POST /token").empty());
}

TEST_F(SsoCredentialsTest, RefusedRefreshOfExpiredTokenNeedsLoginAndIsNotRetryable) {
  CacheToken(-minutes(1));
  RefreshAnswers(testing::SsoFakeHttp::OidcError("InvalidGrantException", "invalid_grant"));
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
  EXPECT_TRUE(http.Calls("GET /federation/credentials").empty());
  EXPECT_EQ(env.files[CachePath()], original_cache);  // never deleted or rewritten
  for (const char* secret : {kAccessToken, kRefreshToken, kClientSecret}) {
    EXPECT_EQ(e.ToString().find(secret), std::string::npos);
  }
}

TEST_F(SsoCredentialsTest, RefusedRefreshOfStillValidTokenUsesIt) {
  CacheToken(minutes(3));
  RefreshAnswers(testing::SsoFakeHttp::OidcError("InvalidGrantException", "invalid_grant"));
  auto creds = Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(BearerUsed(), kAccessToken);
  EXPECT_EQ(env.files[CachePath()], original_cache);
}

TEST_F(SsoCredentialsTest, TransientRefreshFailureWithValidTokenUsesItAndLeavesCache) {
  for (Result<HttpResponse> failure :
       {Result<HttpResponse>(testing::SsoFakeHttp::NetError()),
        Result<HttpResponse>(testing::SsoFakeHttp::JsonResponse(500, R"({"message":"boom"})",
                                                                "InternalServerException"))}) {
    http.requests.clear();
    CacheToken(minutes(2));
    RefreshAnswers(failure);
    auto creds = Load();
    ASSERT_TRUE(creds.ok()) << creds.error().ToString();
    EXPECT_EQ(http.Calls("POST /token").size(), 1u);
    EXPECT_EQ(BearerUsed(), kAccessToken);
    EXPECT_EQ(env.files[CachePath()], original_cache);
  }
}

TEST_F(SsoCredentialsTest, TransientRefreshFailureWithExpiredTokenIsRetryableNotLogin) {
  CacheToken(-minutes(2));
  RefreshAnswers(testing::SsoFakeHttp::NetError());
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
}

TEST_F(SsoCredentialsTest, ExpiredRegistrationMeansNoRefresh) {
  CacheToken(-minutes(1), true, /*registration_in=*/-std::chrono::hours(1));
  RefreshAnswers(RefreshOk());
  auto creds = Load();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, "sso.login_required");
  EXPECT_NE(creds.error().message.find("client registration expired at 2025-12-31T23:00:00Z"),
            std::string::npos)
      << creds.error().message;
  EXPECT_TRUE(http.Calls("POST /token").empty());
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
  http.On("GET /federation/credentials", [](const HttpRequest&) -> Result<HttpResponse> {
    return testing::SsoFakeHttp::JsonResponse(
        401, R"({"message":"Session token not found or invalid"})", "UnauthorizedException");
  });
  auto creds = Load();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, "sso.login_required");
  EXPECT_FALSE(creds.error().retryable);
  EXPECT_NE(creds.error().message.find("UnauthorizedException"), std::string::npos);
  EXPECT_EQ(creds.error().ToString().find(kAccessToken), std::string::npos);
}

TEST_F(SsoCredentialsTest, ForbiddenRoleIsNoAccess) {
  CacheToken(std::chrono::hours(2));
  http.On("GET /federation/credentials", [](const HttpRequest&) -> Result<HttpResponse> {
    return testing::SsoFakeHttp::JsonResponse(403, R"({"message":"No access"})",
                                              "ForbiddenException");
  });
  auto creds = Load();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, "sso.no_access");
  EXPECT_NE(creds.error().message.find("BedrockUser"), std::string::npos);
  EXPECT_NE(creds.error().message.find("111122223333"), std::string::npos);
}

TEST_F(SsoCredentialsTest, ThrottledPortalStaysRetryable) {
  CacheToken(std::chrono::hours(2));
  http.On("GET /federation/credentials", [](const HttpRequest&) -> Result<HttpResponse> {
    return testing::SsoFakeHttp::JsonResponse(429, R"({"message":"slow down"})",
                                              "TooManyRequestsException");
  });
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
  RefreshAnswers(RefreshOk());
  auto creds = Load("legacy");
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ((*creds)->account_id, "444455556666");
  EXPECT_TRUE(http.Calls("POST /token").empty());
  EXPECT_EQ(http.requests.back().url,
            "http://portal.test/federation/credentials?role_name=Legacy&account_id=444455556666");

  env.now += minutes(3);  // now expired
  auto expired = Load("legacy");
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, "sso.login_required");
  EXPECT_NE(expired.error().fix.find("--profile legacy"), std::string::npos);
  EXPECT_TRUE(http.Calls("POST /token").empty());
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
}

TEST(SsoCredentialsName, NamesTheProfile) {
  testing::FakeEnv env;
  testing::SsoFakeHttp http;
  AwsConfig config;
  EXPECT_EQ(SsoCredentialProvider(env, http, config, "ui-dev").name(), "SSO profile ui-dev");
}

}  // namespace
}  // namespace brock
