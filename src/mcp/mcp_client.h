// McpClient: the client side of one connection to an MCP server (Model Context Protocol,
// JSON-RPC 2.0 over an McpTransport).
//
// Connect starts the transport and runs the initialization handshake: `initialize` offering the
// newest protocol version brock speaks, accepting any version in McpSupportedProtocolVersions()
// the server answers with (a server on 2024-11-05 or 2025-03-26 works), then the
// `notifications/initialized` notification. Requests are matched to responses by id; each waits
// at most its timeout and can be cancelled (the server then gets `notifications/cancelled`).
// Lists (`tools/list`, `prompts/list`, `resources/list`) follow `nextCursor` pages.
//
// The server may send requests too: `ping` is answered; anything else gets "method not found"
// (brock offers no sampling, roots or elicitation). `notifications/tools/list_changed` sets a flag
// the owner polls (TakeToolsChanged) and runs the callback given to SetOnToolsChanged.
//
// When the connection ends (the process exits, the stream breaks) every waiting request fails
// with mcp.closed naming the reason and the last lines the server wrote to stderr.
//
// Thread-safe: requests may come from several threads at once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "base/json_box.h"
#include "mcp/mcp_transport.h"

namespace brock {

// Protocol versions brock speaks, newest first; the first is what it offers.
const std::vector<std::string>& McpSupportedProtocolVersions();

struct McpToolInfo {
  std::string name;
  std::string title;
  std::string description;
  JsonBox input_schema;  // a JSON Schema object ({"type":"object"} when the server gave none)
  JsonBox annotations;   // readOnlyHint, destructiveHint, ... (null when absent)
};

struct McpPromptArgument {
  std::string name;
  std::string description;
  bool required = false;
};

struct McpPromptInfo {
  std::string name;
  std::string title;
  std::string description;
  std::vector<McpPromptArgument> arguments;
};

struct McpResourceInfo {
  std::string uri;
  std::string name;
  std::string description;
  std::string mime_type;
};

class McpClient {
 public:
  McpClient(std::string server_name, std::unique_ptr<McpTransport> transport);
  ~McpClient();
  McpClient(const McpClient&) = delete;
  McpClient& operator=(const McpClient&) = delete;

  // Starts the transport and initializes within `timeout`. Errors: mcp.start (could not start),
  // mcp.timeout, mcp.closed (the server went away), mcp.protocol (no common protocol version).
  Status Connect(std::chrono::milliseconds timeout, const std::atomic<bool>* cancel = nullptr);

  // Sends a request and waits for its result (the `result` member). Errors: mcp.server (the
  // server's JSON-RPC error, its message quoted), mcp.timeout, mcp.closed, agent.interrupted.
  Result<Json> Request(const std::string& method, Json params, std::chrono::milliseconds timeout,
                       const std::atomic<bool>* cancel = nullptr);
  // Sends a notification.
  Status Notify(const std::string& method, Json params);

  Result<std::vector<McpToolInfo>> ListTools(std::chrono::milliseconds timeout);
  // tools/call: the result object (content, structuredContent, isError).
  Result<Json> CallTool(const std::string& name, Json arguments, std::chrono::milliseconds timeout,
                        const std::atomic<bool>* cancel = nullptr);
  Result<std::vector<McpPromptInfo>> ListPrompts(std::chrono::milliseconds timeout);
  // prompts/get with string arguments: the result object (description, messages).
  Result<Json> GetPrompt(const std::string& name, const std::map<std::string, std::string>& args,
                         std::chrono::milliseconds timeout);
  Result<std::vector<McpResourceInfo>> ListResources(std::chrono::milliseconds timeout);
  // resources/read: the result object (contents).
  Result<Json> ReadResource(const std::string& uri, std::chrono::milliseconds timeout);

  // True when the server declared the capability ("tools", "prompts", "resources").
  bool HasCapability(const std::string& name) const;
  const std::string& server_name() const { return name_; }
  // After Connect: the version agreed on, and the server's name and version as it reported them.
  std::string protocol_version() const;
  std::string server_info() const;
  // The server's `instructions` from initialization, or "".
  std::string instructions() const;

  // False once the connection has ended (or before Connect).
  bool connected() const;
  // Why the connection ended, or "" while it is up.
  std::string close_reason() const;
  // The last lines the server wrote to stderr, on one line ("" when none or not a process).
  std::string StderrTail() const;
  // True (once) after the server said its tool list changed.
  bool TakeToolsChanged() { return tools_changed_.exchange(false); }
  // Runs on the transport's thread when the tool list changed or the connection ended.
  void SetOnToolsChanged(std::function<void()> callback);
  void SetOnClosed(std::function<void(const std::string& reason)> callback);

  // The version brock reports in clientInfo (set before Connect).
  void set_client_version(std::string version) { client_version_ = std::move(version); }

  // Ends the connection (the transport stops the process or session). Idempotent.
  void Close();

 private:
  struct Pending {
    bool done = false;
    JsonBox response;
  };
  void OnMessage(Json message);
  void OnClosed(const std::string& reason);
  Result<std::vector<Json>> ListAll(const std::string& method, const std::string& key,
                                    std::chrono::milliseconds timeout);
  Error ClosedError() const;

  std::string name_;
  std::string client_version_ = "0";
  std::unique_ptr<McpTransport> transport_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int64_t next_id_ = 1;
  std::map<int64_t, std::shared_ptr<Pending>> pending_;
  bool connected_ = false;
  bool started_ = false;
  std::string close_reason_;
  std::string protocol_version_;
  JsonBox capabilities_, server_info_;
  std::string instructions_;
  std::atomic<bool> tools_changed_{false};
  std::function<void()> on_tools_changed_;
  std::function<void(const std::string&)> on_closed_;
};

}  // namespace brock
