// The libcurl HttpClient.
//
// Each transfer runs on an easy handle attached to its own multi handle; the pair is taken
// from a small pool and returned afterwards, so connections (and TLS sessions) are reused across
// calls while concurrent calls from several threads still work. The multi interface lets the
// transfer loop wake every 50 ms to check the cancel flag and the idle timer, so both act
// promptly (libcurl's own progress callback slows to once a second when nothing arrives).
//
// What goes on the wire: the URL exactly as given (CURLOPT_PATH_AS_IS; libcurl never decodes
// %XX), the caller's headers, and only what HTTP itself needs (Host, Content-Length). libcurl's
// defaults "Accept: */*", "Expect: 100-continue" and the form Content-Type are suppressed.
#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include "base/error_codes.h"
#include "base/secrets.h"
#include "base/strings.h"
#include "net/curl_library.h"
#include "net/http_client.h"

namespace brock {

std::string FindHeader(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && ToLower(key) == ToLower(name)) return value;
  }
  return "";
}

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPollInterval = std::chrono::milliseconds(50);
constexpr size_t kMaxPooledHandles = 4;

// libcurl, loaded on first use (net/curl_library.h); set before any other call below.
const CurlLibrary* g_curl = nullptr;
std::string g_curl_error;

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { g_curl = LoadCurlLibrary(&g_curl_error); });
}

// Why the transfer loop stopped a transfer itself.
enum class StopReason { kNone, kCancelled, kIdle, kSinkAborted, kTooLarge };

// Per-transfer state shared with libcurl's callbacks.
struct Transfer {
  CURL* easy = nullptr;
  const HttpRequest* request = nullptr;
  const BodySink* sink = nullptr;
  HttpResponse response;
  Clock::time_point last_activity;
  curl_off_t last_dlnow = 0;
  curl_off_t last_ulnow = 0;
  size_t body_bytes = 0;
  size_t header_bytes = 0;
  StopReason stop = StopReason::kNone;

  // Decides whether the transfer must stop now (cancel flag or idle timer).
  StopReason Check() {
    if (stop != StopReason::kNone) return stop;
    if (request->cancel != nullptr && request->cancel->load()) {
      stop = StopReason::kCancelled;
    } else if (request->idle_timeout.count() > 0 &&
               Clock::now() - last_activity >= request->idle_timeout) {
      stop = StopReason::kIdle;
    }
    return stop;
  }
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  t->last_activity = Clock::now();
  if (t->Check() != StopReason::kNone) return n == 0 ? 1 : 0;  // any value != n fails
  size_t cap = t->request->max_response_bytes;
  if (cap > 0 && t->body_bytes + n > cap) {
    t->stop = StopReason::kTooLarge;
    return n == 0 ? 1 : 0;
  }
  t->body_bytes += n;
  long status = 0;
  g_curl->easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
  if (t->sink != nullptr && *t->sink && status >= 200 && status < 300) {
    bool keep_going = false;
    try {
      keep_going = (*t->sink)(std::string_view(data, n));
    } catch (...) {
      keep_going = false;
    }
    if (!keep_going) {
      t->stop = StopReason::kSinkAborted;
      return n == 0 ? 1 : 0;
    }
  } else {
    t->response.body.append(data, n);
  }
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  t->last_activity = Clock::now();
  t->header_bytes += n;
  if (t->header_bytes > kMaxResponseHeaderBytes) {
    t->stop = StopReason::kTooLarge;
    return n == 0 ? 1 : 0;
  }
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (StartsWith(line, "HTTP/")) {
    // A new response begins (after 1xx, or a proxy's CONNECT reply): keep only the last one.
    t->response.headers.clear();
  } else if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
    if (!t->response.headers.empty()) {  // obsolete line folding
      t->response.headers.back().second += " " + std::string(Trim(line));
    }
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    t->response.headers.emplace_back(std::string(Trim(line.substr(0, colon))),
                                     std::string(Trim(line.substr(colon + 1))));
  }
  return n;
}

int OnProgress(void* user, curl_off_t, curl_off_t dlnow, curl_off_t, curl_off_t ulnow) {
  auto* t = static_cast<Transfer*>(user);
  if (dlnow != t->last_dlnow || ulnow != t->last_ulnow) {
    t->last_dlnow = dlnow;
    t->last_ulnow = ulnow;
    t->last_activity = Clock::now();
  }
  return t->Check() == StopReason::kNone ? 0 : 1;
}

bool IsSensitiveHeader(std::string_view name) {
  std::string lower = ToLower(Trim(name));
  return lower == "authorization" || lower == "proxy-authorization" ||
         lower == "x-amz-security-token" || lower == "cookie" || lower == "set-cookie" ||
         lower == "x-amz-sso_bearer_token" || lower.find("token") != std::string::npos ||
         lower.find("secret") != std::string::npos;
}

// libcurl's verbose trace, minus bodies and with credential-bearing headers redacted.
int OnDebug(CURL*, curl_infotype type, char* data, size_t size, void*) {
  if (type != CURLINFO_TEXT && type != CURLINFO_HEADER_IN && type != CURLINFO_HEADER_OUT) {
    return 0;
  }
  const char* prefix = type == CURLINFO_TEXT ? "* " : type == CURLINFO_HEADER_IN ? "< " : "> ";
  std::string out;
  for (const auto& raw : Split(std::string_view(data, size), '\n')) {
    std::string_view line = raw;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    size_t colon = line.find(':');
    if (type != CURLINFO_TEXT && colon != std::string_view::npos &&
        IsSensitiveHeader(line.substr(0, colon))) {
      out +=
          std::string("[curl] ") + prefix + std::string(line.substr(0, colon)) + ": [REDACTED]\n";
    } else {
      out += std::string("[curl] ") + prefix + std::string(line) + "\n";
    }
  }
  out = ScrubSecrets(out);
  std::fwrite(out.data(), 1, out.size(), stderr);
  return 0;
}

// "host:port" of a URL, for messages (never the path or query: presigned URLs hold secrets).
std::string HostOf(const std::string& url) {
  std::string result = "the server";
  CURLU* u = g_curl->url();
  if (u == nullptr) return result;
  if (g_curl->url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    char* host = nullptr;
    char* port = nullptr;
    if (g_curl->url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host != nullptr) {
      result = host;
      if (g_curl->url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
          port != nullptr) {
        result += ":" + std::string(port);
      }
    }
    g_curl->free(host);
    g_curl->free(port);
  }
  g_curl->url_cleanup(u);
  return result;
}

Error NetError(const char* code, std::string message, std::string fix, bool retryable) {
  Error e = MakeError(code, ScrubSecrets(message), std::move(fix));
  e.retryable = retryable;
  return e;
}

std::string Seconds(std::chrono::milliseconds ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g s", static_cast<double>(ms.count()) / 1000.0);
  return buf;
}

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(HttpClientOptions options) : options_(std::move(options)) {
    GlobalInit();
  }
  ~CurlHttpClient() override {
    for (auto& h : pool_) Destroy(h);
  }

  Result<HttpResponse> Send(const HttpRequest& request, const BodySink& sink) override;

 private:
  struct Handle {
    CURLM* multi = nullptr;
    CURL* easy = nullptr;
  };

  Handle Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!pool_.empty()) {
        Handle h = pool_.back();
        pool_.pop_back();
        return h;
      }
    }
    return Handle{g_curl->multi_init(), g_curl->easy_init()};
  }
  void Release(Handle h) {
    std::lock_guard<std::mutex> lock(mu_);
    if (pool_.size() < kMaxPooledHandles) {
      pool_.push_back(h);
    } else {
      Destroy(h);
    }
  }
  static void Destroy(Handle& h) {
    if (h.easy != nullptr) g_curl->easy_cleanup(h.easy);
    if (h.multi != nullptr) g_curl->multi_cleanup(h.multi);
    h = Handle{};
  }

  Error MapError(CURLcode code, const Transfer& t, const char* errbuf) const;

  HttpClientOptions options_;
  std::mutex mu_;
  std::vector<Handle> pool_;
};

Error CurlHttpClient::MapError(CURLcode code, const Transfer& t, const char* errbuf) const {
  const HttpRequest& req = *t.request;
  const std::string host = HostOf(req.url);
  std::string detail = errbuf[0] != '\0' ? std::string(errbuf) : g_curl->easy_strerror(code);
  const std::string network_fix =
      "check your network connection, proxy settings (HTTPS_PROXY / NO_PROXY) and the endpoint "
      "URL, then try again";

  switch (t.stop) {
    case StopReason::kCancelled:
      return NetError(errc::kNetCancelled, "request to " + host + " was cancelled", "", false);
    case StopReason::kIdle:
      return NetError(
          "net.timeout",
          "no data from " + host + " for " + Seconds(req.idle_timeout) + " (idle timeout)",
          "check your network connection and try again", true);
    case StopReason::kSinkAborted:
      return NetError("net.aborted", "response from " + host + " was abandoned by its reader", "",
                      false);
    case StopReason::kTooLarge:
      return NetError("net.too_large",
                      "the response from " + host + " is larger than " +
                          std::to_string(req.max_response_bytes) +
                          " bytes, the limit for this request; it was abandoned",
                      "this is not a normal AWS answer: check the endpoint URL "
                      "(AWS_ENDPOINT_URL*, ANTHROPIC_BEDROCK_BASE_URL) and any proxy in between",
                      false);
    case StopReason::kNone:
      break;
  }

  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return NetError(errc::kNetConnect, "could not resolve host " + host + ": " + detail,
                      "check the endpoint URL and region, your DNS and network connection, "
                      "and proxy settings (HTTPS_PROXY / NO_PROXY)",
                      true);
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_PROXY:
      return NetError(errc::kNetConnect, "could not reach the proxy for " + host + ": " + detail,
                      "check the proxy address in HTTPS_PROXY / https_proxy (or NO_PROXY "
                      "to bypass it)",
                      true);
    case CURLE_COULDNT_CONNECT:
      return NetError(errc::kNetConnect, "could not connect to " + host + ": " + detail,
                      network_fix, true);
    case CURLE_OPERATION_TIMEDOUT: {
      curl_off_t connect_us = 0;
      g_curl->easy_getinfo(t.easy, CURLINFO_CONNECT_TIME_T, &connect_us);
      if (connect_us == 0) {
        return NetError(
            errc::kNetConnect,
            "timed out after " + Seconds(req.connect_timeout) + " connecting to " + host,
            network_fix, true);
      }
      return NetError("net.timeout",
                      "request to " + host + " timed out after " + Seconds(req.total_timeout) +
                          " (" + detail + ")",
                      "check your network connection and try again", true);
    }
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return NetError("net.dropped",
                      "connection to " + host + " was lost after " + std::to_string(t.body_bytes) +
                          " bytes of the response: " + detail,
                      "try again; if it keeps happening, check your network connection and proxy "
                      "settings (HTTPS_PROXY / NO_PROXY)",
                      true);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      if (!options_.ca_bundle.empty()) {
        return NetError(
            errc::kNetTls,
            "TLS certificate of " + host + " could not be verified with the CA bundle '" +
                options_.ca_bundle + "'" +
                (options_.ca_bundle_origin.empty() ? std::string()
                                                   : " (from " + options_.ca_bundle_origin + ")") +
                ": " + detail,
            "add the CA certificate that signed it (for a TLS-inspecting proxy, the "
            "proxy's CA) to that PEM file, or point AWS_CA_BUNDLE (or ca_bundle in "
            "~/.aws/config) at one that holds it; also check the system clock",
            false);
      }
      return NetError(errc::kNetTls,
                      "TLS certificate of " + host + " could not be verified: " + detail,
                      "set AWS_CA_BUNDLE (or ca_bundle in ~/.aws/config) to a PEM file holding "
                      "the CA certificate that signed it (on a network with a TLS-inspecting "
                      "proxy, the proxy's CA); also check the system clock",
                      false);
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
      return NetError(
          errc::kNetTls,
          "could not load the CA bundle" +
              (options_.ca_bundle.empty() ? std::string() : " '" + options_.ca_bundle + "'") +
              (options_.ca_bundle_origin.empty() ? std::string()
                                                 : " named by " + options_.ca_bundle_origin) +
              ": " + detail,
          "point AWS_CA_BUNDLE (or ca_bundle in ~/.aws/config) at a readable PEM "
          "file, or unset it to use the system certificates",
          false);
    case CURLE_SSL_CONNECT_ERROR:
      return NetError(errc::kNetTls, "TLS handshake with " + host + " failed: " + detail,
                      "if your network uses a TLS-inspecting proxy, set AWS_CA_BUNDLE to its CA "
                      "bundle; otherwise " +
                          network_fix,
                      true);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return NetError("net.bad_url", "invalid request URL for " + host + ": " + detail,
                      "check the endpoint URL (AWS_ENDPOINT_URL*, ANTHROPIC_BEDROCK_BASE_URL)",
                      false);
    case CURLE_WEIRD_SERVER_REPLY:
      return NetError("net.protocol", "unexpected reply from " + host + ": " + detail,
                      "check that the endpoint URL points at the right service", true);
    default:
      return NetError("net.error", "request to " + host + " failed: " + detail, network_fix, false);
  }
}

Result<HttpResponse> CurlHttpClient::Send(const HttpRequest& request, const BodySink& sink) {
  if (!g_curl) {
    return NetError("net.curl_missing", g_curl_error,
                    "install libcurl (apt-get install libcurl4), then run brock again", false);
  }
  const std::string host = HostOf(request.url);
  if (request.cancel != nullptr && request.cancel->load()) {
    return NetError(errc::kNetCancelled, "request to " + host + " was cancelled", "", false);
  }

  // Header lines; values with line breaks would smuggle extra headers.
  std::vector<std::string> lines;
  bool has_content_type = false, has_accept = false, has_expect = false;
  for (const auto& [name, value] : request.headers) {
    if (name.find_first_of("\r\n:") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos || name.empty()) {
      return NetError("net.bad_request",
                      "header '" + name.substr(0, name.find_first_of("\r\n")) + "' for " + host +
                          " holds a line break or colon in its name",
                      "", false);
    }
    std::string lower = ToLower(name);
    has_content_type |= lower == "content-type";
    has_accept |= lower == "accept";
    has_expect |= lower == "expect";
    // "Name;" is libcurl's spelling of a header with an empty value.
    lines.push_back(value.empty() ? name + ";" : name + ": " + value);
  }
  if (!has_content_type) lines.push_back("Content-Type:");  // suppress the form default
  if (!has_accept) lines.push_back("Accept:");
  if (!has_expect) lines.push_back("Expect:");
  curl_slist* header_list = nullptr;
  for (const auto& l : lines) {
    curl_slist* next = g_curl->slist_append(header_list, l.c_str());
    if (next == nullptr) {
      g_curl->slist_free_all(header_list);
      return NetError("net.error", "out of memory building a request to " + host, "", false);
    }
    header_list = next;
  }

  Handle h = Acquire();
  if (h.easy == nullptr || h.multi == nullptr) {
    g_curl->slist_free_all(header_list);
    Destroy(h);
    return NetError("net.error", "could not initialise libcurl", "", false);
  }
  CURL* easy = h.easy;
  g_curl->easy_reset(easy);  // keeps the connection cache, DNS cache and TLS sessions

  Transfer t;
  t.easy = easy;
  t.request = &request;
  t.sink = &sink;
  t.last_activity = Clock::now();
  char errbuf[CURL_ERROR_SIZE];
  errbuf[0] = '\0';

  g_curl->easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  g_curl->easy_setopt(easy, CURLOPT_PATH_AS_IS, 1L);
  g_curl->easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  g_curl->easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  g_curl->easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
  g_curl->easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  g_curl->easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  g_curl->easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  g_curl->easy_setopt(easy, CURLOPT_HTTPHEADER, header_list);
  g_curl->easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                      static_cast<long>(request.connect_timeout.count()));
  g_curl->easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.total_timeout.count()));
  g_curl->easy_setopt(easy, CURLOPT_WRITEFUNCTION, &OnBody);
  g_curl->easy_setopt(easy, CURLOPT_WRITEDATA, &t);
  g_curl->easy_setopt(easy, CURLOPT_HEADERFUNCTION, &OnHeader);
  g_curl->easy_setopt(easy, CURLOPT_HEADERDATA, &t);
  g_curl->easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  g_curl->easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &OnProgress);
  g_curl->easy_setopt(easy, CURLOPT_XFERINFODATA, &t);
  if (!options_.ca_bundle.empty())
    g_curl->easy_setopt(easy, CURLOPT_CAINFO, options_.ca_bundle.c_str());
  if (!options_.proxy.empty()) g_curl->easy_setopt(easy, CURLOPT_PROXY, options_.proxy.c_str());
  if (options_.verbose) {
    g_curl->easy_setopt(easy, CURLOPT_VERBOSE, 1L);
    g_curl->easy_setopt(easy, CURLOPT_DEBUGFUNCTION, &OnDebug);
  }

  const std::string& method = request.method;
  if (method == "GET" && request.body.empty()) {
    g_curl->easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else if (method == "HEAD") {
    g_curl->easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else {
    if (method != "POST") g_curl->easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (method == "POST" || !request.body.empty()) {
      g_curl->easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                          static_cast<curl_off_t>(request.body.size()));
      g_curl->easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    }
  }

  CURLcode result = CURLE_OK;
  bool finished = false;
  g_curl->multi_add_handle(h.multi, easy);
  while (true) {
    int running = 0;
    CURLMcode mc = g_curl->multi_perform(h.multi, &running);
    if (mc != CURLM_OK) {
      result = CURLE_FAILED_INIT;
      std::snprintf(errbuf, sizeof errbuf, "%s", g_curl->multi_strerror(mc));
      break;
    }
    int queued = 0;
    while (CURLMsg* msg = g_curl->multi_info_read(h.multi, &queued)) {
      if (msg->msg == CURLMSG_DONE && msg->easy_handle == easy) {
        result = msg->data.result;
        finished = true;
      }
    }
    if (finished || running == 0) break;
    if (t.Check() != StopReason::kNone) break;
    int numfds = 0;
    g_curl->multi_poll(h.multi, nullptr, 0, static_cast<int>(kPollInterval.count()), &numfds);
  }
  // Removing an unfinished transfer makes libcurl close its connection.
  g_curl->multi_remove_handle(h.multi, easy);

  long status = 0;
  g_curl->easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  Result<HttpResponse> out = HttpResponse{};
  if (t.stop != StopReason::kNone || (finished && result != CURLE_OK) ||
      (!finished && result != CURLE_OK)) {
    out = MapError(result, t, errbuf);
  } else if (!finished) {
    out = NetError("net.error", "transfer to " + host + " ended unexpectedly", "", true);
  } else {
    t.response.status = static_cast<int>(status);
    out = std::move(t.response);
  }
  g_curl->easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
  g_curl->easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);
  g_curl->slist_free_all(header_list);
  Release(h);
  return out;
}

}  // namespace

std::unique_ptr<HttpClient> MakeCurlHttpClient(const HttpClientOptions& options) {
  return std::make_unique<CurlHttpClient>(options);
}

}  // namespace brock
