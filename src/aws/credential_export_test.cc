#include "aws/credential_export.h"

#include <gtest/gtest.h>

#include "base/secrets.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

Result<Credentials> Export(const std::string& command, CredentialExportOptions options = {}) {
  testing::FakeEnv env;  // clock 2026-01-01T00:00:00Z
  return RunCredentialExport(env, RealProcessRunner(), command, options);
}

TEST(CredentialExportTest, CredentialsObjectShape) {
  auto r = Export(
      R"(printf '%s' '{"Credentials": {"AccessKeyId": "ASIAEXP", "SecretAccessKey": "exp-secret-0123456", "SessionToken": "exp-token-0123456", "Expiration": "2026-01-01T01:00:00+00:00"}}')");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->access_key_id, "ASIAEXP");
  EXPECT_EQ(r->session_token, "exp-token-0123456");
  ASSERT_TRUE(r->expiration.has_value());
  EXPECT_EQ(ScrubSecrets("exp-secret-0123456 exp-token-0123456"), "[REDACTED] [REDACTED]");
}

TEST(CredentialExportTest, ExportCredentialsProcessShape) {
  auto r = Export(
      R"(echo '{"Version": 1, "AccessKeyId": "ASIAFLAT", "SecretAccessKey": "flat-secret-01234", "SessionToken": "flat-token-01234", "Expiration": "2026-01-01T05:00:00Z"}')");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->access_key_id, "ASIAFLAT");
  EXPECT_EQ(Clock::to_time_t(*r->expiration) - Clock::to_time_t(testing::FakeEnv().now), 5 * 3600);
}

TEST(CredentialExportTest, ProfileArrivesOnlyAsAwsProfile) {
  CredentialExportOptions o;
  o.profile = "dev; echo INJECTED";
  auto r = Export(
      R"(printf '{"Version":1,"AccessKeyId":"%s","SecretAccessKey":"prof-secret-0123"}' "$AWS_PROFILE")",
      o);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->access_key_id, "dev; echo INJECTED");
  EXPECT_EQ(r->profile, "dev; echo INJECTED");
}

TEST(CredentialExportTest, FailureShowsStderrAndBadOutputHidesStdout) {
  auto failed = Export("echo 'not logged in: run aws sso login' >&2; exit 2");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, "export.failed");
  EXPECT_NE(failed.error().message.find("not logged in: run aws sso login"), std::string::npos);

  auto bad = Export("echo 'AWS_SECRET_ACCESS_KEY=shown-secret-999'");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "export.bad_output");
  EXPECT_EQ(bad.error().message.find("shown-secret"), std::string::npos);

  auto v2 =
      Export(R"(echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "v2-secret-123456"}')");
  EXPECT_EQ(v2.error().code, "export.bad_output");

  auto expired = Export(
      R"(echo '{"Credentials": {"AccessKeyId": "A", "SecretAccessKey": "old-secret-123456", "Expiration": "2025-01-01T00:00:00Z"}}')");
  EXPECT_EQ(expired.error().code, "export.expired");
}

TEST(CredentialExportTest, Timeout) {
  CredentialExportOptions o;
  o.timeout = std::chrono::milliseconds(300);
  auto r = Export("sleep 20", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "export.timeout");
}

TEST(CredentialExportTest, ProviderWrapsIt) {
  testing::FakeEnv env;
  CredentialExportProvider p(
      env, RealProcessRunner(),
      R"(echo '{"Credentials": {"AccessKeyId": "ASIAPROV", "SecretAccessKey": "prov-secret-0123"}}')",
      {});
  auto r = p.Load();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->access_key_id, "ASIAPROV");
  EXPECT_FALSE((*r)->expiration.has_value());
}

}  // namespace
}  // namespace brock
