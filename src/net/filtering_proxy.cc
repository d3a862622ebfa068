#include "net/filtering_proxy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "base/strings.h"

namespace brock {
namespace {

constexpr size_t kMaxHeader = 16 * 1024;

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

int ConnectTo(const std::string& host, const std::string& port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = res; a != nullptr; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(res);
  return fd;
}

// Relays bytes both ways until either side closes.
void Splice(int a, int b, const std::atomic<bool>& stopping) {
  char buf[16384];
  pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
  while (!stopping.load()) {
    int r = ::poll(fds, 2, 500);
    if (r < 0) return;
    for (int i = 0; i < 2; ++i) {
      if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      ssize_t n = ::recv(fds[i].fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      if (!SendAll(fds[1 - i].fd, std::string_view(buf, static_cast<size_t>(n)))) return;
    }
  }
}

// "host:port" (or "[v6]:port") split; `default_port` when none is given.
void SplitHostPort(std::string_view hp, std::string_view default_port, std::string* host,
                   std::string* port) {
  if (!hp.empty() && hp[0] == '[') {
    size_t close = hp.find(']');
    *host = std::string(hp.substr(1, close == std::string_view::npos ? hp.size() : close - 1));
    size_t colon = close == std::string_view::npos ? std::string_view::npos : hp.find(':', close);
    *port = colon == std::string_view::npos ? std::string(default_port)
                                            : std::string(hp.substr(colon + 1));
    return;
  }
  size_t colon = hp.rfind(':');
  if (colon == std::string_view::npos) {
    *host = std::string(hp);
    *port = std::string(default_port);
  } else {
    *host = std::string(hp.substr(0, colon));
    *port = std::string(hp.substr(colon + 1));
  }
}

}  // namespace

bool DomainAllowed(const std::vector<std::string>& patterns, std::string_view host) {
  std::string h = ToLower(host);
  while (!h.empty() && h.back() == '.') h.pop_back();
  if (h.empty()) return false;
  for (const std::string& raw : patterns) {
    std::string p = ToLower(Trim(raw));
    while (!p.empty() && p.back() == '.') p.pop_back();
    if (p.empty()) continue;
    if (StartsWith(p, "*.")) {
      std::string suffix = p.substr(1);  // ".example.com"
      if (h.size() > suffix.size() && EndsWith(h, suffix)) return true;
    } else if (h == p) {
      return true;
    }
  }
  return false;
}

FilteringProxy::FilteringProxy(std::vector<std::string> allowed_domains)
    : allowed_(std::move(allowed_domains)) {}

FilteringProxy::~FilteringProxy() { Stop(); }

std::string FilteringProxy::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<std::string> FilteringProxy::refused() const {
  std::lock_guard<std::mutex> lock(mu_);
  return refused_;
}

Status FilteringProxy::Start() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) {
    return MakeError("sandbox.proxy",
                     std::string("cannot create the sandbox proxy socket: ") + std::strerror(errno),
                     "check that brock may open sockets on 127.0.0.1");
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 64) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::string why = std::strerror(errno);
    ::close(listen_fd_);
    listen_fd_ = -1;
    return MakeError("sandbox.proxy", "cannot listen on 127.0.0.1 for the sandbox proxy: " + why,
                     "check that brock may open sockets on 127.0.0.1");
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
  return Status();
}

void FilteringProxy::Stop() {
  if (stopping_.exchange(true)) return;
  if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);
  if (acceptor_.joinable()) acceptor_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    workers.swap(workers_);
  }
  for (std::thread& t : workers) {
    if (t.joinable()) t.join();
  }
}

void FilteringProxy::AcceptLoop() {
  while (!stopping_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    std::lock_guard<std::mutex> lock(mu_);
    workers_.emplace_back([this, client] {
      Serve(client);
      ::close(client);
    });
  }
}

void FilteringProxy::Serve(int client) {
  // Read the request head.
  std::string head;
  char buf[4096];
  while (head.find("\r\n\r\n") == std::string::npos) {
    pollfd p{client, POLLIN, 0};
    if (::poll(&p, 1, 10000) <= 0 || stopping_.load()) return;
    ssize_t n = ::recv(client, buf, sizeof buf, 0);
    if (n <= 0) return;
    head.append(buf, static_cast<size_t>(n));
    if (head.size() > kMaxHeader) return;
  }
  size_t eol = head.find("\r\n");
  std::vector<std::string> parts = Split(head.substr(0, eol), ' ');
  auto refuse = [&](const std::string& host, const std::string& why) {
    if (!host.empty()) {
      std::lock_guard<std::mutex> lock(mu_);
      refused_.push_back(host);
    }
    std::string body = "brock sandbox: " + why + "\n";
    SendAll(client, "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  };
  if (parts.size() < 3) return refuse("", "malformed request");
  std::string host, port;
  std::string forward;  // bytes to send upstream first (plain HTTP)
  if (parts[0] == "CONNECT") {
    SplitHostPort(parts[1], "443", &host, &port);
  } else {
    std::string_view target = parts[1];
    if (!StartsWith(target, "http://")) {
      return refuse("", "only CONNECT and absolute http:// requests go through this proxy");
    }
    target.remove_prefix(7);
    std::string_view authority = target.substr(0, target.find('/'));
    SplitHostPort(authority, "80", &host, &port);
    forward = head;
  }
  if (!DomainAllowed(allowed_, host)) {
    return refuse(host, host +
                            " is not in sandbox.network.allowedDomains; add it there to let "
                            "sandboxed commands reach it");
  }
  int upstream = ConnectTo(host, port);
  if (upstream < 0) {
    std::string body = "brock sandbox: cannot connect to " + host + ":" + port + "\n";
    SendAll(client, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: " + std::to_string(body.size()) +
                        "\r\nConnection: close\r\n\r\n" + body);
    return;
  }
  if (parts[0] == "CONNECT") {
    SendAll(client, "HTTP/1.1 200 Connection Established\r\n\r\n");
    size_t body_start = head.find("\r\n\r\n") + 4;
    if (body_start < head.size()) SendAll(upstream, std::string_view(head).substr(body_start));
  } else {
    SendAll(upstream, forward);
  }
  Splice(client, upstream, stopping_);
  ::close(upstream);
}

}  // namespace brock
