// CliOptions: the command line, parsed. Flag names follow Claude Code's so scripts and habits
// carry over (`-p`, `--output-format`, `--model`, `--settings`, `--max-turns`, ...).
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
  bool debug = false;
  std::string model;
  std::string settings;  // --settings FILE_OR_JSON
  int max_turns = 0;
  double max_budget_usd = 0;
  bool continue_session = false;  // -c
  std::string resume;             // -r ID
  std::vector<std::string> allowed_tools, disallowed_tools, add_dirs;
  std::string permission_mode;
  bool dangerously_skip_permissions = false;  // bypassPermissions unless --permission-mode is given
  std::string system_prompt, append_system_prompt;
  int max_thinking_tokens = -1;  // --max-thinking-tokens; -1: not given (agent/thinking_setting.h)
  std::string permission_prompt_tool;  // --permission-prompt-tool; "stdio": ask the Agent SDK
  bool show_version = false;
  bool show_help = false;
  std::string help_text;
};

// Parses argv (without the subcommand dispatch done in main). --help fills help_text.
Result<CliOptions> ParseCliOptions(int argc, char** argv);

}  // namespace brock
