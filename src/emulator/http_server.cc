#include "emulator/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <list>
#include <mutex>
#include <thread>

#include "base/strings.h"
#include "emulator/connection_stream.h"
#include "emulator/tls_server.h"

namespace brock {

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  in_addr addr{};
  std::string h(host);
  if (inet_pton(AF_INET, h.c_str(), &addr) != 1) return false;
  return (ntohl(addr.s_addr) >> 24) == 127;
}

namespace {

const char* ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 424:
      return "Failed Dependency";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string HeadBlock(int status, const HttpHeaders& headers, std::string_view extra) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + ReasonPhrase(status) + "\r\n";
  for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
  out += extra;
  out += "\r\n";
  return out;
}

class PlainStream final : public ConnectionStream {
 public:
  explicit PlainStream(int fd) : fd_(fd) {}
  int fd() const override { return fd_; }
  bool HasBuffered() const override { return false; }
  ssize_t Read(char* buf, size_t n) override {
    ssize_t r;
    do {
      r = ::recv(fd_, buf, n, 0);
    } while (r < 0 && errno == EINTR);
    return r;
  }
  bool WriteAll(std::string_view data) override { return SendAll(fd_, data); }

 private:
  int fd_;
};

}  // namespace

std::unique_ptr<ConnectionStream> MakePlainStream(int fd) {
  return std::make_unique<PlainStream>(fd);
}

class HttpServer::Impl {
 public:
  struct Connection {
    int fd = -1;
    std::thread thread;
    std::atomic<bool> done{false};
  };

  HttpServerOptions options;
  HttpHandler handler;
  std::unique_ptr<TlsServerContext> tls;  // null: plain HTTP
  int listen_fd = -1;
  int wake_pipe[2] = {-1, -1};
  int bound_port = 0;
  std::thread accept_thread;
  std::mutex mu;
  std::condition_variable stop_cv;
  bool stopping = false;
  std::list<Connection> connections;

  ~Impl() { StopAll(); }

  bool Stopping() {
    std::lock_guard<std::mutex> lock(mu);
    return stopping;
  }

  // Waits up to `d` unless stopping; returns false when stopping.
  bool Sleep(std::chrono::milliseconds d) {
    std::unique_lock<std::mutex> lock(mu);
    stop_cv.wait_for(lock, d, [this] { return stopping; });
    return !stopping;
  }

  void AcceptLoop() {
    for (;;) {
      pollfd fds[2] = {{listen_fd, POLLIN, 0}, {wake_pipe[0], POLLIN, 0}};
      int rc = ::poll(fds, 2, 1000);
      if (rc < 0 && errno != EINTR) return;
      if (rc > 0 && (fds[1].revents & POLLIN)) {
        char drain[64];
        while (::read(wake_pipe[0], drain, sizeof(drain)) > 0) {
        }
      }
      ReapFinished();
      if (Stopping()) return;
      if (rc <= 0 || !(fds[0].revents & POLLIN)) continue;
      int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      std::lock_guard<std::mutex> lock(mu);
      if (stopping) {
        ::close(fd);
        return;
      }
      if (connections.size() >= options.max_connections) {
        // (Over TLS there is no handshake yet to answer in: just hang up.)
        if (!tls)
          SendAll(fd, HeadBlock(503, {{"Content-Length", "0"}, {"Connection", "close"}}, ""));
        ::close(fd);
        continue;
      }
      connections.emplace_back();
      Connection* c = &connections.back();
      c->fd = fd;
      c->thread = std::thread([this, c] { Serve(c); });
    }
  }

  void ReapFinished() {
    std::list<Connection> finished;
    {
      std::lock_guard<std::mutex> lock(mu);
      for (auto it = connections.begin(); it != connections.end();) {
        auto next = std::next(it);
        if (it->done) finished.splice(finished.end(), connections, it);
        it = next;
      }
    }
    for (auto& c : finished) c.thread.join();
  }

  void Serve(Connection* c);
  // Reads requests from one connection and answers them until it closes or the server stops.
  void ServeRequests(ConnectionStream& stream);

  void StopAll() {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (stopping && listen_fd < 0) return;
      stopping = true;
      for (auto& c : connections) {
        if (c.fd >= 0) ::shutdown(c.fd, SHUT_RDWR);
      }
    }
    stop_cv.notify_all();
    if (wake_pipe[1] >= 0) {
      char b = 1;
      (void)!::write(wake_pipe[1], &b, 1);
    }
    if (accept_thread.joinable()) accept_thread.join();
    std::list<Connection> all;
    {
      std::lock_guard<std::mutex> lock(mu);
      all.splice(all.end(), connections);
    }
    for (auto& c : all) {
      if (c.thread.joinable()) c.thread.join();
    }
    if (listen_fd >= 0) ::close(listen_fd);
    listen_fd = -1;
    for (int& p : wake_pipe) {
      if (p >= 0) ::close(p);
      p = -1;
    }
  }
};

namespace {

// Reads bytes from a connection into a buffer, honouring the idle timeout and server stop.
class Reader {
 public:
  Reader(ConnectionStream& stream, std::chrono::milliseconds idle) : stream_(stream), idle_(idle) {}

  // Appends more bytes to buf_; false on EOF, error or timeout.
  bool Fill() {
    if (!stream_.HasBuffered()) {
      pollfd p{stream_.fd(), POLLIN, 0};
      int rc;
      do {
        rc = ::poll(&p, 1, static_cast<int>(idle_.count()));
      } while (rc < 0 && errno == EINTR);
      if (rc <= 0) return false;
    }
    char tmp[16384];
    ssize_t n = stream_.Read(tmp, sizeof(tmp));
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }

  // Reads a CRLF-terminated line (without the CRLF); false when the line exceeds `max`.
  bool Line(std::string* out, size_t max) {
    for (;;) {
      size_t pos = buf_.find("\r\n");
      if (pos != std::string::npos) {
        *out = buf_.substr(0, pos);
        buf_.erase(0, pos + 2);
        return true;
      }
      if (buf_.size() > max || !Fill()) return false;
    }
  }

  bool Exactly(size_t n, std::string* out) {
    while (buf_.size() < n) {
      if (!Fill()) return false;
    }
    out->append(buf_, 0, n);
    buf_.erase(0, n);
    return true;
  }

  bool HasBuffered() const { return !buf_.empty(); }

 private:
  ConnectionStream& stream_;
  std::chrono::milliseconds idle_;
  std::string buf_;
};

class ConnectionWriter : public ResponseWriter {
 public:
  ConnectionWriter(ConnectionStream& stream, HttpServer::Impl* server, bool head_only)
      : stream_(stream), server_(server) {}

  bool Send(int status, const HttpHeaders& headers, std::string_view body) override {
    if (started_) return false;
    started_ = finished_ = true;
    std::string out =
        HeadBlock(status, headers, "Content-Length: " + std::to_string(body.size()) + "\r\n");
    out.append(body);
    return ok_ = stream_.WriteAll(out);
  }
  bool StartStream(int status, const HttpHeaders& headers) override {
    if (started_) return false;
    started_ = true;
    return ok_ = stream_.WriteAll(HeadBlock(status, headers, "Transfer-Encoding: chunked\r\n"));
  }
  bool WriteChunk(std::string_view data) override {
    if (!started_ || finished_ || dropped_ || !ok_) return false;
    if (data.empty()) return true;
    char size[32];
    snprintf(size, sizeof(size), "%zx\r\n", data.size());
    std::string out = size;
    out.append(data);
    out += "\r\n";
    return ok_ = stream_.WriteAll(out);
  }
  bool FinishStream() override {
    if (!started_ || finished_ || dropped_) return false;
    finished_ = true;
    return ok_ = stream_.WriteAll("0\r\n\r\n");
  }
  void Drop() override {
    dropped_ = true;
    ::shutdown(stream_.fd(), SHUT_RDWR);
  }
  bool SleepFor(std::chrono::milliseconds duration) override { return server_->Sleep(duration); }

  bool started() const { return started_; }
  // The connection can carry another request.
  bool reusable() const { return ok_ && started_ && finished_ && !dropped_; }

 private:
  ConnectionStream& stream_;
  HttpServer::Impl* server_;
  bool started_ = false, finished_ = false, dropped_ = false, ok_ = true;
};

// Parses one request; returns false when the connection should close. *status gets an HTTP
// error to answer with (0: none, just close).
bool ReadRequest(Reader& reader, const HttpServerOptions& options, ConnectionStream& stream,
                 bool tls, HttpRequest* req, int* status) {
  *status = 0;
  std::string line;
  do {
    if (!reader.Line(&line, 65536)) return false;
  } while (line.empty());  // tolerate stray CRLFs between requests
  auto parts = Split(line, ' ');
  if (parts.size() != 3 || !StartsWith(parts[2], "HTTP/1.")) {
    *status = 400;
    return false;
  }
  req->method = parts[0];
  std::string target = parts[1];
  size_t header_bytes = 0;
  for (;;) {
    if (!reader.Line(&line, 65536)) return false;
    if (line.empty()) break;
    header_bytes += line.size();
    if (header_bytes > 256 * 1024) {
      *status = 400;
      return false;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos) {
      *status = 400;
      return false;
    }
    req->headers.emplace_back(line.substr(0, colon), std::string(Trim(line.substr(colon + 1))));
  }
  req->url = (tls ? "https://" : "http://") + FindHeader(req->headers, "Host") + target;
  if (ToLower(FindHeader(req->headers, "Expect")) == "100-continue") {
    stream.WriteAll("HTTP/1.1 100 Continue\r\n\r\n");
  }
  std::string te = ToLower(FindHeader(req->headers, "Transfer-Encoding"));
  if (te.find("chunked") != std::string::npos) {
    for (;;) {
      if (!reader.Line(&line, 1024)) return false;
      size_t size = std::strtoull(line.c_str(), nullptr, 16);
      if (req->body.size() + size > options.max_body_bytes) {
        *status = 413;
        return false;
      }
      if (size == 0) {
        while (reader.Line(&line, 65536) && !line.empty()) {
        }
        break;
      }
      std::string crlf;
      if (!reader.Exactly(size, &req->body) || !reader.Exactly(2, &crlf)) return false;
    }
  } else {
    std::string cl = FindHeader(req->headers, "Content-Length");
    if (!cl.empty()) {
      char* end = nullptr;
      unsigned long long n = std::strtoull(cl.c_str(), &end, 10);
      if (end == cl.c_str() || *end != '\0') {
        *status = 400;
        return false;
      }
      if (n > options.max_body_bytes) {
        *status = 413;
        return false;
      }
      if (!reader.Exactly(static_cast<size_t>(n), &req->body)) return false;
    }
  }
  return true;
}

}  // namespace

void HttpServer::Impl::ServeRequests(ConnectionStream& stream) {
  Reader reader(stream, options.idle_timeout);
  while (!Stopping()) {
    HttpRequest req;
    int status = 0;
    if (!ReadRequest(reader, options, stream, tls != nullptr, &req, &status)) {
      if (status != 0) {
        stream.WriteAll(HeadBlock(status, {{"Content-Length", "0"}, {"Connection", "close"}}, ""));
      }
      return;
    }
    ConnectionWriter writer(stream, this, req.method == "HEAD");
    handler(req, writer);
    if (!writer.started()) {
      writer.Send(500, {{"Content-Type", "application/json"}},
                  R"({"message":"The emulator handler produced no response."})");
    }
    if (!writer.reusable()) return;
    if (ToLower(FindHeader(req.headers, "Connection")) == "close") return;
  }
}

void HttpServer::Impl::Serve(Connection* c) {
  int fd = c->fd;
  std::unique_ptr<ConnectionStream> stream;
  if (tls) {
    // A failed handshake (say, the client does not trust the certificate) just ends the
    // connection: no request was made.
    auto accepted = tls->Accept(fd, options.idle_timeout);
    if (accepted.ok()) stream = std::move(accepted).value();
  } else {
    stream = MakePlainStream(fd);
  }
  if (stream) ServeRequests(*stream);
  stream.reset();  // (TLS: close_notify before the socket closes)
  {
    std::lock_guard<std::mutex> lock(mu);
    ::close(fd);
    c->fd = -1;
  }
  c->done = true;
  if (wake_pipe[1] >= 0) {
    char b = 0;
    (void)!::write(wake_pipe[1], &b, 1);
  }
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() { Stop(); }
int HttpServer::port() const { return impl_->bound_port; }
void HttpServer::Stop() { impl_->StopAll(); }

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                      HttpHandler handler) {
  if (!IsLoopbackHost(options.host)) {
    return MakeError("emulator.host",
                     "refusing to listen on '" + options.host + "': not a loopback address",
                     "use --host 127.0.0.1 (the emulator only serves this machine)");
  }
  if (options.port < 0 || options.port > 65535) {
    return MakeError("emulator.listen", "port " + std::to_string(options.port) + " is out of range",
                     "use --port 0 to pick a free port, or a number from 1 to 65535");
  }
  auto impl = std::make_unique<Impl>();
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return MakeError("emulator.tls", "a TLS certificate needs its private key and vice versa",
                     "give both --tls-cert and --tls-key, or neither for plain HTTP");
  }
  if (!options.tls_cert_file.empty()) {
    auto tls = TlsServerContext::Load(options.tls_cert_file, options.tls_key_file);
    if (!tls.ok()) return std::move(tls).error();
    impl->tls = std::move(tls).value();
  }
  impl->options = options;
  impl->handler = std::move(handler);
  bool v6 = options.host == "::1" || options.host == "[::1]";
  int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return MakeError("emulator.listen", std::string("socket(): ") + strerror(errno));
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  int rc;
  if (v6) {
    sockaddr_in6 addr{};
    addr.sin6_family = AF_INET6;
    addr.sin6_port = htons(static_cast<uint16_t>(options.port));
    addr.sin6_addr = in6addr_loopback;
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  } else {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(options.port));
    std::string host = options.host == "localhost" ? "127.0.0.1" : options.host;
    inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  }
  if (rc != 0 || ::listen(fd, 128) != 0) {
    std::string why = strerror(errno);
    ::close(fd);
    return MakeError(
        "emulator.listen",
        "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + why,
        "pick another --port, or --port 0 for a free one");
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  impl->bound_port = v6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                        : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  impl->listen_fd = fd;
  if (::pipe2(impl->wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    return MakeError("emulator.listen", std::string("pipe(): ") + strerror(errno));
  }
  Impl* raw = impl.get();
  impl->accept_thread = std::thread([raw] { raw->AcceptLoop(); });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

}  // namespace brock
