// --permission-prompt-tool mcp__server__tool: an MCP tool that answers the permission questions of
// print mode, as Claude Code calls it. The tool gets {"tool_name", "input", "tool_use_id"} and
// answers with one text block whose JSON is {"behavior":"allow","updatedInput":{...}} or
// {"behavior":"deny","message":"..."}. Anything else (no such tool, a server that is not
// connected, a tool error, an answer that is not that JSON) denies the call with a reason naming
// the cause and the fix.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "agent/permission_policy.h"
#include "agent/tool.h"

namespace brock {

// True for a value naming an MCP tool (`mcp__server__tool`), as opposed to "stdio" or "".
bool IsMcpPermissionPromptTool(const std::string& value);

// The answer in a prompt tool's result (`tool_name` is the MCP tool's, for the reasons).
PromptToolAnswer ParsePermissionPromptResult(const std::string& tool_name,
                                             const ToolResult& result);

// The prompt tool named `name`, found among `mcp_tools` when a question comes (servers start
// after the policy is built, and their tool lists change). `mcp_tools` and `ctx` must outlive it.
PermissionPromptTool McpPermissionPromptTool(std::string name,
                                             const std::vector<std::unique_ptr<Tool>>* mcp_tools,
                                             ToolContext* ctx);

}  // namespace brock
