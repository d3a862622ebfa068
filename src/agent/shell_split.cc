#include "agent/shell_split.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "base/strings.h"

namespace brock {
namespace {

constexpr int kMaxDepth = 8;  // nesting of $(...) we follow before giving up on splitting

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

// Index of the `)` matching the `(` at `open`, skipping quotes and escapes; npos if unbalanced.
size_t MatchParen(std::string_view s, size_t open) {
  int depth = 0;
  for (size_t j = open; j < s.size(); ++j) {
    char c = s[j];
    if (c == '\\') {
      ++j;
    } else if (c == '\'') {
      size_t q = s.find('\'', j + 1);
      if (q == std::string_view::npos) return q;
      j = q;
    } else if (c == '"') {
      for (++j; j < s.size() && s[j] != '"'; ++j) {
        if (s[j] == '\\') ++j;
      }
      if (j >= s.size()) return std::string_view::npos;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth == 0) return j;
    }
  }
  return std::string_view::npos;
}

// Index of the closing backtick for the one at `open`; npos if unbalanced.
size_t MatchBacktick(std::string_view s, size_t open) {
  for (size_t j = open + 1; j < s.size(); ++j) {
    if (s[j] == '\\') {
      ++j;
    } else if (s[j] == '`') {
      return j;
    }
  }
  return std::string_view::npos;
}

const std::set<std::string>& LeadingKeywords() {
  static const std::set<std::string> k = {"if",    "then",  "else", "elif", "do",
                                          "while", "until", "!",    "{",    "time"};
  return k;
}

const std::set<std::string>& ClosingKeywords() {
  static const std::set<std::string> k = {"fi", "done", "}", "esac", "then", "else", "do"};
  return k;
}

std::string CleanPart(std::string_view raw) {
  std::string part(Trim(raw));
  for (int guard = 0; guard < 16 && !part.empty(); ++guard) {
    if (ClosingKeywords().count(part)) return "";
    size_t sp = 0;
    while (sp < part.size() && !IsSpace(part[sp]) && part[sp] != '\n') ++sp;
    if (sp == part.size() || !LeadingKeywords().count(part.substr(0, sp))) break;
    part = std::string(Trim(std::string_view(part).substr(sp)));
  }
  return part;
}

class Splitter {
 public:
  explicit Splitter(std::vector<std::string>* out) : out_(out) {}

  void Split(std::string_view s, int depth) {
    std::string cur;
    std::vector<std::string> subs;
    auto flush = [&] {
      std::string p = CleanPart(cur);
      if (!p.empty()) out_->push_back(std::move(p));
      cur.clear();
      std::vector<std::string> pending;
      pending.swap(subs);
      for (const auto& sub : pending) {
        if (depth < kMaxDepth) {
          Split(sub, depth + 1);
        } else {
          std::string q = CleanPart(sub);
          if (!q.empty()) out_->push_back(std::move(q));
        }
      }
    };
    // Records the text inside a substitution whose opener starts at `i` (opener length `skip`)
    // and closer is at `close`; appends the raw text to `cur`; returns the index after it.
    auto substitution = [&](size_t i, size_t skip, size_t close, bool is_command) {
      size_t end = close == std::string_view::npos ? s.size() : close + 1;
      if (is_command) {
        size_t inner_end = close == std::string_view::npos ? s.size() : close;
        subs.emplace_back(s.substr(i + skip, inner_end - (i + skip)));
      }
      cur.append(s.substr(i, end - i));
      return end;
    };

    bool word_start = true;
    size_t i = 0;
    const size_t n = s.size();
    while (i < n) {
      char c = s[i];
      char next = i + 1 < n ? s[i + 1] : '\0';
      if (c == '\\') {
        if (next == '\n') {
          cur += ' ';
        } else {
          cur.append(s.substr(i, i + 1 < n ? 2 : 1));
        }
        i += 2;
        word_start = false;
        continue;
      }
      if (c == '\'') {
        size_t q = s.find('\'', i + 1);
        size_t end = q == std::string_view::npos ? n : q + 1;
        cur.append(s.substr(i, end - i));
        i = end;
        word_start = false;
        continue;
      }
      if (c == '"') {
        size_t j = i + 1;
        while (j < n && s[j] != '"') {
          if (s[j] == '\\') {
            j += 2;
            continue;
          }
          if (s[j] == '$' && j + 1 < n && s[j + 1] == '(') {
            bool arithmetic = j + 2 < n && s[j + 2] == '(';
            size_t close = MatchParen(s, j + 1);
            size_t end = close == std::string_view::npos ? n : close;
            if (!arithmetic) subs.emplace_back(s.substr(j + 2, end - (j + 2)));
            j = end + 1;
            continue;
          }
          if (s[j] == '`') {
            size_t close = MatchBacktick(s, j);
            size_t end = close == std::string_view::npos ? n : close;
            subs.emplace_back(s.substr(j + 1, end - (j + 1)));
            j = end + 1;
            continue;
          }
          ++j;
        }
        size_t end = j < n ? j + 1 : n;
        cur.append(s.substr(i, end - i));
        i = end;
        word_start = false;
        continue;
      }
      if (c == '`') {
        i = substitution(i, 1, MatchBacktick(s, i), true);
        word_start = false;
        continue;
      }
      if (c == '$' && next == '(') {
        bool arithmetic = i + 2 < n && s[i + 2] == '(';
        i = substitution(i, 2, MatchParen(s, i + 1), !arithmetic);
        word_start = false;
        continue;
      }
      if ((c == '<' || c == '>') && next == '(') {
        i = substitution(i, 2, MatchParen(s, i + 1), true);
        word_start = false;
        continue;
      }
      if (c == '#' && word_start) {
        while (i < n && s[i] != '\n') ++i;
        continue;
      }
      if (c == '\n' || c == ';') {
        flush();
        ++i;
        word_start = true;
        continue;
      }
      if (c == '&') {
        char prev = cur.empty() ? '\0' : cur.back();
        if (next == '&') {
          flush();
          i += 2;
        } else if (next == '>' || prev == '>' || prev == '<') {
          cur += c;  // &>file, 2>&1, <&3: redirections
          ++i;
          word_start = false;
          continue;
        } else {
          flush();  // background
          ++i;
        }
        word_start = true;
        continue;
      }
      if (c == '|') {
        char prev = cur.empty() ? '\0' : cur.back();
        if (prev == '>') {  // >| clobber redirection
          cur += c;
          ++i;
          word_start = false;
          continue;
        }
        flush();
        i += (next == '|' || next == '&') ? 2 : 1;
        word_start = true;
        continue;
      }
      if (c == '(' || c == ')') {
        flush();
        ++i;
        word_start = true;
        continue;
      }
      cur += c;
      word_start = IsSpace(c);
      ++i;
    }
    flush();
  }

 private:
  std::vector<std::string>* out_;
};

bool IsAssignment(std::string_view word) {
  if (word.empty() || !(std::isalpha(static_cast<unsigned char>(word[0])) || word[0] == '_')) {
    return false;
  }
  for (size_t i = 1; i < word.size(); ++i) {
    char c = word[i];
    if (c == '=') return true;
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return false;
}

// Options of a wrapper that take the following word as their value.
bool OptionTakesValue(const std::string& wrapper, const std::string& opt) {
  static const std::set<std::pair<std::string, std::string>> k = {
      {"sudo", "-u"},          {"sudo", "-g"},
      {"sudo", "-h"},          {"sudo", "-p"},
      {"sudo", "-C"},          {"sudo", "-D"},
      {"sudo", "-r"},          {"sudo", "-t"},
      {"sudo", "-U"},          {"nice", "-n"},
      {"timeout", "-s"},       {"timeout", "-k"},
      {"timeout", "--signal"}, {"timeout", "--kill-after"},
      {"ionice", "-c"},        {"ionice", "-n"},
      {"ionice", "-p"},        {"xargs", "-I"},
      {"xargs", "-n"},         {"xargs", "-P"},
      {"xargs", "-d"},         {"xargs", "-E"},
      {"xargs", "-L"},         {"xargs", "-s"},
      {"xargs", "-a"},         {"env", "-u"},
      {"env", "-C"},           {"env", "-S"},
      {"stdbuf", "-i"},        {"stdbuf", "-o"},
      {"stdbuf", "-e"},        {"command", "-v"}};
  return k.count({wrapper, opt}) > 0;
}

}  // namespace

std::vector<std::string> SplitShellCommand(std::string_view command) {
  std::vector<std::string> out;
  Splitter(&out).Split(command, 0);
  return out;
}

std::vector<ShellWord> ShellWords(std::string_view s) {
  std::vector<ShellWord> words;
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    while (i < n && (IsSpace(s[i]) || s[i] == '\n')) ++i;
    if (i >= n) break;
    ShellWord w;
    w.begin = i;
    while (i < n && !IsSpace(s[i]) && s[i] != '\n') {
      char c = s[i];
      if (c == '\\') {
        if (i + 1 < n) w.text += s[i + 1];
        i += 2;
      } else if (c == '\'') {
        size_t q = s.find('\'', i + 1);
        size_t end = q == std::string_view::npos ? n : q;
        w.text.append(s.substr(i + 1, end - i - 1));
        i = end + 1;
      } else if (c == '"') {
        ++i;
        while (i < n && s[i] != '"') {
          if (s[i] == '\\' && i + 1 < n &&
              (s[i + 1] == '"' || s[i + 1] == '\\' || s[i + 1] == '$' || s[i + 1] == '`')) {
            w.text += s[i + 1];
            i += 2;
          } else {
            w.text += s[i++];
          }
        }
        ++i;
      } else {
        w.text += c;
        ++i;
      }
    }
    w.end = std::min(i, n);
    words.push_back(std::move(w));
  }
  return words;
}

std::string StripCommandWrappers(std::string_view simple_command) {
  static const std::set<std::string> wrappers = {"sudo",    "env",     "nohup",  "exec",
                                                 "nice",    "timeout", "time",   "command",
                                                 "builtin", "xargs",   "stdbuf", "ionice"};
  std::string s(Trim(simple_command));
  for (int guard = 0; guard < 16; ++guard) {
    std::vector<ShellWord> words = ShellWords(s);
    size_t idx = 0;
    while (idx < words.size() && IsAssignment(words[idx].text)) ++idx;
    if (idx < words.size() && wrappers.count(words[idx].text)) {
      std::string w = words[idx].text;
      ++idx;
      while (idx < words.size() && words[idx].text.size() > 1 && words[idx].text[0] == '-') {
        std::string opt = words[idx].text;
        ++idx;
        if (opt == "--") break;
        if (OptionTakesValue(w, opt) && idx < words.size()) ++idx;
      }
      if (w == "env") {
        while (idx < words.size() && IsAssignment(words[idx].text)) ++idx;
      }
      if (w == "timeout" && idx < words.size() && !words[idx].text.empty() &&
          std::isdigit(static_cast<unsigned char>(words[idx].text[0]))) {
        ++idx;
      }
    } else if (idx == 0) {
      break;
    }
    if (idx >= words.size()) break;  // a bare wrapper: nothing to see through
    s = std::string(Trim(std::string_view(s).substr(words[idx].begin)));
  }
  return s;
}

}  // namespace brock
