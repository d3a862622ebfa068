// McpServers: the MCP servers of one session. Start connects to every server at once (one thread
// each) and waits until each has connected, failed or used up its startup time (MCP_TIMEOUT),
// then lists their tools and prompts. A server that fails, crashes later or hangs is reported in
// one line (TakeNotices) and the session goes on without it. A server that says its tool list
// changed is listed again before the next model request (RefreshTools).
//
// Names: a tool reaches the model as mcp__<server>__<tool>, with characters outside
// [A-Za-z0-9_-] in either part replaced by '_' (the model API's rule for tool names), as Claude
// Code does.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/env.h"
#include "mcp/mcp_client.h"
#include "mcp/mcp_config.h"
#include "mcp/oauth_token_source.h"
#include "net/http_client.h"

namespace brock {

// Claude Code's default startup limit (MCP_TIMEOUT), in milliseconds.
inline constexpr int64_t kDefaultMcpStartupTimeoutMs = 30000;

// "mcp__<server>__<tool>" with the names normalized as above.
std::string McpToolFullName(const std::string& server, const std::string& tool);
// The name part as the model sees it.
std::string NormalizeMcpName(const std::string& name);

struct McpServerStatus {
  std::string name;
  McpScope scope = McpScope::kUser;
  McpTransportKind transport = McpTransportKind::kStdio;
  // "pending", "connected", "failed", "needs-auth" (a remote server wants an OAuth sign-in),
  // "disconnected"
  std::string status;
  std::string error;  // why it failed or disconnected
  std::string server_info;
  std::string protocol_version;
  size_t tools = 0, prompts = 0, resources = 0;
};

struct McpToolEntry {
  std::string server;
  std::string full_name;  // mcp__server__tool
  McpToolInfo info;
};

struct McpPromptEntry {
  std::string server;
  std::string command;  // mcp__server__prompt, the slash command without '/'
  McpPromptInfo info;
};

class McpServers {
 public:
  // `http` carries the HTTP servers' requests (thread-safe); `client_version` goes in clientInfo.
  McpServers(Env& env, HttpClient& http, std::string client_version);
  ~McpServers();

  // Variables a stdio server does not inherit from brock's environment (the secrets brock reaches
  // Bedrock with, agent/child_env.h); the server's own `env` may still set them. Call before Start.
  void set_withheld_env(std::vector<std::string> names) { withheld_env_ = std::move(names); }

  // Connects to `servers` in parallel; returns when each is connected or failed.
  // `startup_timeout` bounds each server's start and initialization; `request_timeout` the lists.
  void Start(const std::vector<McpServerConfig>& servers, std::chrono::milliseconds startup_timeout,
             std::chrono::milliseconds request_timeout);

  std::vector<McpServerStatus> Statuses() const;
  std::vector<McpToolEntry> Tools() const;
  std::vector<McpPromptEntry> Prompts() const;
  // The connected client of `server`, or null.
  std::shared_ptr<McpClient> Client(const std::string& server) const;
  // The `instructions` connected servers gave at initialization, as (server, text), non-empty only.
  std::vector<std::pair<std::string, std::string>> Instructions() const;
  // Lines for the user (a server failed, disconnected) not yet shown; each once.
  std::vector<std::string> TakeNotices();
  // Lists the tools again of every server that said they changed; true when any list changed.
  bool RefreshTools();
  // The prompt named by a slash command ("mcp__server__prompt"), or null.
  const McpPromptEntry* FindPrompt(const std::string& command) const;
  // The server whose (unnormalized or normalized) name is `name`, connected, or null.
  std::shared_ptr<McpClient> ClientForReference(const std::string& name) const;
  // Connects `server` again (after a sign-in): its old connection is closed, its tools and
  // prompts are listed anew. The server's status afterwards.
  McpServerStatus Reconnect(const std::string& server);
  // The definition of `server` as configured (before ${VAR} expansion), or null.
  const McpServerConfig* Config(const std::string& server) const;
  // Ends every connection (stops processes). Idempotent.
  void Shutdown();

  std::chrono::milliseconds request_timeout() const { return request_timeout_; }

 private:
  struct Server {
    McpServerConfig config;
    McpServerStatus status;
    std::shared_ptr<McpClient> client;
    std::vector<McpToolInfo> tools;
    std::vector<McpPromptInfo> prompts;
  };
  void StartOne(Server& server, std::chrono::milliseconds startup_timeout);
  void Notice(std::string line);
  void RebuildPromptsLocked();

  Env& env_;
  HttpClient& http_;
  std::string client_version_;
  std::chrono::milliseconds request_timeout_{30000};
  std::vector<std::string> withheld_env_;
  std::chrono::milliseconds startup_timeout_{30000};
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Server>> servers_;
  std::vector<McpPromptEntry> prompt_entries_;
  std::vector<std::string> notices_;
};

}  // namespace brock
