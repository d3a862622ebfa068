#include "emulator/tls_server.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "emulator/emulator.h"
#include "emulator/emulator_cli.h"
#include "emulator/http_server.h"
#include "net/http_client.h"
#include "testing/test_certificates.h"

namespace brock {
namespace {

// A temporary directory with a CA and a server certificate for 127.0.0.1.
class TlsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("brock_tls_server_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    auto certs = testing::MakeTestCertificates(dir_.string());
    if (!certs.ok()) GTEST_SKIP() << "cannot make test certificates: " << certs.error().ToString();
    certs_ = *certs;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  HttpServerOptions TlsOptions() const {
    HttpServerOptions o;
    o.tls_cert_file = certs_.server_cert;
    o.tls_key_file = certs_.server_key;
    return o;
  }
  static HttpRequest Get(const std::string& url) {
    HttpRequest r;
    r.url = url;
    r.connect_timeout = std::chrono::milliseconds(5000);
    r.total_timeout = std::chrono::milliseconds(10000);
    return r;
  }

  std::filesystem::path dir_;
  testing::TestCertificates certs_;
};

TEST_F(TlsServerTest, ServesHttpsToAClientTrustingTheCa) {
  std::atomic<int> handled{0};
  auto s = HttpServer::Start(TlsOptions(), [&](const HttpRequest& r, ResponseWriter& w) {
    ++handled;
    w.Send(200, {{"Content-Type", "text/plain"}}, r.method + " " + r.url + " " + r.body);
  });
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  HttpClientOptions co;
  co.ca_bundle = certs_.ca_cert;
  auto client = MakeCurlHttpClient(co);
  std::string base = "https://127.0.0.1:" + std::to_string((*s)->port());
  auto r1 = client->Send(Get(base + "/a%3Ab?x=1"));
  ASSERT_TRUE(r1.ok()) << r1.error().ToString();
  EXPECT_EQ(r1->status, 200);
  EXPECT_EQ(r1->body, "GET " + base + "/a%3Ab?x=1 ");
  HttpRequest post = Get(base + "/post");
  post.method = "POST";
  post.body = std::string(100000, 'x');  // several TLS records
  auto r2 = client->Send(post);
  ASSERT_TRUE(r2.ok()) << r2.error().ToString();
  EXPECT_EQ(r2->body, "POST " + base + "/post " + post.body);
  EXPECT_EQ(handled.load(), 2);
}

TEST_F(TlsServerTest, StreamsChunkedRepliesOverTls) {
  auto s = HttpServer::Start(TlsOptions(), [&](const HttpRequest&, ResponseWriter& w) {
    w.StartStream(200, {{"Content-Type", "text/plain"}});
    for (int i = 0; i < 5; ++i) w.WriteChunk("part" + std::to_string(i) + ";");
    w.FinishStream();
  });
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  HttpClientOptions co;
  co.ca_bundle = certs_.ca_cert;
  auto client = MakeCurlHttpClient(co);
  std::string seen;
  auto r = client->Send(Get("https://127.0.0.1:" + std::to_string((*s)->port()) + "/s"),
                        [&](std::string_view chunk) {
                          seen.append(chunk);
                          return true;
                        });
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(seen, "part0;part1;part2;part3;part4;");
}

TEST_F(TlsServerTest, ClientWithoutTheCaFailsInTheHandshakeAndNoRequestArrives) {
  std::atomic<int> handled{0};
  auto s = HttpServer::Start(TlsOptions(), [&](const HttpRequest&, ResponseWriter& w) {
    ++handled;
    w.Send(200, {}, "");
  });
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  auto client = MakeCurlHttpClient();
  auto r = client->Send(Get("https://127.0.0.1:" + std::to_string((*s)->port()) + "/"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.tls") << r.error().ToString();
  EXPECT_NE(r.error().fix.find("AWS_CA_BUNDLE"), std::string::npos);
  EXPECT_EQ(handled.load(), 0);
}

TEST_F(TlsServerTest, PlainHttpClientGetsNoReplyFromATlsServer) {
  auto s = HttpServer::Start(TlsOptions(), [&](const HttpRequest&, ResponseWriter& w) {
    w.Send(200, {}, "should not be reached");
  });
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  auto client = MakeCurlHttpClient();
  auto r = client->Send(Get("http://127.0.0.1:" + std::to_string((*s)->port()) + "/"));
  EXPECT_FALSE(r.ok() && r->body == "should not be reached");
}

TEST_F(TlsServerTest, BadCertificateFilesAreClearErrors) {
  auto missing = TlsServerContext::Load(dir_.string() + "/nope.pem", certs_.server_key);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "emulator.tls");
  EXPECT_NE(missing.error().message.find("--tls-cert " + dir_.string() + "/nope.pem"),
            std::string::npos)
      << missing.error().message;

  std::string junk = dir_.string() + "/junk.pem";
  std::ofstream(junk) << "not a certificate\n";
  auto not_pem = TlsServerContext::Load(junk, certs_.server_key);
  ASSERT_FALSE(not_pem.ok());
  EXPECT_NE(not_pem.error().message.find("no usable PEM certificate"), std::string::npos)
      << not_pem.error().message;

  // The CA's key does not belong to the server certificate.
  auto mismatch = TlsServerContext::Load(certs_.server_cert, dir_.string() + "/ca.key");
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.error().message.find("does not belong"), std::string::npos)
      << mismatch.error().message;

  HttpServerOptions half;
  half.tls_cert_file = certs_.server_cert;
  auto s = HttpServer::Start(half, [](const HttpRequest&, ResponseWriter&) {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "emulator.tls");
}

TEST_F(TlsServerTest, EmulatorServesTheRuntimeOverHttps) {
  EmulatorOptions o;
  o.tls_cert_file = certs_.server_cert;
  o.tls_key_file = certs_.server_key;
  o.no_auth = true;
  auto emu = Emulator::Start(o);
  ASSERT_TRUE(emu.ok()) << emu.error().ToString();
  EXPECT_EQ((*emu)->endpoint(), "https://127.0.0.1:" + std::to_string((*emu)->port()));
  HttpClientOptions co;
  co.ca_bundle = certs_.ca_cert;
  auto client = MakeCurlHttpClient(co);
  HttpRequest req =
      Get((*emu)->endpoint() + "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke");
  req.method = "POST";
  req.headers = {{"Content-Type", "application/json"}};
  req.body = R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":50,)"
             R"("messages":[{"role":"user","content":"hello"}]})";
  auto r = client->Send(req);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->status, 200) << r->body;
  auto reply = nlohmann::json::parse(r->body, nullptr, false);
  ASSERT_TRUE(reply.is_object()) << r->body;
  EXPECT_EQ(reply.value("type", ""), "message");
  EXPECT_EQ((*emu)->requests().size(), 1u);
}

TEST(EmulatorCliTlsTest, TlsFlagsComeInPairs) {
  auto both = ParseEmulatorArgs({"--tls-cert", "/c.pem", "--tls-key=/k.pem"});
  ASSERT_TRUE(both.ok()) << both.error().ToString();
  EXPECT_EQ(both->emulator.tls_cert_file, "/c.pem");
  EXPECT_EQ(both->emulator.tls_key_file, "/k.pem");
  EXPECT_EQ(ParseEmulatorArgs({"--tls-cert", "/c.pem"}).error().code, "emulator.usage");
  EXPECT_EQ(ParseEmulatorArgs({"--tls-key", "/k.pem"}).error().code, "emulator.usage");
  EXPECT_NE(EmulatorUsage().find("--tls-cert"), std::string::npos);
}

}  // namespace
}  // namespace brock
