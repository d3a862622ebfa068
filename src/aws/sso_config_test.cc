#include "aws/sso_config.h"

#include <gtest/gtest.h>

namespace brock {
namespace {

AwsConfig Parse(const char* text) {
  auto parsed = ParseAwsConfig(text, "", "/home/user/.aws/config", "/home/user/.aws/credentials");
  EXPECT_TRUE(parsed.ok()) << parsed.error().ToString();
  return parsed.ok() ? std::move(parsed).value() : AwsConfig();
}

TEST(SsoConfig, SessionFormWithScopes) {
  AwsConfig config = Parse(R"(
[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Dev
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-central-1
sso_registration_scopes = sso:account:access , codewhisperer:completions,
)");
  auto r = ResolveSsoProfile(config, "dev");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_TRUE(r->has_value());
  const SsoProfileConfig& c = **r;
  EXPECT_EQ(c.session.session_name, "corp");
  EXPECT_EQ(c.session.profile, "dev");
  EXPECT_EQ(c.session.start_url, "https://corp.awsapps.com/start");
  EXPECT_EQ(c.session.region, "eu-central-1");
  EXPECT_EQ(c.session.registration_scopes,
            (std::vector<std::string>{"sso:account:access", "codewhisperer:completions"}));
  EXPECT_EQ(c.session.cache_key(), "corp");
  EXPECT_FALSE(c.session.legacy());
  EXPECT_EQ(c.account_id, "111122223333");
  EXPECT_EQ(c.role_name, "Dev");
}

TEST(SsoConfig, LegacyFormKeysOnStartUrl) {
  AwsConfig config = Parse(R"(
[default]
sso_start_url = https://old.awsapps.com/start
sso_region = us-east-2
sso_account_id = 1
sso_role_name = R
)");
  auto r = ResolveSsoProfile(config, "default");
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_TRUE((*r)->session.legacy());
  EXPECT_EQ((*r)->session.cache_key(), "https://old.awsapps.com/start");
  EXPECT_EQ((*r)->session.region, "us-east-2");
}

TEST(SsoConfig, MissingKeysAreNamedWithTheirPlace) {
  AwsConfig config = Parse(R"(
[profile a]
sso_start_url = https://x.awsapps.com/start
sso_account_id = 1
sso_role_name = R
[profile b]
sso_session = s
sso_account_id = 1
[sso-session s]
sso_region = us-east-1
)");
  auto a = ResolveSsoProfile(config, "a");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, "sso.config_incomplete");
  EXPECT_NE(a.error().message.find("sso_region"), std::string::npos) << a.error().message;
  EXPECT_NE(a.error().message.find("/home/user/.aws/config"), std::string::npos);
  auto b = ResolveSsoProfile(config, "b");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, "sso.config_incomplete");
  EXPECT_NE(b.error().message.find("[sso-session s]"), std::string::npos) << b.error().message;
  EXPECT_NE(b.error().message.find("sso_start_url"), std::string::npos);
  // The session alone is fine for login once complete; the role is only needed for credentials.
  auto session_only = ResolveSsoSession(config, "a");
  ASSERT_FALSE(session_only.ok());
}

TEST(SsoConfig, ConflictingValuesAreRejectedLikeBotocore) {
  AwsConfig config = Parse(R"(
[profile p]
sso_session = s
sso_region = us-west-2
sso_account_id = 1
sso_role_name = R
[sso-session s]
sso_start_url = https://x.awsapps.com/start
sso_region = us-east-1
)");
  auto r = ResolveSsoProfile(config, "p");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "sso.config_conflict");
  EXPECT_NE(r.error().message.find("sso_region"), std::string::npos);
}

TEST(SsoConfig, SessionByNameAndUnknownSession) {
  AwsConfig config = Parse(R"(
[sso-session s]
sso_start_url = https://x.awsapps.com/start
sso_region = us-east-1
)");
  auto s = ResolveSsoSessionByName(config, "s");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->cache_key(), "s");
  EXPECT_EQ(s->profile, "");
  auto missing = ResolveSsoSessionByName(config, "t");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "sso.session_not_found");
  EXPECT_NE(missing.error().fix.find("s"), std::string::npos);
}

TEST(SsoConfig, ProfilesWithoutSsoAreNullopt) {
  AwsConfig config = Parse("[profile k]\nregion = us-east-1\n");
  auto r = ResolveSsoProfile(config, "k");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  auto none = ResolveSsoSession(config, "nope");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

}  // namespace
}  // namespace brock
