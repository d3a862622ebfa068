// OAuthTokenSource: the access token an HTTP MCP transport sends for one server URL, from the
// sign-in record (oauth_token_store.h). An expired token is refreshed before it is used; a 401
// from the server triggers one refresh and one retry. It never runs the interactive sign-in:
// when there is no usable token the transport reports "needs authentication" (mcp.needs_auth)
// and the user signs in with `brock mcp login NAME` or /mcp. Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "base/env.h"
#include "mcp/oauth_token_store.h"
#include "net/http_client.h"

namespace brock {

class OAuthTokenSource {
 public:
  OAuthTokenSource(Env& env, HttpClient& http, std::string server_url);

  // The access token to send, refreshed first when expired; "" when there is no sign-in (or the
  // refresh failed).
  std::string AccessToken();

  // The server refused `rejected` (401): refreshes unless another thread already did. True when
  // a different token is now available (the request should be retried once).
  bool RefreshAfterRejection(const std::string& rejected);

  // True when a sign-in record exists for the URL.
  bool HasRecord();

 private:
  bool RefreshLocked();

  Env& env_;
  HttpClient& http_;
  std::string server_url_;
  std::mutex mu_;
  bool loaded_ = false;
  std::optional<McpOAuthRecord> record_;
};

}  // namespace brock
