#include "cli/agent_session.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <regex>

#include "agent/effort_setting.h"
#include "agent/memory.h"
#include "agent/system_prompt.h"
#include "agent/thinking_setting.h"
#include "agent/tool_structured_output.h"
#include "base/strings.h"
#include "base/uuid.h"
#include "bedrock/model_resolver.h"
#include "bedrock/model_table.h"
#include "cli/mcp_permission_prompt.h"
#include "cli/version.h"
#include "settings/local_rules.h"

namespace brock {

namespace {

// The permission mode: --permission-mode (or --dangerously-skip-permissions), else the settings'
// defaultMode. bypassPermissions is refused when a settings file disables it.
Result<PermissionMode> ChoosePermissionMode(const CliOptions& options, const Settings& settings,
                                            std::vector<std::string>& warnings) {
  std::string mode_origin = "--permission-mode";
  std::string mode_name = options.permission_mode;
  if (mode_name.empty() && options.dangerously_skip_permissions) {
    mode_name = "bypassPermissions";
    mode_origin = "--dangerously-skip-permissions";
  }
  if (mode_name.empty() && settings.default_mode) {
    mode_name = *settings.default_mode;
    mode_origin = "permissions.defaultMode in " + settings.default_mode_origin;
  }
  if (mode_name.empty()) mode_name = "default";
  if (Trim(mode_name) == "auto") {
    // Claude Code's auto mode approves calls with a classifier model brock does not have.
    warnings.push_back("permission mode \"auto\" (from " + mode_origin +
                       ") needs Claude Code's approval classifier, which brock does not have: "
                       "using \"default\" (calls that need approval are asked, or denied in -p)");
    mode_name = "default";
  }
  auto mode = ParsePermissionMode(mode_name);
  if (!mode.ok()) {
    if (options.permission_mode.empty() && !options.dangerously_skip_permissions) {
      // A bad value in a settings file is skipped, as Claude Code does.
      warnings.push_back(mode.error().message + " in " + mode_origin + ": ignored, using default");
      return PermissionMode::kDefault;
    }
    return mode;
  }
  if (*mode == PermissionMode::kBypassPermissions && options.restricted) {
    return MakeError("permissions.bypass_disabled",
                     "bypassPermissions mode (from " + mode_origin + ") is refused by --restricted",
                     "drop --restricted, or choose another --permission-mode");
  }
  const ManagedPolicy& policy = settings.policy;
  if (*mode == PermissionMode::kBypassPermissions && policy.disable_bypass) {
    return MakeError("permissions.bypass_disabled",
                     "bypassPermissions mode (from " + mode_origin +
                         ") is disabled by permissions.disableBypassPermissionsMode in " +
                         policy.disable_bypass_origin,
                     "run without it (for example --permission-mode acceptEdits, or allow rules "
                     "for the tools you need); the setting is in " +
                         policy.disable_bypass_origin);
  }
  return mode;
}

// The permission engine from the settings' rules (each relative to its file's root), the command
// line's rules, the mode and the extra directories.
Status SetUpPermissions(Env& env, const CliOptions& options, const Settings& settings,
                        const std::string& cwd, AgentSession& s,
                        std::vector<std::string>& extra_dirs, PermissionMode& mode) {
  std::vector<PermissionRuleSpec> rules;
  for (const PermissionRule& r : settings.permission_rules) {
    rules.push_back({r.rule, r.list, r.source_file, r.root_dir});
  }
  // allowManagedPermissionRulesOnly: --allowedTools would widen, so it is dropped (and said);
  // --disallowedTools only narrows and stays.
  if (settings.policy.permission_rules_only && !options.allowed_tools.empty()) {
    s.warnings.push_back("--allowedTools ignored: allowManagedPermissionRulesOnly in " +
                         settings.policy.permission_rules_only_origin +
                         " lets only managed allow rules apply");
  } else {
    for (const auto& r : options.allowed_tools) rules.push_back({r, "allow", "--allowedTools", ""});
  }
  for (const auto& r : options.disallowed_tools)
    rules.push_back({r, "deny", "--disallowedTools", ""});
  auto parsed = ChoosePermissionMode(options, settings, s.warnings);
  if (!parsed.ok()) return std::move(parsed).error();
  mode = *parsed;
  for (const auto& d : options.add_dirs) extra_dirs.push_back(JoinPath(cwd, d));
  for (const auto& d : settings.additional_directories) {
    extra_dirs.push_back(
        JoinPath(settings.project_root.empty() ? cwd : settings.project_root, ExpandHome(env, d)));
  }
  s.permissions =
      std::make_unique<PermissionEngine>(std::move(rules), mode, cwd, extra_dirs, env.HomeDir());
  for (const auto& w : s.permissions->warnings()) s.warnings.push_back(w);
  return {};
}

// The tools a bare deny rule leaves offered, their context, and the policy that authorizes calls.
// --tools (and --restricted): whether the built-in `name` is offered at all.
bool ToolSelected(const CliOptions& options, const std::string& name) {
  if (options.tools) {
    for (const std::string& t : *options.tools) {
      if (t == name || t == "default") return true;
    }
    return false;
  }
  if (options.restricted && name == "Bash") return false;
  return true;
}

void SetUpTools(Env& env, const CliOptions& options, const std::string& cwd,
                const std::vector<std::string>& extra_dirs, const std::atomic<bool>* cancel,
                PermissionAsker ask, AgentSession& s) {
  AgentOptions& a = s.agent;
  s.all_tools = MakeBuiltinTools();
  if (options.tools) {
    for (const std::string& t : *options.tools) {
      bool known = t == "default";
      for (auto& tool : s.all_tools) known = known || tool->name() == t;
      if (!known) s.warnings.push_back("--tools: brock has no built-in tool \"" + t + "\"");
    }
  }
  for (auto& t : s.all_tools) {
    if (ToolSelected(options, t->name()) && !s.permissions->IsToolDenied(*t)) {
      a.tools.push_back(t.get());
    }
  }
  if (s.structured_output) {
    s.all_tools.push_back(MakeStructuredOutputTool(*s.structured_schema, s.structured_output));
    a.tools.push_back(s.all_tools.back().get());
  }
  s.todos = std::make_shared<Json>(Json::array());
  s.tool_context.reset(new ToolContext{
      env, RealProcessRunner(), cwd, extra_dirs, &s.reads, cancel, s.todos.get(), {}, nullptr});
  a.tool_context = s.tool_context.get();
  const PermissionEngine* engine = s.permissions.get();
  s.tool_context->may_show = [engine](const std::string& path, const std::string& root) {
    return engine->ShowInResults(path, root);
  };
  PermissionRuleSaver save_rule;
  if (ask) {
    // "Always" for a Bash command is saved as Claude Code saves it (settings/local_rules.h).
    save_rule = [&env, dir = LocalRulesDir(env, cwd)](const std::string& rule) {
      if (Status st = AddLocalAllowRule(env, dir, rule); !st.ok()) {
        std::fprintf(stderr, "brock: could not save %s: %s (%s)\n", rule.c_str(),
                     st.error().message.c_str(), st.error().fix.c_str());
      }
    };
  }
  s.policy =
      std::make_unique<PermissionPolicy>(*s.permissions, std::move(ask), std::move(save_rule));
  PermissionPolicy* policy = s.policy.get();
  a.authorize = [policy](const Tool& tool, Json& input,
                         const ToolContext& ctx) -> std::optional<std::string> {
    // The answer tool of --json-schema touches nothing; the user asked for it.
    if (tool.name() == kStructuredOutputToolName) return std::nullopt;
    Json updated;
    auto denial = policy->Authorize(tool, input, ctx, &updated);
    if (!denial && updated.is_object()) input = std::move(updated);
    return denial;
  };
}

// Memory files and the system prompt.
// The text of --system-prompt-file / --append-system-prompt-file.
Result<std::string> ReadPromptFile(Env& env, const std::string& cwd, const std::string& flag,
                                   const std::string& path) {
  std::string full = JoinPath(cwd, ExpandHome(env, path));
  Result<std::string> text = env.ReadFile(full);
  if (!text.ok()) {
    return MakeError("cli.prompt_file", flag + " " + full + ": " + text.error().message,
                     "pass the path of a readable text file to " + flag);
  }
  return text;
}

// Memory files (none with --bare or --safe-mode) and the system prompt.
Status SetUpSystemPrompt(Env& env, const CliOptions& options, const Session& setup,
                         const std::string& cwd, AgentSession& s) {
  MemoryOptions mo;
  mo.cwd = cwd;
  mo.home = env.HomeDir();
  if (!setup.project_trusted()) mo.confine_project_to = setup.trust_directory();
  MemoryLoad memory;
  if (!options.bare && !options.safe_mode) memory = LoadMemory(env, mo);
  for (const auto& note : memory.notes) s.warnings.push_back(note);
  SystemPromptInputs spi;
  spi.cwd = cwd;
  spi.is_git_repo = env.Stat(JoinPath(FindRepositoryRoot(env, cwd), ".git")).exists;
  spi.memory = BuildMemoryPrompt(memory.files);
  spi.replace = options.system_prompt;
  spi.append = options.append_system_prompt;
  if (!options.system_prompt_file.empty()) {
    auto text = ReadPromptFile(env, cwd, "--system-prompt-file", options.system_prompt_file);
    if (!text.ok()) return text.error();
    spi.replace = *text;
  }
  if (!options.append_system_prompt_file.empty()) {
    auto text =
        ReadPromptFile(env, cwd, "--append-system-prompt-file", options.append_system_prompt_file);
    if (!text.ok()) return text.error();
    spi.append = spi.append.empty() ? *text : spi.append + "\n\n" + *text;
  }
  if (!options.json_schema.empty()) {
    spi.append += (spi.append.empty() ? "" : "\n\n") + StructuredOutputInstruction();
  }
  s.agent.system_prompt = BuildSystemPrompt(env, spi);
  return {};
}

// The transcript file of the session to continue (-c / -r), or "" for a new one.
Result<std::string> SessionToResume(Env& env, const CliOptions& options, const std::string& cwd) {
  if (options.continue_session) {
    auto latest = FindLatestSession(env, cwd);
    if (!latest.ok()) {
      Error e = std::move(latest).error();
      e.fix = "there is no earlier session in " + cwd + " to continue; run without -c to start one";
      return e;
    }
    return *latest;
  }
  if (!options.resume.empty()) return FindSession(env, options.resume);
  return std::string();
}

// The transcript, new or resumed (with the earlier conversation repaired so it can be sent
// again), and the agent's callbacks that append to it.
// --session-id: a UUID (8-4-4-4-12 hex digits) no session uses yet.
Status CheckNewSessionId(const Env& env, const std::string& id) {
  static const std::regex kUuid(
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  if (!std::regex_match(id, kUuid)) {
    return MakeError("cli.session_id", "--session-id " + QuoteForDisplay(id) + " is not a UUID",
                     "pass a UUID such as 123e4567-e89b-42d3-a456-426614174000 (uuidgen prints "
                     "one)");
  }
  if (FindSession(env, id).ok()) {
    return MakeError("cli.session_id", "session ID " + id + " is already in use",
                     "resume it with --resume " + id + ", or pass a new UUID");
  }
  return {};
}

Status SetUpTranscript(Env& env, const CliOptions& options, const std::string& cwd,
                       const std::string& model_id, AgentSession& s) {
  if (!options.session_id.empty() && !options.fork_session) {
    if (!options.continue_session && options.resume.empty()) {
      if (Status st = CheckNewSessionId(env, options.session_id); !st.ok()) return st;
    }
  }
  auto resume_path = SessionToResume(env, options, cwd);
  if (!resume_path.ok()) return std::move(resume_path).error();
  if (!resume_path->empty()) {
    auto loaded = LoadTranscript(env, *resume_path);
    if (!loaded.ok()) return std::move(loaded).error();
    for (const auto& w : loaded->warnings) s.warnings.push_back(w);
    std::vector<Json> history = loaded->messages;
    for (const auto& note : RepairConversation(history)) s.warnings.push_back(note);
    s.history = MessagesFromJson(history);
    s.resumed = true;
  }
  if (options.no_session_persistence) {
    // Nothing is written: the session has an id for the output, and no file.
    s.agent.session.session_id = options.session_id.empty() ? NewUuid() : options.session_id;
    return {};
  }
  if (!resume_path->empty() && options.fork_session) {
    // A new session holding a copy of the resumed conversation.
    if (!options.session_id.empty()) {
      if (Status st = CheckNewSessionId(env, options.session_id); !st.ok()) return st;
    }
    auto writer = TranscriptWriter::Create(env, cwd, model_id, options.session_id);
    if (!writer.ok()) return std::move(writer).error();
    s.transcript.emplace(std::move(writer).value());
    for (const Message& m : s.history) (void)s.transcript->Append(MessageToJson(m));
  } else if (!resume_path->empty()) {
    auto writer = TranscriptWriter::Resume(env, *resume_path);
    if (!writer.ok()) return std::move(writer).error();
    s.transcript.emplace(std::move(writer).value());
  } else {
    auto writer = TranscriptWriter::Create(env, cwd, model_id, options.session_id);
    if (!writer.ok()) return std::move(writer).error();
    s.transcript.emplace(std::move(writer).value());
  }
  s.agent.session.session_id = s.transcript->session_id();
  TranscriptWriter* tw = &*s.transcript;
  s.agent.on_message = [tw](const Message& message) { (void)tw->Append(MessageToJson(message)); };
  s.agent.on_compaction = [tw](const std::string& summary) {
    (void)tw->AppendEvent("compaction", {{"summary", summary}});
  };
  return {};
}

// The model and request options: betas (the 1M-token context for the "[1m]" aliases, and any
// listed in ANTHROPIC_BETAS, comma-separated), limits, caching and compaction.
// Where compaction starts for a context window: room for one reply and a safety margin, as
// Claude Code leaves.
int64_t CompactThreshold(int64_t window, int max_tokens) {
  int64_t reserve = std::min<int64_t>(max_tokens, 20000) + 13000;
  return window > reserve ? window - reserve : window / 2;
}

// The context window compaction works to: the model's, narrowed by --autocompact TOKENS or
// CLAUDE_CODE_AUTO_COMPACT_WINDOW (never widened past the model's own).
int64_t CompactionWindow(const Env& env, const CliOptions& options, int64_t model_window,
                         std::vector<std::string>& warnings) {
  int64_t window = model_window;
  std::string source;
  std::string value;
  if (!options.autocompact.empty() && options.autocompact != "auto") {
    value = options.autocompact;
    source = "--autocompact";
  } else if (auto v = env.GetNonEmpty("CLAUDE_CODE_AUTO_COMPACT_WINDOW")) {
    value = *v;
    source = "CLAUDE_CODE_AUTO_COMPACT_WINDOW";
  }
  if (value.empty()) return window;
  char* end = nullptr;
  long long n = std::strtoll(value.c_str(), &end, 10);
  if (end == value.c_str() || *end != '\0' || n <= 0) {
    warnings.push_back(source + " " + QuoteForDisplay(value) +
                       " is not a number of tokens: using the model's window");
    return window;
  }
  return std::min<int64_t>(window, n);
}

void SetUpModelOptions(Env& env, const CliOptions& options, const Session& setup,
                       const std::atomic<bool>* cancel, AgentSession& s) {
  AgentOptions& a = s.agent;
  const ModelChoice& model = setup.model();
  a.model_id = model.model_id;
  for (const std::string& name : options.fallback_models) {
    auto alias = ResolveModelAlias(env, name, setup.connection().region, "--fallback-model");
    if (alias.ok() && *alias) {
      a.fallback_models.push_back((*alias)->model_id);
    } else if (std::string id = BedrockIdForAnthropicName(name); !id.empty()) {
      a.fallback_models.push_back(InferenceProfilePrefix(setup.connection().region) + id);
    } else {
      a.fallback_models.push_back(name);
    }
  }
  if (model.context_1m) a.betas.push_back(kContext1mBeta);
  if (auto betas = env.GetNonEmpty("ANTHROPIC_BETAS")) {
    for (const std::string& b : Split(*betas, ',')) {
      std::string name(Trim(b));
      if (!name.empty()) a.betas.push_back(name);
    }
  }
  a.max_turns = options.max_turns;
  a.max_budget_usd = options.max_budget_usd;
  a.cancel = cancel;
  a.prompt_caching = !env.GetBool("DISABLE_PROMPT_CACHING");
  // Claude Code's one-hour cache TTL (ENABLE_PROMPT_CACHING_1H_BEDROCK is its deprecated name);
  // FORCE_PROMPT_CACHING_5M wins over both.
  a.cache_ttl_1h = (env.GetBool("ENABLE_PROMPT_CACHING_1H") ||
                    env.GetBool("ENABLE_PROMPT_CACHING_1H_BEDROCK")) &&
                   !env.GetBool("FORCE_PROMPT_CACHING_5M");
  // max_tokens: the model's default, or CLAUDE_CODE_MAX_OUTPUT_TOKENS up to the model's cap.
  ModelLimits limits = LimitsForModel(model.model_id, model.context_1m);
  a.context_window = limits.context_window;
  a.max_tokens = limits.default_max_tokens;
  if (auto v = env.GetNonEmpty("CLAUDE_CODE_MAX_OUTPUT_TOKENS")) {
    int64_t wanted = env.GetInt("CLAUDE_CODE_MAX_OUTPUT_TOKENS", 0);
    if (wanted <= 0) {
      s.warnings.push_back("CLAUDE_CODE_MAX_OUTPUT_TOKENS " + QuoteForDisplay(*v) +
                           " is not a positive number: using " + std::to_string(a.max_tokens));
    } else if (wanted > limits.max_output_tokens) {
      s.warnings.push_back("CLAUDE_CODE_MAX_OUTPUT_TOKENS " + std::to_string(wanted) +
                           " is above the cap of " + model.model_id + ": using " +
                           std::to_string(limits.max_output_tokens));
      a.max_tokens = limits.max_output_tokens;
    } else {
      a.max_tokens = static_cast<int>(wanted);
    }
  }
  // Compaction follows the model's window (DISABLE_AUTO_COMPACT, autoCompactEnabled: false and
  // --autocompact / CLAUDE_CODE_AUTO_COMPACT_WINDOW as Claude Code reads them).
  int64_t window = CompactionWindow(env, options, limits.context_window, s.warnings);
  a.compact_at_tokens = CompactThreshold(window, a.max_tokens);
  const auto& auto_compact = setup.settings().auto_compact_enabled;
  if (env.GetBool("DISABLE_AUTO_COMPACT") || env.GetBool("DISABLE_COMPACT") ||
      (auto_compact && !*auto_compact)) {
    a.compact_at_tokens = 0;
  }
  a.compact_at_tokens = env.GetInt("BROCK_COMPACT_AT_TOKENS", a.compact_at_tokens);
}

// The names of the agents --agents defines (a JSON object, or with -p a file holding one).
std::vector<std::string> AgentNames(Env& env, const CliOptions& options, const std::string& cwd,
                                    std::vector<std::string>& warnings) {
  std::vector<std::string> names;
  if (options.agents.empty()) return names;
  std::string text = options.agents;
  if (!StartsWith(Trim(text), "{")) {
    auto read = env.ReadFile(JoinPath(cwd, ExpandHome(env, text)));
    if (!read.ok()) {
      warnings.push_back("--agents: " + read.error().message + "; no agents defined");
      return names;
    }
    text = *read;
  }
  auto parsed = ParseJson(text, "--agents");
  if (!parsed.ok() || !parsed->is_object()) {
    warnings.push_back("--agents must be a JSON object of agent definitions; ignored");
    return names;
  }
  for (const auto& [name, def] : parsed->items()) names.push_back(name);
  warnings.push_back(
      "--agents: brock has no subagent tool; the agents are listed in system/init only");
  return names;
}

// The hook engine over the settings' hooks, with the session's fields; the permission policy
// and the agent share it.
void SetUpHooks(Env& env, const Settings& settings, AgentSession& s) {
  for (const std::string& note : settings.hook_notes) s.warnings.push_back(note);
  HookSessionInfo info;
  info.session_id = s.agent.session.session_id;
  info.transcript_path = s.transcript ? s.transcript->path() : "";
  info.cwd = s.agent.session.cwd;
  info.permission_mode = s.agent.session.permission_mode;
  info.project_dir = settings.project_root.empty() ? info.cwd : settings.project_root;
  s.hooks = std::make_unique<HookEngine>(settings.hooks, RealProcessRunner(), env, info);
  s.agent.hooks = s.hooks.get();
  s.policy->set_hooks(s.hooks.get());
  PermissionPolicy* policy = s.policy.get();
  s.agent.authorize_with_hook = [policy](const Tool& tool, Json& input, const ToolContext& ctx,
                                         HookPermission hook) {
    Json updated;
    auto denial = policy->AuthorizeWithHook(tool, input, ctx, hook, &updated);
    if (!denial && updated.is_object()) input = std::move(updated);
    return denial;
  };
}

}  // namespace

Result<std::unique_ptr<AgentSession>> BuildAgentSession(Env& env, const CliOptions& options,
                                                        const Session& setup,
                                                        const std::atomic<bool>* cancel,
                                                        PermissionAsker ask,
                                                        McpApprovalAsker ask_mcp) {
  auto s = std::make_unique<AgentSession>();
  std::string cwd = env.CurrentDir();
  std::vector<std::string> extra_dirs;
  PermissionMode mode = PermissionMode::kDefault;
  if (Status st = SetUpPermissions(env, options, setup.settings(), cwd, *s, extra_dirs, mode);
      !st.ok()) {
    return st.error();
  }
  if (!options.json_schema.empty()) {
    auto schema = ParseJson(options.json_schema, "--json-schema");
    if (!schema.ok() || !schema->is_object()) {
      return MakeError("cli.json_schema",
                       "--json-schema is not a JSON object" +
                           (schema.ok() ? std::string() : ": " + schema.error().message),
                       "pass a JSON Schema object, for example "
                       "'{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},"
                       "\"required\":[\"name\"]}'");
    }
    s->structured_schema = std::make_shared<Json>(std::move(schema).value());
    s->structured_output = std::make_shared<Json>();
  }
  SetUpTools(env, options, cwd, extra_dirs, cancel, std::move(ask), *s);
  {
    // Sandboxed Bash (sandbox.enabled): commands run under bubblewrap, allowed without asking
    // when autoAllowBashIfSandboxed is on.
    SandboxSettings sb = ReadSandboxSettings(*setup.settings().merged);
    std::string warning;
    auto sandbox = SetUpSandbox(env, sb, cwd, s->permissions->working_dirs(), &warning);
    if (!sandbox.ok()) return std::move(sandbox).error();
    if (!warning.empty()) s->warnings.push_back(warning);
    s->sandbox = std::move(*sandbox);
    if (s->sandbox) {
      s->tool_context->sandbox = &s->sandbox->bash;
      s->permissions->SetSandboxAutoAllow(sb.auto_allow);
    }
  }
  if (Status st =
          SetUpMcp(env, options, setup, *s->permissions, std::move(ask_mcp), s->agent, s->mcp);
      !st.ok()) {
    return st.error();
  }
  for (const auto& w : s->mcp.warnings) s->warnings.push_back(w);
  if (IsMcpPermissionPromptTool(options.permission_prompt_tool)) {
    const std::string& name = options.permission_prompt_tool;
    // The prompt tool answers questions; it is not offered to the model as a tool.
    std::erase_if(s->agent.tools, [&name](const Tool* t) { return t->name() == name; });
    s->policy->set_prompt_tool(McpPermissionPromptTool(name, &s->mcp.tools, s->tool_context.get()));
  }
  if (Status st = SetUpSystemPrompt(env, options, setup, cwd, *s); !st.ok()) return st.error();
  // What connected MCP servers say about using their tools, as Claude Code adds it.
  if (s->mcp.servers) {
    auto instructions = s->mcp.servers->Instructions();
    if (!instructions.empty()) {
      s->agent.system_prompt +=
          "\n\n# MCP Server Instructions\n\nThe following MCP servers have provided "
          "instructions for how to use their tools and resources:";
      for (const auto& [name, text] : instructions) {
        s->agent.system_prompt += "\n\n## " + name + "\n" + text;
      }
    }
  }
  if (Status st = SetUpTranscript(env, options, cwd, setup.model().model_id, *s); !st.ok()) {
    return st.error();
  }
  AgentOptions& a = s->agent;
  SetUpModelOptions(env, options, setup, cancel, *s);
  const Json merged = setup.settings().merged ? *setup.settings().merged : Json();
  ThinkingChoice thinking = ChooseThinking(env, merged, a.max_tokens, options.max_thinking_tokens);
  if (!thinking.warning.empty()) s->warnings.push_back(thinking.warning);
  a.thinking_budget_tokens = thinking.budget_tokens;
  a.adaptive_thinking = thinking.adaptive;
  a.interleaved_thinking = thinking.interleaved;
  EffortChoice effort = ChooseEffort(env, merged, options.effort);
  if (!effort.warning.empty()) s->warnings.push_back(effort.warning);
  a.effort = effort.level;
  a.session.cwd = cwd;
  a.session.model = setup.model().model_id;
  a.session.permission_mode = std::string(PermissionModeName(mode));
  for (const Tool* t : a.tools) a.session.tools.push_back(t->name());
  a.session.agents = AgentNames(env, options, cwd, s->warnings);
  a.session.version = kBrockVersion;
  a.session.max_retries = static_cast<int>(env.GetInt("CLAUDE_CODE_MAX_RETRIES", 10));
  a.session.betas = a.betas;
  if (!options.disable_slash_commands) {
    a.session.slash_commands = {"clear", "cost", "exit",  "help",  "login",
                                "model", "quit", "retry", "status"};
  }
  SetUpHooks(env, setup.settings(), *s);
  return s;
}

}  // namespace brock
