// The permission engine: decides, for one tool call, whether it runs (allow), needs the user's
// approval (ask) or is refused (deny), the way Claude Code does. Inputs are the permission rules
// from every settings file and the command line, the permission mode, and the working
// directories. The engine never prompts: the agent turns kAsk into a prompt (interactive) or a
// refusal (print mode). The behaviour users rely on is written down in docs/permissions.md.
//
// Order of evaluation for one call:
//   1. deny rules          (any match denies; Bash: the whole command or any part of it, and
//                           Read/Edit deny rules on the files its parts read or write; a Read
//                           deny also covers edits; a path matches through its symlinks too)
//   2. plan mode           (tools that are not read-only, and Bash commands that are not all
//                           built-in read-only commands, are denied)
//   3. ask rules           (any match asks)
//   4. safety checks       (writes to protected paths, `rm` of critical paths, Bash writes
//                           outside what the mode allows: ask, even in bypassPermissions)
//   5. allow rules         (Bash: every part of a compound command must be allowed, by a rule,
//                           by being a built-in read-only command, or by acceptEdits; a path
//                           rule must match the path and its resolved target)
//   6. the mode's defaults (reads inside the working directories are allowed; acceptEdits also
//                           allows edits there; bypassPermissions allows everything else;
//                           anything left asks)
//   7. dontAsk mode turns every remaining ask into a deny.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/permission_rule.h"
#include "agent/shell_parser.h"
#include "agent/tool.h"
#include "base/error.h"

namespace brock {

// One rule as the settings layer (or the command line) gives it.
struct PermissionRuleSpec {
  std::string rule;      // "Bash(npm run test:*)"
  std::string list;      // "allow" | "ask" | "deny"
  std::string source;    // where it was written: a settings file path, "--allowedTools", ...
  std::string root_dir;  // the directory `/path` patterns are relative to
};

enum class PermissionBehavior { kAllow, kAsk, kDeny };

struct PermissionDecision {
  PermissionBehavior behavior = PermissionBehavior::kAsk;
  // One line for the user and the model: "denied by rule Bash(rm:*) in /p/.claude/settings.json",
  // "plan mode is on: Edit is not allowed until you leave plan mode", "Bash(make) needs approval".
  std::string reason;
  // The rule that decided, as written; empty when the mode's default decided.
  std::string rule;
  // False for an ask that a safety check made (a protected path, a critical-path removal, a
  // write the mode does not cover): an "always" answer must not be remembered for it.
  bool rememberable = true;
};

// The permission modes, as written in settings (`permissions.defaultMode`) and
// `--permission-mode`: "default", "acceptEdits", "plan", "bypassPermissions", "dontAsk".
enum class PermissionMode { kDefault, kAcceptEdits, kPlan, kBypassPermissions, kDontAsk };
inline constexpr PermissionMode kPermissionModes[] = {
    PermissionMode::kDefault, PermissionMode::kAcceptEdits, PermissionMode::kPlan,
    PermissionMode::kBypassPermissions, PermissionMode::kDontAsk};

// The mode named by `text` ("manual" is accepted as an alias of "default"; surrounding blanks are
// ignored). Error "permissions.bad_mode" lists the valid names.
Result<PermissionMode> ParsePermissionMode(std::string_view text);
// The mode's name as settings and Claude Code write it ("acceptEdits").
std::string_view PermissionModeName(PermissionMode mode);

class PermissionEngine {
 public:
  // `extra_dirs` are --add-dir and
  // permissions.additionalDirectories; relative ones resolve against `cwd`, `~/` against `home`.
  // Rules that do not parse and lists other than allow/ask/deny are skipped and reported by
  // warnings().
  PermissionEngine(std::vector<PermissionRuleSpec> rules, PermissionMode mode, std::string cwd,
                   std::vector<std::string> extra_dirs, std::string home);

  // The decision for calling `tool` with an input whose rule subject is `subject`.
  PermissionDecision Check(const Tool& tool, const PermissionSubject& subject) const;
  // The same without a Tool object: the tool's name, Tool::read_only() and Tool::edits_files().
  PermissionDecision Check(std::string_view tool_name, bool read_only, bool edits_files,
                           const PermissionSubject& subject) const;

  // True when a deny rule names the tool without a specifier (`Bash`, `mcp__github`): such a tool
  // is not offered to the model at all.
  // `edits_files` (Tool::edits_files()) makes a bare `Edit` deny rule hide Write and MultiEdit too.
  bool IsToolDenied(std::string_view tool_name, bool edits_files = false) const;
  bool IsToolDenied(const Tool& tool) const {
    return IsToolDenied(tool.name(), tool.edits_files());
  }

  // Replaces how paths are resolved through symlinks and whether their file system folds case
  // (agent/path_resolve.h by default). Tests of pure rules may pass identity functions.
  void SetFileSystem(std::function<std::string(const std::string&)> resolve,
                     std::function<bool(const std::string&)> folds_case);

  // True when Read rules let a search tool (Grep, Glob, LS) show `abs_path` (a file it found):
  // no Read deny or ask rule matches the path or its resolved target. Used to filter results.
  bool ReadableInResults(const std::string& abs_path) const;
  // What Grep, Glob and LS may show of `abs_path`, found under the search root `root`: readable
  // by the Read rules, and, when the root is inside the working directories, inside them too
  // (through symlinks), so a search never walks out of them without asking.
  bool ShowInResults(const std::string& abs_path, const std::string& root) const;

  // True when `abs_path` is one of the protected paths (`.git`, `.claude`, `.vscode`, shell rc
  // files...: docs/permissions.md), by name anywhere in the path or through its symlink target.
  bool IsProtectedPath(std::string_view abs_path) const;

  // True when acceptEdits mode would allow editing `abs_path`: inside the working directories
  // (through symlinks) and not a protected path. The scope of an "always" answer for edits.
  bool WithinEditScope(const std::string& abs_path) const;

  // sandbox.autoAllowBashIfSandboxed: a Bash command that runs in the sandbox
  // (PermissionSubject::sandboxed) is allowed once deny rules, ask rules and the safety checks
  // have passed. Plan mode still allows only read-only commands.
  void SetSandboxAutoAllow(bool on) { sandbox_auto_allow_ = on; }

  PermissionMode mode() const { return mode_; }
  // Switches the mode (the Agent SDK's set_permission_mode); only between turns, while no tool
  // call is being checked.
  void set_mode(PermissionMode mode) { mode_ = mode; }
  // Normalized absolute working directories: cwd first, then the extra directories.
  const std::vector<std::string>& working_dirs() const { return working_dirs_; }
  // One line per skipped rule ("ignoring permission rule \"Bash(\" in /p/...: ...").
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  struct Rule {
    PermissionRuleSpec spec;
    ParsedRule parsed;
  };
  enum class List { kAllow, kAsk, kDeny };

  // What the rules say about one file a Bash command reads or writes.
  struct FileVerdict {
    const Rule* deny = nullptr;
    const Rule* ask = nullptr;
    const Rule* allow = nullptr;
  };
  FileVerdict CheckFile(const std::string& abs_path, bool write) const;
  // A path-rule match on `abs_path` and its symlink target: any of them (deny, ask) or all of
  // them (allow).
  const Rule* FindPathRule(List list, std::string_view tool_name, bool read_only, bool edits_files,
                           const std::string& abs_path) const;
  std::vector<std::string> Spellings(const std::string& abs_path) const;
  PermissionDecision CheckCommand(std::string_view tool_name, bool read_only, bool edits_files,
                                  const PermissionSubject& subject) const;
  bool IsCriticalRemovalTarget(const std::string& word, bool literal,
                               const std::vector<std::string>& bases) const;

  // True when `rule` applies to this call. For Bash, `command` is one simple command.
  bool RuleMatches(const Rule& rule, std::string_view tool_name, bool read_only, bool edits_files,
                   const PermissionSubject& subject) const;
  // The first rule of `list` that matches, or nullptr. For command subjects, deny and ask rules
  // are tried on the whole command and on each part (with wrappers stripped).
  const Rule* FindRule(List list, std::string_view tool_name, bool read_only, bool edits_files,
                       const PermissionSubject& subject) const;
  // Allow-rule check for a command: every part allowed by a rule (or, in acceptEdits, a file
  // command inside the working directories). Sets *rule to the last rule used.
  // `readonly_ok`: built-in read-only commands count as allowed (their files are inside).
  bool CommandAllowed(std::string_view tool_name, bool read_only, bool edits_files,
                      const std::string& command, bool readonly_ok, std::string* rule) const;
  bool InsideWorkingDirs(std::string_view abs_path) const;
  bool IsProtectedSpelling(std::string_view abs_path) const;
  bool IsAcceptEditsFileCommand(const ShellCommand& command) const;
  std::string Describe(std::string_view tool_name, const PermissionSubject& subject) const;
  static std::string RuleOrigin(const Rule& rule);

  std::vector<Rule> allow_, ask_, deny_;
  PermissionMode mode_;
  std::string cwd_;
  std::string home_;
  std::vector<std::string> working_dirs_;
  std::vector<std::string> warnings_;
  std::function<std::string(const std::string&)> resolve_;
  std::function<bool(const std::string&)> folds_case_;
  bool sandbox_auto_allow_ = false;
};

}  // namespace brock
