#include "agent/gitignore.h"

namespace brock {

namespace {

// `pattern` with every '[' that has no closing ']' escaped, so it reads as a literal.
std::string EscapeUnclosedBrackets(std::string_view pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      out.push_back(c);
      out.push_back(pattern[++i]);
      continue;
    }
    if (c == '[') {
      // Closed when a ']' follows (a ']' right after "[", "[!" or "[^" is a member).
      size_t j = i + 1;
      if (j < pattern.size() && (pattern[j] == '!' || pattern[j] == '^')) ++j;
      if (j < pattern.size() && pattern[j] == ']') ++j;
      bool closed = false;
      for (; j < pattern.size(); ++j) {
        if (pattern[j] == '\\') {
          ++j;
        } else if (pattern[j] == ']') {
          closed = true;
          break;
        }
      }
      if (!closed) out.push_back('\\');
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

Result<GitignorePattern> GitignorePattern::Compile(std::string_view pattern,
                                                   GitignorePatternOptions options) {
  GitignorePattern out;
  std::string_view p = pattern;
  if (!p.empty() && p.back() == '/') {  // one trailing slash, as git reads it
    out.dir_only_ = true;
    p.remove_suffix(1);
  }
  if (p.find('/') == std::string_view::npos) {
    out.basename_only_ = true;
  } else {
    while (!p.empty() && p.front() == '/') p.remove_prefix(1);
  }
  if (p.empty()) {
    return MakeError("glob.empty", "the pattern \"" + std::string(pattern) + "\" names no path",
                     "write a file or directory name or a glob");
  }
  std::string text(p);
  if (options.unclosed_bracket_literal) text = EscapeUnclosedBrackets(text);
  GlobOptions glob_options;
  glob_options.case_insensitive = options.case_insensitive;
  glob_options.braces = options.braces;
  auto glob = GlobPattern::Compile(text, glob_options);
  if (!glob.ok()) return glob.error();
  out.glob_ = std::move(glob.value());
  return out;
}

bool GitignorePattern::Matches(std::string_view rel_path) const {
  if (basename_only_) {
    size_t slash = rel_path.rfind('/');
    if (slash != std::string_view::npos) rel_path.remove_prefix(slash + 1);
  }
  return glob_.Matches(rel_path);
}

bool GitignorePattern::MatchesPathOrParent(std::string_view rel_path) const {
  std::string_view t = rel_path;
  while (!t.empty()) {
    if (Matches(t)) return true;
    size_t slash = t.rfind('/');
    if (slash == std::string_view::npos) break;
    t = t.substr(0, slash);
  }
  return false;
}

IgnoreRules IgnoreRules::Parse(std::string_view text, bool case_insensitive) {
  IgnoreRules rules;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    // Trailing spaces are dropped unless escaped with a backslash.
    while (!line.empty() && line.back() == ' ') {
      size_t n = line.size();
      size_t backslashes = 0;
      while (backslashes + 1 < n && line[n - 2 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 1) break;
      line.remove_suffix(1);
    }
    if (line.empty()) continue;
    Rule rule;
    if (line[0] == '!') {
      rule.negated = true;
      line.remove_prefix(1);
    } else if (line.size() >= 2 && line[0] == '\\' && (line[1] == '!' || line[1] == '#')) {
      line.remove_prefix(1);
    }
    GitignorePatternOptions options;
    options.case_insensitive = case_insensitive;
    auto pattern = GitignorePattern::Compile(line, options);
    if (!pattern.ok()) continue;
    rule.pattern = std::move(pattern.value());
    if (rule.negated) ++rules.whitelists_;
    rules.rules_.push_back(std::move(rule));
  }
  return rules;
}

void IgnoreRules::Append(const IgnoreRules& other) {
  rules_.insert(rules_.end(), other.rules_.begin(), other.rules_.end());
  whitelists_ += other.whitelists_;
}

IgnoreMatch IgnoreRules::Match(std::string_view rel_path, bool is_dir) const {
  if (rules_.empty()) return IgnoreMatch::kNone;
  size_t slash = rel_path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? rel_path : rel_path.substr(slash + 1);
  for (size_t i = rules_.size(); i-- > 0;) {
    const Rule& r = rules_[i];
    if (r.pattern.dir_only() && !is_dir) continue;
    if (r.pattern.basename_only() ? r.pattern.Matches(base) : r.pattern.Matches(rel_path)) {
      return r.negated ? IgnoreMatch::kWhitelist : IgnoreMatch::kIgnore;
    }
  }
  return IgnoreMatch::kNone;
}

}  // namespace brock
