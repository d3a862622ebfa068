#include "mcp/http_transport.h"

#include <nlohmann/json.hpp>

#include "base/error_codes.h"
#include "base/strings.h"
#include "mcp/oauth_metadata.h"
#include "mcp/sse_parser.h"

namespace brock {

namespace {

// The part of a URL shown in messages: scheme, host and path, never a query (it may hold a key).
std::string UrlForDisplay(const std::string& url) {
  size_t q = url.find_first_of("?#");
  std::string shown = url.substr(0, q);
  // user:password@ in the authority is dropped too.
  size_t scheme = shown.find("://");
  if (scheme != std::string::npos) {
    size_t at = shown.find('@', scheme + 3);
    size_t slash = shown.find('/', scheme + 3);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      shown = shown.substr(0, scheme + 3) + shown.substr(at + 1);
    }
  }
  return shown;
}

Error HttpStatusError(const std::string& url, int status) {
  std::string fix = "check the server's URL and that it is running";
  if (status == 401 || status == 403) {
    fix =
        "the server refused the configured credentials: check the Authorization header (or "
        "other headers) in the server's definition";
  }
  Error e = MakeError(
      errc::kMcpHttp,
      "the MCP server at " + UrlForDisplay(url) + " answered HTTP " + std::to_string(status), fix);
  e.http_status = status;
  return e;
}

}  // namespace

std::string ResolveUrl(const std::string& base, const std::string& reference) {
  if (reference.find("://") != std::string::npos) return reference;
  size_t scheme = base.find("://");
  size_t authority_end =
      scheme == std::string::npos ? std::string::npos : base.find('/', scheme + 3);
  std::string origin = authority_end == std::string::npos ? base : base.substr(0, authority_end);
  if (!reference.empty() && reference.front() == '/') return origin + reference;
  std::string path = base.substr(0, base.find_first_of("?#"));
  size_t last = path.rfind('/');
  if (last == std::string::npos || last < origin.size()) return origin + "/" + reference;
  return path.substr(0, last + 1) + reference;
}

HttpTransport::HttpTransport(HttpClient& http, HttpServerSpec spec)
    : http_(http), spec_(std::move(spec)) {}

HttpTransport::~HttpTransport() { Close(); }

std::string HttpTransport::session_id() const {
  std::lock_guard<std::mutex> lock(mu_);
  return session_id_;
}

static bool HasAuthorizationHeader(const HttpHeaders& headers) {
  for (const auto& [k, v] : headers) {
    if (ToLower(k) == "authorization") return true;
  }
  return false;
}

Error HttpTransport::AuthError(int status, const HttpHeaders& response_headers) const {
  BearerChallenge challenge =
      ParseBearerChallenge(FindHeader(response_headers, "WWW-Authenticate"));
  if (!spec_.oauth || (status == 403 && !challenge.present)) {
    return HttpStatusError(spec_.url, status);
  }
  std::string name = spec_.name.empty() ? "NAME" : spec_.name;
  Error e = MakeError(errc::kMcpNeedsAuth,
                      "the MCP server at " + UrlForDisplay(spec_.url) + " needs authentication",
                      "run: brock mcp login " + name + " (or /mcp in an interactive session)");
  e.http_status = status;
  return e;
}

HttpHeaders HttpTransport::Headers(bool post, std::string* bearer) const {
  HttpHeaders h = spec_.headers;
  if (spec_.oauth && !HasAuthorizationHeader(spec_.headers)) {
    std::string token = spec_.oauth->AccessToken();
    if (!token.empty()) h.push_back({"Authorization", "Bearer " + token});
    if (bearer) *bearer = token;
  }
  if (post) {
    h.push_back({"Content-Type", "application/json"});
    h.push_back(
        {"Accept", spec_.legacy_sse ? "application/json" : "application/json, text/event-stream"});
  } else {
    h.push_back({"Accept", "text/event-stream"});
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (!session_id_.empty()) h.push_back({"Mcp-Session-Id", session_id_});
  if (!protocol_version_.empty()) h.push_back({"MCP-Protocol-Version", protocol_version_});
  return h;
}

void HttpTransport::Closed(const std::string& reason) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (close_reported_ || cancel_.load()) return;
    close_reported_ = true;
  }
  if (on_close_) on_close_(reason);
}

Status HttpTransport::Start(MessageHandler on_message, CloseHandler on_close) {
  on_message_ = std::move(on_message);
  on_close_ = std::move(on_close);
  if (!spec_.legacy_sse) {
    post_url_ = spec_.url;
    return {};
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    threads_.emplace_back([this] { RunGetStream(true); });
  }
  std::unique_lock<std::mutex> lock(mu_);
  if (!cv_.wait_for(lock, spec_.connect_timeout,
                    [this] { return endpoint_known_ || !stream_error_.empty(); })) {
    return MakeError(errc::kMcpTimeout,
                     "the MCP server at " + UrlForDisplay(spec_.url) +
                         " sent no endpoint event on its SSE stream in time",
                     "check that the URL is the server's SSE endpoint (often /sse), or use "
                     "--transport http for a Streamable HTTP server");
  }
  if (!endpoint_known_ && stream_error_code_ == errc::kMcpNeedsAuth) {
    return MakeError(errc::kMcpNeedsAuth, stream_error_,
                     "run: brock mcp login " + (spec_.name.empty() ? "NAME" : spec_.name) +
                         " (or /mcp in an interactive session)");
  }
  if (!endpoint_known_) {
    return MakeError(errc::kMcpStart,
                     "could not open the SSE stream of the MCP server at " +
                         UrlForDisplay(spec_.url) + ": " + stream_error_,
                     "check the server's URL and that it is running");
  }
  return {};
}

void HttpTransport::RunGetStream(bool legacy) {
  HttpRequest req;
  req.method = "GET";
  req.url = spec_.url;
  std::string bearer;
  req.headers = Headers(false, &bearer);
  req.cancel = &cancel_;
  req.idle_timeout = std::chrono::milliseconds(0);
  req.max_response_bytes = 0;
  SseParser parser([this, legacy](const SseEvent& ev) {
    if (legacy && ev.event == "endpoint") {
      std::lock_guard<std::mutex> lock(mu_);
      post_url_ = ResolveUrl(spec_.url, std::string(Trim(ev.data)));
      endpoint_known_ = true;
      cv_.notify_all();
      return;
    }
    if (ev.event != "message") return;
    Json message = ParseJsonOrDiscarded(ev.data);
    if (!message.is_discarded() && !cancel_.load()) on_message_(std::move(message));
  });
  auto send = [&] {
    return http_.Send(req, [&](std::string_view chunk) {
      parser.Feed(chunk);
      return !cancel_.load();
    });
  };
  auto res = send();
  if (res.ok() && res->status == 401 && spec_.oauth && !bearer.empty() &&
      spec_.oauth->RefreshAfterRejection(bearer) && !cancel_.load()) {
    req.headers = Headers(false, &bearer);
    res = send();
  }
  if (cancel_.load()) return;
  std::string reason, code;
  if (!res.ok()) {
    reason = res.error().message;
  } else if (res->status < 200 || res->status > 299) {
    if (!legacy && res->status == 405) return;  // the server offers no such stream
    Error e = (res->status == 401 || res->status == 403) ? AuthError(res->status, res->headers)
                                                         : HttpStatusError(spec_.url, res->status);
    reason = e.message;
    code = e.code;
  } else {
    reason = "the server ended its event stream";
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (legacy && !endpoint_known_) {
      stream_error_ = reason;
      stream_error_code_ = code;
      cv_.notify_all();
      return;
    }
  }
  if (legacy) Closed(reason);
}

void HttpTransport::DeliverBody(std::string_view body) {
  Json parsed = ParseJsonOrDiscarded(body);
  if (parsed.is_discarded()) return;
  if (parsed.is_array()) {
    for (auto& m : parsed) {
      if (m.is_object()) on_message_(std::move(m));
    }
  } else if (parsed.is_object()) {
    on_message_(std::move(parsed));
  }
}

Status HttpTransport::Post(const Json& message, bool retried) {
  HttpRequest req;
  req.method = "POST";
  {
    std::lock_guard<std::mutex> lock(mu_);
    req.url = post_url_;
  }
  std::string bearer;
  req.headers = Headers(true, &bearer);
  req.body = message.dump(-1, ' ', false, Json::error_handler_t::replace);
  req.cancel = &cancel_;
  req.idle_timeout = std::chrono::milliseconds(0);  // the client's own timeouts apply
  req.max_response_bytes = 0;
  // The body is JSON or an SSE stream; which one shows in its first byte (Content-Type arrives
  // with the headers, after the sink has seen the body).
  enum class Kind { kUnknown, kJson, kSse } kind = Kind::kUnknown;
  std::string json_body;
  SseParser parser([this](const SseEvent& ev) {
    if (ev.event != "message") return;
    Json m = ParseJsonOrDiscarded(ev.data);
    if (!m.is_discarded() && m.is_object() && !cancel_.load()) on_message_(std::move(m));
  });
  auto res = http_.Send(req, [&](std::string_view chunk) {
    if (kind == Kind::kUnknown) {
      size_t first = chunk.find_first_not_of(" \t\r\n");
      if (first == std::string_view::npos) {
        json_body.append(chunk);
        return true;
      }
      kind = (chunk[first] == '{' || chunk[first] == '[') ? Kind::kJson : Kind::kSse;
      if (kind == Kind::kSse && !json_body.empty()) {
        parser.Feed(json_body);
        json_body.clear();
      }
    }
    if (kind == Kind::kJson) {
      json_body.append(chunk);
    } else {
      parser.Feed(chunk);
    }
    return !cancel_.load();
  });
  if (!res.ok()) {
    if (cancel_.load()) return {};
    Error e = std::move(res).error();
    e.message = "MCP server at " + UrlForDisplay(post_url_) + ": " + e.message;
    return e;
  }
  if (res->status == 404 && message.contains("method") && message["method"] != "initialize") {
    std::lock_guard<std::mutex> lock(mu_);
    if (!session_id_.empty()) {
      return MakeError(errc::kMcpClosed,
                       "the MCP server at " + UrlForDisplay(post_url_) + " ended the session",
                       "restart brock to reconnect");
    }
  }
  if (res->status == 401 || res->status == 403) {
    // Nothing reached the handler (sinks see only 2xx bodies): the request can go again.
    if (res->status == 401 && !retried && spec_.oauth && !bearer.empty() &&
        spec_.oauth->RefreshAfterRejection(bearer)) {
      return Post(message, true);
    }
    return AuthError(res->status, res->headers);
  }
  if (res->status < 200 || res->status > 299) return HttpStatusError(post_url_, res->status);
  if (std::string sid = FindHeader(res->headers, "Mcp-Session-Id"); !sid.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    session_id_ = sid;
  }
  if (kind == Kind::kJson) DeliverBody(json_body);
  return {};
}

Status HttpTransport::Send(const Json& message) {
  if (cancel_.load()) return MakeError(errc::kMcpClosed, "the MCP connection is closed");
  const bool is_request = message.contains("method") && message.contains("id");
  if (message.contains("method") && message["method"] == "notifications/initialized") {
    // Initialization is done: later requests carry the negotiated version, and the optional
    // stream for server-initiated messages opens.
    Status st = Post(message);
    if (!st.ok()) return st;
    if (!spec_.legacy_sse) {
      std::lock_guard<std::mutex> lock(mu_);
      if (!get_stream_started_) {
        get_stream_started_ = true;
        threads_.emplace_back([this] { RunGetStream(false); });
      }
    }
    return {};
  }
  if (!is_request || spec_.legacy_sse) return Post(message);
  // A request's answer may take as long as the tool runs: the POST runs on its own thread so the
  // client's timeout (and cancellation) stay in charge. A failure comes back as an error response.
  std::lock_guard<std::mutex> lock(mu_);
  // Requests that have finished are joined, so a long session does not keep their threads.
  for (auto it = posts_.begin(); it != posts_.end();) {
    if (it->second->load()) {
      it->first.join();
      it = posts_.erase(it);
    } else {
      ++it;
    }
  }
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::thread post([this, message, done] {
    struct MarkDone {
      std::atomic<bool>& flag;
      ~MarkDone() { flag.store(true); }
    } mark{*done};
    Status st = Post(message);
    if (!st.ok() && !cancel_.load()) {
      on_message_(
          Json{{"jsonrpc", "2.0"},
               {"id", message["id"]},
               {"error",
                {{"code", -32000},
                 {"message", st.error().message},
                 {"data", {{"brock_fix", st.error().fix}, {"brock_code", st.error().code}}}}}});
    }
  });
  posts_.emplace_back(std::move(post), std::move(done));
  return {};
}

void HttpTransport::SetProtocolVersion(const std::string& version) {
  std::lock_guard<std::mutex> lock(mu_);
  protocol_version_ = version;
}

void HttpTransport::Close() {
  if (cancel_.exchange(true)) return;
  std::string sid;
  {
    std::lock_guard<std::mutex> lock(mu_);
    sid = session_id_;
  }
  if (!sid.empty() && !spec_.legacy_sse) {
    HttpRequest req;
    req.method = "DELETE";
    req.url = spec_.url;
    req.headers = spec_.headers;
    if (spec_.oauth && !HasAuthorizationHeader(spec_.headers)) {
      if (std::string token = spec_.oauth->AccessToken(); !token.empty()) {
        req.headers.push_back({"Authorization", "Bearer " + token});
      }
    }
    req.headers.push_back({"Mcp-Session-Id", sid});
    req.total_timeout = std::chrono::milliseconds(2000);
    (void)http_.Send(req);
  }
  std::list<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    threads.swap(threads_);
    for (auto& p : posts_) threads.push_back(std::move(p.first));
    posts_.clear();
    cv_.notify_all();
  }
  for (auto& t : threads) t.join();
}

}  // namespace brock
