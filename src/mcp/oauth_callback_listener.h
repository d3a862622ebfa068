// The loopback redirect target of an OAuth sign-in (RFC 8252 section 7.3): a listener on
// 127.0.0.1 only, at a random port (or the configured `oauth.callbackPort`), that waits for the
// browser's one `GET /callback?code=...&state=...`, answers it with a short page saying the tab
// can be closed, and stops. Other paths (a browser asking for /favicon.ico) get 404 and the wait
// goes on. The redirect URI is http://localhost:<port>/callback, the form Claude Code registers.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"

namespace brock {

class OAuthCallbackListener {
 public:
  // Binds 127.0.0.1:`port` (0: a free port). Error mcp.oauth when the port is taken.
  static Result<OAuthCallbackListener> Open(int port);
  OAuthCallbackListener(OAuthCallbackListener&& other) noexcept;
  OAuthCallbackListener& operator=(OAuthCallbackListener&&) = delete;
  ~OAuthCallbackListener();

  int port() const { return port_; }
  // "http://localhost:<port>/callback".
  std::string redirect_uri() const;

  // Waits for the callback; returns its query parameters. Error mcp.oauth on timeout, or
  // "net.cancelled" soon after *cancel becomes true.
  Result<std::vector<std::pair<std::string, std::string>>> WaitForCallback(
      std::chrono::milliseconds timeout, const std::atomic<bool>* cancel = nullptr);

 private:
  OAuthCallbackListener(int fd, int port) : fd_(fd), port_(port) {}
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace brock
