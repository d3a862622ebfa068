// Builds the credential provider for a profile, choosing among the kinds of credentials a
// profile can hold in botocore's order (docs/credential-chain.md):
//   1. role_arn + source_profile / credential_source     assume role (assume_role_credentials.h)
//   2. web_identity_token_file + role_arn                 web identity;
//   AWS_WEB_IDENTITY_TOKEN_FILE,
//      AWS_ROLE_ARN and AWS_ROLE_SESSION_NAME override the profile's keys one by one
//      (web_identity_credentials.h)
//   3. sso_session / sso_start_url                        SSO (the caller's make_sso)
//   4. static keys set in the credentials file            ProfileCredentialProvider
//   5. credential_process                                 process_credentials.h
//   6. static keys set in the config file                 ProfileCredentialProvider
// The first kind present is used. The cross-SDK suite's "assumeRole > session > basic" holds.
// MakeDefaultCredentialProviders lays out the whole chain: environment variables, the profile,
// container credentials, EC2 instance metadata.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "aws/assume_role_credentials.h"
#include "aws/config_file.h"
#include "aws/credential_provider.h"
#include "base/env.h"
#include "base/process.h"
#include "net/http_client.h"

namespace brock {

// Builds the SSO provider for a profile that has sso_session / sso_start_url.
using SsoProviderFactory =
    std::function<std::unique_ptr<CredentialProvider>(const std::string& profile)>;

struct ProfileProviderOptions {
  // The profile was chosen by AWS_PROFILE / AWS_DEFAULT_PROFILE (a missing profile or one
  // without credentials is then an error, not a reason to try the next source), and where that
  // choice came from (SelectProfile's origin).
  bool explicit_selection = false;
  std::string selection_origin = "default";
  // AWS_WEB_IDENTITY_TOKEN_FILE / AWS_ROLE_ARN / AWS_ROLE_SESSION_NAME apply (botocore ignores
  // them only when a program passes a profile name in code).
  bool use_env_web_identity = true;
  // Asks for MFA codes; empty in print mode (role.mfa_required then).
  MfaPrompt mfa_prompt;
  // Builds SSO providers; when empty, SSO profiles report "profile.unsupported".
  SsoProviderFactory make_sso;
  std::chrono::milliseconds process_timeout = std::chrono::minutes(2);
};

// The provider for `profile`. env, http, runner and config must outlive it. Configuration
// mistakes found while building are Errors here: role.cycle, role.source_not_found,
// role.no_source, role.source_conflict, role.bad_credential_source, role.bad_duration, and
// region.invalid / endpoint.invalid when the STS endpoint is needed and cannot be resolved.
// Everything else (missing profile, STS refusals, failing processes) comes from Load().
// A provider that fails with `error` when (and only when) the chain reaches it, so sources earlier
// in the chain still work beside a broken profile, as in botocore.
std::unique_ptr<CredentialProvider> MakeDeferredErrorProvider(std::string name, Error error);

Result<std::unique_ptr<CredentialProvider>> MakeProfileProvider(
    const Env& env, HttpClient& http, ProcessRunner& runner, const AwsConfig& config,
    std::string profile, ProfileProviderOptions options = {});

// The default chain, in order: EnvCredentialProvider, MakeProfileProvider for SelectProfile(env)
// (explicit_selection and selection_origin are taken from it, overriding `options`),
// ContainerCredentialProvider, ImdsCredentialProvider (with the profile's
// ec2_metadata_service_endpoint[_mode]). Hand the result to CredentialChain. A configuration
// error of the profile (role.cycle...) is reported by the profile's slot when the chain reaches
// it, so environment keys still win over a broken profile; the result is therefore always ok
// today (Result kept for future checks).
Result<std::vector<std::unique_ptr<CredentialProvider>>> MakeDefaultCredentialProviders(
    const Env& env, HttpClient& http, ProcessRunner& runner, const AwsConfig& config,
    ProfileProviderOptions options = {});

}  // namespace brock
