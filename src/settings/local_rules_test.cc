#include "settings/local_rules.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/json.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

using testing::FakeEnv;

constexpr char kFile[] = "/home/user/repo/.claude/settings.local.json";

TEST(LocalRules, CreatesTheFileWithTheRule) {
  FakeEnv env;
  ASSERT_TRUE(AddLocalAllowRule(env, "/home/user/repo", "Bash(npm run build)").ok());
  Json j = Json::parse(env.files.at(kFile));
  EXPECT_EQ(j["permissions"]["allow"], Json::array({"Bash(npm run build)"}));
}

TEST(LocalRules, KeepsEverythingElseAndDoesNotDuplicate) {
  FakeEnv env;
  env.files[kFile] = R"j({"env": {"AWS_PROFILE": "dev"},
 "permissions": {"allow": ["Read(./x)"], "deny": ["Bash(rm:*)"]}})j";
  ASSERT_TRUE(AddLocalAllowRule(env, "/home/user/repo", "Bash(make)").ok());
  ASSERT_TRUE(AddLocalAllowRule(env, "/home/user/repo", "Bash(make)").ok());
  Json j = Json::parse(env.files.at(kFile));
  EXPECT_EQ(j["env"]["AWS_PROFILE"], "dev");
  EXPECT_EQ(j["permissions"]["deny"], Json::array({"Bash(rm:*)"}));
  EXPECT_EQ(j["permissions"]["allow"], Json::array({"Read(./x)", "Bash(make)"}));
}

TEST(LocalRules, ABrokenFileIsLeftAloneWithAClearError) {
  FakeEnv env;
  env.files[kFile] = R"({"permissions": {"allow": "Bash"}})";
  Status st = AddLocalAllowRule(env, "/home/user/repo", "Bash(make)");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "settings.invalid");
  EXPECT_NE(st.error().message.find("permissions.allow"), std::string::npos);
  EXPECT_FALSE(st.error().fix.empty());
  EXPECT_EQ(env.files.at(kFile), R"({"permissions": {"allow": "Bash"}})");
  env.files[kFile] = "{ not json";
  st = AddLocalAllowRule(env, "/home/user/repo", "Bash(make)");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(env.files.at(kFile), "{ not json");
}

TEST(LocalRules, TheGitRootHoldsTheRulesButNeverHome) {
  FakeEnv env;
  env.files["/home/user/repo/.git/HEAD"] = "ref: refs/heads/main\n";
  EXPECT_EQ(LocalRulesDir(env, "/home/user/repo/src/lib"), "/home/user/repo");
  EXPECT_EQ(LocalRulesDir(env, "/home/user/other/dir"), "/home/user/other/dir");
  env.files["/home/user/.git/HEAD"] = "x";
  EXPECT_EQ(LocalRulesDir(env, "/home/user/notrepo"), "/home/user/notrepo");
}

}  // namespace
}  // namespace brock
