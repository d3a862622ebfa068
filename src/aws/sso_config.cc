#include "aws/sso_config.h"

#include "base/strings.h"

namespace brock {

namespace {

std::string FileOf(const ProfileSection& section, std::string_view key, const AwsConfig& config) {
  std::string origin = section.Origin(key);
  return origin.empty() ? config.config_path : origin;
}

std::vector<std::string> ParseScopes(std::string_view text) {
  std::vector<std::string> scopes;
  for (const std::string& part : Split(text, ',')) {
    std::string_view s = Trim(part);
    if (!s.empty()) scopes.emplace_back(s);
  }
  return scopes;
}

std::string ConfigureFix(std::string_view profile) {
  return "add the missing keys, or recreate the profile with: aws configure sso --profile " +
         std::string(profile.empty() ? "NAME" : profile);
}

Result<SsoSessionConfig> FromSessionSection(const AwsConfig& config, const ProfileSection& session,
                                            std::string_view profile) {
  SsoSessionConfig out;
  out.profile = std::string(profile);
  out.session_name = session.name;
  out.start_url = session.Get("sso_start_url").value_or("");
  out.region = session.Get("sso_region").value_or("");
  out.registration_scopes = ParseScopes(session.Get("sso_registration_scopes").value_or(""));
  std::string file = FileOf(session, "sso_start_url", config);
  out.origin = "[sso-session " + session.name + "] in " + file;
  std::vector<std::string> missing;
  if (Trim(out.start_url).empty()) missing.push_back("sso_start_url");
  if (Trim(out.region).empty()) missing.push_back("sso_region");
  if (!missing.empty()) {
    return MakeError("sso.config_incomplete",
                     "[sso-session " + session.name + "] in " + config.config_path +
                         " is missing " + Join(missing, " and "),
                     ConfigureFix(profile));
  }
  return out;
}

}  // namespace

bool ProfileUsesSso(const ProfileSection& profile) {
  return profile.Get("sso_session").has_value() || profile.Get("sso_start_url").has_value();
}

Result<SsoSessionConfig> ResolveSsoSessionByName(const AwsConfig& config,
                                                 std::string_view session_name) {
  auto it = config.sso_sessions.find(std::string(session_name));
  if (it == config.sso_sessions.end()) {
    std::vector<std::string> names;
    for (const auto& [name, _] : config.sso_sessions) names.push_back(name);
    return MakeError("sso.session_not_found",
                     "there is no [sso-session " + std::string(session_name) + "] section in " +
                         config.config_path,
                     "add it (aws configure sso-session), or use one that exists (" +
                         (names.empty() ? std::string("none") : Join(names, ", ")) + ")");
  }
  return FromSessionSection(config, it->second, "");
}

Result<std::optional<SsoSessionConfig>> ResolveSsoSession(const AwsConfig& config,
                                                          std::string_view profile) {
  const ProfileSection* section = config.Find(profile);
  if (!section || !ProfileUsesSso(*section)) return std::optional<SsoSessionConfig>();
  std::string p(profile);
  std::string file =
      FileOf(*section, section->Get("sso_session") ? "sso_session" : "sso_start_url", config);

  if (auto name = section->Get("sso_session")) {
    auto it = config.sso_sessions.find(*name);
    if (it == config.sso_sessions.end()) {
      return MakeError("sso.session_not_found",
                       "profile " + p + " has sso_session = " + *name + " (in " + file +
                           "), but there is no [sso-session " + *name + "] section",
                       "add [sso-session " + *name + "] with sso_start_url and sso_region to " +
                           config.config_path + ", or run: aws configure sso --profile " + p);
    }
    // Keys set on both the profile and the session must agree (botocore raises otherwise).
    for (const auto& [key, value] : it->second.properties) {
      auto mine = section->Get(key);
      if (mine && *mine != value) {
        return MakeError("sso.config_conflict",
                         "profile " + p + " sets " + key + " = " + *mine + " but [sso-session " +
                             *name + "] sets it to " + value + " (" + config.config_path + ")",
                         "remove " + key + " from [profile " + p + "] or make the two agree");
      }
    }
    auto session = FromSessionSection(config, it->second, profile);
    if (!session.ok()) return std::move(session).error();
    return std::optional<SsoSessionConfig>(std::move(session).value());
  }

  SsoSessionConfig out;
  out.profile = p;
  out.start_url = section->Get("sso_start_url").value_or("");
  out.region = section->Get("sso_region").value_or("");
  out.origin = "profile " + p + " in " + file;
  std::vector<std::string> missing;
  if (Trim(out.start_url).empty()) missing.push_back("sso_start_url");
  if (Trim(out.region).empty()) missing.push_back("sso_region");
  if (!missing.empty()) {
    return MakeError(
        "sso.config_incomplete",
        "profile " + p + " in " + file + " uses SSO but is missing " + Join(missing, " and "),
        ConfigureFix(profile));
  }
  return std::optional<SsoSessionConfig>(std::move(out));
}

Result<std::optional<SsoProfileConfig>> ResolveSsoProfile(const AwsConfig& config,
                                                          std::string_view profile) {
  auto session = ResolveSsoSession(config, profile);
  if (!session.ok()) return std::move(session).error();
  if (!session->has_value()) return std::optional<SsoProfileConfig>();
  const ProfileSection* section = config.Find(profile);
  SsoProfileConfig out;
  out.session = std::move(**session);
  out.account_id = std::string(Trim(section->Get("sso_account_id").value_or("")));
  out.role_name = std::string(Trim(section->Get("sso_role_name").value_or("")));
  std::vector<std::string> missing;
  if (out.account_id.empty()) missing.push_back("sso_account_id");
  if (out.role_name.empty()) missing.push_back("sso_role_name");
  if (!missing.empty()) {
    return MakeError("sso.config_incomplete",
                     "profile " + std::string(profile) + " in " +
                         FileOf(*section, "sso_session", config) + " uses SSO but is missing " +
                         Join(missing, " and ") + " (needed to get role credentials for Bedrock)",
                     "add them to [profile " + std::string(profile) +
                         "] (list yours with: aws sso "
                         "list-accounts / aws sso list-account-roles), or run: aws configure sso "
                         "--profile " +
                         std::string(profile));
  }
  return std::optional<SsoProfileConfig>(std::move(out));
}

}  // namespace brock
