#include "bedrock/model_table.h"

#include <gtest/gtest.h>

namespace brock {
namespace {

TEST(ModelTableTest, FindsModelsInEveryForm) {
  for (const char* id : {"us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                         "anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-20250929",
                         "claude-sonnet-4-5", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0[1m]",
                         "arn:aws:bedrock:us-east-1:1:inference-profile/"
                         "us.anthropic.claude-sonnet-4-5-20250929-v1:0"}) {
    const KnownModel* m = FindKnownModel(id);
    ASSERT_NE(m, nullptr) << id;
    EXPECT_STREQ(m->anthropic_name, "claude-sonnet-4-5-20250929") << id;
  }
  EXPECT_EQ(FindKnownModel("arn:aws:bedrock:us-east-1:1:application-inference-profile/x"), nullptr);
  EXPECT_EQ(FindKnownModel("mistral.large"), nullptr);
}

TEST(ModelTableTest, AliasDefaultsAreClaudeCodesBedrockDefaults) {
  EXPECT_EQ(DefaultBedrockIdForTier("sonnet"), "anthropic.claude-sonnet-4-5-20250929-v1:0");
  EXPECT_EQ(DefaultBedrockIdForTier("opus"), "anthropic.claude-opus-4-6-v1");
  EXPECT_EQ(DefaultBedrockIdForTier("haiku"), "anthropic.claude-haiku-4-5-20251001-v1:0");
  EXPECT_EQ(DefaultBedrockIdForTier("best"), "");
}

TEST(ModelTableTest, LimitsPerModel) {
  ModelLimits opus41 = LimitsForModel("us.anthropic.claude-opus-4-1-20250805-v1:0", false);
  EXPECT_EQ(opus41.max_output_tokens, 32000);
  EXPECT_EQ(opus41.default_max_tokens, 32000);
  EXPECT_EQ(opus41.context_window, 200000);
  ModelLimits haiku35 = LimitsForModel("anthropic.claude-3-5-haiku-20241022-v1:0", false);
  EXPECT_EQ(haiku35.max_output_tokens, 8192);
  EXPECT_EQ(haiku35.default_max_tokens, 8192);
  ModelLimits sonnet1m = LimitsForModel("us.anthropic.claude-sonnet-4-5-20250929-v1:0", true);
  EXPECT_EQ(sonnet1m.context_window, 1000000);
  EXPECT_EQ(sonnet1m.max_output_tokens, 64000);
  // The beta only widens the models that take it.
  EXPECT_EQ(LimitsForModel("claude-opus-4-1", true).context_window, 200000);
  ModelLimits unknown = LimitsForModel("some.custom-model", false);
  EXPECT_EQ(unknown.context_window, 200000);
  EXPECT_EQ(unknown.default_max_tokens, 32000);
}

TEST(ModelTableTest, ReasoningCapabilities) {
  unsigned opus46 = ModelCapabilities("us.anthropic.claude-opus-4-6-v1");
  EXPECT_TRUE(opus46 & kCapAdaptive);
  EXPECT_TRUE(opus46 & kCapEffort);
  EXPECT_TRUE(opus46 & kCapMaxEffort);
  EXPECT_FALSE(opus46 & kCapXhighEffort);
  EXPECT_TRUE(ModelCapabilities("claude-sonnet-4-6") & kCapAdaptive);
  unsigned sonnet45 = ModelCapabilities("global.anthropic.claude-sonnet-4-5-20250929-v1:0");
  EXPECT_TRUE(sonnet45 & kCapThinking);
  EXPECT_TRUE(sonnet45 & kCapInterleaved);
  EXPECT_FALSE(sonnet45 & (kCapAdaptive | kCapEffort));
  EXPECT_FALSE(ModelCapabilities("claude-opus-4-5") & kCapEffort) << "not in Claude Code's list";
  EXPECT_FALSE(ModelCapabilities("anthropic.claude-3-7-sonnet-20250219-v1:0") & kCapInterleaved);
  EXPECT_EQ(ModelCapabilities("anthropic.claude-3-5-haiku-20241022-v1:0"), 0u);
  // Unknown: a current Claude model with fixed-budget thinking.
  EXPECT_EQ(ModelCapabilities("arn:aws:bedrock:us-east-1:1:application-inference-profile/x"),
            kCapThinking | kCapInterleaved);
}

TEST(ModelTableTest, EffortFallsBackToTheHighestLevelTheModelHas) {
  EXPECT_EQ(EffortForModel("claude-opus-4-6", ""), "high");
  EXPECT_EQ(EffortForModel("claude-opus-4-6", "low"), "low");
  EXPECT_EQ(EffortForModel("claude-opus-4-6", "medium"), "medium");
  EXPECT_EQ(EffortForModel("claude-opus-4-6", "xhigh"), "high");
  EXPECT_EQ(EffortForModel("claude-opus-4-6", "max"), "max");
  EXPECT_EQ(EffortForModel("claude-sonnet-4-5", "max"), "");
  EXPECT_EQ(EffortForModel("unknown-model", "low"), "");
}

}  // namespace
}  // namespace brock
