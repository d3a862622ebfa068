// HttpClient: the seam for every network call. The libcurl implementation (curl_http_client.h)
// serves production; tests swap in fakes or talk to the emulator on 127.0.0.1.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace brock {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// The value of the first header named `name` (case-insensitive), or "" when absent.
std::string FindHeader(const HttpHeaders& headers, std::string_view name);

// A response body larger than this (16 MiB) is refused unless the request says otherwise.
inline constexpr size_t kDefaultMaxResponseBytes = size_t{16} << 20;
// Response headers larger than this in total (1 MiB) are refused ("net.too_large").
inline constexpr size_t kMaxResponseHeaderBytes = size_t{1} << 20;

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute, already percent-encoded as it goes on the wire
  HttpHeaders headers;
  std::string body;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds total_timeout{0};      // 0: none (streams may run long)
  std::chrono::milliseconds idle_timeout{120000};  // abort when no byte arrives for this long
  const std::atomic<bool>* cancel = nullptr;       // abort soon after it becomes true
  // The most body bytes the response may have (kept in HttpResponse::body or given to a sink);
  // more ends the transfer with "net.too_large". 0: no limit. Callers lower it for small
  // answers (credentials) and raise it for long streams.
  size_t max_response_bytes = kDefaultMaxResponseBytes;
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  // The body, unless a body sink consumed it (sinks see only 2xx bodies; error bodies always
  // land here so they can be parsed).
  std::string body;
};

// Receives the body of a 2xx response as it arrives; return false to abort the transfer.
using BodySink = std::function<bool(std::string_view chunk)>;

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends the request. Transport failures are Errors with codes "net.connect" (could not
  // connect; retryable), "net.timeout" (retryable), "net.dropped" (connection lost mid-response;
  // retryable), "net.cancelled", "net.tls", "net.aborted" (the sink returned false),
  // "net.too_large" (the body passed max_response_bytes or the headers kMaxResponseHeaderBytes;
  // not retryable).
  // An HTTP error status is not an Error here: it is returned in HttpResponse.
  virtual Result<HttpResponse> Send(const HttpRequest& request, const BodySink& sink = nullptr) = 0;
};

struct HttpClientOptions {
  std::string ca_bundle;  // AWS_CA_BUNDLE / profile ca_bundle; empty: system default
  std::string
      ca_bundle_origin;  // where ca_bundle came from, for messages ("AWS_CA_BUNDLE (from ...)")
  // Empty (keep it so unless a proxy is configured explicitly): libcurl reads the process
  // environment itself: https_proxy or HTTPS_PROXY for https URLs, http_proxy for http,
  // all_proxy / ALL_PROXY, and no_proxy or NO_PROXY (which it honours even when this is set).
  std::string proxy;
  bool verbose = false;  // libcurl's own tracing to stderr (never shows bodies)
};

std::unique_ptr<HttpClient> MakeCurlHttpClient(const HttpClientOptions& options = {});

}  // namespace brock
