#include "aws/credential_chain.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "testing/fake_env.h"

namespace brock {
namespace {

using namespace std::chrono_literals;

// A provider whose answer a test sets; counts its loads.
class ScriptedProvider : public CredentialProvider {
 public:
  explicit ScriptedProvider(std::string name) : name_(std::move(name)) {}
  std::string name() const override { return name_; }
  Result<std::optional<Credentials>> Load() override {
    ++loads;
    if (error) return *error;
    if (!creds) return std::optional<Credentials>();
    Credentials c = *creds;
    c.access_key_id += std::to_string(loads);  // each load is distinguishable
    return std::optional<Credentials>(c);
  }

  std::optional<Credentials> creds;
  std::optional<Error> error;
  std::atomic<int> loads{0};

 private:
  std::string name_;
};

Credentials Keys(std::optional<Clock::time_point> expiration = std::nullopt) {
  Credentials c;
  c.access_key_id = "AKID";
  c.secret_access_key = "secret-0123456789";
  c.expiration = expiration;
  c.source = "scripted";
  return c;
}

class CredentialChainTest : public ::testing::Test {
 protected:
  // Builds a chain of providers named `names`; `providers_` points at them.
  std::unique_ptr<CredentialChain> Chain(std::vector<std::string> names) {
    std::vector<std::unique_ptr<CredentialProvider>> list;
    providers_.clear();
    for (auto& n : names) {
      auto p = std::make_unique<ScriptedProvider>(n);
      providers_.push_back(p.get());
      list.push_back(std::move(p));
    }
    return std::make_unique<CredentialChain>(env_, std::move(list));
  }

  testing::FakeEnv env_;
  std::vector<ScriptedProvider*> providers_;
};

TEST_F(CredentialChainTest, FirstProviderWithCredentialsWinsAndLaterOnesAreNotAsked) {
  auto chain = Chain({"environment variables", "profile dev", "container"});
  providers_[1]->creds = Keys();
  providers_[2]->creds = Keys();
  auto c = chain->Get();
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->access_key_id, "AKID1");
  EXPECT_EQ(providers_[0]->loads, 1);
  EXPECT_EQ(providers_[1]->loads, 1);
  EXPECT_EQ(providers_[2]->loads, 0);
}

TEST_F(CredentialChainTest, CachesUntilFiveMinutesBeforeExpiry) {
  auto chain = Chain({"sso"});
  Clock::time_point expiry = env_.now + 1h;
  providers_[0]->creds = Keys(expiry);
  ASSERT_EQ(chain->Get()->access_key_id, "AKID1");
  env_.now = expiry - 5min - 1s;
  ASSERT_EQ(chain->Get()->access_key_id, "AKID1");
  EXPECT_EQ(providers_[0]->loads, 1);
  env_.now = expiry - 5min;
  ASSERT_EQ(chain->Get()->access_key_id, "AKID2");
  EXPECT_EQ(providers_[0]->loads, 2);
}

TEST_F(CredentialChainTest, CredentialsExpiringWithinFiveMinutesAreReloadedEveryTime) {
  auto chain = Chain({"sso"});
  providers_[0]->creds = Keys(env_.now + 2min);
  ASSERT_TRUE(chain->Get().ok());
  ASSERT_TRUE(chain->Get().ok());
  EXPECT_EQ(providers_[0]->loads, 2);
}

TEST_F(CredentialChainTest, CredentialsWithoutExpiryAreCachedForAnHour) {
  auto chain = Chain({"profile default"});
  providers_[0]->creds = Keys();
  Clock::time_point start = env_.now;
  ASSERT_EQ(chain->Get()->access_key_id, "AKID1");
  env_.now = start + 59min;
  ASSERT_EQ(chain->Get()->access_key_id, "AKID1");
  env_.now = start + 1h;
  ASSERT_EQ(chain->Get()->access_key_id, "AKID2");
  // The new hour starts from the reload.
  env_.now = start + 1h + 59min;
  ASSERT_EQ(chain->Get()->access_key_id, "AKID2");
  EXPECT_EQ(providers_[0]->loads, 2);
}

TEST_F(CredentialChainTest, ForceRefreshReloads) {
  auto chain = Chain({"profile default"});
  providers_[0]->creds = Keys();
  ASSERT_EQ(chain->Get()->access_key_id, "AKID1");
  ASSERT_EQ(chain->Get(/*force_refresh=*/true)->access_key_id, "AKID2");
  ASSERT_EQ(chain->Get()->access_key_id, "AKID2");
  EXPECT_EQ(providers_[0]->loads, 2);
}

TEST_F(CredentialChainTest, AnErrorStopsTheChain) {
  auto chain = Chain({"environment variables", "profile dev", "imds"});
  providers_[1]->error = MakeError(
      "profile.incomplete_keys", "profile dev has aws_access_key_id but no aws_secret_access_key");
  providers_[2]->creds = Keys();
  auto c = chain->Get();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, "profile.incomplete_keys");
  EXPECT_EQ(providers_[2]->loads, 0);
}

TEST_F(CredentialChainTest, ErrorsAreNotCached) {
  auto chain = Chain({"sso"});
  providers_[0]->error = MakeError("sso.login_required", "log in");
  ASSERT_FALSE(chain->Get().ok());
  providers_[0]->error.reset();
  providers_[0]->creds = Keys();
  auto c = chain->Get();
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(providers_[0]->loads, 2);
}

TEST_F(CredentialChainTest, FailedForceRefreshDropsTheCachedCredentials) {
  auto chain = Chain({"sso"});
  providers_[0]->creds = Keys();
  ASSERT_TRUE(chain->Get().ok());
  providers_[0]->error = MakeError("sso.login_required", "log in");
  ASSERT_FALSE(chain->Get(true).ok());
  // The stale value is gone: the next Get asks again.
  EXPECT_FALSE(chain->Get().ok());
  EXPECT_EQ(providers_[0]->loads, 3);
}

TEST_F(CredentialChainTest, NothingFoundListsEveryProviderTried) {
  auto chain = Chain({"environment variables", "profile default", "container credentials",
                      "EC2 instance metadata"});
  auto c = chain->Get();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, "credentials.missing");
  EXPECT_NE(
      c.error().message.find(
          "environment variables; profile default; container credentials; EC2 instance metadata"),
      std::string::npos)
      << c.error().message;
  EXPECT_NE(c.error().fix.find("AWS_PROFILE"), std::string::npos) << c.error().fix;
  EXPECT_NE(c.error().fix.find("AWS_BEARER_TOKEN_BEDROCK"), std::string::npos) << c.error().fix;
}

TEST_F(CredentialChainTest, EmptyChainReportsMissingCredentials) {
  auto chain = Chain({});
  auto c = chain->Get();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, "credentials.missing");
}

TEST_F(CredentialChainTest, ConcurrentCallersShareOneLoad) {
  auto chain = Chain({"sso"});
  providers_[0]->creds = Keys(env_.now + 1h);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto c = chain->Get();
      if (c.ok() && c->access_key_id == "AKID1") ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 8);
  EXPECT_EQ(providers_[0]->loads, 1);
}

}  // namespace
}  // namespace brock
