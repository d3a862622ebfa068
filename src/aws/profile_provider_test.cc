#include "aws/profile_provider.h"

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/json.h"
#include "testing/emulated_aws.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

// Answers every credential_process with keys named after the command.
class FakeProcesses : public ProcessRunner {
 public:
  std::vector<ProcessSpec> specs;
  Result<ProcessResult> Run(const ProcessSpec& spec, const std::atomic<bool>*) override {
    specs.push_back(spec);
    ProcessResult r;
    r.exit_code = 0;
    r.stdout_data =
        R"({"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "process-secret-123"})";
    return r;
  }
};

// A provider that reports which profile it was built for.
class FakeSso : public CredentialProvider {
 public:
  explicit FakeSso(std::string profile) : profile_(std::move(profile)) {}
  std::string name() const override { return "SSO " + profile_; }
  Result<std::optional<Credentials>> Load() override {
    Credentials c;
    c.access_key_id = "ASIASSO";
    c.secret_access_key = "sso-secret-1234567";
    c.session_token = "sso-token-1234567";
    c.source = "SSO profile " + profile_;
    return std::optional<Credentials>(c);
  }

 private:
  std::string profile_;
};

class ProfileProviderTest : public ::testing::Test {
 protected:
  ProfileProviderTest() : sts_(env_), http_(MakeCurlHttpClient()) {
    env_.vars["AWS_ENDPOINT_URL_STS"] = sts_.url();
    env_.vars["AWS_REGION"] = "us-east-1";
    env_.vars["AWS_EC2_METADATA_DISABLED"] = "true";
    options_.make_sso = [](const std::string& p) { return std::make_unique<FakeSso>(p); };
  }

  void SetConfig(const std::string& config_text, const std::string& credentials_text = "") {
    auto parsed = ParseAwsConfig(config_text, credentials_text, "/home/user/.aws/config",
                                 "/home/user/.aws/credentials");
    ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
    config_ = std::move(parsed).value();
  }

  Result<std::optional<Credentials>> Load(const std::string& profile) {
    auto provider = MakeProfileProvider(env_, *http_, runner_, config_, profile, options_);
    if (!provider.ok()) return std::move(provider).error();
    return (*provider)->Load();
  }

  // Which kind of credentials the profile resolved to.
  std::string Kind(const std::string& profile) {
    size_t sts_before = sts_.calls().size();
    size_t processes_before = runner_.specs.size();
    auto r = Load(profile);
    if (!r.ok()) return "error " + r.error().code;
    if (!r->has_value()) return "none";
    const Credentials& c = **r;
    if (sts_.calls().size() > sts_before) return sts_.calls().back().action;
    if (runner_.specs.size() > processes_before) return "process";
    if (c.access_key_id == "ASIASSO") return "sso";
    return c.session_token.empty() ? "basic" : "session";
  }

  testing::FakeEnv env_;
  testing::EmulatedAws sts_;
  std::unique_ptr<HttpClient> http_;
  FakeProcesses runner_;
  AwsConfig config_;
  ProfileProviderOptions options_;
};

// The cross-SDK suite's credential-type priorities: assumeRole > session > basic.
TEST_F(ProfileProviderTest, SharedSuiteCredentialPriorities) {
  std::string path =
      std::string(BROCK_SHARED_DIR) + "/testdata/aws-config/config-file-profile-tests.json";
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << "shared test data missing: " << path;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto json = ParseJson(text, path);
  ASSERT_TRUE(json.ok());
  int checked = 0;
  for (const auto& suite : (*json)["testSuites"]) {
    std::string config_text;
    for (const auto& [name, props] : suite["profiles"].items()) {
      config_text += name == "default" ? "[default]\n" : "[profile " + name + "]\n";
      for (const auto& [k, v] : props.items())
        config_text += k + " = " + v.get<std::string>() + "\n";
    }
    // The suite's role ARNs have a 9-digit account, which real STS (and the emulated one) refuse.
    for (size_t at; (at = config_text.find("arn:aws:iam::123456789:")) != std::string::npos;) {
      config_text.replace(at, 23, "arn:aws:iam::123456789012:");
    }
    SetConfig(config_text);
    sts_.AddKey("123", "456");
    for (const auto& test : suite["credentialsTests"]) {
      std::string expected = test["output"]["credentialType"];
      std::string kind = Kind(test["profile"]);
      std::string mapped = kind == "AssumeRole" ? "assumeRole" : kind;
      EXPECT_EQ(mapped, expected) << test["name"];
      ++checked;
    }
  }
  EXPECT_EQ(checked, 3);
}

TEST_F(ProfileProviderTest, BotocoreOrderWithinAProfile) {
  sts_.AddKey("AKIDSTATIC", "static-secret-123456");
  std::string keys =
      "aws_access_key_id = AKIDSTATIC\naws_secret_access_key = static-secret-123456\n";
  std::string role = "role_arn = arn:aws:iam::111111111111:role/R\n";
  std::string sso = "sso_session = corp\nsso_account_id = 1\nsso_role_name = Dev\n";
  std::string process = "credential_process = /bin/creds\n";
  env_.files["/tmp/token"] = "header.payload.signature";
  std::string web = "web_identity_token_file = /tmp/token\n";
  SetConfig(
      "[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n"
      "[profile keys]\n" +
          keys + "[profile role]\n" + role + "source_profile = keys\n" + keys + sso + process +
          "[profile web]\n" + role + web + keys + sso + process + "[profile sso]\n" + sso + keys +
          process + "[profile process_over_config_keys]\n" + process + keys +
          "[profile credfile_keys_over_process]\n" + process,
      "[credfile_keys_over_process]\n" + keys);
  EXPECT_EQ(Kind("role"), "AssumeRole");
  EXPECT_EQ(Kind("web"), "AssumeRoleWithWebIdentity");
  EXPECT_EQ(Kind("sso"), "sso");
  EXPECT_EQ(Kind("process_over_config_keys"), "process");
  EXPECT_EQ(Kind("credfile_keys_over_process"), "basic");
  EXPECT_EQ(Kind("keys"), "basic");
}

TEST_F(ProfileProviderTest, CredentialProcessRunsTheSplitArgv) {
  SetConfig("[profile p]\ncredential_process = \"/opt/my tools/creds\" --account 'a b' x;y\n");
  auto r = Load("p");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(runner_.specs.size(), 1u);
  EXPECT_EQ(runner_.specs[0].argv,
            (std::vector<std::string>{"/opt/my tools/creds", "--account", "a b", "x;y"}));
  EXPECT_EQ(runner_.specs[0].shell_command, "");
  EXPECT_EQ((*r)->access_key_id, "AKIDPROCESS");
}

TEST_F(ProfileProviderTest, SourceProfileCanUseCredentialProcessOrSso) {
  sts_.AddKey("AKIDPROCESS", "process-secret-123");
  sts_.AddKey("ASIASSO", "sso-secret-1234567");
  SetConfig(
      "[profile viaprocess]\nrole_arn = arn:aws:iam::111111111111:role/A\nsource_profile = proc\n"
      "[profile proc]\ncredential_process = /bin/creds\n"
      "[profile viasso]\nrole_arn = arn:aws:iam::111111111111:role/B\nsource_profile = ssop\n"
      "[profile ssop]\nsso_start_url = https://x.awsapps.com/start\n");
  ASSERT_TRUE(Load("viaprocess").ok());
  EXPECT_EQ(sts_.calls().back().signer_key_id, "AKIDPROCESS");
  ASSERT_TRUE(Load("viasso").ok());
  EXPECT_EQ(sts_.calls().back().signer_key_id, "ASIASSO");
}

TEST_F(ProfileProviderTest, EnvironmentWebIdentityBeatsProfileKeysButNotProfileRole) {
  sts_.AddKey("AKIDSTATIC", "static-secret-123456");
  env_.files["/var/run/token"] = "env.token.value\n";
  env_.vars["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/var/run/token";
  env_.vars["AWS_ROLE_ARN"] = "arn:aws:iam::111111111111:role/FromEnv";
  env_.vars["AWS_ROLE_SESSION_NAME"] = "pod-1";
  SetConfig(
      "[profile keys]\naws_access_key_id = AKIDSTATIC\naws_secret_access_key = "
      "static-secret-123456\n"
      "[profile role]\nrole_arn = arn:aws:iam::111111111111:role/R\nsource_profile = keys\n");
  EXPECT_EQ(Kind("keys"), "AssumeRoleWithWebIdentity");
  EXPECT_EQ(sts_.calls().back().params["RoleArn"], "arn:aws:iam::111111111111:role/FromEnv");
  EXPECT_EQ(sts_.calls().back().params["RoleSessionName"], "pod-1");
  EXPECT_EQ(sts_.calls().back().params["WebIdentityToken"], "env.token.value");
  EXPECT_EQ(Kind("role"), "AssumeRole");
  // Profiles that do not exist still get the environment's web identity.
  EXPECT_EQ(Kind("default"), "AssumeRoleWithWebIdentity");
  options_.use_env_web_identity = false;
  EXPECT_EQ(Kind("keys"), "basic");
}

TEST_F(ProfileProviderTest, MissingAndEmptyProfiles) {
  SetConfig("[profile empty]\nregion = us-east-1\n");
  EXPECT_EQ(Kind("default"), "none");
  EXPECT_EQ(Kind("empty"), "none");
  options_.explicit_selection = true;
  options_.selection_origin = "AWS_PROFILE (from the shell environment)";
  EXPECT_EQ(Kind("nope"), "error profile.not_found");
  EXPECT_EQ(Kind("empty"), "error profile.no_credentials");
}

TEST_F(ProfileProviderTest, SsoWithoutFactoryIsReportedUnsupported) {
  options_.make_sso = nullptr;
  SetConfig("[profile s]\nsso_start_url = https://x.awsapps.com/start\n");
  EXPECT_EQ(Kind("s"), "error profile.unsupported");
}

TEST_F(ProfileProviderTest, DefaultProvidersOrder) {
  env_.vars["AWS_PROFILE"] = "dev";
  SetConfig(
      "[profile dev]\naws_access_key_id = AKIDSTATIC\naws_secret_access_key = "
      "static-secret-123456\n");
  auto providers = MakeDefaultCredentialProviders(env_, *http_, runner_, config_, options_);
  ASSERT_TRUE(providers.ok()) << providers.error().ToString();
  std::vector<std::string> names;
  for (auto& p : *providers) names.push_back(p->name());
  EXPECT_EQ(names, (std::vector<std::string>{"environment variables", "profile dev",
                                             "container credentials (AWS_CONTAINER_CREDENTIALS_*)",
                                             "EC2 instance metadata"}));
  auto r = (*providers)[1]->Load();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->access_key_id, "AKIDSTATIC");
}

TEST_F(ProfileProviderTest, BrokenProfileIsReportedOnlyWhenReached) {
  env_.vars["AWS_PROFILE"] = "loop";
  SetConfig("[profile loop]\nrole_arn = arn:aws:iam::111111111111:role/L\nsource_profile = loop\n");
  auto providers = MakeDefaultCredentialProviders(env_, *http_, runner_, config_, options_);
  ASSERT_TRUE(providers.ok());
  auto r = (*providers)[1]->Load();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "role.cycle");
  env_.vars["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env_.vars["AWS_SECRET_ACCESS_KEY"] = "env-secret-123456";
  auto env_first = (*providers)[0]->Load();
  ASSERT_TRUE(env_first.ok());
  EXPECT_EQ((*env_first)->access_key_id, "AKIDENV");
}

}  // namespace
}  // namespace brock
