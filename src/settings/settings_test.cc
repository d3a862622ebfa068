#include "settings/settings.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

// FakeEnv defaults: home /home/user, cwd /home/user/project.
constexpr const char* kUser = "/home/user/.claude/settings.json";
constexpr const char* kProject = "/home/user/project/.claude/settings.json";
constexpr const char* kLocal = "/home/user/project/.claude/settings.local.json";
constexpr const char* kCli = "/home/user/project/cli.json";
constexpr const char* kManaged = "/managed/managed-settings.json";

class SettingsTest : public ::testing::Test {
 protected:
  SettingsTest() {
    env_.files["/home/user/project/.git/HEAD"] = "ref: refs/heads/main\n";
    options_.managed_dir = "/managed";
  }

  Settings Load() {
    Result<Settings> result = LoadSettings(env_, options_);
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().ToString());
    if (!result.ok()) return Settings{};
    return std::move(result).value();
  }

  Error LoadError() {
    Result<Settings> result = LoadSettings(env_, options_);
    EXPECT_FALSE(result.ok());
    if (result.ok()) return Error{};
    return std::move(result).error();
  }

  testing::FakeEnv env_;
  SettingsOptions options_;
};

TEST_F(SettingsTest, NoFilesIsFine) {
  Settings s = Load();
  EXPECT_TRUE(s.files_loaded.empty());
  EXPECT_FALSE(s.model.has_value());
  EXPECT_TRUE(s.env.empty());
  EXPECT_TRUE(s.permission_rules.empty());
  EXPECT_EQ(s.project_root, "");
  EXPECT_EQ(s.git_root, "/home/user/project");
  ASSERT_NE(s.merged, nullptr);
  EXPECT_TRUE(s.merged->is_object());
  EXPECT_TRUE(s.merged->empty());
}

TEST_F(SettingsTest, PrecedenceOfAllFiveLevels) {
  env_.files[kUser] = R"json({"model": "user-model"})json";
  env_.files[kProject] = R"json({"model": "project-model"})json";
  env_.files[kLocal] = R"json({"model": "local-model"})json";
  env_.files[kCli] = R"json({"model": "cli-model"})json";
  env_.files[kManaged] = R"json({"model": "managed-model"})json";
  options_.cli_settings = "cli.json";  // relative to cwd

  struct Step {
    const char* remove;  // file removed before the next load
    const char* model;
    const char* origin;
  };
  const Step steps[] = {
      {kManaged, "managed-model", kManaged}, {kCli, "cli-model", kCli},
      {kLocal, "local-model", kLocal},       {kProject, "project-model", kProject},
      {kUser, "user-model", kUser},
  };
  Settings all = Load();
  EXPECT_EQ(all.files_loaded, (std::vector<std::string>{kUser, kProject, kLocal, kCli, kManaged}));
  for (const Step& step : steps) {
    Settings s = Load();
    ASSERT_TRUE(s.model.has_value()) << step.model;
    EXPECT_EQ(*s.model, step.model);
    EXPECT_EQ(s.model_origin, step.origin);
    env_.files.erase(step.remove);
    if (std::string(step.remove) == kCli) options_.cli_settings.clear();
  }
  EXPECT_FALSE(Load().model.has_value());
}

TEST_F(SettingsTest, EnvMergesPerKeyHigherFileWins) {
  env_.files[kUser] =
      R"json({"env": {"AWS_REGION": "us-east-1", "AWS_PROFILE": "user", "A": "u"}})json";
  env_.files[kProject] = R"json({"env": {"AWS_PROFILE": "project", "B": "p"}})json";
  env_.files[kLocal] = R"json({"env": {"B": "local"}})json";
  Settings s = Load();
  ASSERT_EQ(s.env.size(), 4u);
  EXPECT_EQ(s.env["AWS_REGION"],
            std::make_pair(std::optional<std::string>("us-east-1"), std::string(kUser)));
  EXPECT_EQ(s.env["AWS_PROFILE"],
            std::make_pair(std::optional<std::string>("project"), std::string(kProject)));
  EXPECT_EQ(s.env["A"], std::make_pair(std::optional<std::string>("u"), std::string(kUser)));
  EXPECT_EQ(s.env["B"], std::make_pair(std::optional<std::string>("local"), std::string(kLocal)));
}

TEST_F(SettingsTest, ApplyOverridesShellAndEmptyStringUnsets) {
  env_.vars["AWS_PROFILE"] = "from-shell";
  env_.vars["AWS_REGION"] = "eu-west-1";
  env_.vars["KEEP"] = "shell";
  env_.files[kUser] = R"json({"env": {"AWS_PROFILE": "dev", "AWS_REGION": "us-west-2"}})json";
  env_.files[kProject] = R"json({"env": {"AWS_PROFILE": ""}})json";
  Settings s = Load();
  EXPECT_EQ(s.env["AWS_PROFILE"].first, std::nullopt);
  EXPECT_EQ(s.env["AWS_PROFILE"].second, kProject);

  ApplySettingsEnv(s, env_);
  EXPECT_FALSE(env_.GetVar("AWS_PROFILE").has_value());
  EXPECT_EQ(env_.VarOrigin("AWS_PROFILE"), kProject);
  EXPECT_EQ(env_.GetVar("AWS_REGION"), "us-west-2");
  EXPECT_EQ(env_.VarOrigin("AWS_REGION"), kUser);
  EXPECT_EQ(env_.GetVar("KEEP"), "shell");
  EXPECT_EQ(env_.VarOrigin("KEEP"), "the shell environment");
}

TEST_F(SettingsTest, NonStringEnvValuesBecomeTheirJsonText) {
  env_.files[kUser] =
      R"json({"env": {"MAX_TOKENS": 4096, "RATIO": 0.5, "USE": true, "OFF": false, "GONE": null}})json";
  Settings s = Load();
  EXPECT_EQ(s.env["MAX_TOKENS"].first, "4096");
  EXPECT_EQ(s.env["RATIO"].first, "0.5");
  EXPECT_EQ(s.env["USE"].first, "true");
  EXPECT_EQ(s.env["OFF"].first, "false");
  EXPECT_EQ(s.env["GONE"].first, std::nullopt);
}

// A wrong-typed value is skipped with a warning naming the file and the key (as Claude Code
// does); the rest of the file still applies.
TEST_F(SettingsTest, ObjectEnvValueIsSkippedWithAWarning) {
  env_.files[kProject] = R"json({"env": {"NESTED": {"a": 1}, "KEPT": "yes"}})json";
  Settings s = Load();
  EXPECT_EQ(s.env.count("NESTED"), 0u);
  EXPECT_EQ(s.env["KEPT"].first, "yes");
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_NE(s.warnings[0].find(kProject), std::string::npos) << s.warnings[0];
  EXPECT_NE(s.warnings[0].find("env.NESTED"), std::string::npos) << s.warnings[0];
}

TEST_F(SettingsTest, EnvThatIsNotAnObjectIsSkippedWithAWarning) {
  env_.files[kUser] = R"json({"env": ["AWS_REGION=us-east-1"], "model": "opus"})json";
  Settings s = Load();
  EXPECT_TRUE(s.env.empty());
  EXPECT_EQ(s.model, "opus");
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_NE(s.warnings[0].find(kUser), std::string::npos) << s.warnings[0];
  EXPECT_NE(s.warnings[0].find("\"env\""), std::string::npos) << s.warnings[0];
  EXPECT_NE(s.warnings[0].find("array"), std::string::npos) << s.warnings[0];
}

TEST_F(SettingsTest, TopLevelThatIsNotAnObjectIsInvalid) {
  env_.files[kLocal] = R"json(["model", "opus"])json";
  Error e = LoadError();
  EXPECT_EQ(e.code, "settings.invalid");
  EXPECT_NE(e.message.find(kLocal), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("top level"), std::string::npos) << e.message;
}

TEST_F(SettingsTest, WrongTypeForAKeyBrockReadsIsSkippedWithAWarning) {
  env_.files[kUser] = R"json({"model": 3, "permissions": {"defaultMode": "plan"}})json";
  Settings s = Load();
  EXPECT_FALSE(s.model.has_value());
  EXPECT_EQ(s.default_mode, "plan");
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_NE(s.warnings[0].find(std::string(kUser) + ": \"model\" must be a string"),
            std::string::npos)
      << s.warnings[0];

  env_.files[kUser] = R"json({"permissions": {"allow": "Bash(ls)", "deny": ["Read(x)"]}})json";
  s = Load();
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_NE(s.warnings[0].find("permissions.allow"), std::string::npos) << s.warnings[0];
  ASSERT_EQ(s.permission_rules.size(), 1u);
  EXPECT_EQ(s.permission_rules[0].rule, "Read(x)");

  env_.files[kUser] =
      R"json({"permissions": {"deny": ["Read(x)", 7]}, "autoCompactEnabled": 1})json";
  s = Load();
  ASSERT_EQ(s.warnings.size(), 2u);
  EXPECT_NE(s.warnings[0].find("permissions.deny[1]"), std::string::npos) << s.warnings[0];
  EXPECT_NE(s.warnings[1].find("autoCompactEnabled"), std::string::npos) << s.warnings[1];
}

TEST_F(SettingsTest, SettingSourcesChooseTheFiles) {
  env_.files[kUser] = R"json({"model": "user-model"})json";
  env_.files[kProject] = R"json({"model": "project-model"})json";
  SettingsOptions o = options_;
  o.sources = std::vector<std::string>{"user"};
  auto s = LoadSettings(env_, o);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->model, "user-model");
  o.sources = std::vector<std::string>{};
  s = LoadSettings(env_, o);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->model.has_value());
}

TEST_F(SettingsTest, MalformedJsonReportsFileLineAndColumn) {
  // Missing comma after the first member: the parser stops at the second key on line 3.
  env_.files[kProject] = "{\n  \"model\": \"opus\"\n  \"env\": {}\n}\n";
  Error e = LoadError();
  EXPECT_EQ(e.code, "settings.syntax");
  EXPECT_TRUE(StartsWith(e.message, std::string(kProject) + ":3:")) << e.message;
  EXPECT_NE(e.fix.find(kProject), std::string::npos) << e.fix;
}

TEST_F(SettingsTest, MalformedJsonColumnIsExact) {
  // Trailing comma: the error is at the closing brace, line 2 column 1.
  env_.files[kUser] = "{\"model\": \"opus\",\n}";
  Error e = LoadError();
  EXPECT_EQ(e.code, "settings.syntax");
  EXPECT_TRUE(StartsWith(e.message, std::string(kUser) + ":2:1: ")) << e.message;
}

TEST_F(SettingsTest, EmptyFileCountsAsEmptyObject) {
  env_.files[kUser] = "  \n";
  Settings s = Load();
  EXPECT_EQ(s.files_loaded, std::vector<std::string>{kUser});
}

TEST_F(SettingsTest, UnknownKeysAreKeptInTheMergedJson) {
  env_.files[kUser] =
      R"json({"hooks": {"PreToolUse": [{"matcher": "Bash"}]}, "theme": "dark", "list": [1, 2]})json";
  env_.files[kProject] = R"json({"theme": "light", "list": [2, 3], "hooks": {"Stop": []},
                             "permissions": {"allow": ["Bash(ls)"]}})json";
  Settings s = Load();
  const Json& m = *s.merged;
  EXPECT_EQ(m["theme"], "light");
  EXPECT_EQ(m["list"], Json::parse("[1, 2, 3]"));
  EXPECT_TRUE(m["hooks"].contains("PreToolUse"));
  EXPECT_TRUE(m["hooks"].contains("Stop"));
  EXPECT_EQ(m["permissions"]["allow"], Json::parse(R"json(["Bash(ls)"])json"));
}

TEST_F(SettingsTest, MergeSettingsJsonRules) {
  Json lower =
      Json::parse(R"json({"a": 1, "o": {"x": 1, "y": [1]}, "arr": ["a", "b"], "s": [1]})json");
  Json higher = Json::parse(R"json({"a": 2, "o": {"y": [1, 2], "z": true}, "arr": ["b", "c"],
                               "s": "scalar"})json");
  MergeSettingsJson(lower, higher);
  EXPECT_EQ(lower, Json::parse(R"json({"a": 2, "o": {"x": 1, "y": [1, 2], "z": true},
                                   "arr": ["a", "b", "c"], "s": "scalar"})json"));
}

// --- project search ---

TEST_F(SettingsTest, ProjectFoundInAncestorUpToGitRoot) {
  env_.files.clear();
  env_.files["/home/user/repo/.git/HEAD"] = "x";
  env_.files["/home/user/repo/.claude/settings.json"] = R"json({"model": "repo"})json";
  env_.cwd = "/home/user/repo/src/deep";
  Settings s = Load();
  EXPECT_EQ(s.project_root, "/home/user/repo");
  EXPECT_EQ(s.git_root, "/home/user/repo");
  EXPECT_EQ(s.model, "repo");
  EXPECT_EQ(s.model_origin, "/home/user/repo/.claude/settings.json");
}

TEST_F(SettingsTest, NearestProjectWins) {
  env_.files.clear();
  env_.files["/home/user/repo/.git/HEAD"] = "x";
  env_.files["/home/user/repo/.claude/settings.json"] = R"json({"model": "outer"})json";
  env_.files["/home/user/repo/pkg/.claude/settings.json"] = R"json({"model": "inner"})json";
  env_.cwd = "/home/user/repo/pkg/src";
  Settings s = Load();
  EXPECT_EQ(s.project_root, "/home/user/repo/pkg");
  EXPECT_EQ(s.model, "inner");
  EXPECT_EQ(s.files_loaded, std::vector<std::string>{"/home/user/repo/pkg/.claude/settings.json"});
}

TEST_F(SettingsTest, ProjectSearchNeverGoesAboveTheGitRoot) {
  env_.files.clear();
  env_.files["/home/user/outer/.claude/settings.json"] = R"json({"model": "outer"})json";
  env_.files["/home/user/outer/repo/.git"] = "gitdir: /elsewhere\n";  // a worktree's .git file
  env_.cwd = "/home/user/outer/repo/src";
  Settings s = Load();
  EXPECT_EQ(s.project_root, "");
  EXPECT_EQ(s.git_root, "/home/user/outer/repo");
  EXPECT_FALSE(s.model.has_value());
  EXPECT_TRUE(s.files_loaded.empty());
}

TEST_F(SettingsTest, WithoutGitRootSearchStopsBelowHome) {
  env_.files.clear();
  env_.files[kUser] = R"json({"model": "user"})json";
  env_.cwd = "/home/user/scratch/a";
  Settings s = Load();
  EXPECT_EQ(s.project_root, "");
  EXPECT_EQ(s.git_root, "");
  EXPECT_EQ(s.files_loaded, std::vector<std::string>{kUser});  // once, as user settings
  EXPECT_EQ(s.model_origin, kUser);

  env_.files["/home/user/scratch/.claude/settings.json"] = R"json({"model": "scratch"})json";
  s = Load();
  EXPECT_EQ(s.project_root, "/home/user/scratch");
  EXPECT_EQ(s.model, "scratch");
}

TEST_F(SettingsTest, HomeIsNeverAProjectEvenWhenItIsAGitRepo) {
  env_.files.clear();
  env_.files["/home/user/.git/HEAD"] = "x";  // dotfiles repository in ~
  env_.files[kUser] = R"json({"permissions": {"allow": ["Bash(ls)"]}})json";
  env_.cwd = "/home/user";
  Settings s = Load();
  EXPECT_EQ(s.project_root, "");
  ASSERT_EQ(s.permission_rules.size(), 1u);
  EXPECT_EQ(s.permission_rules[0].scope, SettingsScope::kUser);

  env_.cwd = "/home/user/notes";
  s = Load();
  EXPECT_EQ(s.project_root, "");
  EXPECT_EQ(s.permission_rules.size(), 1u);
}

TEST_F(SettingsTest, ProjectOutsideHome) {
  env_.files.clear();
  env_.files["/srv/app/.claude/settings.json"] = R"json({"model": "srv"})json";
  env_.cwd = "/srv/app/lib";
  Settings s = Load();
  EXPECT_EQ(s.project_root, "/srv/app");
  EXPECT_EQ(s.model, "srv");
}

TEST_F(SettingsTest, LocalSettingsSitBesideProjectSettings) {
  env_.files.clear();
  env_.files["/home/user/repo/.git/HEAD"] = "x";
  env_.files["/home/user/repo/.claude/settings.json"] = R"json({"model": "project"})json";
  env_.files["/home/user/repo/.claude/settings.local.json"] = R"json({"model": "local"})json";
  env_.files["/home/user/repo/src/.claude/settings.local.json.bak"] = R"json({"model": "no"})json";
  env_.cwd = "/home/user/repo/src";
  Settings s = Load();
  EXPECT_EQ(s.model, "local");
  EXPECT_EQ(s.model_origin, "/home/user/repo/.claude/settings.local.json");
}

TEST_F(SettingsTest, LocalSettingsAloneMarkTheProject) {
  env_.files.clear();
  env_.files["/home/user/repo/.git/HEAD"] = "x";
  env_.files["/home/user/repo/.claude/settings.local.json"] = R"json({"model": "local"})json";
  env_.cwd = "/home/user/repo/src";
  Settings s = Load();
  EXPECT_EQ(s.project_root, "/home/user/repo");
  EXPECT_EQ(s.model, "local");
}

TEST_F(SettingsTest, ClaudeConfigDirMovesUserSettings) {
  env_.files[kUser] = R"json({"model": "home"})json";
  env_.files["/home/user/alt/settings.json"] = R"json({"model": "alt"})json";
  env_.vars["CLAUDE_CONFIG_DIR"] = "~/alt";
  Settings s = Load();
  EXPECT_EQ(s.model, "alt");
  EXPECT_EQ(s.files_loaded, std::vector<std::string>{"/home/user/alt/settings.json"});
}

TEST_F(SettingsTest, RelativeCwdOptionIsTakenFromTheProcessDirectory) {
  env_.files["/home/user/project/sub/.claude/settings.json"] = R"json({"model": "sub"})json";
  options_.cwd = "sub/./deeper/..";
  Settings s = Load();
  EXPECT_EQ(s.project_root, "/home/user/project/sub");
  EXPECT_EQ(s.model, "sub");
}

// --- --settings ---

TEST_F(SettingsTest, CliSettingsAsFile) {
  env_.files[kProject] = R"json({"model": "project", "env": {"X": "p"}})json";
  env_.files["/tmp/override.json"] = R"json({"model": "cli", "env": {"Y": "c"}})json";
  options_.cli_settings = "/tmp/override.json";
  Settings s = Load();
  EXPECT_EQ(s.model, "cli");
  EXPECT_EQ(s.model_origin, "/tmp/override.json");
  EXPECT_EQ(s.env["X"].second, kProject);
  EXPECT_EQ(s.env["Y"].second, "/tmp/override.json");
}

TEST_F(SettingsTest, CliSettingsAsInlineJson) {
  env_.files[kLocal] = R"json({"model": "local"})json";
  options_.cli_settings = R"json(  {"model": "inline", "env": {"AWS_REGION": "eu-central-1"}})json";
  Settings s = Load();
  EXPECT_EQ(s.model, "inline");
  EXPECT_EQ(s.model_origin, "--settings");
  EXPECT_EQ(s.env["AWS_REGION"].second, "--settings");
  EXPECT_EQ(s.files_loaded, (std::vector<std::string>{kLocal, "--settings"}));
}

TEST_F(SettingsTest, CliSettingsFileMustExist) {
  options_.cli_settings = "missing.json";
  Error e = LoadError();
  EXPECT_EQ(e.code, "settings.not_found");
  EXPECT_NE(e.message.find("/home/user/project/missing.json"), std::string::npos) << e.message;
}

TEST_F(SettingsTest, CliSettingsInlineSyntaxError) {
  options_.cli_settings = R"json({"model": })json";
  Error e = LoadError();
  EXPECT_EQ(e.code, "settings.syntax");
  EXPECT_TRUE(StartsWith(e.message, "--settings:1:")) << e.message;
}

// --- managed ---

TEST_F(SettingsTest, ManagedDropInsApplyInNameOrderAfterTheBaseFile) {
  env_.files[kManaged] = R"json({"model": "base", "env": {"A": "base", "B": "base"}})json";
  env_.files["/managed/managed-settings.d/20-late.json"] = R"json({"model": "late"})json";
  env_.files["/managed/managed-settings.d/10-early.json"] =
      R"json({"model": "early", "env": {"A": "early"}})json";
  env_.files["/managed/managed-settings.d/.99-hidden.json"] = R"json({"model": "hidden"})json";
  env_.files["/managed/managed-settings.d/30-notes.txt"] = R"json({"model": "txt"})json";
  env_.files["/managed/managed-settings.d/40-dir.json/x"] = "not a settings file";
  env_.files["/tmp/cli.json"] = R"json({"model": "cli", "env": {"B": "cli"}})json";
  options_.cli_settings = "/tmp/cli.json";
  Settings s = Load();
  EXPECT_EQ(s.model, "late");
  EXPECT_EQ(s.model_origin, "/managed/managed-settings.d/20-late.json");
  EXPECT_EQ(s.env["A"].first, "early");
  EXPECT_EQ(s.env["A"].second, "/managed/managed-settings.d/10-early.json");
  EXPECT_EQ(s.env["B"].first, "base");  // managed beats --settings
  EXPECT_EQ(s.files_loaded, (std::vector<std::string>{"/tmp/cli.json", kManaged,
                                                      "/managed/managed-settings.d/10-early.json",
                                                      "/managed/managed-settings.d/20-late.json"}));
}

TEST_F(SettingsTest, ManagedDropInsWithoutBaseFile) {
  env_.files["/managed/managed-settings.d/a.json"] =
      R"json({"awsAuthRefresh": "aws sso login"})json";
  Settings s = Load();
  EXPECT_EQ(s.aws_auth_refresh, "aws sso login");
  EXPECT_EQ(s.aws_auth_refresh_origin, "/managed/managed-settings.d/a.json");
}

TEST_F(SettingsTest, ManagedSyntaxErrorNamesTheDropIn) {
  env_.files["/managed/managed-settings.d/10-bad.json"] = "{\"model\" \"x\"}";
  Error e = LoadError();
  EXPECT_EQ(e.code, "settings.syntax");
  EXPECT_TRUE(StartsWith(e.message, "/managed/managed-settings.d/10-bad.json:1:")) << e.message;
}

// --- permissions and AWS keys ---

TEST_F(SettingsTest, PermissionRulesConcatenateWithTheirOrigins) {
  env_.files[kUser] = R"json({"permissions": {"allow": ["Read(~/notes/**)"], "deny": ["Bash(rm:*)"],
                          "defaultMode": "default", "additionalDirectories": ["~/shared"]}})json";
  env_.files[kProject] = R"json({"permissions": {"allow": ["Bash(npm test)", "Read(/src/**)"],
                             "additionalDirectories": ["../lib", "~/shared"]}})json";
  env_.files[kLocal] =
      R"json({"permissions": {"ask": ["WebFetch"], "defaultMode": "acceptEdits"}})json";
  env_.files[kManaged] = R"json({"permissions": {"deny": ["Read(./.env)"]}})json";
  Settings s = Load();
  const std::string root = "/home/user/project";
  std::vector<PermissionRule> want = {
      {"Read(~/notes/**)", "allow", kUser, "/home/user", SettingsScope::kUser},
      {"Bash(rm:*)", "deny", kUser, "/home/user", SettingsScope::kUser},
      {"Bash(npm test)", "allow", kProject, root, SettingsScope::kProject},
      {"Read(/src/**)", "allow", kProject, root, SettingsScope::kProject},
      {"WebFetch", "ask", kLocal, root, SettingsScope::kLocal},
      {"Read(./.env)", "deny", kManaged, root, SettingsScope::kManaged},
  };
  ASSERT_EQ(s.permission_rules.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(s.permission_rules[i].rule, want[i].rule);
    EXPECT_EQ(s.permission_rules[i].list, want[i].list);
    EXPECT_EQ(s.permission_rules[i].source_file, want[i].source_file);
    EXPECT_EQ(s.permission_rules[i].root_dir, want[i].root_dir);
    EXPECT_EQ(s.permission_rules[i].scope, want[i].scope);
  }
  EXPECT_EQ(s.default_mode, "acceptEdits");
  EXPECT_EQ(s.default_mode_origin, kLocal);
  EXPECT_EQ(s.additional_directories, (std::vector<std::string>{"~/shared", "../lib"}));
}

TEST_F(SettingsTest, RulesFromCliAndManagedUseCwdWhenThereIsNoProject) {
  env_.cwd = "/work/tree";
  env_.files.clear();
  options_.cli_settings = R"json({"permissions": {"allow": ["Edit"]}})json";
  Settings s = Load();
  ASSERT_EQ(s.permission_rules.size(), 1u);
  EXPECT_EQ(s.permission_rules[0].root_dir, "/work/tree");
  EXPECT_EQ(s.permission_rules[0].source_file, "--settings");
  EXPECT_EQ(s.permission_rules[0].scope, SettingsScope::kCommandLine);
}

TEST_F(SettingsTest, AwsRefreshKeysTrackTheirOrigins) {
  env_.files[kUser] = R"json({"awsAuthRefresh": "aws sso login --profile dev",
                          "awsCredentialExport": "/usr/local/bin/creds --user"})json";
  env_.files[kProject] = R"json({"awsAuthRefresh": "aws sso login --profile proj"})json";
  Settings s = Load();
  EXPECT_EQ(s.aws_auth_refresh, "aws sso login --profile proj");
  EXPECT_EQ(s.aws_auth_refresh_origin, kProject);
  EXPECT_EQ(s.aws_credential_export, "/usr/local/bin/creds --user");
  EXPECT_EQ(s.aws_credential_export_origin, kUser);
}

// --- unreadable files ---

class UnreadableEnv : public testing::FakeEnv {
 public:
  std::string denied;
  Result<std::string> ReadFile(const std::string& path) const override {
    if (path == denied) {
      return MakeError("io.error", "cannot read " + path + ": Permission denied", "");
    }
    return testing::FakeEnv::ReadFile(path);
  }
};

TEST(SettingsUnreadableTest, UnreadableFileIsAnError) {
  UnreadableEnv env;
  env.files[kUser] = R"json({"model": "x"})json";
  env.denied = kUser;
  SettingsOptions options;
  options.managed_dir = "/managed";
  Result<Settings> r = LoadSettings(env, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "settings.unreadable");
  EXPECT_NE(r.error().message.find("Permission denied"), std::string::npos);
  EXPECT_NE(r.error().message.find(kUser), std::string::npos);
  EXPECT_NE(r.error().fix.find("chmod"), std::string::npos);
}

TEST(SettingsUnreadableTest, DirectoryInPlaceOfFileIsAnError) {
  testing::FakeEnv env;
  env.files["/home/user/.claude/settings.json/oops"] = "x";
  SettingsOptions options;
  options.managed_dir = "/managed";
  Result<Settings> r = LoadSettings(env, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "settings.unreadable");
}

// --- the real file system ---

// The real file system with a private home directory and no CLAUDE_CONFIG_DIR, so the machine's own
// ~/.claude/settings.json is never read.
class RealFsEnv : public Env {
 public:
  explicit RealFsEnv(std::string home) : home_(std::move(home)) {}
  std::optional<std::string> GetVar(std::string_view name) const override {
    if (name == "CLAUDE_CONFIG_DIR" || name == "HOME") return std::nullopt;
    return real_.GetVar(name);
  }
  void SetVar(std::string_view, std::string_view, std::string_view) override {}
  void UnsetVar(std::string_view, std::string_view) override {}
  std::string VarOrigin(std::string_view name) const override { return real_.VarOrigin(name); }
  std::map<std::string, std::string> AllVars() const override { return real_.AllVars(); }
  std::string HomeDir() const override { return home_; }
  std::string CurrentDir() const override { return real_.CurrentDir(); }
  Clock::time_point Now() const override { return real_.Now(); }
  void SleepFor(std::chrono::milliseconds) override {}
  Result<std::string> ReadFile(const std::string& path) const override {
    return real_.ReadFile(path);
  }
  FileInfo Stat(const std::string& path) const override { return real_.Stat(path); }
  Status WriteFileAtomic(const std::string& path, std::string_view data, uint32_t mode) override {
    return real_.WriteFileAtomic(path, data, mode);
  }
  Status AppendFile(const std::string& path, std::string_view data, uint32_t mode) override {
    return real_.AppendFile(path, data, mode);
  }
  std::vector<std::string> ListDir(const std::string& path) const override {
    return real_.ListDir(path);
  }
  Status MakeDirs(const std::string& path, uint32_t mode) override {
    return real_.MakeDirs(path, mode);
  }
  Status RemoveFile(const std::string& path) override { return real_.RemoveFile(path); }

 private:
  Env& real_ = RealEnv();
  std::string home_;
};

class RealFsSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/brock-settings-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::string cmd = "rm -rf '" + dir_ + "'";
    (void)std::system(cmd.c_str());
  }
  void Write(const std::string& rel, const std::string& text) {
    ASSERT_TRUE(RealEnv().WriteFileAtomic(dir_ + "/" + rel, text, 0644).ok());
  }
  std::string dir_;
};

TEST_F(RealFsSettingsTest, ManagedDropInDirectoryOnDisk) {
  Write("etc/managed-settings.json", R"json({"model": "base"})json");
  Write("etc/managed-settings.d/b.json", R"json({"model": "b"})json");
  Write("etc/managed-settings.d/a.json", R"json({"model": "a", "env": {"K": "a"}})json");
  ASSERT_TRUE(RealEnv().MakeDirs(dir_ + "/etc/managed-settings.d/z.json", 0755).ok());
  Write("proj/.git/HEAD", "x");
  Write("proj/.claude/settings.json", R"json({"env": {"K": "project"}})json");
  Write("home/.claude/settings.json", R"json({"model": "user", "env": {"U": "1"}})json");
  RealFsEnv env(dir_ + "/home");
  SettingsOptions options;
  options.managed_dir = dir_ + "/etc";
  options.cwd = dir_ + "/proj/./";
  Result<Settings> r = LoadSettings(env, options);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->model, "b");
  EXPECT_EQ(r->env["U"].second, dir_ + "/home/.claude/settings.json");
  EXPECT_EQ(r->env["K"].first, "a");
  EXPECT_EQ(r->project_root, dir_ + "/proj");
  EXPECT_EQ(r->files_loaded,
            (std::vector<std::string>{
                dir_ + "/home/.claude/settings.json", dir_ + "/proj/.claude/settings.json",
                dir_ + "/etc/managed-settings.json", dir_ + "/etc/managed-settings.d/a.json",
                dir_ + "/etc/managed-settings.d/b.json"}));
}

}  // namespace
}  // namespace brock
