// Every failure a user meets ends in a message that names the cause and the fix, and nothing is
// sent when the configuration is wrong.
#include <nlohmann/json.hpp>

#include "e2e_harness.h"

namespace brock::e2e {
namespace {

const char kQuestion[] = "Which state is the Garden State? Answer in one sentence.";

class ErrorsTest : public E2eTest {
 protected:
  void ExpectNoSecrets(const RunOutput& r) {
    EXPECT_EQ(r.out.find(kSecret), std::string::npos) << "secret in stdout";
    EXPECT_EQ(r.err.find(kSecret), std::string::npos) << "secret in stderr";
  }
};

TEST_F(ErrorsTest, NoRegionIsARegionErrorAndNothingIsSent) {
  WriteFile(home_ + "/.claude/settings.json",
            R"({"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_PROFILE": "dev"}})");
  WriteFile(home_ + "/.aws/credentials", std::string("[dev]\naws_access_key_id = ") + kKeyId +
                                             "\naws_secret_access_key = " + kSecret + "\n");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("Region error"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("AWS_REGION"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("settings.json"), std::string::npos) << "says where to set it: " << r.err;
  EXPECT_TRUE(emulator_.Requests().empty());
  ExpectNoSecrets(r);
}

TEST_F(ErrorsTest, RegionFromProfileIsUsedWhenNoVariableIsSet) {
  WriteFile(home_ + "/.claude/settings.json", R"({"env": {"AWS_PROFILE": "dev"}})");
  WriteFile(home_ + "/.aws/config", "[profile dev]\nregion = us-west-2\n");
  WriteFile(home_ + "/.aws/credentials", std::string("[dev]\naws_access_key_id = ") + kKeyId +
                                             "\naws_secret_access_key = " + kSecret + "\n");
  StartEmulator({"--region", "us-west-2"});
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(RequestRegion(reqs[0]), "us-west-2");
}

TEST_F(ErrorsTest, InvalidRegionIsRejectedBeforeSending) {
  WriteGuideSetup("dev", "us-east-1");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion}, {{"AWS_REGION", "Virginia"}});
  // Settings env wins over the shell, so the shell's bad value is not used...
  EXPECT_EQ(r.exit_code, 0) << r.err;
  WriteGuideSetup("dev", "us-east-one");
  r = RunBrock({"-p", kQuestion});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("us-east-one"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("AWS_REGION"), std::string::npos) << r.err;
  EXPECT_EQ(emulator_.Requests().size(), 1u);
}

TEST_F(ErrorsTest, MalformedSettingsNamesFileLineAndColumn) {
  WriteFile(
      home_ + "/.claude/settings.json",
      "{\n  \"env\": {\n    \"AWS_REGION\": \"us-east-1\"\n    \"AWS_PROFILE\": \"dev\"\n  }\n}\n");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find(home_ + "/.claude/settings.json:4:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("fix"), std::string::npos) << r.err;
  EXPECT_TRUE(emulator_.Requests().empty());
}

TEST_F(ErrorsTest, MalformedSettingsInJsonModeStillPrintsAResult) {
  WriteFile(project_ + "/.claude/settings.json", "{\"env\": [}");
  RunOutput r = RunBrock({"-p", kQuestion, "--output-format", "json"});
  EXPECT_NE(r.exit_code, 0);
  Json j = Json::parse(r.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_EQ(j["is_error"], true);
  EXPECT_NE(j["result"].get<std::string>().find("settings.json:1:"), std::string::npos) << j.dump();
}

TEST_F(ErrorsTest, NoCredentialsListsWhereItLooked) {
  WriteFile(home_ + "/.claude/settings.json", R"({"env": {"AWS_REGION": "us-east-1"}})");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("no AWS credentials"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("environment variables"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("profile default"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("AWS_PROFILE"), std::string::npos) << "fix names the options: " << r.err;
  EXPECT_TRUE(emulator_.Requests().empty());
}

TEST_F(ErrorsTest, MissingProfileNamesItAndTheProfilesThatExist) {
  WriteGuideSetup("real-profile");
  WriteFile(project_ + "/.claude/settings.json", R"({"env": {"AWS_PROFILE": "typo-profile"}})");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("typo-profile"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("real-profile"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(project_ + "/.claude/settings.json"), std::string::npos)
      << "names the source: " << r.err;
  EXPECT_TRUE(emulator_.Requests().empty());
}

TEST_F(ErrorsTest, InvalidModelNamesItsSourceAndThePrefix) {
  WriteGuideSetup("dev");
  WriteFile(project_ + "/.claude/settings.json",
            R"({"env": {"ANTHROPIC_MODEL": "anthropic.claud-sonnet-typo"}})");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("anthropic.claud-sonnet-typo"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ANTHROPIC_MODEL"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\"us.\""), std::string::npos) << r.err;
  EXPECT_EQ(emulator_.Requests().size(), 1u) << "a validation error is not retried";
}

TEST_F(ErrorsTest, ExpiredTokenNamesProfileAndLoginCommand) {
  WriteFile(home_ + "/.claude/settings.json",
            R"({"env": {"AWS_REGION": "us-east-1", "AWS_PROFILE": "ui-dev"}})");
  WriteFile(home_ + "/.aws/credentials",
            std::string("[ui-dev]\naws_access_key_id = ") + kKeyId + "\naws_secret_access_key = " +
                kSecret + "\naws_session_token = expired-session-token-0123456789\n");
  StartEmulator({"--expired-token", "expired-session-token-0123456789"});
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("ExpiredToken"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("aws sso login --profile ui-dev"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("awsAuthRefresh"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("expired-session-token-0123456789"), std::string::npos) << "token leaked";
  EXPECT_EQ(emulator_.Requests().size(), 1u) << "an expired token fails at once";
}

TEST_F(ErrorsTest, WrongSecretIsRejectedWithFix) {
  WriteFile(home_ + "/.claude/settings.json",
            R"({"env": {"AWS_REGION": "us-east-1", "AWS_PROFILE": "dev"}})");
  WriteFile(home_ + "/.aws/credentials",
            std::string("[dev]\naws_access_key_id = ") + kKeyId +
                "\naws_secret_access_key = notTheRightSecretAtAll0000000000\n");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("InvalidSignatureException"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("profile dev"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("notTheRightSecretAtAll0000000000"), std::string::npos) << "secret leaked";
  EXPECT_EQ(emulator_.Requests().size(), 1u);
}

TEST_F(ErrorsTest, UnreachableEndpointNamesIt) {
  WriteGuideSetup("dev");
  RunOutput r = RunBrock(
      {"-p", kQuestion, "--output-format", "json"},
      {{"ANTHROPIC_BEDROCK_BASE_URL", "http://127.0.0.1:9"}, {"CLAUDE_CODE_MAX_RETRIES", "1"}});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("127.0.0.1:9"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ANTHROPIC_BEDROCK_BASE_URL"), std::string::npos) << r.err;
  Json j = Json::parse(r.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_EQ(j["is_error"], true);
}

}  // namespace
}  // namespace brock::e2e
