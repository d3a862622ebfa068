#include "cli/agent_session.h"

#include <cstdio>

#include "settings/local_rules.h"

#include <nlohmann/json.hpp>

#include "agent/memory.h"
#include "agent/system_prompt.h"
#include "base/strings.h"

namespace brock {

namespace {

// The permission mode: --permission-mode (or --dangerously-skip-permissions), else the settings'
// defaultMode. bypassPermissions is refused when a settings file disables it.
Result<PermissionMode> ChoosePermissionMode(const CliOptions& options, const Settings& settings) {
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
  auto mode = ParsePermissionMode(mode_name);
  if (!mode.ok()) return mode;
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
  auto parsed = ChoosePermissionMode(options, settings);
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
void SetUpTools(Env& env, const std::string& cwd, const std::vector<std::string>& extra_dirs,
                const std::atomic<bool>* cancel, PermissionAsker ask, AgentSession& s) {
  AgentOptions& a = s.agent;
  s.all_tools = MakeBuiltinTools();
  for (auto& t : s.all_tools) {
    if (!s.permissions->IsToolDenied(*t)) a.tools.push_back(t.get());
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
  a.authorize = [policy](const Tool& tool, const Json& input, const ToolContext& ctx) {
    return policy->Authorize(tool, input, ctx);
  };
}

// Memory files and the system prompt.
void SetUpSystemPrompt(Env& env, const CliOptions& options, const Session& setup,
                       const std::string& cwd, AgentSession& s) {
  MemoryOptions mo;
  mo.cwd = cwd;
  mo.home = env.HomeDir();
  if (!setup.project_trusted()) mo.confine_project_to = setup.trust_directory();
  MemoryLoad memory = LoadMemory(env, mo);
  for (const auto& note : memory.notes) s.warnings.push_back(note);
  SystemPromptInputs spi;
  spi.cwd = cwd;
  spi.is_git_repo = env.Stat(JoinPath(FindRepositoryRoot(env, cwd), ".git")).exists;
  spi.memory = BuildMemoryPrompt(memory.files);
  spi.replace = options.system_prompt;
  spi.append = options.append_system_prompt;
  s.agent.system_prompt = BuildSystemPrompt(env, spi);
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
Status SetUpTranscript(Env& env, const CliOptions& options, const std::string& cwd,
                       const std::string& model_id, AgentSession& s) {
  auto resume_path = SessionToResume(env, options, cwd);
  if (!resume_path.ok()) return std::move(resume_path).error();
  if (!resume_path->empty()) {
    auto loaded = LoadTranscript(env, *resume_path);
    if (!loaded.ok()) return std::move(loaded).error();
    for (const auto& w : loaded->warnings) s.warnings.push_back(w);
    std::vector<Json> history = loaded->messages;
    for (const auto& note : RepairConversation(history)) s.warnings.push_back(note);
    s.history = MessagesFromJson(history);
    auto writer = TranscriptWriter::Resume(env, *resume_path);
    if (!writer.ok()) return std::move(writer).error();
    s.transcript.emplace(std::move(writer).value());
  } else {
    auto writer = TranscriptWriter::Create(env, cwd, model_id);
    if (!writer.ok()) return std::move(writer).error();
    s.transcript.emplace(std::move(writer).value());
  }
  TranscriptWriter* tw = &*s.transcript;
  s.agent.on_message = [tw](const Message& message) { (void)tw->Append(MessageToJson(message)); };
  s.agent.on_compaction = [tw](const std::string& summary) {
    (void)tw->AppendEvent("compaction", {{"summary", summary}});
  };
  return {};
}

// The model and request options: betas (the 1M-token context for the "[1m]" aliases, and any
// listed in ANTHROPIC_BETAS, comma-separated), limits, caching and compaction.
void SetUpModelOptions(Env& env, const CliOptions& options, const ModelChoice& model,
                       const std::atomic<bool>* cancel, AgentOptions& a) {
  a.model_id = model.model_id;
  if (model.context_1m) a.betas.push_back("context-1m-2025-08-07");
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
  a.compact_at_tokens = env.GetInt("BROCK_COMPACT_AT_TOKENS", a.compact_at_tokens);
  a.max_tokens = static_cast<int>(env.GetInt("CLAUDE_CODE_MAX_OUTPUT_TOKENS", a.max_tokens));
}

}  // namespace

Result<std::unique_ptr<AgentSession>> BuildAgentSession(Env& env, const CliOptions& options,
                                                        const Session& setup,
                                                        const std::atomic<bool>* cancel,
                                                        PermissionAsker ask) {
  auto s = std::make_unique<AgentSession>();
  std::string cwd = env.CurrentDir();
  std::vector<std::string> extra_dirs;
  PermissionMode mode = PermissionMode::kDefault;
  if (Status st = SetUpPermissions(env, options, setup.settings(), cwd, *s, extra_dirs, mode);
      !st.ok()) {
    return st.error();
  }
  SetUpTools(env, cwd, extra_dirs, cancel, std::move(ask), *s);
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
  SetUpSystemPrompt(env, options, setup, cwd, *s);
  if (Status st = SetUpTranscript(env, options, cwd, setup.model().model_id, *s); !st.ok()) {
    return st.error();
  }
  AgentOptions& a = s->agent;
  SetUpModelOptions(env, options, setup.model(), cancel, a);
  a.session.session_id = s->transcript->session_id();
  a.session.cwd = cwd;
  a.session.model = setup.model().model_id;
  a.session.permission_mode = std::string(PermissionModeName(mode));
  for (const Tool* t : a.tools) a.session.tools.push_back(t->name());
  return s;
}

}  // namespace brock
