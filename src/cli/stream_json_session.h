// Print mode with `--input-format stream-json`: user turns and the Agent SDK's control protocol
// (cli/control_channel.h) on stdin, stream-json on stdout, all turns in one session. The control
// requests answered here:
//   initialize              registers the SDK's hook callbacks (PreToolUse / PostToolUse,
//                           answered with hook_callback requests) and connects its in-process
//                           MCP servers (sdkMcpServers, spoken to with mcp_message requests),
//                           whose tools join the session as mcp__<server>__<tool>
//   set_model               the model for the next turns (an alias or a Bedrock model ID)
//   set_permission_mode     the permission mode for the next turns
//   set_max_thinking_tokens the thinking budget for the next turns (null: the session's default)
//   interrupt               stops the running turn (answered by the channel)
// With --permission-prompt-tool stdio, a tool call that needs approval is sent to the SDK as a
// can_use_tool request (its canUseTool callback decides) instead of being denied.
// docs/print-mode.md ("The control protocol") documents the exchange.
#pragma once

#include <atomic>

#include "agent/agent_events.h"
#include "cli/cli_options.h"
#include "cli/session.h"

namespace brock {

// Runs the session until stdin ends (or a signal / input error stops it). Returns the exit code:
// 0 when the last turn succeeded.
int RunStreamJsonSession(Env& env, const CliOptions& options, Session& setup, AgentSink& sink,
                         std::atomic<bool>* cancel);

}  // namespace brock
