#include "agent/thinking_setting.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/fake_env.h"

namespace brock {
namespace {

using testing::FakeEnv;

Json Always(bool on) { return Json{{"alwaysThinkingEnabled", on}}; }

TEST(ThinkingSettingTest, OnByDefaultWithTheFullBudget) {
  FakeEnv env;
  ThinkingChoice c = ChooseThinking(env, Json(), 32000, -1);
  EXPECT_EQ(c.budget_tokens, 31999);
  EXPECT_EQ(c.source, "default");
  EXPECT_EQ(c.warning, "");
  EXPECT_TRUE(c.adaptive);
  EXPECT_TRUE(c.interleaved);
  EXPECT_EQ(ChooseThinking(env, Always(true), 32000, -1).budget_tokens, 31999);
  EXPECT_EQ(ChooseThinking(env, Always(true), 64000, -1).budget_tokens, 63999);
}

TEST(ThinkingSettingTest, OffWithTheSettingOrTheDisableVariable) {
  FakeEnv env;
  EXPECT_EQ(ChooseThinking(env, Always(false), 32000, -1).budget_tokens, 0);
  env.SetVar("CLAUDE_CODE_DISABLE_THINKING", "1", "test");
  EXPECT_EQ(ChooseThinking(env, Json(), 32000, 4000).budget_tokens, 0);
}

TEST(ThinkingSettingTest, AdaptiveAndInterleavedSwitches) {
  FakeEnv env;
  env.SetVar("CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING", "1", "test");
  env.SetVar("DISABLE_INTERLEAVED_THINKING", "1", "test");
  ThinkingChoice c = ChooseThinking(env, Json(), 32000, -1);
  EXPECT_FALSE(c.adaptive);
  EXPECT_FALSE(c.interleaved);
}

TEST(ThinkingSettingTest, APositiveBudgetTurnsThinkingOnDespiteTheSetting) {
  FakeEnv env;
  env.SetVar("MAX_THINKING_TOKENS", "8000", "test");
  EXPECT_EQ(ChooseThinking(env, Always(false), 32000, -1).budget_tokens, 8000);
}

TEST(ThinkingSettingTest, MaxThinkingTokensOverridesTheSetting) {
  FakeEnv env;
  env.SetVar("MAX_THINKING_TOKENS", "8000", "test");
  EXPECT_EQ(ChooseThinking(env, Json(), 32000, -1).budget_tokens, 8000);
  env.SetVar("MAX_THINKING_TOKENS", "0", "test");
  EXPECT_EQ(ChooseThinking(env, Always(true), 32000, -1).budget_tokens, 0);
  env.SetVar("MAX_THINKING_TOKENS", "lots", "test");
  ThinkingChoice c = ChooseThinking(env, Always(true), 32000, -1);
  EXPECT_EQ(c.budget_tokens, 31999);
  EXPECT_NE(c.warning.find("MAX_THINKING_TOKENS=lots"), std::string::npos);
}

TEST(ThinkingSettingTest, TheFlagWins) {
  FakeEnv env;
  env.SetVar("MAX_THINKING_TOKENS", "8000", "test");
  EXPECT_EQ(ChooseThinking(env, Json(), 32000, 4000).budget_tokens, 4000);
  EXPECT_EQ(ChooseThinking(env, Always(true), 32000, 0).budget_tokens, 0);
}

TEST(ThinkingSettingTest, BudgetStaysBetweenTheMinimumAndMaxTokens) {
  FakeEnv env;
  EXPECT_EQ(ChooseThinking(env, Json(), 32000, 100).budget_tokens, 1024);
  ThinkingChoice c = ChooseThinking(env, Json(), 16000, 20000);
  EXPECT_EQ(c.budget_tokens, 15999);
  EXPECT_NE(c.warning.find("lowered to 15999"), std::string::npos);
  c = ChooseThinking(env, Json(), 1000, -1);
  EXPECT_EQ(c.budget_tokens, 0);
  EXPECT_NE(c.warning.find("CLAUDE_CODE_MAX_OUTPUT_TOKENS"), std::string::npos);
}

}  // namespace
}  // namespace brock
