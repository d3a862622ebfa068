// The session's MCP servers: which may start (mcp/mcp_config.h: --mcp-config, ~/.claude.json,
// .mcp.json with approval and workspace trust), starting them in parallel (MCP_TIMEOUT bounds each
// start), their tools added to the agent (and refreshed when a server's list changes), their
// prompts as slash commands, and `@server:uri` references read and attached to a prompt.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agent/agent_loop.h"
#include "agent/permissions.h"
#include "cli/cli_options.h"
#include "cli/session.h"
#include "mcp/mcp_servers.h"

namespace brock {

// Asked (in the interactive terminal) about project servers nobody has approved yet; returns the
// names the user approved. Empty function (print mode): they are skipped with one notice.
using McpApprovalAsker =
    std::function<std::vector<std::string>(const std::vector<McpServerConfig>& servers)>;

struct McpSetup {
  std::shared_ptr<McpServers> servers;       // null when none are configured
  std::vector<std::unique_ptr<Tool>> tools;  // McpTools, current and earlier lists
  std::vector<std::string> warnings;         // one line each, for stderr
  // --permission-prompt-tool's MCP tool: it answers permission questions and is never offered to
  // the model (it stays in `tools` for the permission policy to call).
  std::string hidden_tool;
};

// Loads the configuration, asks or skips for unapproved project servers, starts the rest, and
// offers their tools (minus those a bare deny rule removes) in `agent.tools`. Also installs
// `agent.before_request` to follow tool-list changes and report servers that went away, and fills
// `agent.session.mcp_servers`. A bad --mcp-config is an Error; anything else about a server is a
// warning and the session goes on.
Status SetUpMcp(Env& env, const CliOptions& options, const Session& setup,
                const PermissionEngine& permissions, McpApprovalAsker ask, AgentOptions& agent,
                McpSetup& out);

// A prompt line "/mcp__server__prompt arg1 arg2" becomes the prompt's text (its messages, with the
// arguments given in order to the prompt's arguments). nullopt when the line is not an MCP prompt
// command; an Error when the server fails or a required argument is missing.
std::optional<Result<std::string>> ExpandMcpPromptCommand(McpServers* servers,
                                                          const std::string& line);

// `@server:uri` references in `prompt` to connected servers are read (resources/read) and the
// contents appended to the prompt; a reference that fails adds a line saying so.
std::string AttachMcpResources(McpServers* servers, const std::string& prompt);

// Lines for /mcp: each server's status, scope, tools and prompts (and how to sign in to a server
// that needs it).
std::string DescribeMcpServers(const McpServers* servers);

// `/mcp login NAME` and `/mcp logout NAME` in the terminal: signs in to (or out of) the session's
// server `name` (cli/mcp_login.h) and connects it again, so its tools join the next request.
// Returns the line to show.
Result<std::string> McpSessionLogin(Env& env, McpServers* servers, const std::string& name,
                                    const std::function<void(const std::string&)>& say,
                                    const std::atomic<bool>* cancel);
Result<std::string> McpSessionLogout(Env& env, McpServers* servers, const std::string& name);

}  // namespace brock
