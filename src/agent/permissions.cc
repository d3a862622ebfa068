#include "agent/permissions.h"

#include <functional>
#include <set>

#include "agent/path_resolve.h"
#include "agent/readonly_commands.h"
#include "agent/shell_parser.h"
#include "agent/shell_split.h"
#include "base/strings.h"

namespace brock {
namespace {

// Claude Code's protected paths (docs/permission-modes.md, "Protected paths"): writes to them
// are never approved by a mode or an allow rule. Directories, by path components anywhere...
constexpr std::string_view kProtectedDirs[] = {".git",   ".config/git", ".vscode",       ".idea",
                                               ".husky", ".cargo",      ".devcontainer", ".yarn",
                                               ".mvn",   ".claude"};
// ...except this one, where Claude Code keeps its own git worktrees.
constexpr std::string_view kUnprotectedClaudeDirs[] = {".claude/worktrees"};
// ...and files, by name in any directory.
constexpr std::string_view kProtectedFiles[] = {".gitconfig",
                                                ".gitmodules",
                                                ".bashrc",
                                                ".bash_profile",
                                                ".bash_login",
                                                ".bash_aliases",
                                                ".bash_logout",
                                                ".zshrc",
                                                ".zprofile",
                                                ".zshenv",
                                                ".zlogin",
                                                ".zlogout",
                                                ".profile",
                                                ".envrc",
                                                ".npmrc",
                                                ".yarnrc",
                                                ".yarnrc.yml",
                                                ".pnp.cjs",
                                                ".pnp.loader.mjs",
                                                ".pnpmfile.cjs",
                                                "bunfig.toml",
                                                ".bunfig.toml",
                                                ".bazelrc",
                                                ".bazelversion",
                                                ".bazeliskrc",
                                                ".pre-commit-config.yaml",
                                                "lefthook.yml",
                                                "lefthook.yaml",
                                                ".lefthook.yml",
                                                ".lefthook.yaml",
                                                "gradle-wrapper.properties",
                                                "maven-wrapper.properties",
                                                ".devcontainer.json",
                                                ".ripgreprc",
                                                "pyrightconfig.json",
                                                ".mcp.json",
                                                ".claude.json"};

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
    : mode_(mode),
      home_(std::move(home)),
      resolve_(ResolveSymlinks),
      folds_case_(FileSystemFoldsCase) {
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
      if (MatchPathRule(spec, subject.value, rule.spec.root_dir, cwd_, home_)) return true;
      // Where the file system finds a name whatever its case, so does the rule.
      return folds_case_ && folds_case_(subject.value) &&
             MatchPathRule(ToLower(spec), ToLower(subject.value), ToLower(rule.spec.root_dir),
                           ToLower(cwd_), ToLower(home_));
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

void PermissionEngine::SetFileSystem(std::function<std::string(const std::string&)> resolve,
                                     std::function<bool(const std::string&)> folds_case) {
  resolve_ = std::move(resolve);
  folds_case_ = std::move(folds_case);
}

std::vector<std::string> PermissionEngine::Spellings(const std::string& abs_path) const {
  std::vector<std::string> out = {abs_path};
  if (resolve_) {
    std::string real = resolve_(abs_path);
    if (!real.empty() && real != abs_path) out.push_back(real);
  }
  return out;
}

const PermissionEngine::Rule* PermissionEngine::FindPathRule(List list, std::string_view tool_name,
                                                             bool read_only, bool edits_files,
                                                             const std::string& abs_path) const {
  const std::vector<Rule>& rules = list == List::kAllow ? allow_
                                   : list == List::kAsk ? ask_
                                                        : deny_;
  const std::vector<std::string> spellings = Spellings(abs_path);
  for (const Rule& r : rules) {
    bool any = false;
    bool all = true;
    for (const std::string& p : spellings) {
      PermissionSubject s{PermissionSubject::Kind::kPath, p};
      bool m = RuleMatches(r, tool_name, read_only, edits_files, s);
      // A Read deny rule also stops the tools that edit the same file.
      if (!m && list == List::kDeny && edits_files && r.parsed.tool == "Read" &&
          r.parsed.has_specifier) {
        m = RuleMatches(r, "Read", true, false, s);
      }
      any = any || m;
      all = all && m;
    }
    if (list == List::kAllow ? all : any) return &r;
  }
  if (list == List::kAllow && spellings.size() > 1) {
    // Each spelling allowed, possibly by different rules (`Read(./key)` and `Read(~/.ssh/**)`).
    const Rule* last = nullptr;
    for (const std::string& p : spellings) {
      last = nullptr;
      PermissionSubject s{PermissionSubject::Kind::kPath, p};
      for (const Rule& r : rules) {
        if (RuleMatches(r, tool_name, read_only, edits_files, s)) {
          last = &r;
          break;
        }
      }
      if (last == nullptr) return nullptr;
    }
    return last;
  }
  return nullptr;
}

PermissionEngine::FileVerdict PermissionEngine::CheckFile(const std::string& abs_path,
                                                          bool write) const {
  FileVerdict v;
  const std::string tool = write ? "Edit" : "Read";
  v.deny = FindPathRule(List::kDeny, tool, !write, write, abs_path);
  if (write && v.deny == nullptr) v.deny = FindPathRule(List::kDeny, "Read", true, false, abs_path);
  v.ask = FindPathRule(List::kAsk, tool, !write, write, abs_path);
  v.allow = FindPathRule(List::kAllow, tool, !write, write, abs_path);
  return v;
}

bool PermissionEngine::ReadableInResults(const std::string& abs_path) const {
  return FindPathRule(List::kDeny, "Read", true, false, abs_path) == nullptr &&
         FindPathRule(List::kAsk, "Read", true, false, abs_path) == nullptr;
}

bool PermissionEngine::WithinEditScope(const std::string& abs_path) const {
  return InsideWorkingDirs(abs_path) && !IsProtectedPath(abs_path);
}

bool PermissionEngine::ShowInResults(const std::string& abs_path, const std::string& root) const {
  if (!ReadableInResults(abs_path)) return false;
  return InsideWorkingDirs(abs_path) || !InsideWorkingDirs(root);
}

bool PermissionEngine::IsAcceptEditsFileCommand(const ShellCommand& c) const {
  if (c.words.empty()) return false;
  const std::string name = c.base_name.empty() ? c.name : c.base_name;
  if (!FileCommands().count(name)) return false;
  // Every word must be known exactly: no expansions, globs or braces.
  for (size_t k = 0; k < c.words.size(); ++k) {
    if (k >= c.literal.size() || !c.literal[k]) return false;
  }
  for (const ShellRedirection& r : c.redirections) {
    if (r.op != ">&" && r.op != "<&") return false;
  }
  std::vector<std::string> paths;
  bool end_opts = false;
  bool script_seen = false;
  for (size_t i = 1; i < c.words.size(); ++i) {
    const std::string& w = c.words[i];
    if (!end_opts && w == "--") {
      end_opts = true;
      continue;
    }
    if (!end_opts && !w.empty() && w[0] == '-') {
      if (name == "sed") {
        if (w == "-f" || StartsWith(w, "--file") ||
            (w.size() > 1 && w[1] != '-' && w.find('f') != std::string::npos)) {
          return false;  // a script from a file: not known
        }
        if (w == "-e" || w == "--expression") {
          if (i + 1 >= c.words.size() || !SedScriptIsSafe(c.words[i + 1])) return false;
          script_seen = true;
          ++i;
          continue;
        }
        if (StartsWith(w, "--expression=")) {
          if (!SedScriptIsSafe(w.substr(13))) return false;
          script_seen = true;
          continue;
        }
        if (StartsWith(w, "-e") && w.size() > 2) {
          if (!SedScriptIsSafe(w.substr(2))) return false;
          script_seen = true;
          continue;
        }
      }
      if (name == "cp" || name == "mv") {
        // The target directory, however it is given.
        if (w == "-t" || w == "--target-directory") {
          if (i + 1 >= c.words.size()) return false;
          paths.push_back(c.words[++i]);
          continue;
        }
        if (StartsWith(w, "--target-directory=")) {
          paths.push_back(w.substr(19));
          continue;
        }
        if (w.size() > 2 && w[1] != '-' && w.find('t') != std::string::npos) {
          size_t t = w.find('t');
          if (t + 1 < w.size()) {
            paths.push_back(w.substr(t + 1));
          } else if (i + 1 < c.words.size()) {
            paths.push_back(c.words[++i]);
          } else {
            return false;
          }
          continue;
        }
        if (w == "-S" || w == "--suffix") {
          ++i;
          continue;
        }
      }
      if (name == "mkdir" && (w == "-m" || w == "--mode")) {
        ++i;
        continue;
      }
      if (name == "touch" &&
          (w == "-d" || w == "-t" || w == "-r" || w == "--date" || w == "--reference")) {
        if (w == "-r" || w == "--reference") {
          if (i + 1 < c.words.size()) paths.push_back(c.words[i + 1]);
        }
        ++i;
        continue;
      }
      continue;
    }
    if (name == "sed" && !script_seen) {
      if (!SedScriptIsSafe(w)) return false;  // `e` runs commands, `w`/`r` touch any file
      script_seen = true;
      continue;
    }
    paths.push_back(w);
  }
  if (paths.empty()) return false;
  for (const std::string& p : paths) {
    std::string abs = NormalizePath(p, cwd_, home_);
    if (!InsideWorkingDirs(abs) || IsProtectedPath(abs)) return false;
    if (CheckFile(abs, true).ask != nullptr) return false;
  }
  return true;
}

bool PermissionEngine::CommandAllowed(std::string_view tool_name, bool read_only, bool edits_files,
                                      const std::string& command, bool readonly_ok,
                                      std::string* rule) const {
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
  // A command is allowed by a rule matching its text, by acceptEdits for file commands, by
  // being a built-in read-only command reading inside the working directories, or, for a
  // harmless wrapper or a literal script (`timeout 5 npm test`, `bash -c 'npm test'`), when
  // everything it runs is allowed.
  std::function<bool(size_t)> allowed = [&](size_t index) {
    const ShellCommand& c = parse.commands[index];
    if (c.words.empty())
      return c.redirections.empty() || (readonly_ok && ClassifyCommand(c).read_only);
    PermissionSubject s{PermissionSubject::Kind::kCommand, c.text};
    for (const Rule& r : allow_) {
      if (RuleMatches(r, tool_name, read_only, edits_files, s)) {
        *rule = r.spec.rule;
        return true;
      }
    }
    if (mode_ == PermissionMode::kAcceptEdits && IsAcceptEditsFileCommand(c)) return true;
    // Built-in read-only commands (their files were checked by CheckCommand). Not when xargs
    // feeds them arguments nobody has seen.
    bool fed = c.parent >= 0 && parse.commands[static_cast<size_t>(c.parent)].base_name == "xargs";
    if (readonly_ok && !fed && ClassifyCommand(c).read_only) return true;
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
    any = any || !parse.commands[k].words.empty() || !parse.commands[k].redirections.empty();
    if (!allowed(k)) return false;
  }
  return any;
}

bool PermissionEngine::InsideWorkingDirs(std::string_view abs_path) const {
  // Every spelling of the path (itself and its symlink target) must be inside a working
  // directory (as written or resolved).
  for (const std::string& p : Spellings(std::string(abs_path))) {
    bool inside = false;
    for (const std::string& d : working_dirs_) {
      if (PathIsInside(p, d) || (resolve_ && PathIsInside(p, resolve_(d)))) {
        inside = true;
        break;
      }
    }
    if (!inside) return false;
  }
  return true;
}

bool PermissionEngine::IsProtectedPath(std::string_view abs_path) const {
  for (const std::string& p : Spellings(std::string(abs_path))) {
    if (IsProtectedSpelling(p)) return true;
  }
  return false;
}

bool PermissionEngine::IsProtectedSpelling(std::string_view abs_path) const {
  // Components, from the root: a protected directory anywhere, a protected file name last.
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < abs_path.size()) {
    size_t j = abs_path.find('/', i);
    if (j == std::string_view::npos) j = abs_path.size();
    if (j > i) parts.push_back(abs_path.substr(i, j - i));
    i = j + 1;
  }
  for (size_t k = 0; k < parts.size(); ++k) {
    std::string two = k + 1 < parts.size() ? std::string(parts[k]) + "/" + std::string(parts[k + 1])
                                           : std::string();
    bool exempt = false;
    for (std::string_view keep : kUnprotectedClaudeDirs) exempt = exempt || two == keep;
    if (exempt) {
      ++k;  // `.claude/worktrees`: what is below is checked on its own
      continue;
    }
    for (std::string_view d : kProtectedDirs) {
      if (d.find('/') == std::string_view::npos ? parts[k] == d : two == d) return true;
    }
  }
  if (!parts.empty()) {
    for (std::string_view f : kProtectedFiles) {
      if (parts.back() == f) return true;
    }
  }
  return false;
}

bool PermissionEngine::IsCriticalRemovalTarget(const std::string& word, bool literal,
                                               const std::vector<std::string>& bases) const {
  // A glob or trailing slash directly under a variable (`"$DIR"/*`): the root when it is empty.
  if (!literal && (word[0] == '$' || StartsWith(word, "\"$")) &&
      (word.find("/*") != std::string::npos || EndsWith(word, "/") ||
       word.find("\"/") != std::string::npos)) {
    return true;
  }
  std::string w = word;
  bool glob = false;
  if (!literal) {
    // `dir/*`, `~`, `~/`: judge the directory the glob lists.
    if (w.find_first_of("$`") != std::string::npos) return false;
    size_t star = w.find_first_of("*?[");
    if (star != std::string::npos) {
      glob = true;
      size_t slash = w.rfind('/', star);
      w = slash == std::string::npos ? "." : w.substr(0, slash == 0 ? 1 : slash);
    }
  }
  for (const std::string& base : bases) {
    std::string abs = NormalizePath(w, base, home_);
    for (const std::string& p : Spellings(abs)) {
      if (p == "/") return true;
      if (p.find('/', 1) == std::string::npos) return true;  // a top-level directory
      if (p == home_) return true;
      // The working directory and its parents; the other working directories' parents, and
      // the working directories themselves when a glob empties them.
      for (size_t k = 0; k < working_dirs_.size(); ++k) {
        const std::string& d = working_dirs_[k];
        if (PathIsInside(d, p) && (k == 0 || p != d || glob)) return true;
      }
    }
  }
  return false;
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

PermissionDecision PermissionEngine::CheckCommand(std::string_view tool_name, bool read_only,
                                                  bool edits_files,
                                                  const PermissionSubject& subject) const {
  const std::string what = Describe(tool_name, subject);
  const bool dont_ask = mode_ == PermissionMode::kDontAsk;
  const bool bypass = mode_ == PermissionMode::kBypassPermissions;
  auto ask_or_deny = [&](std::string reason, std::string rule) {
    if (dont_ask) {
      return PermissionDecision{PermissionBehavior::kDeny, reason + " (denied: dontAsk mode is on)",
                                std::move(rule)};
    }
    return PermissionDecision{PermissionBehavior::kAsk, std::move(reason), std::move(rule)};
  };
  auto denied_by = [&](const Rule* r) {
    return PermissionDecision{PermissionBehavior::kDeny,
                              what + " denied by rule " + r->spec.rule + RuleOrigin(*r),
                              r->spec.rule};
  };

  // 1. Deny rules on the command and its parts.
  if (const Rule* r = FindRule(List::kDeny, tool_name, read_only, edits_files, subject)) {
    return denied_by(r);
  }
  // The files its parts read and write, resolved against the working directory and every
  // directory a `cd` in the command may move to.
  ShellParse parse = ParseShell(subject.value);
  std::vector<std::string> bases = {cwd_};
  std::vector<CommandFiles> files;
  bool all_read_only = !parse.opaque;
  for (const ShellCommand& c : parse.commands) {
    files.push_back(ClassifyCommand(c));
    const CommandFiles& f = files.back();
    if (f.is_cd && f.read_only) {
      std::string target = f.cd_target.empty() ? home_ : NormalizePath(f.cd_target, cwd_, home_);
      if (target != cwd_) bases.push_back(target);
    }
    // Wrappers and literal scripts run read-only commands read-only; xargs gives them arguments
    // nobody has seen.
    if (!f.read_only && !c.transparent) all_read_only = false;
    if (c.parent >= 0 && parse.commands[static_cast<size_t>(c.parent)].base_name == "xargs") {
      all_read_only = false;
    }
  }
  bool any_cd = bases.size() > 1;
  const Rule* read_ask = nullptr;
  const Rule* write_ask = nullptr;
  std::string unsafe;  // why a read or write needs approval whatever the rules and the mode say
  std::string unsafe_unless_bypass;  // the same, except in bypassPermissions mode
  bool critical = false;
  bool reads_outside = false;
  for (size_t k = 0; k < parse.commands.size(); ++k) {
    const CommandFiles& f = files[k];
    const ShellCommand& c = parse.commands[k];
    for (const std::string& base : bases) {
      for (const std::string& r : f.reads) {
        std::string abs = NormalizePath(r, base, home_);
        FileVerdict v = CheckFile(abs, false);
        if (v.deny != nullptr) return denied_by(v.deny);
        if (v.ask != nullptr && read_ask == nullptr) read_ask = v.ask;
        if (!InsideWorkingDirs(abs) && v.allow == nullptr) reads_outside = true;
        // A directory tree that holds a file a Read rule hides.
        if (f.recursive || f.has_glob) {
          for (const Rule& rule : deny_) {
            if (rule.parsed.tool == "Read" && rule.parsed.has_specifier && unsafe.empty()) {
              unsafe =
                  "it searches " + abs + ", where Read rule " + rule.spec.rule + " hides files";
            }
          }
          for (const Rule& rule : ask_) {
            if (rule.parsed.tool == "Read" && rule.parsed.has_specifier && unsafe.empty()) {
              unsafe =
                  "it searches " + abs + ", where Read rule " + rule.spec.rule + " asks for files";
            }
          }
        }
      }
      for (const std::string& e : f.edits) {
        std::string abs = NormalizePath(e, base, home_);
        FileVerdict v = CheckFile(abs, true);
        if (v.deny != nullptr) return denied_by(v.deny);
        if (v.ask != nullptr && write_ask == nullptr) write_ask = v.ask;
        if (IsProtectedPath(abs) && unsafe.empty()) {
          unsafe = "it changes the protected path " + abs;
        }
      }
      for (const std::string& wr : f.writes) {
        if (StartsWith(wr, "~/") && wr.find_first_of("*?[$`{") == std::string::npos) {
          // `> ~/file`: Claude Code asks for any target starting with `~`.
          std::string abs = NormalizePath(wr, base, home_);
          FileVerdict v = CheckFile(abs, true);
          if (v.deny != nullptr) return denied_by(v.deny);
          if (IsProtectedPath(abs) && unsafe.empty()) {
            unsafe = "it writes to the protected path " + abs;
          }
          if (unsafe_unless_bypass.empty()) unsafe_unless_bypass = "it writes to " + wr;
          continue;
        }
        if (f.writes_unknown || wr.empty() || wr[0] == '~' ||
            wr.find_first_of("*?[$`") != std::string::npos) {
          if (!bypass && unsafe.empty()) {
            unsafe = "it writes to " + wr + ", which is not known exactly";
          }
          continue;
        }
        std::string abs = NormalizePath(wr, base, home_);
        FileVerdict v = CheckFile(abs, true);
        if (v.deny != nullptr) return denied_by(v.deny);
        if (v.ask != nullptr && write_ask == nullptr) write_ask = v.ask;
        if (IsProtectedPath(abs)) {
          if (unsafe.empty()) unsafe = "it writes to the protected path " + abs;
        } else if (bypass) {
          // bypassPermissions writes anywhere else.
        } else if (v.allow != nullptr) {
          // An Edit allow rule covers the target.
        } else if (!InsideWorkingDirs(abs)) {
          if (unsafe.empty()) unsafe = "it writes to " + abs + ", outside the working directories";
        } else if (mode_ != PermissionMode::kAcceptEdits &&
                   !(subject.sandboxed && sandbox_auto_allow_)) {
          // (The sandbox lets a command write only in the working directories anyway.)
          if (unsafe.empty()) unsafe = "it writes to " + abs;
        }
      }
      if (f.is_removal) {
        for (size_t a = 1; a < c.words.size(); ++a) {
          const std::string& w = c.words[a];
          bool lit = a < c.literal.size() && c.literal[a];
          if (w.empty() || (lit && w[0] == '-')) continue;
          if (IsCriticalRemovalTarget(w, lit, {base})) critical = true;
          if (lit) {
            std::string abs = NormalizePath(w, base, home_);
            FileVerdict v = CheckFile(abs, true);
            if (v.deny != nullptr) return denied_by(v.deny);
          }
        }
      }
    }
    if (f.is_git && any_cd && unsafe_unless_bypass.empty()) {
      unsafe_unless_bypass =
          "it runs git after changing directory (git runs that directory's hooks)";
    }
    if (!f.writes.empty() && any_cd && unsafe_unless_bypass.empty()) {
      unsafe_unless_bypass = "it redirects output after changing directory";
    }
  }
  // 2. Plan mode: only the built-in read-only commands.
  if (mode_ == PermissionMode::kPlan &&
      !(all_read_only && unsafe.empty() && unsafe_unless_bypass.empty() && !reads_outside)) {
    return {PermissionBehavior::kDeny,
            "plan mode is on: " + std::string(tool_name) +
                " may only run read-only commands until the plan is approved and plan mode is "
                "left",
            ""};
  }
  // 3. Ask rules.
  if (const Rule* r = FindRule(List::kAsk, tool_name, read_only, edits_files, subject)) {
    return ask_or_deny(what + " needs approval by rule " + r->spec.rule + RuleOrigin(*r),
                       r->spec.rule);
  }
  if (const Rule* r = read_ask != nullptr ? read_ask : write_ask) {
    return ask_or_deny(what + " needs approval by rule " + r->spec.rule + RuleOrigin(*r),
                       r->spec.rule);
  }
  // 4. Safety checks no mode or rule skips.
  auto safety_ask = [&](std::string reason) {
    PermissionDecision d = ask_or_deny(std::move(reason), "");
    d.rememberable = false;
    return d;
  };
  if (critical) {
    return safety_ask(what +
                      " removes a critical path (the root, a top-level directory, your "
                      "home, or the working directory or its parents) and needs approval");
  }
  if (!unsafe.empty()) return safety_ask(what + " needs approval: " + unsafe);
  if (!bypass && !unsafe_unless_bypass.empty()) {
    return safety_ask(what + " needs approval: " + unsafe_unless_bypass);
  }
  // 5. Allow rules, read-only commands, acceptEdits file commands, the sandbox.
  if (subject.sandboxed && sandbox_auto_allow_) {
    return {PermissionBehavior::kAllow, what + " runs in the sandbox (autoAllowBashIfSandboxed)",
            ""};
  }
  std::string rule;
  {
    if (CommandAllowed(tool_name, read_only, edits_files, subject.value, !reads_outside, &rule)) {
      return {PermissionBehavior::kAllow,
              rule.empty()
                  ? (all_read_only ? what + " is read-only" : what + " allowed by acceptEdits mode")
                  : what + " allowed by rule " + rule,
              rule};
    }
  }
  // 6. The mode's defaults.
  if (bypass) {
    // Deny and ask rules cannot be enforced on a command whose commands are not known.
    if ((!deny_.empty() || !ask_.empty()) && parse.opaque) {
      return ask_or_deny(what + " runs commands that cannot be known before it runs (" +
                             parse.opaque_reasons.front() + ") and needs approval",
                         "");
    }
    return {PermissionBehavior::kAllow, what + " allowed by bypassPermissions mode", ""};
  }
  if (reads_outside) {
    return ask_or_deny(what + " reads outside the working directories and needs approval", "");
  }
  return ask_or_deny(what + " needs approval", "");
}

PermissionDecision PermissionEngine::Check(std::string_view tool_name, bool read_only,
                                           bool edits_files,
                                           const PermissionSubject& in_subject) const {
  if (in_subject.kind == PermissionSubject::Kind::kCommand) {
    return CheckCommand(tool_name, read_only, edits_files, in_subject);
  }
  PermissionSubject subject = in_subject;
  const bool is_path = subject.kind == PermissionSubject::Kind::kPath;
  if (is_path) subject.value = NormalizePath(subject.value, cwd_, home_);
  const std::string what = Describe(tool_name, subject);
  const bool dont_ask = mode_ == PermissionMode::kDontAsk;
  auto ask_or_deny = [&](std::string reason, std::string rule) {
    if (dont_ask) {
      return PermissionDecision{PermissionBehavior::kDeny, reason + " (denied: dontAsk mode is on)",
                                std::move(rule)};
    }
    return PermissionDecision{PermissionBehavior::kAsk, std::move(reason), std::move(rule)};
  };

  // 1. Deny rules (a path through its symlink target too; a Read deny covers edits).
  const Rule* deny =
      is_path ? FindPathRule(List::kDeny, tool_name, read_only, edits_files, subject.value)
              : FindRule(List::kDeny, tool_name, read_only, edits_files, subject);
  if (deny != nullptr) {
    return {PermissionBehavior::kDeny,
            what + " denied by rule " + deny->spec.rule + RuleOrigin(*deny), deny->spec.rule};
  }
  // 2. Plan mode: nothing that changes anything.
  if (mode_ == PermissionMode::kPlan && !read_only) {
    return {PermissionBehavior::kDeny,
            "plan mode is on: " + std::string(tool_name) +
                " is not allowed until the plan is approved and plan mode is left",
            ""};
  }
  // 3. Ask rules.
  const Rule* ask = is_path
                        ? FindPathRule(List::kAsk, tool_name, read_only, edits_files, subject.value)
                        : FindRule(List::kAsk, tool_name, read_only, edits_files, subject);
  if (ask != nullptr) {
    return ask_or_deny(what + " needs approval by rule " + ask->spec.rule + RuleOrigin(*ask),
                       ask->spec.rule);
  }
  // 4. Protected paths: no mode and no allow rule approves a change.
  if (!read_only && is_path && IsProtectedPath(subject.value)) {
    PermissionDecision d = ask_or_deny(what + " changes a protected path and needs approval", "");
    d.rememberable = false;
    return d;
  }
  // 5. Allow rules (a path and its symlink target must both match).
  const Rule* allow =
      is_path ? FindPathRule(List::kAllow, tool_name, read_only, edits_files, subject.value)
              : FindRule(List::kAllow, tool_name, read_only, edits_files, subject);
  if (allow != nullptr) {
    return {PermissionBehavior::kAllow,
            what + " " + DisplayList("allow") + " by rule " + allow->spec.rule + RuleOrigin(*allow),
            allow->spec.rule};
  }
  // 6. The mode's defaults.
  const bool inside = is_path && InsideWorkingDirs(subject.value);
  if (mode_ == PermissionMode::kBypassPermissions) {
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
    if (mode_ == PermissionMode::kAcceptEdits) {
      return {PermissionBehavior::kAllow, what + " allowed by acceptEdits mode", ""};
    }
  }
  return ask_or_deny(what + " needs approval", "");
}

}  // namespace brock
