#include "agent/tool_mcp.h"

#include <nlohmann/json.hpp>

#include "base/error_codes.h"
#include "mcp/mcp_content.h"

namespace brock {

namespace {

// MCP_TOOL_TIMEOUT: Claude Code's default is effectively unlimited; brock's is a day.
constexpr int64_t kDefaultToolTimeoutMs = 24LL * 3600 * 1000;

}  // namespace

McpTool::McpTool(std::shared_ptr<McpServers> servers, McpToolEntry entry)
    : servers_(std::move(servers)), entry_(std::move(entry)) {}

std::string McpTool::description() const {
  std::string d = entry_.info.description;
  if (d.empty()) d = entry_.info.title;
  if (d.empty()) d = "Tool " + entry_.info.name + " of the MCP server " + entry_.server;
  return d;
}

Json McpTool::input_schema() const {
  Json schema = entry_.info.input_schema.get();
  if (!schema.is_object()) schema = Json::object();
  if (!schema.contains("type")) schema["type"] = "object";
  return schema;
}

Result<ToolResult> McpTool::Run(const Json& input, ToolContext& ctx) {
  std::shared_ptr<McpClient> client = servers_->Client(entry_.server);
  if (!client || !client->connected()) {
    std::string why = client ? client->close_reason() : "it is not connected";
    return ToolResult::Text("MCP server '" + entry_.server + "' is unavailable: " + why, true);
  }
  auto timeout =
      std::chrono::milliseconds(ctx.env.GetInt("MCP_TOOL_TIMEOUT", kDefaultToolTimeoutMs));
  auto result = client->CallTool(entry_.info.name, input, timeout, ctx.cancel);
  if (!result.ok()) {
    if (errc::Is(result.error(), errc::kAgentInterrupted)) return std::move(result).error();
    return ToolResult::Text(result.error().message, true);
  }
  McpToolOutput out = McpToolResultToContent(
      *result, ctx.env.GetInt("MAX_MCP_OUTPUT_TOKENS", kDefaultMcpOutputTokens));
  ToolResult r;
  r.content = std::move(out.content);
  r.is_error = out.is_error;
  return r;
}

std::vector<std::unique_ptr<Tool>> MakeMcpTools(const std::shared_ptr<McpServers>& servers) {
  std::vector<std::unique_ptr<Tool>> tools;
  if (!servers) return tools;
  for (auto& entry : servers->Tools()) {
    tools.push_back(std::make_unique<McpTool>(servers, std::move(entry)));
  }
  return tools;
}

}  // namespace brock
