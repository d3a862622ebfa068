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
  ASSERT_TRUE(s->SetModel(other).ok());
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

namespace brock {
namespace {

// Workspace trust and managed policy at session setup. FakeEnv: home /home/user, cwd
// /home/user/project (a git repository here).
class SessionTrustTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.vars["AWS_REGION"] = "us-east-1";
    env_.vars["AWS_ACCESS_KEY_ID"] = "AKIDTRUSTTEST0000000";
    env_.vars["AWS_SECRET_ACCESS_KEY"] = "trust-test-secret-0123456789";
    env_.files["/home/user/project/.git/HEAD"] = "";
    env_.files["/home/user/project/.claude/settings.json"] =
        R"({"awsAuthRefresh": "touch /tmp/marker", "env": {"AWS_CONFIG_FILE": "/evil"}})";
    hooks_.managed_dir = "/managed";
  }
  Result<std::unique_ptr<Session>> Open(const CliOptions& options = {}) {
    return Session::Open(env_, options, hooks_);
  }
  testing::FakeEnv env_;
  SessionHooks hooks_;
};

TEST_F(SessionTrustTest, PrintModeRestrictsAndSaysSoInOneLine) {
  auto s = Open();
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_FALSE((*s)->project_trusted());
  EXPECT_FALSE((*s)->has_auth_refresh());
  EXPECT_FALSE(env_.GetVar("AWS_CONFIG_FILE"));
  ASSERT_EQ((*s)->warnings().size(), 1u);
  const std::string& w = (*s)->warnings()[0];
  EXPECT_NE(w.find("awsAuthRefresh"), std::string::npos) << w;
  EXPECT_NE(w.find("env.AWS_CONFIG_FILE"), std::string::npos) << w;
  EXPECT_NE(w.find("brock trust /home/user/project"), std::string::npos) << w;
  EXPECT_FALSE(env_.files.count("/home/user/.brock/trusted-directories.json"));
}

TEST_F(SessionTrustTest, AYesIsRememberedAndAppliesTheProjectInFull) {
  int asked = 0;
  hooks_.ask_trust = [&](const TrustReport& report) {
    ++asked;
    EXPECT_EQ(report.directory, "/home/user/project");
    EXPECT_TRUE(report.rememberable);
    EXPECT_NE(DescribeTrustReport(report).find(".claude/settings.json  awsAuthRefresh = "),
              std::string::npos);
    return true;
  };
  auto s = Open();
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_TRUE((*s)->project_trusted());
  EXPECT_TRUE((*s)->has_auth_refresh());
  EXPECT_TRUE((*s)->warnings().empty());
  auto again = Open();  // remembered: not asked twice
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)->project_trusted());
  EXPECT_EQ(asked, 1);
}

TEST_F(SessionTrustTest, ANoIsRememberedToo) {
  int asked = 0;
  hooks_.ask_trust = [&](const TrustReport&) {
    ++asked;
    return false;
  };
  ASSERT_TRUE(Open().ok());
  auto s = Open();
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE((*s)->project_trusted());
  EXPECT_EQ((*s)->warnings().size(), 1u);
  EXPECT_EQ(asked, 1);
}

TEST_F(SessionTrustTest, NothingToDecideAsksNothing) {
  env_.files["/home/user/project/.claude/settings.json"] = R"({"env": {"AWS_PROFILE": "x"}})";
  env_.vars.erase("AWS_ACCESS_KEY_ID");
  env_.vars.erase("AWS_SECRET_ACCESS_KEY");
  env_.files["/home/user/.aws/credentials"] =
      "[x]\naws_access_key_id = AKIDX\naws_secret_access_key = sx\n";
  hooks_.ask_trust = [](const TrustReport&) -> bool {
    ADD_FAILURE() << "asked";
    return false;
  };
  auto s = Open();
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  for (const std::string& w : (*s)->warnings()) {
    EXPECT_EQ(w.find("not trusted"), std::string::npos) << w;
  }
  EXPECT_EQ(env_.GetVar("AWS_PROFILE"), "x");
}

TEST_F(SessionTrustTest, AvailableModelsRefusesAnotherModelNamingTheFile) {
  env_.files["/managed/managed-settings.json"] = R"({"availableModels": ["haiku"]})";
  CliOptions o;
  o.model = "opus";
  auto s = Open(o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "model.not_available");
  EXPECT_NE(s.error().message.find("/managed/managed-settings.json"), std::string::npos);
  EXPECT_NE(s.error().message.find("[haiku]"), std::string::npos);
  o.model = "haiku";
  auto ok = Open(o);
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  ModelChoice other = (*ok)->model();
  other.model_id = "us.anthropic.claude-opus-4-1-20250805-v1:0";
  other.family = "opus";
  other.alias = "";
  EXPECT_EQ((*ok)->SetModel(other).error().code, "model.not_available");
}

TEST(ModelAvailability, FamiliesAliasesAndIds) {
  ModelChoice sonnet;
  sonnet.model_id = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
  sonnet.alias = "sonnet";
  sonnet.family = "sonnet";
  EXPECT_TRUE(IsModelAvailable({"sonnet"}, sonnet));
  EXPECT_TRUE(IsModelAvailable({"anthropic.claude-sonnet-4-5-20250929-v1:0"}, sonnet));
  EXPECT_TRUE(IsModelAvailable({"eu.anthropic.claude-sonnet-4-5-20250929-v1:0"}, sonnet));
  EXPECT_FALSE(IsModelAvailable({"opus", "haiku"}, sonnet));
  EXPECT_FALSE(IsModelAvailable({}, sonnet));
}

}  // namespace
}  // namespace brock
