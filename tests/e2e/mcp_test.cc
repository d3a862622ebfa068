// MCP servers end to end: the real brock binary against the emulator, with the official MCP
// reference servers from npm (@modelcontextprotocol/server-everything over stdio and Streamable
// HTTP, @modelcontextprotocol/server-filesystem over stdio) and a test server on the official
// TypeScript SDK (tests/mcp/test_server.mjs). The packages are installed into
// tests/mcp/node_modules with `npm ci` when missing; without node or npm, or when the install
// fails, the tests skip and say why. The emulator's request log shows what reached the model.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "e2e_harness.h"
#include "pty_session.h"

namespace brock::e2e {
namespace {

namespace fs = std::filesystem;

const std::string kPeers = std::string(BROCK_SOURCE_DIR) + "/tests/mcp";

// "" when the npm peers are ready, else why not (installs them once per test binary).
std::string PeersUnavailable() {
  static std::string reason = [] {
    if (RunProcess({"/bin/sh", "-c", "command -v node"}, {{"PATH", "/usr/local/bin:/usr/bin:/bin"}},
                   "/", "")
            .exit_code != 0) {
      return std::string("node is not installed");
    }
    if (fs::exists(kPeers +
                   "/node_modules/@modelcontextprotocol/server-everything/dist/index.js") &&
        fs::exists(kPeers +
                   "/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js") &&
        fs::exists(kPeers + "/node_modules/@modelcontextprotocol/sdk/package.json")) {
      return std::string();
    }
    std::map<std::string, std::string> env = {
        {"PATH", "/usr/local/bin:/usr/bin:/bin"},
        {"HOME", std::getenv("HOME") ? std::getenv("HOME") : "/tmp"}};
    RunOutput r = RunProcess({"/bin/sh", "-c", "timeout 300 npm ci --no-audit --no-fund"}, env,
                             kPeers, "", 320);
    if (r.exit_code != 0) {
      return "npm ci in tests/mcp failed (no registry access?): " + r.err.substr(0, 300);
    }
    return std::string();
  }();
  return reason;
}

#define SKIP_WITHOUT_PEERS()                                                     \
  do {                                                                           \
    if (std::string why = PeersUnavailable(); !why.empty()) GTEST_SKIP() << why; \
  } while (0)

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  int port = ntohs(a.sin_port);
  close(fd);
  return port;
}

class McpTest : public E2eTest {
 protected:
  std::string Everything() const {
    return kPeers + "/node_modules/@modelcontextprotocol/server-everything/dist/index.js";
  }
  std::string Filesystem() const {
    return kPeers + "/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js";
  }
  void StartWithScript(const Json& rules) {
    WriteGuideSetup("dev");
    WriteFile("script.json", Json{{"rules", rules}}.dump(2));
    StartEmulator({"--script", root_ + "/script.json"});
  }
  static Json ToolUse(const std::string& name, const Json& input) {
    return Json::array({{{"type", "tool_use"}, {"name", name}, {"input", input}}});
  }
  // The tool_result blocks of the last user message of request `i`.
  static std::vector<Json> ToolResults(const Json& body) {
    std::vector<Json> out;
    const Json& last = body["messages"].back();
    for (const Json& b : last["content"]) {
      if (b.value("type", "") == "tool_result") out.push_back(b);
    }
    return out;
  }
  static Json FindTool(const Json& body, const std::string& name) {
    for (const Json& t : body["tools"]) {
      if (t["name"] == name) return t;
    }
    return nullptr;
  }
  std::vector<Json> Bodies() const {
    std::vector<Json> out;
    for (const Json& r : BedrockRequests(emulator_.Requests())) out.push_back(Body(r));
    return out;
  }
  std::string Config(const Json& servers) { return Json{{"mcpServers", servers}}.dump(); }
  Json Stdio(const std::string& script, std::vector<std::string> args = {}) {
    Json a = Json::array({script});
    for (auto& x : args) a.push_back(x);
    return {{"command", "node"}, {"args", a}};
  }

  ~McpTest() override {
    if (http_pid_ > 0) {
      kill(-http_pid_, SIGKILL);
      waitpid(http_pid_, nullptr, 0);
    }
  }
  // Starts server-everything's Streamable HTTP transport on a free port; returns its URL.
  // `mode` "streamableHttp" (URL .../mcp) or "sse" (the legacy transport, URL .../sse).
  std::string StartEverythingHttp(const std::string& mode = "streamableHttp") {
    int port = FreePort();
    http_pid_ = fork();
    if (http_pid_ == 0) {
      setpgid(0, 0);
      setenv("PORT", std::to_string(port).c_str(), 1);
      execlp("node", "node", Everything().c_str(), mode.c_str(), nullptr);
      _exit(127);
    }
    std::string url =
        "http://127.0.0.1:" + std::to_string(port) + (mode == "sse" ? "/sse" : "/mcp");
    for (int i = 0; i < 100; ++i) {
      int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(port);
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      bool up = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
      close(fd);
      if (up) return url;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "server-everything did not listen on " << url;
    return url;
  }
  pid_t http_pid_ = 0;
};

TEST_F(McpTest, EverythingOverStdioToolsCalledAndResultsReachTheModel) {
  SKIP_WITHOUT_PEERS();
  StartWithScript(Json::array({
      {{"name", "echo"},
       {"match", {{"contains", "use the tools"}}},
       {"content", ToolUse("mcp__everything__echo", {{"message", "hello from the model"}})}},
      {{"name", "sum"},
       {"match", {{"tool_result_contains", "hello from the model"}}},
       {"content", ToolUse("mcp__everything__get-sum", {{"a", 2}, {"b", 40}})}},
      {{"name", "image"},
       {"match", {{"tool_result_contains", "42"}}},
       {"content", ToolUse("mcp__everything__get-tiny-image", Json::object())}},
      {{"name", "bad"},
       {"match", {{"tool_result_contains", "image you requested"}}},
       {"content", ToolUse("mcp__everything__get-sum", {{"a", "not a number"}})}},
      {{"name", "done"}, {"text", "All done."}},
  }));
  RunOutput r = RunBrock({"-p", "Please use the tools", "--output-format", "json", "--mcp-config",
                          Config({{"everything", Stdio(Everything(), {"stdio"})}}),
                          "--allowedTools", "mcp__everything"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(Json::parse(r.out)["result"], "All done.");
  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 5u) << r.err;
  // The server's instructions are in the system prompt.
  EXPECT_NE(Body(reqs[0])["system"].dump().find("# MCP Server Instructions"), std::string::npos);
  // Tools listed with their schemas.
  Json echo = FindTool(Body(reqs[0]), "mcp__everything__echo");
  ASSERT_FALSE(echo.is_null()) << Body(reqs[0])["tools"].dump();
  EXPECT_EQ(echo["input_schema"]["properties"]["message"]["type"], "string");
  EXPECT_FALSE(FindTool(Body(reqs[0]), "mcp__everything__get-sum").is_null());
  // Text result.
  auto r1 = ToolResults(Body(reqs[1]));
  ASSERT_EQ(r1.size(), 1u);
  EXPECT_NE(r1[0].dump().find("Echo: hello from the model"), std::string::npos) << r1[0].dump();
  // The sum.
  EXPECT_NE(ToolResults(Body(reqs[2]))[0].dump().find("42"), std::string::npos);
  // The image arrives as an image block.
  Json image_result = ToolResults(Body(reqs[3]))[0];
  bool has_image = false;
  for (const Json& b : image_result["content"]) {
    if (b["type"] == "image") {
      has_image = true;
      EXPECT_EQ(b["source"]["media_type"], "image/png");
      EXPECT_FALSE(b["source"]["data"].get<std::string>().empty());
    }
  }
  EXPECT_TRUE(has_image) << image_result.dump().substr(0, 500);
  // Bad arguments: an error result.
  Json bad = ToolResults(Body(reqs[4]))[0];
  EXPECT_EQ(bad.value("is_error", false), true) << bad.dump();
}

TEST_F(McpTest, WithoutAnAllowRulePrintModeDeniesTheCall) {
  SKIP_WITHOUT_PEERS();
  StartWithScript(Json::array({
      {{"name", "echo"},
       {"match", {{"contains", "echo please"}}},
       {"content", ToolUse("mcp__everything__echo", {{"message", "x"}})}},
      {{"name", "done"}, {"text", "ok"}},
  }));
  RunOutput r = RunBrock({"-p", "echo please", "--output-format", "json", "--mcp-config",
                          Config({{"everything", Stdio(Everything(), {"stdio"})}})});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  ASSERT_EQ(j["permission_denials"].size(), 1u);
  EXPECT_EQ(j["permission_denials"][0]["tool_name"], "mcp__everything__echo");
}

TEST_F(McpTest, FilesystemServerReadsAFile) {
  SKIP_WITHOUT_PEERS();
  WriteFile(project_ + "/notes.txt", "the secret word is marmalade\n");
  StartWithScript(Json::array({
      {{"name", "read"},
       {"match", {{"contains", "read my notes"}}},
       {"content", ToolUse("mcp__files__read_text_file", {{"path", project_ + "/notes.txt"}})}},
      {{"name", "done"},
       {"match", {{"tool_result_contains", "marmalade"}}},
       {"text", "Marmalade."}},
      {{"name", "fallback"}, {"text", "no"}},
  }));
  RunOutput r = RunBrock({"-p", "read my notes", "--output-format", "json", "--mcp-config",
                          Config({{"files", Stdio(Filesystem(), {project_})}}), "--allowedTools",
                          "mcp__files__read_text_file"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["result"], "Marmalade.") << r.err;
}

TEST_F(McpTest, EverythingOverStreamableHttp) {
  SKIP_WITHOUT_PEERS();
  std::string url = StartEverythingHttp();
  StartWithScript(Json::array({
      {{"name", "echo"},
       {"match", {{"contains", "over http"}}},
       {"content", ToolUse("mcp__web__echo", {{"message", "via streamable http"}})}},
      {{"name", "done"},
       {"match", {{"tool_result_contains", "Echo: via streamable http"}}},
       {"text", "HTTP works."}},
      {{"name", "fallback"}, {"text", "no"}},
  }));
  RunOutput r =
      RunBrock({"-p", "echo over http", "--output-format", "stream-json", "--verbose",
                "--mcp-config", Config({{"web", {{"type", "http"}, {"url", "${EV_URL}"}}}}),
                "--allowedTools", "mcp__web__echo"},
               {{"EV_URL", url}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("HTTP works."), std::string::npos) << r.out << r.err;
  // system/init lists the server as connected.
  Json init = Json::parse(r.out.substr(0, r.out.find('\n')));
  ASSERT_EQ(init["mcp_servers"].size(), 1u);
  EXPECT_EQ(init["mcp_servers"][0]["name"], "web");
  EXPECT_EQ(init["mcp_servers"][0]["status"], "connected");
}

TEST_F(McpTest, EverythingOverLegacySse) {
  SKIP_WITHOUT_PEERS();
  std::string url = StartEverythingHttp("sse");
  StartWithScript(Json::array({
      {{"name", "echo"},
       {"match", {{"contains", "over sse"}}},
       {"content", ToolUse("mcp__old__echo", {{"message", "via legacy sse"}})}},
      {{"name", "done"},
       {"match", {{"tool_result_contains", "Echo: via legacy sse"}}},
       {"text", "SSE works."}},
      {{"name", "fallback"}, {"text", "no"}},
  }));
  RunOutput r =
      RunBrock({"-p", "echo over sse", "--output-format", "json", "--mcp-config",
                Config({{"old", {{"type", "sse"}, {"url", url}}}}), "--allowedTools", "mcp__old"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["result"], "SSE works.") << r.err;
}

TEST_F(McpTest, NamesThatNormalizeAlikeAreOfferedOnce) {
  SKIP_WITHOUT_PEERS();
  StartWithScript(Json::array({{{"name", "any"}, {"text", "ok"}}}));
  RunOutput r = RunBrock({"-p", "hi", "--output-format", "json", "--mcp-config",
                          Config({{"ev one", Stdio(Everything(), {"stdio"})},
                                  {"ev_one", Stdio(Everything(), {"stdio"})}})});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 1u);
  std::set<std::string> names;
  int echoes = 0;
  Json body = Body(reqs[0]);
  for (const Json& t : body["tools"]) {
    EXPECT_TRUE(names.insert(t["name"].get<std::string>()).second) << t["name"];
    if (t["name"] == "mcp__ev_one__echo") ++echoes;
  }
  EXPECT_EQ(echoes, 1);
}

TEST_F(McpTest, PromptAsSlashCommand) {
  SKIP_WITHOUT_PEERS();
  StartWithScript(Json::array({
      {{"name", "weather"}, {"match", {{"contains", "weather in Paris"}}}, {"text", "Sunny."}},
      {{"name", "fallback"}, {"text", "not expanded"}},
  }));
  RunOutput r =
      RunBrock({"-p", "/mcp__everything__args-prompt Paris", "--output-format", "json",
                "--mcp-config", Config({{"everything", Stdio(Everything(), {"stdio"})}})});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["result"], "Sunny.");
  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_NE(Body(reqs[0])["messages"][0].dump().find("What's weather in Paris?"),
            std::string::npos);
}

TEST_F(McpTest, ACrashingServerIsReportedAndTheSessionGoesOn) {
  SKIP_WITHOUT_PEERS();
  StartWithScript(Json::array({
      {{"name", "crash"},
       {"match", {{"contains", "crash it"}}},
       {"content", ToolUse("mcp__test__crash", Json::object())}},
      {{"name", "after"},
       {"match", {{"tool_result_contains", "exited with status 7"}}},
       {"times", 1},
       {"content", ToolUse("mcp__test__weather", {{"city", "Oslo"}})}},
      {{"name", "done"},
       {"match", {{"tool_result_contains", "unavailable"}}},
       {"text", "Carried on."}},
      {{"name", "fallback"}, {"text", "hmm"}},
  }));
  RunOutput r = RunBrock({"-p", "crash it", "--output-format", "json", "--mcp-config",
                          Config({{"test", Stdio(kPeers + "/test_server.mjs")},
                                  {"broken", {{"command", "/nonexistent/mcp-server"}}}}),
                          "--allowedTools", "mcp__test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["result"], "Carried on.") << r.err;
  EXPECT_NE(r.err.find("MCP server 'broken' failed to start"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("MCP server 'test' disconnected"), std::string::npos) << r.err;
}

TEST_F(McpTest, AHangingServerTimesOutAndTheSessionGoesOn) {
  SKIP_WITHOUT_PEERS();
  StartWithScript(Json::array({{{"name", "any"}, {"text", "Still here."}}}));
  auto started = std::chrono::steady_clock::now();
  RunOutput r = RunBrock({"-p", "hi", "--output-format", "json", "--mcp-config",
                          Config({{"hang", {{"command", "sleep"}, {"args", {"100"}}}}})},
                         {{"MCP_TIMEOUT", "500"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
  EXPECT_EQ(Json::parse(r.out)["result"], "Still here.");
  EXPECT_NE(r.err.find("MCP server 'hang' failed to start"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("within 500 ms"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("MCP_TIMEOUT"), std::string::npos) << r.err;
}

TEST_F(McpTest, AToolCallPastMcpToolTimeoutIsAnErrorResult) {
  SKIP_WITHOUT_PEERS();
  StartWithScript(Json::array({
      {{"name", "slow"},
       {"match", {{"contains", "take your time"}}},
       {"content", ToolUse("mcp__everything__trigger-long-running-operation",
                           {{"duration", 20}, {"steps", 2}})}},
      {{"name", "done"},
       {"match", {{"tool_result_contains", "within 500 ms"}}},
       {"text", "Too slow."}},
      {{"name", "fallback"}, {"text", "no"}},
  }));
  auto started = std::chrono::steady_clock::now();
  RunOutput r = RunBrock({"-p", "take your time", "--output-format", "json", "--mcp-config",
                          Config({{"everything", Stdio(Everything(), {"stdio"})}}),
                          "--allowedTools", "mcp__everything"},
                         {{"MCP_TOOL_TIMEOUT", "500"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["result"], "Too slow.") << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(15));
}

TEST_F(McpTest, AResourceReferenceIsReadAndAttached) {
  SKIP_WITHOUT_PEERS();
  StartWithScript(Json::array({{{"name", "any"}, {"text", "Read it."}}}));
  RunOutput r =
      RunBrock({"-p", "summarise @everything:demo://resource/static/document/architecture.md",
                "--output-format", "json", "--mcp-config",
                Config({{"everything", Stdio(Everything(), {"stdio"})}})});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 1u);
  Json body = Body(reqs[0]);
  const Json& content = body["messages"][0]["content"];
  std::string prompt;
  if (content.is_string()) {
    prompt = content.get<std::string>();
  } else {
    for (const Json& b : content) prompt += b.value("text", "");
  }
  EXPECT_NE(prompt.find("<mcp-resource server=\"everything\" "
                        "uri=\"demo://resource/static/document/architecture.md\">"),
            std::string::npos)
      << prompt.substr(0, 400);
  std::string doc = ReadAll(
      kPeers + "/node_modules/@modelcontextprotocol/server-everything/dist/docs/architecture.md");
  ASSERT_FALSE(doc.empty());
  std::string first_line = doc.substr(0, doc.find('\n'));
  EXPECT_NE(prompt.find(first_line), std::string::npos) << first_line;
}

TEST_F(McpTest, ListChangedAddsTheNewToolAndStructuredContentArrives) {
  SKIP_WITHOUT_PEERS();
  StartWithScript(Json::array({
      {{"name", "add"},
       {"match", {{"contains", "grow"}}},
       {"content", ToolUse("mcp__test__add_tool", Json::object())}},
      {{"name", "late"},
       {"match", {{"tool_result_contains", "added the tool late"}}},
       {"content", ToolUse("mcp__test__late", {{"word", "banana"}})}},
      {{"name", "weather"},
       {"match", {{"tool_result_contains", "late tool got banana"}}},
       {"content", ToolUse("mcp__test__weather", {{"city", "Oslo"}})}},
      {{"name", "done"}, {"match", {{"tool_result_contains", "21.5"}}}, {"text", "Grown."}},
      {{"name", "fallback"}, {"text", "hmm"}},
  }));
  RunOutput r = RunBrock({"-p", "grow", "--output-format", "json", "--mcp-config",
                          Config({{"test", Stdio(kPeers + "/test_server.mjs")}}), "--allowedTools",
                          "mcp__test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["result"], "Grown.") << r.err;
  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_GE(reqs.size(), 2u);
  EXPECT_TRUE(FindTool(Body(reqs[0]), "mcp__test__late").is_null());
  EXPECT_FALSE(FindTool(Body(reqs[1]), "mcp__test__late").is_null());
}

// Hooks see MCP tools by their mcp__server__tool names: a PreToolUse hook blocks one call.
TEST_F(McpTest, APreToolUseHookMatchesAnMcpTool) {
  SKIP_WITHOUT_PEERS();
  StartWithScript(Json::array({
      {{"name", "call"},
       {"match", {{"contains", "weather"}}},
       {"content", ToolUse("mcp__test__weather", {{"city", "Oslo"}})}},
      {{"name", "blocked"},
       {"match", {{"tool_result_contains", "hook-says-no-canary"}}},
       {"text", "Blocked."}},
      {{"name", "fallback"}, {"text", "the hook did not block it"}},
  }));
  Json hook = {{"type", "command"}, {"command", "echo hook-says-no-canary >&2; exit 2"}};
  Json settings = {{"hooks",
                    {{"PreToolUse", Json::array({{{"matcher", "mcp__test__.*"},
                                                  {"hooks", Json::array({hook})}}})}}}};
  RunOutput r = RunBrock({"-p", "weather please", "--output-format", "json", "--mcp-config",
                          Config({{"test", Stdio(kPeers + "/test_server.mjs")}}), "--allowedTools",
                          "mcp__test", "--settings", settings.dump()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["result"], "Blocked.") << r.err;
  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(ToolResults(Body(reqs[1])).at(0).dump().find("21.5"), std::string::npos)
      << "the tool did not run";
}

// A stdio server does not inherit the secrets brock reaches Bedrock with; its own `env` block may
// pass one on explicitly.
TEST_F(McpTest, AStdioServerDoesNotInheritTheBedrockSecrets) {
  SKIP_WITHOUT_PEERS();
  StartWithScript(Json::array({
      {{"name", "inherited"},
       {"match", {{"contains", "show the environment"}}},
       {"content", ToolUse("mcp__test__env", {{"name", "AWS_SESSION_TOKEN"}})}},
      {{"name", "explicit"},
       {"match", {{"tool_result_contains", "AWS_SESSION_TOKEN="}}},
       {"content", ToolUse("mcp__test__env", {{"name", "PASSED_ON"}})}},
      {{"name", "done"}, {"match", {{"tool_result_contains", "PASSED_ON="}}}, {"text", "Shown."}},
      {{"name", "fallback"}, {"text", "hmm"}},
  }));
  Json server = Stdio(kPeers + "/test_server.mjs");
  server["env"] = {{"PASSED_ON", "${AWS_SESSION_TOKEN}"}};
  RunOutput r = RunBrock({"-p", "show the environment", "--output-format", "json", "--mcp-config",
                          Config({{"test", server}}), "--allowedTools", "mcp__test"},
                         {{"AWS_SESSION_TOKEN", "mcp-session-canary-42"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["result"], "Shown.") << r.err;
  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_NE(ToolResults(Body(reqs[1])).at(0).dump().find("AWS_SESSION_TOKEN=<unset>"),
            std::string::npos)
      << Body(reqs[1]).dump();
  EXPECT_NE(ToolResults(Body(reqs[2])).at(0).dump().find("PASSED_ON=mcp-session-canary-42"),
            std::string::npos)
      << Body(reqs[2]).dump();
}

TEST_F(McpTest, ProjectServersNeedTrustAndApproval) {
  SKIP_WITHOUT_PEERS();
  WriteFile(project_ + "/.mcp.json", Config({{"everything", Stdio(Everything(), {"stdio"})}}));
  StartWithScript(Json::array({{{"name", "any"}, {"text", "ok"}}}));
  // Untrusted: never started, and the notice names the file's servers.
  RunOutput r = RunBrock({"-p", "hi", "--output-format", "stream-json", "--verbose"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("mcpServers.everything"), std::string::npos) << r.err;
  EXPECT_EQ(Json::parse(r.out.substr(0, r.out.find('\n')))["mcp_servers"].size(), 0u);
  // Trusted but unapproved: skipped with one line.
  TrustProject();
  r = RunBrock({"-p", "hi", "--output-format", "stream-json", "--verbose"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("not approved, skipped: everything"), std::string::npos) << r.err;
  // Approved in the project's local settings: started.
  WriteFile(project_ + "/.claude/settings.local.json",
            R"({"enabledMcpjsonServers": ["everything"]})");
  r = RunBrock({"-p", "hi", "--output-format", "stream-json", "--verbose"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json init = Json::parse(r.out.substr(0, r.out.find('\n')));
  ASSERT_EQ(init["mcp_servers"].size(), 1u) << r.err;
  EXPECT_EQ(init["mcp_servers"][0]["status"], "connected");
}

TEST_F(McpTest, TerminalAsksAboutAProjectServerRemembersAndShowsIt) {
  SKIP_WITHOUT_PEERS();
  WriteFile(project_ + "/.mcp.json", Config({{"everything", Stdio(Everything(), {"stdio"})}}));
  StartWithScript(Json::array({
      {{"name", "weather"}, {"match", {{"contains", "weather in Berlin"}}}, {"text", "Cloudy."}},
      {{"name", "fallback"}, {"text", "not expanded"}},
  }));
  TrustProject();
  PtySession pty;
  auto env = BrockEnv({{"TERM", "xterm-256color"}, {"NO_COLOR", "1"}});
  pty.Start({BROCK_BIN}, env, project_);
  ASSERT_TRUE(pty.Expect("New MCP server found in"));
  ASSERT_TRUE(pty.Expect("Use this MCP server?"));
  pty.SendLine("y");
  ASSERT_TRUE(pty.Expect("> "));
  pty.SendLine("/mcp");
  ASSERT_TRUE(pty.Expect("everything  connected  (project, stdio)"));
  pty.SendLine("/mcp__everything__args-prompt Berlin");
  ASSERT_TRUE(pty.Expect("Cloudy."));
  pty.SendLine("/exit");
  EXPECT_EQ(pty.Wait(), 0);
  Json local = Json::parse(ReadAll(project_ + "/.claude/settings.local.json"));
  EXPECT_EQ(local["enabledMcpjsonServers"], Json::array({"everything"}));
}

TEST_F(McpTest, McpCommandAddListGetRemove) {
  SKIP_WITHOUT_PEERS();
  WriteGuideSetup("dev");
  RunOutput r = RunBrock(
      {"mcp", "add", "-e", "TOKEN=s3cret", "everything", "--", "node", Everything(), "stdio"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunBrock({"mcp", "add", "--transport", "http", "-s", "user", "-H",
                "Authorization: Bearer t0k", "remote", "http://127.0.0.1:9/mcp"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json claude = Json::parse(ReadAll(home_ + "/.claude.json"));
  EXPECT_EQ(claude["projects"][project_]["mcpServers"]["everything"]["env"]["TOKEN"], "s3cret");
  EXPECT_EQ(claude["mcpServers"]["remote"]["headers"]["Authorization"], "Bearer t0k");
  r = RunBrock({"mcp", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("everything: node"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("✓ Connected"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("remote: http://127.0.0.1:9/mcp (http) - ✗ Failed"), std::string::npos)
      << r.out;
  r = RunBrock({"mcp", "get", "remote"});
  EXPECT_EQ(r.out.find("t0k"), std::string::npos) << "header values are not shown";
  r = RunBrock({"mcp", "remove", "remote"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  claude = Json::parse(ReadAll(home_ + "/.claude.json"));
  EXPECT_FALSE(claude["mcpServers"].contains("remote"));
  EXPECT_TRUE(claude["projects"][project_]["mcpServers"].contains("everything"));
}

// --permission-prompt-tool mcp__test__approve: the test server's `approve` allows Read and denies
// anything else with a message; the tool itself is not offered to the model.
TEST_F(McpTest, PermissionPromptToolAllowsAndDenies) {
  SKIP_WITHOUT_PEERS();
  std::string outside = "/tmp/brock_ppt_" + std::to_string(getpid()) + ".txt";
  WriteFile(outside, "READ-CANARY-77\n");
  StartWithScript(Json::array({
      {{"name", "end"},
       {"match", {{"tool_result_contains", "APPROVER-SAYS-NO"}}},
       {"text", "Done."}},
      {{"name", "bash"},
       {"match", {{"tool_result_contains", "READ-CANARY-77"}}},
       {"content", ToolUse("Bash", {{"command", "rm -f nothing-here"}})}},
      {{"name", "read"}, {"content", ToolUse("Read", {{"file_path", outside}})}},
  }));
  RunOutput r = RunBrock({"-p", "go", "--output-format", "json", "--mcp-config",
                          Config({{"test", Stdio(kPeers + "/test_server.mjs")}}),
                          "--permission-prompt-tool", "mcp__test__approve"});
  fs::remove(outside);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["result"], "Done.") << r.out << r.err;
  ASSERT_EQ(j["permission_denials"].size(), 1u) << j.dump();
  EXPECT_EQ(j["permission_denials"][0]["tool_name"], "Bash");
  auto bodies = Bodies();
  ASSERT_EQ(bodies.size(), 3u);
  EXPECT_TRUE(FindTool(bodies[0], "mcp__test__approve").is_null());
  EXPECT_FALSE(FindTool(bodies[0], "mcp__test__crash").is_null());
  EXPECT_NE(ToolResults(bodies[2])[0].dump().find("APPROVER-SAYS-NO to Bash"), std::string::npos);
}

TEST_F(McpTest, PermissionPromptToolUpdatedInputIsRun) {
  SKIP_WITHOUT_PEERS();
  StartWithScript(Json::array({
      {{"name", "end"},
       {"match", {{"tool_result_contains", "REWRITTEN-CANARY-42"}}},
       {"text", "Rewritten."}},
      {{"name", "bash"}, {"content", ToolUse("Bash", {{"command", "rm -f nothing-here"}})}},
  }));
  RunOutput r = RunBrock({"-p", "go", "--output-format", "json", "--mcp-config",
                          Config({{"test", Stdio(kPeers + "/test_server.mjs")}}),
                          "--permission-prompt-tool", "mcp__test__approve_rewrite"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["result"], "Rewritten.") << r.out << r.err;
  EXPECT_TRUE(j["permission_denials"].empty()) << j.dump();
}

// A deny rule refuses before the prompt tool is asked, and it is checked again against the
// input the prompt tool substitutes.
TEST_F(McpTest, PermissionPromptToolCannotWidenDenyRules) {
  SKIP_WITHOUT_PEERS();
  StartWithScript(Json::array({
      // The second denial names the substituted input; only the command's own output would
      // reach "LEAKED".
      {{"name", "refused"},
       {"match", {{"tool_result_contains", "updatedInput"}}},
       {"text", "Refused twice."}},
      {{"name", "end"},
       {"match", {{"tool_result_contains", "REWRITTEN-CANARY-42"}}},
       {"text", "LEAKED"}},
      {{"name", "second"},
       {"match", {{"tool_result_contains", "denied"}}},
       {"content", ToolUse("Bash", {{"command", "rm -f other-file"}})}},
      {{"name", "first"}, {"content", ToolUse("Bash", {{"command", "rm -f nothing-here"}})}},
  }));
  RunOutput r =
      RunBrock({"-p", "go", "--output-format", "json", "--max-turns", "3", "--mcp-config",
                Config({{"test", Stdio(kPeers + "/test_server.mjs")}}), "--permission-prompt-tool",
                "mcp__test__approve_rewrite", "--disallowedTools", "Bash(rm -f nothing-here)",
                "Bash(echo REWRITTEN-CANARY-42)"});
  Json j = Json::parse(r.out);
  EXPECT_EQ(j.value("result", ""), "Refused twice.") << r.out;
  ASSERT_EQ(j["permission_denials"].size(), 2u) << j.dump() << r.err;
  auto bodies = Bodies();
  ASSERT_GE(bodies.size(), 3u);
  std::string first = ToolResults(bodies[1])[0].dump();
  std::string second = ToolResults(bodies[2])[0].dump();
  EXPECT_EQ(first.find("prompt tool"), std::string::npos) << first;
  EXPECT_NE(second.find("updatedInput"), std::string::npos) << second;
}

TEST_F(McpTest, PermissionPromptToolThatIsMissingOrMalformedDenies) {
  SKIP_WITHOUT_PEERS();
  for (const char* tool : {"mcp__test__nope", "mcp__test__approve_bad"}) {
    StartWithScript(Json::array({
        {{"name", "end"},
         {"match", {{"tool_result_contains", "permission prompt tool"}}},
         {"text", "Refused."}},
        {{"name", "bash"}, {"content", ToolUse("Bash", {{"command", "rm -f nothing-here"}})}},
    }));
    RunOutput r = RunBrock({"-p", "go", "--output-format", "json", "--mcp-config",
                            Config({{"test", Stdio(kPeers + "/test_server.mjs")}}),
                            "--permission-prompt-tool", tool});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    Json j = Json::parse(r.out);
    EXPECT_EQ(j["result"], "Refused.") << tool << r.out << r.err;
    ASSERT_EQ(j["permission_denials"].size(), 1u) << j.dump();
    std::string why = ToolResults(Bodies().back())[0].dump();
    EXPECT_NE(
        why.find(std::string(tool) == "mcp__test__nope" ? "not a tool of a connected MCP server"
                                                        : "did not answer with a JSON object"),
        std::string::npos)
        << why;
    emulator_.Stop();
  }
}

}  // namespace
}  // namespace brock::e2e
