#include "agent/gitignore.h"

namespace brock {

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
    if (!line.empty() && line.back() == '/') {
      rule.dir_only = true;
      line.remove_suffix(1);
    }
    if (line.empty()) continue;
    std::string pattern(line);
    if (pattern.find('/') == std::string::npos) {
      rule.basename_only = true;
    } else if (pattern[0] == '/') {
      pattern.erase(0, 1);
    }
    auto glob = GlobPattern::Compile(pattern, GlobOptions{case_insensitive});
    if (!glob.ok()) continue;
    rule.glob = std::move(glob.value());
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
  std::string_view base =
      slash == std::string_view::npos ? rel_path : rel_path.substr(slash + 1);
  for (size_t i = rules_.size(); i-- > 0;) {
    const Rule& r = rules_[i];
    if (r.dir_only && !is_dir) continue;
    if (r.glob.Matches(r.basename_only ? base : rel_path)) {
      return r.negated ? IgnoreMatch::kWhitelist : IgnoreMatch::kIgnore;
    }
  }
  return IgnoreMatch::kNone;
}

}  // namespace brock
