#include "aws/default_chain.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>

#include "testing/fake_env.h"

namespace brock {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// No network in these tests: the chain must be satisfied by files and variables.
class NoHttp : public HttpClient {
 public:
  Result<HttpResponse> Send(const HttpRequest& request, const BodySink&) override {
    ++sent;
    return MakeError("net.connect", "no network in this test: " + request.url);
  }
  int sent = 0;
};

class NoProcesses : public ProcessRunner {
 public:
  Result<ProcessResult> Run(const ProcessSpec&, const std::atomic<bool>*) override {
    return MakeError("process.start", "no processes in this test");
  }
};

class DefaultChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.files[env_.home + "/.aws/config"] =
        "[default]\nregion = eu-west-3\n[profile dev]\nregion = us-west-2\n";
    env_.files[env_.home + "/.aws/credentials"] =
        "[default]\n"
        "aws_access_key_id = AKIDDEFAULT000000000\n"
        "aws_secret_access_key = default-secret-key-0123456789\n"
        "[dev]\n"
        "aws_access_key_id = AKIDDEVPROFILE000000\n"
        "aws_secret_access_key = dev-profile-secret-key-0123456789\n";
  }

  DefaultChainOptions Options(const std::string& profile, bool explicit_selection) {
    DefaultChainOptions o;
    o.profile = profile;
    o.profile_explicit = explicit_selection;
    return o;
  }

  std::unique_ptr<ReloadableCredentials> Make(DefaultChainOptions o) {
    auto config = LoadAwsConfig(env_);
    EXPECT_TRUE(config.ok());
    auto made = ReloadableCredentials::Create(env_, *config, [this, o](const AwsConfig& cfg) {
      return BuildDefaultCredentialChain(env_, http_, runner_, cfg, o);
    });
    if (!made.ok()) {
      ADD_FAILURE() << made.error().ToString();
      return nullptr;
    }
    return std::move(made).value();
  }

  testing::FakeEnv env_;
  NoHttp http_;
  NoProcesses runner_;
};

TEST_F(DefaultChainTest, EnvironmentKeysWinWithoutAnExplicitProfile) {
  env_.vars["AWS_ACCESS_KEY_ID"] = "AKIDFROMENVIRONMENT0";
  env_.vars["AWS_SECRET_ACCESS_KEY"] = "env-secret-key-0123456789";
  auto c = Make(Options("default", false));
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->warnings().empty());
  auto creds = c->Get();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(creds->access_key_id, "AKIDFROMENVIRONMENT0");
}

TEST_F(DefaultChainTest, FallsBackToTheDefaultProfile) {
  auto c = Make(Options("default", false));
  ASSERT_TRUE(c);
  auto creds = c->Get();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(creds->access_key_id, "AKIDDEFAULT000000000");
  EXPECT_EQ(http_.sent, 0);
}

TEST_F(DefaultChainTest, ExplicitProfileWithEnvKeysWarnsAndUsesTheProfile) {
  env_.vars["AWS_PROFILE"] = "dev";
  env_.vars["AWS_ACCESS_KEY_ID"] = "AKIDSTALEKEY00000000";
  env_.vars["AWS_SECRET_ACCESS_KEY"] = "stale-secret-key-0123456789";
  env_.origins["AWS_ACCESS_KEY_ID"] = "/home/user/.claude/settings.json";
  auto c = Make(Options("dev", true));
  ASSERT_TRUE(c);
  ASSERT_EQ(c->warnings().size(), 1u);
  const std::string& w = c->warnings()[0];
  EXPECT_TRUE(Has(w, "AWS_ACCESS_KEY_ID")) << w;
  EXPECT_TRUE(Has(w, "AWS_SECRET_ACCESS_KEY")) << w;
  EXPECT_TRUE(Has(w, "AWS_PROFILE=dev")) << w;
  EXPECT_TRUE(Has(w, "/home/user/.claude/settings.json")) << w;
  EXPECT_TRUE(Has(w, "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY")) << w;
  EXPECT_FALSE(Has(w, "stale-secret-key")) << w;
  auto creds = c->Get();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(creds->access_key_id, "AKIDDEVPROFILE000000");
}

TEST_F(DefaultChainTest, ExplicitProfileWithOnlyASessionTokenDoesNotWarn) {
  env_.vars["AWS_PROFILE"] = "dev";
  env_.vars["AWS_SESSION_TOKEN"] = "lonely-token-0123456789";
  auto c = Make(Options("dev", true));
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->warnings().empty());
}

TEST_F(DefaultChainTest, AnExplicitProfileThatDoesNotExistFailsNamingIt) {
  env_.vars["AWS_ACCESS_KEY_ID"] = "AKIDFROMENVIRONMENT0";  // ignored: the profile was chosen
  env_.vars["AWS_SECRET_ACCESS_KEY"] = "env-secret-key-0123456789";
  auto c = Make(Options("nosuch", true));
  ASSERT_TRUE(c);
  auto creds = c->Get();
  ASSERT_FALSE(creds.ok()) << "an explicitly selected profile must not fall through to other keys";
  EXPECT_TRUE(Has(creds.error().message, "nosuch")) << creds.error().message;
  EXPECT_EQ(http_.sent, 0);
}

TEST_F(DefaultChainTest, ReloadReadsTheFilesAgainAndReplacesTheChain) {
  auto c = Make(Options("dev", true));
  ASSERT_TRUE(c);
  auto before = c->Get();
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->access_key_id, "AKIDDEVPROFILE000000");
  std::shared_ptr<const AwsConfig> old_config = c->config();
  // A login rewrote the credentials file.
  env_.files[env_.home + "/.aws/credentials"] =
      "[dev]\naws_access_key_id = AKIDREFRESHED0000000\naws_secret_access_key = "
      "refreshed-secret-0123456789\n";
  // The cached credentials stay until the chain is replaced.
  EXPECT_EQ(c->Get()->access_key_id, "AKIDDEVPROFILE000000");
  Status reloaded = c->Reload();
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().ToString();
  auto after = c->Get();
  ASSERT_TRUE(after.ok()) << after.error().ToString();
  EXPECT_EQ(after->access_key_id, "AKIDREFRESHED0000000");
  // The old reading is untouched (no in-place swap) and still alive while referenced.
  EXPECT_NE(old_config.get(), c->config().get());
  EXPECT_EQ(old_config->Get("dev", "aws_access_key_id"), "AKIDDEVPROFILE000000");
  EXPECT_EQ(c->config()->Get("dev", "aws_access_key_id"), "AKIDREFRESHED0000000");
}

TEST_F(DefaultChainTest, ABrokenFileOnReloadKeepsTheWorkingChain) {
  auto c = Make(Options("dev", true));
  ASSERT_TRUE(c);
  env_.files[env_.home + "/.aws/config"] = "[profile dev\nregion = us-west-2\n";
  Status reloaded = c->Reload();
  ASSERT_FALSE(reloaded.ok());
  auto creds = c->Get();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(creds->access_key_id, "AKIDDEVPROFILE000000");
}

TEST_F(DefaultChainTest, ConcurrentGetsDuringAReloadSeeOneChainOrTheOther) {
  auto c = Make(Options("dev", true));
  ASSERT_TRUE(c);
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::thread reader([&] {
    while (!stop) {
      auto creds = c->Get();
      if (!creds.ok()) ++bad;
    }
  });
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(c->Reload().ok());
  stop = true;
  reader.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace brock
