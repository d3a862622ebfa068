#include "mcp/mcp_client.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/error_codes.h"
#include "base/strings.h"

namespace brock {

namespace {

constexpr int kMaxPages = 1000;  // a server that keeps returning cursors is stopped here

// The last few lines of a server's stderr, on one line, for an error message.
std::string LastStderrLines(const std::string& text) {
  std::string_view t = Trim(text);
  if (t.empty()) return {};
  std::vector<std::string> lines;
  for (const std::string& l : Split(t, '\n')) {
    std::string_view s = Trim(l);
    if (!s.empty()) lines.emplace_back(s);
  }
  std::string out;
  size_t from = lines.size() > 3 ? lines.size() - 3 : 0;
  for (size_t i = from; i < lines.size(); ++i) {
    if (!out.empty()) out += " | ";
    out += lines[i];
  }
  if (out.size() > 400) out = "..." + out.substr(out.size() - 400);
  return out;
}

}  // namespace

const std::vector<std::string>& McpSupportedProtocolVersions() {
  static const std::vector<std::string> versions = {"2025-11-25", "2025-06-18", "2025-03-26",
                                                    "2024-11-05"};
  return versions;
}

McpClient::McpClient(std::string server_name, std::unique_ptr<McpTransport> transport)
    : name_(std::move(server_name)), transport_(std::move(transport)) {}

McpClient::~McpClient() { Close(); }

void McpClient::SetOnToolsChanged(std::function<void()> callback) {
  std::lock_guard<std::mutex> lock(mu_);
  on_tools_changed_ = std::move(callback);
}

void McpClient::SetOnClosed(std::function<void(const std::string&)> callback) {
  std::lock_guard<std::mutex> lock(mu_);
  on_closed_ = std::move(callback);
}

bool McpClient::connected() const {
  std::lock_guard<std::mutex> lock(mu_);
  return connected_;
}

std::string McpClient::close_reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return close_reason_;
}

std::string McpClient::protocol_version() const {
  std::lock_guard<std::mutex> lock(mu_);
  return protocol_version_;
}

std::string McpClient::server_info() const {
  std::lock_guard<std::mutex> lock(mu_);
  const Json& info = server_info_.get();
  if (!info.is_object()) return {};
  std::string out = info.value("name", std::string());
  if (info.contains("version") && info["version"].is_string()) {
    out += " " + info["version"].get<std::string>();
  }
  return out;
}

std::string McpClient::instructions() const {
  std::lock_guard<std::mutex> lock(mu_);
  return instructions_;
}

bool McpClient::HasCapability(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  const Json& caps = capabilities_.get();
  return caps.is_object() && caps.contains(name) && !caps[name].is_null();
}

std::string McpClient::StderrTail() const {
  return transport_ ? LastStderrLines(transport_->Diagnostics()) : std::string();
}

Error McpClient::ClosedError() const {
  std::string reason = close_reason_.empty() ? "the connection ended" : close_reason_;
  std::string message = "MCP server '" + name_ + "' is not connected: " + reason;
  if (transport_) {
    if (std::string tail = LastStderrLines(transport_->Diagnostics()); !tail.empty()) {
      message += " (stderr: " + tail + ")";
    }
  }
  return MakeError(errc::kMcpClosed, message,
                   "check the server's command and its output; `brock mcp get " + name_ +
                       "` shows its definition; restart brock to start it again");
}

Status McpClient::Connect(std::chrono::milliseconds timeout, const std::atomic<bool>* cancel) {
  Status started = transport_->Start([this](Json m) { OnMessage(std::move(m)); },
                                     [this](const std::string& reason) { OnClosed(reason); });
  if (!started.ok()) return started;
  {
    std::lock_guard<std::mutex> lock(mu_);
    started_ = true;
    if (close_reason_.empty()) connected_ = true;
  }
  const std::string offered = McpSupportedProtocolVersions().front();
  Json params = {{"protocolVersion", offered},
                 {"capabilities", Json::object()},
                 {"clientInfo", {{"name", "brock"}, {"version", client_version_}}}};
  auto result = Request("initialize", std::move(params), timeout, cancel);
  if (!result.ok()) return std::move(result).error();
  if (!result->is_object() || !(*result).contains("protocolVersion") ||
      !(*result)["protocolVersion"].is_string()) {
    return MakeError(errc::kMcpProtocol,
                     "MCP server '" + name_ + "' answered initialize without a protocolVersion",
                     "the server does not speak the Model Context Protocol; check its command");
  }
  std::string version = (*result)["protocolVersion"].get<std::string>();
  const auto& supported = McpSupportedProtocolVersions();
  if (std::find(supported.begin(), supported.end(), version) == supported.end()) {
    return MakeError(errc::kMcpProtocol,
                     "MCP server '" + name_ + "' speaks protocol version " + version +
                         ", which brock does not (brock speaks " + Join(supported, ", ") + ")",
                     "update the server or brock");
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    protocol_version_ = version;
    capabilities_ = (*result).value("capabilities", Json::object());
    server_info_ = (*result).value("serverInfo", Json::object());
    if ((*result).contains("instructions") && (*result)["instructions"].is_string()) {
      instructions_ = (*result)["instructions"].get<std::string>();
    }
  }
  transport_->SetProtocolVersion(version);
  return Notify("notifications/initialized", Json::object());
}

Result<Json> McpClient::Request(const std::string& method, Json params,
                                std::chrono::milliseconds timeout,
                                const std::atomic<bool>* cancel) {
  auto pending = std::make_shared<Pending>();
  int64_t id = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!connected_) return ClosedError();
    id = next_id_++;
    pending_[id] = pending;
  }
  Json message = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  if (Status sent = transport_->Send(message); !sent.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.erase(id);
    if (!connected_) return ClosedError();
    return std::move(sent).error();
  }
  std::unique_lock<std::mutex> lock(mu_);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool cancelled = false, timed_out = false;
  while (!pending->done && connected_) {
    if (cancel && cancel->load()) {
      cancelled = true;
      break;
    }
    auto now = std::chrono::steady_clock::now();
    if (timeout.count() > 0 && now >= deadline) {
      timed_out = true;
      break;
    }
    // Wake at least every 100 ms to notice `cancel`.
    auto wake = now + std::chrono::milliseconds(100);
    if (timeout.count() > 0 && deadline < wake) wake = deadline;
    cv_.wait_until(lock, wake);
  }
  pending_.erase(id);
  if (pending->done) {
    const Json& r = pending->response.get();
    if (r.contains("error")) {
      const Json& err = r["error"];
      std::string text = err.is_object() && err.contains("message") && err["message"].is_string()
                             ? err["message"].get<std::string>()
                             : err.dump();
      std::string fix;
      if (err.is_object() && err.contains("data") && err["data"].is_object() &&
          err["data"].contains("brock_fix") && err["data"]["brock_fix"].is_string()) {
        fix = err["data"]["brock_fix"].get<std::string>();
      }
      Error e = MakeError(errc::kMcpServerError,
                          "MCP server '" + name_ + "' " + method + ": " + text, fix);
      // The HTTP transport's "sign in first" travels as an error answer (http_transport.h).
      if (err.is_object() && err.contains("data") && err["data"].is_object() &&
          err["data"].value("brock_code", "") == errc::kMcpNeedsAuth) {
        e.code = errc::kMcpNeedsAuth;
      }
      return e;
    }
    return r.contains("result") ? r["result"] : Json::object();
  }
  if (!connected_) return ClosedError();
  lock.unlock();
  // Tell the server to stop working on it (never for initialize, as the specification says).
  if (method != "initialize") {
    (void)Notify("notifications/cancelled",
                 {{"requestId", id}, {"reason", cancelled ? "interrupted" : "timed out"}});
  }
  if (cancelled) {
    return MakeError(errc::kAgentInterrupted,
                     "MCP request " + method + " to '" + name_ + "' interrupted");
  }
  (void)timed_out;
  return MakeError(errc::kMcpTimeout,
                   "MCP server '" + name_ + "' did not answer " + method + " within " +
                       std::to_string(timeout.count()) + " ms",
                   method == "initialize"
                       ? "raise MCP_TIMEOUT (milliseconds) if the server is slow to start"
                       : "raise MCP_TOOL_TIMEOUT (milliseconds) if the tool needs longer");
}

Status McpClient::Notify(const std::string& method, Json params) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!connected_) return ClosedError();
  }
  Json message = {{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  return transport_->Send(message);
}

void McpClient::OnMessage(Json message) {
  if (!message.is_object()) return;
  const bool has_method = message.contains("method") && message["method"].is_string();
  const bool has_id = message.contains("id") && !message["id"].is_null();
  if (has_method && has_id) {
    // A request from the server.
    std::string method = message["method"].get<std::string>();
    Json reply = {{"jsonrpc", "2.0"}, {"id", message["id"]}};
    if (method == "ping") {
      reply["result"] = Json::object();
    } else {
      reply["error"] = {{"code", -32601}, {"message", "Method not found: " + method}};
    }
    (void)transport_->Send(reply);
    return;
  }
  if (has_method) {
    std::string method = message["method"].get<std::string>();
    if (method == "notifications/tools/list_changed") {
      tools_changed_.store(true);
      std::function<void()> callback;
      {
        std::lock_guard<std::mutex> lock(mu_);
        callback = on_tools_changed_;
      }
      if (callback) callback();
    }
    return;  // other notifications (progress, logging, resources) are not used
  }
  if (!has_id || !message["id"].is_number_integer()) return;
  int64_t id = message["id"].get<int64_t>();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pending_.find(id);
  if (it == pending_.end()) return;  // late or unknown: dropped
  it->second->response = std::move(message);
  it->second->done = true;
  cv_.notify_all();
}

void McpClient::OnClosed(const std::string& reason) {
  std::function<void(const std::string&)> callback;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!connected_ && !close_reason_.empty()) return;
    connected_ = false;
    close_reason_ = reason;
    callback = on_closed_;
    cv_.notify_all();
  }
  if (callback) callback(reason);
}

void McpClient::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    connected_ = false;
    if (close_reason_.empty()) close_reason_ = "closed by brock";
    cv_.notify_all();
  }
  if (transport_) transport_->Close();
}

Result<std::vector<Json>> McpClient::ListAll(const std::string& method, const std::string& key,
                                             std::chrono::milliseconds timeout) {
  std::vector<Json> items;
  std::string cursor;
  for (int page = 0; page < kMaxPages; ++page) {
    Json params = Json::object();
    if (!cursor.empty()) params["cursor"] = cursor;
    auto result = Request(method, std::move(params), timeout);
    if (!result.ok()) return std::move(result).error();
    if (result->is_object() && (*result).contains(key) && (*result)[key].is_array()) {
      for (auto& item : (*result)[key]) {
        if (item.is_object()) items.push_back(std::move(item));
      }
    }
    if (!result->is_object() || !(*result).contains("nextCursor") ||
        !(*result)["nextCursor"].is_string() ||
        (*result)["nextCursor"].get<std::string>().empty()) {
      return items;
    }
    std::string next = (*result)["nextCursor"].get<std::string>();
    if (next == cursor) return items;  // a server repeating its cursor would loop forever
    cursor = next;
  }
  return items;
}

namespace {

std::string Str(const Json& o, const char* key) {
  return o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : std::string();
}

}  // namespace

Result<std::vector<McpToolInfo>> McpClient::ListTools(std::chrono::milliseconds timeout) {
  auto items = ListAll("tools/list", "tools", timeout);
  if (!items.ok()) return std::move(items).error();
  std::vector<McpToolInfo> tools;
  for (const Json& t : *items) {
    McpToolInfo info;
    info.name = Str(t, "name");
    if (info.name.empty()) continue;
    info.title = Str(t, "title");
    info.description = Str(t, "description");
    Json schema = t.contains("inputSchema") && t["inputSchema"].is_object() ? t["inputSchema"]
                                                                            : Json::object();
    if (!schema.contains("type")) schema["type"] = "object";
    info.input_schema = std::move(schema);
    if (t.contains("annotations") && t["annotations"].is_object()) {
      info.annotations = t["annotations"];
    }
    tools.push_back(std::move(info));
  }
  return tools;
}

Result<Json> McpClient::CallTool(const std::string& name, Json arguments,
                                 std::chrono::milliseconds timeout,
                                 const std::atomic<bool>* cancel) {
  if (!arguments.is_object()) arguments = Json::object();
  return Request("tools/call", {{"name", name}, {"arguments", std::move(arguments)}}, timeout,
                 cancel);
}

Result<std::vector<McpPromptInfo>> McpClient::ListPrompts(std::chrono::milliseconds timeout) {
  auto items = ListAll("prompts/list", "prompts", timeout);
  if (!items.ok()) return std::move(items).error();
  std::vector<McpPromptInfo> prompts;
  for (const Json& p : *items) {
    McpPromptInfo info;
    info.name = Str(p, "name");
    if (info.name.empty()) continue;
    info.title = Str(p, "title");
    info.description = Str(p, "description");
    if (p.contains("arguments") && p["arguments"].is_array()) {
      for (const Json& a : p["arguments"]) {
        if (!a.is_object() || Str(a, "name").empty()) continue;
        info.arguments.push_back(
            {Str(a, "name"), Str(a, "description"),
             a.contains("required") && a["required"].is_boolean() && a["required"].get<bool>()});
      }
    }
    prompts.push_back(std::move(info));
  }
  return prompts;
}

Result<Json> McpClient::GetPrompt(const std::string& name,
                                  const std::map<std::string, std::string>& args,
                                  std::chrono::milliseconds timeout) {
  Json arguments = Json::object();
  for (const auto& [k, v] : args) arguments[k] = v;
  return Request("prompts/get", {{"name", name}, {"arguments", arguments}}, timeout);
}

Result<std::vector<McpResourceInfo>> McpClient::ListResources(std::chrono::milliseconds timeout) {
  auto items = ListAll("resources/list", "resources", timeout);
  if (!items.ok()) return std::move(items).error();
  std::vector<McpResourceInfo> resources;
  for (const Json& r : *items) {
    McpResourceInfo info{Str(r, "uri"), Str(r, "name"), Str(r, "description"), Str(r, "mimeType")};
    if (!info.uri.empty()) resources.push_back(std::move(info));
  }
  return resources;
}

Result<Json> McpClient::ReadResource(const std::string& uri, std::chrono::milliseconds timeout) {
  return Request("resources/read", {{"uri", uri}}, timeout);
}

}  // namespace brock
