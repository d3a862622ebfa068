// McpClient against an in-process fake server (FakeServerTransport): the handshake and version
// negotiation, pagination, tool calls, server errors, timeouts with notifications/cancelled, the
// connection ending under a waiting request, server requests (ping) and list_changed.
#include "mcp/mcp_client.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "base/error_codes.h"

namespace brock {
namespace {

using namespace std::chrono_literals;

// A fake MCP server: answers each request through `respond` (nullopt: no answer) on a separate
// thread, as a real transport would, and records everything the client sent.
class FakeServerTransport : public McpTransport {
 public:
  std::function<std::optional<Json>(const Json& request)> respond;
  std::vector<Json> sent;
  std::mutex mu;

  Status Start(MessageHandler on_message, CloseHandler on_close) override {
    on_message_ = std::move(on_message);
    on_close_ = std::move(on_close);
    return {};
  }
  Status Send(const Json& message) override {
    {
      std::lock_guard<std::mutex> lock(mu);
      sent.push_back(message);
    }
    if (!message.contains("method") || !message.contains("id")) return {};
    std::optional<Json> result = respond ? respond(message) : std::nullopt;
    if (result) {
      Json reply = *result;
      reply["jsonrpc"] = "2.0";
      reply["id"] = message["id"];
      threads_.emplace_back([this, reply] { on_message_(reply); });
    }
    return {};
  }
  void Close() override {
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  // The server side: sends a message to the client / ends the connection.
  void ServerSends(const Json& m) { on_message_(m); }
  void ServerCloses(const std::string& reason) { on_close_(reason); }
  std::vector<Json> Sent() {
    std::lock_guard<std::mutex> lock(mu);
    return sent;
  }

 private:
  MessageHandler on_message_;
  CloseHandler on_close_;
  std::vector<std::thread> threads_;
};

Json InitResult(const std::string& version) {
  return {{"result",
           {{"protocolVersion", version},
            {"capabilities", {{"tools", {{"listChanged", true}}}, {"prompts", Json::object()}}},
            {"serverInfo", {{"name", "fake"}, {"version", "1.2"}}}}}};
}

struct Fixture {
  FakeServerTransport* t;
  std::unique_ptr<McpClient> client;
  Fixture() {
    auto transport = std::make_unique<FakeServerTransport>();
    t = transport.get();
    client = std::make_unique<McpClient>("fake", std::move(transport));
  }
};

TEST(McpClient, InitializesOfferingTheNewestVersionAndAcceptsAnOlderOne) {
  Fixture f;
  f.t->respond = [](const Json& r) -> std::optional<Json> {
    if (r["method"] == "initialize") return InitResult("2024-11-05");
    return std::nullopt;
  };
  ASSERT_TRUE(f.client->Connect(2s).ok());
  auto sent = f.t->Sent();
  ASSERT_GE(sent.size(), 2u);
  EXPECT_EQ(sent[0]["method"], "initialize");
  EXPECT_EQ(sent[0]["params"]["protocolVersion"], McpSupportedProtocolVersions().front());
  EXPECT_EQ(sent[0]["params"]["clientInfo"]["name"], "brock");
  EXPECT_EQ(sent[1]["method"], "notifications/initialized");
  EXPECT_FALSE(sent[1].contains("id"));
  EXPECT_EQ(f.client->protocol_version(), "2024-11-05");
  EXPECT_EQ(f.client->server_info(), "fake 1.2");
  EXPECT_TRUE(f.client->HasCapability("tools"));
  EXPECT_FALSE(f.client->HasCapability("resources"));
}

TEST(McpClient, RefusesAVersionItDoesNotSpeak) {
  Fixture f;
  f.t->respond = [](const Json&) -> std::optional<Json> { return InitResult("1999-01-01"); };
  Status st = f.client->Connect(2s);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, errc::kMcpProtocol);
  EXPECT_NE(st.error().message.find("1999-01-01"), std::string::npos);
}

TEST(McpClient, ListToolsFollowsCursors) {
  Fixture f;
  f.t->respond = [](const Json& r) -> std::optional<Json> {
    if (r["method"] == "initialize") return InitResult("2025-06-18");
    if (r["method"] == "tools/list") {
      if (!r["params"].contains("cursor")) {
        return Json{{"result",
                     {{"tools", {{{"name", "a"}, {"inputSchema", {{"type", "object"}}}}}},
                      {"nextCursor", "page2"}}}};
      }
      EXPECT_EQ(r["params"]["cursor"], "page2");
      return Json{{"result", {{"tools", {{{"name", "b"}, {"description", "B"}}}}}}};
    }
    return std::nullopt;
  };
  ASSERT_TRUE(f.client->Connect(2s).ok());
  auto tools = f.client->ListTools(2s);
  ASSERT_TRUE(tools.ok()) << tools.error().message;
  ASSERT_EQ(tools->size(), 2u);
  EXPECT_EQ((*tools)[0].name, "a");
  EXPECT_EQ((*tools)[1].name, "b");
  EXPECT_EQ((*tools)[1].description, "B");
  EXPECT_EQ((*tools)[1].input_schema.get()["type"], "object");  // filled in when absent
}

TEST(McpClient, CallToolSendsArgumentsAndReturnsTheResult) {
  Fixture f;
  f.t->respond = [](const Json& r) -> std::optional<Json> {
    if (r["method"] == "initialize") return InitResult("2025-06-18");
    if (r["method"] == "tools/call") {
      Json item = {{"type", "text"}, {"text", r["params"]["arguments"]["x"]}};
      Json result = {{"content", Json::array({item})}};
      return Json{{"result", result}};
    }
    return std::nullopt;
  };
  ASSERT_TRUE(f.client->Connect(2s).ok());
  auto result = f.client->CallTool("echo", {{"x", "hello"}}, 2s);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ((*result)["content"][0]["text"], "hello");
}

TEST(McpClient, AServerErrorIsAnErrorNamingTheServer) {
  Fixture f;
  f.t->respond = [](const Json& r) -> std::optional<Json> {
    if (r["method"] == "initialize") return InitResult("2025-06-18");
    return Json{{"error", {{"code", -32602}, {"message", "Unknown tool: nope"}}}};
  };
  ASSERT_TRUE(f.client->Connect(2s).ok());
  auto result = f.client->CallTool("nope", Json::object(), 2s);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, errc::kMcpServerError);
  EXPECT_NE(result.error().message.find("'fake'"), std::string::npos);
  EXPECT_NE(result.error().message.find("Unknown tool: nope"), std::string::npos);
}

TEST(McpClient, ATimeoutSendsCancelled) {
  Fixture f;
  f.t->respond = [](const Json& r) -> std::optional<Json> {
    if (r["method"] == "initialize") return InitResult("2025-06-18");
    return std::nullopt;  // never answers
  };
  ASSERT_TRUE(f.client->Connect(2s).ok());
  auto result = f.client->CallTool("slow", Json::object(), 150ms);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, errc::kMcpTimeout);
  EXPECT_NE(result.error().fix.find("MCP_TOOL_TIMEOUT"), std::string::npos);
  auto sent = f.t->Sent();
  EXPECT_EQ(sent.back()["method"], "notifications/cancelled");
  EXPECT_EQ(sent.back()["params"]["requestId"], sent[sent.size() - 2]["id"]);
}

TEST(McpClient, AnInterruptStopsTheWait) {
  Fixture f;
  f.t->respond = [](const Json& r) -> std::optional<Json> {
    if (r["method"] == "initialize") return InitResult("2025-06-18");
    return std::nullopt;
  };
  ASSERT_TRUE(f.client->Connect(2s).ok());
  std::atomic<bool> cancel{true};
  auto result = f.client->CallTool("slow", Json::object(), 10s, &cancel);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, errc::kAgentInterrupted);
}

TEST(McpClient, TheConnectionEndingFailsAWaitingRequest) {
  Fixture f;
  f.t->respond = [](const Json& r) -> std::optional<Json> {
    if (r["method"] == "initialize") return InitResult("2025-06-18");
    return std::nullopt;
  };
  ASSERT_TRUE(f.client->Connect(2s).ok());
  std::string closed_reason;
  f.client->SetOnClosed([&](const std::string& r) { closed_reason = r; });
  std::thread closer([&] {
    std::this_thread::sleep_for(100ms);
    f.t->ServerCloses("the server exited with status 3");
  });
  auto result = f.client->CallTool("crash", Json::object(), 10s);
  closer.join();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, errc::kMcpClosed);
  EXPECT_NE(result.error().message.find("status 3"), std::string::npos);
  EXPECT_EQ(closed_reason, "the server exited with status 3");
  EXPECT_FALSE(f.client->connected());
  // Later requests fail at once.
  auto later = f.client->CallTool("x", Json::object(), 10s);
  EXPECT_EQ(later.error().code, errc::kMcpClosed);
}

TEST(McpClient, AnswersPingAndRefusesOtherServerRequests) {
  Fixture f;
  f.t->respond = [](const Json& r) -> std::optional<Json> {
    if (r["method"] == "initialize") return InitResult("2025-06-18");
    return std::nullopt;
  };
  ASSERT_TRUE(f.client->Connect(2s).ok());
  f.t->ServerSends({{"jsonrpc", "2.0"}, {"id", "s1"}, {"method", "ping"}});
  f.t->ServerSends({{"jsonrpc", "2.0"}, {"id", 7}, {"method", "sampling/createMessage"}});
  auto sent = f.t->Sent();
  ASSERT_GE(sent.size(), 4u);
  EXPECT_EQ(sent[sent.size() - 2]["id"], "s1");
  EXPECT_TRUE(sent[sent.size() - 2].contains("result"));
  EXPECT_EQ(sent.back()["id"], 7);
  EXPECT_EQ(sent.back()["error"]["code"], -32601);
}

TEST(McpClient, ListChangedSetsTheFlagOnce) {
  Fixture f;
  f.t->respond = [](const Json& r) -> std::optional<Json> {
    if (r["method"] == "initialize") return InitResult("2025-06-18");
    return std::nullopt;
  };
  ASSERT_TRUE(f.client->Connect(2s).ok());
  int calls = 0;
  f.client->SetOnToolsChanged([&] { ++calls; });
  EXPECT_FALSE(f.client->TakeToolsChanged());
  f.t->ServerSends({{"jsonrpc", "2.0"}, {"method", "notifications/tools/list_changed"}});
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(f.client->TakeToolsChanged());
  EXPECT_FALSE(f.client->TakeToolsChanged());
}

}  // namespace
}  // namespace brock
