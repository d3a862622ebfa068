// brock -p over HTTPS: the emulator serving TLS with a certificate made at test time, trusted
// through AWS_CA_BUNDLE or the profile's ca_bundle, rejected without either, and reached
// through an HTTPS_PROXY (a CONNECT proxy in this process) unless NO_PROXY says otherwise.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "e2e_harness.h"
#include "testing/test_certificates.h"

namespace brock::e2e {
namespace {

const char kQuestion[] = "Which state is the Garden State? Answer in one sentence.";

// A minimal HTTP CONNECT proxy on 127.0.0.1: records each request line, tunnels CONNECT to
// 127.0.0.1 targets only (anything else gets 403), and pipes bytes both ways.
class ConnectProxy {
 public:
  ConnectProxy() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 16) != 0) {
      ADD_FAILURE() << "proxy cannot listen: " << strerror(errno);
      return;
    }
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }
  ~ConnectProxy() {
    stopping_ = true;
    if (accept_thread_.joinable()) accept_thread_.join();
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mu_);
      threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
    if (listen_fd_ >= 0) ::close(listen_fd_);
  }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // The request lines received ("CONNECT 127.0.0.1:1234 HTTP/1.1"), in order.
  std::vector<std::string> request_lines() const {
    std::lock_guard<std::mutex> lock(mu_);
    return lines_;
  }

 private:
  void AcceptLoop() {
    while (!stopping_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      std::lock_guard<std::mutex> lock(mu_);
      threads_.emplace_back([this, fd] {
        Serve(fd);
        ::close(fd);
      });
    }
  }

  // Reads until the end of the request head; false on EOF, stop or a 5 s stall.
  bool ReadHead(int fd, std::string* head) {
    for (int waited = 0; head->find("\r\n\r\n") == std::string::npos;) {
      if (stopping_ || waited > 5000 || head->size() > 65536) return false;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) {
        waited += 50;
        continue;
      }
      char buf[4096];
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return false;
      head->append(buf, static_cast<size_t>(n));
    }
    return true;
  }

  static bool SendAll(int fd, const char* data, size_t n) {
    while (n > 0) {
      ssize_t w = ::send(fd, data, n, MSG_NOSIGNAL);
      if (w <= 0) return false;
      data += w;
      n -= static_cast<size_t>(w);
    }
    return true;
  }

  void Serve(int client) {
    std::string head;
    if (!ReadHead(client, &head)) return;
    std::string line = head.substr(0, head.find("\r\n"));
    {
      std::lock_guard<std::mutex> lock(mu_);
      lines_.push_back(line);
    }
    // "CONNECT 127.0.0.1:PORT HTTP/1.1"
    const std::string prefix = "CONNECT 127.0.0.1:";
    if (line.rfind(prefix, 0) != 0) {
      const char kDenied[] =
          "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      SendAll(client, kDenied, sizeof kDenied - 1);
      return;
    }
    int port = std::atoi(line.c_str() + prefix.size());
    int upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    if (::connect(upstream, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      const char kBad[] =
          "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      SendAll(client, kBad, sizeof kBad - 1);
      ::close(upstream);
      return;
    }
    const char kOk[] = "HTTP/1.1 200 Connection Established\r\n\r\n";
    bool ok = SendAll(client, kOk, sizeof kOk - 1);
    // Bytes the client sent after the head (a TLS ClientHello sent eagerly) go on too.
    std::string rest = head.substr(head.find("\r\n\r\n") + 4);
    if (ok && !rest.empty()) ok = SendAll(upstream, rest.data(), rest.size());
    while (ok && !stopping_) {
      pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
      int rc = ::poll(fds, 2, 50);
      if (rc < 0) break;
      if (rc == 0) continue;
      for (int i = 0; i < 2 && ok; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char buf[16384];
        ssize_t n = ::recv(fds[i].fd, buf, sizeof buf, 0);
        if (n <= 0) {
          ok = false;
          break;
        }
        ok = SendAll(fds[1 - i].fd, buf, static_cast<size_t>(n));
      }
    }
    ::close(upstream);
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  mutable std::mutex mu_;
  std::vector<std::thread> threads_;
  std::vector<std::string> lines_;
};

class TlsProxyTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    auto certs = testing::MakeTestCertificates(root_ + "/certs");
    if (!certs.ok()) GTEST_SKIP() << "cannot make test certificates: " << certs.error().ToString();
    certs_ = *certs;
    WriteGuideSetup("dev");
    StartEmulator({"--tls-cert", certs_.server_cert, "--tls-key", certs_.server_key});
  }
  std::string HttpsUrl() const { return "https://127.0.0.1:" + std::to_string(emulator_.port()); }
  // brock -p against the HTTPS emulator, with `env` on top.
  RunOutput Ask(std::map<std::string, std::string> env) {
    if (!env.count("AWS_ENDPOINT_URL_BEDROCK_RUNTIME"))
      env["ANTHROPIC_BEDROCK_BASE_URL"] = HttpsUrl();
    return RunBrock({"-p", kQuestion}, std::move(env));
  }
  // Requests the emulator answered for the Bedrock runtime.
  size_t BedrockRequests() const {
    size_t n = 0;
    for (const Json& r : emulator_.Requests()) {
      if (r.value("path", "").rfind("/model/", 0) == 0) ++n;
    }
    return n;
  }

  testing::TestCertificates certs_;
};

TEST_F(TlsProxyTest, AwsCaBundleTrustsTheEmulatorsCertificate) {
  RunOutput r = Ask({{"AWS_CA_BUNDLE", certs_.ca_cert}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("New Jersey"), std::string::npos) << r.out << r.err;
  EXPECT_EQ(BedrockRequests(), 1u);
}

TEST_F(TlsProxyTest, ProfileCaBundleIsUsedWithTheEndpointVariable) {
  // A ~ path in the active profile, with the endpoint from AWS_ENDPOINT_URL_BEDROCK_RUNTIME.
  WriteFile(home_ + "/certs/corp-ca.pem", "");
  std::filesystem::copy_file(certs_.ca_cert, home_ + "/certs/corp-ca.pem",
                             std::filesystem::copy_options::overwrite_existing);
  WriteFile(home_ + "/.aws/config",
            "[profile dev]\nregion = us-east-1\nca_bundle = ~/certs/corp-ca.pem\n");
  RunOutput r = Ask({{"AWS_ENDPOINT_URL_BEDROCK_RUNTIME", HttpsUrl()},
                     {"ANTHROPIC_BEDROCK_BASE_URL", "<unset>"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("New Jersey"), std::string::npos) << r.out << r.err;
  EXPECT_EQ(BedrockRequests(), 1u);
}

TEST_F(TlsProxyTest, AwsCaBundleWinsOverTheProfileCaBundle) {
  WriteFile(home_ + "/.aws/config", "[profile dev]\nca_bundle = " + root_ + "/no-such-ca.pem\n");
  RunOutput r = Ask({{"AWS_CA_BUNDLE", certs_.ca_cert}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("New Jersey"), std::string::npos) << r.out << r.err;
}

TEST_F(TlsProxyTest, NoCaBundleFailsAtOnceWithTheCertificateError) {
  RunOutput r = Ask({});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("certificate"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("AWS_CA_BUNDLE"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ca_bundle"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("attempts"), std::string::npos) << "not retried: " << r.err;
  EXPECT_EQ(BedrockRequests(), 0u) << "the handshake failed before any request";
}

TEST_F(TlsProxyTest, CaBundleWithoutTheRightCaNamesTheBundle) {
  // A valid PEM file, but a CA that did not sign the emulator's certificate.
  auto other = testing::MakeTestCertificates(root_ + "/other-certs");
  ASSERT_TRUE(other.ok()) << other.error().ToString();
  RunOutput r = Ask({{"AWS_CA_BUNDLE", other->ca_cert}});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("could not be verified with the CA bundle '" + other->ca_cert + "'"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("AWS_CA_BUNDLE (from "), std::string::npos) << r.err;
  EXPECT_EQ(BedrockRequests(), 0u);
}

TEST_F(TlsProxyTest, MissingProfileCaBundleNamesTheFileAndWhereItWasSet) {
  WriteFile(home_ + "/.aws/config", "[profile dev]\nca_bundle = ~/missing/ca.pem\n");
  RunOutput r = Ask({});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find(home_ + "/missing/ca.pem"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ca_bundle in [profile dev] of " + home_ + "/.aws/config"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(BedrockRequests(), 0u);
}

TEST_F(TlsProxyTest, MissingAwsCaBundleFileIsReportedBeforeAnyRequest) {
  RunOutput r = Ask({{"AWS_CA_BUNDLE", root_ + "/nope.pem"}});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find(root_ + "/nope.pem"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("AWS_CA_BUNDLE"), std::string::npos) << r.err;
  EXPECT_EQ(emulator_.Requests().size(), 0u);
}

TEST_F(TlsProxyTest, HttpsProxyTunnelsTheRequest) {
  ConnectProxy proxy;
  RunOutput r = Ask({{"AWS_CA_BUNDLE", certs_.ca_cert}, {"HTTPS_PROXY", proxy.url()}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("New Jersey"), std::string::npos) << r.out << r.err;
  auto lines = proxy.request_lines();
  ASSERT_FALSE(lines.empty()) << "the request did not go through the proxy";
  EXPECT_EQ(lines[0].rfind("CONNECT 127.0.0.1:" + std::to_string(emulator_.port()) + " ", 0), 0u)
      << lines[0];
  EXPECT_EQ(BedrockRequests(), 1u);
}

TEST_F(TlsProxyTest, LowercaseHttpsProxyIsHonouredToo) {
  ConnectProxy proxy;
  RunOutput r = Ask({{"AWS_CA_BUNDLE", certs_.ca_cert}, {"https_proxy", proxy.url()}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto lines = proxy.request_lines();
  ASSERT_FALSE(lines.empty()) << "the request did not go through the proxy";
  EXPECT_EQ(lines[0].rfind("CONNECT 127.0.0.1:" + std::to_string(emulator_.port()) + " ", 0), 0u)
      << lines[0];
}

TEST_F(TlsProxyTest, HttpsProxyFromTheSettingsEnvBlockIsHonoured) {
  ConnectProxy proxy;
  WriteFile(
      home_ + "/.claude/settings.json",
      R"({"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "AWS_PROFILE": "dev", )"
      R"("HTTPS_PROXY": ")" +
          proxy.url() + R"(", "AWS_CA_BUNDLE": ")" + certs_.ca_cert + R"("}})");
  RunOutput r = Ask({});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("New Jersey"), std::string::npos) << r.out << r.err;
  EXPECT_FALSE(proxy.request_lines().empty()) << "the request did not go through the proxy";
}

TEST_F(TlsProxyTest, NoProxyBypassesTheProxy) {
  ConnectProxy proxy;
  for (const char* no_proxy_var : {"NO_PROXY", "no_proxy"}) {
    RunOutput r = Ask({{"AWS_CA_BUNDLE", certs_.ca_cert},
                       {"HTTPS_PROXY", proxy.url()},
                       {no_proxy_var, "127.0.0.1"}});
    EXPECT_EQ(r.exit_code, 0) << no_proxy_var << ": " << r.err;
    EXPECT_NE(r.out.find("New Jersey"), std::string::npos) << r.out << r.err;
  }
  EXPECT_TRUE(proxy.request_lines().empty()) << proxy.request_lines()[0];
  EXPECT_EQ(BedrockRequests(), 2u);
}

TEST_F(TlsProxyTest, UnreachableProxyFailsWithTheProxyInTheFix) {
  // A port nothing listens on: take one from a socket closed at once.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int dead_port = ntohs(addr.sin_port);
  ::close(fd);
  RunOutput r = Ask({{"AWS_CA_BUNDLE", certs_.ca_cert},
                     {"HTTPS_PROXY", "http://127.0.0.1:" + std::to_string(dead_port)},
                     {"CLAUDE_CODE_MAX_RETRIES", "0"}});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("HTTPS_PROXY"), std::string::npos) << r.err;
  EXPECT_EQ(BedrockRequests(), 0u);
}

}  // namespace
}  // namespace brock::e2e
