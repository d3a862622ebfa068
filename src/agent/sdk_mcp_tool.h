// Tools of an in-process MCP server that lives in the program driving brock (the Agent SDK's
// createSdkMcpServer): brock speaks MCP's JSON-RPC to it through `McpExchange`, which carries one
// message over the stream-json control protocol (an `mcp_message` control request) and returns
// the server's response. The model sees each tool as mcp__<server>__<tool>, as in Claude Code;
// permission rules name it that way too. A server's tool list and results are untrusted: names
// outside [A-Za-z0-9_-] are skipped, and a result is only ever text and images for the model.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agent/tool.h"
#include "base/error.h"
#include "base/json.h"

namespace brock {

// Sends one JSON-RPC message to the server and returns its response message (for a
// notification, whatever acknowledgement the transport gives).
using McpExchange = std::function<Result<Json>(const Json& message)>;

// Runs MCP's handshake with server `server` (initialize, notifications/initialized) and lists its
// tools. Errors: "mcp.sdk_server" naming the server and what failed.
Result<std::vector<std::unique_ptr<Tool>>> ConnectSdkMcpServer(const std::string& server,
                                                               const McpExchange& exchange);

// The Anthropic tool_result content for an MCP tools/call result ({"content":[...],"isError":b}).
ToolResult McpCallResultToToolResult(const Json& result);

}  // namespace brock
