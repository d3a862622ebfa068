// A small HTTP/1.1 server for the emulator: listens on a loopback address, runs one thread per
// connection (bounded), keeps connections alive, reads Content-Length and chunked request
// bodies, and lets a handler answer either with a whole body or with a chunked stream that it
// can pace (SleepFor) or drop mid-way (Drop) to simulate network failures.
//
// With a certificate and key (HttpServerOptions::tls_cert_file / tls_key_file) it serves HTTPS
// instead (tls_server.h): HTTP/1.1 over TLS 1.2+; a client that rejects the certificate ends its
// connection in the handshake, before any request reaches the handler.
//
// The request handed to the handler is an HttpRequest whose url is
// "http://<Host header><request-target exactly as received>" ("https://" over TLS; no
// percent-decoding), so SigV4 verification sees what the client signed.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"
#include "net/http_client.h"

namespace brock {

// Writes one response. Exactly one of: Send, or StartStream + WriteChunk* + (FinishStream |
// Drop). A handler that writes nothing gets a 500.
class ResponseWriter {
 public:
  virtual ~ResponseWriter() = default;
  // Sends a whole response with Content-Length. Returns false when the client is gone.
  virtual bool Send(int status, const HttpHeaders& headers, std::string_view body) = 0;
  // Sends the status line and headers with "Transfer-Encoding: chunked".
  virtual bool StartStream(int status, const HttpHeaders& headers) = 0;
  // Sends one chunk (empty data is skipped: it would end the stream). False when the client is
  // gone or the server is stopping.
  virtual bool WriteChunk(std::string_view data) = 0;
  // Sends the terminating zero-length chunk.
  virtual bool FinishStream() = 0;
  // Closes the connection at once, without the terminating chunk (a mid-stream failure).
  virtual void Drop() = 0;
  // Sleeps up to `duration`; returns false early when the server is stopping.
  virtual bool SleepFor(std::chrono::milliseconds duration) = 0;
};

using HttpHandler = std::function<void(const HttpRequest& request, ResponseWriter& writer)>;

struct HttpServerOptions {
  std::string host = "127.0.0.1";  // must be a loopback address
  int port = 0;                    // 0: pick a free port
  size_t max_connections = 64;     // further connections get 503 and are closed
  size_t max_body_bytes = 64u << 20;
  std::chrono::milliseconds idle_timeout{60000};  // close a keep-alive connection idle this long
  // HTTPS: PEM files of the certificate (chain) and its private key; both empty: plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(std::string_view host);

class HttpServer {
 public:
  // Binds, listens and starts accepting. Errors: "emulator.host" (not loopback),
  // "emulator.listen" (bind/listen failed, e.g. the port is taken), "emulator.tls" (only one
  // of the TLS files given, or a file unreadable, not PEM, or the key not the certificate's).
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                   HttpHandler handler);
  ~HttpServer();  // Stop()s.

  // The bound port (the real one when options.port was 0).
  int port() const;
  // Stops accepting, wakes sleeping handlers, closes every connection and joins all threads.
  // Idempotent.
  void Stop();

  class Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace brock
