#include "aws/web_identity_credentials.h"

#include "base/error_codes.h"
#include "base/secrets.h"
#include "base/strings.h"

namespace brock {

std::string DefaultRoleSessionName(const Env& env) {
  return "brock-" + std::to_string(Clock::to_time_t(env.Now()));
}

std::optional<WebIdentityConfig> FindWebIdentityConfig(const Env& env, const AwsConfig& config,
                                                       const std::string& profile, bool use_env) {
  const ProfileSection* section = config.Find(profile);
  auto lookup = [&](const char* var, const char* key, std::string* origin) -> std::string {
    if (use_env) {
      if (auto v = env.GetVar(var)) {
        if (origin) *origin = std::string(var) + " (from " + env.VarOrigin(var) + ")";
        return *v;
      }
    }
    if (section) {
      if (auto v = section->Get(key)) {
        if (origin)
          *origin = "web_identity_token_file of profile " + profile + " in " + section->Origin(key);
        return *v;
      }
    }
    return "";
  };
  WebIdentityConfig c;
  c.token_file = lookup("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file", &c.origin);
  if (c.token_file.empty()) return std::nullopt;
  c.role_arn = lookup("AWS_ROLE_ARN", "role_arn", nullptr);
  c.role_session_name = lookup("AWS_ROLE_SESSION_NAME", "role_session_name", nullptr);
  if (!StartsWith(c.origin, "AWS_")) c.profile = profile;
  return c;
}

WebIdentityCredentialProvider::WebIdentityCredentialProvider(const Env& env, StsClient sts,
                                                             WebIdentityConfig config)
    : env_(env), sts_(std::move(sts)), config_(std::move(config)) {}

std::string WebIdentityCredentialProvider::name() const {
  return config_.profile.empty() ? "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)"
                                 : "web identity of profile " + config_.profile;
}

Result<std::optional<Credentials>> WebIdentityCredentialProvider::Load() {
  if (config_.role_arn.empty()) {
    return MakeError(
        "webidentity.no_role_arn",
        "a web identity token file is configured (" + config_.origin +
            ") but no role ARN to assume with it",
        config_.profile.empty()
            ? "set AWS_ROLE_ARN to the role to assume"
            : "add role_arn = arn:aws:iam::ACCOUNT:role/NAME to profile " + config_.profile);
  }
  std::string path = ExpandHome(env_, config_.token_file);
  auto token = env_.ReadFile(path);
  if (!token.ok()) {
    return MakeError(
        "webidentity.token_unreadable",
        "cannot read the web identity token file " + path + " (" + config_.origin + ")",
        "check that the file exists and is readable; on EKS, check the pod's service "
        "account annotation (eks.amazonaws.com/role-arn)");
  }
  std::string jwt(Trim(*token));
  if (jwt.empty()) {
    return MakeError(
        "webidentity.token_empty",
        "the web identity token file " + path + " (" + config_.origin + ") is empty",
        "check what writes the token file (the EKS pod identity webhook, the CI's OIDC step)");
  }
  RegisterSecret(jwt);
  AssumeRoleWithWebIdentityRequest request;
  request.role_arn = config_.role_arn;
  request.role_session_name =
      config_.role_session_name.empty() ? DefaultRoleSessionName(env_) : config_.role_session_name;
  request.web_identity_token = jwt;
  auto creds = sts_.AssumeRoleWithWebIdentity(request);
  if (!creds.ok()) {
    Error e = std::move(creds).error();
    e.message = "assuming role " + config_.role_arn + " with the web identity token in " + path +
                " failed: " + e.message;
    if (errc::Is(e, errc::kStsAccessDenied)) {
      e.fix =
          "check that the role's trust policy allows sts:AssumeRoleWithWebIdentity for this "
          "identity provider and subject";
    }
    return e;
  }
  Credentials c = std::move(creds).value();
  c.profile = config_.profile;
  c.source = "web identity: role " + config_.role_arn + " (token " + config_.origin + ")";
  return std::optional<Credentials>(std::move(c));
}

}  // namespace brock
