#include "net/filtering_proxy.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

namespace brock {
namespace {

TEST(FilteringProxy, DomainPatterns) {
  std::vector<std::string> allowed = {"github.com", "*.npmjs.org", "Example.COM."};
  EXPECT_TRUE(DomainAllowed(allowed, "github.com"));
  EXPECT_TRUE(DomainAllowed(allowed, "GITHUB.com."));
  EXPECT_FALSE(DomainAllowed(allowed, "api.github.com"));
  EXPECT_TRUE(DomainAllowed(allowed, "registry.npmjs.org"));
  EXPECT_FALSE(DomainAllowed(allowed, "npmjs.org"));
  EXPECT_FALSE(DomainAllowed(allowed, "evilnpmjs.org"));
  EXPECT_TRUE(DomainAllowed(allowed, "example.com"));
  EXPECT_FALSE(DomainAllowed(allowed, "github.com.evil.net"));
  EXPECT_FALSE(DomainAllowed({}, "github.com"));
}

int Listen(int* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::listen(fd, 4);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  *port = ntohs(a.sin_port);
  return fd;
}

int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  return fd;
}

std::string ReadSome(int fd) {
  char buf[512];
  ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

TEST(FilteringProxy, ConnectsToAllowedHostsAndRefusesOthers) {
  int upstream_port = 0;
  int upstream = Listen(&upstream_port);
  std::thread server([&] {
    int c = ::accept(upstream, nullptr, nullptr);
    ::send(c, "HELLO", 5, 0);
    char buf[16];
    ssize_t n = ::recv(c, buf, sizeof buf, 0);  // echo one message back
    if (n > 0) ::send(c, buf, static_cast<size_t>(n), 0);
    ::close(c);
  });
  FilteringProxy proxy({"localhost"});
  ASSERT_TRUE(proxy.Start().ok());
  ASSERT_GT(proxy.port(), 0);

  int c = Connect(proxy.port());
  std::string req = "CONNECT localhost:" + std::to_string(upstream_port) + " HTTP/1.1\r\n\r\n";
  ::send(c, req.data(), req.size(), 0);
  std::string reply = ReadSome(c);
  EXPECT_NE(reply.find("200"), std::string::npos) << reply;
  std::string rest = reply.substr(reply.find("\r\n\r\n") + 4);
  if (rest.empty()) rest = ReadSome(c);
  EXPECT_EQ(rest, "HELLO");
  ::send(c, "ping", 4, 0);
  EXPECT_EQ(ReadSome(c), "ping");
  ::close(c);
  server.join();
  ::close(upstream);

  c = Connect(proxy.port());
  req = "CONNECT 127.0.0.1:" + std::to_string(upstream_port) + " HTTP/1.1\r\n\r\n";
  ::send(c, req.data(), req.size(), 0);
  reply = ReadSome(c);
  EXPECT_NE(reply.find("403"), std::string::npos) << reply;
  EXPECT_NE(reply.find("allowedDomains"), std::string::npos) << reply;
  ::close(c);
  c = Connect(proxy.port());
  req = "GET http://evil.example/x HTTP/1.1\r\nHost: evil.example\r\n\r\n";
  ::send(c, req.data(), req.size(), 0);
  EXPECT_NE(ReadSome(c).find("403"), std::string::npos);
  ::close(c);
  EXPECT_EQ(proxy.refused(), (std::vector<std::string>{"127.0.0.1", "evil.example"}));
  proxy.Stop();
}

}  // namespace
}  // namespace brock
