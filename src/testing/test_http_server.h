// TestHttpServer: a tiny scripted HTTP/1.1 server on 127.0.0.1 for tests (of this layer and
// above) that need a real socket: the handler sees each parsed request and writes whatever raw
// bytes it likes, so tests can stream slowly, stall, lie about Content-Length or hang up.
// Not for production use: one thread per connection, request bodies by Content-Length only.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "net/http_client.h"

namespace brock::testing {

struct TestHttpRequest {
  std::string method;
  std::string target;   // the request-target exactly as received ("/a%3Ab?x=1")
  HttpHeaders headers;  // in arrival order, names as sent
  std::string body;
};

class TestHttpConnection {
 public:
  TestHttpConnection(int fd, const std::atomic<bool>* stopping) : fd_(fd), stopping_(stopping) {}
  // Writes raw bytes; false when the peer has gone away.
  bool Write(std::string_view bytes);
  // Writes a whole response with a Content-Length header (plus `headers`).
  bool Respond(int status, const HttpHeaders& headers, std::string_view body);
  // Ends the connection once the handler returns (no keep-alive).
  void Close() { close_after_ = true; }
  // Sleeps for `duration`, returning early (false) when the server is shutting down.
  bool Sleep(std::chrono::milliseconds duration);

  bool close_after() const { return close_after_; }

 private:
  int fd_;
  const std::atomic<bool>* stopping_;
  bool close_after_ = false;
};

using TestHttpHandler = std::function<void(const TestHttpRequest&, TestHttpConnection&)>;

class TestHttpServer {
 public:
  // Starts listening on 127.0.0.1 at an ephemeral port; aborts the test binary on failure.
  explicit TestHttpServer(TestHttpHandler handler);
  // Stops accepting, hangs up on open connections and joins every thread.
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port>" + target.
  std::string Url(std::string_view target) const;
  // Connections accepted so far.
  int connections() const { return connections_.load(); }

 private:
  void AcceptLoop();
  void Serve(int fd);

  TestHttpHandler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread accept_thread_;
  std::mutex mu_;
  std::vector<std::thread> threads_;
  std::vector<int> open_fds_;
};

}  // namespace brock::testing
