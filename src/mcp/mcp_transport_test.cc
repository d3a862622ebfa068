// The transports' pieces: the SSE parser, URL resolution for the legacy endpoint event, and the
// stdio transport with a real child process (newline-delimited JSON both ways, stderr kept, the
// exit reported, the process group ended by Close).
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "base/error_codes.h"
#include "mcp/http_transport.h"
#include "mcp/mcp_client.h"
#include "mcp/sse_parser.h"
#include "mcp/stdio_transport.h"

namespace brock {
namespace {

using namespace std::chrono_literals;

TEST(SseParser, EventsDataLinesCommentsAndLineEndings) {
  std::vector<SseEvent> events;
  SseParser p([&](const SseEvent& e) { events.push_back(e); });
  p.Feed(": keep-alive\n\nevent: endpoint\r\ndata: /messages?session");
  p.Feed("Id=1\r\n\r\ndata: {\"a\":\ndata: 1}\n\nid: 9\nevent: x\n\n");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event, "endpoint");
  EXPECT_EQ(events[0].data, "/messages?sessionId=1");
  EXPECT_EQ(events[1].event, "message");
  EXPECT_EQ(events[1].data, "{\"a\":\n1}");
}

TEST(ResolveUrl, AbsoluteRootRelativeAndRelative) {
  EXPECT_EQ(ResolveUrl("http://127.0.0.1:3001/sse", "/messages?s=1"),
            "http://127.0.0.1:3001/messages?s=1");
  EXPECT_EQ(ResolveUrl("http://h/a/sse", "post"), "http://h/a/post");
  EXPECT_EQ(ResolveUrl("http://h/sse", "http://other/x"), "http://other/x");
}

std::map<std::string, std::string> PathEnv() { return {{"PATH", "/usr/local/bin:/usr/bin:/bin"}}; }

TEST(StdioTransport, ExchangesLinesAndKeepsStderr) {
  StdioServerSpec spec;
  spec.command = "sh";
  // Reads one request and answers it with the same id, after a line on stderr and a non-JSON
  // line on stdout (skipped).
  spec.args = {"-c",
               "read line; echo 'starting up' >&2; echo 'not json'; "
               "echo '{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"ok\":true}}'; sleep 30"};
  spec.env = PathEnv();
  StdioTransport t(spec);
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Json> got;
  ASSERT_TRUE(t.Start(
                   [&](Json m) {
                     std::lock_guard<std::mutex> lock(mu);
                     got.push_back(std::move(m));
                     cv.notify_all();
                   },
                   [](const std::string&) {})
                  .ok());
  ASSERT_TRUE(t.Send({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "x"}}).ok());
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 5s, [&] { return !got.empty(); }));
  }
  EXPECT_EQ(got[0]["result"]["ok"], true);
  for (int i = 0; i < 100 && t.Diagnostics().empty(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_NE(t.Diagnostics().find("starting up"), std::string::npos);
  pid_t pid = t.pid();
  auto started = std::chrono::steady_clock::now();
  t.Close();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_NE(kill(pid, 0), 0);  // gone (and reaped)
}

TEST(StdioTransport, CloseReturnsWhenADaemonKeepsThePipesOpen) {
  StdioServerSpec spec;
  spec.command = "sh";
  // A grandchild in its own session (out of the process group's reach) holding stdout and stderr.
  spec.args = {"-c", "setsid sleep 5 & sleep 30"};
  spec.env = PathEnv();
  StdioTransport t(spec);
  ASSERT_TRUE(t.Start([](Json) {}, [](const std::string&) {}).ok());
  std::this_thread::sleep_for(100ms);
  auto started = std::chrono::steady_clock::now();
  t.Close();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 4s);
}

TEST(StdioTransport, ReportsTheExit) {
  StdioServerSpec spec;
  spec.command = "sh";
  spec.args = {"-c", "echo 'boom' >&2; exit 3"};
  spec.env = PathEnv();
  StdioTransport t(spec);
  std::mutex mu;
  std::condition_variable cv;
  std::string reason;
  ASSERT_TRUE(t.Start([](Json) {},
                      [&](const std::string& r) {
                        std::lock_guard<std::mutex> lock(mu);
                        reason = r;
                        cv.notify_all();
                      })
                  .ok());
  std::unique_lock<std::mutex> lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, 5s, [&] { return !reason.empty(); }));
  EXPECT_EQ(reason, "the server exited with status 3");
}

TEST(StdioTransport, AMissingProgramIsAClearError) {
  StdioServerSpec spec;
  spec.command = "/nonexistent/brock-mcp-server";
  spec.env = PathEnv();
  StdioTransport t(spec);
  Status st = t.Start([](Json) {}, [](const std::string&) {});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, errc::kMcpStart);
  EXPECT_NE(st.error().message.find("/nonexistent/brock-mcp-server"), std::string::npos);
}

TEST(StdioTransport, AClientOverAProcessThatDiesNamesItsStderr) {
  StdioServerSpec spec;
  spec.command = "sh";
  spec.args = {"-c", "read line; echo 'fatal: no database' >&2; exit 1"};
  spec.env = PathEnv();
  McpClient client("db", std::make_unique<StdioTransport>(spec));
  Status st = client.Connect(5s);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, errc::kMcpClosed);
  EXPECT_NE(st.error().message.find("status 1"), std::string::npos);
  EXPECT_NE(st.error().message.find("fatal: no database"), std::string::npos);
}

}  // namespace
}  // namespace brock
