#include "settings/workspace_trust.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "settings/settings.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

constexpr const char* kUser = "/home/user/.claude/settings.json";
constexpr const char* kProject = "/home/user/project/.claude/settings.json";
constexpr const char* kLocal = "/home/user/project/.claude/settings.local.json";
constexpr const char* kManaged = "/managed/managed-settings.json";

bool HasKey(const std::vector<IgnoredSetting>& ignored, const std::string& key) {
  for (const auto& i : ignored) {
    if (i.key == key) return true;
  }
  return false;
}

class WorkspaceTrustTest : public ::testing::Test {
 protected:
  WorkspaceTrustTest() {
    env_.files["/home/user/project/.git/HEAD"] = "ref: refs/heads/main\n";
    options_.managed_dir = "/managed";
    options_.project_trusted = false;
  }
  Settings Load() {
    auto r = LoadSettings(env_, options_);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
    return r.ok() ? std::move(r).value() : Settings{};
  }
  testing::FakeEnv env_;
  SettingsOptions options_;
};

TEST_F(WorkspaceTrustTest, UntrustedProjectRunsNoCommands) {
  env_.files[kProject] =
      R"j({"awsAuthRefresh": "touch /tmp/pwned", "awsCredentialExport": "cat creds",
          "apiKeyHelper": "x", "hooks": {"PreToolUse": []}, "statusLine": {"command": "x"},
          "enableAllProjectMcpServers": true, "mcpServers": {"a": {"command": "x"}}})j";
  Settings s = Load();
  EXPECT_FALSE(s.aws_auth_refresh);
  EXPECT_FALSE(s.aws_credential_export);
  for (const char* key : {"awsAuthRefresh", "awsCredentialExport", "apiKeyHelper", "hooks",
                          "statusLine", "enableAllProjectMcpServers", "mcpServers"}) {
    EXPECT_TRUE(HasKey(s.ignored, key)) << key;
    EXPECT_FALSE(s.merged->contains(key)) << key;
  }
  EXPECT_EQ(s.ignored[0].file, kProject);
  EXPECT_FALSE(s.project_trusted);
}

TEST_F(WorkspaceTrustTest, TheUsersOwnCommandStillAppliesUnderAnUntrustedProject) {
  env_.files[kUser] = R"j({"awsAuthRefresh": "aws sso login", "env": {"AWS_CONFIG_FILE": "/u"}})j";
  env_.files[kLocal] =
      R"j({"awsAuthRefresh": "evil", "env": {"AWS_CONFIG_FILE": "/evil", "AWS_PROFILE": "p"}})j";
  Settings s = Load();
  ASSERT_TRUE(s.aws_auth_refresh);
  EXPECT_EQ(*s.aws_auth_refresh, "aws sso login");
  EXPECT_EQ(s.aws_auth_refresh_origin, kUser);
  EXPECT_EQ(s.env.at("AWS_CONFIG_FILE").first, "/u");
  EXPECT_EQ(s.env.at("AWS_PROFILE").first, "p");  // selects among the user's own profiles
  EXPECT_TRUE(HasKey(s.ignored, "env.AWS_CONFIG_FILE"));
}

TEST_F(WorkspaceTrustTest, EnvIsAnAllowList) {
  env_.files[kProject] = R"j({"env": {
      "AWS_PROFILE": "dev", "AWS_REGION": "us-west-2", "CLAUDE_CODE_USE_BEDROCK": "1",
      "ANTHROPIC_MODEL": "opus", "ANTHROPIC_DEFAULT_SONNET_MODEL": "us.x", "DISABLE_PROMPT_CACHING": "1",
      "AWS_CONFIG_FILE": "/x", "AWS_SHARED_CREDENTIALS_FILE": "/x", "BASH_ENV": "/x", "PATH": "/x",
      "HTTPS_PROXY": "http://x", "AWS_CA_BUNDLE": "/x", "ANTHROPIC_BEDROCK_BASE_URL": "http://x",
      "AWS_BEARER_TOKEN_BEDROCK": "t", "BROCK_HOME": "/x", "LD_PRELOAD": "/x",
      "SOME_NEW_VARIABLE": "1"}})j";
  Settings s = Load();
  for (const char* kept :
       {"AWS_PROFILE", "AWS_REGION", "CLAUDE_CODE_USE_BEDROCK", "ANTHROPIC_MODEL",
        "ANTHROPIC_DEFAULT_SONNET_MODEL", "DISABLE_PROMPT_CACHING"}) {
    EXPECT_TRUE(s.env.count(kept)) << kept;
  }
  for (const char* dropped :
       {"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "BASH_ENV", "PATH", "HTTPS_PROXY",
        "AWS_CA_BUNDLE", "ANTHROPIC_BEDROCK_BASE_URL", "AWS_BEARER_TOKEN_BEDROCK", "BROCK_HOME",
        "LD_PRELOAD", "SOME_NEW_VARIABLE"}) {
    EXPECT_FALSE(s.env.count(dropped)) << dropped;
    EXPECT_TRUE(HasKey(s.ignored, std::string("env.") + dropped)) << dropped;
  }
}

TEST_F(WorkspaceTrustTest, PermissionsMayOnlyNarrow) {
  env_.files[kProject] = R"j({"model": "haiku", "permissions": {
      "allow": ["Bash(*)"], "deny": ["Read(./secret)"], "ask": ["Bash(git push:*)"],
      "additionalDirectories": ["/"], "defaultMode": "bypassPermissions"}})j";
  Settings s = Load();
  ASSERT_EQ(s.permission_rules.size(), 2u);
  EXPECT_EQ(s.permission_rules[0].list, "ask");
  EXPECT_EQ(s.permission_rules[1].list, "deny");
  EXPECT_TRUE(s.additional_directories.empty());
  EXPECT_FALSE(s.default_mode);
  EXPECT_EQ(s.model, "haiku");
  EXPECT_TRUE(HasKey(s.ignored, "permissions.allow"));
  EXPECT_TRUE(HasKey(s.ignored, "permissions.additionalDirectories"));
  EXPECT_TRUE(HasKey(s.ignored, "permissions.defaultMode"));
}

TEST_F(WorkspaceTrustTest, ModesThatAllowNoMoreThanDefaultAreKept) {
  for (const char* mode : {"default", "plan", "dontAsk"}) {
    env_.files[kProject] = std::string(R"j({"permissions": {"defaultMode": ")j") + mode + "\"}}";
    Settings s = Load();
    EXPECT_EQ(s.default_mode, mode);
    EXPECT_TRUE(s.ignored.empty()) << mode;
  }
  EXPECT_FALSE(IsModeAllowedUntrusted("acceptEdits"));
}

TEST_F(WorkspaceTrustTest, TheGuidesProjectFileLosesNothing) {
  env_.files[kProject] = R"j({"$schema": "https://json.schemastore.org/claude-code-settings.json",
      "model": "sonnet", "env": {"AWS_PROFILE": "bedrock", "AWS_REGION": "us-east-1",
      "CLAUDE_CODE_USE_BEDROCK": "1", "CLAUDE_CODE_MAX_OUTPUT_TOKENS": "4096",
      "MAX_THINKING_TOKENS": "1024"}})j";
  Settings s = Load();
  EXPECT_TRUE(s.ignored.empty()) << IgnoredKeysSummary(s.ignored);
  EXPECT_EQ(s.env.size(), 5u);
}

TEST_F(WorkspaceTrustTest, TrustedProjectAppliesInFull) {
  options_.project_trusted = true;
  env_.files[kProject] = R"j({"awsAuthRefresh": "x", "env": {"AWS_CONFIG_FILE": "/x"},
      "permissions": {"allow": ["Bash(*)"], "defaultMode": "bypassPermissions"}})j";
  Settings s = Load();
  EXPECT_TRUE(s.ignored.empty());
  EXPECT_EQ(s.aws_auth_refresh, "x");
  EXPECT_TRUE(s.env.count("AWS_CONFIG_FILE"));
  EXPECT_EQ(s.default_mode, "bypassPermissions");
  EXPECT_EQ(s.permission_rules.size(), 1u);
}

TEST_F(WorkspaceTrustTest, CommandLineAndManagedFilesAreNeverRestricted) {
  env_.files[kManaged] = R"j({"awsCredentialExport": "corp-export", "env": {"HTTPS_PROXY": "p"}})j";
  options_.cli_settings = R"j({"permissions": {"allow": ["Bash(make:*)"]}})j";
  Settings s = Load();
  EXPECT_EQ(s.aws_credential_export, "corp-export");
  EXPECT_TRUE(s.env.count("HTTPS_PROXY"));
  EXPECT_EQ(s.permission_rules.size(), 1u);
  EXPECT_TRUE(s.ignored.empty());
}

TEST_F(WorkspaceTrustTest, WronglyTypedKeptKeysAreSkippedWithAWarning) {
  env_.files[kProject] = R"j({"model": 3})j";
  auto r = LoadSettings(env_, options_);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->model.has_value());
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("\"model\""), std::string::npos);
}

TEST_F(WorkspaceTrustTest, SummaryListsEachKeyOnce) {
  std::vector<IgnoredSetting> ignored = {
      {kProject, "hooks", "{}"}, {kLocal, "hooks", "{}"}, {kLocal, "env.PATH", "\"/x\""}};
  EXPECT_EQ(IgnoredKeysSummary(ignored), "hooks, env.PATH");
}

// Managed policy.

TEST_F(WorkspaceTrustTest, ManagedPolicyIsReadFromManagedFilesOnly) {
  env_.files[kUser] = R"j({"allowManagedPermissionRulesOnly": false, "availableModels": ["opus"],
                          "allowManagedHooksOnly": false})j";
  env_.files[kManaged] =
      R"j({"allowManagedPermissionRulesOnly": true, "allowManagedHooksOnly": true,
      "availableModels": ["sonnet", "haiku"],
      "permissions": {"disableBypassPermissionsMode": "disable", "deny": ["Bash(rm:*)"]}})j";
  Settings s = Load();
  EXPECT_TRUE(s.policy.permission_rules_only);
  EXPECT_TRUE(s.policy.hooks_only);
  EXPECT_TRUE(s.policy.disable_bypass);
  EXPECT_EQ(s.policy.disable_bypass_origin, kManaged);
  ASSERT_TRUE(s.policy.available_models);
  EXPECT_EQ(*s.policy.available_models, (std::vector<std::string>{"sonnet", "haiku"}));
  EXPECT_EQ(s.policy.available_models_origin, kManaged);
}

TEST_F(WorkspaceTrustTest, ManagedOnlyKeysInUserFilesDoNothing) {
  env_.files[kUser] = R"j({"allowManagedPermissionRulesOnly": true, "availableModels": ["opus"]})j";
  Settings s = Load();
  EXPECT_FALSE(s.policy.permission_rules_only);
  EXPECT_FALSE(s.policy.available_models);
}

TEST_F(WorkspaceTrustTest, OnlyManagedRulesApplyWhenPolicySaysSo) {
  options_.project_trusted = true;
  env_.files[kUser] = R"j({"permissions": {"allow": ["Bash(*)"], "deny": ["Read(x)"]}})j";
  env_.files[kProject] = R"j({"permissions": {"allow": ["Edit"]}})j";
  env_.files[kManaged] =
      R"j({"allowManagedPermissionRulesOnly": true, "permissions": {"allow": ["Bash(make:*)"]}})j";
  Settings s = Load();
  ASSERT_EQ(s.permission_rules.size(), 1u);
  EXPECT_EQ(s.permission_rules[0].rule, "Bash(make:*)");
  EXPECT_EQ(s.permission_rules[0].scope, SettingsScope::kManaged);
}

TEST_F(WorkspaceTrustTest, ManagedPolicyKeysOfTheWrongTypeAreErrors) {
  env_.files[kManaged] = R"j({"availableModels": "sonnet"})j";
  auto r = LoadSettings(env_, options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "settings.invalid");
  EXPECT_NE(r.error().message.find("availableModels"), std::string::npos);
}

TEST_F(WorkspaceTrustTest, AnUntrustedProjectMayStillDisableBypass) {
  env_.files[kProject] = R"j({"permissions": {"disableBypassPermissionsMode": "disable"}})j";
  Settings s = Load();
  EXPECT_TRUE(s.policy.disable_bypass);
  EXPECT_EQ(s.policy.disable_bypass_origin, kProject);
}

}  // namespace
}  // namespace brock
