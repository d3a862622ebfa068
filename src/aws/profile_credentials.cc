#include "aws/profile_credentials.h"

#include "base/secrets.h"
#include "base/strings.h"

namespace brock {

ProfileCredentialProvider::ProfileCredentialProvider(const AwsConfig& config, std::string profile,
                                                     bool explicit_selection,
                                                     std::string selection_origin)
    : config_(config),
      profile_(std::move(profile)),
      explicit_(explicit_selection),
      origin_(std::move(selection_origin)) {}

namespace {

std::string ProfileNames(const AwsConfig& config) {
  std::vector<std::string> names;
  for (const auto& [name, _] : config.profiles) names.push_back(name);
  return names.empty() ? "none" : Join(names, ", ");
}

}  // namespace

Result<std::optional<Credentials>> ProfileCredentialProvider::Load() {
  const ProfileSection* section = config_.Find(profile_);
  if (!section) {
    if (!explicit_) return std::optional<Credentials>();
    return MakeError(
        "profile.not_found",
        "AWS_PROFILE=" + profile_ + " (from " + origin_ + ") names a profile that is not in " +
            config_.config_path + " or " + config_.credentials_path,
        "check the spelling against the profiles that exist (" + ProfileNames(config_) +
            "), or create it with: aws configure sso --profile " + profile_);
  }
  auto get = [&](const char* key) -> std::string {
    auto it = section->properties.find(key);
    return it == section->properties.end() ? std::string() : it->second;
  };
  std::string id = get("aws_access_key_id");
  std::string secret = get("aws_secret_access_key");
  if (!id.empty() || !secret.empty()) {
    if (id.empty() || secret.empty()) {
      return MakeError("profile.incomplete_keys",
                       "profile " + profile_ + " has " +
                           (id.empty() ? "aws_secret_access_key but no aws_access_key_id"
                                       : "aws_access_key_id but no aws_secret_access_key"),
                       "add the missing key to [" + profile_ + "] in " + config_.credentials_path);
    }
    Credentials c;
    c.access_key_id = id;
    c.secret_access_key = secret;
    c.session_token = get("aws_session_token");
    c.profile = profile_;
    c.source = "profile " + profile_ + " (static keys)";
    RegisterSecret(c.secret_access_key);
    RegisterSecret(c.session_token);
    return std::optional<Credentials>(std::move(c));
  }
  std::string kind;
  if (!get("sso_session").empty() || !get("sso_start_url").empty())
    kind = "IAM Identity Center (SSO)";
  else if (!get("role_arn").empty())
    kind = "role (role_arn)";
  else if (!get("credential_process").empty())
    kind = "credential_process";
  else if (!get("web_identity_token_file").empty())
    kind = "web identity";
  if (!kind.empty()) {
    return MakeError(
        "profile.unsupported",
        "profile " + profile_ + " is set up for " + kind +
            " credentials, but that configuration is incomplete",
        "check [profile " + profile_ + "] in " + config_.config_path +
            " for the settings that kind of profile needs, or run: aws configure --profile " +
            profile_);
  }
  if (!explicit_) return std::optional<Credentials>();
  return MakeError(
      "profile.no_credentials",
      "profile " + profile_ + " (selected by AWS_PROFILE from " + origin_ + ") has no credentials",
      "add aws_access_key_id and aws_secret_access_key to [" + profile_ + "] in " +
          config_.credentials_path +
          ", or configure SSO with: aws configure sso "
          "--profile " +
          profile_);
}

}  // namespace brock
