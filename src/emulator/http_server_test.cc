#include "emulator/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "testing/loopback_client.h"

namespace brock {
namespace {

// Echoes what the server parsed: "METHOD URL BODY".
void Echo(const HttpRequest& r, ResponseWriter& w) {
  w.Send(200, {{"Content-Type", "text/plain"}}, r.method + " " + r.url + " " + r.body);
}

TEST(HttpServerTest, RefusesNonLoopbackHost) {
  HttpServerOptions o;
  o.host = "0.0.0.0";
  auto s = HttpServer::Start(o, Echo);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "emulator.host");
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.3.2.1"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_FALSE(IsLoopbackHost("10.0.0.1"));
  EXPECT_FALSE(IsLoopbackHost("example.com"));
}

TEST(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnectionWithRawPath) {
  auto s = HttpServer::Start({}, Echo);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  ASSERT_GT((*s)->port(), 0);
  auto conn = testing::LoopbackConnection::Connect((*s)->port());
  ASSERT_TRUE(conn.ok());
  std::string base = "http://127.0.0.1:" + std::to_string((*s)->port());
  HttpRequest a;
  a.method = "POST";
  a.url = base + "/model/a%3Ab%2Fc/invoke?x=1%202";
  a.body = "hello";
  auto ra = (*conn)->RoundTrip(a);
  ASSERT_TRUE(ra.ok()) << ra.error().ToString();
  EXPECT_EQ(ra->status, 200);
  EXPECT_TRUE(ra->complete);
  EXPECT_EQ(ra->body, "POST " + a.url + " hello");
  HttpRequest b;
  b.url = base + "/second";
  auto rb = (*conn)->RoundTrip(b);
  ASSERT_TRUE(rb.ok()) << rb.error().ToString();
  EXPECT_EQ(rb->body, "GET " + b.url + " ");
}

TEST(HttpServerTest, ReadsChunkedRequestBodies) {
  auto s = HttpServer::Start({}, Echo);
  ASSERT_TRUE(s.ok());
  auto conn = testing::LoopbackConnection::Connect((*s)->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)
                  ->SendRaw("POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n")
                  .ok());
  auto r = (*conn)->ReadResponse();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "POST http://h/x hello, world");
}

TEST(HttpServerTest, AnswersExpectContinue) {
  auto s = HttpServer::Start({}, Echo);
  ASSERT_TRUE(s.ok());
  auto conn = testing::LoopbackConnection::Connect((*s)->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)
                  ->SendRaw("PUT /y HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                            "Content-Length: 3\r\n\r\n")
                  .ok());
  ASSERT_TRUE((*conn)->SendRaw("abc").ok());
  auto r = (*conn)->ReadResponse();  // skips the 100
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "PUT http://h/y abc");
}

TEST(HttpServerTest, StreamsChunksAndCanDropMidStream) {
  auto s = HttpServer::Start({}, [](const HttpRequest& r, ResponseWriter& w) {
    w.StartStream(200, {{"Content-Type", "application/octet-stream"}});
    w.WriteChunk("one,");
    w.WriteChunk("two,");
    if (r.url.find("drop") != std::string::npos) {
      w.Drop();
      return;
    }
    w.WriteChunk("three");
    w.FinishStream();
  });
  ASSERT_TRUE(s.ok());
  std::string base = "http://127.0.0.1:" + std::to_string((*s)->port());
  HttpRequest full;
  full.url = base + "/full";
  auto r = testing::SendLoopbackRequest((*s)->port(), full);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->chunked);
  EXPECT_TRUE(r->complete);
  EXPECT_EQ(r->body, "one,two,three");
  HttpRequest drop;
  drop.url = base + "/drop";
  r = testing::SendLoopbackRequest((*s)->port(), drop);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->complete);
  EXPECT_EQ(r->body, "one,two,");
}

TEST(HttpServerTest, HandlerThatWritesNothingGets500) {
  auto s = HttpServer::Start({}, [](const HttpRequest&, ResponseWriter&) {});
  ASSERT_TRUE(s.ok());
  HttpRequest r;
  r.url = "http://127.0.0.1/";
  auto resp = testing::SendLoopbackRequest((*s)->port(), r);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 500);
}

TEST(HttpServerTest, StopWakesSleepingHandlersAndJoinsPromptly) {
  std::atomic<bool> sleep_returned_false{false};
  auto s = HttpServer::Start({}, [&](const HttpRequest&, ResponseWriter& w) {
    w.StartStream(200, {});
    w.WriteChunk("x");
    if (!w.SleepFor(std::chrono::seconds(30))) sleep_returned_false = true;
    w.Drop();
  });
  ASSERT_TRUE(s.ok());
  int port = (*s)->port();
  std::thread client([port] {
    HttpRequest r;
    r.url = "http://127.0.0.1/slow";
    (void)testing::SendLoopbackRequest(port, r);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto start = std::chrono::steady_clock::now();
  (*s)->Stop();
  client.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_TRUE(sleep_returned_false);
  EXPECT_FALSE(testing::LoopbackConnection::Connect(port).ok());
}

TEST(HttpServerTest, ConnectionsBeyondTheLimitGet503) {
  HttpServerOptions o;
  o.max_connections = 1;
  auto s = HttpServer::Start(o, Echo);
  ASSERT_TRUE(s.ok());
  auto first = testing::LoopbackConnection::Connect((*s)->port());
  ASSERT_TRUE(first.ok());
  HttpRequest r;
  r.url = "http://127.0.0.1/a";
  ASSERT_TRUE((*first)->RoundTrip(r).ok());  // the first connection is now being served
  auto second = testing::SendLoopbackRequest((*s)->port(), r);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, 503);
}

TEST(HttpServerTest, RejectsOversizedBodies) {
  HttpServerOptions o;
  o.max_body_bytes = 10;
  auto s = HttpServer::Start(o, Echo);
  ASSERT_TRUE(s.ok());
  HttpRequest r;
  r.method = "POST";
  r.url = "http://127.0.0.1/a";
  r.body = std::string(11, 'x');
  auto resp = testing::SendLoopbackRequest((*s)->port(), r);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 413);
}

}  // namespace
}  // namespace brock
