#include "agent/permissions.h"

#include <functional>
#include <set>

#include "agent/shell_parser.h"
#include "agent/shell_split.h"
#include "base/strings.h"

namespace brock {
namespace {

// Directories whose contents are never changed without asking, even in acceptEdits and
// bypassPermissions mode (repository state and editor/agent configuration).
constexpr std::string_view kProtectedDirs[] = {".git", ".claude", ".vscode", ".idea"};
// ...except these, which the agent writes routinely.
constexpr std::string_view kUnprotectedClaudeDirs[] = {".claude/commands", ".claude/agents",
                                                       ".claude/skills"};

// Commands acceptEdits mode lets run without asking when every path argument is inside the
// working directories.
const std::set<std::string>& FileCommands() {
  static const std::set<std::string> k = {"mkdir", "touch", "rm", "rmdir", "mv", "cp", "sed"};
  return k;
}

std::string DisplayList(std::string_view list) {
  return list == "allow" ? "allowed" : list == "ask" ? "asked" : "denied";
}

}  // namespace

Result<PermissionMode> ParsePermissionMode(std::string_view text) {
  std::string_view t = Trim(text);
  if (t == "manual") return PermissionMode::kDefault;
  for (PermissionMode m : kPermissionModes) {
    if (t == PermissionModeName(m)) return m;
  }
  std::string valid;
  for (PermissionMode m : kPermissionModes) {
    if (!valid.empty()) valid += ", ";
    valid += PermissionModeName(m);
  }
  return MakeError("permissions.bad_mode", "unknown permission mode \"" + std::string(t) + "\"",
                   "use one of: " + valid);
}

std::string_view PermissionModeName(PermissionMode mode) {
  switch (mode) {
    case PermissionMode::kDefault:
      return "default";
    case PermissionMode::kAcceptEdits:
      return "acceptEdits";
    case PermissionMode::kPlan:
      return "plan";
    case PermissionMode::kBypassPermissions:
      return "bypassPermissions";
    case PermissionMode::kDontAsk:
      return "dontAsk";
  }
  return "default";
}

PermissionEngine::PermissionEngine(std::vector<PermissionRuleSpec> rules, PermissionMode mode,
                                   std::string cwd, std::vector<std::string> extra_dirs,
                                   std::string home)
    : mode_(mode), home_(std::move(home)) {
  cwd_ = NormalizePath(cwd, "/", home_);
  working_dirs_.push_back(cwd_);
  for (const std::string& d : extra_dirs) {
    if (Trim(d).empty()) continue;
    std::string abs = NormalizePath(Trim(d), cwd_, home_);
    bool dup = false;
    for (const auto& w : working_dirs_) dup = dup || w == abs;
    if (!dup) working_dirs_.push_back(abs);
  }
  for (PermissionRuleSpec& spec : rules) {
    Result<ParsedRule> parsed = ParsePermissionRule(spec.rule);
    std::string where = spec.source.empty() ? "" : " in " + spec.source;
    if (!parsed.ok()) {
      warnings_.push_back("ignoring permission rule \"" + spec.rule + "\"" + where + ": " +
                          parsed.error().message);
      continue;
    }
    if (spec.root_dir.empty()) spec.root_dir = cwd_;
    Rule rule{spec, *parsed};
    if (spec.list == "allow") {
      allow_.push_back(std::move(rule));
    } else if (spec.list == "ask") {
      ask_.push_back(std::move(rule));
    } else if (spec.list == "deny") {
      deny_.push_back(std::move(rule));
    } else {
      warnings_.push_back("ignoring permission rule \"" + spec.rule + "\"" + where +
                          ": unknown list \"" + spec.list + "\" (use allow, ask or deny)");
    }
  }
}

bool PermissionEngine::IsToolDenied(std::string_view tool_name, bool edits_files) const {
  for (const Rule& r : deny_) {
    if (r.parsed.has_specifier) continue;
    if (RuleToolNameMatches(r.parsed.tool, tool_name)) return true;
    if (edits_files && r.parsed.tool == "Edit") return true;
  }
  return false;
}

bool PermissionEngine::RuleMatches(const Rule& rule, std::string_view tool_name, bool read_only,
                                   bool edits_files, const PermissionSubject& subject) const {
  const std::string& rt = rule.parsed.tool;
  bool applies = RuleToolNameMatches(rt, tool_name);
  // Edit(...) covers every file-editing tool; Read(...) every read-only tool that reads files.
  if (!applies && rt == "Edit" && edits_files) applies = true;
  if (!applies && rt == "Read" && read_only && !edits_files &&
      subject.kind == PermissionSubject::Kind::kPath) {
    applies = true;
  }
  if (!applies) return false;
  if (!rule.parsed.has_specifier) return true;
  const std::string& spec = rule.parsed.specifier;
  switch (subject.kind) {
    case PermissionSubject::Kind::kCommand:
      return MatchShellRule(spec, subject.value);
    case PermissionSubject::Kind::kPath:
      return MatchPathRule(spec, subject.value, rule.spec.root_dir, cwd_, home_);
    case PermissionSubject::Kind::kNone:
      break;
  }
  // WebFetch(domain:example.com) and similar: match the host of a URL-like value.
  if (StartsWith(spec, "domain:")) {
    std::string_view v = subject.value;
    size_t scheme = v.find("://");
    if (scheme != std::string_view::npos) v.remove_prefix(scheme + 3);
    v = v.substr(0, v.find_first_of("/:?#"));
    return !v.empty() && WildcardMatch(ToLower(Trim(std::string_view(spec).substr(7))), ToLower(v));
  }
  return false;
}

const PermissionEngine::Rule* PermissionEngine::FindRule(List list, std::string_view tool_name,
                                                         bool read_only, bool edits_files,
                                                         const PermissionSubject& subject) const {
  const std::vector<Rule>& rules = list == List::kAllow ? allow_
                                   : list == List::kAsk ? ask_
                                                        : deny_;
  if (rules.empty()) return nullptr;
  std::vector<PermissionSubject> subjects = {subject};
  if (subject.kind == PermissionSubject::Kind::kCommand && list != List::kAllow) {
    // Every simple command bash may run, however its name is written: as parsed (quotes removed),
    // with a path-qualified name reduced to its last component, and behind wrappers (the parse
    // reports the command a wrapper runs as a command of its own).
    for (const ShellCommand& c : ParseShell(subject.value).commands) {
      if (c.words.empty()) continue;
      subjects.push_back({PermissionSubject::Kind::kCommand, c.text});
      if (!c.base_name.empty() && c.base_name != c.name) {
        ShellCommand renamed = c;
        renamed.words[0] = c.base_name;
        std::string text = ShellQuote(c.base_name);
        for (size_t k = 1; k < c.words.size(); ++k) {
          text += ' ';
          text += c.literal[k] ? ShellQuote(c.words[k]) : c.words[k];
        }
        subjects.push_back({PermissionSubject::Kind::kCommand, text});
      }
    }
  }
  for (const Rule& r : rules) {
    for (const PermissionSubject& s : subjects) {
      if (RuleMatches(r, tool_name, read_only, edits_files, s)) return &r;
    }
  }
  return nullptr;
}

bool PermissionEngine::IsAcceptEditsFileCommand(const std::string& part) const {
  std::vector<ShellWord> words = ShellWords(part);
  if (words.empty() || !FileCommands().count(words[0].text)) return false;
  // Refuse anything with redirections, expansions or globs we cannot resolve.
  if (part.find_first_of("<>$`*?[{~") != std::string::npos) return false;
  bool any_path = false;
  bool sed_script_seen = false;
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string& w = words[i].text;
    if (w.empty() || w[0] == '-') {
      if (words[0].text == "sed" && (w == "-e" || w == "-f")) return false;
      continue;
    }
    if (words[0].text == "sed" && !sed_script_seen) {
      sed_script_seen = true;  // the script, not a path
      continue;
    }
    any_path = true;
    if (!InsideWorkingDirs(NormalizePath(w, cwd_, home_))) return false;
    if (IsProtectedPath(NormalizePath(w, cwd_, home_))) return false;
  }
  return any_path;
}

bool PermissionEngine::CommandAllowed(std::string_view tool_name, bool read_only, bool edits_files,
                                      const std::string& command, std::string* rule) const {
  ShellParse parse = ParseShell(command);
  // Deny and ask rules cannot be enforced on what an opaque command runs: no allow rule, not
  // even `Bash`, lets it run without asking.
  if (parse.opaque && (!deny_.empty() || !ask_.empty())) return false;
  PermissionSubject whole{PermissionSubject::Kind::kCommand, command};
  // A rule naming the tool without a specifier, or an exact rule equal to the whole command.
  for (const Rule& r : allow_) {
    if (!RuleMatches(r, tool_name, read_only, edits_files, whole)) continue;
    if (!r.parsed.has_specifier || r.parsed.specifier.find('*') == std::string::npos) {
      *rule = r.spec.rule;
      return true;
    }
  }
  if (parse.opaque) return false;  // what it runs is not known: never allowed by a rule
  bool any = false;
  // A command is allowed by a rule matching its text, by acceptEdits for file commands, or, for
  // a harmless wrapper or a literal script (`timeout 5 npm test`, `bash -c 'npm test'`), when
  // everything it runs is allowed.
  std::function<bool(size_t)> allowed = [&](size_t index) {
    const ShellCommand& c = parse.commands[index];
    if (c.words.empty()) return c.redirections.empty();
    PermissionSubject s{PermissionSubject::Kind::kCommand, c.text};
    for (const Rule& r : allow_) {
      if (RuleMatches(r, tool_name, read_only, edits_files, s)) {
        *rule = r.spec.rule;
        return true;
      }
    }
    if (mode_ == PermissionMode::kAcceptEdits && IsAcceptEditsFileCommand(c.text)) return true;
    if (!c.transparent) return false;
    bool has_child = false;
    for (size_t k = 0; k < parse.commands.size(); ++k) {
      if (parse.commands[k].parent != static_cast<int>(index)) continue;
      has_child = true;
      if (!allowed(k)) return false;
    }
    return has_child;
  };
  for (size_t k = 0; k < parse.commands.size(); ++k) {
    if (parse.commands[k].parent != -1) continue;
    any = any || !parse.commands[k].words.empty();
    if (!allowed(k)) return false;
  }
  return any;
}

bool PermissionEngine::InsideWorkingDirs(std::string_view abs_path) const {
  for (const std::string& d : working_dirs_) {
    if (PathIsInside(abs_path, d)) return true;
  }
  return false;
}

bool PermissionEngine::IsProtectedPath(std::string_view abs_path) const {
  for (const std::string& d : working_dirs_) {
    if (!PathIsInside(abs_path, d)) continue;
    std::string_view rel = abs_path.substr(d == "/" ? 1 : d.size());
    if (!rel.empty() && rel[0] == '/') rel.remove_prefix(1);
    for (std::string_view keep : kUnprotectedClaudeDirs) {
      if (PathIsInside(rel, keep)) return false;
    }
    for (std::string_view p : kProtectedDirs) {
      if (PathIsInside(rel, p)) return true;
    }
  }
  // Anywhere: a .git directory component.
  return abs_path.find("/.git/") != std::string_view::npos || EndsWith(abs_path, "/.git");
}

std::string PermissionEngine::Describe(std::string_view tool_name,
                                       const PermissionSubject& subject) const {
  if (subject.kind == PermissionSubject::Kind::kNone || subject.value.empty()) {
    return std::string(tool_name);
  }
  std::string v = subject.value;
  if (v.size() > 200) v = v.substr(0, 197) + "...";
  return std::string(tool_name) + "(" + v + ")";
}

std::string PermissionEngine::RuleOrigin(const Rule& rule) {
  return rule.spec.source.empty() ? "" : " in " + rule.spec.source;
}

PermissionDecision PermissionEngine::Check(const Tool& tool,
                                           const PermissionSubject& subject) const {
  return Check(tool.name(), tool.read_only(), tool.edits_files(), subject);
}

PermissionDecision PermissionEngine::Check(std::string_view tool_name, bool read_only,
                                           bool edits_files,
                                           const PermissionSubject& in_subject) const {
  PermissionSubject subject = in_subject;
  if (subject.kind == PermissionSubject::Kind::kPath) {
    subject.value = NormalizePath(subject.value, cwd_, home_);
  }
  const std::string what = Describe(tool_name, subject);
  const bool dont_ask = mode_ == PermissionMode::kDontAsk;
  auto ask_or_deny = [&](std::string reason, std::string rule) {
    if (dont_ask) {
      return PermissionDecision{PermissionBehavior::kDeny, reason + " (denied: dontAsk mode is on)",
                                std::move(rule)};
    }
    return PermissionDecision{PermissionBehavior::kAsk, std::move(reason), std::move(rule)};
  };

  // 1. Deny rules.
  if (const Rule* r = FindRule(List::kDeny, tool_name, read_only, edits_files, subject)) {
    return {PermissionBehavior::kDeny, what + " denied by rule " + r->spec.rule + RuleOrigin(*r),
            r->spec.rule};
  }
  // 2. Plan mode: nothing that changes anything.
  if (mode_ == PermissionMode::kPlan && !read_only) {
    return {PermissionBehavior::kDeny,
            "plan mode is on: " + std::string(tool_name) +
                " is not allowed until the plan is approved and plan mode is left",
            ""};
  }
  // 3. Ask rules.
  if (const Rule* r = FindRule(List::kAsk, tool_name, read_only, edits_files, subject)) {
    return ask_or_deny(what + " needs approval by rule " + r->spec.rule + RuleOrigin(*r),
                       r->spec.rule);
  }
  // 4. Allow rules.
  if (subject.kind == PermissionSubject::Kind::kCommand) {
    std::string rule;
    if (CommandAllowed(tool_name, read_only, edits_files, subject.value, &rule)) {
      return {
          PermissionBehavior::kAllow,
          rule.empty() ? what + " allowed by acceptEdits mode" : what + " allowed by rule " + rule,
          rule};
    }
  } else if (const Rule* r = FindRule(List::kAllow, tool_name, read_only, edits_files, subject)) {
    return {PermissionBehavior::kAllow,
            what + " " + DisplayList("allow") + " by rule " + r->spec.rule + RuleOrigin(*r),
            r->spec.rule};
  }
  // 5. The mode's defaults.
  const bool is_path = subject.kind == PermissionSubject::Kind::kPath;
  const bool inside = is_path && InsideWorkingDirs(subject.value);
  if (mode_ == PermissionMode::kBypassPermissions) {
    // Deny and ask rules cannot be enforced on a command whose commands are not known.
    if (subject.kind == PermissionSubject::Kind::kCommand && (!deny_.empty() || !ask_.empty()) &&
        ParseShell(subject.value).opaque) {
      return ask_or_deny(what + " runs commands that cannot be known before it runs (" +
                             ParseShell(subject.value).opaque_reasons.front() +
                             ") and needs approval",
                         "");
    }
    if (!read_only && is_path && IsProtectedPath(subject.value)) {
      return ask_or_deny(what + " changes a protected path and needs approval", "");
    }
    return {PermissionBehavior::kAllow, what + " allowed by bypassPermissions mode", ""};
  }
  if (read_only) {
    if (!is_path || inside) {
      return {PermissionBehavior::kAllow, what + " is read-only", ""};
    }
    return ask_or_deny(what + " reads outside the working directories and needs approval", "");
  }
  if (edits_files && is_path) {
    if (!inside) {
      return ask_or_deny(what + " edits outside the working directories and needs approval", "");
    }
    if (mode_ == PermissionMode::kAcceptEdits && !IsProtectedPath(subject.value)) {
      return {PermissionBehavior::kAllow, what + " allowed by acceptEdits mode", ""};
    }
  }
  return ask_or_deny(what + " needs approval", "");
}

}  // namespace brock
