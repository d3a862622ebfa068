// Server definitions and where they come from: parsing, ${VAR} expansion, the sources and their
// precedence, project approval and trust, --mcp-config, and remembering an approval.
#include "mcp/mcp_config.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/error_codes.h"
#include "mcp/mcp_content.h"
#include "mcp/mcp_servers.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

using testing::FakeEnv;

TEST(McpConfig, ParsesStdioHttpAndSse) {
  auto s =
      ParseMcpServer("fs", Json::parse(R"({"command":"npx","args":["-y","x"],"env":{"A":"1"}})"),
                     McpScope::kProject, "/p/.mcp.json");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->transport, McpTransportKind::kStdio);
  EXPECT_EQ(s->args.size(), 2u);
  EXPECT_EQ(s->env[0].first, "A");
  auto h = ParseMcpServer(
      "h", Json::parse(R"({"type":"http","url":"http://127.0.0.1/mcp","headers":{"X":"y"}})"),
      McpScope::kUser, "u");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->transport, McpTransportKind::kHttp);
  EXPECT_EQ(h->headers[0].second, "y");
  auto e = ParseMcpServer("e", Json::parse(R"({"type":"sse","url":"http://h/sse"})"),
                          McpScope::kUser, "u");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->transport, McpTransportKind::kSse);
}

TEST(McpConfig, BadDefinitionsNameTheFileServerAndKey) {
  auto a = ParseMcpServer("x", Json::parse(R"({"args":["a"]})"), McpScope::kUser, "/f.json");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, errc::kMcpConfig);
  EXPECT_NE(a.error().message.find("/f.json: MCP server 'x'"), std::string::npos);
  auto b =
      ParseMcpServer("x", Json::parse(R"({"command":"c","args":"a b"})"), McpScope::kUser, "f");
  EXPECT_NE(b.error().message.find("\"args\""), std::string::npos);
  auto c = ParseMcpServer("x", Json::parse(R"({"type":"websocket","url":"ws://h"})"),
                          McpScope::kUser, "f");
  EXPECT_NE(c.error().message.find("websocket"), std::string::npos);
  auto d = ParseMcpServer("x", Json::parse(R"({"url":"http://h"})"), McpScope::kUser, "f");
  EXPECT_NE(d.error().message.find("\"type\""), std::string::npos);
}

TEST(McpConfig, ExpandsVariablesAndDefaults) {
  FakeEnv env;
  env.vars["TOKEN"] = "abc";
  env.vars["EMPTY"] = "";
  std::vector<std::string> missing;
  EXPECT_EQ(ExpandMcpVars("Bearer ${TOKEN}", env, &missing), "Bearer abc");
  EXPECT_EQ(ExpandMcpVars("${NOPE:-fallback}/x", env, &missing), "fallback/x");
  EXPECT_EQ(ExpandMcpVars("${EMPTY:-d}", env, &missing), "d");
  EXPECT_EQ(ExpandMcpVars("$TOKEN ${}", env, &missing), "$TOKEN ${}");
  EXPECT_TRUE(missing.empty());
  EXPECT_EQ(ExpandMcpVars("${NOPE}", env, &missing), "${NOPE}");
  EXPECT_EQ(missing, std::vector<std::string>{"NOPE"});
}

TEST(McpConfig, ExpansionCoversEveryFieldAndNamesMissingVariables) {
  FakeEnv env;
  env.vars["BIN"] = "/opt/bin";
  env.vars["KEY"] = "k1";
  auto s = ParseMcpServer("s", Json::parse(R"({"command":"${BIN}/srv","args":["--key=${KEY}"],
                                          "env":{"K":"${KEY}"}})"),
                          McpScope::kUser, "u");
  auto x = ExpandMcpServer(*s, env);
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(x->command, "/opt/bin/srv");
  EXPECT_EQ(x->args[0], "--key=k1");
  EXPECT_EQ(x->env[0].second, "k1");
  auto h =
      ParseMcpServer("h", Json::parse(R"({"type":"http","url":"${BASE:-http://127.0.0.1:1}/mcp",
                                               "headers":{"Authorization":"Bearer ${SECRET_T}"}})"),
                     McpScope::kUser, "u");
  auto y = ExpandMcpServer(*h, env);
  ASSERT_FALSE(y.ok());
  EXPECT_NE(y.error().message.find("SECRET_T"), std::string::npos);
  env.vars["SECRET_T"] = "t";
  auto z = ExpandMcpServer(*h, env);
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(z->url, "http://127.0.0.1:1/mcp");
  EXPECT_EQ(z->headers[0].second, "Bearer t");
}

struct Sources : ::testing::Test {
  FakeEnv env;
  void SetUp() override {
    env.cwd = "/home/user/project";
    env.files["/home/user/project/.git/HEAD"] = "ref";
    env.files["/home/user/.claude.json"] = R"({
      "mcpServers": {"shared": {"command": "user-shared"}, "mine": {"command": "user-mine"}},
      "projects": {"/home/user/project": {"mcpServers": {"shared": {"command": "local-shared"}}}}
    })";
    env.files["/home/user/project/.mcp.json"] =
        R"({"mcpServers": {"team": {"command": "team-srv"}, "mine": {"command": "project-mine"}}})";
  }
  McpServerSet Load(McpConfigInputs in) {
    in.cwd = env.cwd;
    auto set = LoadMcpServers(env, in);
    EXPECT_TRUE(set.ok()) << set.error().message;
    return set.ok() ? *set : McpServerSet{};
  }
  static std::map<std::string, std::string> Commands(const McpServerSet& set) {
    std::map<std::string, std::string> out;
    for (const auto& s : set.servers) out[s.name] = s.command;
    return out;
  }
};

TEST_F(Sources, LocalThenProjectThenUserAndProjectNeedsApproval) {
  McpServerSet set = Load({});
  auto cmds = Commands(set);
  EXPECT_EQ(cmds["shared"], "local-shared");
  EXPECT_EQ(cmds["mine"], "user-mine");  // the project's "mine" is not approved
  EXPECT_EQ(cmds.count("team"), 0u);
  ASSERT_EQ(set.unapproved.size(), 2u);
}

TEST_F(Sources, ApprovalThroughSettingsAndRejection) {
  Json settings =
      Json::parse(R"({"enabledMcpjsonServers": ["team"], "disabledMcpjsonServers": ["mine"]})");
  McpConfigInputs in;
  in.settings = &settings;
  McpServerSet set = Load(in);
  auto cmds = Commands(set);
  EXPECT_EQ(cmds["team"], "team-srv");
  EXPECT_EQ(cmds["mine"], "user-mine");
  EXPECT_TRUE(set.unapproved.empty());
  Json all = Json::parse(R"({"enableAllProjectMcpServers": true})");
  in.settings = &all;
  EXPECT_EQ(Commands(Load(in))["mine"], "project-mine");
}

TEST_F(Sources, UntrustedWorkspaceStartsNoProjectServer) {
  Json all = Json::parse(R"({"enableAllProjectMcpServers": true})");
  McpConfigInputs in;
  in.settings = &all;
  in.project_trusted = false;
  McpServerSet set = Load(in);
  EXPECT_EQ(Commands(set).count("team"), 0u);
  EXPECT_EQ(set.untrusted.size(), 2u);
  auto report = ProjectMcpServersForTrustReport(env, env.cwd);
  ASSERT_EQ(report.size(), 2u);
  EXPECT_EQ(report[0].key, "mcpServers.mine");
  EXPECT_EQ(report[0].file, "/home/user/project/.mcp.json");
}

TEST_F(Sources, McpConfigComesFirstAndStrictKeepsOnlyIt) {
  env.files["/home/user/project/extra.json"] = R"({"mcpServers": {"mine": {"command": "dyn"}}})";
  McpConfigInputs in;
  in.mcp_configs = {"extra.json", R"({"mcpServers": {"inline": {"command": "i"}}})"};
  auto cmds = Commands(Load(in));
  EXPECT_EQ(cmds["mine"], "dyn");
  EXPECT_EQ(cmds["inline"], "i");
  EXPECT_EQ(cmds["shared"], "local-shared");
  in.strict = true;
  cmds = Commands(Load(in));
  EXPECT_EQ(cmds.size(), 2u);
}

TEST_F(Sources, ABadMcpConfigIsAnError) {
  McpConfigInputs in;
  in.cwd = env.cwd;
  in.mcp_configs = {"missing.json"};
  auto set = LoadMcpServers(env, in);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().code, errc::kMcpConfig);
  in.mcp_configs = {R"({"mcpServers": {"x": {"args": []}}})"};
  EXPECT_FALSE(LoadMcpServers(env, in).ok());
}

TEST_F(Sources, ABrokenFileIsAWarningAndTheRestLoads) {
  env.files["/home/user/project/.mcp.json"] = "{ not json";
  McpServerSet set = Load({});
  EXPECT_EQ(Commands(set)["mine"], "user-mine");
  ASSERT_FALSE(set.warnings.empty());
  EXPECT_NE(set.warnings[0].find(".mcp.json"), std::string::npos);
}

TEST_F(Sources, RememberingAnApprovalKeepsOtherKeys) {
  env.files["/home/user/project/.claude/settings.local.json"] = R"({"model": "haiku"})";
  ASSERT_TRUE(RememberProjectServerApproval(env, "/home/user/project", {"team"}, true).ok());
  Json written = Json::parse(env.files["/home/user/project/.claude/settings.local.json"]);
  EXPECT_EQ(written["model"], "haiku");
  EXPECT_EQ(written["enabledMcpjsonServers"], Json::array({"team"}));
  EXPECT_EQ(ProjectServerApproval(env, env.cwd, &written, "team"), McpApproval::kApproved);
}

TEST(McpNames, NormalizedAndLimited) {
  EXPECT_EQ(McpToolFullName("my server", "get.issue"), "mcp__my_server__get_issue");
  EXPECT_EQ(McpToolFullName("s", std::string(100, 'a')).size(), 64u);
}

TEST(McpContent, TextImageResourceAndError) {
  Json result = Json::parse(R"({"content": [
      {"type": "text", "text": "hi"},
      {"type": "image", "data": "iVBORw0KGgo=", "mimeType": "image/png"},
      {"type": "resource", "resource": {"uri": "test://1", "text": "res text"}},
      {"type": "resource_link", "uri": "file:///x", "name": "x"}],
    "isError": true})");
  McpToolOutput out = McpToolResultToContent(result, kDefaultMcpOutputTokens);
  EXPECT_TRUE(out.is_error);
  ASSERT_EQ(out.content.size(), 4u);
  EXPECT_EQ(out.content[0]["text"], "hi");
  EXPECT_EQ(out.content[1]["type"], "image");
  EXPECT_EQ(out.content[1]["source"]["media_type"], "image/png");
  EXPECT_EQ(out.content[1]["source"]["data"], "iVBORw0KGgo=");
  EXPECT_EQ(out.content[2]["text"], "res text");
  EXPECT_NE(out.content[3]["text"].get<std::string>().find("file:///x"), std::string::npos);
}

TEST(McpContent, StructuredContentWhenThereIsNoContent) {
  McpToolOutput out = McpToolResultToContent(
      Json::parse(R"({"content": [], "structuredContent": {"t": 21.5}})"), 100);
  ASSERT_EQ(out.content.size(), 1u);
  EXPECT_EQ(out.content[0]["text"], "{\"t\":21.5}");
}

TEST(McpContent, TruncatedAtTheTokenLimitWithANote) {
  Json result = {{"content", {{{"type", "text"}, {"text", std::string(1000, 'x')}}}}};
  McpToolOutput out = McpToolResultToContent(result, 10);  // about 40 characters
  EXPECT_TRUE(out.truncated);
  ASSERT_EQ(out.content.size(), 2u);
  EXPECT_EQ(out.content[0]["text"].get<std::string>().size(), 40u);
  EXPECT_NE(out.content[1]["text"].get<std::string>().find("MAX_MCP_OUTPUT_TOKENS=10"),
            std::string::npos);
}

TEST(McpContent, PromptMessagesAndResources) {
  EXPECT_EQ(McpPromptMessagesText(Json::parse(R"({"messages": [
      {"role": "user", "content": {"type": "text", "text": "one"}},
      {"role": "user", "content": {"type": "resource", "resource": {"uri": "u", "text": "two"}}}]})")),
            "one\n\ntwo");
  EXPECT_EQ(McpResourceText(Json::parse(R"({"contents": [{"uri": "u", "text": "body"}]})")),
            "body");
}

}  // namespace
}  // namespace brock
