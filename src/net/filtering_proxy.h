// A filtering HTTP proxy on 127.0.0.1 for sandboxed commands: it admits only connections to the
// allowed domains (`sandbox.network.allowedDomains`), for `CONNECT host:port` (HTTPS and any
// TLS protocol) and for plain HTTP requests in absolute form (`GET http://host/path`). Anything
// else gets `403 Forbidden` with a one-line reason naming the host and the setting to change.
// One thread per connection; bytes are relayed as they are, never inspected or stored.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/error.h"

namespace brock {

// True when `host` is allowed by `patterns`: an exact name (case-insensitive, a trailing `.`
// ignored) or `*.example.com`, which matches every subdomain of example.com but not example.com.
bool DomainAllowed(const std::vector<std::string>& patterns, std::string_view host);

class FilteringProxy {
 public:
  explicit FilteringProxy(std::vector<std::string> allowed_domains);
  ~FilteringProxy();
  FilteringProxy(const FilteringProxy&) = delete;
  FilteringProxy& operator=(const FilteringProxy&) = delete;

  // Listens on 127.0.0.1 (an ephemeral port) and serves until Stop. Error "sandbox.proxy".
  Status Start();
  void Stop();
  int port() const { return port_; }
  // "http://127.0.0.1:PORT"
  std::string url() const;
  // Hosts refused so far (for the message after a command fails).
  std::vector<std::string> refused() const;

 private:
  void AcceptLoop();
  void Serve(int client);

  std::vector<std::string> allowed_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::vector<std::string> refused_;
  std::vector<std::thread> workers_;
};

}  // namespace brock
