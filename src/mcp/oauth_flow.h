// The OAuth 2.1 sign-in of a remote MCP server, as the MCP authorization specification and
// Claude Code do it:
//
//   discovery   the server's 401 (WWW-Authenticate: Bearer resource_metadata=...) or the RFC 9728
//               well-known URLs → protected resource metadata → authorization server metadata
//               (RFC 8414 / OpenID); oauth_metadata.h has the URLs and the order. A server with no
//               resource metadata is its own authorization server; one with no authorization
//               server metadata either gets the 2025-03-26 defaults (/authorize, /token, /register
//               at its origin).
//   client      the configured `oauth.clientId` (and secret), else a dynamic registration (RFC
//               7591) at the registration endpoint as a public client ("none" auth method).
//   authorize   authorization code with PKCE S256, a random `state` that the callback must echo,
//               and `resource` (RFC 8707) = the server's URL; the browser is sent to the URL (and
//               the URL is always printed), the loopback listener (oauth_callback_listener.h)
//               receives the code; the code is exchanged at the token endpoint.
//   refresh     grant_type=refresh_token with the same client and resource.
//
// Every request goes through the HttpClient seam; the browser through a BrowserOpener, so tests
// sign in with a function that follows the redirects itself. No token, code, verifier or client
// secret ever appears in a message (they are registered with base/secrets.h as they arrive).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "base/env.h"
#include "base/error.h"
#include "mcp/oauth_config.h"
#include "mcp/oauth_metadata.h"
#include "mcp/oauth_token_store.h"
#include "net/http_client.h"

namespace brock {

// Shows the sign-in URL to the user in the browser. An error is reported but not fatal: the URL
// is printed anyway.
using BrowserOpener = std::function<Status(const std::string& url)>;

// Runs `$BROWSER <url>` when BROWSER is set (split into words, as shells do), else `xdg-open <url>`
// when there is a desktop (DISPLAY or WAYLAND_DISPLAY), without waiting for the browser to exit.
BrowserOpener SystemBrowserOpener(const Env& env);

struct McpOAuthDiscovery {
  std::string resource;  // the `resource` parameter
  std::string authorization_server;
  AuthServerMetadata metadata;
  std::string scope;  // what to ask for ("" for the server's default)
};

// Finds the authorization server of the MCP server at `server_url`. `headers` are the server's
// configured headers (sent on the unauthenticated probe); `legacy_sse` probes with GET.
Result<McpOAuthDiscovery> DiscoverMcpOAuth(HttpClient& http, const std::string& server_url,
                                           const HttpHeaders& headers, bool legacy_sse,
                                           const McpOAuthConfig& config);

struct McpSignInOptions {
  std::string server_url;
  HttpHeaders headers;
  bool legacy_sse = false;
  McpOAuthConfig config;
  BrowserOpener open_browser;
  // Where the "open this URL" lines go (never secrets).
  std::function<void(const std::string& line)> say;
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};
  const std::atomic<bool>* cancel = nullptr;
};

// The whole interactive flow; saves and returns the record. Errors mcp.oauth with a fix.
Result<McpOAuthRecord> SignInToMcpServer(Env& env, HttpClient& http,
                                         const McpSignInOptions& options);

// Trades the record's refresh token for a new access token, saves and returns the record. Error
// mcp.needs_auth when there is no refresh token or the server refused it (sign in again).
Result<McpOAuthRecord> RefreshMcpOAuthToken(Env& env, HttpClient& http,
                                            const McpOAuthRecord& record);

// The authorization request URL (exposed for tests).
std::string BuildAuthorizationUrl(const std::string& authorization_endpoint,
                                  const std::string& client_id, const std::string& redirect_uri,
                                  const std::string& code_challenge, const std::string& state,
                                  const std::string& resource, const std::string& scope);

// Reads a token endpoint answer into `record` (access, refresh, expiry, scope). Error mcp.oauth
// (or mcp.needs_auth for invalid_grant) carrying the server's error code and description.
Status ApplyTokenResponse(const HttpResponse& response, Clock::time_point now,
                          McpOAuthRecord& record);

}  // namespace brock
