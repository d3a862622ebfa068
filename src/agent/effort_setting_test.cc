#include "agent/effort_setting.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/fake_env.h"

namespace brock {
namespace {

using testing::FakeEnv;

TEST(EffortSettingTest, TheModelsDefaultWhenNothingSaysOtherwise) {
  FakeEnv env;
  EffortChoice c = ChooseEffort(env, Json(), "");
  EXPECT_EQ(c.level, "");
  EXPECT_EQ(c.warning, "");
}

TEST(EffortSettingTest, TheVariableWinsThenTheFlagThenTheSettings) {
  FakeEnv env;
  Json settings = {{"effortLevel", "medium"}};
  EXPECT_EQ(ChooseEffort(env, settings, "").level, "medium");
  EXPECT_EQ(ChooseEffort(env, settings, "").source, "effortLevel");
  EXPECT_EQ(ChooseEffort(env, settings, "low").level, "low");
  EXPECT_EQ(ChooseEffort(env, settings, "low").source, "--effort");
  env.SetVar("CLAUDE_CODE_EFFORT_LEVEL", "max", "test");
  EXPECT_EQ(ChooseEffort(env, settings, "low").level, "max");
  EXPECT_EQ(ChooseEffort(env, settings, "low").source, "CLAUDE_CODE_EFFORT_LEVEL");
  // auto: the model's default, over the flag and the settings.
  env.SetVar("CLAUDE_CODE_EFFORT_LEVEL", "auto", "test");
  EXPECT_EQ(ChooseEffort(env, settings, "low").level, "");
}

TEST(EffortSettingTest, UltracodeIsXhigh) {
  FakeEnv env;
  EXPECT_EQ(ChooseEffort(env, Json(), "ultracode").level, "xhigh");
  Json settings = {{"ultracode", true}, {"effortLevel", "low"}};
  EXPECT_EQ(ChooseEffort(env, settings, "").level, "xhigh");
  EXPECT_EQ(ChooseEffort(env, settings, "").source, "ultracode");
  EXPECT_EQ(ChooseEffort(env, settings, "medium").level, "medium");
}

TEST(EffortSettingTest, UnusableValuesWarnAndFallThrough) {
  FakeEnv env;
  env.SetVar("CLAUDE_CODE_EFFORT_LEVEL", "extreme", "test");
  EffortChoice c = ChooseEffort(env, Json{{"effortLevel", "high"}}, "");
  EXPECT_EQ(c.level, "high");
  EXPECT_NE(c.warning.find("CLAUDE_CODE_EFFORT_LEVEL=extreme"), std::string::npos);
  // The setting does not take max (only the variable and the flag do).
  FakeEnv clean;
  c = ChooseEffort(clean, Json{{"effortLevel", "max"}}, "");
  EXPECT_EQ(c.level, "");
  EXPECT_NE(c.warning.find("effortLevel"), std::string::npos);
  c = ChooseEffort(clean, Json{{"effortLevel", 3}}, "");
  EXPECT_EQ(c.level, "");
  EXPECT_FALSE(c.warning.empty());
}

}  // namespace
}  // namespace brock
