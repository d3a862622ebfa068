// Drivers for the oracle scripts in tests/oracle (skipped unless those scripts run them):
//   StsMotoTest       BROCK_MOTO_URL set by moto_sts_test.sh: brock's signed STS calls against
//                     moto's server with IAM authentication enforced (signature, permissions
//                     and role trust policies are all checked by moto).
//   BotocoreProfiles  BROCK_PROFILES_OUT set by botocore_profiles_test.sh: resolves the
//                     profiles in AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE and writes what
//                     it got, for the script to compare with boto3's answer.
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "aws/profile_provider.h"
#include "aws/sts_client.h"
#include "base/crypto.h"
#include "base/strings.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

std::string Var(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

class StsMotoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = Var("BROCK_MOTO_URL");
    if (url_.empty())
      GTEST_SKIP() << "BROCK_MOTO_URL is not set (tests/oracle/moto_sts_test.sh sets it)";
    env_.now = Clock::now();
    http_ = MakeCurlHttpClient();
    base_.access_key_id = Var("BROCK_MOTO_KEY_ID");
    base_.secret_access_key = Var("BROCK_MOTO_SECRET");
  }
  StsClient Client() { return StsClient(env_, *http_, StsEndpoint{url_, "us-east-1", "moto"}); }

  std::string url_;
  testing::FakeEnv env_;
  std::unique_ptr<HttpClient> http_;
  Credentials base_;
};

TEST_F(StsMotoTest, GetCallerIdentityIsAccepted) {
  auto id = Client().GetCallerIdentity(base_);
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  EXPECT_TRUE(EndsWith(id->arn, ":user/brock-tester")) << id->arn;
  EXPECT_FALSE(id->account.empty());
}

TEST_F(StsMotoTest, AssumeRoleIsAcceptedAndItsCredentialsWork) {
  AssumeRoleRequest r;
  r.role_arn = Var("BROCK_MOTO_ROLE_ARN");
  r.role_session_name = "brock-moto";
  r.duration_seconds = 900;
  r.external_id = "brock-external";
  auto creds = Client().AssumeRole(base_, r);
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_FALSE(creds->session_token.empty());
  ASSERT_TRUE(creds->expiration.has_value());
  EXPECT_GT(*creds->expiration, env_.now);
  auto id = Client().GetCallerIdentity(*creds);
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  EXPECT_TRUE(EndsWith(id->arn, ":assumed-role/brock-role/brock-moto")) << id->arn;
}

TEST_F(StsMotoTest, WrongSecretIsRejected) {
  Credentials bad = base_;
  bad.secret_access_key += "x";
  auto id = Client().GetCallerIdentity(bad);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, "sts.invalid_credentials") << id.error().ToString();
}

TEST_F(StsMotoTest, UserWithoutPermissionIsDenied) {
  Credentials denied;
  denied.access_key_id = Var("BROCK_MOTO_DENIED_KEY_ID");
  denied.secret_access_key = Var("BROCK_MOTO_DENIED_SECRET");
  AssumeRoleRequest r;
  r.role_arn = Var("BROCK_MOTO_ROLE_ARN");
  r.role_session_name = "nope";
  auto creds = Client().AssumeRole(denied, r);
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, "sts.access_denied") << creds.error().ToString();
}

TEST_F(StsMotoTest, ProfileChainOfThree) {
  env_.vars["AWS_ENDPOINT_URL_STS"] = url_;
  env_.vars["AWS_REGION"] = "us-east-1";
  auto config = ParseAwsConfig("[profile top]\nrole_arn = " + Var("BROCK_MOTO_ROLE2_ARN") +
                                   "\nsource_profile = mid\nrole_session_name = top-session\n"
                                   "[profile mid]\nrole_arn = " +
                                   Var("BROCK_MOTO_ROLE_ARN") +
                                   "\nsource_profile = base\nexternal_id = brock-external\n"
                                   "role_session_name = mid-session\n",
                               "[base]\naws_access_key_id = " + base_.access_key_id +
                                   "\naws_secret_access_key = " + base_.secret_access_key + "\n");
  ASSERT_TRUE(config.ok());
  auto provider = MakeProfileProvider(env_, *http_, RealProcessRunner(), *config, "top");
  ASSERT_TRUE(provider.ok()) << provider.error().ToString();
  auto creds = (*provider)->Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  auto id = Client().GetCallerIdentity(**creds);
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  EXPECT_TRUE(EndsWith(id->arn, ":assumed-role/brock-role-2/top-session")) << id->arn;
}

// Writes one line per profile in BROCK_PROFILES (space separated):
//   <profile> key=<access key id> secret_sha256=<hex> token_sha256=<hex or -> arn=<caller ARN or ->
// or "<profile> error=<code>".
TEST(BotocoreProfiles, ResolveForComparison) {
  std::string out_path = Var("BROCK_PROFILES_OUT");
  if (out_path.empty())
    GTEST_SKIP()
        << "BROCK_PROFILES_OUT is not set (tests/oracle/botocore_profiles_test.sh sets it)";
  Env& env = RealEnv();
  auto config = LoadAwsConfig(env);
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  auto http = MakeCurlHttpClient();
  std::ofstream out(out_path);
  for (const std::string& profile : Split(Var("BROCK_PROFILES"), ' ')) {
    if (profile.empty()) continue;
    ProfileProviderOptions options;
    options.use_env_web_identity =
        false;  // boto3.Session(profile_name=...) ignores env configuration
    auto provider = MakeProfileProvider(env, *http, RealProcessRunner(), *config, profile, options);
    Result<std::optional<Credentials>> creds =
        provider.ok() ? (*provider)->Load() : Result<std::optional<Credentials>>(provider.error());
    if (!creds.ok()) {
      out << profile << " error=" << creds.error().code << "\n";
      std::cerr << profile << ": " << creds.error().ToString() << "\n";
      continue;
    }
    if (!creds->has_value()) {
      out << profile << " none\n";
      continue;
    }
    const Credentials& c = **creds;
    std::string arn = "-";
    if (!Var("AWS_ENDPOINT_URL_STS").empty()) {
      StsClient sts(env, *http, StsEndpoint{Var("AWS_ENDPOINT_URL_STS"), "us-east-1", "oracle"});
      auto id = sts.GetCallerIdentity(c);
      if (id.ok()) arn = id->arn;
    }
    out << profile << " key=" << c.access_key_id
        << " secret_sha256=" << Sha256Hex(c.secret_access_key)
        << " token_sha256=" << (c.session_token.empty() ? "-" : Sha256Hex(c.session_token))
        << " arn=" << arn << "\n";
  }
  EXPECT_TRUE(out.good());
}

}  // namespace
}  // namespace brock
