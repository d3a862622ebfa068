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
    GlobPattern glob;
    bool negated = false;
    bool dir_only = false;
    bool basename_only = false;  // no '/' in the pattern: match the last path component
  };
  std::vector<Rule> rules_;
  int whitelists_ = 0;
};

}  // namespace brock
