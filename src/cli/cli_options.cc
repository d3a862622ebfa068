#include "cli/cli_options.h"

#include <CLI/CLI.hpp>

namespace brock {

Result<CliOptions> ParseCliOptions(int argc, char** argv) {
  CliOptions o;
  CLI::App app{"brock: a coding agent on Amazon Bedrock", "brock"};
  app.set_help_flag();  // handled below so help text can be returned, not printed from here
  app.add_flag("-h,--help", o.show_help, "Show this help");
  app.add_flag("-v,--version", o.show_version, "Print the version");
  app.add_flag("-p,--print", o.print, "Print the response and exit (non-interactive)");
  app.add_option("prompt", o.prompt, "The prompt (read from stdin when omitted in print mode)");
  app.add_option("--output-format", o.output_format, "text | json | stream-json (with -p)");
  app.add_option("--input-format", o.input_format,
                 "text | stream-json (with -p: one user message per stdin line; needs "
                 "--output-format stream-json)")
      ->check(CLI::IsMember({"text", "stream-json"}));
  app.add_flag("--verbose", o.verbose, "Verbose output (required for stream-json)");
  app.add_flag("-d,--debug", o.debug, "Debug logging to stderr (secrets are redacted)");
  app.add_option("--model", o.model,
                 "Model alias (sonnet, haiku, opus) or Bedrock model/profile ID or ARN");
  app.add_option("--settings", o.settings,
                 "A settings file or inline JSON, above project settings");
  app.add_option("--max-turns", o.max_turns, "Stop after this many model turns (print mode)");
  app.add_option("--max-budget-usd", o.max_budget_usd, "Stop when the run's cost reaches this");
  app.add_flag("-c,--continue", o.continue_session,
               "Continue the latest session in this directory");
  app.add_option("-r,--resume", o.resume, "Resume the session with this ID");
  app.add_option("--allowedTools,--allowed-tools", o.allowed_tools, "Permission rules to allow")
      ->delimiter(',');
  app.add_option("--disallowedTools,--disallowed-tools", o.disallowed_tools,
                 "Permission rules to deny")
      ->delimiter(',');
  app.add_option("--add-dir", o.add_dirs, "Additional directories tools may use");
  app.add_option("--permission-mode", o.permission_mode,
                 "default | acceptEdits | plan | bypassPermissions | dontAsk");
  app.add_flag("--dangerously-skip-permissions", o.dangerously_skip_permissions,
               "Same as --permission-mode bypassPermissions");
  app.add_option("--system-prompt", o.system_prompt, "Replace the system prompt");
  app.add_option("--append-system-prompt", o.append_system_prompt, "Append to the system prompt");
  app.add_option("--max-thinking-tokens", o.max_thinking_tokens,
                 "Extended thinking budget in tokens (0: off)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--permission-prompt-tool", o.permission_prompt_tool,
                 "Who answers permission prompts in print mode: \"stdio\" (the Agent SDK, over "
                 "the stream-json control protocol)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return MakeError("cli.usage", e.what(), "run brock --help for the options");
  }
  if (o.show_help) o.help_text = app.help();
  return o;
}

}  // namespace brock
