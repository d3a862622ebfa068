#include "bedrock/model_resolver.h"

#include <gtest/gtest.h>

#include "testing/fake_env.h"

namespace brock {
namespace {

ModelChoice Resolve(const Env& env, const ModelRequest& request) {
  Result<ModelChoice> r = ResolveModel(env, request);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
  return r.ok() ? r.value() : ModelChoice{};
}

ModelRequest Request(std::string cli, std::optional<std::string> settings_model,
                     std::string region = "us-east-1") {
  ModelRequest request;
  request.cli_model = std::move(cli);
  request.settings_model = std::move(settings_model);
  request.settings_model_origin = "/home/user/.claude/settings.json";
  request.region = std::move(region);
  return request;
}

// --- where the model comes from ---

TEST(ModelResolverTest, DefaultIsClaudeCodesBedrockDefault) {
  testing::FakeEnv env;
  ModelChoice c = Resolve(env, Request("", std::nullopt));
  // Claude Code on Bedrock: primary model us.anthropic.claude-sonnet-4-5-20250929-v1:0.
  EXPECT_EQ(c.model_id, "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
  EXPECT_EQ(c.origin, "default");
  EXPECT_EQ(c.alias, "sonnet");
  EXPECT_EQ(c.family, "sonnet");
  EXPECT_EQ(c.alias_source, "built-in us. profile for region us-east-1");
  EXPECT_FALSE(c.context_1m);
}

TEST(ModelResolverTest, SettingsModelBeatsDefault) {
  testing::FakeEnv env;
  ModelChoice c = Resolve(env, Request("", "eu.anthropic.claude-haiku-4-5-20251001-v1:0"));
  EXPECT_EQ(c.model_id, "eu.anthropic.claude-haiku-4-5-20251001-v1:0");
  EXPECT_EQ(c.origin, "model in /home/user/.claude/settings.json");
  EXPECT_EQ(c.alias, "");
  EXPECT_EQ(c.alias_source, "");
  EXPECT_EQ(c.family, "haiku");
}

TEST(ModelResolverTest, AnthropicModelBeatsSettings) {
  testing::FakeEnv env;
  env.SetVar("ANTHROPIC_MODEL", "us.anthropic.claude-sonnet-4-6", "/p/.claude/settings.json");
  ModelChoice c = Resolve(env, Request("", "opus"));
  EXPECT_EQ(c.model_id, "us.anthropic.claude-sonnet-4-6");
  EXPECT_EQ(c.origin, "ANTHROPIC_MODEL (from /p/.claude/settings.json)");

  env.vars["ANTHROPIC_MODEL"] = "haiku";
  env.origins.erase("ANTHROPIC_MODEL");
  c = Resolve(env, Request("", "opus"));
  EXPECT_EQ(c.origin, "ANTHROPIC_MODEL (from the shell environment)");
  EXPECT_EQ(c.alias, "haiku");
  EXPECT_EQ(c.model_id, "us.anthropic.claude-haiku-4-5-20251001-v1:0");
}

TEST(ModelResolverTest, EmptyAnthropicModelIsIgnored) {
  testing::FakeEnv env;
  env.vars["ANTHROPIC_MODEL"] = "";
  ModelChoice c = Resolve(env, Request("", "haiku"));
  EXPECT_EQ(c.origin, "model in /home/user/.claude/settings.json");
  env.vars["ANTHROPIC_MODEL"] = "   ";
  EXPECT_EQ(Resolve(env, Request("", std::nullopt)).origin, "default");
}

TEST(ModelResolverTest, CliFlagBeatsEverything) {
  testing::FakeEnv env;
  env.vars["ANTHROPIC_MODEL"] = "haiku";
  ModelChoice c = Resolve(env, Request("opus", "sonnet"));
  EXPECT_EQ(c.origin, "--model");
  EXPECT_EQ(c.alias, "opus");
  EXPECT_EQ(c.model_id, "us.anthropic.claude-opus-4-6-v1");
  EXPECT_EQ(c.family, "opus");
}

TEST(ModelResolverTest, EmptySettingsModelFallsThroughToDefault) {
  testing::FakeEnv env;
  EXPECT_EQ(Resolve(env, Request("", "")).origin, "default");
}

// --- aliases ---

TEST(ModelResolverTest, AliasesUsePinnedVariablesVerbatim) {
  testing::FakeEnv env;
  env.SetVar("ANTHROPIC_DEFAULT_SONNET_MODEL", "us.anthropic.claude-sonnet-4-6",
             "/u/settings.json");
  env.vars["ANTHROPIC_DEFAULT_HAIKU_MODEL"] = "us.anthropic.claude-haiku-4-5";
  env.vars["ANTHROPIC_DEFAULT_OPUS_MODEL"] =
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123";

  ModelChoice s = Resolve(env, Request("sonnet", std::nullopt, "eu-west-1"));
  EXPECT_EQ(s.model_id, "us.anthropic.claude-sonnet-4-6");  // not re-prefixed for eu-west-1
  EXPECT_EQ(s.alias_source, "ANTHROPIC_DEFAULT_SONNET_MODEL (from /u/settings.json)");
  EXPECT_EQ(s.family, "sonnet");

  ModelChoice h = Resolve(env, Request("haiku", std::nullopt));
  EXPECT_EQ(h.model_id, "us.anthropic.claude-haiku-4-5");
  EXPECT_EQ(h.alias_source, "ANTHROPIC_DEFAULT_HAIKU_MODEL (from the shell environment)");

  ModelChoice o = Resolve(env, Request("opus", std::nullopt));
  EXPECT_EQ(o.model_id,
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123");
  EXPECT_EQ(o.family, "opus");  // the ARN does not say; the alias does
}

TEST(ModelResolverTest, EmptyPinFallsBackToBuiltin) {
  testing::FakeEnv env;
  env.vars["ANTHROPIC_DEFAULT_HAIKU_MODEL"] = "";
  ModelChoice h = Resolve(env, Request("haiku", std::nullopt, "us-west-2"));
  EXPECT_EQ(h.model_id, "us.anthropic.claude-haiku-4-5-20251001-v1:0");
}

TEST(ModelResolverTest, BuiltinProfilesFollowTheRegion) {
  testing::FakeEnv env;
  struct Case {
    const char* region;
    const char* alias;
    const char* want;
  };
  const Case cases[] = {
      {"us-east-1", "sonnet", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
      {"us-west-2", "haiku", "us.anthropic.claude-haiku-4-5-20251001-v1:0"},
      {"us-gov-west-1", "sonnet", "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0"},
      {"eu-central-1", "opus", "eu.anthropic.claude-opus-4-6-v1"},
      {"ap-northeast-1", "sonnet", "apac.anthropic.claude-sonnet-4-5-20250929-v1:0"},
      {"ap-southeast-2", "haiku", "apac.anthropic.claude-haiku-4-5-20251001-v1:0"},
      {"ca-central-1", "sonnet", "global.anthropic.claude-sonnet-4-5-20250929-v1:0"},
      {"sa-east-1", "opus", "global.anthropic.claude-opus-4-6-v1"},
      {"", "sonnet", "global.anthropic.claude-sonnet-4-5-20250929-v1:0"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.region) + " " + c.alias);
    EXPECT_EQ(Resolve(env, Request(c.alias, std::nullopt, c.region)).model_id, c.want);
  }
}

TEST(ModelResolverTest, AliasVariants) {
  testing::FakeEnv env;
  ModelChoice c = Resolve(env, Request("Opus", std::nullopt));
  EXPECT_EQ(c.alias, "opus");
  EXPECT_EQ(c.model_id, "us.anthropic.claude-opus-4-6-v1");

  c = Resolve(env, Request("sonnet[1m]", std::nullopt));
  EXPECT_EQ(c.alias, "sonnet[1m]");
  EXPECT_TRUE(c.context_1m);
  EXPECT_EQ(c.model_id, "us.anthropic.claude-sonnet-4-5-20250929-v1:0");

  env.vars["ANTHROPIC_DEFAULT_OPUS_MODEL"] = "global.anthropic.claude-opus-4-6-v1";
  c = Resolve(env, Request("opus[1m]", std::nullopt));
  EXPECT_TRUE(c.context_1m);
  EXPECT_EQ(c.model_id, "global.anthropic.claude-opus-4-6-v1");

  c = Resolve(env, Request("best", std::nullopt));
  EXPECT_EQ(c.alias, "best");
  EXPECT_EQ(c.family, "opus");

  c = Resolve(env, Request("", "opusplan"));
  EXPECT_EQ(c.alias, "opusplan");
  EXPECT_EQ(c.family, "sonnet");

  c = Resolve(env, Request(" default ", std::nullopt));
  EXPECT_EQ(c.alias, "sonnet");
  EXPECT_EQ(c.origin, "--model");
}

TEST(ModelResolverTest, ResolveModelAliasForASpecificTier) {
  testing::FakeEnv env;
  Result<std::optional<ModelChoice>> r = ResolveModelAlias(env, "haiku", "eu-west-3", "background");
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r.value().has_value());
  EXPECT_EQ(r.value()->model_id, "eu.anthropic.claude-haiku-4-5-20251001-v1:0");
  EXPECT_EQ(r.value()->origin, "background");

  r = ResolveModelAlias(env, "us.anthropic.claude-haiku-4-5", "eu-west-3", "x");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value().has_value());
}

// --- IDs are used verbatim ---

TEST(ModelResolverTest, IdsAndArnsAreNeverRewritten) {
  testing::FakeEnv env;
  const char* ids[] = {
      "us.anthropic.claude-sonnet-4-6",
      "anthropic.claude-sonnet-4-5-20250929-v1:0",  // bare: not prefixed behind the user's back
      "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-opus-4-6-v1",
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x1y2z3",
      "sonnet-4",  // not an alias
  };
  for (const char* id : ids) {
    SCOPED_TRACE(id);
    ModelChoice c = Resolve(env, Request(id, std::nullopt, "ap-south-1"));
    EXPECT_EQ(c.model_id, id);
    EXPECT_EQ(c.alias, "");
    EXPECT_EQ(c.origin, "--model");
  }
}

TEST(ModelResolverTest, AnthropicNamesMapToTheRegionsProfile) {
  testing::FakeEnv env;
  struct Case {
    const char* name;
    const char* region;
    const char* id;
  } cases[] = {
      {"claude-sonnet-4-5-20250929", "us-east-1", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
      {"claude-sonnet-4-5", "eu-west-1", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"},
      {"claude-opus-4-1", "us-west-2", "us.anthropic.claude-opus-4-1-20250805-v1:0"},
      {"CLAUDE-HAIKU-4-5", "ap-northeast-1", "apac.anthropic.claude-haiku-4-5-20251001-v1:0"},
      {"claude-opus-4-6", "us-gov-west-1", "us-gov.anthropic.claude-opus-4-6-v1"},
      {"claude-sonnet-4-6", "sa-east-1", "global.anthropic.claude-sonnet-4-6"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ModelChoice m = Resolve(env, Request(c.name, std::nullopt, c.region));
    EXPECT_EQ(m.model_id, c.id);
    EXPECT_NE(m.alias_source.find("Anthropic model name"), std::string::npos) << m.alias_source;
  }
}

TEST(ModelResolverTest, OneMSuffixOnAPinnedIdIsStrippedAndAsksForTheBeta) {
  testing::FakeEnv env;
  ModelChoice c =
      Resolve(env, Request("us.anthropic.claude-sonnet-4-5-20250929-v1:0[1m]", std::nullopt));
  EXPECT_EQ(c.model_id, "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
  EXPECT_TRUE(c.context_1m);
  env.vars["ANTHROPIC_DEFAULT_OPUS_MODEL"] = "us.anthropic.claude-opus-4-6-v1[1M]";
  c = Resolve(env, Request("opus", std::nullopt));
  EXPECT_EQ(c.model_id, "us.anthropic.claude-opus-4-6-v1");
  EXPECT_TRUE(c.context_1m);
  c = Resolve(env, Request("claude-sonnet-4-5[1m]", std::nullopt));
  EXPECT_EQ(c.model_id, "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
  EXPECT_TRUE(c.context_1m);
}

TEST(ModelResolverTest, IdWithWhitespaceIsInvalid) {
  testing::FakeEnv env;
  Result<ModelChoice> r = ResolveModel(env, Request("", "us.anthropic claude-sonnet-4-6"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "model.invalid");
  EXPECT_NE(r.error().message.find("model in /home/user/.claude/settings.json"), std::string::npos)
      << r.error().message;
  EXPECT_FALSE(r.error().fix.empty());
}

TEST(ModelResolverTest, PinThatIsAnAliasIsInvalid) {
  testing::FakeEnv env;
  env.SetVar("ANTHROPIC_DEFAULT_SONNET_MODEL", "opus", "/p/.claude/settings.local.json");
  Result<ModelChoice> r = ResolveModel(env, Request("sonnet", std::nullopt));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "model.invalid");
  EXPECT_NE(r.error().message.find("ANTHROPIC_DEFAULT_SONNET_MODEL (from "
                                   "/p/.claude/settings.local.json)"),
            std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().fix.find("us.anthropic.claude-sonnet-4-5-20250929-v1:0"), std::string::npos)
      << r.error().fix;

  env.vars["ANTHROPIC_DEFAULT_SONNET_MODEL"] = "us.anthropic.claude-sonnet-4-6\nx";
  r = ResolveModel(env, Request("sonnet", std::nullopt));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "model.invalid");
}

TEST(ModelResolverTest, UnusedBadPinDoesNotMatter) {
  testing::FakeEnv env;
  env.vars["ANTHROPIC_DEFAULT_OPUS_MODEL"] = "bad value";
  EXPECT_TRUE(ResolveModel(env, Request("haiku", std::nullopt)).ok());
}

// --- helpers ---

TEST(ModelResolverTest, InferenceProfilePrefixes) {
  EXPECT_EQ(InferenceProfilePrefix("us-east-1"), "us.");
  EXPECT_EQ(InferenceProfilePrefix("us-east-2"), "us.");
  EXPECT_EQ(InferenceProfilePrefix("us-west-2"), "us.");
  EXPECT_EQ(InferenceProfilePrefix("us-gov-west-1"), "us-gov.");
  EXPECT_EQ(InferenceProfilePrefix("us-gov-east-1"), "us-gov.");
  EXPECT_EQ(InferenceProfilePrefix("eu-west-1"), "eu.");
  EXPECT_EQ(InferenceProfilePrefix("eu-north-1"), "eu.");
  EXPECT_EQ(InferenceProfilePrefix("ap-northeast-1"), "apac.");
  EXPECT_EQ(InferenceProfilePrefix("ap-southeast-2"), "apac.");
  EXPECT_EQ(InferenceProfilePrefix("ap-south-1"), "apac.");
  EXPECT_EQ(InferenceProfilePrefix(" US-EAST-1 "), "us.");
  EXPECT_EQ(InferenceProfilePrefix("ca-central-1"), "global.");
  EXPECT_EQ(InferenceProfilePrefix("me-central-1"), "global.");
  EXPECT_EQ(InferenceProfilePrefix("cn-north-1"), "global.");
  EXPECT_EQ(InferenceProfilePrefix(""), "global.");
  EXPECT_EQ(InferenceProfilePrefix("usa"), "global.");
}

TEST(ModelResolverTest, BuiltinFoundationModelIds) {
  EXPECT_EQ(BuiltinFoundationModelId("sonnet"), "anthropic.claude-sonnet-4-5-20250929-v1:0");
  EXPECT_EQ(BuiltinFoundationModelId("haiku"), "anthropic.claude-haiku-4-5-20251001-v1:0");
  EXPECT_EQ(BuiltinFoundationModelId("opus"), "anthropic.claude-opus-4-6-v1");
  EXPECT_EQ(BuiltinFoundationModelId("sonnet[1m]"), "");
  for (const char* tier : {"sonnet", "haiku", "opus"}) {
    EXPECT_TRUE(LooksLikeBareFoundationModelId(BuiltinFoundationModelId(tier))) << tier;
    EXPECT_EQ(ModelFamily(BuiltinFoundationModelId(tier)), tier);
  }
}

TEST(ModelResolverTest, ModelFamilies) {
  EXPECT_EQ(ModelFamily("us.anthropic.claude-sonnet-4-6"), "sonnet");
  EXPECT_EQ(ModelFamily("anthropic.claude-3-5-haiku-20241022-v1:0"), "haiku");
  EXPECT_EQ(ModelFamily("GLOBAL.ANTHROPIC.CLAUDE-OPUS-4-6-V1"), "opus");
  EXPECT_EQ(
      ModelFamily("arn:aws:bedrock:us-east-1:1:inference-profile/us.anthropic.claude-opus-4-6-v1"),
      "opus");
  EXPECT_EQ(ModelFamily("arn:aws:bedrock:us-east-1:1:application-inference-profile/abc"), "");
  EXPECT_EQ(ModelFamily("amazon.nova-pro-v1:0"), "");
}

TEST(ModelResolverTest, BareFoundationModelIds) {
  EXPECT_TRUE(LooksLikeBareFoundationModelId("anthropic.claude-sonnet-4-5-20250929-v1:0"));
  EXPECT_TRUE(LooksLikeBareFoundationModelId("anthropic.claude-sonnet-4-6"));
  EXPECT_TRUE(LooksLikeBareFoundationModelId(" Anthropic.Claude-haiku-4-5-20251001-v1:0"));
  // An ARN is never "bare": prefixing it would not make a valid ID.
  EXPECT_FALSE(LooksLikeBareFoundationModelId(
      "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-opus-4-6-v1"));
  EXPECT_FALSE(LooksLikeBareFoundationModelId("us.anthropic.claude-sonnet-4-6"));
  EXPECT_FALSE(LooksLikeBareFoundationModelId("global.anthropic.claude-sonnet-4-6"));
  EXPECT_FALSE(LooksLikeBareFoundationModelId(
      "arn:aws:bedrock:us-east-1:1:inference-profile/us.anthropic.claude-opus-4-6-v1"));
  EXPECT_FALSE(LooksLikeBareFoundationModelId("amazon.nova-pro-v1:0"));
  EXPECT_FALSE(LooksLikeBareFoundationModelId("sonnet"));
  EXPECT_FALSE(LooksLikeBareFoundationModelId(""));
}

}  // namespace
}  // namespace brock
