#include "cli/cli_options.h"

#include <CLI/CLI.hpp>
#include <cstring>

namespace brock {

namespace {

// Claude Code flags that have no meaning for brock on Bedrock: accepted so scripts run
// unchanged, each leaving one stderr line. `arity`: 0 a switch, 1 takes a value, 2 an optional
// value, 3 one or more values.
struct IgnoredFlag {
  const char* names;
  int arity;
  const char* why;
};

constexpr IgnoredFlag kIgnoredFlags[] = {
    {"--ax-screen-reader", 0, "brock's terminal output is already plain text"},
    {"--bg,--background", 0, "brock has no background sessions"},
    {"--betas", 3, "beta headers are for Anthropic API keys; on Bedrock set ANTHROPIC_BETAS"},
    {"--brief", 0, "brock has no SendUserMessage tool"},
    {"--chrome", 0, "brock has no browser integration"},
    {"--no-chrome", 0, "brock has no browser integration"},
    {"--cloud", 2, "cloud sessions are a claude.ai feature"},
    {"--desktop", 0, "brock has no desktop app"},
    {"--environment", 1, "cloud sessions are a claude.ai feature"},
    {"--exclude-dynamic-system-prompt-sections", 0,
     "brock's system prompt has no per-machine sections to move"},
    {"--file", 3, "file downloads are a claude.ai feature"},
    {"--forward-subagent-text", 0, "brock has no subagents"},
    {"--from-pr", 2, "brock does not link sessions to pull requests"},
    {"--ide", 0, "brock has no IDE integration"},
    {"--plugin-dir", 1, "brock has no plugins"},
    {"--plugin-url", 1, "brock has no plugins"},
    {"--prompt-suggestions", 2, "brock does not suggest prompts"},
    {"--remote-control", 2, "Remote Control is a claude.ai feature"},
    {"--remote-control-session-name-prefix", 1, "Remote Control is a claude.ai feature"},
    {"--system-prompt-snapshot", 1, "brock builds the system prompt once per run"},
    {"--teleport", 2, "teleport sessions are a claude.ai feature"},
    {"--tmux", 2, "brock does not create worktrees"},
    {"-w,--worktree", 2, "brock does not create worktrees; run it in the worktree you want"},
    {"-n,--name", 1, "brock does not name sessions; resume them by id"},
    {"--agent", 1, "brock has no subagents"},
};

// "--debug=FILTER" / "-d=FILTER" -> ("--debug", FILTER): the filter must be attached, so that
// `brock -p --debug "question"` keeps the question as the prompt.
std::vector<std::string> SplitAttachedDebugFilter(int argc, char** argv, std::string* filter) {
  std::vector<std::string> args;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    for (const char* prefix : {"--debug=", "-d="}) {
      if (a.rfind(prefix, 0) == 0) {
        *filter = a.substr(std::strlen(prefix));
        a = "--debug";
        break;
      }
    }
    args.push_back(std::move(a));
  }
  return args;
}

std::vector<std::string> SplitAll(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values) {
    for (std::string& piece : SplitToolList(v)) out.push_back(std::move(piece));
  }
  return out;
}

}  // namespace

std::vector<std::string> SplitToolList(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    if (depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n')) {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
      continue;
    }
    current += c;
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

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
  app.add_flag("-d,--debug", o.debug,
               "Debug logging to stderr (secrets are redacted); --debug=FILTER is accepted");
  app.add_option("--debug-file", o.debug_file, "Write debug logs to this file");
  app.add_option("--model", o.model,
                 "Model alias (sonnet, haiku, opus) or Bedrock model/profile ID or ARN");
  std::string fallback;
  app.add_option("--fallback-model", fallback,
                 "Models to use when the main model is overloaded (comma-separated, in order)");
  app.add_option("--settings", o.settings,
                 "A settings file or inline JSON, above project settings");
  std::string setting_sources;
  auto* sources_opt =
      app.add_option("--setting-sources", setting_sources,
                     "Settings files to load: comma-separated user, project, local");
  app.add_option("--max-turns", o.max_turns, "Stop after this many model turns (print mode)");
  app.add_option("--max-budget-usd", o.max_budget_usd, "Stop when the run's cost reaches this");
  app.add_flag("-c,--continue", o.continue_session,
               "Continue the latest session in this directory");
  auto* resume_opt =
      app.add_option("-r,--resume", o.resume,
                     "Resume the session with this ID (without one: choose from a list)")
          ->expected(0, 1);
  app.add_flag("--fork-session", o.fork_session,
               "With --resume or --continue: continue in a new session (new ID)");
  app.add_option("--session-id", o.session_id, "Use this UUID as the new session's ID");
  app.add_flag("--no-session-persistence", o.no_session_persistence,
               "Do not save the session (it cannot be resumed)");
  std::vector<std::string> allowed, disallowed, tools;
  app.add_option("--allowedTools,--allowed-tools", allowed,
                 "Permission rules to allow (comma or space separated)");
  app.add_option("--disallowedTools,--disallowed-tools", disallowed,
                 "Permission rules to deny (comma or space separated)");
  auto* tools_opt = app.add_option("--tools", tools,
                                   "Built-in tools to offer: \"\" for none, \"default\" for all, "
                                   "or names (\"Bash,Edit,Read\")");
  app.add_option("--add-dir", o.add_dirs, "Additional directories tools may use");
  app.add_option("--permission-mode", o.permission_mode,
                 "default | acceptEdits | plan | bypassPermissions | dontAsk | auto | manual");
  app.add_flag("--dangerously-skip-permissions", o.dangerously_skip_permissions,
               "Same as --permission-mode bypassPermissions");
  app.add_flag("--allow-dangerously-skip-permissions", o.allow_dangerously_skip_permissions,
               "Allow bypassPermissions to be chosen later, without starting in it");
  app.add_option("--permission-prompts", o.permission_prompts,
                 "host | none: who answers permission prompts with -p")
      ->check(CLI::IsMember({"host", "none"}));
  app.add_option("--system-prompt", o.system_prompt, "Replace the system prompt");
  app.add_option("--system-prompt-file", o.system_prompt_file,
                 "Replace the system prompt with this file's text");
  app.add_option("--append-system-prompt", o.append_system_prompt, "Append to the system prompt");
  app.add_option("--mcp-config", o.mcp_configs,
                 "MCP servers from a JSON file or string {\"mcpServers\": {...}} (repeatable)")
      ->allow_extra_args(false);
  app.add_flag(
      "--strict-mcp-config", o.strict_mcp_config,
      "Use only the MCP servers from --mcp-config, ignoring every other MCP configuration");
  app.add_option("--append-system-prompt-file", o.append_system_prompt_file,
                 "Append this file's text to the system prompt");
  app.add_flag("--include-partial-messages", o.include_partial_messages,
               "stream-json: also print stream_event lines as the reply streams");
  app.add_flag("--replay-user-messages", o.replay_user_messages,
               "stream-json input: echo each user message back on stdout");
  app.add_flag("--include-hook-events", o.include_hook_events,
               "stream-json: include hook lifecycle events");
  app.add_option("--json-schema", o.json_schema,
                 "JSON Schema the final answer must satisfy (structured output, with -p)");
  app.add_option("--agents", o.agents, "JSON object defining custom agents (or a file with it)");
  app.add_option("--effort", o.effort, "low | medium | high | xhigh | max | ultracode")
      ->check(CLI::IsMember({"low", "medium", "high", "xhigh", "max", "ultracode"}));
  app.add_option("--autocompact", o.autocompact,
                 "Compact the conversation at this many tokens (auto: the model's window)");
  app.add_flag("--bare", o.bare, "Minimal mode: no CLAUDE.md discovery");
  app.add_flag("--safe-mode", o.safe_mode, "No customisations (CLAUDE.md memory files)");
  app.add_flag("--restricted", o.restricted,
               "No Bash unless --tools names it; only managed and --settings settings; no "
               "bypassPermissions");
  app.add_flag("--disable-slash-commands", o.disable_slash_commands, "Disable all slash commands");
  std::vector<std::vector<std::string>> ignored_values(std::size(kIgnoredFlags));
  std::vector<CLI::Option*> ignored_opts;
  for (size_t i = 0; i < std::size(kIgnoredFlags); ++i) {
    const IgnoredFlag& f = kIgnoredFlags[i];
    CLI::Option* opt =
        f.arity == 0
            ? app.add_flag(f.names)->description(std::string("Accepted; no effect: ") + f.why)
            : app.add_option(f.names, ignored_values[i],
                             std::string("Accepted; no effect: ") + f.why);
    if (f.arity == 1) opt->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    if (f.arity == 2) opt->expected(0, 1);
    if (f.arity == 3) opt->expected(1, -1);
    ignored_opts.push_back(opt);
  }
  std::vector<std::string> args = SplitAttachedDebugFilter(argc, argv, &o.debug_filter);
  std::vector<char*> arg_ptrs;
  for (std::string& a : args) arg_ptrs.push_back(a.data());
  app.add_option("--max-thinking-tokens", o.max_thinking_tokens,
                 "Extended thinking budget in tokens (0: off)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--permission-prompt-tool", o.permission_prompt_tool,
                 "Who answers permission prompts in print mode: an MCP tool "
                 "(mcp__server__tool), or \"stdio\" (the Agent SDK, over the stream-json "
                 "control protocol)")
      ->check([](const std::string& v) -> std::string {
        if (v == "stdio" || (v.size() > 5 && v.compare(0, 5, "mcp__") == 0)) return "";
        return "must name an MCP tool (mcp__<server>__<tool>) or be \"stdio\"";
      });
  try {
    app.parse(static_cast<int>(arg_ptrs.size()), arg_ptrs.data());
  } catch (const CLI::ParseError& e) {
    return MakeError("cli.usage", e.what(), "run brock --help for the options");
  }
  if (o.show_help) o.help_text = app.help();
  if (!o.debug_filter.empty() || !o.debug_file.empty()) o.debug = true;
  if (resume_opt->count() > 0 && o.resume.empty()) o.resume_picker = true;
  for (const std::string& m : SplitToolList(fallback)) o.fallback_models.push_back(m);
  if (sources_opt->count() > 0) {
    o.setting_sources.emplace();
    for (const std::string& s : SplitToolList(setting_sources)) {
      if (s != "user" && s != "project" && s != "local") {
        return MakeError("cli.usage", "--setting-sources: unknown source \"" + s + "\"",
                         "use a comma-separated list of: user, project, local");
      }
      o.setting_sources->push_back(s);
    }
  }
  o.allowed_tools = SplitAll(allowed);
  o.disallowed_tools = SplitAll(disallowed);
  if (tools_opt->count() > 0) o.tools = SplitAll(tools);
  for (size_t i = 0; i < ignored_opts.size(); ++i) {
    if (ignored_opts[i]->count() == 0) continue;
    std::string name = ignored_opts[i]->get_name();
    o.notices.push_back(name + " is accepted and ignored: " + kIgnoredFlags[i].why);
  }
  return o;
}

}  // namespace brock
