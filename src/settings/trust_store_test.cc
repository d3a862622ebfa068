#include "settings/trust_store.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/json.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

class TrustStoreTest : public ::testing::Test {
 protected:
  TrustState State(const std::string& dir) {
    auto d = LookUpTrust(env_, dir);
    EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().ToString());
    return d.ok() ? d->state : TrustState::kUnknown;
  }
  testing::FakeEnv env_;  // home /home/user
};

TEST_F(TrustStoreTest, UnknownUntilDecided) {
  EXPECT_EQ(State("/home/user/src/app"), TrustState::kUnknown);
  EXPECT_FALSE(env_.files.count("/home/user/.brock/trusted-directories.json"));
}

TEST_F(TrustStoreTest, TrustCoversSubdirectoriesButNotSiblings) {
  ASSERT_TRUE(RecordTrust(env_, "/home/user/src/app", true).ok());
  EXPECT_EQ(State("/home/user/src/app"), TrustState::kTrusted);
  EXPECT_EQ(State("/home/user/src/app/lib/deep"), TrustState::kTrusted);
  EXPECT_EQ(State("/home/user/src/app2"), TrustState::kUnknown);
  EXPECT_EQ(State("/home/user/src"), TrustState::kUnknown);
}

TEST_F(TrustStoreTest, TheNearestDecisionWins) {
  ASSERT_TRUE(RecordTrust(env_, "/home/user/src", true).ok());
  ASSERT_TRUE(RecordTrust(env_, "/home/user/src/vendor", false).ok());
  EXPECT_EQ(State("/home/user/src/app"), TrustState::kTrusted);
  EXPECT_EQ(State("/home/user/src/vendor/x"), TrustState::kDeclined);
}

TEST_F(TrustStoreTest, StoreIsPrivateJsonInBrockHome) {
  env_.vars["BROCK_HOME"] = "/state";
  ASSERT_TRUE(RecordTrust(env_, "/home/user/app", true).ok());
  const std::string path = "/state/trusted-directories.json";
  ASSERT_TRUE(env_.files.count(path));
  EXPECT_EQ(env_.modes[path], 0600u);
  Json j = Json::parse(env_.files[path]);
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["directories"]["/home/user/app"]["trusted"], true);
  EXPECT_EQ(j["directories"]["/home/user/app"]["decided_at"], "2026-01-01T00:00:00Z");
}

TEST_F(TrustStoreTest, HomeAndItsAncestorsCannotBeRemembered) {
  for (const char* dir : {"/home/user", "/home", "/", "/home/user/"}) {
    Status s = RecordTrust(env_, dir, true);
    ASSERT_FALSE(s.ok()) << dir;
    EXPECT_EQ(s.error().code, "trust.not_rememberable");
    EXPECT_FALSE(CanRememberTrust(env_, dir)) << dir;
  }
  EXPECT_TRUE(CanRememberTrust(env_, "/home/user/app"));
  EXPECT_TRUE(CanRememberTrust(env_, "/opt/app"));
  EXPECT_TRUE(CanRememberTrust(env_, "/home/username"));
}

TEST_F(TrustStoreTest, ForgetAndList) {
  ASSERT_TRUE(RecordTrust(env_, "/home/user/a", true).ok());
  ASSERT_TRUE(RecordTrust(env_, "/home/user/b", false).ok());
  auto all = ListTrust(env_);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, (std::map<std::string, bool>{{"/home/user/a", true}, {"/home/user/b", false}}));
  auto forgot = ForgetTrust(env_, "/home/user/a");
  ASSERT_TRUE(forgot.ok());
  EXPECT_TRUE(*forgot);
  EXPECT_EQ(State("/home/user/a"), TrustState::kUnknown);
  EXPECT_FALSE(*ForgetTrust(env_, "/home/user/a"));
}

TEST_F(TrustStoreTest, ACorruptStoreIsAnErrorNamingTheFile) {
  env_.files["/home/user/.brock/trusted-directories.json"] = "{not json";
  auto d = LookUpTrust(env_, "/home/user/app");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, "trust.store_corrupt");
  EXPECT_NE(d.error().message.find("trusted-directories.json"), std::string::npos);
  EXPECT_FALSE(RecordTrust(env_, "/home/user/app", true).ok());  // never overwritten blindly
}

TEST_F(TrustStoreTest, TheGoverningDirectoryIsTheGitRootThenTheProjectRoot) {
  EXPECT_EQ(TrustDirectoryFor("/r/sub", {"/r/sub", "/r"}), "/r");
  EXPECT_EQ(TrustDirectoryFor("/r/sub", {"/r", ""}), "/r");
  EXPECT_EQ(TrustDirectoryFor("/r/sub", {"", ""}), "/r/sub");
}

}  // namespace
}  // namespace brock
