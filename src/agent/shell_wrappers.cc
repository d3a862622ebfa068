#include "agent/shell_wrappers.h"

#include <cctype>
#include <set>
#include <string_view>

#include "base/strings.h"

namespace brock {
namespace {

using Kind = WrapperAnalysis::Kind;

std::string BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::vector<std::string> SplitWhitespace(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

WrapperAnalysis Opaque(std::string reason) {
  WrapperAnalysis a;
  a.kind = Kind::kOpaque;
  a.reason = std::move(reason);
  return a;
}

// The command starting at words[i], or opaque when there is none (and the wrapper gets its
// command from stdin) or a plain wrapper invocation.
WrapperAnalysis RunsFrom(const std::vector<CommandWord>& words, size_t i, bool transparent,
                         bool args_appended, const std::string& wrapper) {
  if (i >= words.size()) {
    if (args_appended) return Opaque(wrapper + " runs a command read from stdin");
    return {};
  }
  WrapperAnalysis a;
  a.kind = Kind::kRunsCommand;
  a.inner.assign(words.begin() + static_cast<long>(i), words.end());
  a.transparent = transparent;
  a.appends_args = args_appended;
  return a;
}

// Options of a wrapper: which take a separate value. Long options with `=` carry their value.
struct OptionSpec {
  std::set<char> with_value;              // short options whose value is the rest or the next word
  std::set<std::string> long_with_value;  // long options whose value may be the next word
};

// Skips the options of `words` from index `i`; returns the index of the first operand, or npos
// when an option is not understood. `--` ends options.
size_t SkipOptions(const std::vector<CommandWord>& words, size_t i, const OptionSpec& spec,
                   bool digits_are_options = false) {
  while (i < words.size()) {
    const CommandWord& w = words[i];
    if (!w.literal) return std::string::npos;
    const std::string& t = w.text;
    if (t == "--") return i + 1;
    if (t.size() < 2 || t[0] != '-') return i;
    if (t[1] == '-') {
      size_t eq = t.find('=');
      if (eq == std::string::npos && spec.long_with_value.count(t)) ++i;
      ++i;
      continue;
    }
    bool took_value = false;
    for (size_t k = 1; k < t.size(); ++k) {
      if (digits_are_options && std::isdigit(static_cast<unsigned char>(t[k]))) continue;
      if (spec.with_value.count(t[k])) {
        if (k + 1 == t.size()) took_value = true;
        break;
      }
    }
    i += took_value ? 2 : 1;
  }
  return i > words.size() ? words.size() : i;
}

bool IsShell(const std::string& name) {
  static const std::set<std::string> k = {"bash", "sh",  "dash", "zsh",   "ksh",
                                          "mksh", "ash", "yash", "rbash", "posh"};
  return k.count(name) > 0;
}

WrapperAnalysis AnalyzeShell(const std::vector<CommandWord>& words, bool args_appended) {
  bool has_c = false;
  bool reads_stdin = false;
  size_t i = 1;
  for (; i < words.size(); ++i) {
    const CommandWord& w = words[i];
    if (!w.literal) return Opaque("a shell with options not known statically");
    const std::string& t = w.text;
    if (t == "--" || t == "-") {
      ++i;
      break;
    }
    if (t.size() < 2 || (t[0] != '-' && t[0] != '+')) break;
    if (t[0] == '-' && t[1] == '-') {
      if (t == "--rcfile" || t == "--init-file") return Opaque("a shell with an rc file");
      continue;
    }
    for (size_t k = 1; k < t.size(); ++k) {
      char c = t[k];
      if (c == 'c' && t[0] == '-') has_c = true;
      if (c == 's' && t[0] == '-') reads_stdin = true;
      if (c == 'O') return Opaque("a shell with shopt options");
      if (c == 'o') ++i;  // -o NAME
    }
  }
  if (has_c) {
    if (i >= words.size()) {
      return args_appended ? Opaque("a shell script read from stdin") : WrapperAnalysis{};
    }
    if (!words[i].literal) return Opaque("a shell script that is not literal");
    WrapperAnalysis a;
    a.kind = Kind::kRunsScript;
    a.script = words[i].text;
    a.transparent = true;
    return a;
  }
  if ((i < words.size() && !reads_stdin) || args_appended) {
    return Opaque("a shell running a script file");
  }
  WrapperAnalysis a;
  a.kind = Kind::kStdinScript;
  return a;
}

WrapperAnalysis AnalyzeEnv(const std::vector<CommandWord>& words, bool args_appended) {
  size_t i = 1;
  std::vector<CommandWord> split;
  while (i < words.size()) {
    const CommandWord& w = words[i];
    if (!w.literal) return Opaque("env with arguments not known statically");
    const std::string& t = w.text;
    if (t == "--") {
      ++i;
      break;
    }
    if (t == "-") {
      ++i;
      continue;
    }
    if (t.size() < 2 || t[0] != '-') break;
    std::string value;
    bool is_split = false;
    if (t[1] == '-') {
      if (StartsWith(t, "--split-string")) {
        is_split = true;
        size_t eq = t.find('=');
        if (eq != std::string::npos) {
          value = t.substr(eq + 1);
        } else if (++i < words.size()) {
          value = words[i].text;
        }
      } else if ((t == "--unset" || t == "--chdir") && i + 1 < words.size()) {
        ++i;
      }
      ++i;
      if (is_split) {
        if (value.find_first_of("\\$'\"#") != std::string::npos) {
          return Opaque("env -S with quoting or variables");
        }
        for (const std::string& piece : SplitWhitespace(value)) split.push_back({piece, true});
      }
      continue;
    }
    bool took_next = false;
    for (size_t k = 1; k < t.size(); ++k) {
      char c = t[k];
      if (c == 'u' || c == 'C' || c == 'S') {
        std::string rest = t.substr(k + 1);
        if (rest.empty() && i + 1 < words.size()) {
          rest = words[i + 1].text;
          if (!words[i + 1].literal) return Opaque("env with arguments not known statically");
          took_next = true;
        }
        if (c == 'S') {
          if (rest.find_first_of("\\$'\"#") != std::string::npos) {
            return Opaque("env -S with quoting or variables");
          }
          for (const std::string& piece : SplitWhitespace(rest)) split.push_back({piece, true});
        }
        break;
      }
    }
    i += took_next ? 2 : 1;
  }
  while (i < words.size()) {
    const std::string& t = words[i].text;
    size_t eq = t.find('=');
    if (eq == std::string::npos || eq == 0) break;
    if (!words[i].literal || IsDangerousVariable(t.substr(0, eq))) {
      return Opaque("env sets a variable that changes what runs");
    }
    ++i;
  }
  // -S words come first, then the remaining operands; the -S words may hold assignments too.
  std::vector<CommandWord> rest = split;
  rest.insert(rest.end(), words.begin() + static_cast<long>(i), words.end());
  size_t j = 0;
  while (j < rest.size() && rest[j].text.find('=') != std::string::npos &&
         rest[j].text.find('=') > 0) {
    if (IsDangerousVariable(rest[j].text.substr(0, rest[j].text.find('=')))) {
      return Opaque("env sets a variable that changes what runs");
    }
    ++j;
  }
  std::vector<CommandWord> all = {words[0]};
  all.insert(all.end(), rest.begin() + static_cast<long>(j), rest.end());
  return RunsFrom(all, 1, true, args_appended, "env");
}

WrapperAnalysis AnalyzeXargs(const std::vector<CommandWord>& words) {
  std::string replace;
  size_t i = 1;
  while (i < words.size()) {
    const CommandWord& w = words[i];
    if (!w.literal) return Opaque("xargs with options not known statically");
    const std::string& t = w.text;
    if (t == "--") {
      ++i;
      break;
    }
    if (t.size() < 2 || t[0] != '-') break;
    if (t[1] == '-') {
      static const std::set<std::string> with_value = {"--arg-file",  "--delimiter",
                                                       "--max-args",  "--max-procs",
                                                       "--max-chars", "--process-slot-var"};
      if (StartsWith(t, "--replace")) replace = t.size() > 10 ? t.substr(10) : "{}";
      if (StartsWith(t, "--eof") || StartsWith(t, "--max-lines") || StartsWith(t, "--replace")) {
        ++i;
        continue;
      }
      if (t.find('=') == std::string::npos && with_value.count(t)) ++i;
      ++i;
      continue;
    }
    bool took_next = false;
    for (size_t k = 1; k < t.size(); ++k) {
      char c = t[k];
      if (c == 'i' || c == 'e' || c == 'l') {  // optional value, attached only
        if (c == 'i') replace = k + 1 < t.size() ? t.substr(k + 1) : "{}";
        break;
      }
      if (std::string("adEILnPs").find(c) != std::string::npos) {
        std::string value = t.substr(k + 1);
        if (value.empty() && i + 1 < words.size()) {
          value = words[i + 1].text;
          took_next = true;
        }
        if (c == 'I') replace = value;
        break;
      }
    }
    i += took_next ? 2 : 1;
  }
  if (i >= words.size()) {
    WrapperAnalysis a;
    a.kind = Kind::kRunsCommand;
    a.inner = {{"echo", true}};
    a.appends_args = true;
    return a;
  }
  WrapperAnalysis a = RunsFrom(words, i, false, true, "xargs");
  if (!replace.empty()) {
    for (CommandWord& w : a.inner) {
      if (w.text.find(replace) != std::string::npos) w.literal = false;
    }
  }
  return a;
}

}  // namespace

bool IsDangerousVariable(std::string_view name) {
  static const std::set<std::string_view> k = {
      "BASH_ENV",   "ENV",       "LD_PRELOAD",    "LD_LIBRARY_PATH", "LD_AUDIT",
      "PS4",        "SHELLOPTS", "BASHOPTS",      "PROMPT_COMMAND",  "BASH_LOADABLES_PATH",
      "GLOBIGNORE", "IFS",       "BASH_XTRACEFD", "EXECIGNORE",      "PATH"};
  return k.count(name) > 0 || StartsWith(name, "BASH_FUNC_");
}

WrapperAnalysis AnalyzeWrapper(const std::vector<CommandWord>& words, bool args_appended) {
  if (words.empty() || !words[0].literal) return {};
  const std::string name = BaseName(words[0].text);
  const bool qualified = words[0].text.find('/') != std::string::npos;
  // Builtins (bash runs these even when a file of that name exists, unless path-qualified).
  if (!qualified) {
    if (name == "eval") {
      std::string script;
      for (size_t i = 1; i < words.size(); ++i) {
        if (!words[i].literal) return Opaque("eval of words not known statically");
        if (i > 1) script += ' ';
        script += words[i].text;
      }
      if (args_appended) return Opaque("eval of arguments read from stdin");
      WrapperAnalysis a;
      a.kind = Kind::kRunsScript;
      a.script = script;
      a.transparent = true;
      return a;
    }
    if (name == "source" || name == ".") return Opaque(name + " runs a script file");
    if (name == "alias" || name == "shopt" || name == "enable" || name == "hash" || name == "fc" ||
        name == "bind" || name == "complete" || name == "compgen") {
      return Opaque(name + " changes how later commands run");
    }
    if (name == "trap") {
      size_t i = 1;
      if (i < words.size() && words[i].text == "--") ++i;
      if (i >= words.size() || (words[i].literal && StartsWith(words[i].text, "-"))) return {};
      if (!words[i].literal) return Opaque("a trap handler not known statically");
      if (i + 1 >= words.size() && IsDigits(words[i].text)) return {};  // `trap 2`: reset
      WrapperAnalysis a;
      a.kind = Kind::kRunsScript;
      a.script = words[i].text;
      a.transparent = true;
      return a;
    }
    if (name == "exec") {
      size_t i = 1;
      while (i < words.size() && words[i].literal && StartsWith(words[i].text, "-") &&
             words[i].text.size() > 1) {
        const std::string t = words[i].text;
        ++i;
        if (t == "--") break;
        if (t.back() == 'a') ++i;  // -a NAME
      }
      if (i < words.size() && !words[i - 1].literal) return Opaque("exec options not literal");
      return RunsFrom(words, i, true, args_appended, name);
    }
    if (name == "command") {
      size_t i = 1;
      bool runs = true;
      while (i < words.size() && words[i].literal && StartsWith(words[i].text, "-") &&
             words[i].text.size() > 1) {
        const std::string t = words[i].text;
        ++i;
        if (t == "--") break;
        if (t.find('v') != std::string::npos || t.find('V') != std::string::npos) runs = false;
      }
      if (i < words.size() && !words[i - 1].literal) return Opaque("command options not literal");
      if (!runs) {
        WrapperAnalysis a;
        a.kind = Kind::kDoesNotRun;
        return a;
      }
      return RunsFrom(words, i, true, args_appended, name);
    }
    if (name == "builtin") return RunsFrom(words, 1, true, args_appended, name);
    if (name == "mapfile" || name == "readarray") {
      for (const CommandWord& w : words) {
        if (!w.literal || StartsWith(w.text, "-C")) return Opaque(name + " with a callback");
      }
      return {};
    }
    if (name == "let") return Opaque("let evaluates arithmetic over variables");
    static const std::set<std::string> declarations = {
        "declare", "typeset", "local", "export", "readonly", "read",  "printf",
        "unset",   "getopts", "wait",  "test",   "[",        "coproc"};
    if (declarations.count(name)) {
      for (size_t i = 1; i < words.size(); ++i) {
        const CommandWord& w = words[i];
        std::string_view t = w.text;
        size_t eq = t.find('=');
        std::string_view var = eq == std::string_view::npos ? t : t.substr(0, eq);
        if (var.find('[') != std::string_view::npos) {
          return Opaque(name + " with an array subscript (arithmetic)");
        }
        if (IsDangerousVariable(var) && name != "printf" && name != "test" && name != "[") {
          return Opaque(name + " of a variable that changes what runs");
        }
        if (w.literal && name != "printf" && name != "test" && name != "[" && StartsWith(t, "-") &&
            (t.find('i') != std::string_view::npos || t.find('n') != std::string_view::npos) &&
            name != "read" && name != "unset" && name != "wait") {
          return Opaque(name + " with integer or nameref attributes");
        }
        if (!w.literal && name != "printf" && name != "test" && name != "[" &&
            (eq == std::string_view::npos || var.find_first_of("$`\"'\\") != std::string::npos)) {
          return Opaque(name + " of variable names not known statically");
        }
        if (name == "printf" && t == "-v") {
          if (i + 1 >= words.size() || !words[i + 1].literal ||
              words[i + 1].text.find('[') != std::string::npos ||
              IsDangerousVariable(words[i + 1].text)) {
            return Opaque("printf -v into a variable not known statically");
          }
        }
      }
      return {};
    }
  }
  if (IsShell(name)) return AnalyzeShell(words, args_appended);
  if (name == "env") return AnalyzeEnv(words, args_appended);
  if (name == "xargs") {
    if (args_appended) return Opaque("xargs under xargs");
    return AnalyzeXargs(words);
  }
  if (name == "nohup") return RunsFrom(words, SkipOptions(words, 1, {}), true, args_appended, name);
  if (name == "nice") {
    size_t i = SkipOptions(words, 1, {{'n'}, {"--adjustment"}}, true);
    if (i == std::string::npos) return Opaque("nice options not literal");
    return RunsFrom(words, i, true, args_appended, name);
  }
  if (name == "timeout") {
    size_t i = SkipOptions(words, 1, {{'s', 'k'}, {"--signal", "--kill-after"}});
    if (i == std::string::npos) return Opaque("timeout options not literal");
    if (i < words.size()) ++i;  // the duration
    return RunsFrom(words, i, true, args_appended, name);
  }
  if (name == "stdbuf") {
    size_t i = SkipOptions(words, 1, {{'i', 'o', 'e'}, {"--input", "--output", "--error"}});
    if (i == std::string::npos) return Opaque("stdbuf options not literal");
    return RunsFrom(words, i, true, args_appended, name);
  }
  if (name == "time") {
    size_t i = SkipOptions(words, 1, {{'f', 'o'}, {"--format", "--output"}});
    if (i == std::string::npos) return Opaque("time options not literal");
    return RunsFrom(words, i, true, args_appended, name);
  }
  if (name == "sudo" || name == "doas") {
    for (const CommandWord& w : words) {
      if (w.literal && (w.text == "-s" || w.text == "-i" || w.text == "--shell" ||
                        w.text == "--login" || w.text == "-e" || w.text == "--edit")) {
        return Opaque(name + " running a shell or an editor");
      }
    }
    size_t i = SkipOptions(words, 1,
                           {{'u', 'g', 'h', 'p', 'C', 'D', 'r', 't', 'U', 'T'},
                            {"--user", "--group", "--host", "--prompt", "--close-from", "--chdir",
                             "--role", "--type", "--other-user", "--command-timeout"}});
    if (i == std::string::npos) return Opaque(name + " options not literal");
    return RunsFrom(words, i, false, args_appended, name);
  }
  if (name == "ionice" || name == "setsid" || name == "chrt" || name == "taskset") {
    size_t i = SkipOptions(words, 1, {{'c', 'n', 'p', 'P', 'u'}, {"--class", "--classdata"}});
    if (i == std::string::npos) return Opaque(name + " options not literal");
    if ((name == "chrt" || name == "taskset") && i < words.size()) ++i;  // priority / mask
    return RunsFrom(words, i, false, args_appended, name);
  }
  if (name == "find") {
    for (size_t i = 1; i < words.size(); ++i) {
      const std::string& t = words[i].text;
      if (t == "-exec" || t == "-execdir" || t == "-ok" || t == "-okdir") {
        std::vector<CommandWord> inner;
        for (size_t j = i + 1; j < words.size(); ++j) {
          if (words[j].text == ";" || words[j].text == "+") break;
          CommandWord w = words[j];
          if (w.text.find("{}") != std::string::npos) w.literal = false;
          inner.push_back(w);
        }
        if (inner.empty() || !inner[0].literal) return Opaque("find -exec of a command not known");
        WrapperAnalysis a;
        a.kind = Kind::kRunsCommand;
        a.inner = inner;
        a.appends_args = true;
        return a;
      }
    }
  }
  return {};
}

}  // namespace brock
