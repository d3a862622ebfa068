// The credential sources beyond static keys, end to end: credential_process, awsCredentialExport,
// and awsAuthRefresh recovering a session whose token expired.
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "e2e_harness.h"

namespace brock::e2e {
namespace {

const char kQuestion[] = "Which state is the Garden State? Answer in one sentence.";

class CredentialsTest : public E2eTest {
 protected:
  void WriteScript(const std::string& path, const std::string& body) {
    WriteFile(path, "#!/bin/sh\n" + body);
    chmod(path.c_str(), 0755);
  }
  std::string ProcessJson() {
    return std::string("{\"Version\": 1, \"AccessKeyId\": \"") + kKeyId +
           "\", \"SecretAccessKey\": \"" + kSecret +
           "\", \"SessionToken\": \"process-session-token-000000\", \"Expiration\": "
           "\"2099-01-01T00:00:00Z\"}";
  }
};

TEST_F(CredentialsTest, CredentialProcessRunsWithoutAShell) {
  std::string script = home_ + "/bin/creds helper.sh";  // a space in the path: quoted in the config
  WriteScript(script,
              "[ \"$1\" = \"--role\" ] && [ \"$2\" = \"dev; touch /tmp/brock-should-not-exist\" ] "
              "|| exit 3\n"
              "cat <<'EOF'\n" +
                  ProcessJson() + "\nEOF\n");
  WriteFile(home_ + "/.claude/settings.json",
            R"({"env": {"AWS_REGION": "us-east-1", "AWS_PROFILE": "proc"}})");
  WriteFile(home_ + "/.aws/config", "[profile proc]\ncredential_process = \"" + script +
                                        "\" --role \"dev; touch /tmp/brock-should-not-exist\"\n");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("New Jersey"), std::string::npos);
  struct stat st;
  EXPECT_NE(stat("/tmp/brock-should-not-exist", &st), 0) << "an argument reached a shell";
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].value("access_key_id", ""), kKeyId);
}

TEST_F(CredentialsTest, FailingCredentialProcessShowsItsStderr) {
  std::string script = home_ + "/bin/broken.sh";
  WriteScript(script, "echo 'token expired: run corp-login' >&2\nexit 1\n");
  WriteFile(home_ + "/.claude/settings.json",
            R"({"env": {"AWS_REGION": "us-east-1", "AWS_PROFILE": "proc"}})");
  WriteFile(home_ + "/.aws/config", "[profile proc]\ncredential_process = " + script + "\n");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("run corp-login"), std::string::npos) << r.err;
  EXPECT_TRUE(emulator_.Requests().empty());
}

TEST_F(CredentialsTest, AwsCredentialExportSuppliesTheKeys) {
  WriteFile(home_ + "/creds.json", std::string("{\"Credentials\": {\"AccessKeyId\": \"") + kKeyId +
                                       "\", \"SecretAccessKey\": \"" + kSecret +
                                       "\", \"SessionToken\": \"export-token-00000000\", "
                                       "\"Expiration\": \"2099-01-01T00:00:00Z\"}}");
  WriteFile(
      home_ + "/.claude/settings.json",
      R"({"env": {"AWS_REGION": "us-east-1"}, "awsCredentialExport": "cat \"$HOME/creds.json\""})");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].value("access_key_id", ""), kKeyId);
  EXPECT_EQ(r.err.find(kSecret), std::string::npos);
}

TEST_F(CredentialsTest, AwsAuthRefreshRecoversAnExpiredSession) {
  WriteFile(home_ + "/.aws/credentials",
            std::string("[ui-dev]\naws_access_key_id = ") + kKeyId + "\naws_secret_access_key = " +
                kSecret + "\naws_session_token = expired-session-token-0000000\n");
  // The "login" writes a fresh session token for the profile it is told about via AWS_PROFILE.
  WriteScript(home_ + "/bin/relogin.sh",
              std::string("echo \"logging in to $AWS_PROFILE\"\n"
                          "printf '[%s]\\naws_access_key_id = ") +
                  kKeyId + "\\naws_secret_access_key = " + kSecret +
                  "\\naws_session_token = fresh-session-token-0000000\\n' \"$AWS_PROFILE\" > "
                  "\"$HOME/.aws/credentials\"\n");
  WriteFile(home_ + "/.claude/settings.json",
            "{\"env\": {\"AWS_REGION\": \"us-east-1\", \"AWS_PROFILE\": \"ui-dev\"}, "
            "\"awsAuthRefresh\": \"" +
                home_ + "/bin/relogin.sh\"}");
  StartEmulator({"--expired-token", "expired-session-token-0000000"});
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("New Jersey"), std::string::npos);
  EXPECT_NE(r.err.find("logging in to ui-dev"), std::string::npos)
      << "the refresh output is shown: " << r.err;
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 2u) << "the expired request, then one retry";
  EXPECT_EQ(reqs[0].value("error_type", ""), "ExpiredTokenException");
  EXPECT_EQ(reqs[1].value("status", 0), 200);
}

TEST_F(CredentialsTest, AwsAuthRefreshThatDoesNotHelpFailsOnceWithTheFix) {
  WriteFile(home_ + "/.aws/credentials",
            std::string("[ui-dev]\naws_access_key_id = ") + kKeyId + "\naws_secret_access_key = " +
                kSecret + "\naws_session_token = expired-session-token-0000000\n");
  WriteFile(
      home_ + "/.claude/settings.json",
      R"({"env": {"AWS_REGION": "us-east-1", "AWS_PROFILE": "ui-dev"}, "awsAuthRefresh": "echo still expired"})");
  StartEmulator({"--expired-token", "expired-session-token-0000000"});
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(emulator_.Requests().size(), 2u) << "refresh runs at most once per failure";
  EXPECT_NE(r.err.find("aws sso login --profile ui-dev"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace brock::e2e
