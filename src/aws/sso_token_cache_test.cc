#include "aws/sso_token_cache.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/json.h"
#include "base/secrets.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

std::string TestdataDir() { return std::string(BROCK_SHARED_DIR) + "/testdata/sso-cache"; }

// The text of a shared test file, or nullopt when it is missing.
std::optional<std::string> ReadTestdata(const std::string& name) {
  std::ifstream in(TestdataDir() + "/" + name);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

#define LOAD_OR_SKIP(var, name)                                                         \
  auto var##_opt = ReadTestdata(name);                                                  \
  if (!var##_opt) GTEST_SKIP() << "testdata missing: " << TestdataDir() << "/" << name; \
  const std::string& var = *var##_opt

Clock::time_point Utc(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  using namespace std::chrono;
  return time_point_cast<Clock::duration>(sys_days(year_month_day(year(y), month(mo), day(d))) +
                                          hours(h) + minutes(mi) + seconds(s));
}

TEST(SsoTime, ParsesTheFormsTheSdksWrite) {
  EXPECT_EQ(ParseSsoTime("2044-04-04T07:00:01Z"), Utc(2044, 4, 4, 7, 0, 1));
  EXPECT_EQ(ParseSsoTime("2044-04-04T07:00:01UTC"), Utc(2044, 4, 4, 7, 0, 1));
  EXPECT_EQ(ParseSsoTime("2044-04-04 07:00:01"), Utc(2044, 4, 4, 7, 0, 1));
  EXPECT_EQ(ParseSsoTime("2044-04-04T07:00:01.250Z"),
            Utc(2044, 4, 4, 7, 0, 1) + std::chrono::milliseconds(250));
  EXPECT_EQ(ParseSsoTime("2044-04-04T09:00:01+02:00"), Utc(2044, 4, 4, 7, 0, 1));
  EXPECT_EQ(ParseSsoTime("2044-04-04T00:00:01-0700"), Utc(2044, 4, 4, 7, 0, 1));
  EXPECT_EQ(ParseSsoTime("2024-02-29T23:59:59Z"), Utc(2024, 2, 29, 23, 59, 59));
}

TEST(SsoTime, RejectsWhatIsNotATimestamp) {
  for (const char* bad : {"", "tomorrow", "2044-04-04", "2044-13-04T07:00:01Z",
                          "2044-04-31T07:00:01Z", "2023-02-29T00:00:00Z", "2044-04-04T25:00:01Z",
                          "2044-04-04T07:00:01Q", "2044-04-04T07:00:01+2", "1712214001"}) {
    EXPECT_FALSE(ParseSsoTime(bad).has_value()) << bad;
  }
}

TEST(SsoTime, FormatsLikeTheAwsCliAndRoundTrips) {
  auto t = Utc(2026, 1, 2, 3, 4, 5) + std::chrono::milliseconds(999);
  EXPECT_EQ(FormatSsoTime(t), "2026-01-02T03:04:05Z");
  EXPECT_EQ(ParseSsoTime(FormatSsoTime(Utc(1999, 12, 31, 23, 59, 59))),
            Utc(1999, 12, 31, 23, 59, 59));
}

TEST(SsoCachePath, IsSha1OfSessionNameOrStartUrl) {
  // Expected values from Python's hashlib.sha1 (what botocore's SSOTokenLoader uses).
  EXPECT_EQ(SsoCacheFileName("my-sso"), "0ad374308c5a4e22f723adf10145eafad7c4031c.json");
  EXPECT_EQ(SsoCacheFileName("https://d-abc123.awsapps.com/start"),
            "40a89917e3175433e361b710a9d43528d7f1890a.json");
  testing::FakeEnv env;
  EXPECT_EQ(SsoTokenCachePath(env, "my-sso"),
            "/home/user/.aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json");
  env.vars["HOME"] = "/h";
  EXPECT_EQ(SsoTokenCachePath(env, "dev-session"),
            "/h/.aws/sso/cache/6a8732fe3624aef043e5f7811b597bd5e2a56b39.json");
}

TEST(SsoTokenParse, ValidTokenFromTheGoSdkTestdata) {
  LOAD_OR_SKIP(text, "valid_token.json");
  auto token = ParseSsoToken(text, "valid_token.json", "dev");
  ASSERT_TRUE(token.ok()) << token.error().ToString();
  EXPECT_EQ(token->access_token, "dGhpcyBpcyBub3QgYSByZWFsIHZhbHVl");
  EXPECT_EQ(token->expires_at, Utc(2044, 4, 4, 7, 0, 1));
  EXPECT_EQ(token->refresh_token, "refresh token");
  EXPECT_EQ(token->client_id, "client id");
  EXPECT_EQ(token->client_secret, "client secret");
  EXPECT_EQ(token->region, "region");
  ASSERT_TRUE(token->registration_expires_at.has_value());
  EXPECT_EQ(*token->registration_expires_at, Utc(2044, 4, 4, 7, 0, 1));
  EXPECT_TRUE(token->CanRefresh(Utc(2026, 1, 1, 0, 0, 0)));
  EXPECT_FALSE(token->CanRefresh(Utc(2045, 1, 1, 0, 0, 0)));
  // The access token is now a registered secret.
  EXPECT_EQ(ScrubSecrets("x dGhpcyBpcyBub3QgYSByZWFsIHZhbHVl y"), "x [REDACTED] y");
}

TEST(SsoTokenParse, ExpiredTokenParsesAndHasNoRegistrationTime) {
  LOAD_OR_SKIP(text, "expired_token.json");
  auto token = ParseSsoToken(text, "expired_token.json", "dev");
  ASSERT_TRUE(token.ok()) << token.error().ToString();
  EXPECT_EQ(token->expires_at, Utc(2021, 12, 21, 12, 21, 0));
  EXPECT_FALSE(token->registration_expires_at.has_value());
  EXPECT_FALSE(token->CanRefresh(Utc(2020, 1, 1, 0, 0, 0)));  // no registrationExpiresAt
}

TEST(SsoTokenParse, BrokenFilesAreClearErrors) {
  struct Case {
    const char* file;
    const char* what;
  };
  for (Case c : {Case{"invalid_json.json", "not valid JSON"},
                 Case{"missing_accessToken.json", "\"accessToken\""},
                 Case{"missing_expiresAt.json", "\"expiresAt\""}}) {
    auto text = ReadTestdata(c.file);
    if (!text) GTEST_SKIP() << "testdata missing: " << c.file;
    std::string path = "/home/user/.aws/sso/cache/" + std::string(c.file);
    auto token = ParseSsoToken(*text, path, "ui-dev");
    ASSERT_FALSE(token.ok()) << c.file;
    EXPECT_EQ(token.error().code, "sso.cache_invalid");
    EXPECT_NE(token.error().message.find(path), std::string::npos) << token.error().message;
    EXPECT_NE(token.error().message.find(c.what), std::string::npos) << token.error().message;
    EXPECT_NE(token.error().fix.find("brock login --profile ui-dev"), std::string::npos);
    EXPECT_NE(token.error().fix.find("aws sso login --profile ui-dev"), std::string::npos);
    // Token values never appear in errors.
    EXPECT_EQ(token.error().ToString().find("refresh token"), std::string::npos);
    EXPECT_EQ(token.error().ToString().find("client secret"), std::string::npos);
  }
}

TEST(SsoTokenParse, MissingRefreshFieldsOnlyDisableRefresh) {
  for (const char* file :
       {"missing_clientId.json", "missing_clientSecret.json", "missing_refreshToken.json"}) {
    auto text = ReadTestdata(file);
    if (!text) GTEST_SKIP() << "testdata missing: " << file;
    auto token = ParseSsoToken(*text, file, "dev");
    ASSERT_TRUE(token.ok()) << file << ": " << token.error().ToString();
    EXPECT_EQ(token->access_token, "access token");
    SsoToken with_registration = *token;
    with_registration.registration_expires_at = Utc(2044, 1, 1, 0, 0, 0);
    EXPECT_FALSE(with_registration.CanRefresh(Utc(2026, 1, 1, 0, 0, 0))) << file;
  }
}

TEST(SsoTokenParse, WrongTypesAndBadTimes) {
  auto a =
      ParseSsoToken(R"({"accessToken": 5, "expiresAt": "2044-04-04T07:00:01Z"})", "f.json", "p");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message.find("non-string \"accessToken\""), std::string::npos);
  auto b = ParseSsoToken(R"({"accessToken": "abcdefghijkl", "expiresAt": "soon"})", "f.json", "p");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message.find("\"soon\""), std::string::npos);
  EXPECT_EQ(b.error().message.find("abcdefghijkl"), std::string::npos);
  auto c = ParseSsoToken("[1,2]", "f.json", "p");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("JSON object"), std::string::npos);
}

TEST(SsoTokenRead, MissingFileIsNulloptAndPresentOneParses) {
  testing::FakeEnv env;
  auto none = ReadSsoToken(env, "/home/user/.aws/sso/cache/x.json", "p");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  env.files["/home/user/.aws/sso/cache/x.json"] =
      R"({"accessToken":"tok-123456789","expiresAt":"2030-01-01T00:00:00Z"})";
  auto some = ReadSsoToken(env, "/home/user/.aws/sso/cache/x.json", "p");
  ASSERT_TRUE(some.ok());
  ASSERT_TRUE(some->has_value());
  EXPECT_EQ((*some)->access_token, "tok-123456789");
}

TEST(SsoTokenWrite, KeepsUnknownFieldsUsesCliNamesAndMode0600) {
  LOAD_OR_SKIP(text, "valid_token.json");
  auto token = ParseSsoToken(text, "valid_token.json", "dev");
  ASSERT_TRUE(token.ok());
  token->access_token = "new-access-token-value";
  token->expires_at = Utc(2026, 6, 1, 12, 0, 0);
  token->start_url = "https://d-abc123.awsapps.com/start";
  token->region = "us-east-1";
  testing::FakeEnv env;
  std::string path = SsoTokenCachePath(env, "my-sso");
  ASSERT_TRUE(WriteSsoToken(env, path, *token).ok());
  EXPECT_EQ(env.modes[path], 0600u);
  auto j = nlohmann::json::parse(env.files[path]);
  EXPECT_EQ(j["unknownField"], "some value");
  EXPECT_EQ(j["startURL"], "start URL");  // someone else's field, kept as is
  EXPECT_EQ(j["accessToken"], "new-access-token-value");
  EXPECT_EQ(j["expiresAt"], "2026-06-01T12:00:00Z");
  EXPECT_EQ(j["refreshToken"], "refresh token");
  EXPECT_EQ(j["clientId"], "client id");
  EXPECT_EQ(j["clientSecret"], "client secret");
  EXPECT_EQ(j["registrationExpiresAt"], "2044-04-04T07:00:01Z");
  EXPECT_EQ(j["region"], "us-east-1");
  EXPECT_EQ(j["startUrl"], "https://d-abc123.awsapps.com/start");
  // And it reads back.
  auto back = ReadSsoToken(env, path, "dev");
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ((*back)->access_token, "new-access-token-value");
  EXPECT_EQ((*back)->expires_at, Utc(2026, 6, 1, 12, 0, 0));
}

TEST(SsoTokenWrite, EmptyFieldsAreLeftOut) {
  SsoToken t;
  t.access_token = "only-access-token";
  t.expires_at = Utc(2026, 1, 1, 1, 0, 0);
  auto j = nlohmann::json::parse(SerializeSsoToken(t));
  EXPECT_EQ(j.size(), 2u) << j.dump();
  EXPECT_EQ(j["expiresAt"], "2026-01-01T01:00:00Z");
}

}  // namespace
}  // namespace brock
