#include "aws/region.h"

#include <gtest/gtest.h>

#include "base/strings.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

AwsConfig Config(const char* config_text, const char* creds_text = "") {
  auto c = ParseAwsConfig(config_text, creds_text, "/home/user/.aws/config",
                          "/home/user/.aws/credentials");
  EXPECT_TRUE(c.ok());
  return c.ok() ? *c : AwsConfig{};
}

TEST(Region, ValidNames) {
  for (const char* r :
       {"us-east-1", "us-gov-west-1", "cn-north-1", "eu-central-2", "ap-southeast-5",
        "il-central-1", "ca-west-1", "mx-central-1", "us-isob-east-1", "eu-isoe-west-1",
        "eusc-de-east-1", "ap-northeast-3", "me-central-1", "af-south-1", "sa-east-1"}) {
    EXPECT_TRUE(IsValidRegionName(r)) << r;
  }
  for (const char* r :
       {"", "us", "us-east", "us-east-1a", "US-EAST-1", " us-east-1", "us-east-1 ", "useast1",
        "us_east_1", "u-east-1", "us-east-123", "us--east-1", "us-east-", "-us-east-1", "us-1",
        "aws-global", "us-east-1/", "abcdefghijklmnopqrstuvwxyzab-east-1"}) {
    EXPECT_FALSE(IsValidRegionName(r)) << r;
  }
}

TEST(Region, EnvironmentFirstThenDefaultRegionThenProfile) {
  testing::FakeEnv env;
  AwsConfig cfg = Config("[profile ui-dev]\nregion = eu-west-1\n");
  auto r = ResolveRegion(env, cfg, "ui-dev");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->region, "eu-west-1");
  EXPECT_EQ(r->origin, "profile ui-dev in /home/user/.aws/config");

  env.vars["AWS_DEFAULT_REGION"] = "us-west-2";
  r = ResolveRegion(env, cfg, "ui-dev");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->region, "us-west-2");
  EXPECT_EQ(r->origin, "AWS_DEFAULT_REGION (from the shell environment)");

  env.SetVar("AWS_REGION", "us-east-1", "/home/user/.claude/settings.json");
  r = ResolveRegion(env, cfg, "ui-dev");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->region, "us-east-1");
  EXPECT_EQ(r->origin, "AWS_REGION (from /home/user/.claude/settings.json)");

  env.vars["AWS_REGION"] = "";  // empty counts as unset
  r = ResolveRegion(env, cfg, "ui-dev");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->region, "us-west-2");
}

TEST(Region, ProfileRegionFromCredentialsFileNamesThatFile) {
  testing::FakeEnv env;
  AwsConfig cfg = Config("", "[ci]\nregion = ap-southeast-5\n");
  auto r = ResolveRegion(env, cfg, "ci");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->origin, "profile ci in /home/user/.aws/credentials");
}

TEST(Region, MissingSaysWhatToDo) {
  testing::FakeEnv env;
  AwsConfig cfg = Config("[default]\noutput = json\n");
  auto r = ResolveRegion(env, cfg, "default");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "region.missing");
  EXPECT_TRUE(StartsWith(r.error().message, "Region error: AWS_REGION is not set"))
      << r.error().message;
  EXPECT_NE(r.error().message.find("profile default has no region"), std::string::npos);
  EXPECT_EQ(r.error().fix,
            "set AWS_REGION in the \"env\" block of ~/.claude/settings.json (e.g. \"AWS_REGION\": "
            "\"us-east-1\") "
            "or export AWS_REGION=us-east-1 in your shell, then run brock again");
  r = ResolveRegion(env, cfg, "nope");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("there is no profile nope"), std::string::npos);
}

TEST(Region, InvalidNamesValueAndSource) {
  testing::FakeEnv env;
  AwsConfig cfg;
  env.SetVar("AWS_REGION", "us-east-1a", "/repo/.claude/settings.json");
  auto r = ResolveRegion(env, cfg, "default");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "region.invalid");
  EXPECT_NE(r.error().message.find("\"us-east-1a\""), std::string::npos);
  EXPECT_NE(r.error().message.find("AWS_REGION (from /repo/.claude/settings.json)"),
            std::string::npos);
  EXPECT_NE(r.error().message.find("availability zone"), std::string::npos);
  EXPECT_EQ(r.error().fix, kRegionFix);

  env.vars["AWS_REGION"] = "US-EAST-1";
  r = ResolveRegion(env, cfg, "default");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("lower case"), std::string::npos);

  testing::FakeEnv env2;
  AwsConfig bad = Config("[profile x]\nregion = mars-1\n");
  r = ResolveRegion(env2, bad, "x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "region.invalid");
  EXPECT_NE(r.error().message.find("profile x in /home/user/.aws/config"), std::string::npos);
}

}  // namespace
}  // namespace brock
