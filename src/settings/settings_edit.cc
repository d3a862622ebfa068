#include "settings/settings_edit.h"

#include <nlohmann/json.hpp>

#include <ctime>

namespace brock {

void ApplySettingsPatch(Json& target, const Json& patch) {
  if (!target.is_object()) target = Json::object();
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (it.value().is_null()) {
      target.erase(it.key());
    } else if (it.value().is_object() && target.contains(it.key()) &&
               target[it.key()].is_object()) {
      ApplySettingsPatch(target[it.key()], it.value());
    } else {
      target[it.key()] = it.value();
    }
  }
}

std::string BackupTimestamp(Clock::time_point time) {
  std::time_t t = Clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

Result<SettingsFileEdit> EditSettingsFile(Env& env, const std::string& path, const Json& patch,
                                          uint32_t mode) {
  SettingsFileEdit edit;
  edit.path = path;
  Json current = Json::object();
  std::string old_text;
  FileInfo info = env.Stat(path);
  if (info.exists) {
    if (info.is_directory) {
      return MakeError("settings.unreadable", path + " is a directory, not a settings file",
                       "remove or rename the directory, then run the command again");
    }
    auto text = env.ReadFile(path);
    if (!text.ok()) {
      Error e = std::move(text).error();
      return MakeError("settings.unreadable", "cannot read " + path + ": " + e.message,
                       "fix the file's permissions, then run the command again");
    }
    old_text = *text;
    bool blank = old_text.find_first_not_of(" \t\r\n") == std::string::npos;
    if (!blank) {
      auto parsed = ParseJson(old_text, path);
      if (!parsed.ok()) {
        Error e = std::move(parsed).error();
        return MakeError(
            "settings.syntax", e.message,
            "fix the JSON in " + path + " (nothing was changed), then run the command again");
      }
      if (!parsed->is_object()) {
        return MakeError("settings.invalid", path + ": the top level is not a JSON object",
                         "make the file a JSON object ({...}); nothing was changed");
      }
      current = std::move(*parsed);
    }
  } else {
    edit.created = true;
  }
  Json updated = current;
  ApplySettingsPatch(updated, patch);
  if (info.exists && updated == current) return edit;
  edit.changed = true;
  if (info.exists) {
    std::string base = path + ".backup-" + BackupTimestamp(env.Now());
    std::string backup = base;
    for (int n = 2; env.Stat(backup).exists && n < 1000; ++n)
      backup = base + "-" + std::to_string(n);
    if (Status s = env.WriteFileAtomic(backup, old_text, 0600); !s.ok()) {
      Error e = s.error();
      return MakeError("settings.backup",
                       "cannot back up " + path + " to " + backup + ": " + e.message,
                       "make the directory writable; nothing was changed");
    }
    edit.backup_path = backup;
  }
  if (Status s = env.WriteFileAtomic(path, updated.dump(2) + "\n", mode); !s.ok()) {
    Error e = s.error();
    return MakeError("settings.write", "cannot write " + path + ": " + e.message,
                     "make the file and its directory writable, then run the command again");
  }
  return edit;
}

}  // namespace brock
