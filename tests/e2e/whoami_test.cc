// `brock whoami` end to end: the identity STS reports for the credentials brock resolves, with
// their source and the region, endpoint and model in effect; errors name the cause and fix.
#include <nlohmann/json.hpp>

#include "e2e_harness.h"

namespace brock::e2e {
namespace {

class WhoamiTest : public E2eTest {};

TEST_F(WhoamiTest, ShowsTheIdentityAndWhereEverythingComesFrom) {
  WriteGuideSetup("dev");
  StartEmulator();
  RunOutput r = RunBrock({"whoami"}, {{"AWS_ENDPOINT_URL_STS", emulator_.url()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Account      "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ARN          arn:aws:iam::"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(":user/emulator-user"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("profile dev"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("long-term (no expiry)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Region       us-east-1  · AWS_REGION"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("settings.json"), std::string::npos) << "names where the region came from";
  EXPECT_NE(r.out.find("Model        "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(kSecret), std::string::npos);
  EXPECT_EQ(r.out.find(kKeyId), std::string::npos) << "the key id is shown only by its ends";
  // One signed STS call and nothing sent to Bedrock.
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_NE(reqs[0].value("body", "").find("Action=GetCallerIdentity"), std::string::npos);
  EXPECT_TRUE(BedrockRequests(reqs).empty());
}

TEST_F(WhoamiTest, WrongSecretIsAnStsErrorWithTheSourceNamed) {
  WriteFile(
      home_ + "/.claude/settings.json",
      R"({"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "AWS_PROFILE": "dev"}})");
  WriteFile(home_ + "/.aws/credentials",
            std::string("[dev]\naws_access_key_id = ") + kKeyId +
                "\naws_secret_access_key = wrongSecretWrongSecretWrongSecret0000\n");
  StartEmulator();
  RunOutput r = RunBrock({"whoami"}, {{"AWS_ENDPOINT_URL_STS", emulator_.url()}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("GetCallerIdentity"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("profile dev"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("fix:"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("wrongSecretWrongSecret"), std::string::npos) << "no secret in the error";
}

TEST_F(WhoamiTest, BedrockApiKeyHasNoIdentityToLookUp) {
  WriteFile(home_ + "/.claude/settings.json",
            R"({"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-west-2"}})");
  StartEmulator();
  RunOutput r =
      RunBrock({"whoami"}, {{"AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-e2e-000000000000"},
                            {"AWS_ENDPOINT_URL_STS", emulator_.url()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Bedrock API key"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("us-west-2"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("bedrock-api-key-e2e"), std::string::npos);
  EXPECT_TRUE(emulator_.Requests().empty());
}

TEST_F(WhoamiTest, SsoProfileShowsWhenItsCredentialsExpire) {
  WriteSsoSetup("sso-access-token-whoami-000001", "2099-01-01T00:00:00Z",
                "unused-refresh-token-0000");
  StartEmulator({"--sso-access-token", "sso-access-token-whoami-000001",
                 "--sso-credentials-seconds", "3600"});
  auto env = SsoEndpoints();
  env["AWS_ENDPOINT_URL_STS"] = emulator_.url();
  RunOutput r = RunBrock({"whoami"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Account      111122223333"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("SSO profile ui-dev"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(", expire "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(in 5"), std::string::npos) << "about an hour left: " << r.out;
  EXPECT_EQ(r.out.find("sso-access-token-whoami"), std::string::npos);
}

TEST_F(WhoamiTest, NoRegionFailsBeforeAnyCall) {
  WriteFile(home_ + "/.claude/settings.json",
            R"({"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_PROFILE": "dev"}})");
  StartEmulator();
  RunOutput r = RunBrock({"whoami"}, {{"AWS_ENDPOINT_URL_STS", emulator_.url()}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("AWS_REGION"), std::string::npos) << r.err;
  EXPECT_TRUE(emulator_.Requests().empty());
}

}  // namespace
}  // namespace brock::e2e
