// Credentials: one resolved set of AWS credentials, as every provider returns them and SigV4
// consumes them. The secret parts must never be printed: providers call RegisterSecret on them.
#pragma once

#include <optional>
#include <string>

#include "base/env.h"

namespace brock {

// The largest answer brock accepts from a credential or sign-in service (STS, IMDS, the container
// endpoint, SSO): 1 MiB. Their real answers are a few KiB; more means a wrong endpoint.
inline constexpr size_t kCredentialResponseMaxBytes = size_t{1} << 20;

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;                    // empty for long-term keys
  std::optional<Clock::time_point> expiration;  // nullopt: does not expire
  // Where these came from, for messages: "environment variables (AWS_ACCESS_KEY_ID)",
  // "profile ui-dev (/home/me/.aws/credentials)", "SSO profile ui-dev", ...
  std::string source;
  std::string profile;     // the profile name when a profile supplied them, else ""
  std::string account_id;  // when known (SSO, STS), else ""

  bool empty() const { return access_key_id.empty() || secret_access_key.empty(); }
};

}  // namespace brock
