// The search engine behind the Grep tool: ripgrep-compatible regex matching over whole file
// buffers (RE2, never line by line), ripgrep's output lines, and a small thread pool.
//
// Line semantics are ripgrep's: without `multiline` a match never spans a newline and `^`/`$`
// match at line boundaries; with `multiline` (rg -U --multiline-dotall) `.` also matches '\n'
// and a match may cover several lines, which are reported together.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace re2 {
class RE2;
}

namespace brock {

// Rewrites ripgrep (Rust regex) syntax to RE2's where they differ: `\d`, `\w`, `\s` and their
// negations become Unicode-aware classes as in Rust, `(?<name>` becomes `(?P<name>`.
std::string RustRegexToRe2(std::string_view pattern);

class GrepMatcher {
 public:
  // Compiles `pattern` (ripgrep regex syntax). Fails with code "grep.bad_regex" and RE2's
  // explanation when it does not compile.
  static Result<GrepMatcher> Compile(std::string_view pattern, bool case_insensitive,
                                     bool multiline);
  GrepMatcher(GrepMatcher&&) noexcept;
  GrepMatcher& operator=(GrepMatcher&&) noexcept;
  ~GrepMatcher();

  // An independent copy (own RE2 object, so threads do not share a DFA cache lock).
  GrepMatcher Clone() const;

  bool multiline() const { return multiline_; }
  // Non-empty when the pattern is a plain case-sensitive literal (searched with memmem).
  const std::string& literal() const { return literal_; }

  // Finds the first match starting at or after `pos` in `data` (the whole buffer is context for
  // `^`, `$` and `\b`). Returns false when there is none.
  bool Find(std::string_view data, size_t pos, size_t* match_start, size_t* match_end) const;

 private:
  GrepMatcher() = default;
  std::string pattern_;
  bool case_insensitive_ = false;
  bool multiline_ = false;
  std::string literal_;
  std::unique_ptr<re2::RE2> re_;
};

enum class GrepMode { kFilesWithMatches, kContent, kCount };

struct GrepFormat {
  GrepMode mode = GrepMode::kFilesWithMatches;
  bool line_numbers = true;  // content: "path:N:text" instead of "path:text"
  int before = 0;            // content: context lines before each match (-B)
  int after = 0;             // content: context lines after each match (-A)
  size_t max_columns = 500;  // content: longer lines are replaced by a note (0: no limit)
};

struct FileSearchResult {
  uint64_t count = 0;   // matching lines (multiline: groups of lines covered by matches)
  std::string content;  // kContent: the output lines, each ending in '\n'
  bool binary = false;  // the file has a NUL byte
};

// Searches one buffer. `display_path` prefixes each content line. kFilesWithMatches stops at
// the first match (count is then 0 or 1).
FileSearchResult SearchBuffer(std::string_view data, std::string_view display_path,
                              const GrepMatcher& matcher, const GrepFormat& format);

struct SearchFilesOptions {
  int threads = 0;          // 0: one per core (at most 8)
  bool skip_binary = true;  // files with a NUL byte are skipped (rg's default for walked files)
  const std::atomic<bool>* cancel = nullptr;
};

// Reads and searches `paths` in parallel; result i belongs to paths[i] (unreadable files give an
// empty result). A binary file searched anyway (skip_binary false) reports content as ripgrep
// does: "<path>: binary file matches (found "\0" byte around offset N)".
std::vector<FileSearchResult> SearchFiles(const std::vector<std::string>& paths,
                                          const std::vector<std::string>& display_paths,
                                          const GrepMatcher& matcher, const GrepFormat& format,
                                          const SearchFilesOptions& options);

}  // namespace brock
