#include "aws/profile_credentials.h"

#include <gtest/gtest.h>

#include <string>

#include "base/secrets.h"

namespace brock {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

AwsConfig Parse(const std::string& config, const std::string& credentials) {
  auto r =
      ParseAwsConfig(config, credentials, "/home/user/.aws/config", "/home/user/.aws/credentials");
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return r.ok() ? std::move(r).value() : AwsConfig{};
}

TEST(ProfileCredentialsTest, StaticKeysFromTheCredentialsFile) {
  AwsConfig cfg =
      Parse("[profile dev]\nregion = us-east-1\n",
            "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = proftest-secret-Ab12\n"
            "aws_session_token = proftest-token-Cd34\n");
  ProfileCredentialProvider p(cfg, "dev", true, "the shell environment");
  EXPECT_EQ(p.name(), "profile dev");
  auto r = p.Load();
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_TRUE(r->has_value());
  const Credentials& c = **r;
  EXPECT_EQ(c.access_key_id, "AKIDDEV");
  EXPECT_EQ(c.secret_access_key, "proftest-secret-Ab12");
  EXPECT_EQ(c.session_token, "proftest-token-Cd34");
  EXPECT_EQ(c.profile, "dev");
  EXPECT_TRUE(Has(c.source, "profile dev")) << c.source;
  EXPECT_EQ(ScrubSecrets("proftest-secret-Ab12 proftest-token-Cd34"), "[REDACTED] [REDACTED]");
}

TEST(ProfileCredentialsTest, StaticKeysFromTheConfigFile) {
  AwsConfig cfg = Parse(
      "[default]\naws_access_key_id = AKIDCFG\naws_secret_access_key = proftest-cfg-secret-Ef56\n",
      "");
  ProfileCredentialProvider p(cfg, "default", false, "default");
  auto r = p.Load();
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->access_key_id, "AKIDCFG");
  EXPECT_EQ((*r)->session_token, "");
}

TEST(ProfileCredentialsTest, MissingProfileIsSkippedUnlessSelectedExplicitly) {
  AwsConfig cfg =
      Parse("[profile dev]\nregion = us-east-1\n[profile prod]\nregion = us-west-2\n", "");
  {
    ProfileCredentialProvider p(cfg, "default", false, "default");
    auto r = p.Load();
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->has_value());
  }
  {
    ProfileCredentialProvider p(cfg, "stagign", true, "/home/user/.claude/settings.json");
    auto r = p.Load();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "profile.not_found");
    EXPECT_TRUE(Has(r.error().message, "AWS_PROFILE=stagign")) << r.error().message;
    EXPECT_TRUE(Has(r.error().message, "/home/user/.claude/settings.json")) << r.error().message;
    EXPECT_TRUE(Has(r.error().message, "/home/user/.aws/config")) << r.error().message;
    EXPECT_TRUE(Has(r.error().fix, "dev, prod")) << r.error().fix;
    EXPECT_TRUE(Has(r.error().fix, "aws configure sso --profile stagign")) << r.error().fix;
  }
}

TEST(ProfileCredentialsTest, HalfAKeyPairIsAnError) {
  AwsConfig cfg = Parse("", "[dev]\naws_access_key_id = AKIDHALF\n");
  ProfileCredentialProvider p(cfg, "dev", false, "default");
  auto r = p.Load();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "profile.incomplete_keys");
  EXPECT_TRUE(Has(r.error().message, "no aws_secret_access_key")) << r.error().message;
  EXPECT_TRUE(Has(r.error().fix, "/home/user/.aws/credentials")) << r.error().fix;

  AwsConfig other = Parse("", "[dev]\naws_secret_access_key = proftest-orphan-Gh78\n");
  ProfileCredentialProvider q(other, "dev", false, "default");
  auto s = q.Load();
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Has(s.error().message, "no aws_access_key_id")) << s.error().message;
  EXPECT_FALSE(Has(s.error().message, "proftest-orphan-Gh78"));
}

TEST(ProfileCredentialsTest, OtherCredentialKindsAreNamed) {
  struct Case {
    const char* config;
    const char* kind;
  } cases[] = {
      {"[profile p]\nsso_session = corp\n[sso-session corp]\nsso_start_url = "
       "https://x.awsapps.com/start\n",
       "SSO"},
      {"[profile p]\nsso_start_url = https://x.awsapps.com/start\n", "SSO"},
      {"[profile p]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = default\n",
       "role_arn"},
      {"[profile p]\ncredential_process = /bin/creds\n", "credential_process"},
      {"[profile p]\nweb_identity_token_file = /tmp/token\n", "web identity"},
  };
  for (const Case& k : cases) {
    AwsConfig cfg = Parse(k.config, "");
    ProfileCredentialProvider p(cfg, "p", false, "default");
    auto r = p.Load();
    ASSERT_FALSE(r.ok()) << k.config;
    EXPECT_EQ(r.error().code, "profile.unsupported");
    EXPECT_TRUE(Has(r.error().message, k.kind)) << r.error().message;
    EXPECT_TRUE(Has(r.error().fix, "--profile p")) << r.error().fix;
  }
}

TEST(ProfileCredentialsTest, ProfileWithoutCredentials) {
  AwsConfig cfg = Parse("[profile bare]\nregion = us-east-1\n", "");
  {
    ProfileCredentialProvider p(cfg, "bare", false, "default");
    auto r = p.Load();
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->has_value());
  }
  {
    ProfileCredentialProvider p(cfg, "bare", true, "the shell environment");
    auto r = p.Load();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "profile.no_credentials");
    EXPECT_TRUE(Has(r.error().message, "AWS_PROFILE")) << r.error().message;
    EXPECT_TRUE(Has(r.error().fix, "aws_access_key_id")) << r.error().fix;
    EXPECT_TRUE(Has(r.error().fix, "aws configure sso --profile bare")) << r.error().fix;
  }
}

TEST(ProfileCredentialsTest, CredentialsFileWinsPerKey) {
  AwsConfig cfg = Parse(
      "[profile dev]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = "
      "proftest-config-Ij90\n",
      "[dev]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = proftest-creds-Kl12\n");
  ProfileCredentialProvider p(cfg, "dev", true, "x");
  auto r = p.Load();
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->access_key_id, "AKIDCREDS");
  EXPECT_EQ((*r)->secret_access_key, "proftest-creds-Kl12");
}

}  // namespace
}  // namespace brock
