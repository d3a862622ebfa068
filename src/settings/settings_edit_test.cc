// EditSettingsFile: merges keeping every other key, removes with null, backs up the old bytes,
// never touches a file that does not parse, and writes nothing when nothing changes.
#include "settings/settings_edit.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/fake_env.h"

namespace brock {
namespace {

TEST(SettingsEditTest, MergesKeepingOtherKeysAndBacksUp) {
  testing::FakeEnv env;
  const std::string path = "/home/user/.claude/settings.json";
  env.files[path] = R"({"theme": "dark", "env": {"FOO": "1", "AWS_PROFILE": "old"}})";
  auto edit =
      EditSettingsFile(env, path, Json{{"env", {{"AWS_PROFILE", "new"}, {"FOO", nullptr}}}});
  ASSERT_TRUE(edit.ok()) << edit.error().ToString();
  EXPECT_TRUE(edit->changed);
  EXPECT_FALSE(edit->created);
  Json now = Json::parse(env.files[path]);
  EXPECT_EQ(now, Json::parse(R"({"theme": "dark", "env": {"AWS_PROFILE": "new"}})"));
  EXPECT_EQ(edit->backup_path, path + ".backup-20260101T000000Z");
  EXPECT_EQ(env.files[edit->backup_path],
            R"({"theme": "dark", "env": {"FOO": "1", "AWS_PROFILE": "old"}})");
  EXPECT_EQ(env.modes[path], 0600u);
  // The same edit again changes nothing and makes no second backup.
  auto again = EditSettingsFile(env, path, Json{{"env", {{"AWS_PROFILE", "new"}}}});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->changed);
  EXPECT_TRUE(again->backup_path.empty());
}

TEST(SettingsEditTest, ASecondBackupInTheSameSecondGetsItsOwnName) {
  testing::FakeEnv env;
  const std::string path = "/p/settings.json";
  env.files[path] = "{}";
  ASSERT_TRUE(EditSettingsFile(env, path, Json{{"a", 1}}).ok());
  auto second = EditSettingsFile(env, path, Json{{"a", 2}});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->backup_path, path + ".backup-20260101T000000Z-2");
  EXPECT_EQ(env.files[second->backup_path], (Json{{"a", 1}}.dump(2) + "\n"));
}

TEST(SettingsEditTest, NewFileIsCreatedWithoutBackup) {
  testing::FakeEnv env;
  auto edit = EditSettingsFile(env, "/p/new.json", Json{{"env", {{"X", "y"}}}}, 0644);
  ASSERT_TRUE(edit.ok());
  EXPECT_TRUE(edit->created);
  EXPECT_TRUE(edit->backup_path.empty());
  EXPECT_EQ(env.modes["/p/new.json"], 0644u);
}

TEST(SettingsEditTest, BrokenJsonIsNeverOverwritten) {
  testing::FakeEnv env;
  const std::string path = "/p/settings.json";
  env.files[path] = "{\n  \"env\": {,}\n}\n";
  auto edit = EditSettingsFile(env, path, Json{{"env", {{"X", "y"}}}});
  ASSERT_FALSE(edit.ok());
  EXPECT_EQ(edit.error().code, "settings.syntax");
  EXPECT_NE(edit.error().message.find("/p/settings.json:2:"), std::string::npos)
      << edit.error().message;
  EXPECT_EQ(env.files[path], "{\n  \"env\": {,}\n}\n");
  EXPECT_EQ(env.files.size(), 1u) << "no backup, no new file";
  env.files[path] = "[1, 2]";
  EXPECT_EQ(EditSettingsFile(env, path, Json{{"a", 1}}).error().code, "settings.invalid");
}

}  // namespace
}  // namespace brock
