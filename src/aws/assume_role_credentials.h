// Credentials from assuming an IAM role (STS AssumeRole), configured on a profile:
//
//   [profile dev]
//   role_arn = arn:aws:iam::123456789012:role/Dev
//   source_profile = base            # or: credential_source = Environment | Ec2InstanceMetadata
//                                    #                        | EcsContainer
//   external_id = ...                # optional
//   role_session_name = me           # optional, default "brock-<unix time>"
//   duration_seconds = 3600          # optional
//   mfa_serial = arn:aws:iam::123456789012:mfa/me   # optional: a code is asked for
//
// Source profiles chain to any depth, resolved as botocore does: a source profile that has
// static keys (aws_access_key_id or aws_secret_access_key), or has no role_arn, is resolved by
// the profile chain (web identity, SSO, static keys, credential_process); otherwise it is
// itself an assume-role hop. A chain that comes back to a profile already visited is an error
// ("role.cycle"), except a profile naming itself as source_profile when it holds static keys
// (keys and role in one profile).
//
// Profiles with both role_arn and web_identity_token_file are web identity profiles
// (web_identity_credentials.h), not handled here.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "aws/config_file.h"
#include "aws/credential_provider.h"
#include "aws/sts_client.h"

namespace brock {

// Asks the user for the current code of an MFA device. `profile` is the profile that needs it,
// `mfa_serial` the device ARN. Returns the code or an Error (e.g. the user cancelled).
using MfaPrompt =
    std::function<Result<std::string>(const std::string& profile, const std::string& mfa_serial)>;

struct AssumeRoleConfig {
  std::string profile;  // the profile holding role_arn
  std::string role_arn;
  std::string source_profile;  // exactly one of source_profile / credential_source is set
  std::string credential_source;
  std::string role_session_name;  // "" -> "brock-<unix time>"
  std::string external_id;
  std::optional<int> duration_seconds;
  std::string mfa_serial;
  std::string origin;  // the file that set role_arn
};

// True when `profile` assumes a role by source_profile / credential_source: it has role_arn and
// no web_identity_token_file.
bool HasAssumeRoleConfig(const ProfileSection& profile);
// True when `profile` has aws_access_key_id or aws_secret_access_key.
bool HasStaticKeys(const ProfileSection& profile);

// Reads and checks the role settings of `profile`. Errors: profile.not_found, role.no_source
// (neither source_profile nor credential_source), role.source_conflict (both),
// role.bad_credential_source (not Environment, Ec2InstanceMetadata or EcsContainer),
// role.bad_duration (duration_seconds not a whole number of seconds).
Result<AssumeRoleConfig> ReadAssumeRoleConfig(const AwsConfig& config, const std::string& profile);

class AssumeRoleCredentialProvider : public CredentialProvider {
 public:
  // `source` supplies the credentials that sign AssumeRole; `source_description` names it in
  // messages ("profile base", "credential_source Environment"). `mfa_prompt` may be empty (print
  // mode): a profile with mfa_serial then fails with role.mfa_required. `env` (clock) must
  // outlive the provider.
  AssumeRoleCredentialProvider(const Env& env, StsClient sts,
                               std::unique_ptr<CredentialProvider> source,
                               std::string source_description, AssumeRoleConfig config,
                               MfaPrompt mfa_prompt);
  std::string name() const override;
  // Always configured. Credentials are cached until 5 minutes before they expire. Errors:
  // role.source_missing (the source has no credentials), role.mfa_required, errors of the
  // source, and the sts.* errors of StsClient with a message naming the profile, role ARN and
  // source (sts.access_denied gets a fix about the trust policy).
  Result<std::optional<Credentials>> Load() override;

 private:
  const Env& env_;
  StsClient sts_;
  std::unique_ptr<CredentialProvider> source_;
  std::string source_description_;
  AssumeRoleConfig config_;
  MfaPrompt mfa_prompt_;
  std::optional<Credentials> cached_;
};

// What MakeAssumeRoleChain needs to build the providers of a chain.
struct RoleChainContext {
  const Env& env;
  const AwsConfig& config;
  StsClient sts;
  MfaPrompt mfa_prompt;
  // The provider for a source profile resolved by the profile chain (see above); never null.
  std::function<Result<std::unique_ptr<CredentialProvider>>(const std::string& profile)>
      profile_chain;
  // The provider for a credential_source value (Environment, Ec2InstanceMetadata, EcsContainer);
  // never null.
  std::function<std::unique_ptr<CredentialProvider>(const std::string& credential_source)>
      named_source;
};

// Builds the provider for `profile` (which must satisfy HasAssumeRoleConfig) and, recursively,
// its sources. Errors: those of ReadAssumeRoleConfig, role.source_not_found (source_profile
// names no profile), role.cycle (the message lists the chain, "a -> b -> c -> a").
Result<std::unique_ptr<CredentialProvider>> MakeAssumeRoleChain(const RoleChainContext& context,
                                                                const std::string& profile);

}  // namespace brock
