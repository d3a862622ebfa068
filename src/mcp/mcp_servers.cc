#include "mcp/mcp_servers.h"

#include <nlohmann/json.hpp>
#include <thread>

#include "base/error_codes.h"
#include "mcp/http_transport.h"
#include "mcp/stdio_transport.h"

namespace brock {

std::string NormalizeMcpName(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '_';
  }
  return out;
}

std::string McpToolFullName(const std::string& server, const std::string& tool) {
  std::string full = "mcp__" + NormalizeMcpName(server) + "__" + NormalizeMcpName(tool);
  if (full.size() > 64) full.resize(64);  // the model API's limit for tool names
  return full;
}

McpServers::McpServers(Env& env, HttpClient& http, std::string client_version)
    : env_(env), http_(http), client_version_(std::move(client_version)) {}

McpServers::~McpServers() { Shutdown(); }

void McpServers::Notice(std::string line) {
  std::lock_guard<std::mutex> lock(mu_);
  notices_.push_back(std::move(line));
}

std::vector<std::string> McpServers::TakeNotices() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  out.swap(notices_);
  return out;
}

void McpServers::StartOne(Server& server, std::chrono::milliseconds startup_timeout) {
  auto fail = [&](const Error& e) {
    std::lock_guard<std::mutex> lock(mu_);
    if (e.code == errc::kMcpNeedsAuth) {
      // Not a failure: the user signs in (brock mcp login, /mcp) and the server connects.
      server.status.status = "needs-auth";
      server.status.error = "needs authentication";
      notices_.push_back("MCP server '" + server.config.name +
                         "' needs authentication: run brock mcp login " + server.config.name +
                         " (or /mcp in an interactive session)");
      return;
    }
    server.status.status = "failed";
    server.status.error = e.message;
    notices_.push_back("MCP server '" + server.config.name + "' failed to start: " + e.message +
                       (e.fix.empty() ? "" : " (" + e.fix + ")"));
  };
  auto expanded = ExpandMcpServer(server.config, env_);
  if (!expanded.ok()) return fail(expanded.error());
  const McpServerConfig& c = *expanded;
  std::unique_ptr<McpTransport> transport;
  if (c.transport == McpTransportKind::kStdio) {
    StdioServerSpec spec;
    spec.command = c.command;
    spec.args = c.args;
    spec.env = env_.AllVars();
    for (const std::string& name : withheld_env_) spec.env.erase(name);
    for (const auto& [k, v] : c.env) spec.env[k] = v;
    transport = std::make_unique<StdioTransport>(std::move(spec));
  } else {
    HttpServerSpec spec;
    spec.url = c.url;
    for (const auto& h : c.headers) spec.headers.push_back(h);
    spec.legacy_sse = c.transport == McpTransportKind::kSse;
    spec.connect_timeout = startup_timeout;
    spec.name = c.name;
    spec.oauth = std::make_shared<OAuthTokenSource>(env_, http_, c.url);
    transport = std::make_unique<HttpTransport>(http_, std::move(spec));
  }
  auto client = std::make_shared<McpClient>(c.name, std::move(transport));
  client->set_client_version(client_version_);
  Status connected = client->Connect(startup_timeout);
  if (!connected.ok()) {
    Error e = connected.error();
    client->Close();
    return fail(e);
  }
  std::vector<McpToolInfo> tools;
  std::vector<McpPromptInfo> prompts;
  if (client->HasCapability("tools")) {
    auto listed = client->ListTools(startup_timeout);
    if (!listed.ok()) {
      client->Close();
      return fail(listed.error());
    }
    tools = std::move(listed).value();
  }
  if (client->HasCapability("prompts")) {
    auto listed = client->ListPrompts(startup_timeout);
    if (listed.ok()) prompts = std::move(listed).value();
  }
  std::string name = c.name;
  client->SetOnClosed([this, name](const std::string& reason) {
    std::shared_ptr<McpClient> dead;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& s : servers_) {
        if (s->config.name != name || s->status.status != "connected") continue;
        s->status.status = "disconnected";
        s->status.error = reason;
        dead = s->client;
      }
    }
    std::string line = "MCP server '" + name + "' disconnected: " + reason;
    if (dead) {
      if (std::string tail = dead->StderrTail(); !tail.empty()) line += " (stderr: " + tail + ")";
    }
    Notice(line + "; its tools are unavailable for the rest of the session");
  });
  std::lock_guard<std::mutex> lock(mu_);
  server.client = client;
  server.tools = std::move(tools);
  server.prompts = std::move(prompts);
  server.status.status = client->connected() ? "connected" : "disconnected";
  if (!client->connected()) server.status.error = client->close_reason();
  server.status.server_info = client->server_info();
  server.status.protocol_version = client->protocol_version();
  server.status.tools = server.tools.size();
  server.status.prompts = server.prompts.size();
}

void McpServers::Start(const std::vector<McpServerConfig>& servers,
                       std::chrono::milliseconds startup_timeout,
                       std::chrono::milliseconds request_timeout) {
  request_timeout_ = request_timeout;
  startup_timeout_ = startup_timeout;
  std::vector<Server*> started;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& c : servers) {
      auto s = std::make_unique<Server>();
      s->config = c;
      s->status.name = c.name;
      s->status.scope = c.scope;
      s->status.transport = c.transport;
      s->status.status = "pending";
      started.push_back(s.get());
      servers_.push_back(std::move(s));
    }
  }
  std::vector<std::thread> threads;
  for (Server* s : started) {
    threads.emplace_back([this, s, startup_timeout] { StartOne(*s, startup_timeout); });
  }
  for (auto& t : threads) t.join();
  std::lock_guard<std::mutex> lock(mu_);
  RebuildPromptsLocked();
}

void McpServers::RebuildPromptsLocked() {
  prompt_entries_.clear();
  for (const auto& s : servers_) {
    for (const auto& p : s->prompts) {
      prompt_entries_.push_back({s->config.name, McpToolFullName(s->config.name, p.name), p});
    }
  }
}

const McpServerConfig* McpServers::Config(const std::string& server) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& s : servers_) {
    if (s->config.name == server) return &s->config;
  }
  return nullptr;
}

McpServerStatus McpServers::Reconnect(const std::string& name) {
  Server* server = nullptr;
  std::shared_ptr<McpClient> old;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& s : servers_) {
      if (s->config.name == name) server = s.get();
    }
    if (!server) return McpServerStatus{};
    old = std::move(server->client);
    server->client = nullptr;
    server->tools.clear();
    server->prompts.clear();
    server->status.status = "pending";
    server->status.error.clear();
    server->status.tools = server->status.prompts = 0;
  }
  if (old) {
    old->SetOnClosed(nullptr);
    old->Close();
  }
  StartOne(*server, startup_timeout_);
  std::lock_guard<std::mutex> lock(mu_);
  RebuildPromptsLocked();
  return server->status;
}

std::vector<McpServerStatus> McpServers::Statuses() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<McpServerStatus> out;
  for (const auto& s : servers_) out.push_back(s->status);
  return out;
}

std::vector<McpToolEntry> McpServers::Tools() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<McpToolEntry> out;
  for (const auto& s : servers_) {
    if (!s->client) continue;  // a server that went away keeps its tools listed (calls fail)
    for (const auto& t : s->tools) {
      out.push_back({s->config.name, McpToolFullName(s->config.name, t.name), t});
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> McpServers::Instructions() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : servers_) {
    if (!s->client || s->status.status != "connected") continue;
    if (std::string text = s->client->instructions(); !text.empty()) {
      out.emplace_back(s->config.name, std::move(text));
    }
  }
  return out;
}

std::vector<McpPromptEntry> McpServers::Prompts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return prompt_entries_;
}

const McpPromptEntry* McpServers::FindPrompt(const std::string& command) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& p : prompt_entries_) {
    if (p.command == command) return &p;
  }
  return nullptr;
}

std::shared_ptr<McpClient> McpServers::Client(const std::string& server) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& s : servers_) {
    if (s->config.name == server && s->client) return s->client;
  }
  return nullptr;
}

std::shared_ptr<McpClient> McpServers::ClientForReference(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& s : servers_) {
    if ((s->config.name == name || NormalizeMcpName(s->config.name) == name) && s->client &&
        s->status.status == "connected") {
      return s->client;
    }
  }
  return nullptr;
}

bool McpServers::RefreshTools() {
  std::vector<std::pair<Server*, std::shared_ptr<McpClient>>> changed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& s : servers_) {
      if (s->client && s->status.status == "connected" && s->client->TakeToolsChanged()) {
        changed.emplace_back(s.get(), s->client);
      }
    }
  }
  bool any = false;
  for (auto& [server, client] : changed) {
    auto listed = client->ListTools(request_timeout_);
    if (!listed.ok()) {
      Notice("MCP server '" + server->config.name +
             "' changed its tools but could not list them: " + listed.error().message);
      continue;
    }
    std::lock_guard<std::mutex> lock(mu_);
    server->tools = std::move(listed).value();
    server->status.tools = server->tools.size();
    any = true;
  }
  return any;
}

void McpServers::Shutdown() {
  std::vector<std::shared_ptr<McpClient>> clients;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& s : servers_) {
      if (s->client) {
        s->client->SetOnClosed(nullptr);
        clients.push_back(s->client);
      }
    }
  }
  // In parallel: each stdio server may take a moment to exit.
  std::vector<std::thread> threads;
  for (auto& c : clients) threads.emplace_back([c] { c->Close(); });
  for (auto& t : threads) t.join();
}

}  // namespace brock
