#include "mcp/oauth_token_source.h"

#include "mcp/oauth_flow.h"

namespace brock {

OAuthTokenSource::OAuthTokenSource(Env& env, HttpClient& http, std::string server_url)
    : env_(env), http_(http), server_url_(std::move(server_url)) {}

bool OAuthTokenSource::RefreshLocked() {
  if (!record_ || record_->refresh_token.empty()) return false;
  auto refreshed = RefreshMcpOAuthToken(env_, http_, *record_);
  if (!refreshed.ok()) return false;
  record_ = std::move(refreshed).value();
  return true;
}

std::string OAuthTokenSource::AccessToken() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!loaded_) {
    record_ = LoadMcpOAuthRecord(env_, server_url_);
    loaded_ = true;
  }
  if (!record_) return "";
  if (TokenExpired(*record_, env_.Now()) && !RefreshLocked()) return "";
  return record_->access_token;
}

bool OAuthTokenSource::RefreshAfterRejection(const std::string& rejected) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!loaded_) {
    record_ = LoadMcpOAuthRecord(env_, server_url_);
    loaded_ = true;
  }
  if (!record_) return false;
  // Another sign-in (brock mcp login in another terminal) may have saved a new token.
  if (auto on_disk = LoadMcpOAuthRecord(env_, server_url_);
      on_disk && on_disk->access_token != rejected) {
    record_ = std::move(on_disk);
    return true;
  }
  if (record_->access_token != rejected) return true;  // refreshed meanwhile
  return RefreshLocked();
}

bool OAuthTokenSource::HasRecord() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!loaded_) {
    record_ = LoadMcpOAuthRecord(env_, server_url_);
    loaded_ = true;
  }
  return record_.has_value();
}

}  // namespace brock
