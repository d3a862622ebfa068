#include "settings/local_rules.h"

#include <nlohmann/json.hpp>

#include "base/json.h"

namespace brock {

Status AddLocalAllowRule(Env& env, const std::string& dir, const std::string& rule) {
  const std::string path = JoinPath(JoinPath(dir, ".claude"), "settings.local.json");
  Json doc = Json::object();
  if (env.Stat(path).exists) {
    Result<std::string> text = env.ReadFile(path);
    if (!text.ok()) return text.error();
    Result<Json> parsed = ParseJson(*text, path);
    if (!parsed.ok()) return parsed.error();
    doc = std::move(*parsed);
  }
  auto invalid = [&](const std::string& what) {
    return MakeError(
        "settings.invalid", path + ": " + what,
        "fix the file by hand, or add the rule " + rule + " to permissions.allow yourself");
  };
  if (!doc.is_object()) return invalid("the top level is not an object");
  Json& perms = doc["permissions"];
  if (perms.is_null()) perms = Json::object();
  if (!perms.is_object()) return invalid("\"permissions\" is not an object");
  Json& allow = perms["allow"];
  if (allow.is_null()) allow = Json::array();
  if (!allow.is_array()) return invalid("\"permissions.allow\" is not an array");
  for (const Json& r : allow) {
    if (r.is_string() && r.get<std::string>() == rule) return Status();
  }
  allow.push_back(rule);
  return env.WriteFileAtomic(path, doc.dump(2) + "\n", 0644);
}

std::string LocalRulesDir(const Env& env, const std::string& cwd) {
  const std::string home = env.HomeDir();
  for (std::string d = cwd; !d.empty(); d = DirName(d)) {
    if (d == home) break;
    if (env.Stat(JoinPath(d, ".git")).exists) return d;
    if (d == "/") break;
  }
  return cwd;
}

}  // namespace brock
