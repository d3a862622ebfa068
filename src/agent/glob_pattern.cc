#include "agent/glob_pattern.h"

#include <algorithm>

namespace brock {

namespace {

inline unsigned char Fold(unsigned char c, bool fold) {
  return (fold && c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c - 'A' + 'a') : c;
}

// Index just past the ']' closing a class that opens at `open`, or npos.
size_t ClassEnd(std::string_view p, size_t open) {
  size_t i = open + 1;
  if (i < p.size() && (p[i] == '!' || p[i] == '^')) ++i;
  if (i < p.size() && p[i] == ']') ++i;  // a leading ']' is a member
  while (i < p.size()) {
    if (p[i] == '\\' && i + 1 < p.size()) {
      i += 2;
      continue;
    }
    if (p[i] == ']') return i + 1;
    ++i;
  }
  return std::string_view::npos;
}

Status ExpandInto(std::string_view p, size_t limit, std::vector<std::string>* out) {
  // Find the first top-level '{'.
  size_t open = std::string_view::npos;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\') {
      ++i;
    } else if (p[i] == '[') {
      size_t end = ClassEnd(p, i);
      if (end != std::string_view::npos) i = end - 1;
    } else if (p[i] == '{') {
      open = i;
      break;
    }
  }
  if (open == std::string_view::npos) {
    if (out->size() >= limit) {
      return MakeError("glob.invalid", "glob pattern expands to too many alternatives",
                       "use fewer or smaller {a,b} groups");
    }
    out->emplace_back(p);
    return {};
  }
  // Find the matching '}' and the top-level commas.
  std::vector<size_t> commas;
  size_t close = std::string_view::npos;
  int depth = 0;
  for (size_t i = open + 1; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\') {
      ++i;
    } else if (c == '[') {
      size_t end = ClassEnd(p, i);
      if (end != std::string_view::npos) i = end - 1;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (depth == 0) {
        close = i;
        break;
      }
      --depth;
    } else if (c == ',' && depth == 0) {
      commas.push_back(i);
    }
  }
  if (close == std::string_view::npos) {
    return MakeError("glob.invalid", "glob pattern '" + std::string(p) + "' has an unclosed '{'",
                     "close the alternatives with '}' or escape the brace as \\{");
  }
  std::string_view prefix = p.substr(0, open);
  std::string_view suffix = p.substr(close + 1);
  size_t start = open + 1;
  commas.push_back(close);
  for (size_t comma : commas) {
    std::string alt(prefix);
    alt.append(p.substr(start, comma - start));
    alt.append(suffix);
    Status s = ExpandInto(alt, limit, out);
    if (!s.ok()) return s;
    start = comma + 1;
  }
  return {};
}

}  // namespace

Result<std::vector<std::string>> ExpandBraces(std::string_view pattern, size_t limit) {
  std::vector<std::string> out;
  Status s = ExpandInto(pattern, limit, &out);
  if (!s.ok()) return s.error();
  return out;
}

bool GlobPattern::ParseOne(std::string_view p, bool fold, Tokens* out, std::string* error) {
  auto add_literal = [&](char c) {
    if (out->empty() || out->back().op != Op::kLiteral) out->push_back(Token{});
    out->back().text.push_back(static_cast<char>(Fold(static_cast<unsigned char>(c), fold)));
  };
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\') {
      if (i + 1 < p.size()) {
        add_literal(p[++i]);
      } else {
        add_literal('\\');
      }
    } else if (c == '?') {
      out->push_back(Token{Op::kAnyChar, {}, {}, false});
    } else if (c == '*') {
      if (i + 1 < p.size() && p[i + 1] == '*') {
        bool seg_start = i == 0 || p[i - 1] == '/';
        size_t after = i + 2;
        while (after < p.size() && p[after] == '*') ++after;  // "***" acts like "**"
        if (seg_start && after == p.size()) {
          out->push_back(Token{Op::kGlobstarAll, {}, {}, false});
          i = after - 1;
          continue;
        }
        if (seg_start && p[after] == '/') {
          out->push_back(Token{Op::kGlobstarSlash, {}, {}, false});
          i = after;  // consume the '/'
          continue;
        }
        i = after - 1;  // not a whole segment: like '*'
      }
      if (out->empty() || out->back().op != Op::kStar) {
        out->push_back(Token{Op::kStar, {}, {}, false});
      }
    } else if (c == '[') {
      size_t end = ClassEnd(p, i);
      if (end == std::string_view::npos) {
        *error = "glob pattern '" + std::string(p) + "' has an unclosed '['";
        return false;
      }
      Token t;
      t.op = Op::kClass;
      size_t j = i + 1;
      if (p[j] == '!' || p[j] == '^') {
        t.negated = true;
        ++j;
      }
      while (j < end - 1) {
        unsigned char lo;
        if (p[j] == '\\' && j + 1 < end - 1) {
          lo = static_cast<unsigned char>(p[j + 1]);
          j += 2;
        } else {
          lo = static_cast<unsigned char>(p[j]);
          ++j;
        }
        if (j + 1 < end - 1 && p[j] == '-') {
          unsigned char hi;
          if (p[j + 1] == '\\' && j + 2 < end - 1) {
            hi = static_cast<unsigned char>(p[j + 2]);
            j += 3;
          } else {
            hi = static_cast<unsigned char>(p[j + 1]);
            j += 2;
          }
          // A reversed range (`[z-a]`) holds nothing, as in git's wildmatch.
          t.ranges.emplace_back(lo, hi);
        } else {
          t.text.push_back(static_cast<char>(lo));
        }
      }
      out->push_back(std::move(t));
      i = end - 1;
    } else {
      add_literal(c);
    }
  }
  return true;
}

Result<GlobPattern> GlobPattern::Compile(std::string_view pattern, GlobOptions options) {
  GlobPattern g;
  g.pattern_ = std::string(pattern);
  g.fold_ = options.case_insensitive;
  if (options.braces) {
    auto expanded = ExpandBraces(pattern);
    if (!expanded.ok()) return expanded.error();
    g.expanded_ = std::move(expanded.value());
  } else {
    g.expanded_ = {std::string(pattern)};
  }
  for (const std::string& alt : g.expanded_) {
    Tokens tokens;
    std::string error;
    if (!ParseOne(alt, g.fold_, &tokens, &error)) {
      return MakeError("glob.invalid", error, "close the character class with ']' or escape it");
    }
    g.alternatives_.push_back(std::move(tokens));
  }
  return g;
}

bool GlobPattern::ClassMatches(const Token& t, unsigned char c, bool fold) {
  if (c == '/') return false;
  auto in_set = [&](unsigned char ch) {
    if (t.text.find(static_cast<char>(ch)) != std::string::npos) return true;
    for (const auto& [lo, hi] : t.ranges) {
      if (ch >= lo && ch <= hi) return true;
    }
    return false;
  };
  bool hit = in_set(c);
  if (!hit && fold) {
    if (c >= 'a' && c <= 'z')
      hit = in_set(static_cast<unsigned char>(c - 'a' + 'A'));
    else if (c >= 'A' && c <= 'Z')
      hit = in_set(static_cast<unsigned char>(c - 'A' + 'a'));
  }
  return hit != t.negated;
}

bool GlobPattern::MatchFrom(const Tokens& tokens, size_t ti, std::string_view s, size_t si,
                            bool fold) {
  while (ti < tokens.size()) {
    const Token& t = tokens[ti];
    switch (t.op) {
      case Op::kLiteral: {
        if (s.size() - si < t.text.size()) return false;
        for (size_t k = 0; k < t.text.size(); ++k) {
          if (Fold(static_cast<unsigned char>(s[si + k]), fold) !=
              static_cast<unsigned char>(t.text[k])) {
            return false;
          }
        }
        si += t.text.size();
        ++ti;
        break;
      }
      case Op::kAnyChar:
        if (si >= s.size() || s[si] == '/') return false;
        ++si;
        ++ti;
        break;
      case Op::kClass:
        if (si >= s.size() || !ClassMatches(t, static_cast<unsigned char>(s[si]), fold)) {
          return false;
        }
        ++si;
        ++ti;
        break;
      case Op::kStar: {
        size_t seg_end = s.find('/', si);
        if (seg_end == std::string_view::npos) seg_end = s.size();
        if (ti + 1 == tokens.size()) return seg_end == s.size();
        // Fast path: `*` followed by a final literal (e.g. "*.rs").
        const Token& next = tokens[ti + 1];
        if (ti + 2 == tokens.size() && next.op == Op::kLiteral &&
            next.text.find('/') == std::string::npos) {
          if (seg_end != s.size() || s.size() - si < next.text.size()) return false;
          return MatchFrom(tokens, ti + 1, s, s.size() - next.text.size(), fold);
        }
        for (size_t k = si; k <= seg_end; ++k) {
          if (MatchFrom(tokens, ti + 1, s, k, fold)) return true;
        }
        return false;
      }
      case Op::kGlobstarSlash: {
        // Zero or more whole segments: try here, then after each '/'.
        if (MatchFrom(tokens, ti + 1, s, si, fold)) return true;
        for (size_t k = si; k < s.size(); ++k) {
          if (s[k] == '/' && MatchFrom(tokens, ti + 1, s, k + 1, fold)) return true;
        }
        return false;
      }
      case Op::kGlobstarAll: {
        if (ti + 1 == tokens.size()) return true;
        for (size_t k = si; k <= s.size(); ++k) {
          if (MatchFrom(tokens, ti + 1, s, k, fold)) return true;
        }
        return false;
      }
    }
  }
  return si == s.size();
}

bool GlobPattern::Matches(std::string_view path) const {
  for (const Tokens& tokens : alternatives_) {
    if (MatchFrom(tokens, 0, path, 0, fold_)) return true;
  }
  return false;
}

bool GlobPattern::IsLiteral() const {
  return alternatives_.size() == 1 &&
         (alternatives_[0].empty() ||
          (alternatives_[0].size() == 1 && alternatives_[0][0].op == Op::kLiteral));
}

std::string GlobPattern::LiteralDirPrefix() const {
  if (fold_) return "";  // a case-folded prefix may name a differently spelled directory
  std::vector<std::string> common;
  bool first = true;
  for (const std::string& alt : expanded_) {
    // Leading directory segments free of wildcards and escapes.
    std::vector<std::string> segs;
    size_t start = 0;
    while (true) {
      size_t slash = alt.find('/', start);
      if (slash == std::string::npos) break;
      std::string_view seg(alt.data() + start, slash - start);
      if (seg.find_first_of("*?[\\{") != std::string_view::npos) break;
      if (seg.empty() || seg == "." || seg == "..") break;
      segs.emplace_back(seg);
      start = slash + 1;
    }
    if (first) {
      common = std::move(segs);
      first = false;
      continue;
    }
    size_t n = 0;
    while (n < common.size() && n < segs.size() && common[n] == segs[n]) ++n;
    common.resize(n);
  }
  std::string out;
  for (const std::string& seg : common) {
    if (!out.empty()) out.push_back('/');
    out += seg;
  }
  return out;
}

}  // namespace brock
