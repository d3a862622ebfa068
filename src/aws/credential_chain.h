// CredentialChain: tries providers in order and caches the first credentials found until
// 5 minutes before they expire (1 hour when they carry no expiry). Thread-safe: concurrent
// callers share one refresh.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "aws/credential_provider.h"
#include "base/env.h"

namespace brock {

class CredentialChain : public CredentialSource {
 public:
  CredentialChain(const Env& env, std::vector<std::unique_ptr<CredentialProvider>> providers);
  Result<Credentials> Get(bool force_refresh = false) override;

 private:
  Result<Credentials> LoadLocked();

  const Env& env_;
  std::vector<std::unique_ptr<CredentialProvider>> providers_;
  std::mutex mu_;
  std::optional<Credentials> cached_;
  Clock::time_point refresh_at_;
};

}  // namespace brock
