#include "aws/credential_chain.h"

#include "base/strings.h"

namespace brock {

CredentialChain::CredentialChain(const Env& env,
                                 std::vector<std::unique_ptr<CredentialProvider>> providers)
    : env_(env), providers_(std::move(providers)) {}

Result<Credentials> CredentialChain::Get(bool force_refresh) {
  std::lock_guard<std::mutex> lock(mu_);
  if (force_refresh) cached_.reset();
  if (cached_ && env_.Now() < refresh_at_) return *cached_;
  auto loaded = LoadLocked();
  if (!loaded.ok()) return loaded;
  cached_ = *loaded;
  using namespace std::chrono_literals;
  refresh_at_ = cached_->expiration ? *cached_->expiration - 5min : env_.Now() + 1h;
  return *cached_;
}

Result<Credentials> CredentialChain::LoadLocked() {
  std::vector<std::string> tried;
  for (auto& provider : providers_) {
    auto r = provider->Load();
    if (!r.ok()) return std::move(r).error();
    if (r->has_value()) return std::move(**r);
    tried.push_back(provider->name());
  }
  return MakeError("credentials.missing",
                   "no AWS credentials found (looked in: " + Join(tried, "; ") + ")",
                   "set AWS_PROFILE to a profile in ~/.aws/config (run aws sso login --profile "
                   "NAME first for SSO), or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
                   "set AWS_BEARER_TOKEN_BEDROCK to a Bedrock API key");
}

}  // namespace brock
