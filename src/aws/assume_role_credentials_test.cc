#include "aws/assume_role_credentials.h"

#include <gtest/gtest.h>

#include "aws/profile_provider.h"
#include "base/process.h"
#include "base/secrets.h"
#include "testing/emulated_aws.h"
#include "testing/fake_env.h"
#include "testing/test_http_server.h"

namespace brock {
namespace {

// A ProcessRunner that must not be used.
class NoProcesses : public ProcessRunner {
 public:
  Result<ProcessResult> Run(const ProcessSpec& spec, const std::atomic<bool>*) override {
    ADD_FAILURE() << "unexpected process";
    return MakeError("test", "no processes");
  }
};

class AssumeRoleTest : public ::testing::Test {
 protected:
  AssumeRoleTest() : sts_(env_), http_(MakeCurlHttpClient()) {
    env_.vars["AWS_ENDPOINT_URL_STS"] = sts_.url();
    env_.vars["AWS_REGION"] = "eu-central-1";
    env_.vars["AWS_EC2_METADATA_DISABLED"] = "true";
    sts_.AddKey("AKIDBASE", "base-secret-0123456789");
  }

  void SetConfig(const std::string& config_text, const std::string& credentials_text = "") {
    auto parsed = ParseAwsConfig(config_text, credentials_text, "/home/user/.aws/config",
                                 "/home/user/.aws/credentials");
    ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
    config_ = std::move(parsed).value();
  }

  Result<std::unique_ptr<CredentialProvider>> Make(const std::string& profile,
                                                   ProfileProviderOptions options = {}) {
    return MakeProfileProvider(env_, *http_, runner_, config_, profile, std::move(options));
  }

  Result<std::optional<Credentials>> Load(const std::string& profile,
                                          ProfileProviderOptions options = {}) {
    auto provider = Make(profile, std::move(options));
    if (!provider.ok()) return std::move(provider).error();
    return (*provider)->Load();
  }

  testing::FakeEnv env_;
  testing::EmulatedAws sts_;
  std::unique_ptr<HttpClient> http_;
  NoProcesses runner_;
  AwsConfig config_;
};

constexpr char kBaseKeys[] =
    "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret-0123456789\n";

TEST_F(AssumeRoleTest, ChainOfThreeProfilesSignsEachHopWithThePreviousCredentials) {
  SetConfig(
      "[profile top]\nrole_arn = arn:aws:iam::333333333333:role/Top\nsource_profile = mid\n"
      "[profile mid]\nrole_arn = arn:aws:iam::222222222222:role/Mid\nsource_profile = base\n",
      kBaseKeys);
  auto creds = Load("top");
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  ASSERT_TRUE(creds->has_value());

  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].params["RoleArn"], "arn:aws:iam::222222222222:role/Mid");
  EXPECT_EQ(calls[0].signer_key_id, "AKIDBASE");
  EXPECT_EQ(calls[0].verify_error, "");
  EXPECT_EQ(calls[1].params["RoleArn"], "arn:aws:iam::333333333333:role/Top");
  EXPECT_EQ(calls[1].signer_key_id,
            testing::EmulatedAws::Issued(1).access_key_id);  // Mid's credentials
  EXPECT_EQ(calls[1].verify_error, "");
  EXPECT_NE(FindHeader(calls[1].raw.headers, "Authorization").find("/eu-central-1/sts/"),
            std::string::npos);

  const Credentials& c = **creds;
  EXPECT_EQ(c.access_key_id, testing::EmulatedAws::Issued(2).access_key_id);
  EXPECT_EQ(c.account_id, "333333333333");
  EXPECT_EQ(c.profile, "top");
  EXPECT_NE(c.source.find("role arn:aws:iam::333333333333:role/Top via profile mid"),
            std::string::npos)
      << c.source;
  ASSERT_TRUE(c.expiration.has_value());
}

TEST_F(AssumeRoleTest, CredentialsAreCachedUntilCloseToExpiry) {
  SetConfig("[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\nsource_profile = base\n",
            kBaseKeys);
  auto provider = Make("dev");
  ASSERT_TRUE(provider.ok());
  ASSERT_TRUE((*provider)->Load().ok());
  ASSERT_TRUE((*provider)->Load().ok());
  EXPECT_EQ(sts_.calls().size(), 1u);
  env_.now += std::chrono::minutes(56);  // the fake STS issues 1-hour credentials
  ASSERT_TRUE((*provider)->Load().ok());
  EXPECT_EQ(sts_.calls().size(), 2u);
}

TEST_F(AssumeRoleTest, CycleIsDetectedAndListed) {
  SetConfig(
      "[profile a]\nrole_arn = arn:aws:iam::111111111111:role/A\nsource_profile = b\n"
      "[profile b]\nrole_arn = arn:aws:iam::111111111111:role/B\nsource_profile = c\n"
      "[profile c]\nrole_arn = arn:aws:iam::111111111111:role/C\nsource_profile = a\n");
  auto p = Make("a");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, "role.cycle");
  EXPECT_NE(p.error().message.find("a -> b -> c -> a"), std::string::npos) << p.error().message;
  EXPECT_TRUE(sts_.calls().empty());

  // A cycle further down the chain lists only the loop.
  SetConfig(
      "[profile top]\nrole_arn = arn:aws:iam::111111111111:role/T\nsource_profile = x\n"
      "[profile x]\nrole_arn = arn:aws:iam::111111111111:role/X\nsource_profile = y\n"
      "[profile y]\nrole_arn = arn:aws:iam::111111111111:role/Y\nsource_profile = x\n");
  p = Make("top");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("loops: x -> y -> x"), std::string::npos) << p.error().message;
}

TEST_F(AssumeRoleTest, SelfReferenceWithStaticKeysIsAllowed) {
  SetConfig(
      "[profile self]\nrole_arn = arn:aws:iam::111111111111:role/Self\nsource_profile = self\n"
      "aws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret-0123456789\n");
  auto creds = Load("self");
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  ASSERT_EQ(sts_.calls().size(), 1u);
  EXPECT_EQ(sts_.calls()[0].signer_key_id, "AKIDBASE");

  SetConfig(
      "[profile self]\nrole_arn = arn:aws:iam::111111111111:role/Self\nsource_profile = self\n");
  auto p = Make("self");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, "role.cycle");
  EXPECT_NE(p.error().message.find("self -> self"), std::string::npos);
}

TEST_F(AssumeRoleTest, SourceProfileWithStaticKeysAndRoleUsesItsKeys) {
  // botocore: static keys in a source profile win over its own role_arn.
  SetConfig(
      "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\nsource_profile = both\n"
      "[profile both]\nrole_arn = arn:aws:iam::111111111111:role/Ignored\n"
      "aws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret-0123456789\n");
  auto creds = Load("dev");
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  ASSERT_EQ(sts_.calls().size(), 1u);
  EXPECT_EQ(sts_.calls()[0].params["RoleArn"], "arn:aws:iam::111111111111:role/Dev");
}

TEST_F(AssumeRoleTest, ParametersArePassed) {
  SetConfig(
      "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\nsource_profile = base\n"
      "external_id = partner-77\nrole_session_name = alice\nduration_seconds = 7200\n",
      kBaseKeys);
  ASSERT_TRUE(Load("dev").ok());
  auto p = sts_.calls().at(0).params;
  EXPECT_EQ(p["ExternalId"], "partner-77");
  EXPECT_EQ(p["RoleSessionName"], "alice");
  EXPECT_EQ(p["DurationSeconds"], "7200");
}

TEST_F(AssumeRoleTest, DefaultSessionNameIsBrockAndTimestamp) {
  SetConfig("[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\nsource_profile = base\n",
            kBaseKeys);
  ASSERT_TRUE(Load("dev").ok());
  EXPECT_EQ(sts_.calls().at(0).params["RoleSessionName"],
            "brock-" + std::to_string(Clock::to_time_t(env_.now)));
}

TEST_F(AssumeRoleTest, MfaCodeIsAskedForAndSent) {
  SetConfig(
      "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\nsource_profile = base\n"
      "mfa_serial = arn:aws:iam::111122223333:mfa/alice\n",
      kBaseKeys);
  ProfileProviderOptions options;
  std::string asked;
  options.mfa_prompt = [&](const std::string& profile,
                           const std::string& serial) -> Result<std::string> {
    asked = profile + " " + serial;
    return std::string("654321\n");
  };
  ASSERT_TRUE(Load("dev", options).ok());
  EXPECT_EQ(asked, "dev arn:aws:iam::111122223333:mfa/alice");
  auto p = sts_.calls().at(0).params;
  EXPECT_EQ(p["SerialNumber"], "arn:aws:iam::111122223333:mfa/alice");
  EXPECT_EQ(p["TokenCode"], "654321");
}

TEST_F(AssumeRoleTest, MfaWithoutPromptIsAClearError) {
  SetConfig(
      "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\nsource_profile = base\n"
      "mfa_serial = arn:aws:iam::111122223333:mfa/alice\n",
      kBaseKeys);
  auto r = Load("dev");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "role.mfa_required");
  EXPECT_NE(r.error().message.find("profile dev needs an MFA code"), std::string::npos)
      << r.error().message;
  EXPECT_TRUE(sts_.calls().empty());
}

TEST_F(AssumeRoleTest, AccessDeniedNamesRoleAndSourceProfile) {
  sts_.DenyRole("arn:aws:iam::111111111111:role/denied-role");
  SetConfig(
      "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/denied-role\nsource_profile = "
      "base\n",
      kBaseKeys);
  auto r = Load("dev");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "sts.access_denied");
  EXPECT_NE(r.error().message.find("arn:aws:iam::111111111111:role/denied-role"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("profile base"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().fix.find("trust policy of arn:aws:iam::111111111111:role/denied-role"),
            std::string::npos)
      << r.error().fix;
  EXPECT_EQ(r.error().message.find("base-secret-0123456789"), std::string::npos);
}

TEST_F(AssumeRoleTest, ConfigurationMistakes) {
  SetConfig(
      "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\nsource_profile = nowhere\n");
  EXPECT_EQ(Make("dev").error().code, "role.source_not_found");
  SetConfig("[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\n");
  EXPECT_EQ(Make("dev").error().code, "role.no_source");
  SetConfig(
      "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\nsource_profile = base\n"
      "credential_source = Environment\n",
      kBaseKeys);
  EXPECT_EQ(Make("dev").error().code, "role.source_conflict");
  SetConfig(
      "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\ncredential_source = Laptop\n");
  EXPECT_EQ(Make("dev").error().code, "role.bad_credential_source");
  SetConfig(
      "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\nsource_profile = "
      "base\nduration_seconds = 1h\n",
      kBaseKeys);
  EXPECT_EQ(Make("dev").error().code, "role.bad_duration");
}

TEST_F(AssumeRoleTest, SourceProfileWithoutCredentials) {
  SetConfig(
      "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\nsource_profile = empty\n"
      "[profile empty]\nregion = us-east-1\n");
  auto r = Load("dev");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "role.source_missing");
  EXPECT_NE(r.error().message.find("profile empty has no credentials"), std::string::npos)
      << r.error().message;
}

TEST_F(AssumeRoleTest, CredentialSourceEnvironment) {
  SetConfig(
      "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\ncredential_source = "
      "Environment\n");
  env_.vars["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env_.vars["AWS_SECRET_ACCESS_KEY"] = "env-secret-0123456789";
  sts_.AddKey("AKIDENV", "env-secret-0123456789");
  auto r = Load("dev");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(sts_.calls().at(0).signer_key_id, "AKIDENV");
  EXPECT_EQ(sts_.calls().at(0).verify_error, "");

  env_.vars.erase("AWS_ACCESS_KEY_ID");
  env_.vars.erase("AWS_SECRET_ACCESS_KEY");
  auto missing = Load("dev");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "role.source_missing");
  EXPECT_NE(missing.error().message.find("credential_source Environment"), std::string::npos);
}

TEST_F(AssumeRoleTest, CredentialSourceEcsContainer) {
  testing::TestHttpServer container([](const testing::TestHttpRequest& r,
                                       testing::TestHttpConnection& c) {
    c.Respond(
        200, {{"Content-Type", "application/json"}},
        R"({"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"container-secret-123","Token":"container-token-123","Expiration":"2026-01-01T06:00:00Z"})");
  });
  sts_.AddKey("ASIACONTAINER", "container-secret-123");
  env_.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = container.Url("/creds");
  SetConfig(
      "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\ncredential_source = "
      "EcsContainer\n");
  auto r = Load("dev");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(sts_.calls().at(0).signer_key_id, "ASIACONTAINER");
  EXPECT_EQ(FindHeader(sts_.calls().at(0).raw.headers, "X-Amz-Security-Token"),
            "container-token-123");
}

TEST_F(AssumeRoleTest, CredentialSourceEc2InstanceMetadata) {
  // The emulated IMDS (on the same port as STS) hands out the first issued credentials.
  env_.vars.erase("AWS_EC2_METADATA_DISABLED");
  env_.vars["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = sts_.url();
  SetConfig(
      "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\ncredential_source = "
      "Ec2InstanceMetadata\n");
  auto r = Load("dev");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(sts_.calls().at(0).signer_key_id, testing::EmulatedAws::Issued(1).access_key_id);
  EXPECT_EQ(sts_.calls().at(0).verify_error, "");
}

}  // namespace
}  // namespace brock
