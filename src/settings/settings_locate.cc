#include "settings/settings_locate.h"

#include "base/strings.h"

namespace brock {

const char* SettingsScopeName(SettingsScope scope) {
  switch (scope) {
    case SettingsScope::kUser:
      return "user";
    case SettingsScope::kProject:
      return "project";
    case SettingsScope::kLocal:
      return "local";
    case SettingsScope::kCommandLine:
      return "command line";
    case SettingsScope::kManaged:
      return "managed";
  }
  return "unknown";
}

std::string NormalizePath(const std::string& base, const std::string& path) {
  std::string joined = path.empty() || path[0] != '/' ? JoinPath(base, path) : path;
  bool absolute = !joined.empty() && joined[0] == '/';
  std::vector<std::string> parts;
  for (const std::string& part : Split(joined, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!absolute) {
        parts.push_back(part);
      }
      continue;
    }
    parts.push_back(part);
  }
  std::string out = absolute ? "/" : "";
  out += Join(parts, "/");
  if (out.empty()) out = ".";
  return out;
}

namespace {

bool IsFile(const Env& env, const std::string& path) {
  FileInfo info = env.Stat(path);
  return info.exists && !info.is_directory;
}

}  // namespace

ProjectLocation FindProject(const Env& env, const std::string& cwd) {
  ProjectLocation found;
  std::string home = NormalizePath("/", env.HomeDir());
  std::string dir = NormalizePath("/", cwd);
  for (;;) {
    if (dir == home) break;  // ~/.claude belongs to the user scope, never the project
    std::string claude = JoinPath(dir, ".claude");
    if (found.root.empty() && (IsFile(env, JoinPath(claude, "settings.json")) ||
                               IsFile(env, JoinPath(claude, "settings.local.json")))) {
      found.root = dir;
    }
    if (env.Stat(JoinPath(dir, ".git")).exists) {
      found.git_root = dir;
      break;
    }
    if (dir == "/") break;
    dir = DirName(dir);
  }
  return found;
}

std::string UserSettingsPath(const Env& env) {
  if (auto dir = env.GetNonEmpty("CLAUDE_CONFIG_DIR")) {
    return JoinPath(ExpandHome(env, *dir), "settings.json");
  }
  return JoinPath(JoinPath(env.HomeDir(), ".claude"), "settings.json");
}

std::vector<std::string> ManagedSettingsPaths(const Env& env, const std::string& managed_dir) {
  std::vector<std::string> paths;
  paths.push_back(JoinPath(managed_dir, "managed-settings.json"));
  std::string drop_in = JoinPath(managed_dir, "managed-settings.d");
  for (const std::string& name : env.ListDir(drop_in)) {  // ListDir sorts by name
    if (StartsWith(name, ".") || !EndsWith(name, ".json")) continue;
    std::string path = JoinPath(drop_in, name);
    if (env.Stat(path).is_directory) continue;
    paths.push_back(path);
  }
  return paths;
}

}  // namespace brock
