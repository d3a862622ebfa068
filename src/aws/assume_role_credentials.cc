#include "aws/assume_role_credentials.h"

#include <algorithm>

#include "aws/web_identity_credentials.h"
#include "base/error_codes.h"
#include "base/secrets.h"
#include "base/strings.h"

namespace brock {

namespace {

bool HasValue(const ProfileSection& p, std::string_view key) {
  auto v = p.Get(key);
  return v && !Trim(*v).empty();
}

std::string Value(const ProfileSection& p, std::string_view key) {
  return std::string(Trim(p.Get(key).value_or("")));
}

}  // namespace

bool HasAssumeRoleConfig(const ProfileSection& p) {
  return HasValue(p, "role_arn") && !HasValue(p, "web_identity_token_file");
}

bool HasStaticKeys(const ProfileSection& p) {
  return HasValue(p, "aws_access_key_id") || HasValue(p, "aws_secret_access_key");
}

Result<AssumeRoleConfig> ReadAssumeRoleConfig(const AwsConfig& config, const std::string& profile) {
  const ProfileSection* p = config.Find(profile);
  if (!p) {
    return MakeError("profile.not_found",
                     "profile " + profile + " is not in " + config.config_path + " or " +
                         config.credentials_path,
                     "check the profile name");
  }
  AssumeRoleConfig c;
  c.profile = profile;
  c.role_arn = Value(*p, "role_arn");
  c.source_profile = Value(*p, "source_profile");
  c.credential_source = Value(*p, "credential_source");
  c.role_session_name = Value(*p, "role_session_name");
  c.external_id = Value(*p, "external_id");
  c.mfa_serial = Value(*p, "mfa_serial");
  c.origin = p->Origin("role_arn");
  std::string where = "[profile " + profile + "] in " + c.origin;
  if (!c.source_profile.empty() && !c.credential_source.empty()) {
    return MakeError(
        "role.source_conflict",
        "profile " + profile + " sets both source_profile and credential_source (" + c.origin + ")",
        "keep only one of them in " + where);
  }
  if (c.source_profile.empty() && c.credential_source.empty()) {
    return MakeError("role.no_source",
                     "profile " + profile +
                         " has role_arn but neither source_profile nor credential_source (" +
                         c.origin + "), so there are no credentials to assume the role with",
                     "add source_profile = <a profile with credentials> (or credential_source = "
                     "Environment | Ec2InstanceMetadata | EcsContainer) to " +
                         where);
  }
  if (!c.credential_source.empty()) {
    std::string lower = ToLower(c.credential_source);
    if (lower == "environment")
      c.credential_source = "Environment";
    else if (lower == "ec2instancemetadata")
      c.credential_source = "Ec2InstanceMetadata";
    else if (lower == "ecscontainer")
      c.credential_source = "EcsContainer";
    else {
      return MakeError("role.bad_credential_source",
                       "profile " + profile + " has credential_source = " + c.credential_source +
                           ", which is not a credential source brock knows (" + c.origin + ")",
                       "use Environment, Ec2InstanceMetadata or EcsContainer in " + where);
    }
  }
  if (HasValue(*p, "duration_seconds")) {
    std::string d = Value(*p, "duration_seconds");
    bool digits = !d.empty() && d.size() <= 6 &&
                  std::all_of(d.begin(), d.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (!digits) {
      return MakeError("role.bad_duration",
                       "profile " + profile + " has duration_seconds = " + d +
                           ", which is not a number of seconds",
                       "set duration_seconds to a whole number between 900 and 43200 in " + where);
    }
    c.duration_seconds = std::stoi(d);
  }
  return c;
}

AssumeRoleCredentialProvider::AssumeRoleCredentialProvider(
    const Env& env, StsClient sts, std::unique_ptr<CredentialProvider> source,
    std::string source_description, AssumeRoleConfig config, MfaPrompt mfa_prompt)
    : env_(env),
      sts_(std::move(sts)),
      source_(std::move(source)),
      source_description_(std::move(source_description)),
      config_(std::move(config)),
      mfa_prompt_(std::move(mfa_prompt)) {}

std::string AssumeRoleCredentialProvider::name() const {
  return "profile " + config_.profile + " (role " + config_.role_arn + ")";
}

Result<std::optional<Credentials>> AssumeRoleCredentialProvider::Load() {
  using namespace std::chrono_literals;
  if (cached_ && (!cached_->expiration || env_.Now() < *cached_->expiration - 5min)) return cached_;
  cached_.reset();
  std::string context = "profile " + config_.profile + ": assuming role " + config_.role_arn +
                        " with credentials from " + source_description_;

  auto source = source_->Load();
  if (!source.ok()) {
    Error e = std::move(source).error();
    e.message = context + ": " + e.message;
    return e;
  }
  if (!source->has_value()) {
    return MakeError("role.source_missing",
                     context + ", but " + source_description_ + " has no credentials",
                     config_.credential_source.empty()
                         ? "give profile " + config_.source_profile +
                               " credentials (static keys, SSO or "
                               "credential_process), or point source_profile of [profile " +
                               config_.profile + "] at one that has them"
                         : "make credentials available from " + config_.credential_source +
                               ", or use source_profile instead of credential_source in [profile " +
                               config_.profile + "]");
  }

  AssumeRoleRequest request;
  request.role_arn = config_.role_arn;
  request.role_session_name =
      config_.role_session_name.empty() ? DefaultRoleSessionName(env_) : config_.role_session_name;
  request.external_id = config_.external_id;
  request.duration_seconds = config_.duration_seconds;
  if (!config_.mfa_serial.empty()) {
    if (!mfa_prompt_) {
      return MakeError(
          "role.mfa_required",
          "profile " + config_.profile + " needs an MFA code for " + config_.mfa_serial +
              " to assume role " + config_.role_arn +
              ", but brock cannot prompt for it here "
              "(print mode or no terminal)",
          "run brock interactively to enter the code, or export temporary credentials first "
          "(eval \"$(aws configure export-credentials --profile " +
              config_.profile + " --format env)\") or set awsCredentialExport in settings");
    }
    auto code = mfa_prompt_(config_.profile, config_.mfa_serial);
    if (!code.ok()) return std::move(code).error();
    request.serial_number = config_.mfa_serial;
    request.token_code = std::string(Trim(*code));
  }

  auto creds = sts_.AssumeRole(**source, request);
  if (!creds.ok()) {
    Error e = std::move(creds).error();
    e.message = ScrubSecrets(context + " failed: " + e.message);
    if (errc::Is(e, errc::kStsAccessDenied)) {
      e.fix = "check that the trust policy of " + config_.role_arn +
              " allows sts:AssumeRole for the "
              "identity of " +
              source_description_ + (config_.external_id.empty() ? "" : " with this external_id") +
              (config_.mfa_serial.empty() ? "" : " with MFA") +
              ", and that this identity's own policy allows sts:AssumeRole on the role";
    } else if (errc::Is(e, errc::kStsExpiredToken) || errc::Is(e, errc::kStsInvalidCredentials)) {
      e.fix = "refresh the credentials of " + source_description_ +
              " (for SSO: aws sso login --profile " + config_.source_profile + "), then retry";
    }
    return e;
  }
  Credentials c = std::move(creds).value();
  c.profile = config_.profile;
  c.source = "profile " + config_.profile + " (role " + config_.role_arn + " via " +
             source_description_ + ")";
  cached_ = c;
  return std::optional<Credentials>(std::move(c));
}

static Result<std::unique_ptr<CredentialProvider>> BuildChain(const RoleChainContext& ctx,
                                                              const std::string& profile,
                                                              std::vector<std::string>& visited) {
  auto cfg = ReadAssumeRoleConfig(ctx.config, profile);
  if (!cfg.ok()) return std::move(cfg).error();
  std::unique_ptr<CredentialProvider> source;
  std::string description;
  if (!cfg->credential_source.empty()) {
    source = ctx.named_source(cfg->credential_source);
    description = "credential_source " + cfg->credential_source;
  } else {
    const std::string& sp = cfg->source_profile;
    const ProfileSection* section = ctx.config.Find(sp);
    if (!section) {
      return MakeError(
          "role.source_not_found",
          "profile " + profile + " names source_profile " + sp + " (" + cfg->origin +
              "), which is not in " + ctx.config.config_path + " or " + ctx.config.credentials_path,
          "create [profile " + sp + "] or fix source_profile in [profile " + profile + "]");
    }
    if (std::find(visited.begin(), visited.end(), sp) != visited.end() &&
        (sp != profile || !HasStaticKeys(*section))) {
      std::vector<std::string> cycle(std::find(visited.begin(), visited.end(), sp), visited.end());
      cycle.push_back(sp);
      return MakeError("role.cycle",
                       "the source_profile chain of profile " + visited.front() +
                           " loops: " + Join(cycle, " -> "),
                       "change source_profile in one of these profiles (" + ctx.config.config_path +
                           ") so the chain ends at a profile with credentials");
    }
    visited.push_back(sp);
    description = "profile " + sp;
    if (HasStaticKeys(*section) || !HasAssumeRoleConfig(*section)) {
      auto chain = ctx.profile_chain(sp);
      if (!chain.ok()) return std::move(chain).error();
      source = std::move(chain).value();
    } else {
      auto hop = BuildChain(ctx, sp, visited);
      if (!hop.ok()) return std::move(hop).error();
      source = std::move(hop).value();
    }
  }
  return std::unique_ptr<CredentialProvider>(std::make_unique<AssumeRoleCredentialProvider>(
      ctx.env, ctx.sts, std::move(source), description, std::move(cfg).value(), ctx.mfa_prompt));
}

Result<std::unique_ptr<CredentialProvider>> MakeAssumeRoleChain(const RoleChainContext& context,
                                                                const std::string& profile) {
  std::vector<std::string> visited = {profile};
  return BuildChain(context, profile, visited);
}

}  // namespace brock
