#include "aws/env_credentials.h"

#include <gtest/gtest.h>

#include <string>

#include "base/crypto.h"
#include "base/secrets.h"
#include "base/strings.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(EnvCredentialsTest, NothingSetIsNotConfigured) {
  testing::FakeEnv env;
  EnvCredentialProvider p(env);
  auto r = p.Load();
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_FALSE(r->has_value());
  EXPECT_FALSE(EnvHasAccessKeys(env));
  EXPECT_EQ(p.name(), "environment variables");
}

TEST(EnvCredentialsTest, EmptyValuesCountAsUnset) {
  testing::FakeEnv env;
  env.vars["AWS_ACCESS_KEY_ID"] = "";
  env.vars["AWS_SECRET_ACCESS_KEY"] = "";
  EnvCredentialProvider p(env);
  auto r = p.Load();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  EXPECT_FALSE(EnvHasAccessKeys(env));
}

TEST(EnvCredentialsTest, LongTermKeys) {
  testing::FakeEnv env;
  env.vars["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE";
  env.vars["AWS_SECRET_ACCESS_KEY"] = "envtest-long-term-secret-Zq81";
  env.origins["AWS_ACCESS_KEY_ID"] = "/home/user/.claude/settings.json";
  EnvCredentialProvider p(env);
  auto r = p.Load();
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_TRUE(r->has_value());
  const Credentials& c = **r;
  EXPECT_EQ(c.access_key_id, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(c.secret_access_key, "envtest-long-term-secret-Zq81");
  EXPECT_EQ(c.session_token, "");
  EXPECT_FALSE(c.expiration.has_value());
  EXPECT_TRUE(Has(c.source, "AWS_ACCESS_KEY_ID")) << c.source;
  EXPECT_TRUE(Has(c.source, "/home/user/.claude/settings.json")) << c.source;
  EXPECT_TRUE(EnvHasAccessKeys(env));
}

TEST(EnvCredentialsTest, SessionTokenIsRead) {
  testing::FakeEnv env;
  env.vars["AWS_ACCESS_KEY_ID"] = "ASIAEXAMPLE";
  env.vars["AWS_SECRET_ACCESS_KEY"] = "envtest-temp-secret-Pl40";
  env.vars["AWS_SESSION_TOKEN"] = "envtest-session-token-Wm27";
  EnvCredentialProvider p(env);
  auto r = p.Load();
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->session_token, "envtest-session-token-Wm27");
}

TEST(EnvCredentialsTest, LegacyVariablesAreIgnored) {
  testing::FakeEnv env;
  env.vars["AWS_ACCESS_KEY"] = "AKIDLEGACY";
  env.vars["AWS_SECRET_KEY"] = "legacy-secret-0123456789";
  EnvCredentialProvider p(env);
  auto r = p.Load();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST(EnvCredentialsTest, HalfSetPairNamesBothVariables) {
  {
    testing::FakeEnv env;
    env.vars["AWS_ACCESS_KEY_ID"] = "AKIDONLY";
    env.origins["AWS_ACCESS_KEY_ID"] = "/work/.claude/settings.local.json";
    EnvCredentialProvider p(env);
    auto r = p.Load();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "credentials.incomplete_env");
    EXPECT_TRUE(Has(r.error().message, "AWS_ACCESS_KEY_ID is set")) << r.error().message;
    EXPECT_TRUE(Has(r.error().message, "AWS_SECRET_ACCESS_KEY is not")) << r.error().message;
    EXPECT_TRUE(Has(r.error().message, "/work/.claude/settings.local.json")) << r.error().message;
    EXPECT_TRUE(Has(r.error().fix, "unset AWS_ACCESS_KEY_ID")) << r.error().fix;
    EXPECT_TRUE(EnvHasAccessKeys(env));
  }
  {
    testing::FakeEnv env;
    env.vars["AWS_SECRET_ACCESS_KEY"] = "envtest-orphan-secret-Kd55";
    EnvCredentialProvider p(env);
    auto r = p.Load();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "credentials.incomplete_env");
    EXPECT_TRUE(Has(r.error().message, "AWS_SECRET_ACCESS_KEY is set")) << r.error().message;
    EXPECT_TRUE(Has(r.error().message, "AWS_ACCESS_KEY_ID is not")) << r.error().message;
    EXPECT_FALSE(Has(r.error().message, "envtest-orphan-secret-Kd55"));
    EXPECT_FALSE(Has(r.error().fix, "envtest-orphan-secret-Kd55"));
    EXPECT_TRUE(EnvHasAccessKeys(env));
  }
}

TEST(EnvCredentialsTest, SecretsAreRegistered) {
  // Fresh values each run (the registry is process-wide and never forgets).
  const std::string secret = "envtest-registered-secret-" + HexEncode(RandomBytes(6));
  const std::string token = "envtest-registered-token-" + HexEncode(RandomBytes(6));
  EXPECT_EQ(ScrubSecrets("s=" + secret), "s=" + secret) << "registered before the test ran";
  testing::FakeEnv env;
  env.vars["AWS_ACCESS_KEY_ID"] = "AKIDREGISTER";
  env.vars["AWS_SECRET_ACCESS_KEY"] = secret;
  env.vars["AWS_SESSION_TOKEN"] = token;
  EnvCredentialProvider p(env);
  auto r = p.Load();
  ASSERT_TRUE(r.ok() && r->has_value());
  std::string scrubbed = ScrubSecrets("secret " + secret + " token " + token + " id AKIDREGISTER");
  EXPECT_EQ(scrubbed, "secret [REDACTED] token [REDACTED] id AKIDREGISTER");
}

}  // namespace
}  // namespace brock
