// `brock doctor` end to end: a good setup passes every check; each row of the setup guide's
// troubleshooting table (and the other checks the command makes) has a broken fixture that the
// doctor detects, naming the cause and the fix.
#include <nlohmann/json.hpp>

#include "e2e_harness.h"

namespace brock::e2e {
namespace {

using nlohmann::json;

class DoctorTest : public E2eTest {
 protected:
  std::map<std::string, std::string> Endpoints(
      std::map<std::string, std::string> extra = {}) const {
    std::map<std::string, std::string> env = {{"AWS_ENDPOINT_URL_BEDROCK", emulator_.url()},
                                              {"AWS_ENDPOINT_URL_STS", emulator_.url()},
                                              {"XDG_CACHE_HOME", root_ + "/cache"}};
    for (auto& [k, v] : extra) env[k] = v;
    return env;
  }
  // Runs `brock doctor --json`; returns the checks by id.
  std::map<std::string, json> Doctor(std::map<std::string, std::string> env = {},
                                     std::vector<std::string> extra_args = {}) {
    std::vector<std::string> args = {"doctor", "--json"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    last_ = RunBrock(args, Endpoints(std::move(env)));
    std::map<std::string, json> out;
    json j = json::parse(last_.out, nullptr, false);
    EXPECT_TRUE(j.is_object()) << last_.out << last_.err;
    if (!j.is_object()) return out;
    EXPECT_EQ(j["ok"], last_.exit_code == 0);
    for (const auto& c : j["checks"]) out[c["id"].get<std::string>()] = c;
    return out;
  }
  void WriteSettings(const std::string& env_json) {
    WriteFile(home_ + "/.claude/settings.json", "{\"env\": {" + env_json + "}}");
  }
  void WriteKeys(const std::string& profile) {
    WriteFile(home_ + "/.aws/credentials", "[" + profile + "]\naws_access_key_id = " + kKeyId +
                                               "\naws_secret_access_key = " + kSecret + "\n");
  }
  RunOutput last_;
};

TEST_F(DoctorTest, AGoodSetupPassesEveryCheck) {
  WriteGuideSetup("dev");
  StartEmulator();
  auto checks = Doctor();
  EXPECT_EQ(last_.exit_code, 0) << last_.out;
  for (const char* id : {"settings.files", "bedrock.enabled", "region", "profile", "env.stale_keys",
                         "auth.anthropic", "credentials", "model", "network", "trust",
                         "sts.identity", "models.catalog", "models.present", "models.invoke"}) {
    ASSERT_TRUE(checks.count(id)) << id << "\n" << last_.out;
    EXPECT_EQ(checks[id]["status"], "ok") << id << ": " << checks[id].dump();
  }
  EXPECT_NE(checks["sts.identity"]["detail"].get<std::string>().find("111122223333"),
            std::string::npos);
  EXPECT_NE(checks["region"]["detail"].get<std::string>().find("AWS_REGION"), std::string::npos);
  EXPECT_EQ(last_.out.find(kSecret), std::string::npos);
  // One tiny request to the model.
  auto runtime = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(runtime.size(), 1u);
  EXPECT_EQ(Body(runtime[0])["max_tokens"], 1);
  // The text form says the same.
  RunOutput text = RunBrock({"doctor"}, Endpoints());
  EXPECT_EQ(text.exit_code, 0) << text.out;
  EXPECT_NE(text.out.find("brock is ready"), std::string::npos) << text.out;
}

// Guide row 1: "aws sso login succeeds but Claude Code still fails": the profile name does not
// match AWS_PROFILE ...
TEST_F(DoctorTest, ProfileThatDoesNotExistIsNamedWithTheOnesThatDo) {
  WriteSettings(
      R"("CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "AWS_PROFILE": "ui-dev")");
  WriteKeys("ui_dev");
  StartEmulator();
  auto checks = Doctor();
  EXPECT_EQ(last_.exit_code, 1);
  ASSERT_TRUE(checks.count("profile"));
  EXPECT_EQ(checks["profile"]["status"], "fail");
  EXPECT_NE(checks["profile"]["detail"].get<std::string>().find("ui_dev"), std::string::npos)
      << "names the profiles that exist";
  EXPECT_NE(checks["profile"]["fix"].get<std::string>().find("exactly"), std::string::npos);
}

// ... or stale environment variables override it.
TEST_F(DoctorTest, StaleKeysNextToAProfileAreFound) {
  WriteGuideSetup("dev");
  StartEmulator();
  auto checks = Doctor({{"AWS_ACCESS_KEY_ID", "AKIASTALESTALESTALE1"},
                        {"AWS_SECRET_ACCESS_KEY", "staleSecretStaleSecretStaleSecret000000"}});
  EXPECT_EQ(last_.exit_code, 1);
  EXPECT_EQ(checks["env.stale_keys"]["status"], "fail");
  EXPECT_NE(checks["env.stale_keys"]["fix"].get<std::string>().find("env | grep AWS_"),
            std::string::npos);
  EXPECT_EQ(last_.out.find("staleSecretStaleSecret"), std::string::npos) << "no secret shown";
}

// Guide row 2: "Region error on startup".
TEST_F(DoctorTest, MissingRegionFails) {
  WriteSettings(R"("CLAUDE_CODE_USE_BEDROCK": "1", "AWS_PROFILE": "dev")");
  WriteKeys("dev");
  StartEmulator();
  auto checks = Doctor();
  EXPECT_EQ(last_.exit_code, 1);
  EXPECT_EQ(checks["region"]["status"], "fail");
  EXPECT_NE(checks["region"]["cause"].get<std::string>().find("AWS_REGION"), std::string::npos);
  EXPECT_NE(checks["region"]["fix"].get<std::string>().find("settings.json"), std::string::npos);
}

TEST_F(DoctorTest, RegionOnlyInTheAwsConfigIsAWarning) {
  WriteSettings(R"("CLAUDE_CODE_USE_BEDROCK": "1", "AWS_PROFILE": "dev")");
  WriteKeys("dev");
  WriteFile(home_ + "/.aws/config", "[profile dev]\nregion = us-east-1\n");
  StartEmulator();
  auto checks = Doctor();
  EXPECT_EQ(checks["region"]["status"], "warn") << checks["region"].dump();
}

// Guide row 3: "AccessDeniedException invoking a model".
TEST_F(DoctorTest, AccessDeniedNamesTheMissingAction) {
  WriteGuideSetup("dev");
  StartEmulator({"--deny-action", "bedrock:InvokeModel"});
  auto checks = Doctor();
  EXPECT_EQ(last_.exit_code, 1);
  ASSERT_TRUE(checks.count("models.invoke"));
  EXPECT_EQ(checks["models.invoke"]["status"], "fail");
  EXPECT_NE(checks["models.invoke"]["detail"].get<std::string>().find("bedrock:InvokeModel"),
            std::string::npos)
      << checks["models.invoke"].dump();
  EXPECT_NE(checks["models.invoke"]["fix"].get<std::string>().find("brock policy"),
            std::string::npos);
  EXPECT_NE(checks["models.invoke"]["fix"].get<std::string>().find("model access"),
            std::string::npos);
}

TEST_F(DoctorTest, ControlPlaneAccessDeniedIsExplained) {
  WriteGuideSetup("dev");
  StartEmulator({"--deny-action", "bedrock:ListInferenceProfiles"});
  auto checks = Doctor();
  EXPECT_EQ(last_.exit_code, 1);
  EXPECT_EQ(checks["models.catalog"]["status"], "fail");
  EXPECT_NE(
      checks["models.catalog"]["fix"].get<std::string>().find("bedrock:ListInferenceProfiles"),
      std::string::npos);
}

// Guide row 4: "Every message fails immediately": a wrong ANTHROPIC_MODEL ...
TEST_F(DoctorTest, ModelNotInTheRegionFails) {
  WriteSettings(R"("CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "AWS_PROFILE": "dev",
                   "ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-9")");
  WriteKeys("dev");
  StartEmulator();
  auto checks = Doctor();
  EXPECT_EQ(last_.exit_code, 1);
  EXPECT_EQ(checks["models.present"]["status"], "fail");
  EXPECT_NE(
      checks["models.present"]["detail"].get<std::string>().find("us.anthropic.claude-sonnet-9"),
      std::string::npos);
  EXPECT_NE(
      checks["models.present"]["fix"].get<std::string>().find("cross-region inference profile"),
      std::string::npos);
}

// ... or a model of another region.
TEST_F(DoctorTest, ProfileOfAnotherGeographyFails) {
  WriteSettings(R"("CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "AWS_PROFILE": "dev",
                   "ANTHROPIC_MODEL": "eu.anthropic.claude-sonnet-4-6")");
  WriteKeys("dev");
  StartEmulator();
  auto checks = Doctor({}, {"--offline"});
  EXPECT_EQ(last_.exit_code, 1);
  EXPECT_EQ(checks["model"]["status"], "fail");
  EXPECT_NE(checks["model"]["fix"].get<std::string>().find("us."), std::string::npos);
  EXPECT_TRUE(emulator_.Requests().empty()) << "--offline sends nothing";
}

// Guide row 5: "/login / /logout doesn't behave as expected".
TEST_F(DoctorTest, AnthropicApiKeyIsFlagged) {
  WriteGuideSetup("dev");
  StartEmulator();
  auto checks = Doctor({{"ANTHROPIC_API_KEY", "sk-ant-not-used-on-bedrock-000000"}}, {"--offline"});
  EXPECT_EQ(checks["auth.anthropic"]["status"], "warn");
  EXPECT_NE(checks["auth.anthropic"]["cause"].get<std::string>().find("AWS auth"),
            std::string::npos);
}

TEST_F(DoctorTest, BrokenSettingsFileIsNamedWithLineAndColumn) {
  WriteFile(home_ + "/.claude/settings.json",
            "{\n  \"env\": {\n    \"AWS_REGION\": \"us-east-1\",\n  }\n}\n");
  StartEmulator();
  auto checks = Doctor();
  EXPECT_EQ(last_.exit_code, 1);
  ASSERT_TRUE(checks.count("settings.files"));
  EXPECT_EQ(checks["settings.files"]["status"], "fail");
  EXPECT_NE(checks["settings.files"]["detail"].get<std::string>().find("settings.json:4:"),
            std::string::npos)
      << checks["settings.files"].dump();
}

TEST_F(DoctorTest, ExpiredSsoLoginFails) {
  WriteSsoSetup("sso-access-token-doctor-000001", "2020-01-01T00:00:00Z", "");
  StartEmulator();
  auto env = SsoEndpoints();
  auto checks = Doctor(env, {"--offline"});
  EXPECT_EQ(last_.exit_code, 1);
  ASSERT_TRUE(checks.count("sso.token")) << last_.out;
  EXPECT_EQ(checks["sso.token"]["status"], "fail") << checks["sso.token"].dump();
  EXPECT_NE(checks["sso.token"]["fix"].get<std::string>().find("login --profile ui-dev"),
            std::string::npos);
}

TEST_F(DoctorTest, MissingCredentialsFail) {
  WriteSettings(
      R"("CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "AWS_PROFILE": "dev")");
  WriteFile(home_ + "/.aws/config", "[profile dev]\nregion = us-east-1\n");
  StartEmulator();
  auto checks = Doctor({}, {"--offline"});
  EXPECT_EQ(last_.exit_code, 1);
  EXPECT_EQ(checks["credentials"]["status"], "fail") << last_.out;
  EXPECT_FALSE(checks["credentials"]["fix"].get<std::string>().empty());
}

}  // namespace
}  // namespace brock::e2e
