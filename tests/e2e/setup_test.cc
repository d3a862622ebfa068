// `brock setup` end to end against the emulator: each way to authenticate non-interactively
// (static keys, temporary keys, a Bedrock API key, SSO), the project scope, and the interactive
// SSO wizard in a pseudo-terminal. Each produces exactly the expected files, keeps every
// unrelated key, backs up what it changes, and ends with STS and the guide's test prompt.
#include <sys/stat.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "e2e_harness.h"
#include "pty_session.h"

namespace brock::e2e {
namespace {

using nlohmann::json;

class SetupTest : public E2eTest {
 protected:
  std::map<std::string, std::string> Endpoints(
      std::map<std::string, std::string> extra = {}) const {
    std::map<std::string, std::string> env = {{"AWS_ENDPOINT_URL_BEDROCK", emulator_.url()},
                                              {"AWS_ENDPOINT_URL_STS", emulator_.url()},
                                              {"AWS_ENDPOINT_URL_SSO_OIDC", emulator_.url()},
                                              {"AWS_ENDPOINT_URL_SSO", emulator_.url()},
                                              {"XDG_CACHE_HOME", root_ + "/cache"}};
    for (auto& [k, v] : extra) env[k] = v;
    return env;
  }
  json UserSettings() { return json::parse(ReadAll(home_ + "/.claude/settings.json")); }
  int Mode(const std::string& path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) return -1;
    return static_cast<int>(st.st_mode & 0777);
  }
  int Backups(const std::string& dir, const std::string& prefix) {
    int n = 0;
    if (!std::filesystem::exists(dir)) return 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      n += e.path().filename().string().rfind(prefix + ".backup-", 0) == 0;
    }
    return n;
  }
  void ExpectVerified(const RunOutput& r, bool sts = true) {
    if (sts) {
      EXPECT_NE(r.out.find("account 111122223333"), std::string::npos) << r.out;
    }
    EXPECT_NE(r.out.find("Which state is the Garden State? Answer in one sentence."),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("Answer: New Jersey is known as the Garden State."), std::string::npos)
        << r.out << r.err;
  }
};

TEST_F(SetupTest, StaticKeysFromTheEnvironment) {
  WriteFile(
      home_ + "/.claude/settings.json",
      R"J({"theme": "dark", "permissions": {"allow": ["Bash(ls)"]}, "env": {"FOO": "bar"}})J");
  WriteFile(home_ + "/.aws/credentials",
            "# mine\n[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = x\n");
  StartEmulator();
  RunOutput r =
      RunBrock({"setup", "--auth", "static", "--profile", "bedrock-claude", "--region", "us-east-1",
                "--yes"},
               Endpoints({{"AWS_ACCESS_KEY_ID", kKeyId}, {"AWS_SECRET_ACCESS_KEY", kSecret}}));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ExpectVerified(r);
  json s = UserSettings();
  EXPECT_EQ(s["env"]["CLAUDE_CODE_USE_BEDROCK"], "1");
  EXPECT_EQ(s["env"]["AWS_REGION"], "us-east-1");
  EXPECT_EQ(s["env"]["AWS_PROFILE"], "bedrock-claude");
  EXPECT_EQ(s["env"]["ANTHROPIC_MODEL"], "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
  EXPECT_EQ(s["env"]["FOO"], "bar");
  EXPECT_EQ(s["theme"], "dark");
  EXPECT_EQ(s["permissions"]["allow"][0], "Bash(ls)");
  EXPECT_EQ(s["env"].size(), 5u) << s.dump();
  EXPECT_EQ(s.dump().find(kSecret), std::string::npos) << "no key in a settings file";
  std::string creds = ReadAll(home_ + "/.aws/credentials");
  EXPECT_EQ(
      creds,
      std::string("# mine\n[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = x\n\n"
                  "[bedrock-claude]\naws_access_key_id = ") +
          kKeyId + "\naws_secret_access_key = " + kSecret + "\n");
  EXPECT_EQ(Mode(home_ + "/.aws/credentials"), 0600);
  EXPECT_EQ(ReadAll(home_ + "/.aws/config"), "[profile bedrock-claude]\nregion = us-east-1\n");
  EXPECT_EQ(Backups(home_ + "/.claude", "settings.json"), 1);
  EXPECT_EQ(Backups(home_ + "/.aws", "credentials"), 1);
  EXPECT_EQ(r.out.find(kSecret), std::string::npos);
  EXPECT_NE(r.out.find(home_ + "/.aws/credentials"), std::string::npos)
      << "says what it wrote where";
}

TEST_F(SetupTest, StaticKeysFromStandardInput) {
  StartEmulator();
  RunOutput r = RunBrock({"setup", "--auth", "static", "--profile", "ci", "--region", "us-east-1",
                          "--model", "haiku", "--yes"},
                         Endpoints(), std::string(kKeyId) + "\n" + kSecret + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ExpectVerified(r);
  EXPECT_EQ(UserSettings()["env"]["ANTHROPIC_MODEL"],
            "us.anthropic.claude-haiku-4-5-20251001-v1:0");
  EXPECT_NE(ReadAll(home_ + "/.aws/credentials").find(kSecret), std::string::npos);
  EXPECT_EQ(Backups(home_ + "/.claude", "settings.json"), 0) << "a new file needs no backup";
}

TEST_F(SetupTest, SecretsAreNeverAcceptedAsArguments) {
  RunOutput r = RunBrock({"setup", "--auth", "static", "--access-key", "AKIA1234567890123456"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not accepted"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(home_ + "/.aws/credentials"));
}

TEST_F(SetupTest, TemporaryKeysWithASessionToken) {
  const std::string token = "temporary-session-token-e2e-0000000000";
  StartEmulator({"--session-token", token});
  RunOutput r = RunBrock(
      {"setup", "--auth", "temporary", "--profile", "portal", "--region", "us-east-1", "--yes"},
      Endpoints(), std::string(kKeyId) + "\n" + kSecret + "\n" + token + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("expire"), std::string::npos) << "explains that they expire";
  ExpectVerified(r);
  std::string creds = ReadAll(home_ + "/.aws/credentials");
  EXPECT_NE(creds.find("aws_session_token = " + token), std::string::npos) << creds;
  EXPECT_EQ(r.out.find(token), std::string::npos);
}

TEST_F(SetupTest, BedrockApiKeyGoesToUserSettingsOnly) {
  const std::string key = "bedrock-api-key-setup-e2e-000000000000";
  StartEmulator({"--bearer-token", key});
  RunOutput r = RunBrock(
      {"setup", "--auth", "api-key", "--region", "us-west-2", "--scope", "project", "--yes"},
      Endpoints({{"AWS_BEARER_TOKEN_BEDROCK", key}}));
  // The emulator's signing region is us-east-1, but a bearer token is not signed.
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("trade"), std::string::npos) << "warns about the trade-offs";
  ExpectVerified(r, /*sts=*/false);
  json s = UserSettings();
  EXPECT_EQ(s["env"]["AWS_BEARER_TOKEN_BEDROCK"], key);
  EXPECT_FALSE(s["env"].contains("AWS_PROFILE"));
  EXPECT_EQ(Mode(home_ + "/.claude/settings.json"), 0600);
  EXPECT_FALSE(std::filesystem::exists(project_ + "/.claude/settings.json"))
      << "never a secret in a project file";
  EXPECT_EQ(r.out.find(key), std::string::npos);
}

TEST_F(SetupTest, ProjectScopePutsOnlyTheProfileInTheProject) {
  StartEmulator();
  RunOutput r =
      RunBrock({"setup", "--auth", "static", "--profile", "ui-dev", "--region", "us-east-1",
                "--scope", "project", "--yes"},
               Endpoints({{"AWS_ACCESS_KEY_ID", kKeyId}, {"AWS_SECRET_ACCESS_KEY", kSecret}}));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ExpectVerified(r);
  json project = json::parse(ReadAll(project_ + "/.claude/settings.json"));
  EXPECT_EQ(project, json({{"env", {{"AWS_PROFILE", "ui-dev"}}}}));
  json user = UserSettings();
  EXPECT_FALSE(user["env"].contains("AWS_PROFILE"));
  EXPECT_EQ(user["env"]["AWS_REGION"], "us-east-1");
}

TEST_F(SetupTest, SsoWithFlags) {
  StartEmulator();
  RunOutput r = RunBrock(
      {"setup", "--auth", "sso", "--profile", "ui-dev", "--region", "us-east-1", "--sso-start-url",
       "https://corp.awsapps.com/start", "--sso-region", "us-east-1", "--yes"},
      Endpoints());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ExpectVerified(r);
  std::string config = ReadAll(home_ + "/.aws/config");
  EXPECT_EQ(config,
            "[sso-session ui-dev]\nsso_start_url = https://corp.awsapps.com/start\n"
            "sso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n"
            "[profile ui-dev]\nsso_session = ui-dev\nsso_account_id = 111122223333\n"
            "sso_role_name = BedrockUser\nregion = us-east-1\n");
  json s = UserSettings();
  EXPECT_EQ(s["env"]["AWS_PROFILE"], "ui-dev");
  EXPECT_EQ(s["awsAuthRefresh"], "brock login --profile ui-dev");
  EXPECT_FALSE(std::filesystem::exists(home_ + "/.aws/credentials")) << "SSO needs no keys";
}

TEST_F(SetupTest, InteractiveSsoInATerminal) {
  StartEmulator();
  PtySession pty;
  std::vector<std::string> argv = {BROCK_BIN, "setup"};
  pty.Start(argv, BrockEnv(Endpoints()), project_);
  ASSERT_TRUE(pty.Expect("How do you sign in to AWS?"));
  ASSERT_TRUE(pty.Expect("Choose 1-4"));
  pty.SendLine("1");
  ASSERT_TRUE(pty.Expect("AWS region for Bedrock"));
  pty.SendLine("");  // the default, us-east-1
  ASSERT_TRUE(pty.Expect("AWS profile name"));
  pty.SendLine("team");
  ASSERT_TRUE(pty.Expect("start URL"));
  pty.SendLine("https://team.awsapps.com/start");
  ASSERT_TRUE(pty.Expect("IAM Identity Center region"));
  pty.SendLine("");
  ASSERT_TRUE(pty.Expect("Account: 111122223333"));
  ASSERT_TRUE(pty.Expect("Role: BedrockUser"));
  ASSERT_TRUE(pty.Expect("awsAuthRefresh"));
  pty.SendLine("y");
  ASSERT_TRUE(pty.Expect("Model to pin"));
  pty.SendLine("us.anthropic.claude-sonnet-4-6");
  ASSERT_TRUE(pty.Expect("Answer: New Jersey"));
  EXPECT_EQ(pty.Wait(), 0);
  json s = UserSettings();
  EXPECT_EQ(s["env"]["AWS_PROFILE"], "team");
  EXPECT_EQ(s["env"]["ANTHROPIC_MODEL"], "us.anthropic.claude-sonnet-4-6");
  EXPECT_EQ(s["awsAuthRefresh"], "brock login --profile team");
  EXPECT_NE(ReadAll(home_ + "/.aws/config").find("[profile team]\nsso_session = team\n"),
            std::string::npos);
}

}  // namespace
}  // namespace brock::e2e
