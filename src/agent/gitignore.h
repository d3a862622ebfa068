// IgnoreRules: one gitignore-format file (.gitignore, .ignore, .rgignore, .git/info/exclude) or a
// list of ripgrep `--glob` overrides, matched the way git and ripgrep do.
//
// Format (gitignore(5)): one pattern per line; blank lines and lines starting with '#' are
// skipped; `\#` and `\!` escape a leading '#' or '!'; trailing spaces are dropped unless escaped;
// a leading '!' re-includes (whitelists) what an earlier pattern excluded; a trailing '/' makes
// the pattern match directories only; a pattern with a '/' anywhere else is anchored to the
// directory of the file (a leading '/' is dropped), otherwise it matches the base name at any
// depth. Glob syntax is agent/glob_pattern.h's. The last matching line decides.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/glob_pattern.h"

namespace brock {

enum class IgnoreMatch { kNone, kIgnore, kWhitelist };

struct GitignorePatternOptions {
  bool case_insensitive = false;  // ASCII case folding
  bool braces = true;             // `{a,b}` alternatives (ripgrep); false: literal (git)
  // An unclosed '[' is a literal character (node-ignore, and brock's permission rules) instead
  // of an error (git never matches such a pattern; ripgrep skips it).
  bool unclosed_bracket_literal = false;
};

// GitignorePattern: the one gitignore-style path matcher, shared by ignore files (IgnoreRules
// below, for Glob/Grep) and Read/Edit permission rules (agent/permission_rule.h). One pattern,
// without the line syntax ('#', '!', trailing spaces are IgnoreRules' business):
//   - a trailing '/' matches directories only (dir_only());
//   - a '/' anywhere else anchors the pattern to the base directory (a leading '/' is dropped);
//     without one the pattern matches the last path component at any depth (`*.env`, `build`);
//   - glob syntax is GlobPattern's: `*` and `?` stay inside a segment, `**` spans segments.
class GitignorePattern {
 public:
  GitignorePattern() = default;

  // Compiles `pattern`. Errors: "glob.invalid" (an unclosed '[' or '{'), or "glob.empty" for a
  // pattern that is empty or only slashes.
  static Result<GitignorePattern> Compile(std::string_view pattern,
                                          GitignorePatternOptions options = {});

  // True when `rel_path` ('/'-separated, relative to the base, no leading '/') itself matches.
  // The dir-only flag is the caller's to check (see dir_only()).
  bool Matches(std::string_view rel_path) const;

  // True when `rel_path` or a directory above it matches (a matched directory covers everything
  // inside it: `secrets` matches `secrets/key.pem`, `build/` matches `build/out.o`). Used where
  // the path is checked alone, without a walker pruning ignored directories.
  bool MatchesPathOrParent(std::string_view rel_path) const;

  bool dir_only() const { return dir_only_; }
  bool basename_only() const { return basename_only_; }

 private:
  GlobPattern glob_;
  bool dir_only_ = false;
  bool basename_only_ = false;
};

class IgnoreRules {
 public:
  IgnoreRules() = default;

  // Parses gitignore-format `text`. Lines whose glob does not compile are skipped (git does the
  // same). `case_insensitive` folds ASCII case.
  static IgnoreRules Parse(std::string_view text, bool case_insensitive = false);

  // Appends the rules of `other` after this one's (so `other` takes precedence).
  void Append(const IgnoreRules& other);

  // How the last matching rule classifies `rel_path` ('/'-separated, relative to the directory
  // the rules belong to); `is_dir` says whether the path is a directory.
  IgnoreMatch Match(std::string_view rel_path, bool is_dir) const;

  bool empty() const { return rules_.empty(); }
  // True when some rule is a whitelist ('!') rule.
  bool has_whitelist() const { return whitelists_ > 0; }
  // True when some rule is a plain (non-'!') rule.
  bool has_ignore_rule() const { return rules_.size() > static_cast<size_t>(whitelists_); }

 private:
  struct Rule {
    GitignorePattern pattern;
    bool negated = false;
  };
  std::vector<Rule> rules_;
  int whitelists_ = 0;
};

}  // namespace brock
