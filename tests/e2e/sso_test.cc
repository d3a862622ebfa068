// IAM Identity Center (SSO) profiles end to end: the AWS CLI's token cache, a token that has
// expired and is refreshed through SSO-OIDC without the user noticing, and one that cannot be
// refreshed failing at once with the command that fixes it.
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "base/crypto.h"
#include "e2e_harness.h"

namespace brock::e2e {
namespace {

const char kQuestion[] = "Which state is the Garden State? Answer in one sentence.";

class SsoTest : public E2eTest {
 protected:
  // A profile in the sso-session form, and a cache file whose access token expired long ago.
  void WriteSsoSetup(const std::string& refresh_token) {
    cache_path_ = E2eTest::WriteSsoSetup("expired-access-token-000000000000",
                                         "2020-01-01T00:00:00Z", refresh_token);
  }
  std::string cache_path_;
};

TEST_F(SsoTest, ExpiredAccessTokenIsRefreshedSilentlyAndCacheRewritten) {
  WriteSsoSetup("refresh-token-e2e-valid-000000");
  StartEmulator({"--sso-refresh-token",
                 "refresh-token-e2e-valid-000000:client-id-e2e:client-secret-e2e-0000000000"});
  RunOutput r = RunBrock({"-p", kQuestion}, SsoEndpoints());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("New Jersey"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "") << "the refresh is silent";
  std::ifstream in(cache_path_);
  Json cache = Json::parse(in, nullptr, false);
  ASSERT_TRUE(cache.is_object());
  EXPECT_NE(cache["accessToken"], "expired-access-token-000000000000") << "cache rewritten";
  EXPECT_EQ(cache["clientId"], "client-id-e2e") << "other fields kept for the AWS CLI";
  EXPECT_EQ(cache["startUrl"], "https://corp.awsapps.com/start");
  struct stat st;
  ASSERT_EQ(stat(cache_path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 1u) << "one Bedrock request";
  EXPECT_TRUE(reqs[0].value("auth_ok", false));
  for (const char* secret : {"refresh-token-e2e-valid-000000", "client-secret-e2e-0000000000"}) {
    EXPECT_EQ(r.err.find(secret), std::string::npos);
    EXPECT_EQ(r.out.find(secret), std::string::npos);
  }
}

TEST_F(SsoTest, SessionExpiringMidRunIsRefreshedBetweenRequests) {
  WriteSsoSetup("refresh-token-e2e-valid-000000");
  // Role credentials live 2 s and access tokens 3 s: after the 3-second tool round both have
  // expired, so the second request needs a fresh SSO token (CreateToken with the refresh token)
  // and fresh role credentials, all without the user seeing anything.
  WriteFile("script.json", R"json({"rules": [
    {"match": {"contains": "wait"}, "content": [{"type": "tool_use", "name": "Bash",
      "input": {"command": "sleep 3", "description": "wait"}}]},
    {"match": {"tool_result_contains": ""}, "text": "still signed in"}]})json");
  StartEmulator({"--script", root_ + "/script.json", "--sso-credentials-seconds", "2",
                 "--sso-access-token-seconds", "3", "--sso-refresh-token",
                 "refresh-token-e2e-valid-000000:client-id-e2e:client-secret-e2e-0000000000"});
  RunOutput r = RunBrock(
      {"-p", "wait a moment", "--allowedTools", "Bash(sleep:*)", "--output-format", "json"},
      SsoEndpoints());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["result"], "still signed in");
  EXPECT_EQ(r.err, "") << "the refresh is silent";
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 2u);
  for (const auto& q : reqs) EXPECT_EQ(q.value("status", 0), 200) << q.dump();
  std::ifstream in(cache_path_);
  Json cache = Json::parse(in, nullptr, false);
  EXPECT_NE(cache["accessToken"], "expired-access-token-000000000000");
}

TEST_F(SsoTest, DeadRefreshTokenFailsAtOnceWithLoginCommand) {
  WriteSsoSetup("refresh-token-the-emulator-does-not-know");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion}, SsoEndpoints());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("ui-dev"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("login --profile ui-dev"), std::string::npos) << r.err;
  EXPECT_TRUE(emulator_.Requests().empty()) << "no Bedrock request without credentials";
  std::ifstream in(cache_path_);
  Json cache = Json::parse(in, nullptr, false);
  EXPECT_EQ(cache["refreshToken"], "refresh-token-the-emulator-does-not-know") << "never deleted";
}

TEST_F(SsoTest, MissingCacheSaysToLogIn) {
  WriteSsoSetup("x");
  std::remove(cache_path_.c_str());
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion}, SsoEndpoints());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("login --profile ui-dev"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace brock::e2e
