#include "agent/shell_parser.h"

#include <cctype>
#include <deque>
#include <memory>
#include <set>

#include "agent/shell_wrappers.h"

namespace brock {
namespace {

constexpr int kMaxDepth = 24;  // nesting of substitutions and scripts followed before giving up

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsMeta(char c) {
  return IsBlank(c) || c == '\n' || c == '|' || c == '&' || c == ';' || c == '(' || c == ')' ||
         c == '<' || c == '>';
}
bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// One word as read: its source text, its value after quote removal, and what it contains.
struct Word {
  std::string raw;
  std::string value;
  bool expansion = false;  // $x, ${..}, $(..), `..`, $((..)), <(..)
  bool glob = false;
  bool brace = false;
  bool tilde = false;
  bool quoted = false;
  bool literal() const { return !expansion && !glob && !brace && !tilde; }
};

// `NAME=` or `NAME+=` at the start of `raw` (an unquoted name).
size_t AssignmentNameEnd(std::string_view raw) {
  if (raw.empty() || !IsNameStart(raw[0])) return std::string_view::npos;
  size_t i = 1;
  while (i < raw.size() && IsNameChar(raw[i])) ++i;
  if (i < raw.size() && raw[i] == '[') {
    size_t close = raw.find(']', i);
    if (close == std::string_view::npos) return std::string_view::npos;
    i = close + 1;
  }
  if (i < raw.size() && raw[i] == '+') ++i;
  if (i < raw.size() && raw[i] == '=') return i;
  return std::string_view::npos;
}

struct Heredoc {
  std::string delim;
  bool quoted = false;
  bool strip_tabs = false;
  std::string body;
  bool expansions = false;
};

// A simple command as the parser finds it, before its heredocs are read and it is analysed.
struct Found {
  ShellCommand cmd;
  std::vector<int> heredoc_of_redirection;  // per redirection: index in heredocs_, or -1
  std::vector<Word> words;
  bool args_appended = false;
};

struct Shared {
  ShellParse* out;
  std::set<std::string> functions;
  std::deque<Heredoc> heredocs;
};

class Parser {
 public:
  Parser(std::string_view src, Shared* shared, int parent, int depth)
      : s_(src), sh_(shared), parent_(parent), depth_(depth) {}

  // Parses the whole input as a script, then analyses every command found.
  void ParseScript() {
    if (depth_ > kMaxDepth) {
      Opaque("nested too deeply");
      return;
    }
    ParseList(Stop::kEof);
    Finish();
  }

  // Treats the whole input as an unquoted heredoc body: finds its expansions.
  void ScanHeredocBody(bool* expansions) {
    Word w;
    while (i_ < s_.size()) {
      SkipContinuations();
      if (i_ >= s_.size()) break;
      char c = s_[i_];
      if (c == '\\') {
        i_ += 2;
      } else if (c == '$') {
        ReadDollar(&w, true);
      } else if (c == '`') {
        ReadBacktick(&w, true);
      } else {
        ++i_;
      }
    }
    *expansions = w.expansion;
    Finish();
  }

 private:
  enum class Stop { kEof, kParen, kCase };

  void Opaque(const std::string& reason) {
    sh_->out->opaque = true;
    for (const std::string& r : sh_->out->opaque_reasons) {
      if (r == reason) return;
    }
    sh_->out->opaque_reasons.push_back(reason);
  }
  void SyntaxError(const std::string& what) {
    sh_->out->syntax_error = true;
    Opaque("syntax error: " + what);
  }

  bool AtEnd() {
    SkipContinuations();
    return i_ >= s_.size();
  }
  void SkipContinuations() {
    while (i_ + 1 < s_.size() && s_[i_] == '\\' && s_[i_ + 1] == '\n') i_ += 2;
  }
  // The character `k` positions ahead of i_, line continuations skipped.
  char Peek(size_t k = 0) {
    SkipContinuations();
    size_t j = i_;
    for (size_t step = 0;; ++step) {
      while (j + 1 < s_.size() && s_[j] == '\\' && s_[j + 1] == '\n') j += 2;
      if (j >= s_.size()) return '\0';
      if (step == k) return s_[j];
      ++j;
    }
  }
  void Advance(size_t k = 1) {
    for (size_t step = 0; step < k; ++step) {
      SkipContinuations();
      if (i_ < s_.size()) ++i_;
    }
  }
  void SkipBlanks() {
    while (!AtEnd() && IsBlank(s_[i_])) ++i_;
  }
  // Blanks and a comment (a `#` at the start of a token runs to the end of the line).
  void SkipBlanksAndComment() {
    SkipBlanks();
    if (!AtEnd() && s_[i_] == '#') {
      while (i_ < s_.size() && s_[i_] != '\n') ++i_;
    }
  }
  // Blanks, comments and newlines (reading heredoc bodies at each newline).
  void SkipSpace() {
    while (true) {
      SkipBlanksAndComment();
      if (AtEnd() || s_[i_] != '\n') return;
      ConsumeNewline();
    }
  }

  void ConsumeNewline() {
    ++i_;
    for (int id : pending_) ReadHeredocBody(id);
    pending_.clear();
  }

  void ReadHeredocBody(int id) {
    Heredoc& h = sh_->heredocs[static_cast<size_t>(id)];
    while (i_ < s_.size()) {
      size_t nl = s_.find('\n', i_);
      size_t end = nl == std::string_view::npos ? s_.size() : nl;
      std::string_view line = s_.substr(i_, end - i_);
      if (h.strip_tabs) {
        while (!line.empty() && line[0] == '\t') line.remove_prefix(1);
      }
      i_ = nl == std::string_view::npos ? s_.size() : nl + 1;
      if (line == h.delim) return;
      h.body.append(line);
      h.body += '\n';
    }
  }

  // Reads the upcoming word without consuming it; returns its raw text when it is a plain
  // unquoted word (candidate reserved word), else "".
  std::string PeekPlainWord() {
    size_t j = i_;
    std::string w;
    while (true) {
      while (j + 1 < s_.size() && s_[j] == '\\' && s_[j + 1] == '\n') j += 2;
      if (j >= s_.size() || IsMeta(s_[j])) break;
      char c = s_[j];
      if (c == '\\' || c == '\'' || c == '"' || c == '$' || c == '`') return "";
      w += c;
      ++j;
    }
    return w;
  }
  void SkipPlainWord(const std::string& w) {
    for (size_t k = 0; k < w.size(); ++k) Advance();
  }

  // list: commands separated by ; & && || | |& and newlines, up to `stop`.
  void ParseList(Stop stop) {
    while (true) {
      SkipSpace();
      if (AtEnd()) {
        if (stop != Stop::kEof) SyntaxError("unexpected end of input");
        return;
      }
      char c = s_[i_];
      if (c == ')') {
        if (stop == Stop::kParen) {
          ++i_;
          return;
        }
        if (stop == Stop::kCase) return;
        SyntaxError("unexpected )");
        ++i_;
        continue;
      }
      if (c == ';') {
        if (stop == Stop::kCase && Peek(1) == ';') return;
        if (stop == Stop::kCase && Peek(1) == '&') return;
        Advance();
        continue;
      }
      if (c == '&' && Peek(1) != '>') {
        Advance();
        if (!AtEnd() && s_[i_] == '&') Advance();
        continue;
      }
      if (c == '|') {
        Advance();
        after_pipe_ = true;  // `time` only starts a pipeline: `a | time b` runs a command `time`
        if (!AtEnd() && s_[i_] == '|') {
          Advance();
          after_pipe_ = false;
        } else if (!AtEnd() && s_[i_] == '&') {
          Advance();
        }
        continue;
      }
      if (stop == Stop::kCase && PeekPlainWord() == "esac") return;
      size_t before = i_;
      bool after_pipe = after_pipe_;
      after_pipe_ = false;
      ParseCommand(after_pipe);
      if (i_ == before) {  // nothing consumed: never loop forever
        SyntaxError("unexpected character");
        ++i_;
      }
    }
  }

  // One command at command position.
  void ParseCommand(bool after_pipe) {
    SkipBlanks();
    char c = Peek();
    if (c == '(') {
      if (Peek(1) == '(') {
        ParseDoubleParen();
      } else {
        Advance();
        ParseList(Stop::kParen);
      }
      return;
    }
    std::string w = PeekPlainWord();
    static const std::set<std::string> transparent = {
        "{", "}", "!", "if", "then", "elif", "else", "fi", "while", "until", "do", "done", "esac"};
    if (transparent.count(w)) {
      SkipPlainWord(w);
      return;
    }
    if (w == "time" && bash_ && !after_pipe) {
      SkipPlainWord(w);
      SkipBlanks();
      std::string opt = PeekPlainWord();
      while (opt == "-p" || opt == "--") {
        SkipPlainWord(opt);
        SkipBlanks();
        opt = PeekPlainWord();
      }
      return;
    }
    if (w == "case") return ParseCase();
    if (w == "for" || w == "select") return ParseFor(w);
    if (w == "[[") return ParseDoubleBracket();
    if (w == "function") {
      SkipPlainWord(w);
      SkipBlanks();
      Word name;
      ReadWord(&name, false);
      sh_->functions.insert(name.value);
      SkipBlanks();
      if (Peek() == '(') {
        Advance();
        SkipBlanks();
        if (Peek() == ')') Advance();
      }
      return;
    }
    if (w == "coproc") {
      SkipPlainWord(w);
      SkipBlanks();
      std::string name = PeekPlainWord();
      if (!name.empty()) {
        size_t save = i_;
        SkipPlainWord(name);
        SkipBlanks();
        std::string next = PeekPlainWord();
        static const std::set<std::string> compound = {"{",   "if",   "while",  "until",
                                                       "for", "case", "select", "[["};
        if (!(Peek() == '(' || compound.count(next))) i_ = save;
      }
      return;
    }
    ParseSimpleCommand();
  }

  // `((` at command position: arithmetic, or a subshell inside a subshell.
  void ParseDoubleParen() {
    size_t save = i_;
    Advance(2);
    bool idents = false;
    ArithResult r = ScanArith(&idents);
    if (r == ArithResult::kNotArithmetic) {
      i_ = save;
      Advance();
      ParseList(Stop::kParen);
      return;
    }
    if (r == ArithResult::kEof) SyntaxError("unterminated ((");
    if (idents) Opaque("arithmetic over variables");
  }

  enum class ArithResult { kOk, kNotArithmetic, kEof };

  // Scans an arithmetic expression after `((` / `$((` up to and past its `))`.
  ArithResult ScanArith(bool* idents) {
    int depth = 0;
    Word w;
    while (!AtEnd()) {
      char c = s_[i_];
      if (c == '(') {
        ++depth;
      } else if (c == ')') {
        if (depth > 0) {
          --depth;
        } else if (Peek(1) == ')') {
          Advance(2);
          if (w.expansion) *idents = true;
          return ArithResult::kOk;
        } else {
          return ArithResult::kNotArithmetic;
        }
      } else if (c == '$') {
        ReadDollar(&w, true);
        *idents = true;
        continue;
      } else if (c == '`') {
        ReadBacktick(&w, true);
        *idents = true;
        continue;
      } else if (c == '"') {
        ReadDoubleQuoted(&w);
        continue;
      } else if (c == '\'') {
        size_t q = s_.find('\'', i_ + 1);
        i_ = q == std::string_view::npos ? s_.size() : q + 1;
        continue;
      } else if (c == '\\') {
        Advance();
      } else if (IsNameStart(c)) {
        *idents = true;
      }
      Advance();
    }
    return ArithResult::kEof;
  }

  void ParseCase() {
    SkipPlainWord("case");
    SkipBlanks();
    Word subject;
    ReadWord(&subject, false);
    SkipSpace();
    if (PeekPlainWord() != "in") {
      SyntaxError("case without in");
      return;
    }
    SkipPlainWord("in");
    while (true) {
      SkipSpace();
      if (AtEnd()) {
        SyntaxError("case without esac");
        return;
      }
      if (PeekPlainWord() == "esac") {
        SkipPlainWord("esac");
        return;
      }
      if (Peek() == '(') Advance();
      // Patterns separated by | up to ).
      while (true) {
        SkipBlanks();
        if (AtEnd()) {
          SyntaxError("unterminated case pattern");
          return;
        }
        char c = Peek();
        if (c == ')') {
          Advance();
          break;
        }
        if (c == '|') {
          Advance();
          continue;
        }
        Word pattern;
        size_t before = i_;
        ReadWord(&pattern, false);
        if (i_ == before) {
          SyntaxError("bad case pattern");
          return;
        }
      }
      ParseList(Stop::kCase);
      SkipSpace();
      if (Peek() == ';') {
        Advance();
        if (Peek() == ';' || Peek() == '&') Advance();
        if (Peek() == '&') Advance();
      }
    }
  }

  void ParseFor(const std::string& keyword) {
    SkipPlainWord(keyword);
    SkipBlanks();
    if (Peek() == '(' && Peek(1) == '(') {
      Advance(2);
      bool idents = false;
      if (ScanArith(&idents) != ArithResult::kOk) SyntaxError("bad for ((");
      if (idents) Opaque("arithmetic over variables");
      return;
    }
    Word name;
    ReadWord(&name, false);
    SkipSpace();
    if (PeekPlainWord() != "in") return;  // `for x; do` / `for x do`
    SkipPlainWord("in");
    while (true) {
      SkipBlanksAndComment();
      if (AtEnd()) return;
      char c = Peek();
      if (c == ';' || c == '\n') return;
      Word item;
      size_t before = i_;
      ReadWord(&item, false);
      if (i_ == before) {
        SyntaxError("bad for list");
        return;
      }
    }
  }

  void ParseDoubleBracket() {
    SkipPlainWord("[[");
    std::vector<Word> words;
    bool regex_next = false;
    while (true) {
      SkipSpace();
      if (AtEnd()) {
        SyntaxError("unterminated [[");
        return;
      }
      if (PeekPlainWord() == "]]") {
        SkipPlainWord("]]");
        break;
      }
      char c = Peek();
      if (!regex_next && (c == '(' || c == ')' || c == '!' || c == '<' || c == '>' ||
                          (c == '&' && Peek(1) == '&') || (c == '|' && Peek(1) == '|'))) {
        Advance((c == '&' || c == '|') ? 2 : 1);
        continue;
      }
      Word w;
      size_t before = i_;
      ReadWord(&w, false, regex_next);
      if (i_ == before) {
        SyntaxError("bad [[");
        Advance();
        continue;
      }
      regex_next = w.raw == "=~" || w.raw == "==" || w.raw == "!=" || w.raw == "=";
      words.push_back(w);
    }
    static const std::set<std::string> arithmetic = {"-eq", "-ne", "-lt", "-le", "-gt", "-ge"};
    for (size_t k = 0; k < words.size(); ++k) {
      if (arithmetic.count(words[k].raw)) {
        for (size_t side : {k - 1, k + 1}) {
          if (side >= words.size()) continue;
          const std::string& v = words[side].value;
          bool number = !v.empty() && words[side].literal();
          for (char ch : v)
            number = number && (std::isdigit(static_cast<unsigned char>(ch)) || ch == '-' ||
                                ch == '+' || ch == ' ');
          if (!number) Opaque("arithmetic comparison over variables");
        }
      }
      if (words[k].raw == "-v" || words[k].raw == "-R") {
        Opaque("[[ -v ]] evaluates array subscripts");
      }
    }
  }

  bool AtRedirection() {
    char c = Peek();
    if (c == '<' || c == '>') return Peek(1) != '(';
    if (c == '&' && Peek(1) == '>') return true;
    size_t k = 0;
    if (std::isdigit(static_cast<unsigned char>(c))) {
      while (std::isdigit(static_cast<unsigned char>(Peek(k)))) ++k;
    } else if (c == '{') {
      k = 1;
      if (!IsNameStart(Peek(k))) return false;
      while (IsNameChar(Peek(k))) ++k;
      if (Peek(k) != '}') return false;
      ++k;
    } else {
      return false;
    }
    char r = Peek(k);
    return (r == '<' || r == '>') && Peek(k + 1) != '(';
  }

  void ParseRedirection(Found* f) {
    size_t start = i_;
    ShellRedirection r;
    std::string fd;
    while (std::isdigit(static_cast<unsigned char>(Peek()))) {
      fd += Peek();
      Advance();
    }
    if (fd.empty() && Peek() == '{') {
      while (Peek() != '}') Advance();
      Advance();
    }
    if (!fd.empty()) r.fd = std::atoi(fd.c_str());
    static const char* ops[] = {"&>>", "<<<", "<<-", "&>", "<<", "<>",
                                "<&",  ">>",  ">|",  ">&", "<",  ">"};
    for (const char* op : ops) {
      std::string_view o(op);
      bool match = true;
      for (size_t k = 0; k < o.size(); ++k) match = match && Peek(k) == o[k];
      if (match) {
        r.op = op;
        Advance(o.size());
        break;
      }
    }
    SkipBlanks();
    Word target;
    size_t before = i_;
    if (!AtEnd() && !IsMeta(s_[i_])) ReadWord(&target, false);
    if (i_ == before) SyntaxError("redirection without a target");
    r.target = target.literal() ? target.value : target.raw;
    r.literal = target.literal();
    r.text = std::string(s_.substr(start, i_ - start));
    int heredoc = -1;
    if (r.op == "<<" || r.op == "<<-") {
      Heredoc h;
      h.delim = target.value;
      h.quoted = target.quoted;
      h.strip_tabs = r.op == "<<-";
      sh_->heredocs.push_back(h);
      heredoc = static_cast<int>(sh_->heredocs.size() - 1);
      pending_.push_back(heredoc);
    }
    f->cmd.redirections.push_back(r);
    f->heredoc_of_redirection.push_back(heredoc);
  }

  void ParseSimpleCommand() {
    Found f;
    size_t start = i_;
    while (true) {
      SkipBlanks();
      if (AtEnd()) break;
      char c = s_[i_];
      if (AtRedirection()) {
        ParseRedirection(&f);
        continue;
      }
      if (c == '\n' || c == ';' || c == '&' || c == '|' || c == ')') break;
      if (c == '#') {  // a comment at the start of a word
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
        break;
      }
      if (c == '(') {
        if (f.words.size() == 1 && f.cmd.assignments.empty()) {  // name () compound-command
          Advance();
          SkipBlanks();
          if (Peek() == ')') {
            Advance();
            sh_->functions.insert(f.words[0].value);
            return;
          }
        }
        SyntaxError("unexpected (");
        Advance();
        continue;
      }
      Word w;
      size_t before = i_;
      ReadWord(&w, f.words.empty(), false, /*array_ok=*/true);
      if (i_ == before) {
        SyntaxError("unexpected character");
        Advance();
        continue;
      }
      if (f.words.empty() && AssignmentNameEnd(w.raw) != std::string::npos) {
        std::string_view var = std::string_view(w.raw).substr(0, AssignmentNameEnd(w.raw));
        if (!var.empty() && var.back() == '+') var.remove_suffix(1);
        if (var.find('[') != std::string_view::npos) {
          size_t open = var.find('[');
          std::string_view sub = var.substr(open + 1, var.size() - open - 2);
          for (char ch : sub) {
            if (!std::isdigit(static_cast<unsigned char>(ch))) {
              Opaque("array subscript (arithmetic) in an assignment");
            }
          }
          var = var.substr(0, open);
        }
        if (IsDangerousVariable(var)) Opaque("assignment to " + std::string(var));
        f.cmd.assignments.push_back(w.raw);
        continue;
      }
      f.words.push_back(w);
    }
    if (f.words.empty() && f.cmd.redirections.empty() && f.cmd.assignments.empty()) return;
    (void)start;
    found_.push_back(std::move(f));
  }

  // Reads one word at i_ (which is not a metacharacter). `assignment_ok`: `NAME=(...)` arrays
  // are read whole. `pattern`: the right side of `[[ x =~ re ]]` / `==`: parentheses and `|`
  // inside parentheses belong to the word.
  void ReadWord(Word* w, bool assignment_ok, bool pattern = false, bool array_ok = false) {
    size_t begin = i_;
    int depth = 0;
    bool open_bracket = false;
    bool open_brace = false;
    (void)assignment_ok;
    while (true) {
      SkipContinuations();
      if (i_ >= s_.size()) break;
      char c = s_[i_];
      if (pattern) {
        if (c == '(') {
          ++depth;
          w->value += c;
          ++i_;
          continue;
        }
        if (c == ')' && depth > 0) {
          --depth;
          w->value += c;
          ++i_;
          continue;
        }
        if (depth > 0 && (IsBlank(c) || c == '|' || c == '<' || c == '>' || c == '&')) {
          w->value += c;
          ++i_;
          continue;
        }
        if (c == '|' && Peek(1) != '|') {
          w->value += c;
          ++i_;
          continue;
        }
      }
      if ((c == '<' || c == '>') && Peek(1) == '(') {  // process substitution
        Advance(2);
        ParseList(Stop::kParen);
        w->expansion = true;
        continue;
      }
      if (c == '(' && array_ok && !w->quoted && !w->value.empty() && w->value.back() == '=' &&
          AssignmentNameEnd(w->value) == w->value.size() - 1) {
        ReadArray(w);
        break;
      }
      if (IsMeta(c)) break;
      switch (c) {
        case '\\':
          if (i_ + 1 < s_.size()) {
            w->value += s_[i_ + 1];
            i_ += 2;
          } else {
            w->value += c;
            ++i_;
          }
          w->quoted = true;
          continue;
        case '\'': {
          size_t q = s_.find('\'', i_ + 1);
          if (q == std::string_view::npos) {
            SyntaxError("unterminated '");
            q = s_.size();
          }
          w->value.append(s_.substr(i_ + 1, q - i_ - 1));
          i_ = q == s_.size() ? q : q + 1;
          w->quoted = true;
          continue;
        }
        case '"':
          ReadDoubleQuoted(w);
          w->quoted = true;
          continue;
        case '$':
          ReadDollar(w, false);
          continue;
        case '`':
          ReadBacktick(w, false);
          continue;
        case '*':
        case '?':
          w->glob = true;
          break;
        case '[':
          open_bracket = true;
          break;
        case ']':
          if (open_bracket) w->glob = true;
          break;
        case '{':
          open_brace = true;
          break;
        case '}':
          if (open_brace) w->brace = true;
          break;
        case '~':
          if (i_ == begin ||
              (assignment_ok && (s_[i_ - 1] == '=' || s_[i_ - 1] == ':') &&
               AssignmentNameEnd(s_.substr(begin, i_ - begin + 1)) != std::string::npos) ||
              (assignment_ok && s_[i_ - 1] == ':')) {
            w->tilde = true;
          }
          break;
        default:
          break;
      }
      w->value += c;
      ++i_;
    }
    w->raw = std::string(s_.substr(begin, i_ - begin));
  }

  // `NAME=(` ... `)`: the elements of an array assignment.
  void ReadArray(Word* w) {
    Advance();
    w->expansion = true;
    while (true) {
      SkipSpace();
      if (AtEnd()) {
        SyntaxError("unterminated array");
        return;
      }
      if (s_[i_] == ')') {
        ++i_;
        return;
      }
      Word element;
      size_t before = i_;
      ReadWord(&element, false);
      if (element.raw.find('[') != std::string::npos) Opaque("array subscript (arithmetic)");
      if (i_ == before) {
        SyntaxError("bad array element");
        Advance();
      }
    }
  }

  void ReadDoubleQuoted(Word* w) {
    ++i_;  // the opening quote
    while (true) {
      SkipContinuations();
      if (i_ >= s_.size()) {
        SyntaxError("unterminated \"");
        return;
      }
      char c = s_[i_];
      if (c == '"') {
        ++i_;
        return;
      }
      if (c == '\\' && i_ + 1 < s_.size()) {
        char n = s_[i_ + 1];
        if (n == '$' || n == '`' || n == '"' || n == '\\') {
          w->value += n;
          i_ += 2;
          continue;
        }
        w->value += c;
        ++i_;
        continue;
      }
      if (c == '$') {
        ReadDollar(w, true);
        continue;
      }
      if (c == '`') {
        ReadBacktick(w, true);
        continue;
      }
      w->value += c;
      ++i_;
    }
  }

  // `$...` at i_.
  void ReadDollar(Word* w, bool in_double_quotes) {
    size_t start = i_;
    char n = Peek(1);
    if (n == '(') {
      if (Peek(2) == '(') {
        size_t save = i_;
        Advance(3);
        bool idents = false;
        ArithResult r = ScanArith(&idents);
        if (r == ArithResult::kOk) {
          if (idents) Opaque("arithmetic over variables or substitutions");
          w->expansion = true;
          w->value.append(s_.substr(start, i_ - start));
          return;
        }
        if (r == ArithResult::kEof) {
          SyntaxError("unterminated $((");
          w->expansion = true;
          return;
        }
        i_ = save;
      }
      Advance(2);
      ParseList(Stop::kParen);
      w->expansion = true;
      w->value.append(s_.substr(start, i_ - start));
      return;
    }
    if (n == '[') {
      Advance(2);
      int depth = 0;
      bool idents = false;
      Word inner;
      while (!AtEnd()) {
        char c = s_[i_];
        if (c == '[') ++depth;
        if (c == ']' && depth-- == 0) {
          ++i_;
          break;
        }
        if (c == '$') {
          ReadDollar(&inner, true);
          idents = true;
          continue;
        }
        if (c == '`') {
          ReadBacktick(&inner, true);
          idents = true;
          continue;
        }
        if (IsNameStart(c)) idents = true;
        ++i_;
      }
      if (idents) Opaque("arithmetic over variables or substitutions");
      w->expansion = true;
      w->value.append(s_.substr(start, i_ - start));
      return;
    }
    if (n == '{') {
      Advance(2);
      size_t content = i_;
      Word inner;
      bool closed = false;
      while (!AtEnd()) {
        char c = s_[i_];
        if (c == '}') {
          closed = true;
          ++i_;
          break;
        }
        if (c == '\\') {
          i_ += 2;
          continue;
        }
        if (c == '\'' && !in_double_quotes) {
          size_t q = s_.find('\'', i_ + 1);
          i_ = q == std::string_view::npos ? s_.size() : q + 1;
          continue;
        }
        if (c == '"') {
          ReadDoubleQuoted(&inner);
          continue;
        }
        if (c == '$') {
          ReadDollar(&inner, in_double_quotes);
          continue;
        }
        if (c == '`') {
          ReadBacktick(&inner, in_double_quotes);
          continue;
        }
        ++i_;
      }
      if (!closed) SyntaxError("unterminated ${");
      CheckParameterExpansion(s_.substr(content, i_ - content - (closed ? 1 : 0)));
      w->expansion = true;
      w->value.append(s_.substr(start, i_ - start));
      return;
    }
    if (n == '\'' && !in_double_quotes) {
      Advance(2);
      ReadAnsiC(w);
      w->quoted = true;
      return;
    }
    if (n == '"' && !in_double_quotes) {
      Advance();
      ReadDoubleQuoted(w);
      w->quoted = true;
      return;
    }
    if (IsNameStart(n)) {
      Advance();
      while (IsNameChar(Peek())) Advance();
      w->expansion = true;
      w->value.append(s_.substr(start, i_ - start));
      return;
    }
    if (std::isdigit(static_cast<unsigned char>(n)) || n == '@' || n == '*' || n == '#' ||
        n == '?' || n == '-' || n == '$' || n == '!') {
      Advance(2);
      w->expansion = true;
      w->value.append(s_.substr(start, i_ - start));
      return;
    }
    w->value += '$';
    Advance();
  }

  void CheckParameterExpansion(std::string_view p) {
    if (!p.empty() && p[0] == '!') Opaque("indirect parameter expansion");
    size_t k = 0;
    if (!p.empty() && p[0] == '#') k = 1;
    while (k < p.size() && IsNameChar(p[k])) ++k;
    if (k < p.size() && p[k] == '[') {
      size_t close = p.find(']', k);
      std::string_view sub = p.substr(k + 1, close == std::string_view::npos ? 0 : close - k - 1);
      bool simple = sub == "@" || sub == "*";
      if (!simple) {
        simple = !sub.empty();
        for (char c : sub) simple = simple && std::isdigit(static_cast<unsigned char>(c));
      }
      if (!simple) Opaque("array subscript (arithmetic) in an expansion");
      k = close == std::string_view::npos ? p.size() : close + 1;
    }
    if (k < p.size() && p[k] == ':' && k + 1 < p.size() &&
        std::string_view("-=?+").find(p[k + 1]) == std::string_view::npos) {
      for (char c : p.substr(k + 1)) {
        if (IsNameStart(c) || c == '$' || c == '`') {
          Opaque("substring offsets over variables (arithmetic)");
          break;
        }
      }
    }
    if (k < p.size() && p[k] == '@') Opaque("parameter transformation");
  }

  // The body of $'...' after its opening quote.
  void ReadAnsiC(Word* w) {
    while (true) {
      if (i_ >= s_.size()) {
        SyntaxError("unterminated $'");
        return;
      }
      char c = s_[i_];
      if (c == '\'') {
        ++i_;
        return;
      }
      if (c != '\\' || i_ + 1 >= s_.size()) {
        w->value += c;
        ++i_;
        continue;
      }
      char e = s_[i_ + 1];
      i_ += 2;
      auto hex = [](char h) {
        return std::isdigit(static_cast<unsigned char>(h))
                   ? h - '0'
                   : std::tolower(static_cast<unsigned char>(h)) - 'a' + 10;
      };
      switch (e) {
        case 'a':
          w->value += '\a';
          break;
        case 'b':
          w->value += '\b';
          break;
        case 'e':
        case 'E':
          w->value += '\x1b';
          break;
        case 'f':
          w->value += '\f';
          break;
        case 'n':
          w->value += '\n';
          break;
        case 'r':
          w->value += '\r';
          break;
        case 't':
          w->value += '\t';
          break;
        case 'v':
          w->value += '\v';
          break;
        case '\\':
        case '\'':
        case '"':
        case '?':
          w->value += e;
          break;
        case 'x': {
          int v = 0, digits = 0;
          while (digits < 2 && i_ < s_.size() &&
                 std::isxdigit(static_cast<unsigned char>(s_[i_]))) {
            v = v * 16 + hex(s_[i_++]);
            ++digits;
          }
          if (digits == 0) {
            w->value += "\\x";
          } else {
            if (v == 0) w->expansion = true;  // NUL ends the word: bash truncates it
            w->value += static_cast<char>(v);
          }
          break;
        }
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7': {
          int v = e - '0', digits = 1;
          while (digits < 3 && i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '7') {
            v = v * 8 + (s_[i_++] - '0');
            ++digits;
          }
          if ((v & 0xff) == 0) w->expansion = true;
          w->value += static_cast<char>(v & 0xff);
          break;
        }
        case 'u':
        case 'U':
        case 'c':
          w->expansion = true;  // not decoded: treat the word as unknown
          w->value += '\\';
          w->value += e;
          break;
        default:
          w->value += '\\';
          w->value += e;
          break;
      }
    }
  }

  // `...` at i_: its text with \$ \` \\ (and \" inside double quotes) unescaped, parsed as a
  // script of its own.
  void ReadBacktick(Word* w, bool in_double_quotes) {
    size_t start = i_;
    ++i_;
    std::string body;
    bool closed = false;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '`') {
        closed = true;
        ++i_;
        break;
      }
      if (c == '\\' && i_ + 1 < s_.size()) {
        char n = s_[i_ + 1];
        if (n == '$' || n == '`' || n == '\\' || (in_double_quotes && n == '"')) {
          body += n;
        } else {
          body += c;
          body += n;
        }
        i_ += 2;
        continue;
      }
      body += c;
      ++i_;
    }
    if (!closed) SyntaxError("unterminated `");
    w->expansion = true;
    w->value.append(s_.substr(start, i_ - start));
    ParseNested(body);
  }

  void ParseNested(const std::string& text) {
    nested_texts_.push_back(std::make_unique<std::string>(text));
    Parser child(*nested_texts_.back(), sh_, parent_, depth_ + 1);
    child.bash_ = bash_;
    child.ParseScript();
  }

  // Reads heredoc bodies left pending at the end, analyses every command found.
  void Finish() {
    for (int id : pending_) (void)id;  // a heredoc without a newline after it: empty body
    pending_.clear();
    for (Found& f : found_) {
      for (size_t r = 0; r < f.cmd.redirections.size(); ++r) {
        int id = f.heredoc_of_redirection[r];
        if (id < 0) continue;
        Heredoc& h = sh_->heredocs[static_cast<size_t>(id)];
        if (!h.quoted) {
          Parser body(h.body, sh_, parent_, depth_ + 1);
          body.bash_ = bash_;
          body.ScanHeredocBody(&h.expansions);
        }
        f.cmd.redirections[r].target = h.body;
        f.cmd.redirections[r].literal = h.quoted || !h.expansions;
      }
      for (const Word& w : f.words) {
        f.cmd.words.push_back(w.literal() ? w.value : w.raw);
        f.cmd.literal.push_back(w.literal());
      }
      Emit(f.cmd, f.words.empty() ? nullptr : &f.words[0], parent_, false, depth_);
    }
    found_.clear();
  }

  // Adds `cmd` to the output and follows what it runs.
  void Emit(ShellCommand cmd, const Word* first, int parent, bool args_appended, int depth) {
    cmd.parent = parent;
    if (!cmd.words.empty()) {
      cmd.name = cmd.words[0];
      bool known = cmd.literal[0];
      if (!known && first != nullptr && first->tilde && !first->expansion && !first->glob &&
          !first->brace) {
        known = true;  // ~/bin/rm: the directory is unknown, the name is not
      }
      if (known) {
        cmd.base_name = BaseName(first != nullptr && !cmd.literal[0] ? first->value : cmd.name);
      } else {
        Opaque("a command name that is not literal");
      }
    }
    cmd.text = RenderText(cmd);
    ShellParse* out = sh_->out;
    out->commands.push_back(cmd);
    const int index = static_cast<int>(out->commands.size() - 1);
    if (cmd.words.empty() || cmd.base_name.empty()) return;
    if (depth > kMaxDepth) {
      Opaque("nested too deeply");
      return;
    }
    std::vector<CommandWord> words;
    for (size_t k = 0; k < cmd.words.size(); ++k) words.push_back({cmd.words[k], cmd.literal[k]});
    if (!cmd.literal[0] && first != nullptr) words[0] = {first->value, true};
    WrapperAnalysis a = AnalyzeWrapper(words, args_appended);
    using Kind = WrapperAnalysis::Kind;
    switch (a.kind) {
      case Kind::kPlain:
      case Kind::kDoesNotRun:
        return;
      case Kind::kOpaque:
        Opaque(a.reason);
        return;
      case Kind::kRunsCommand: {
        out->commands[static_cast<size_t>(index)].transparent = a.transparent;
        ShellCommand inner;
        inner.redirections = cmd.redirections;
        for (const CommandWord& w : a.inner) {
          inner.words.push_back(w.text);
          inner.literal.push_back(w.literal);
        }
        Emit(inner, nullptr, index, a.appends_args, depth + 1);
        return;
      }
      case Kind::kRunsScript:
        out->commands[static_cast<size_t>(index)].transparent = a.transparent;
        ParseScriptOf(a.script, index, depth);
        return;
      case Kind::kStdinScript: {
        const ShellRedirection* in = nullptr;
        for (const ShellRedirection& r : cmd.redirections) {
          if ((r.fd == -1 || r.fd == 0) && (r.op == "<" || r.op == "<<" || r.op == "<<-" ||
                                            r.op == "<<<" || r.op == "<>" || r.op == "<&")) {
            in = &r;
          }
        }
        if (in == nullptr || !in->literal ||
            (in->op != "<<" && in->op != "<<-" && in->op != "<<<")) {
          Opaque("a shell reading its script from stdin");
          return;
        }
        out->commands[static_cast<size_t>(index)].transparent = true;
        ParseScriptOf(in->target, index, depth);
        return;
      }
    }
  }

  void ParseScriptOf(const std::string& script, int parent, int depth) {
    nested_texts_.push_back(std::make_unique<std::string>(script));
    Parser child(*nested_texts_.back(), sh_, parent, depth + 1);
    const std::string& runner = sh_->out->commands[static_cast<size_t>(parent)].base_name;
    child.bash_ = bash_;
    if (runner != "eval" && runner != "trap" && runner != "builtin") {
      child.bash_ = runner == "bash" || runner == "rbash";
    }
    child.ParseScript();
  }

  static std::string RenderText(const ShellCommand& cmd) {
    std::string text;
    for (size_t k = 0; k < cmd.words.size(); ++k) {
      if (!text.empty()) text += ' ';
      text += cmd.literal[k] ? ShellQuote(cmd.words[k]) : cmd.words[k];
    }
    for (const ShellRedirection& r : cmd.redirections) {
      if (!text.empty()) text += ' ';
      text += r.text;
    }
    return text;
  }

  std::string_view s_;
  size_t i_ = 0;
  Shared* sh_;
  int parent_;
  int depth_;
  std::vector<int> pending_;
  bool after_pipe_ = false;
  std::vector<Found> found_;
  std::vector<std::unique_ptr<std::string>> nested_texts_;

 public:
  bool bash_ = true;  // false for scripts run by sh, dash...: `time` is a command there
};

}  // namespace

std::string ShellQuote(std::string_view word) {
  if (word.empty()) return "''";
  bool plain = true;
  for (char c : word) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) ||
          std::string_view("_@%+=:,./-").find(c) != std::string_view::npos)) {
      plain = false;
    }
  }
  if (plain) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

ShellParse ParseShell(std::string_view script) {
  ShellParse out;
  Shared shared{&out, {}, {}};
  Parser(script, &shared, -1, 0).ParseScript();
  for (const ShellCommand& c : out.commands) {
    if (!c.name.empty() && shared.functions.count(c.name)) {
      out.opaque = true;
      out.opaque_reasons.push_back("calls a function defined in the command");
      break;
    }
  }
  return out;
}

}  // namespace brock
