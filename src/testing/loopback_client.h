// A minimal blocking HTTP/1.1 client for 127.0.0.1, for tests that drive the emulator over real
// sockets without libcurl: it sends the request target exactly as given and reports whether a
// response body arrived complete (a dropped stream gives complete == false).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"
#include "net/http_client.h"

namespace brock::testing {

struct LoopbackResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;       // de-chunked
  bool chunked = false;   // the response used Transfer-Encoding: chunked
  bool complete = false;  // the whole body arrived (terminating chunk / Content-Length)
};

class LoopbackConnection {
 public:
  // Connects to 127.0.0.1:port. Error code "net.connect".
  static Result<std::unique_ptr<LoopbackConnection>> Connect(int port);
  ~LoopbackConnection();

  // Sends `request`: the target is the url's text after "http://host[:port]" (no re-encoding);
  // Host (from the url) and Content-Length are added when absent. Then reads one response.
  Result<LoopbackResponse> RoundTrip(const HttpRequest& request);
  // Writes raw bytes. Error code "net.dropped".
  Status SendRaw(std::string_view bytes);
  // Reads one response (1xx interim responses are skipped). A connection closed before any
  // status line is an Error "net.dropped"; one closed mid-body returns complete == false.
  Result<LoopbackResponse> ReadResponse();

 private:
  explicit LoopbackConnection(int fd) : fd_(fd) {}
  bool Fill();
  bool Line(std::string* out);
  int fd_;
  std::string buf_;
};

// Connect + RoundTrip on a fresh connection.
Result<LoopbackResponse> SendLoopbackRequest(int port, const HttpRequest& request);

}  // namespace brock::testing
