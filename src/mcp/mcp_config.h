// MCP server definitions: where they come from, how they are read, and which may start.
//
// Sources (docs/mcp.md is the user-facing description), as Claude Code has them:
//   local    ~/.claude.json  projects["<cwd>"].mcpServers   (private to you, this project)
//   project  <project>/.mcp.json  mcpServers                  (checked in; needs approval)
//   user     ~/.claude.json  mcpServers                       (yours, every project)
//   dynamic  --mcp-config FILE_OR_JSON (repeatable), each {"mcpServers": {...}}
// (~/.claude.json moves to $CLAUDE_CONFIG_DIR/.claude.json when that variable is set.) A name
// defined in several places is taken from the first of: dynamic, local, project, user.
// --strict-mcp-config keeps only the dynamic servers. A project server that may not start (below)
// does not hide a user server of the same name.
//
// A definition is {"command", "args", "env"} for a process (`"type": "stdio"` optional), or
// {"type": "http" | "sse", "url", "headers", "oauth"} for a remote server (oauth_config.h).
// `${VAR}` and
// `${VAR:-default}` are expanded in command, args, env, url and headers when the server starts;
// a variable that is unset and has no default stops that server with an error naming it.
//
// Project servers (.mcp.json) were written by whoever wrote the repository: they never start in
// an untrusted workspace (settings/workspace_trust.h), and in a trusted one only when approved:
// `enableAllProjectMcpServers`, or the name in `enabledMcpjsonServers` (settings files, or the
// project's entry in ~/.claude.json), and not in `disabledMcpjsonServers`. The interactive
// terminal asks about the others once and remembers the answer; print mode skips them.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/env.h"
#include "base/error.h"
#include "base/json.h"
#include "base/json_box.h"
#include "mcp/oauth_config.h"
#include "settings/workspace_trust.h"

namespace brock {

enum class McpTransportKind { kStdio, kHttp, kSse };
enum class McpScope { kDynamic, kLocal, kProject, kUser };

// "stdio", "http", "sse".
const char* McpTransportName(McpTransportKind kind);
// "dynamic", "local", "project", "user".
const char* McpScopeName(McpScope scope);
// How `brock mcp list` describes a scope ("Local config (private to you in this project)").
std::string McpScopeDescription(McpScope scope);

struct McpServerConfig {
  std::string name;
  McpTransportKind transport = McpTransportKind::kStdio;
  std::string command;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  // in file order
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  McpOAuthConfig oauth;  // the `oauth` object (remote servers)
  McpScope scope = McpScope::kUser;
  std::string origin;  // the file (or "--mcp-config") it came from
  JsonBox definition;  // as written
};

// Reads one definition named `name`. Errors (mcp.config) name the origin, the server and the key.
Result<McpServerConfig> ParseMcpServer(const std::string& name, const Json& definition,
                                       McpScope scope, const std::string& origin);

// Expands `${VAR}` and `${VAR:-default}` in `text`. Names of unset variables without a default
// are appended to `missing` (and the reference is left as written).
std::string ExpandMcpVars(std::string_view text, const Env& env, std::vector<std::string>* missing);

// The server with its command, args, env, url and headers expanded. Error mcp.config naming the
// missing variables.
Result<McpServerConfig> ExpandMcpServer(const McpServerConfig& server, const Env& env);

// $CLAUDE_CONFIG_DIR/.claude.json when set, else ~/.claude.json.
std::string ClaudeJsonPath(const Env& env);
// The .mcp.json that applies to `cwd`: the nearest one from `cwd` up to the git root (or cwd only
// when there is no git root). "" when none exists.
std::string FindProjectMcpJson(const Env& env, const std::string& cwd);

struct McpConfigInputs {
  std::string cwd;
  std::vector<std::string> mcp_configs;  // --mcp-config values, in order
  bool strict = false;                   // --strict-mcp-config
  bool project_trusted = true;           // the workspace's trust
  const Json* settings = nullptr;        // the merged settings (approval keys), may be null
};

// A project server's approval.
enum class McpApproval { kApproved, kRejected, kUnanswered };

struct McpServerSet {
  std::vector<McpServerConfig> servers;  // what may start (approved), in name order
  // Project servers nobody has approved or rejected yet (the terminal asks; print mode skips).
  std::vector<McpServerConfig> unapproved;
  // Project servers not started because the workspace is untrusted (the trust report lists them).
  std::vector<McpServerConfig> untrusted;
  std::vector<std::string> warnings;  // one line each: unreadable files, bad definitions
};

// Reads every source and decides what may start. A malformed --mcp-config is an Error (the user
// typed it); a malformed file or definition elsewhere is a warning and that server (or file) is
// skipped.
Result<McpServerSet> LoadMcpServers(const Env& env, const McpConfigInputs& inputs);

// The servers defined in `.mcp.json`-shaped JSON text ({"mcpServers": {...}}).
Result<std::vector<McpServerConfig>> ParseMcpServersJson(std::string_view text, McpScope scope,
                                                         const std::string& origin);

// Every server defined in the local, project and user sources (for `brock mcp list/get`), before
// approval, in that order of precedence.
std::vector<McpServerConfig> AllConfiguredMcpServers(const Env& env, const std::string& cwd,
                                                     std::vector<std::string>* warnings);

// The approval of project server `name` from the settings and ~/.claude.json.
McpApproval ProjectServerApproval(const Env& env, const std::string& cwd, const Json* settings,
                                  const std::string& name);

// The project's .mcp.json servers as items of the workspace-trust report (they never start while
// the workspace is untrusted): key "mcpServers.<name>", value the command line or URL.
std::vector<IgnoredSetting> ProjectMcpServersForTrustReport(const Env& env, const std::string& cwd);

// Remembers the user's answer about project servers: their names go into
// enabledMcpjsonServers (or disabledMcpjsonServers) of <project>/.claude/settings.local.json,
// written atomically with every other key kept.
Status RememberProjectServerApproval(Env& env, const std::string& project_dir,
                                     const std::vector<std::string>& names, bool approved);

}  // namespace brock
