#include "cli/mcp_login.h"

#include "base/error_codes.h"
#include "mcp/oauth_flow.h"

namespace brock {

namespace {

Result<McpServerConfig> RemoteServer(const Env& env, const McpServerConfig& server) {
  if (server.transport == McpTransportKind::kStdio) {
    return MakeError(errc::kMcpConfig,
                     "MCP server '" + server.name +
                         "' is a stdio server; OAuth sign-in is for "
                         "http and sse servers",
                     "give a stdio server its credentials through its env (brock mcp add -e ...)");
  }
  return ExpandMcpServer(server, env);
}

}  // namespace

Status McpLogin(Env& env, HttpClient& http, const McpServerConfig& server,
                const std::function<void(const std::string&)>& say,
                const std::atomic<bool>* cancel) {
  auto remote = RemoteServer(env, server);
  if (!remote.ok()) return remote.error();
  McpSignInOptions options;
  options.server_url = remote->url;
  for (const auto& h : remote->headers) options.headers.push_back(h);
  options.legacy_sse = remote->transport == McpTransportKind::kSse;
  options.config = remote->oauth;
  options.open_browser = SystemBrowserOpener(env);
  options.say = say;
  options.cancel = cancel;
  auto record = SignInToMcpServer(env, http, options);
  if (!record.ok()) {
    Error e = record.error();
    e.message = "signing in to MCP server '" + server.name + "' failed: " + e.message;
    return e;
  }
  return {};
}

Result<bool> McpLogout(Env& env, const McpServerConfig& server) {
  auto remote = RemoteServer(env, server);
  if (!remote.ok()) return remote.error();
  return RemoveMcpOAuthRecord(env, remote->url);
}

}  // namespace brock
