#include "agent/hook_engine.h"

#include <algorithm>
#include <future>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "agent/child_env.h"
#include "agent/hook_matcher.h"
#include "base/strings.h"

namespace brock {

namespace {

// The events whose plain stdout (exit 0) is context for the model rather than output to show.
bool StdoutIsContext(std::string_view event) {
  return event == "UserPromptSubmit" || event == "SessionStart";
}

std::string OneLine(std::string_view text) {
  std::string s(Trim(text));
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (s.size() > 500) s = s.substr(0, 500) + "...";
  return s;
}

void AppendReason(std::string& to, std::string_view reason) {
  std::string r(Trim(reason));
  if (r.empty()) return;
  if (!to.empty()) to += "\n";
  to += r;
}

int DecisionRank(std::string_view d) {
  if (d == "deny") return 3;
  if (d == "ask") return 2;
  if (d == "allow") return 1;
  return 0;
}

std::string StringField(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Folds one hook's JSON stdout (exit 0) into the outcome.
void ApplyJsonOutput(const std::string& event, const Json& out, HookOutcome& o, HookNotice& n) {
  if (auto c = out.find("continue"); c != out.end() && c->is_boolean() && !c->get<bool>()) {
    o.stop = true;
    AppendReason(o.stop_reason, StringField(out, "stopReason"));
  }
  if (auto s = out.find("suppressOutput"); s != out.end() && s->is_boolean()) {
    n.suppress_output = s->get<bool>();
  }
  if (std::string m = StringField(out, "systemMessage"); !m.empty()) n.message = OneLine(m);
  std::string decision = StringField(out, "decision");
  std::string reason = StringField(out, "reason");
  if (event == "PreToolUse") {
    // Legacy: decision approve/block.
    if (decision == "approve") decision = "allow";
    if (decision == "block") decision = "deny";
    if (decision == "allow" || decision == "deny") {
      if (DecisionRank(decision) > DecisionRank(o.permission_decision)) {
        o.permission_decision = decision;
        o.permission_reason = reason;
      }
    }
  } else if (decision == "block") {
    o.block = true;
    AppendReason(o.block_reason, reason.empty() ? "blocked by a " + event + " hook" : reason);
    n.outcome = "blocked";
  }
  auto hso = out.find("hookSpecificOutput");
  if (hso == out.end() || !hso->is_object()) return;
  if (std::string ctx = StringField(*hso, "additionalContext"); !ctx.empty()) {
    o.context.push_back(ctx);
  }
  if (event == "PreToolUse") {
    std::string d = StringField(*hso, "permissionDecision");
    if (DecisionRank(d) > 0 && DecisionRank(d) >= DecisionRank(o.permission_decision)) {
      o.permission_decision = d;
      o.permission_reason = StringField(*hso, "permissionDecisionReason");
    }
    if (auto u = hso->find("updatedInput"); u != hso->end() && u->is_object()) {
      o.updated_input = JsonBox(*u);
    }
  }
  if (event == "PermissionRequest") {
    auto d = hso->find("decision");
    if (d != hso->end() && d->is_object()) {
      std::string behavior = StringField(*d, "behavior");
      if ((behavior == "allow" || behavior == "deny") &&
          DecisionRank(behavior) >= DecisionRank(o.permission_behavior)) {
        o.permission_behavior = behavior;
        o.permission_message = StringField(*d, "message");
      }
      if (auto u = d->find("updatedInput"); u != d->end() && u->is_object()) {
        o.updated_input = JsonBox(*u);
      }
    }
  }
}

}  // namespace

bool HookEventUsesMatcher(std::string_view event) {
  return event == "PreToolUse" || event == "PostToolUse" || event == "PostToolUseFailure" ||
         event == "PermissionRequest" || event == "SessionStart" || event == "PreCompact" ||
         event == "Notification";
}

HookEngine::HookEngine(std::vector<HookCommand> hooks, ProcessRunner& runner, Env& env,
                       HookSessionInfo info)
    : hooks_(std::move(hooks)), runner_(runner), env_(env), info_(std::move(info)) {}

bool HookEngine::HasHooks(std::string_view event) const {
  return std::any_of(hooks_.begin(), hooks_.end(),
                     [&](const HookCommand& h) { return h.event == event; });
}

void HookEngine::set_session(HookSessionInfo info) {
  std::lock_guard<std::mutex> lock(mu_);
  info_ = std::move(info);
}

void HookEngine::set_listener(std::function<void(const HookNotice&)> listener) {
  std::lock_guard<std::mutex> lock(listener_mu_);
  listener_ = std::move(listener);
}

void HookEngine::AddPendingContext(std::string context) {
  std::lock_guard<std::mutex> lock(mu_);
  pending_context_.push_back(std::move(context));
}

std::vector<std::string> HookEngine::TakePendingContext() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::exchange(pending_context_, {});
}

HookSessionInfo HookEngine::session() const {
  std::lock_guard<std::mutex> lock(mu_);
  return info_;
}

HookOutcome HookEngine::Fire(const std::string& event, std::string_view subject, const Json& fields,
                             const std::atomic<bool>* cancel) {
  HookOutcome o;
  std::vector<const HookCommand*> selected;
  std::set<std::string> seen;
  bool use_matcher = HookEventUsesMatcher(event);
  for (const HookCommand& h : hooks_) {
    if (h.event != event) continue;
    if (use_matcher && !HookMatcherMatches(h.matcher, subject)) continue;
    if (!seen.insert(h.command).second) continue;  // the same command runs once
    selected.push_back(&h);
  }
  if (selected.empty()) return o;

  HookSessionInfo info = session();
  Json input = {{"session_id", info.session_id},
                {"transcript_path", info.transcript_path},
                {"cwd", info.cwd},
                {"permission_mode", info.permission_mode},
                {"hook_event_name", event}};
  for (const auto& [k, v] : fields.items()) input[k] = v;
  std::string stdin_data = input.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";

  std::vector<std::future<Result<ProcessResult>>> running;
  for (const HookCommand* h : selected) {
    ProcessSpec spec;
    spec.shell_command = h->command;
    spec.cwd = info.cwd;
    spec.env["CLAUDE_PROJECT_DIR"] = info.project_dir.empty() ? info.cwd : info.project_dir;
    if (event == "SessionStart" && !env_file_.empty()) spec.env["CLAUDE_ENV_FILE"] = env_file_;
    spec.stdin_data = stdin_data;
    spec.timeout = std::chrono::seconds(h->timeout_seconds);
    spec.max_output_bytes = 1 << 20;
    spec.unset_env = ToolEnvironmentRemovals(env_);
    running.push_back(std::async(std::launch::async, [this, spec = std::move(spec), cancel] {
      return runner_.Run(spec, cancel);
    }));
  }
  std::string name = event;
  if (use_matcher && !subject.empty()) name += ":" + std::string(subject);
  for (size_t i = 0; i < selected.size(); ++i) {
    const HookCommand& h = *selected[i];
    Result<ProcessResult> ran = running[i].get();
    ++o.hooks_run;
    HookNotice n;
    n.session_id = info.session_id;
    n.event = event;
    n.name = name;
    n.command = h.command;
    n.outcome = "success";
    if (!ran.ok()) {
      n.exit_code = -1;
      n.outcome = "error";
      n.message = event + " hook could not start (" + h.command + "): " + ran.error().message;
      o.notices.push_back(std::move(n));
      continue;
    }
    const ProcessResult& r = *ran;
    n.exit_code = r.exit_code;
    n.stdout_text = r.stdout_data;
    n.stderr_text = r.stderr_data;
    if (r.cancelled) {
      n.outcome = "cancelled";
    } else if (r.timed_out) {
      n.outcome = "error";
      n.message = event + " hook timed out after " + std::to_string(h.timeout_seconds) +
                  "s and was stopped: " + h.command;
    } else if (r.exit_code == 2) {
      n.outcome = "blocked";
      o.block = true;
      std::string reason(Trim(r.stderr_data));
      AppendReason(o.block_reason, reason.empty() ? event + " hook exited with code 2 (" +
                                                        h.command + ") without a reason"
                                                  : reason);
      n.message = event + " hook blocked: " + OneLine(reason.empty() ? h.command : reason);
    } else if (r.exit_code != 0) {
      n.outcome = "error";
      std::string detail = OneLine(r.stderr_data.empty() ? r.stdout_data : r.stderr_data);
      n.message = event + " hook failed (exit " +
                  (r.exit_code < 0 ? "signal " + std::to_string(r.term_signal)
                                   : std::to_string(r.exit_code)) +
                  "): " + h.command + (detail.empty() ? "" : ": " + detail);
    } else {
      std::string_view out = Trim(r.stdout_data);
      Json parsed;
      if (StartsWith(out, "{")) parsed = ParseJsonOrDiscarded(out);
      if (parsed.is_object()) {
        ApplyJsonOutput(event, parsed, o, n);
      } else if (StdoutIsContext(event) && !out.empty()) {
        o.context.push_back(std::string(out));
      }
    }
    o.notices.push_back(std::move(n));
  }
  std::lock_guard<std::mutex> lock(listener_mu_);
  if (listener_) {
    for (const HookNotice& n : o.notices) listener_(n);
  }
  return o;
}

std::vector<std::pair<std::string, std::string>> ParseHookEnvFile(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& raw : Split(text, '\n')) {
    std::string_view line = Trim(raw);
    if (StartsWith(line, "export ")) line = Trim(line.substr(7));
    size_t eq = line.find('=');
    if (eq == 0 || eq == std::string_view::npos) continue;
    std::string name(line.substr(0, eq));
    bool valid = true;
    for (size_t i = 0; i < name.size(); ++i) {
      char c = name[i];
      bool ok = c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                (i > 0 && c >= '0' && c <= '9');
      valid = valid && ok;
    }
    if (!valid) continue;
    std::string value(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

}  // namespace brock
