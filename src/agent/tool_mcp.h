// McpTool: one tool of an MCP server, offered to the model as mcp__<server>__<tool> with the
// server's description and input schema. Calls go through the permission engine like every tool
// (rules `mcp__server`, `mcp__server__*`, `mcp__server__tool`; with no rule the user is asked, as
// in Claude Code); Run sends tools/call with MCP_TOOL_TIMEOUT and returns the result as
// mcp/mcp_content.h converts it (text, images, structured content, isError, cut at
// MAX_MCP_OUTPUT_TOKENS). A server that has gone away gives an error result naming why.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "agent/tool.h"
#include "mcp/mcp_servers.h"

namespace brock {

class McpTool : public Tool {
 public:
  McpTool(std::shared_ptr<McpServers> servers, McpToolEntry entry);

  std::string name() const override { return entry_.full_name; }
  std::string description() const override;
  Json input_schema() const override;
  // MCP tools always need permission (a server's readOnlyHint is the server's own claim).
  bool read_only() const override { return false; }
  PermissionSubject Subject(const Json& input, const ToolContext& ctx) const override { return {}; }
  Result<ToolResult> Run(const Json& input, ToolContext& ctx) override;

  const std::string& server() const { return entry_.server; }

 private:
  std::shared_ptr<McpServers> servers_;
  McpToolEntry entry_;
};

// One McpTool per tool the connected servers offer.
std::vector<std::unique_ptr<Tool>> MakeMcpTools(const std::shared_ptr<McpServers>& servers);

}  // namespace brock
