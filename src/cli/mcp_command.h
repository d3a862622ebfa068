// `brock mcp`: manage MCP server definitions in the same files, with the same flags, as
// `claude mcp` (docs/mcp.md):
//
//   brock mcp add [-t|--transport stdio|http|sse] [-s|--scope local|user|project]
//                 [-e|--env KEY=VALUE]... [-H|--header "Name: value"]... <name> <command|url>
//                 [args...]
//       (`--` before the command keeps its own flags from being read as brock's)
//   brock mcp add-json [-s scope] <name> '<json>'
//   brock mcp list                 every configured server, with a connection check
//   brock mcp get <name>           one server's definition and status
//   brock mcp remove [-s scope] <name>
//   brock mcp login <name>         OAuth sign-in to a remote server (cli/mcp_login.h), as
//                                  `claude mcp login`; prints the URL, opens $BROWSER / xdg-open
//   brock mcp logout <name>        forgets that sign-in
//
// Scopes: local (default) = ~/.claude.json projects["<cwd>"].mcpServers; user = ~/.claude.json
// mcpServers; project = ./.mcp.json mcpServers. Files are rewritten atomically with every other key
// kept. `get` and `list` never print env values or header values (they are often secrets).
#pragma once

#include <cstdio>

#include "base/env.h"

namespace brock {

// `argv[0]` is "mcp". Returns 0 on success, 1 on an error (printed with its fix), 2 on a usage
// error.
int RunMcpCommand(int argc, char** argv);

// The same, against `env` (tests), writing to the given streams.
int RunMcpCommand(Env& env, int argc, char** argv, std::FILE* out, std::FILE* err);

}  // namespace brock
