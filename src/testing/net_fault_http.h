// NetFaultHttp: wraps the HttpClient a unit test talks to EmulatedAws with (the libcurl one) and
// adds what a server cannot produce: connection failures, and real AWS host names. It records
// every request as the code under test issued it, sends the request on (after rerouting its
// origin when asked) unless a connection failure was injected for it, and returns the answer.
//
// - FailNext(path, n): the next n requests whose path is `path` (the URL's path, without the
//   query) are not sent; they fail with "net.connect" (retryable), as an unreachable host does.
// - Route(from, to): requests whose URL starts with the origin `from`
//   ("https://portal.sso.us-east-1.amazonaws.com") are sent to `to` (EmulatedAws::url()) instead,
//   like curl's --connect-to, so a unit test can check a default endpoint without the network.
//   Requests to any other non-loopback origin fail with "net.connect" and are never sent.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "net/http_client.h"

namespace brock::testing {

class NetFaultHttp : public HttpClient {
 public:
  explicit NetFaultHttp(HttpClient& inner) : inner_(inner) {}

  void FailNext(const std::string& path, int count) { failures_[path] += count; }
  void Route(const std::string& from, const std::string& to) { routes_[from] = to; }

  Result<HttpResponse> Send(const HttpRequest& request, const BodySink& sink = nullptr) override {
    requests.push_back(request);
    auto failure = failures_.find(Path(request.url));
    if (failure != failures_.end() && failure->second > 0) {
      failure->second--;
      return Unreachable(request.url);
    }
    HttpRequest sent = request;
    for (const auto& [from, to] : routes_) {
      if (sent.url.rfind(from, 0) == 0) sent.url = to + sent.url.substr(from.size());
    }
    if (sent.url.rfind("http://127.0.0.1:", 0) != 0) return Unreachable(request.url);
    return inner_.Send(sent, sink);
  }

  // The requests so far (as issued, before any Route) with this method and path.
  std::vector<HttpRequest> Calls(const std::string& method, const std::string& path) const {
    std::vector<HttpRequest> out;
    for (const HttpRequest& r : requests) {
      if (r.method == method && Path(r.url) == path) out.push_back(r);
    }
    return out;
  }

  // "/client/register" from "http://host:1/client/register?x=1".
  static std::string Path(const std::string& url) {
    size_t scheme = url.find("://");
    size_t start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    if (start == std::string::npos) return "/";
    size_t q = url.find('?', start);
    return url.substr(start, q == std::string::npos ? std::string::npos : q - start);
  }

  std::vector<HttpRequest> requests;  // every request, as issued

 private:
  static Error Unreachable(const std::string& url) {
    Error e = MakeError("net.connect", "could not connect to " + url + " (injected by the test)",
                        "check the network");
    e.retryable = true;
    return e;
  }

  HttpClient& inner_;
  std::map<std::string, int> failures_;
  std::map<std::string, std::string> routes_;
};

}  // namespace brock::testing
