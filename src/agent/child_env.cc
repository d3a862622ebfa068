#include "agent/child_env.h"

#include "base/strings.h"
#include "settings/settings.h"
#include "settings/settings_locate.h"

namespace brock {

const std::vector<std::string>& ToolSecretVariables() {
  static const std::vector<std::string> k = {
      "AWS_BEARER_TOKEN_BEDROCK", "AWS_ACCESS_KEY_ID",    "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",        "AWS_SECURITY_TOKEN",   "AWS_CONTAINER_AUTHORIZATION_TOKEN",
      "ANTHROPIC_API_KEY",        "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN"};
  return k;
}

std::vector<std::string> ToolEnvironmentRemovals(const Env& env) {
  const std::string user_config_dir = DirName(UserSettingsPath(env));
  constexpr std::string_view kOptIn = "BROCK_TOOLS_INHERIT_CREDENTIALS";
  if (env.GetBool(kOptIn)) {
    std::string origin = env.VarOrigin(kOptIn);
    bool trusted_origin = origin == "the shell environment" ||
                          (!user_config_dir.empty() && StartsWith(origin, user_config_dir + "/")) ||
                          StartsWith(origin, std::string(kManagedSettingsDir) + "/");
    if (trusted_origin) return {};
  }
  std::vector<std::string> out;
  for (const std::string& name : ToolSecretVariables()) {
    if (env.GetVar(name).has_value()) out.push_back(name);
  }
  return out;
}

}  // namespace brock
