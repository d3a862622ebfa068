// CliOptions: the command line, parsed. Flag names follow Claude Code's so scripts and habits
// carry over: every flag of Claude Code's `--help` is accepted (docs/print-mode.md lists them).
// Flags that have no meaning for brock on Bedrock (cloud sessions, IDE and browser integration,
// plugins, ...) are accepted and leave one line in `notices`, which main prints to stderr.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.h"

namespace brock {

struct CliOptions {
  bool print = false;  // -p / --print
  std::string prompt;  // positional
  std::string output_format = "text";
  std::string input_format = "text";  // text | stream-json (user turns as JSON lines on stdin)
  bool verbose = false;
  bool debug = false;        // -d / --debug / --debug=FILTER / --debug-file
  std::string debug_filter;  // --debug=api,hooks or --debug='!hooks'; "" for all categories
  std::string debug_file;    // --debug-file PATH: debug lines go there instead of stderr
  std::string model;
  std::vector<std::string> fallback_models;  // --fallback-model a,b: tried in order on overload
  std::string settings;                      // --settings FILE_OR_JSON
  // --setting-sources user,project,local: which settings files load (nullopt: all of them).
  std::optional<std::vector<std::string>> setting_sources;
  int max_turns = 0;
  double max_budget_usd = 0;
  bool continue_session = false;  // -c
  std::string resume;             // -r ID
  bool resume_picker = false;     // -r / --resume without a value: choose from a list
  bool fork_session = false;      // with -c / -r: a new session id, the history copied
  std::string session_id;         // --session-id UUID for a new session
  bool no_session_persistence = false;
  std::vector<std::string> allowed_tools, disallowed_tools, add_dirs;
  // --tools: the built-in tools offered (nullopt: all; empty: none; "default" means all).
  std::optional<std::vector<std::string>> tools;
  std::string permission_mode;
  bool dangerously_skip_permissions = false;  // bypassPermissions unless --permission-mode is given
  bool allow_dangerously_skip_permissions = false;
  std::string permission_prompt_tool;  // --permission-prompt-tool; "stdio": ask the Agent SDK
  std::string permission_prompts;      // --permission-prompts host | none
  std::string system_prompt, append_system_prompt;
  std::vector<std::string> mcp_configs;  // --mcp-config FILE_OR_JSON (repeatable)
  bool strict_mcp_config = false;        // --strict-mcp-config: only --mcp-config servers
  std::string system_prompt_file, append_system_prompt_file;
  bool include_partial_messages = false;  // stream_event lines (stream-json)
  bool replay_user_messages = false;      // echo stdin user lines (stream-json in and out)
  bool include_hook_events = false;
  std::string json_schema;  // --json-schema: structured output
  std::string agents;       // --agents JSON (or, with -p, a file holding it)
  std::string agent;        // --agent NAME
  std::string effort;       // --effort low | medium | high | xhigh | max | ultracode
  std::string autocompact;  // --autocompact auto | TOKENS
  bool bare = false;        // --bare: no CLAUDE.md discovery
  bool safe_mode = false;   // --safe-mode: no customisations (CLAUDE.md)
  bool restricted = false;  // --restricted: no command tools, only managed and --settings
  bool disable_slash_commands = false;
  std::string session_name;  // -n / --name
  // One line per accepted flag that does nothing in brock (printed to stderr by main).
  std::vector<std::string> notices;
  int max_thinking_tokens = -1;  // --max-thinking-tokens; -1: not given (agent/thinking_setting.h)
  bool show_version = false;
  bool show_help = false;
  std::string help_text;
};

// Parses argv (without the subcommand dispatch done in main). --help fills help_text. Values of
// --allowedTools / --disallowedTools / --tools are split on commas and blanks outside
// parentheses ("Bash(git log) Edit" is two rules).
Result<CliOptions> ParseCliOptions(int argc, char** argv);

// Splits a tool list as Claude Code does: on commas and whitespace that are not inside
// parentheses. Empty pieces are dropped.
std::vector<std::string> SplitToolList(const std::string& text);

}  // namespace brock
