// The permission engine: decides, for one tool call, whether it runs (allow), needs the user's
// approval (ask) or is refused (deny), the way Claude Code does. Inputs are the permission rules
// from every settings file and the command line, the permission mode, and the working
// directories. The engine never prompts: the agent turns kAsk into a prompt (interactive) or a
// refusal (print mode). The behaviour users rely on is written down in docs/permissions.md.
//
// Order of evaluation for one call:
//   1. deny rules          (any match denies; Bash: the whole command or any part of it)
//   2. plan mode           (tools that are not read-only are denied)
//   3. ask rules           (any match asks)
//   4. allow rules         (Bash: every part of a compound command must be allowed)
//   5. the mode's defaults (reads inside the working directories are allowed; acceptEdits also
//                           allows edits there; bypassPermissions allows everything else;
//                           anything left asks)
//   6. dontAsk mode turns every remaining ask into a deny.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/permission_rule.h"
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

  // True when `rule` applies to this call. For Bash, `command` is one simple command.
  bool RuleMatches(const Rule& rule, std::string_view tool_name, bool read_only, bool edits_files,
                   const PermissionSubject& subject) const;
  // The first rule of `list` that matches, or nullptr. For command subjects, deny and ask rules
  // are tried on the whole command and on each part (with wrappers stripped).
  const Rule* FindRule(List list, std::string_view tool_name, bool read_only, bool edits_files,
                       const PermissionSubject& subject) const;
  // Allow-rule check for a command: every part allowed by a rule (or, in acceptEdits, a file
  // command inside the working directories). Sets *rule to the last rule used.
  bool CommandAllowed(std::string_view tool_name, bool read_only, bool edits_files,
                      const std::string& command, std::string* rule) const;
  bool InsideWorkingDirs(std::string_view abs_path) const;
  bool IsProtectedPath(std::string_view abs_path) const;
  bool IsAcceptEditsFileCommand(const std::string& part) const;
  std::string Describe(std::string_view tool_name, const PermissionSubject& subject) const;
  static std::string RuleOrigin(const Rule& rule);

  std::vector<Rule> allow_, ask_, deny_;
  PermissionMode mode_;
  std::string cwd_;
  std::string home_;
  std::vector<std::string> working_dirs_;
  std::vector<std::string> warnings_;
};

}  // namespace brock
