// AgentSession: what one run of the agent needs beyond the Bedrock connection: the tools the
// permission rules leave offered, the permission engine and how print mode answers its "ask",
// the memory files in the system prompt, and the session transcript (new, --continue or
// --resume), with the earlier conversation repaired so it can be sent again.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/agent_loop.h"
#include "agent/hook_engine.h"
#include "agent/permission_policy.h"
#include "agent/permissions.h"
#include "agent/transcript.h"
#include "cli/mcp_setup.h"
#include "cli/sandbox_setup.h"
#include "cli/session.h"

namespace brock {

struct AgentSession {
  std::vector<std::unique_ptr<Tool>> all_tools;
  std::unique_ptr<PermissionEngine> permissions;
  std::unique_ptr<PermissionPolicy> policy;  // over `permissions`; what agent.authorize calls
  std::unique_ptr<HookEngine> hooks;         // the settings' hooks (agent.hooks points here)
  bool resumed = false;                      // -c / -r: SessionStart's source is "resume"
  std::map<std::string, ReadRecord> reads;
  std::shared_ptr<Json> todos;              // TodoWrite's list
  std::unique_ptr<SandboxSession> sandbox;  // sandboxed Bash; null when off or unavailable
  std::unique_ptr<ToolContext> tool_context;
  std::optional<TranscriptWriter> transcript;
  std::vector<Message> history;       // earlier messages of a resumed session
  McpSetup mcp;                       // MCP servers and their tools
  std::vector<std::string> warnings;  // for stderr
  // --json-schema: the StructuredOutput tool's answer (null until the model gives a valid one);
  // nullptr without --json-schema.
  std::shared_ptr<Json> structured_output;
  std::shared_ptr<Json> structured_schema;
  AgentOptions agent;  // ready for Agent, minus the sink
};

// Builds the session. `cancel` is the interrupt flag shared with tools and requests. Without an
// `ask` (print mode) a call that needs approval is denied and the model told how the user can
// allow it; with one, the user decides, and "always" holds for the rest of the session (the exact
// command for Bash, any file for the editing tools). MCP servers start here (cli/mcp_setup.h);
// `ask_mcp` is asked about project servers nobody has approved yet.
Result<std::unique_ptr<AgentSession>> BuildAgentSession(Env& env, const CliOptions& options,
                                                        const Session& setup,
                                                        const std::atomic<bool>* cancel,
                                                        PermissionAsker ask = nullptr,
                                                        McpApprovalAsker ask_mcp = nullptr);

}  // namespace brock
