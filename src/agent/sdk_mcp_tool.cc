#include "agent/sdk_mcp_tool.h"

#include <atomic>
#include <cctype>
#include <nlohmann/json.hpp>

namespace brock {

namespace {

constexpr char kProtocolVersion[] = "2025-06-18";

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

Error ServerError(const std::string& server, const std::string& what, const std::string& detail) {
  return MakeError(
      "mcp.sdk_server",
      "SDK MCP server \"" + server + "\": " + what + (detail.empty() ? "" : ": ") + detail,
      "check the server passed in the Agent SDK's mcpServers option "
      "(createSdkMcpServer) and its tools");
}

// The JSON-RPC error of a response, or "".
std::string RpcError(const Json& response) {
  if (!response.is_object()) return "the response is not a JSON-RPC message";
  if (response.contains("error")) {
    const Json& e = response["error"];
    return e.is_object() ? e.value("message", e.dump()) : e.dump();
  }
  if (!response.contains("result")) return "the response has no result";
  return "";
}

class SdkMcpTool : public Tool {
 public:
  SdkMcpTool(std::string server, std::string tool, std::string description, Json schema,
             McpExchange exchange)
      : server_(std::move(server)),
        tool_(std::move(tool)),
        description_(std::move(description)),
        schema_(std::move(schema)),
        exchange_(std::move(exchange)) {}

  std::string name() const override { return "mcp__" + server_ + "__" + tool_; }
  std::string description() const override { return description_; }
  Json input_schema() const override { return schema_; }
  bool read_only() const override { return false; }
  PermissionSubject Subject(const Json&, const ToolContext&) const override { return {}; }

  Result<ToolResult> Run(const Json& input, ToolContext&) override {
    static std::atomic<int64_t> next_id{100};
    Json request = {{"jsonrpc", "2.0"},
                    {"id", next_id++},
                    {"method", "tools/call"},
                    {"params", {{"name", tool_}, {"arguments", input}}}};
    auto response = exchange_(request);
    if (!response.ok()) return ToolResult::Text(response.error().ToString(), true);
    if (std::string e = RpcError(*response); !e.empty()) {
      return ToolResult::Text("MCP error from " + name() + ": " + e, true);
    }
    return McpCallResultToToolResult((*response)["result"]);
  }

 private:
  std::string server_, tool_, description_;
  Json schema_;
  McpExchange exchange_;
};

}  // namespace

ToolResult McpCallResultToToolResult(const Json& result) {
  ToolResult out;
  out.is_error = result.is_object() && result.value("isError", false);
  const Json& content =
      result.is_object() && result.contains("content") ? result["content"] : Json();
  if (content.is_array()) {
    for (const Json& c : content) {
      std::string type = c.is_object() ? c.value("type", "") : "";
      if (type == "text" && c.contains("text") && c["text"].is_string()) {
        out.content.push_back({{"type", "text"}, {"text", c["text"]}});
      } else if (type == "image" && c.contains("data") && c["data"].is_string()) {
        out.content.push_back({{"type", "image"},
                               {"source",
                                {{"type", "base64"},
                                 {"media_type", c.value("mimeType", "image/png")},
                                 {"data", c["data"]}}}});
      } else if (!c.is_null()) {
        out.content.push_back({{"type", "text"}, {"text", c.dump()}});
      }
    }
  }
  if (out.content.empty()) out.content.push_back({{"type", "text"}, {"text", "(no content)"}});
  return out;
}

Result<std::vector<std::unique_ptr<Tool>>> ConnectSdkMcpServer(const std::string& server,
                                                               const McpExchange& exchange) {
  if (!ValidName(server)) return ServerError(server, "the name is not usable in tool names", "");
  Json init = {{"jsonrpc", "2.0"},
               {"id", 0},
               {"method", "initialize"},
               {"params",
                {{"protocolVersion", kProtocolVersion},
                 {"capabilities", Json::object()},
                 {"clientInfo", {{"name", "brock"}, {"version", "1"}}}}}};
  auto r = exchange(init);
  if (!r.ok()) return ServerError(server, "initialize failed", r.error().message);
  if (std::string e = RpcError(*r); !e.empty()) return ServerError(server, "initialize failed", e);
  auto n = exchange({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
  if (!n.ok()) return ServerError(server, "notifications/initialized failed", n.error().message);
  auto list = exchange({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "tools/list"}});
  if (!list.ok()) return ServerError(server, "tools/list failed", list.error().message);
  if (std::string e = RpcError(*list); !e.empty())
    return ServerError(server, "tools/list failed", e);
  std::vector<std::unique_ptr<Tool>> tools;
  const Json& result = (*list)["result"];
  if (!result.is_object() || !result.contains("tools") || !result["tools"].is_array()) {
    return ServerError(server, "tools/list returned no tools array", "");
  }
  for (const Json& t : result["tools"]) {
    if (!t.is_object() || !t.contains("name") || !t["name"].is_string()) continue;
    std::string name = t["name"].get<std::string>();
    if (!ValidName(name)) continue;
    Json schema = t.contains("inputSchema") && t["inputSchema"].is_object()
                      ? t["inputSchema"]
                      : Json{{"type", "object"}};
    std::string description = t.contains("description") && t["description"].is_string()
                                  ? t["description"].get<std::string>()
                                  : "";
    tools.push_back(std::make_unique<SdkMcpTool>(server, name, description, schema, exchange));
  }
  return tools;
}

}  // namespace brock
