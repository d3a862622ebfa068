#include "agent/grep_search.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include <re2/re2.h>

#include "base/regular_file.h"

namespace brock {

namespace {

// Rust's Unicode classes, spelled for RE2 (inner parts usable inside a bracket expression).
constexpr std::string_view kWordInner = "\\p{L}\\p{M}\\p{Nd}\\p{Pc}";
constexpr std::string_view kSpaceInner = "\\t-\\r\\x{85}\\p{Z}";

bool IsLiteralPattern(std::string_view p) {
  if (p.empty()) return false;
  for (char c : p) {
    if (std::strchr("\\.+*?()|[]{}^$\n", c) != nullptr) return false;
  }
  return true;
}

// Start of the line containing `pos`.
size_t LineStart(std::string_view data, size_t pos) {
  if (pos == 0) return 0;
  const void* p = ::memrchr(data.data(), '\n', pos);
  return p == nullptr ? 0 : static_cast<size_t>(static_cast<const char*>(p) - data.data()) + 1;
}

// Index of the '\n' ending the line containing `pos`, or data.size().
size_t LineEnd(std::string_view data, size_t pos) {
  if (pos >= data.size()) return data.size();
  const void* p = std::memchr(data.data() + pos, '\n', data.size() - pos);
  return p == nullptr ? data.size()
                      : static_cast<size_t>(static_cast<const char*>(p) - data.data());
}

// Start of the next line after the one starting at `line_start`.
size_t NextLine(std::string_view data, size_t line_start) {
  size_t end = LineEnd(data, line_start);
  return end < data.size() ? end + 1 : data.size();
}

struct Group {
  size_t start;  // first byte of the first line
  size_t end;    // one past the '\n' of the last line (or data.size())
};

// True when a match at `pos` would be on the empty "line" after a final newline (not a line).
bool PastLastLine(std::string_view data, size_t pos) {
  return pos >= data.size() && (data.empty() || data.back() == '\n');
}

// The matching line groups of `data`; stops after `limit` groups.
std::vector<Group> FindGroups(std::string_view data, const GrepMatcher& m, size_t limit) {
  std::vector<Group> groups;
  size_t pos = 0;
  size_t ms, me;
  while (groups.size() < limit && pos <= data.size() && m.Find(data, pos, &ms, &me)) {
    if (PastLastLine(data, ms)) break;
    size_t ls = LineStart(data, ms);
    size_t last = me > ms ? me - 1 : ms;
    size_t le = NextLine(data, LineStart(data, std::min(last, data.size())));
    if (!m.multiline()) le = NextLine(data, ls);
    if (!groups.empty() && ls < groups.back().end) {
      groups.back().end = std::max(groups.back().end, le);
    } else {
      groups.push_back(Group{ls, le});
    }
    if (m.multiline()) {
      pos = me > ms ? me : me + 1;
    } else {
      pos = le;
      if (le >= data.size()) break;
    }
  }
  return groups;
}

size_t CountMatchesIn(std::string_view line, const GrepMatcher& m) {
  size_t n = 0, pos = 0, ms, me;
  while (pos <= line.size() && m.Find(line, pos, &ms, &me)) {
    ++n;
    pos = me > ms ? me : me + 1;
  }
  return n;
}

class Emitter {
 public:
  Emitter(std::string_view data, std::string_view path, const GrepMatcher& m, const GrepFormat& f,
          std::string* out)
      : data_(data), path_(path), m_(m), f_(f), out_(out) {}

  // Emits the line starting at `ls`; returns the start of the next line.
  size_t Line(size_t ls, bool is_match) {
    size_t le = LineEnd(data_, ls);
    char sep = is_match ? ':' : '-';
    out_->append(path_);
    out_->push_back(sep);
    if (f_.line_numbers) {
      out_->append(std::to_string(LineNumber(ls)));
      out_->push_back(sep);
    }
    std::string_view text = data_.substr(ls, le - ls);
    if (f_.max_columns > 0 && text.size() > f_.max_columns) {
      if (is_match) {
        out_->append("[Omitted long line with ");
        out_->append(std::to_string(CountMatchesIn(text, m_)));
        out_->append(" matches]");
      } else {
        out_->append("[Omitted long context line]");
      }
    } else {
      out_->append(text);
    }
    out_->push_back('\n');
    return le < data_.size() ? le + 1 : data_.size();
  }

 private:
  uint64_t LineNumber(size_t ls) {
    // Lines are emitted in increasing order; count newlines since the last one.
    line_no_ += static_cast<uint64_t>(std::count(data_.data() + counted_, data_.data() + ls, '\n'));
    counted_ = ls;
    return line_no_;
  }

  std::string_view data_;
  std::string_view path_;
  const GrepMatcher& m_;
  const GrepFormat& f_;
  std::string* out_;
  size_t counted_ = 0;
  uint64_t line_no_ = 1;
};

void FormatContent(std::string_view data, std::string_view path, const GrepMatcher& m,
                   const GrepFormat& f, const std::vector<Group>& groups, std::string* out) {
  Emitter emit(data, path, m, f, out);
  bool context = f.before > 0 || f.after > 0;
  bool any = false;
  size_t printed_end = 0;
  auto after_context = [&](size_t limit) {
    size_t p = printed_end;
    for (int k = 0; k < f.after && p < limit && !PastLastLine(data, p); ++k) {
      p = emit.Line(p, false);
    }
    printed_end = p;
  };
  for (const Group& g : groups) {
    if (any) after_context(g.start);
    size_t floor = any ? printed_end : 0;
    size_t b = g.start;
    for (int k = 0; k < f.before && b > floor; ++k) b = LineStart(data, b - 1);
    if (any && context && b > printed_end) out->append("--\n");
    for (size_t p = b; p < g.start;) p = emit.Line(p, false);
    for (size_t p = g.start; p < g.end;) p = emit.Line(p, true);
    printed_end = g.end;
    any = true;
  }
  if (any) after_context(data.size());
}

}  // namespace

std::string RustRegexToRe2(std::string_view p) {
  std::string out;
  out.reserve(p.size() + 16);
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      char e = p[i + 1];
      if (e == 'Q') {  // \Q...\E: copy verbatim
        size_t end = p.find("\\E", i + 2);
        size_t stop = end == std::string_view::npos ? p.size() : end + 2;
        out.append(p.substr(i, stop - i));
        i = stop - 1;
        continue;
      }
      ++i;
      if (!in_class) {
        switch (e) {
          case 'd':
            out += "\\p{Nd}";
            continue;
          case 'D':
            out += "\\P{Nd}";
            continue;
          case 'w':
            out += "[";
            out += kWordInner;
            out += "]";
            continue;
          case 'W':
            out += "[^";
            out += kWordInner;
            out += "]";
            continue;
          case 's':
            out += "[";
            out += kSpaceInner;
            out += "]";
            continue;
          case 'S':
            out += "[^";
            out += kSpaceInner;
            out += "]";
            continue;
          default:
            break;
        }
      } else {
        switch (e) {
          case 'd':
            out += "\\p{Nd}";
            continue;
          case 'D':
            out += "\\P{Nd}";
            continue;
          case 'w':
            out += kWordInner;
            continue;
          case 's':
            out += kSpaceInner;
            continue;
          default:
            break;
        }
      }
      out.push_back('\\');
      out.push_back(e);
      continue;
    }
    if (in_class) {
      if (c == '[' && i + 1 < p.size() && p[i + 1] == ':') {  // [:alpha:]
        size_t end = p.find(":]", i + 2);
        if (end != std::string_view::npos) {
          out.append(p.substr(i, end + 2 - i));
          i = end + 1;
          continue;
        }
      }
      if (c == ']') in_class = false;
      out.push_back(c);
      continue;
    }
    if (c == '[') {
      in_class = true;
      out.push_back(c);
      if (i + 1 < p.size() && p[i + 1] == '^') out.push_back(p[++i]);
      if (i + 1 < p.size() && p[i + 1] == ']') out.push_back(p[++i]);  // literal ']'
      continue;
    }
    if (c == '(' && p.substr(i, 3) == "(?<" && i + 3 < p.size() && p[i + 3] != '=' &&
        p[i + 3] != '!') {
      out += "(?P<";
      i += 2;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

GrepMatcher::GrepMatcher(GrepMatcher&&) noexcept = default;
GrepMatcher& GrepMatcher::operator=(GrepMatcher&&) noexcept = default;
GrepMatcher::~GrepMatcher() = default;

Result<GrepMatcher> GrepMatcher::Compile(std::string_view pattern, bool case_insensitive,
                                         bool multiline) {
  GrepMatcher m;
  m.pattern_ = std::string(pattern);
  m.case_insensitive_ = case_insensitive;
  m.multiline_ = multiline;
  if (!case_insensitive && IsLiteralPattern(pattern)) m.literal_ = std::string(pattern);
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_case_sensitive(!case_insensitive);
  opts.set_max_mem(int64_t{256} << 20);
  if (multiline) {
    opts.set_dot_nl(true);
  } else {
    opts.set_never_nl(true);
  }
  std::string translated = "(?m)" + RustRegexToRe2(pattern);
  m.re_ = std::make_unique<RE2>(translated, opts);
  if (!m.re_->ok()) {
    return MakeError("grep.bad_regex",
                     "invalid regex '" + std::string(pattern) + "': " + m.re_->error(),
                     "fix the pattern (ripgrep syntax; escape literal braces and parentheses "
                     "with a backslash)");
  }
  return m;
}

GrepMatcher GrepMatcher::Clone() const {
  auto copy = Compile(pattern_, case_insensitive_, multiline_);
  return std::move(copy.value());  // it compiled once, so it compiles again
}

bool GrepMatcher::Find(std::string_view data, size_t pos, size_t* match_start,
                       size_t* match_end) const {
  if (pos > data.size()) return false;
  if (!literal_.empty()) {
    const void* hit =
        ::memmem(data.data() + pos, data.size() - pos, literal_.data(), literal_.size());
    if (hit == nullptr) return false;
    *match_start = static_cast<size_t>(static_cast<const char*>(hit) - data.data());
    *match_end = *match_start + literal_.size();
    return true;
  }
  re2::StringPiece text(data.data(), data.size());
  re2::StringPiece match;
  if (!re_->Match(text, pos, data.size(), RE2::UNANCHORED, &match, 1)) return false;
  *match_start = static_cast<size_t>(match.data() - data.data());
  *match_end = *match_start + match.size();
  return true;
}

FileSearchResult SearchBuffer(std::string_view data, std::string_view display_path,
                              const GrepMatcher& matcher, const GrepFormat& format) {
  FileSearchResult r;
  size_t limit = format.mode == GrepMode::kFilesWithMatches ? 1 : SIZE_MAX;
  std::vector<Group> groups = FindGroups(data, matcher, limit);
  // Without multiline each group is one matching line; with it, a run of lines that matches
  // cover (ripgrep counts these).
  r.count = groups.size();
  if (format.mode == GrepMode::kContent && !groups.empty()) {
    FormatContent(data, display_path, matcher, format, groups, &r.content);
  }
  return r;
}

namespace {

// A file's bytes: read into a reusable buffer, or memory-mapped when large.
class FileBytes {
 public:
  ~FileBytes() { Unmap(); }

  bool Load(const std::string& path) {
    Unmap();
    size_ = 0;
    // A FIFO, device or socket is skipped without blocking (base/regular_file.h).
    Result<int> opened = OpenRegularFile(path);
    if (!opened.ok()) return false;
    int fd = *opened;
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      ::close(fd);
      return false;
    }
    size_t want = static_cast<size_t>(st.st_size);
    if (want >= kMapThreshold) {
      void* p = ::mmap(nullptr, want, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        ::close(fd);
        map_ = p;
        map_size_ = want;
        size_ = want;
        return true;
      }
    }
    Reserve(want + 1);
    while (true) {
      if (size_ == cap_) Reserve(cap_ * 2);
      ssize_t n = ::read(fd, buf_.get() + size_, cap_ - size_);
      if (n < 0) {
        ::close(fd);
        return false;
      }
      if (n == 0) break;
      size_ += static_cast<size_t>(n);
    }
    ::close(fd);
    return true;
  }

  std::string_view data() const {
    return map_ != nullptr ? std::string_view(static_cast<const char*>(map_), size_)
                           : std::string_view(buf_.get(), size_);
  }

 private:
  static constexpr size_t kMapThreshold = 8u << 20;

  void Reserve(size_t n) {
    if (n <= cap_) return;
    size_t cap = std::max<size_t>(n, 64 * 1024);
    std::unique_ptr<char[]> next(new char[cap]);
    if (size_ > 0) std::memcpy(next.get(), buf_.get(), size_);
    buf_ = std::move(next);
    cap_ = cap;
  }
  void Unmap() {
    if (map_ != nullptr) ::munmap(map_, map_size_);
    map_ = nullptr;
  }

  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0;
  size_t size_ = 0;
  void* map_ = nullptr;
  size_t map_size_ = 0;
};

}  // namespace

std::vector<FileSearchResult> SearchFiles(const std::vector<std::string>& paths,
                                          const std::vector<std::string>& display_paths,
                                          const GrepMatcher& matcher, const GrepFormat& format,
                                          const SearchFilesOptions& options) {
  std::vector<FileSearchResult> results(paths.size());
  std::atomic<size_t> next{0};
  auto work = [&](const GrepMatcher& m) {
    FileBytes bytes;
    while (true) {
      if (options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed)) return;
      size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= paths.size()) return;
      if (!bytes.Load(paths[i])) continue;
      std::string_view data = bytes.data();
      const void* nul = std::memchr(data.data(), 0, data.size());
      std::string_view display = i < display_paths.size() ? display_paths[i] : paths[i];
      if (nul != nullptr) {
        results[i].binary = true;
        if (options.skip_binary) continue;
        GrepFormat quiet = format;
        if (quiet.mode == GrepMode::kContent) quiet.mode = GrepMode::kCount;
        FileSearchResult r = SearchBuffer(data, display, m, quiet);
        r.binary = true;
        if (format.mode == GrepMode::kContent && r.count > 0) {
          size_t offset = static_cast<size_t>(static_cast<const char*>(nul) - data.data());
          r.content = std::string(display) +
                      ": binary file matches (found \"\\0\" byte around offset " +
                      std::to_string(offset) + ")\n";
        }
        results[i] = std::move(r);
        continue;
      }
      results[i] = SearchBuffer(data, display, m, format);
    }
  };
  int threads = options.threads;
  if (threads <= 0) {
    threads = static_cast<int>(std::min(8u, std::max(1u, std::thread::hardware_concurrency())));
  }
  threads = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), paths.size()));
  if (threads <= 1) {
    work(matcher);
    return results;
  }
  std::vector<GrepMatcher> clones;
  clones.reserve(static_cast<size_t>(threads - 1));
  for (int t = 1; t < threads; ++t) clones.push_back(matcher.Clone());
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, std::cref(clones[t - 1]));
  work(matcher);
  for (std::thread& th : pool) th.join();
  return results;
}

}  // namespace brock
