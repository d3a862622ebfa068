#include "testing/loopback_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/strings.h"

namespace brock::testing {

Result<std::unique_ptr<LoopbackConnection>> LoopbackConnection::Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    std::string why = strerror(errno);
    if (fd >= 0) ::close(fd);
    return MakeError("net.connect",
                     "cannot connect to 127.0.0.1:" + std::to_string(port) + ": " + why);
  }
  return std::unique_ptr<LoopbackConnection>(new LoopbackConnection(fd));
}

LoopbackConnection::~LoopbackConnection() { ::close(fd_); }

Status LoopbackConnection::SendRaw(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return MakeError("net.dropped", "connection closed while sending");
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

bool LoopbackConnection::Fill() {
  char tmp[16384];
  ssize_t n;
  do {
    n = ::recv(fd_, tmp, sizeof(tmp), 0);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return false;
  buf_.append(tmp, static_cast<size_t>(n));
  return true;
}

bool LoopbackConnection::Line(std::string* out) {
  for (;;) {
    size_t pos = buf_.find("\r\n");
    if (pos != std::string::npos) {
      *out = buf_.substr(0, pos);
      buf_.erase(0, pos + 2);
      return true;
    }
    if (!Fill()) return false;
  }
}

Result<LoopbackResponse> LoopbackConnection::ReadResponse() {
  LoopbackResponse resp;
  std::string line;
  for (;;) {
    if (!Line(&line)) return MakeError("net.dropped", "connection closed before a response");
    auto parts = Split(line, ' ');
    if (parts.size() < 2) return MakeError("net.protocol", "bad status line: " + line);
    resp.status = std::atoi(parts[1].c_str());
    resp.headers.clear();
    for (;;) {
      if (!Line(&line)) return MakeError("net.dropped", "connection closed in the headers");
      if (line.empty()) break;
      size_t colon = line.find(':');
      resp.headers.emplace_back(line.substr(0, colon), std::string(Trim(line.substr(colon + 1))));
    }
    if (resp.status >= 200) break;
  }
  resp.chunked = ToLower(FindHeader(resp.headers, "Transfer-Encoding")) == "chunked";
  if (resp.chunked) {
    for (;;) {
      if (!Line(&line)) return resp;
      size_t size = std::strtoull(line.c_str(), nullptr, 16);
      if (size == 0) {
        Line(&line);
        resp.complete = true;
        return resp;
      }
      while (buf_.size() < size + 2) {
        if (!Fill()) {
          resp.body.append(buf_.substr(0, size));
          buf_.clear();
          return resp;
        }
      }
      resp.body.append(buf_, 0, size);
      buf_.erase(0, size + 2);
    }
  }
  size_t length = std::strtoull(FindHeader(resp.headers, "Content-Length").c_str(), nullptr, 10);
  while (buf_.size() < length) {
    if (!Fill()) break;
  }
  resp.complete = buf_.size() >= length;
  resp.body = buf_.substr(0, length);
  buf_.erase(0, std::min(length, buf_.size()));
  return resp;
}

Result<LoopbackResponse> LoopbackConnection::RoundTrip(const HttpRequest& request) {
  size_t scheme = request.url.find("://");
  size_t host_start = scheme == std::string::npos ? 0 : scheme + 3;
  size_t path_start = request.url.find('/', host_start);
  std::string host = request.url.substr(
      host_start, path_start == std::string::npos ? std::string::npos : path_start - host_start);
  std::string target = path_start == std::string::npos ? "/" : request.url.substr(path_start);
  std::string out = request.method + " " + target + " HTTP/1.1\r\n";
  if (FindHeader(request.headers, "Host").empty()) out += "Host: " + host + "\r\n";
  for (const auto& [name, value] : request.headers) out += name + ": " + value + "\r\n";
  if (FindHeader(request.headers, "Content-Length").empty() &&
      FindHeader(request.headers, "Transfer-Encoding").empty()) {
    out += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  }
  out += "\r\n";
  out += request.body;
  auto sent = SendRaw(out);
  if (!sent) return sent.error();
  return ReadResponse();
}

Result<LoopbackResponse> SendLoopbackRequest(int port, const HttpRequest& request) {
  auto conn = LoopbackConnection::Connect(port);
  if (!conn) return conn.error();
  return (*conn)->RoundTrip(request);
}

}  // namespace brock::testing
