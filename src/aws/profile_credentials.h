// Credentials from a named profile in the shared config and credentials files.
// Today: static keys (aws_access_key_id / aws_secret_access_key / aws_session_token). Profiles
// that use SSO, roles or credential_process are recognised and reported as such.
#pragma once

#include <string>

#include "aws/config_file.h"
#include "aws/credential_provider.h"

namespace brock {

class ProfileCredentialProvider : public CredentialProvider {
 public:
  // `explicit_selection`: the profile was chosen by AWS_PROFILE (a missing profile is then an
  // error, not a reason to try the next source).
  ProfileCredentialProvider(const AwsConfig& config, std::string profile, bool explicit_selection,
                            std::string selection_origin);
  std::string name() const override { return "profile " + profile_; }
  Result<std::optional<Credentials>> Load() override;

 private:
  const AwsConfig& config_;
  std::string profile_;
  bool explicit_;
  std::string origin_;
};

}  // namespace brock
