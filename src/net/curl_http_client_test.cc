#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/process.h"
#include "base/strings.h"
#include "net/http_client.h"
#include "testing/test_http_server.h"

namespace brock {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Records every request the server sees.
struct Recorder {
  std::mutex mu;
  std::vector<testing::TestHttpRequest> requests;
  void Add(const testing::TestHttpRequest& r) {
    std::lock_guard<std::mutex> lock(mu);
    requests.push_back(r);
  }
  testing::TestHttpRequest Last() {
    std::lock_guard<std::mutex> lock(mu);
    return requests.empty() ? testing::TestHttpRequest{} : requests.back();
  }
};

HttpRequest Get(const std::string& url) {
  HttpRequest r;
  r.url = url;
  return r;
}

// A port with nothing listening on it (bound, then released).
int UnusedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST(FindHeaderTest, IsCaseInsensitiveAndReturnsFirst) {
  HttpHeaders h = {{"Content-Type", "a"}, {"X-Amzn-RequestId", "r1"}, {"x-amzn-requestid", "r2"}};
  EXPECT_EQ(FindHeader(h, "content-type"), "a");
  EXPECT_EQ(FindHeader(h, "X-AMZN-REQUESTID"), "r1");
  EXPECT_EQ(FindHeader(h, "missing"), "");
  EXPECT_EQ(FindHeader(h, "Content-Typ"), "");
}

TEST(CurlHttpClientTest, GetReturnsStatusHeadersAndBody) {
  Recorder rec;
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest& req, testing::TestHttpConnection& c) {
        rec.Add(req);
        c.Respond(200, {{"X-Test", "  value one "}, {"Content-Type", "text/plain"}}, "hello body");
      });
  auto client = MakeCurlHttpClient();
  auto r = client->Send(Get(server.Url("/path")));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello body");
  EXPECT_EQ(FindHeader(r->headers, "x-test"), "value one");
  EXPECT_EQ(FindHeader(r->headers, "content-length"), "10");
  EXPECT_EQ(rec.Last().method, "GET");
  EXPECT_EQ(rec.Last().target, "/path");
}

TEST(CurlHttpClientTest, SendsExactlyTheGivenHeaders) {
  Recorder rec;
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest& req, testing::TestHttpConnection& c) {
        rec.Add(req);
        c.Respond(200, {}, "");
      });
  auto client = MakeCurlHttpClient();
  HttpRequest req;
  req.method = "POST";
  req.url = server.Url("/post");
  req.body = std::string(2 << 20, 'b');  // big enough that curl would add Expect by default
  req.headers = {{"X-Amz-Date", "20240101T000000Z"},
                 {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/..."},
                 {"X-Empty", ""}};
  auto r = client->Send(req);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  testing::TestHttpRequest got = rec.Last();
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.body, req.body);
  std::vector<std::string> names;
  for (const auto& [name, value] : got.headers) names.push_back(ToLower(name));
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"authorization", "content-length", "host",
                                             "x-amz-date", "x-empty"}))
      << Join(names, ",");
  EXPECT_EQ(FindHeader(got.headers, "X-Amz-Date"), "20240101T000000Z");
  EXPECT_EQ(FindHeader(got.headers, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/...");
  EXPECT_EQ(FindHeader(got.headers, "Content-Length"), std::to_string(req.body.size()));
  EXPECT_EQ(FindHeader(got.headers, "Host"), "127.0.0.1:" + std::to_string(server.port()));
}

TEST(CurlHttpClientTest, CallerContentTypeAndHostAreUsed) {
  Recorder rec;
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest& req, testing::TestHttpConnection& c) {
        rec.Add(req);
        c.Respond(200, {}, "");
      });
  auto client = MakeCurlHttpClient();
  HttpRequest req;
  req.method = "POST";
  req.url = server.Url("/");
  req.body = "{}";
  req.headers = {{"Content-Type", "application/json"}, {"Host", "example.test"}};
  ASSERT_TRUE(client->Send(req).ok());
  EXPECT_EQ(FindHeader(rec.Last().headers, "content-type"), "application/json");
  EXPECT_EQ(FindHeader(rec.Last().headers, "host"), "example.test");
}

TEST(CurlHttpClientTest, OtherMethodsReachTheServer) {
  Recorder rec;
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest& req, testing::TestHttpConnection& c) {
        rec.Add(req);
        if (req.method == "HEAD") {
          c.Write("HTTP/1.1 204 No Content\r\nX-H: 1\r\n\r\n");
        } else {
          c.Respond(200, {}, req.method);
        }
      });
  auto client = MakeCurlHttpClient();
  for (std::string method : {"PUT", "DELETE", "PATCH"}) {
    HttpRequest req;
    req.method = method;
    req.url = server.Url("/m");
    if (method != "DELETE") req.body = "payload-" + method;
    auto r = client->Send(req);
    ASSERT_TRUE(r.ok()) << method << ": " << r.error().ToString();
    EXPECT_EQ(r->body, method);
    EXPECT_EQ(rec.Last().method, method);
    EXPECT_EQ(rec.Last().body, req.body);
  }
  HttpRequest head;
  head.method = "HEAD";
  head.url = server.Url("/h");
  auto r = client->Send(head);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(FindHeader(r->headers, "x-h"), "1");
  EXPECT_EQ(rec.Last().method, "HEAD");
}

TEST(CurlHttpClientTest, PathBytesArePreservedExactly) {
  Recorder rec;
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest& req, testing::TestHttpConnection& c) {
        rec.Add(req);
        c.Respond(200, {}, "");
      });
  auto client = MakeCurlHttpClient();
  const std::string targets[] = {
      "/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/invoke-with-response-stream",
      "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fab"
      "c/converse",
      "/a/./b/../c//d?x=a%2Fb&y=%3A%20&z=%7E",
  };
  for (const auto& target : targets) {
    auto r = client->Send(Get(server.Url(target)));
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_EQ(rec.Last().target, target);
  }
}

TEST(CurlHttpClientTest, StreamsBodyChunksBeforeTheServerFinishes) {
  std::atomic<bool> server_done{false};
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest&, testing::TestHttpConnection& c) {
        c.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 4; ++i) {
          std::string piece = "part" + std::to_string(i) + ";";
          char size[16];
          std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
          c.Write(size + piece + "\r\n");
          c.Sleep(milliseconds(150));
        }
        server_done = true;
        c.Write("0\r\n\r\n");
      });
  auto client = MakeCurlHttpClient();
  std::vector<std::string> chunks;
  bool saw_data_before_done = false;
  auto r = client->Send(Get(server.Url("/stream")), [&](std::string_view chunk) {
    if (!server_done) saw_data_before_done = true;
    chunks.emplace_back(chunk);
    return true;
  });
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "");  // consumed by the sink
  EXPECT_TRUE(saw_data_before_done);
  EXPECT_GE(chunks.size(), 3u);
  EXPECT_EQ(Join(chunks, ""), "part0;part1;part2;part3;");
}

TEST(CurlHttpClientTest, LargeBodiesArriveIntact) {
  std::string big;
  for (int i = 0; i < 300000; ++i) big += std::to_string(i % 997) + ",";
  Recorder rec;
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest& req, testing::TestHttpConnection& c) {
        rec.Add(req);
        c.Respond(200, {}, big);
      });
  auto client = MakeCurlHttpClient();
  HttpRequest req;
  req.method = "POST";
  req.url = server.Url("/big");
  req.body = big;
  auto collected = client->Send(req);
  ASSERT_TRUE(collected.ok()) << collected.error().ToString();
  EXPECT_EQ(collected->body, big);
  EXPECT_EQ(rec.Last().body, big);
  std::string sunk;
  size_t calls = 0;
  auto streamed = client->Send(req, [&](std::string_view c) {
    ++calls;
    sunk.append(c);
    return true;
  });
  ASSERT_TRUE(streamed.ok()) << streamed.error().ToString();
  EXPECT_EQ(streamed->body, "");
  EXPECT_EQ(sunk, big);
  EXPECT_GT(calls, 1u);
}

// A body past max_response_bytes is abandoned with net.too_large, kept or streamed alike, and
// an endless body stops there instead of filling memory.
TEST(CurlHttpClientTest, BodiesPastTheLimitAreRefused) {
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest& req, testing::TestHttpConnection& c) {
        if (req.target == "/endless") {
          c.Write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n");
          std::string chunk(65536, 'z');
          while (c.Write(chunk)) {
          }
          c.Close();
          return;
        }
        c.Respond(200, {}, std::string(5000, 'x'));
      });
  auto client = MakeCurlHttpClient();
  HttpRequest req = Get(server.Url("/five-thousand"));
  req.max_response_bytes = 4999;
  auto kept = client->Send(req);
  ASSERT_FALSE(kept.ok());
  EXPECT_EQ(kept.error().code, "net.too_large");
  EXPECT_FALSE(kept.error().retryable);
  EXPECT_NE(kept.error().message.find("4999 bytes"), std::string::npos) << kept.error().message;
  EXPECT_FALSE(kept.error().fix.empty());
  auto sunk = client->Send(req, [](std::string_view) { return true; });
  ASSERT_FALSE(sunk.ok());
  EXPECT_EQ(sunk.error().code, "net.too_large");

  req.max_response_bytes = 5000;
  auto fits = client->Send(req);
  ASSERT_TRUE(fits.ok()) << fits.error().ToString();
  EXPECT_EQ(fits->body.size(), 5000u);

  HttpRequest endless = Get(server.Url("/endless"));
  endless.max_response_bytes = 1 << 20;
  auto r = client->Send(endless);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.too_large");
}

TEST(CurlHttpClientTest, ErrorBodiesAreCollectedNotSunk) {
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest&, testing::TestHttpConnection& c) {
        c.Respond(403, {{"x-amzn-ErrorType", "AccessDeniedException:http://internal"}},
                  R"({"message":"denied"})");
      });
  auto client = MakeCurlHttpClient();
  int sink_calls = 0;
  auto r = client->Send(Get(server.Url("/")), [&](std::string_view) {
    ++sink_calls;
    return true;
  });
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(r->body, R"({"message":"denied"})");
  EXPECT_EQ(sink_calls, 0);
  EXPECT_EQ(FindHeader(r->headers, "X-Amzn-ErrorType"), "AccessDeniedException:http://internal");
}

TEST(CurlHttpClientTest, HeadersAreThoseOfTheFinalResponse) {
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest&, testing::TestHttpConnection& c) {
        c.Write("HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n");
        c.Respond(200, {{"X-Final", "yes"}}, "ok");
      });
  auto client = MakeCurlHttpClient();
  auto r = client->Send(Get(server.Url("/")));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(FindHeader(r->headers, "x-final"), "yes");
  EXPECT_EQ(FindHeader(r->headers, "x-interim"), "");
  EXPECT_EQ(r->body, "ok");
}

TEST(CurlHttpClientTest, ConnectionIsReusedAcrossCalls) {
  testing::TestHttpServer server([&](const testing::TestHttpRequest&,
                                     testing::TestHttpConnection& c) { c.Respond(200, {}, "x"); });
  auto client = MakeCurlHttpClient();
  for (int i = 0; i < 3; ++i) {
    auto r = client->Send(Get(server.Url("/again")));
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  }
  EXPECT_EQ(server.connections(), 1);
}

TEST(CurlHttpClientTest, ConcurrentCallsFromSeveralThreads) {
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest& req, testing::TestHttpConnection& c) {
        c.Sleep(milliseconds(50));
        c.Respond(200, {}, req.target);
      });
  auto client = MakeCurlHttpClient();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < 3; ++j) {
        std::string target = "/t" + std::to_string(i) + "/" + std::to_string(j);
        auto r = client->Send(Get(server.Url(target)));
        if (r.ok() && r->body == target) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 12);
}

TEST(CurlHttpClientTest, ConnectionRefusedIsNetConnect) {
  int port = UnusedPort();
  auto client = MakeCurlHttpClient();
  auto r = client->Send(Get("http://127.0.0.1:" + std::to_string(port) + "/x?secret=abc"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.connect");
  EXPECT_TRUE(r.error().retryable);
  EXPECT_NE(r.error().message.find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << r.error().message;
  EXPECT_EQ(r.error().message.find("secret=abc"), std::string::npos);
  EXPECT_NE(r.error().fix.find("proxy"), std::string::npos);
}

TEST(CurlHttpClientTest, UnresolvableHostIsNetConnect) {
  auto client = MakeCurlHttpClient();
  // .invalid never resolves (RFC 2606); resolution fails locally without network.
  auto r = client->Send(Get("http://brock-test.invalid/"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.connect");
  EXPECT_NE(r.error().message.find("brock-test.invalid"), std::string::npos);
}

TEST(CurlHttpClientTest, ServerClosingMidBodyIsNetDropped) {
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest&, testing::TestHttpConnection& c) {
        c.Write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
        c.Close();
      });
  auto client = MakeCurlHttpClient();
  std::string got;
  HttpRequest req = Get(server.Url("/p?X-Amz-Signature=topsecretsig"));
  req.headers = {{"Authorization", "AWS4-HMAC-SHA256 Signature=headersecret"}};
  auto r = client->Send(req, [&](std::string_view c) {
    got.append(c);
    return true;
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.dropped");
  EXPECT_TRUE(r.error().retryable);
  EXPECT_EQ(got, "0123456789");
  EXPECT_EQ(r.error().message.find("topsecretsig"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find("headersecret"), std::string::npos) << r.error().message;
}

TEST(CurlHttpClientTest, ChunkedWithoutTerminatorIsNetDropped) {
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest&, testing::TestHttpConnection& c) {
        c.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        c.Close();
      });
  auto client = MakeCurlHttpClient();
  auto r = client->Send(Get(server.Url("/")), [](std::string_view) { return true; });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.dropped");
}

TEST(CurlHttpClientTest, EmptyReplyIsNetDropped) {
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest&, testing::TestHttpConnection& c) { c.Close(); });
  auto client = MakeCurlHttpClient();
  auto r = client->Send(Get(server.Url("/")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.dropped");
}

TEST(CurlHttpClientTest, IdleTimeoutIsNetTimeout) {
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest&, testing::TestHttpConnection& c) {
        c.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        c.Sleep(milliseconds(10000));
      });
  auto client = MakeCurlHttpClient();
  HttpRequest req = Get(server.Url("/"));
  req.idle_timeout = milliseconds(300);
  std::string got;
  auto t0 = Clock::now();
  auto r = client->Send(req, [&](std::string_view c) {
    got.append(c);
    return true;
  });
  auto elapsed = Clock::now() - t0;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.timeout");
  EXPECT_TRUE(r.error().retryable);
  EXPECT_EQ(got, "hello");
  EXPECT_GE(elapsed, milliseconds(290));
  EXPECT_LT(elapsed, milliseconds(3000));
}

TEST(CurlHttpClientTest, IdleTimerIsResetByArrivingData) {
  // Bytes every 100 ms over 600 ms never leave a 300 ms gap.
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest&, testing::TestHttpConnection& c) {
        c.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 6; ++i) {
          c.Write("1\r\nx\r\n");
          c.Sleep(milliseconds(100));
        }
        c.Write("0\r\n\r\n");
      });
  auto client = MakeCurlHttpClient();
  HttpRequest req = Get(server.Url("/"));
  req.idle_timeout = milliseconds(300);
  std::string got;
  auto r = client->Send(req, [&](std::string_view c) {
    got.append(c);
    return true;
  });
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(got, "xxxxxx");
}

TEST(CurlHttpClientTest, TotalTimeoutIsNetTimeout) {
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest&, testing::TestHttpConnection& c) {
        for (int i = 0; i < 100 && c.Sleep(milliseconds(100)); ++i) {
        }
      });
  auto client = MakeCurlHttpClient();
  HttpRequest req = Get(server.Url("/"));
  req.total_timeout = milliseconds(300);
  auto t0 = Clock::now();
  auto r = client->Send(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.timeout");
  EXPECT_LT(Clock::now() - t0, milliseconds(3000));
}

TEST(CurlHttpClientTest, CancelFlagStopsTransferPromptly) {
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest&, testing::TestHttpConnection& c) {
        c.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 100; ++i) {
          if (!c.Write("1\r\nx\r\n") || !c.Sleep(milliseconds(50))) break;
        }
      });
  auto client = MakeCurlHttpClient();
  std::atomic<bool> cancel{false};
  HttpRequest req = Get(server.Url("/"));
  req.cancel = &cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(250));
    cancel = true;
  });
  auto t0 = Clock::now();
  size_t bytes = 0;
  auto r = client->Send(req, [&](std::string_view c) {
    bytes += c.size();
    return true;
  });
  auto elapsed = Clock::now() - t0;
  canceller.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.cancelled");
  EXPECT_FALSE(r.error().retryable);
  EXPECT_GT(bytes, 0u);
  EXPECT_LT(elapsed, milliseconds(1500));
}

TEST(CurlHttpClientTest, CancelWhileWaitingForFirstByte) {
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest&, testing::TestHttpConnection& c) {
        c.Sleep(milliseconds(10000));
      });
  auto client = MakeCurlHttpClient();
  std::atomic<bool> cancel{false};
  HttpRequest req = Get(server.Url("/"));
  req.cancel = &cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(200));
    cancel = true;
  });
  auto t0 = Clock::now();
  auto r = client->Send(req);
  canceller.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.cancelled");
  EXPECT_LT(Clock::now() - t0, milliseconds(1500));
}

TEST(CurlHttpClientTest, AlreadyCancelledSendsNothing) {
  testing::TestHttpServer server([&](const testing::TestHttpRequest&,
                                     testing::TestHttpConnection& c) { c.Respond(200, {}, ""); });
  auto client = MakeCurlHttpClient();
  std::atomic<bool> cancel{true};
  HttpRequest req = Get(server.Url("/"));
  req.cancel = &cancel;
  auto r = client->Send(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.cancelled");
  EXPECT_EQ(server.connections(), 0);
}

TEST(CurlHttpClientTest, SinkReturningFalseIsNetAborted) {
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest&, testing::TestHttpConnection& c) {
        c.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 40; ++i) {
          if (!c.Write("3\r\nabc\r\n") || !c.Sleep(milliseconds(20))) break;
        }
        c.Write("0\r\n\r\n");
      });
  auto client = MakeCurlHttpClient();
  int calls = 0;
  auto r = client->Send(Get(server.Url("/")), [&](std::string_view) { return ++calls < 2; });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.aborted");
  EXPECT_EQ(calls, 2);
}

TEST(CurlHttpClientTest, ClientRecoversAfterAFailedTransfer) {
  std::atomic<int> n{0};
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest&, testing::TestHttpConnection& c) {
        if (n++ == 0) {
          c.Write("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort");
          c.Close();
        } else {
          c.Respond(200, {}, "fine");
        }
      });
  auto client = MakeCurlHttpClient();
  auto first = client->Send(Get(server.Url("/")));
  ASSERT_FALSE(first.ok());
  auto second = client->Send(Get(server.Url("/")));
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  EXPECT_EQ(second->body, "fine");
}

TEST(CurlHttpClientTest, HeaderWithLineBreakIsRejected) {
  testing::TestHttpServer server([&](const testing::TestHttpRequest&,
                                     testing::TestHttpConnection& c) { c.Respond(200, {}, ""); });
  auto client = MakeCurlHttpClient();
  HttpRequest req = Get(server.Url("/"));
  req.headers = {{"X-Bad", "a\r\nInjected: 1"}};
  auto r = client->Send(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.bad_request");
  EXPECT_EQ(r.error().message.find("Injected"), std::string::npos);
}

TEST(CurlHttpClientTest, VerboseTraceRedactsCredentials) {
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest&, testing::TestHttpConnection& c) {
        c.Respond(200, {{"X-Amz-Security-Token", "responsetokenvalue"}}, "bodytext-not-traced");
      });
  HttpClientOptions options;
  options.verbose = true;
  auto client = MakeCurlHttpClient(options);
  HttpRequest req = Get(server.Url("/v"));
  req.headers = {{"Authorization", "AWS4-HMAC-SHA256 Signature=verysecretsignature"},
                 {"X-Amz-Security-Token", "sessiontokenvalue"},
                 {"X-Visible", "shown"}};
  ::testing::internal::CaptureStderr();
  auto r = client->Send(req);
  std::string trace = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_NE(trace.find("X-Visible: shown"), std::string::npos) << trace;
  EXPECT_NE(trace.find("[REDACTED]"), std::string::npos);
  EXPECT_EQ(trace.find("verysecretsignature"), std::string::npos) << trace;
  EXPECT_EQ(trace.find("sessiontokenvalue"), std::string::npos) << trace;
  EXPECT_EQ(trace.find("responsetokenvalue"), std::string::npos) << trace;
  EXPECT_EQ(trace.find("bodytext-not-traced"), std::string::npos) << trace;
}

TEST(CurlHttpClientTest, UnreadableCaBundleIsNetTls) {
  testing::TestHttpServer server([&](const testing::TestHttpRequest&,
                                     testing::TestHttpConnection& c) { c.Respond(200, {}, ""); });
  HttpClientOptions options;
  options.ca_bundle = "/nonexistent/brock-ca.pem";
  auto client = MakeCurlHttpClient(options);
  auto r = client->Send(Get("https://127.0.0.1:" + std::to_string(server.port()) + "/"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.tls") << r.error().ToString();
  EXPECT_NE(r.error().message.find("/nonexistent/brock-ca.pem"), std::string::npos);
  EXPECT_NE(r.error().fix.find("AWS_CA_BUNDLE"), std::string::npos);
}

// A TLS server from the openssl command line, with a fresh self-signed certificate for
// 127.0.0.1.
class OpensslServer {
 public:
  bool Start() {
    dir_ = std::filesystem::temp_directory_path() /
           ("brock_tls_" + std::to_string(getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    ProcessSpec gen;
    gen.argv = {"openssl",  "req",           "-x509",   "-newkey",
                "rsa:2048", "-nodes",        "-keyout", (dir_ / "key.pem").string(),
                "-out",     cert(),          "-days",   "1",
                "-subj",    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"};
    gen.timeout = milliseconds(30000);
    auto g = RealProcessRunner().Run(gen);
    if (!g.ok() || g->exit_code != 0) return false;
    port_ = UnusedPort();
    server_ = std::thread([this] {
      ProcessSpec serve;
      serve.argv = {"openssl", "s_server",
                    "-quiet",  "-www",
                    "-accept", "127.0.0.1:" + std::to_string(port_),
                    "-cert",   cert(),
                    "-key",    (dir_ / "key.pem").string()};
      (void)RealProcessRunner().Run(serve, &stop_);
    });
    // Wait until it accepts connections.
    for (int i = 0; i < 100; ++i) {
      int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      addr.sin_port = htons(static_cast<uint16_t>(port_));
      bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
      close(fd);
      if (ok) return true;
      std::this_thread::sleep_for(milliseconds(50));
    }
    return false;
  }
  ~OpensslServer() {
    stop_ = true;
    if (server_.joinable()) server_.join();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string cert() const { return (dir_ / "cert.pem").string(); }
  std::string Url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread server_;
};

TEST(CurlHttpClientTest, UntrustedCertificateIsNetTlsAndCaBundleFixesIt) {
  OpensslServer tls;
  if (!tls.Start()) GTEST_SKIP() << "openssl command line tool unavailable or s_server failed";
  {
    auto client = MakeCurlHttpClient();
    auto r = client->Send(Get(tls.Url()));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "net.tls") << r.error().ToString();
    EXPECT_FALSE(r.error().retryable);
    EXPECT_NE(r.error().fix.find("AWS_CA_BUNDLE"), std::string::npos);
  }
  {
    HttpClientOptions options;
    options.ca_bundle = tls.cert();
    auto client = MakeCurlHttpClient(options);
    auto r = client->Send(Get(tls.Url()));
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_EQ(r->status, 200);
    EXPECT_FALSE(r->body.empty());
  }
}

TEST(CurlHttpClientTest, ProxyOptionRoutesThroughTheProxy) {
  // A plain-HTTP proxy sees absolute-form request targets.
  Recorder rec;
  testing::TestHttpServer proxy(
      [&](const testing::TestHttpRequest& req, testing::TestHttpConnection& c) {
        rec.Add(req);
        c.Respond(200, {}, "via proxy");
      });
  HttpClientOptions options;
  options.proxy = proxy.Url("");
  auto client = MakeCurlHttpClient(options);
  auto r = client->Send(Get("http://service.example.test/a%3Ab"));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->body, "via proxy");
  EXPECT_EQ(rec.Last().target, "http://service.example.test/a%3Ab");
}

}  // namespace
}  // namespace brock
