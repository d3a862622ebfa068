#include "agent/child_env.h"

#include <gtest/gtest.h>

#include "testing/fake_env.h"

namespace brock {
namespace {

using testing::FakeEnv;

TEST(ChildEnv, SecretsThatAreSetAreRemoved) {
  FakeEnv env;
  env.vars = {{"AWS_BEARER_TOKEN_BEDROCK", "tok"}, {"AWS_ACCESS_KEY_ID", "AKID"},
              {"AWS_SECRET_ACCESS_KEY", "s"},      {"AWS_SESSION_TOKEN", "t"},
              {"ANTHROPIC_API_KEY", "k"},          {"AWS_PROFILE", "dev"},
              {"AWS_REGION", "us-east-1"},         {"PATH", "/usr/bin"}};
  std::vector<std::string> removed = ToolEnvironmentRemovals(env);
  EXPECT_EQ(removed, (std::vector<std::string>{"AWS_BEARER_TOKEN_BEDROCK", "AWS_ACCESS_KEY_ID",
                                               "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                                               "ANTHROPIC_API_KEY"}));
}

TEST(ChildEnv, OptInFromTheShellOrTheUserSettingsOnly) {
  FakeEnv env;
  env.vars = {{"AWS_BEARER_TOKEN_BEDROCK", "tok"}, {"BROCK_TOOLS_INHERIT_CREDENTIALS", "1"}};
  EXPECT_TRUE(ToolEnvironmentRemovals(env).empty()) << "set in the shell: honoured";
  env.origins["BROCK_TOOLS_INHERIT_CREDENTIALS"] = "/home/user/.claude/settings.json";
  EXPECT_TRUE(ToolEnvironmentRemovals(env).empty()) << "user settings: honoured";
  env.origins["BROCK_TOOLS_INHERIT_CREDENTIALS"] = "/home/user/project/.claude/settings.json";
  EXPECT_EQ(ToolEnvironmentRemovals(env), std::vector<std::string>{"AWS_BEARER_TOKEN_BEDROCK"})
      << "a project's settings cannot hand the secrets to the model's commands";
  env.origins["BROCK_TOOLS_INHERIT_CREDENTIALS"] = "/etc/claude-code/managed-settings.json";
  EXPECT_TRUE(ToolEnvironmentRemovals(env).empty()) << "managed settings: honoured";
  env.vars["BROCK_TOOLS_INHERIT_CREDENTIALS"] = "0";
  EXPECT_EQ(ToolEnvironmentRemovals(env).size(), 1u);
}

}  // namespace
}  // namespace brock
