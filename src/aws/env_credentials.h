// Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN
// (AWS_SECRET_KEY and AWS_ACCESS_KEY are not read: the SDKs dropped them).
#pragma once

#include "aws/credential_provider.h"
#include "base/env.h"

namespace brock {

class EnvCredentialProvider : public CredentialProvider {
 public:
  explicit EnvCredentialProvider(const Env& env) : env_(env) {}
  std::string name() const override { return "environment variables"; }
  // nullopt when AWS_ACCESS_KEY_ID is unset; an error when only one of the pair is set.
  Result<std::optional<Credentials>> Load() override;

 private:
  const Env& env_;
};

// True when AWS access keys are set in the environment (either half).
bool EnvHasAccessKeys(const Env& env);

}  // namespace brock
