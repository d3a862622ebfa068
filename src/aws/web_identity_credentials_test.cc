#include "aws/web_identity_credentials.h"

#include <gtest/gtest.h>

#include "testing/emulated_aws.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

class WebIdentityTest : public ::testing::Test {
 protected:
  WebIdentityTest() : sts_(env_), http_(MakeCurlHttpClient()) {}
  StsClient Client() {
    return StsClient(env_, *http_, StsEndpoint{sts_.url(), "us-east-1", "test"});
  }
  void SetConfig(const std::string& text) {
    auto parsed = ParseAwsConfig(text, "", "/home/user/.aws/config", "/home/user/.aws/credentials");
    ASSERT_TRUE(parsed.ok());
    config_ = std::move(parsed).value();
  }
  testing::FakeEnv env_;
  testing::EmulatedAws sts_;
  std::unique_ptr<HttpClient> http_;
  AwsConfig config_;
};

TEST_F(WebIdentityTest, EnvironmentConfigurationExchangesTheToken) {
  env_.files["/var/run/secrets/eks/token"] = "eyJhbGciOiJSUzI1NiJ9.payload.sig\n";
  env_.vars["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/var/run/secrets/eks/token";
  env_.vars["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/pod";
  SetConfig("");
  auto c = FindWebIdentityConfig(env_, config_, "default", true);
  ASSERT_TRUE(c.has_value());
  WebIdentityCredentialProvider p(env_, Client(), *c);
  auto r = p.Load();
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ((*r)->account_id, "123456789012");
  auto call = sts_.calls().at(0);
  EXPECT_FALSE(call.signed_request);
  EXPECT_EQ(call.params["WebIdentityToken"], "eyJhbGciOiJSUzI1NiJ9.payload.sig");
  EXPECT_EQ(call.params["RoleSessionName"], "brock-" + std::to_string(Clock::to_time_t(env_.now)));

  // The token file is read again on every load (the kubelet rotates it).
  env_.files["/var/run/secrets/eks/token"] = "rotated.token.value";
  ASSERT_TRUE(p.Load().ok());
  EXPECT_EQ(sts_.calls().at(1).params["WebIdentityToken"], "rotated.token.value");
}

TEST_F(WebIdentityTest, EachKeyPrefersTheEnvironment) {
  env_.files["/p/token"] = "profile.token.value";
  SetConfig(
      "[profile ci]\nweb_identity_token_file = /p/token\nrole_arn = "
      "arn:aws:iam::111111111111:role/profile\n"
      "role_session_name = from-profile\n");
  env_.vars["AWS_ROLE_ARN"] = "arn:aws:iam::111111111111:role/env";
  auto c = FindWebIdentityConfig(env_, config_, "ci", true);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->token_file, "/p/token");
  EXPECT_EQ(c->role_arn, "arn:aws:iam::111111111111:role/env");
  EXPECT_EQ(c->role_session_name, "from-profile");
  EXPECT_EQ(c->profile, "ci");
  auto no_env = FindWebIdentityConfig(env_, config_, "ci", false);
  EXPECT_EQ(no_env->role_arn, "arn:aws:iam::111111111111:role/profile");
  EXPECT_FALSE(FindWebIdentityConfig(env_, config_, "other", false).has_value());
}

TEST_F(WebIdentityTest, Errors) {
  SetConfig("[profile ci]\nweb_identity_token_file = /missing/token\n");
  auto c = FindWebIdentityConfig(env_, config_, "ci", false);
  ASSERT_TRUE(c.has_value());
  {
    WebIdentityCredentialProvider p(env_, Client(), *c);
    EXPECT_EQ(p.Load().error().code, "webidentity.no_role_arn");
  }
  c->role_arn = "arn:aws:iam::111111111111:role/ci";
  {
    WebIdentityCredentialProvider p(env_, Client(), *c);
    auto r = p.Load();
    EXPECT_EQ(r.error().code, "webidentity.token_unreadable");
    EXPECT_NE(r.error().message.find("/missing/token"), std::string::npos);
  }
  env_.files["/missing/token"] = "valid.jwt.token";
  c->role_arn = "arn:aws:iam::111111111111:role/denied";
  sts_.DenyRole(c->role_arn);
  WebIdentityCredentialProvider p(env_, Client(), *c);
  auto r = p.Load();
  EXPECT_EQ(r.error().code, "sts.access_denied");
  EXPECT_NE(r.error().message.find("arn:aws:iam::111111111111:role/denied"), std::string::npos);
  EXPECT_EQ(r.error().message.find("valid.jwt.token"), std::string::npos);
}

}  // namespace
}  // namespace brock
