// HttpTransport: an MCP server over HTTP, in either of the specification's two HTTP transports.
//
// Streamable HTTP (protocol 2025-03-26 and later; `"type": "http"`): every message is a POST to
// the server's one endpoint with `Accept: application/json, text/event-stream`; the answer is a
// JSON body, or an SSE stream carrying the response (and any requests or notifications the server
// sends before it); notifications and responses get 202. The `Mcp-Session-Id` the server returns
// at initialization is sent on every later request, and `MCP-Protocol-Version` once negotiated.
// After initialization a GET opens the optional stream for server-initiated messages (a 405 means
// the server has none). Close sends DELETE to end the session.
//
// Legacy HTTP+SSE (protocol 2024-11-05; `"type": "sse"`): a GET opens an SSE stream whose first
// `endpoint` event names the URL to POST messages to; every message from the server arrives on
// that stream as a `message` event.
//
// Requests go through the HttpClient seam (libcurl in the product). The configured headers
// (`headers` in the server definition, e.g. Authorization) go on every request and never appear in
// errors.
//
// OAuth (oauth_token_source.h): with a token source and no configured Authorization header, every
// request carries `Authorization: Bearer <token>`. A 401 refreshes the token and retries the
// request once; a 401 that stays (or a 403 with a Bearer challenge) is the error mcp.needs_auth,
// whose fix says how to sign in. The transport never starts a sign-in itself.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "mcp/mcp_transport.h"
#include "mcp/oauth_token_source.h"
#include "net/http_client.h"

namespace brock {

struct HttpServerSpec {
  std::string url;
  HttpHeaders headers;  // sent on every request
  bool legacy_sse = false;
  // Legacy SSE: how long Start waits for the `endpoint` event.
  std::chrono::milliseconds connect_timeout{30000};
  // The server's OAuth sign-in (null: none; the configured headers are all it gets).
  std::shared_ptr<OAuthTokenSource> oauth;
  // The server's name, for the fix of a needs-auth error ("brock mcp login NAME").
  std::string name;
};

class HttpTransport : public McpTransport {
 public:
  HttpTransport(HttpClient& http, HttpServerSpec spec);
  ~HttpTransport() override;

  Status Start(MessageHandler on_message, CloseHandler on_close) override;
  Status Send(const Json& message) override;
  void Close() override;
  void SetProtocolVersion(const std::string& version) override;

  // The session id the server assigned (Streamable HTTP), or "".
  std::string session_id() const;

 private:
  // One POST; its answer (JSON or SSE) goes to the handler. `retried`: after a token refresh.
  Status Post(const Json& message, bool retried = false);
  // Delivers a JSON body (one message or a batch).
  void DeliverBody(std::string_view body);
  // The GET stream (legacy: the whole connection; Streamable HTTP: server-initiated messages).
  void RunGetStream(bool legacy);
  // The request headers; `bearer` receives the OAuth token added (or "").
  HttpHeaders Headers(bool post, std::string* bearer = nullptr) const;
  // The error for a 401/403 answer.
  Error AuthError(int status, const HttpHeaders& response_headers) const;
  void Closed(const std::string& reason);

  HttpClient& http_;
  HttpServerSpec spec_;
  MessageHandler on_message_;
  CloseHandler on_close_;
  std::atomic<bool> cancel_{false};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string session_id_, protocol_version_, post_url_;
  bool endpoint_known_ = false;
  std::string stream_error_;
  std::string stream_error_code_;
  bool get_stream_started_ = false;
  bool close_reported_ = false;
  std::list<std::thread> threads_;  // the GET streams
  // One thread per request in flight, with its "finished" flag.
  std::list<std::pair<std::thread, std::shared_ptr<std::atomic<bool>>>> posts_;
};

// `reference` resolved against `base` (an absolute URL): absolute URLs stay, "/path" keeps the
// scheme and authority of `base`, anything else replaces the last path segment.
std::string ResolveUrl(const std::string& base, const std::string& reference);

}  // namespace brock
