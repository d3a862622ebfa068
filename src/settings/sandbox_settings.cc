#include "settings/sandbox_settings.h"

#include <nlohmann/json.hpp>

namespace brock {
namespace {

void ReadBool(const Json& obj, const char* key, bool* out) {
  if (obj.is_object() && obj.contains(key) && obj[key].is_boolean()) *out = obj[key].get<bool>();
}

void ReadList(const Json& obj, const char* key, std::vector<std::string>* out) {
  if (!obj.is_object() || !obj.contains(key) || !obj[key].is_array()) return;
  for (const Json& v : obj[key]) {
    if (v.is_string() && !v.get<std::string>().empty()) out->push_back(v.get<std::string>());
  }
}

}  // namespace

SandboxSettings ReadSandboxSettings(const Json& merged) {
  SandboxSettings s;
  if (!merged.is_object() || !merged.contains("sandbox") || !merged["sandbox"].is_object()) {
    return s;
  }
  const Json& sb = merged["sandbox"];
  ReadBool(sb, "enabled", &s.enabled);
  ReadBool(sb, "autoAllowBashIfSandboxed", &s.auto_allow);
  ReadBool(sb, "allowUnsandboxedCommands", &s.allow_unsandboxed);
  ReadBool(sb, "failIfUnavailable", &s.fail_if_unavailable);
  ReadList(sb, "excludedCommands", &s.excluded_commands);
  if (sb.contains("network") && sb["network"].is_object()) {
    const Json& net = sb["network"];
    ReadList(net, "allowedDomains", &s.allowed_domains);
    ReadList(net, "allowUnixSockets", &s.allow_unix_sockets);
    ReadBool(net, "allowLocalBinding", &s.allow_local_binding);
  }
  if (sb.contains("filesystem") && sb["filesystem"].is_object()) {
    const Json& fs = sb["filesystem"];
    ReadList(fs, "allowWrite", &s.allow_write);
    ReadList(fs, "denyWrite", &s.deny_write);
    ReadList(fs, "denyRead", &s.deny_read);
    ReadList(fs, "allowRead", &s.allow_read);
  }
  return s;
}

}  // namespace brock
