#include "agent/permission_rule.h"

#include <cctype>
#include <vector>

#include "agent/gitignore.h"
#include "base/strings.h"

namespace brock {
namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

Error BadRule(std::string_view text, std::string why) {
  return MakeError("permissions.bad_rule",
                   "permission rule \"" + std::string(text) + "\" is invalid: " + why,
                   "write rules as Tool or Tool(specifier), e.g. Bash(npm run test:*) or "
                   "Read(./secrets/**)");
}

// Shell wildcard match: '*' is any text, "\*" a literal star, "\\" a literal backslash.
bool ShellWildcard(std::string_view p, std::string_view t) {
  // Iterative glob with backtracking over the last star.
  size_t pi = 0, ti = 0, star_p = std::string_view::npos, star_t = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star_p = pi++;
      star_t = ti;
      continue;
    }
    if (pi < p.size()) {
      char want = p[pi];
      size_t step = 1;
      if (want == '\\' && pi + 1 < p.size() && (p[pi + 1] == '*' || p[pi + 1] == '\\')) {
        want = p[pi + 1];
        step = 2;
      }
      if (want == t[ti]) {
        pi += step;
        ++ti;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    pi = star_p + 1;
    ti = ++star_t;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

size_t CountUnescapedStars(std::string_view p) {
  size_t n = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\') {
      ++i;
    } else if (p[i] == '*') {
      ++n;
    }
  }
  return n;
}

}  // namespace

Result<ParsedRule> ParsePermissionRule(std::string_view text) {
  std::string_view s = Trim(text);
  if (s.empty()) return BadRule(text, "it is empty");
  ParsedRule rule;
  size_t open = s.find('(');
  std::string_view name = open == std::string_view::npos ? s : s.substr(0, open);
  name = Trim(name);
  if (name.empty()) return BadRule(text, "it has no tool name");
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '*')) {
      return BadRule(
          text, "the tool name \"" + std::string(name) + "\" has a '" + std::string(1, c) + "'");
    }
  }
  rule.tool = std::string(name);
  if (open == std::string_view::npos) return rule;
  if (s.back() != ')') return BadRule(text, "it has no closing ')'");
  std::string_view spec = s.substr(open + 1, s.size() - open - 2);
  spec = Trim(spec);
  if (!spec.empty() && spec != "*") {
    rule.specifier = std::string(spec);
    rule.has_specifier = true;
  }
  return rule;
}

bool RuleToolNameMatches(std::string_view rule_tool, std::string_view tool_name) {
  if (rule_tool == tool_name) return true;
  if (StartsWith(rule_tool, "mcp__") && rule_tool.find("__", 5) == std::string_view::npos &&
      StartsWith(tool_name, std::string(rule_tool) + "__")) {
    return true;  // mcp__server covers every tool of that server
  }
  if (rule_tool.find('*') != std::string_view::npos) return WildcardMatch(rule_tool, tool_name);
  return false;
}

bool MatchShellRule(std::string_view specifier, std::string_view command) {
  std::string_view spec = Trim(specifier);
  std::string_view cmd = Trim(command);
  if (spec.empty() || spec == "*") return true;
  if (EndsWith(spec, ":*") && CountUnescapedStars(spec.substr(0, spec.size() - 2)) == 0) {
    std::string_view prefix = Trim(spec.substr(0, spec.size() - 2));
    if (!StartsWith(cmd, prefix)) return false;
    if (cmd.size() == prefix.size() || prefix.empty()) return true;
    return !(IsWordChar(prefix.back()) && IsWordChar(cmd[prefix.size()]));
  }
  size_t stars = CountUnescapedStars(spec);
  if (stars == 0) {
    // Exact; unescape "\*" / "\\" for symmetry with wildcard rules.
    return ShellWildcard(spec, cmd);
  }
  if (ShellWildcard(spec, cmd)) return true;
  if (EndsWith(spec, " *") && stars == 1) {
    // "ls *" also matches a bare "ls".
    return ShellWildcard(Trim(spec.substr(0, spec.size() - 2)), cmd);
  }
  return false;
}

std::string NormalizePath(std::string_view path, std::string_view cwd, std::string_view home) {
  std::string full;
  if (path == "~" || StartsWith(path, "~/")) {
    full = std::string(home) + "/" + std::string(path.substr(path.size() > 1 ? 2 : 1));
  } else if (!path.empty() && path[0] == '/') {
    full = std::string(path);
  } else {
    full = std::string(cwd) + "/" + std::string(path);
  }
  std::vector<std::string> parts;
  for (const std::string& piece : Split(full, '/')) {
    if (piece.empty() || piece == ".") continue;
    if (piece == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(piece);
  }
  return "/" + Join(parts, "/");
}

bool PathIsInside(std::string_view path, std::string_view dir) {
  if (dir == "/") return !path.empty() && path[0] == '/';
  if (!StartsWith(path, dir)) return false;
  return path.size() == dir.size() || path[dir.size()] == '/';
}

PathPattern ResolvePathPattern(std::string_view specifier, std::string_view root_dir,
                               std::string_view cwd, std::string_view home) {
  std::string_view s = Trim(specifier);
  PathPattern out;
  if (StartsWith(s, "//")) {
    out.base = "/";
    out.pattern = std::string(s.substr(1));
  } else if (s == "~" || StartsWith(s, "~/")) {
    out.base = NormalizePath(home, "/", home);
    out.pattern = s.size() > 1 ? "/" + std::string(s.substr(2)) : "/**";
  } else if (StartsWith(s, "/")) {
    out.base = NormalizePath(root_dir, cwd, home);
    out.pattern = std::string(s);
  } else if (s == "." || s == ".." || StartsWith(s, "./") || StartsWith(s, "../")) {
    std::string base = NormalizePath(cwd, "/", home);
    while (true) {
      if (StartsWith(s, "./")) {
        s.remove_prefix(2);
      } else if (StartsWith(s, "../")) {
        base = NormalizePath(base + "/..", "/", home);
        s.remove_prefix(3);
      } else if (s == ".") {
        s = "";
      } else if (s == "..") {
        base = NormalizePath(base + "/..", "/", home);
        s = "";
      } else {
        break;
      }
    }
    out.base = base;
    out.pattern = s.empty() ? "/**" : "/" + std::string(s);
  } else {
    out.base = NormalizePath(cwd, "/", home);
    out.pattern = std::string(s);
  }
  return out;
}

bool GitignoreMatch(std::string_view pattern, std::string_view rel_path) {
  // Git's wildmatch has no {a,b} alternatives; an unclosed '[' stays a literal character.
  GitignorePatternOptions options;
  options.braces = false;
  options.unclosed_bracket_literal = true;
  auto compiled = GitignorePattern::Compile(pattern, options);
  return compiled.ok() && compiled->MatchesPathOrParent(rel_path);
}

bool MatchPathRule(std::string_view specifier, std::string_view path, std::string_view root_dir,
                   std::string_view cwd, std::string_view home) {
  PathPattern pp = ResolvePathPattern(specifier, root_dir, cwd, home);
  std::string abs = NormalizePath(path, cwd, home);
  if (!PathIsInside(abs, pp.base)) return false;
  std::string_view rel = abs;
  rel.remove_prefix(pp.base == "/" ? 1 : pp.base.size());
  if (!rel.empty() && rel[0] == '/') rel.remove_prefix(1);
  if (rel.empty()) return false;
  return GitignoreMatch(pp.pattern, rel);
}

bool WildcardMatch(std::string_view pattern, std::string_view text) {
  // '*' only; no escapes.
  size_t pi = 0, ti = 0, star_p = std::string_view::npos, star_t = 0;
  while (ti < text.size()) {
    if (pi < pattern.size() && pattern[pi] == '*') {
      star_p = pi++;
      star_t = ti;
    } else if (pi < pattern.size() && pattern[pi] == text[ti]) {
      ++pi;
      ++ti;
    } else if (star_p != std::string_view::npos) {
      pi = star_p + 1;
      ti = ++star_t;
    } else {
      return false;
    }
  }
  while (pi < pattern.size() && pattern[pi] == '*') ++pi;
  return pi == pattern.size();
}

}  // namespace brock
