#include "cli/session.h"

#include <gtest/gtest.h>

#include <string>

#include "testing/fake_env.h"

namespace brock {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.files[env_.home + "/.aws/config"] =
        "[default]\nregion = eu-west-3\n[profile dev]\nregion = us-west-2\n";
    env_.files[env_.home + "/.aws/credentials"] =
        "[dev]\n"
        "aws_access_key_id = AKIDDEVPROFILE000000\n"
        "aws_secret_access_key = dev-profile-secret-key-0123456789\n";
  }
  std::unique_ptr<Session> OpenOk(const CliOptions& options = {}) {
    auto s = Session::Open(env_, options);
    if (!s.ok()) {
      ADD_FAILURE() << s.error().ToString();
      return nullptr;
    }
    return std::move(s).value();
  }
  testing::FakeEnv env_;
};

TEST_F(SessionTest, EveryValueCarriesItsSource) {
  env_.vars["AWS_PROFILE"] = "dev";
  env_.origins["AWS_PROFILE"] = "/home/user/.claude/settings.json";
  env_.vars["ANTHROPIC_MODEL"] = "haiku";
  auto s = OpenOk();
  ASSERT_TRUE(s);
  const Provenance& p = s->provenance();
  EXPECT_EQ(p.profile.value, "dev");
  EXPECT_TRUE(Has(p.profile.origin, "AWS_PROFILE")) << p.profile.origin;
  EXPECT_TRUE(Has(p.profile.origin, "settings.json")) << p.profile.origin;
  EXPECT_EQ(p.region.value, "us-west-2");
  EXPECT_TRUE(Has(p.region.origin, "dev")) << p.region.origin;
  EXPECT_TRUE(Has(p.endpoint.value, "bedrock-runtime.us-west-2")) << p.endpoint.value;
  EXPECT_TRUE(Has(p.model.value, "haiku")) << p.model.value;
  EXPECT_TRUE(Has(p.model.origin, "ANTHROPIC_MODEL")) << p.model.origin;
  EXPECT_EQ(p.auth.value, "profile dev");
  ASSERT_NE(s->credentials(), nullptr);
  auto creds = s->credentials()->Get();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(creds->access_key_id, "AKIDDEVPROFILE000000");
}

TEST_F(SessionTest, ModelOriginReachesTheRuntimesErrorContextFromTheStart) {
  env_.vars["AWS_REGION"] = "us-east-1";
  CliOptions o;
  o.model = "opus";
  auto s = OpenOk(o);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->provenance().model.origin, "--model");
  ModelChoice other = s->model();
  other.model_id = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
  other.origin = "/model";
  s->SetModel(other);
  EXPECT_EQ(s->model().model_id, other.model_id);
  EXPECT_EQ(s->provenance().model.origin, "/model");
}

TEST_F(SessionTest, NoRegionFailsBeforeAnyRequestWithTheFix) {
  env_.files.clear();
  auto s = Session::Open(env_, CliOptions{});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "region.missing");
  EXPECT_TRUE(Has(s.error().fix, "AWS_REGION")) << s.error().fix;
}

TEST_F(SessionTest, TheAwsDepthNeedsNoRegion) {
  env_.files.erase(env_.home + "/.aws/config");
  auto s = Session::Open(env_, CliOptions{}, {}, Session::Depth::kAws);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_NE((*s)->aws_config()->Find("dev"), nullptr);
}

TEST_F(SessionTest, ApiKeySessionsHaveNoAwsCredentials) {
  env_.vars["AWS_REGION"] = "us-east-1";
  env_.vars["AWS_BEARER_TOKEN_BEDROCK"] = "ABSKQmVkcm9ja0FQSUtleS1zZXNzaW9uLXRlc3Q=";
  env_.files[env_.home + "/.claude/settings.json"] = R"({"awsAuthRefresh": "true"})";
  auto s = OpenOk();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->credentials(), nullptr);
  EXPECT_TRUE(Has(s->provenance().auth.value, "AWS_BEARER_TOKEN_BEDROCK"));
  EXPECT_FALSE(Has(s->provenance().auth.value, "ABSK"));
}

TEST_F(SessionTest, AuthRefreshRunsTheCommandThenReplacesTheChain) {
  env_.vars["AWS_PROFILE"] = "dev";
  env_.files[env_.home + "/.claude/settings.json"] = R"({"awsAuthRefresh": "true"})";
  auto s = OpenOk();
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->has_auth_refresh());
  EXPECT_EQ(s->credentials()->Get()->access_key_id, "AKIDDEVPROFILE000000");
  // The login (here the command `true`) rewrote the credentials file.
  env_.files[env_.home + "/.aws/credentials"] =
      "[dev]\naws_access_key_id = AKIDREFRESHED0000000\naws_secret_access_key = "
      "refreshed-secret-0123456789\n";
  Status st = s->RunAuthRefresh();
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  auto creds = s->credentials()->Get();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(creds->access_key_id, "AKIDREFRESHED0000000");
}

TEST_F(SessionTest, AFailingAuthRefreshSaysSoAndKeepsTheChain) {
  env_.vars["AWS_PROFILE"] = "dev";
  env_.files[env_.home + "/.claude/settings.json"] = R"({"awsAuthRefresh": "exit 3"})";
  auto s = OpenOk();
  ASSERT_TRUE(s);
  Status st = s->RunAuthRefresh();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "auth_refresh.failed");
  EXPECT_EQ(s->credentials()->Get()->access_key_id, "AKIDDEVPROFILE000000");
}

}  // namespace
}  // namespace brock
