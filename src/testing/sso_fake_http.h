// Test helper (header-only, used by the sso_*_test.cc files): an in-memory HttpClient that
// answers each request with a handler chosen by "METHOD /path" (the query string is not part of
// the route), and records every request so tests can check what went on the wire.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/strings.h"
#include "net/http_client.h"

namespace brock::testing {

class SsoFakeHttp : public HttpClient {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;

  // Every call of `route` ("POST /token") is answered by `handler`.
  void On(const std::string& route, Handler handler) { handlers_[route] = std::move(handler); }
  // The next calls of `route` are answered in order by `responses`; after they run out, the
  // last one repeats.
  void Script(const std::string& route, std::vector<Result<HttpResponse>> responses) {
    auto queue =
        std::make_shared<std::deque<Result<HttpResponse>>>(responses.begin(), responses.end());
    handlers_[route] = [queue](const HttpRequest&) -> Result<HttpResponse> {
      Result<HttpResponse> r = queue->front();
      if (queue->size() > 1) queue->pop_front();
      return r;
    };
  }

  Result<HttpResponse> Send(const HttpRequest& request, const BodySink& sink = nullptr) override {
    requests.push_back(request);
    std::string route = request.method + " " + Path(request.url);
    auto it = handlers_.find(route);
    if (it == handlers_.end())
      return JsonResponse(404, R"({"message":"no route )" + route + "\"}", "NotFound");
    return it->second(request);
  }

  // "/client/register" from "http://host:1/client/register?x=1".
  static std::string Path(const std::string& url) {
    size_t scheme = url.find("://");
    size_t start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    if (start == std::string::npos) return "/";
    size_t q = url.find('?', start);
    return url.substr(start, q == std::string::npos ? std::string::npos : q - start);
  }

  // A JSON response; a non-empty `error_type` goes into x-amzn-ErrorType.
  static HttpResponse JsonResponse(int status, std::string body, std::string error_type = "") {
    HttpResponse r;
    r.status = status;
    r.headers.push_back({"Content-Type", "application/json"});
    if (!error_type.empty()) r.headers.push_back({"x-amzn-ErrorType", error_type});
    r.body = std::move(body);
    return r;
  }
  // SSO-OIDC's OAuth-style error: {"error":"authorization_pending",...} with the header.
  static HttpResponse OidcError(const std::string& type, const std::string& oauth_error,
                                int status = 400) {
    return JsonResponse(
        status, R"({"error":")" + oauth_error + R"(","error_description":"from the fake"})", type);
  }
  static Error NetError(std::string code = "net.connect") {
    Error e = MakeError(code, "could not connect to the fake host", "check the network");
    e.retryable = true;
    return e;
  }

  // Requests whose route is `route`.
  std::vector<HttpRequest> Calls(const std::string& route) const {
    std::vector<HttpRequest> out;
    for (const HttpRequest& r : requests) {
      if (r.method + " " + Path(r.url) == route) out.push_back(r);
    }
    return out;
  }

  std::vector<HttpRequest> requests;

 private:
  std::map<std::string, Handler> handlers_;
};

}  // namespace brock::testing
