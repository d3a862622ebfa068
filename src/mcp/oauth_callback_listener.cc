#include "mcp/oauth_callback_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error_codes.h"
#include "mcp/oauth_metadata.h"

namespace brock {

namespace {

constexpr size_t kMaxRequestBytes = 16 * 1024;

constexpr char kDonePage[] =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>brock</title></head>"
    "<body style=\"font-family: sans-serif\"><h2>Signed in</h2>"
    "<p>brock received the authorization. You can close this tab and return to the "
    "terminal.</p></body></html>";

void Reply(int fd, int status, const char* reason, std::string_view body) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                    "\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\n"
                    "Connection: close\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
  size_t sent = 0;
  while (sent < out.size()) {
    ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

// Reads the request head (up to the blank line) within `deadline`; "" on failure.
std::string ReadHead(int fd, std::chrono::steady_clock::time_point deadline) {
  std::string head;
  char buf[2048];
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < kMaxRequestBytes) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return "";
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1000))) <= 0) continue;
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return head;
    head.append(buf, static_cast<size_t>(n));
  }
  return head;
}

}  // namespace

Result<OAuthCallbackListener> OAuthCallbackListener::Open(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return MakeError(errc::kMcpOAuth, std::string("cannot open the sign-in callback socket: ") +
                                          std::strerror(errno));
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(fd, 8) != 0) {
    int e = errno;
    ::close(fd);
    return MakeError(errc::kMcpOAuth,
                     "cannot listen on 127.0.0.1:" + std::to_string(port) +
                         " for the sign-in callback: " + std::strerror(e),
                     port == 0 ? ""
                               : "free that port, or change oauth.callbackPort in the server's "
                                 "definition");
  }
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return OAuthCallbackListener(fd, ntohs(addr.sin_port));
}

OAuthCallbackListener::OAuthCallbackListener(OAuthCallbackListener&& other) noexcept
    : fd_(other.fd_), port_(other.port_) {
  other.fd_ = -1;
}

OAuthCallbackListener::~OAuthCallbackListener() {
  if (fd_ >= 0) ::close(fd_);
}

std::string OAuthCallbackListener::redirect_uri() const {
  return "http://localhost:" + std::to_string(port_) + "/callback";
}

Result<std::vector<std::pair<std::string, std::string>>> OAuthCallbackListener::WaitForCallback(
    std::chrono::milliseconds timeout, const std::atomic<bool>* cancel) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (cancel && cancel->load()) return MakeError("net.cancelled", "the sign-in was cancelled");
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return MakeError(
          errc::kMcpOAuth,
          "no sign-in arrived within " + std::to_string(timeout.count() / 1000) + " seconds",
          "open the printed URL in a browser on this machine and finish signing in, "
          "then try again");
    }
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 200))) <= 0) continue;
    int conn = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0) continue;
    std::string head = ReadHead(
        conn, std::min(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(10)));
    // "GET /callback?code=...&state=... HTTP/1.1"
    size_t sp1 = head.find(' ');
    size_t sp2 = sp1 == std::string::npos ? std::string::npos : head.find(' ', sp1 + 1);
    if (sp2 == std::string::npos || head.compare(0, sp1, "GET") != 0) {
      Reply(conn, 400, "Bad Request", "");
      ::close(conn);
      continue;
    }
    std::string target = head.substr(sp1 + 1, sp2 - sp1 - 1);
    size_t q = target.find('?');
    std::string path = target.substr(0, q);
    if (path != "/callback") {
      Reply(conn, 404, "Not Found", "");
      ::close(conn);
      continue;
    }
    auto params = ParseQueryString(q == std::string::npos ? "" : target.substr(q + 1));
    if (FindParam(params, "error")) {
      Reply(conn, 200, "OK",
            "<!doctype html><html><body style=\"font-family: sans-serif\"><h2>Sign-in "
            "failed</h2><p>Return to the terminal for details.</p></body></html>");
    } else {
      Reply(conn, 200, "OK", kDonePage);
    }
    ::close(conn);
    return params;
  }
}

}  // namespace brock
