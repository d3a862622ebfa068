// GlobPattern: shell-style glob matching of '/'-separated relative paths, as used by the Glob
// tool, Grep's `glob` filter, ripgrep-style file types and gitignore rules.
//
// Syntax:
//   `*`      any run of characters except '/'
//   `?`      one character except '/'
//   `**`     as a whole path segment: `**/x` matches x in any directory (including none),
//            `x/**` everything inside x, `a/**/b` a/b, a/x/b, a/x/y/b; `**` alone matches all.
//            Elsewhere (`a**b`) it behaves like `*`.
//   `[abc]`, `[a-z]`, `[!a-z]` / `[^a-z]`   one character (never '/') in / not in the set
//   `{a,b}`  alternatives, nestable: `*.{ts,tsx}`, `{src,lib}/**/*.{c,h}`
//   `\x`     the character x literally
// Matching is of the whole path (no implicit basename matching; callers decide that).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace brock {

struct GlobOptions {
  bool case_insensitive = false;  // ASCII case folding of pattern and path
  // `{a,b}` alternatives (ripgrep's globs and ignore files have them; git's and Claude Code's
  // gitignore-style permission rules do not: with false, braces are literal characters).
  bool braces = true;
};

class GlobPattern {
 public:
  GlobPattern() = default;

  // Compiles `pattern`. Fails with code "glob.invalid" for an unclosed '[' or '{', or when brace
  // alternatives expand to more than 4096 patterns.
  static Result<GlobPattern> Compile(std::string_view pattern, GlobOptions options = {});

  // True when all of `path` matches the pattern.
  bool Matches(std::string_view path) const;

  // The pattern as given to Compile.
  const std::string& pattern() const { return pattern_; }

  // True when the pattern has no wildcard at all (after brace expansion: a single literal).
  bool IsLiteral() const;

  // The leading directory segments that contain no wildcard and are the same in every brace
  // alternative ("src/lib/**/*.c" -> "src/lib", "*.c" -> "", "{a,b}/x" -> ""). A walker can
  // start there instead of at the root.
  std::string LiteralDirPrefix() const;

 private:
  enum class Op { kLiteral, kAnyChar, kStar, kGlobstarSlash, kGlobstarAll, kClass };
  struct Token {
    Op op = Op::kLiteral;
    std::string text;  // kLiteral: the characters; kClass: the set members (see ranges)
    std::vector<std::pair<unsigned char, unsigned char>> ranges;  // kClass
    bool negated = false;                                         // kClass
  };
  using Tokens = std::vector<Token>;

  static bool ParseOne(std::string_view pattern, bool fold, Tokens* out, std::string* error);
  static bool MatchFrom(const Tokens& tokens, size_t ti, std::string_view path, size_t pi,
                        bool fold);
  static bool ClassMatches(const Token& token, unsigned char c, bool fold);

  std::string pattern_;
  std::vector<std::string> expanded_;  // brace-expanded alternatives
  std::vector<Tokens> alternatives_;
  bool fold_ = false;
};

// Expands `{a,b}` alternatives (nested allowed, `\{` escapes) into plain patterns. Fails when a
// brace is unclosed or more than `limit` patterns would result.
Result<std::vector<std::string>> ExpandBraces(std::string_view pattern, size_t limit = 4096);

}  // namespace brock
