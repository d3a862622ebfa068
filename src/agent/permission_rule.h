// One permission rule (`Bash(npm run test:*)`, `Read(./secrets/**)`, `mcp__github`) parsed, and
// the matchers behind it: shell command patterns and gitignore-style path patterns. The engine
// that combines rules with modes is agent/permissions.h; the rule syntax is in
// docs/permissions.md.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace brock {

// `Tool` or `Tool(specifier)`. `Bash(*)` and `Bash()` mean the same as `Bash`.
struct ParsedRule {
  std::string tool;       // "Bash", "Read", "mcp__github", "mcp__github__get_*", "Web*"
  std::string specifier;  // text inside the parentheses; empty when the rule names the tool only
  bool has_specifier = false;
};

// Parses a rule. Errors (code "permissions.bad_rule") name the rule: empty text, a missing `)`,
// text after `)`, a tool name with characters other than letters, digits, `_`, `-` and `*`.
Result<ParsedRule> ParsePermissionRule(std::string_view text);

// True when the tool-name part of a rule names `tool_name`: equal, an `mcp__server` rule for
// any `mcp__server__*` tool, or a `*` wildcard in the rule's name (`mcp__github__get_*`).
bool RuleToolNameMatches(std::string_view rule_tool, std::string_view tool_name);

// Matches one simple shell command against a Bash rule specifier:
//   `npm run build`      exact (surrounding whitespace ignored)
//   `npm run test:*`     prefix: the command starts with `npm run test` at a word boundary (the
//                        next character is not a letter, digit or `_`); `curl http://x/:*`
//                        matches `curl http://x/a`
//   `git * main`, `ls *` `*` matches any text (spaces included); `\*` is a literal star. A
//                        trailing ` *` also matches nothing, so `ls *` matches `ls` and `ls -la`
//                        but not `lsof`.
//   `*` or empty         every command
bool MatchShellRule(std::string_view specifier, std::string_view command);

// Where a path specifier is anchored.
struct PathPattern {
  std::string base;     // absolute directory the pattern is relative to
  std::string pattern;  // gitignore pattern relative to base; anchored when it contains '/'
};

// Resolves a Read/Edit specifier:
//   `//abs/path`  -> base "/", pattern "/abs/path"
//   `~/path`      -> base home, anchored
//   `/path`       -> base root_dir (the settings file's root), anchored
//   `./path`, `../path` -> base cwd (or its parent), anchored
//   `path`        -> base cwd, gitignore rules: anchored if it contains '/', else it matches a
//                    name at any depth under cwd (`*.env`, `secrets`)
PathPattern ResolvePathPattern(std::string_view specifier, std::string_view root_dir,
                               std::string_view cwd, std::string_view home);

// Gitignore matching of `rel_path` (relative to the pattern's base, '/'-separated, no leading
// '/') against `pattern`: `*` and `?` do not cross '/', `**` spans directories (`**/x`, `x/**`,
// `a/**/b`), `[a-z]` / `[!x]` classes, `\` escapes. A pattern without '/' (other than a trailing
// one) matches the last component at any depth. A pattern also matches everything under a
// directory it matches (`secrets` matches `secrets/key.pem`). The matcher is
// agent/gitignore.h's GitignorePattern (the one Glob and Grep use for ignore files), with git's
// syntax: `{a,b}` is literal (no alternatives), and so is an unclosed `[`.
bool GitignoreMatch(std::string_view pattern, std::string_view rel_path);

// True when absolute `path` matches a Read/Edit specifier resolved with ResolvePathPattern.
bool MatchPathRule(std::string_view specifier, std::string_view path, std::string_view root_dir,
                   std::string_view cwd, std::string_view home);

// `path` made absolute against `cwd` (`~/` expands to `home`), with `.`, `..` and repeated
// slashes removed. No symlinks are resolved.
std::string NormalizePath(std::string_view path, std::string_view cwd, std::string_view home);

// True when `path` is `dir` or inside it (both normalized absolute paths).
bool PathIsInside(std::string_view path, std::string_view dir);

// Matches `text` against a pattern where `*` matches any run of characters (used for tool names
// and WebFetch domains).
bool WildcardMatch(std::string_view pattern, std::string_view text);

}  // namespace brock
