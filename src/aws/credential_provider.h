// CredentialProvider: one source of AWS credentials (environment variables, a profile's static
// keys, SSO, a role, a process, IMDS...). Providers are tried in order by CredentialChain
// (credential_chain.h); each lives in its own file.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "base/error.h"

namespace brock {

class CredentialProvider {
 public:
  virtual ~CredentialProvider() = default;
  // Short description for messages: "environment variables", "profile ui-dev".
  virtual std::string name() const = 0;
  // nullopt: this source is not configured, try the next one. An Error: it is configured but
  // failed (stop: the user meant this source). Returned secrets are registered with
  // RegisterSecret by the provider.
  virtual Result<std::optional<Credentials>> Load() = 0;
};

// Where credentials come from, as the Bedrock client sees it: a cached, refreshable source.
class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  // Current credentials; `force_refresh` drops any cached value first (after an expired-token
  // answer, say).
  virtual Result<Credentials> Get(bool force_refresh = false) = 0;
};

}  // namespace brock
