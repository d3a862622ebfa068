// Signing in to (and out of) a remote MCP server that uses OAuth: `brock mcp login NAME`,
// `brock mcp logout NAME`, and `/mcp login NAME` / `/mcp logout NAME` in the interactive terminal
// (docs/mcp.md). The sign-in itself is mcp/oauth_flow.h; this is the part that talks to the user:
// it prints the URL (always: a user on SSH copies it), opens the browser ($BROWSER, else
// xdg-open) and waits for the callback. Print mode never calls it.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "base/env.h"
#include "base/error.h"
#include "mcp/mcp_config.h"
#include "net/http_client.h"

namespace brock {

// Runs the sign-in for `server` (an http or sse server; ${VAR} references are expanded first)
// and saves the tokens. `say` shows a line to the user; `cancel` stops the wait (Ctrl-C).
// Errors: mcp.config (not a remote server, unset variable), mcp.oauth.
Status McpLogin(Env& env, HttpClient& http, const McpServerConfig& server,
                const std::function<void(const std::string&)>& say,
                const std::atomic<bool>* cancel = nullptr);

// Forgets the saved sign-in of `server`. True when there was one.
Result<bool> McpLogout(Env& env, const McpServerConfig& server);

}  // namespace brock
