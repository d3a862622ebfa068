#include "agent/readonly_commands.h"

#include <set>

#include "base/strings.h"

namespace brock {
namespace {

using Set = std::set<std::string_view>;

// Read-only commands whose operands are files they read; unquoted globs are fine (no option of
// theirs writes or executes).
const Set& PathReaders() {
  static const Set k = {"cat",       "head",      "tail",      "wc",        "ls",     "stat",
                        "file",      "du",        "diff",      "cmp",       "nl",     "od",
                        "hexdump",   "strings",   "tac",       "rev",       "cut",    "paste",
                        "comm",      "fold",      "expand",    "unexpand",  "md5sum", "sha1sum",
                        "sha224sum", "sha256sum", "sha384sum", "sha512sum", "b2sum",  "cksum",
                        "realpath",  "readlink",  "tree",      "column",    "uniq",   "look",
                        "dir",       "vdir",      "grep",      "egrep",     "fgrep",  "rg"};
  return k;
}

// Read-only commands that take no file operands (their arguments are text).
const Set& TextCommands() {
  static const Set k = {"echo",    "printf",   "pwd",     "which",  "whoami", "id",      "date",
                        "uname",   "true",     "false",   "type",   "seq",    "sleep",   "printenv",
                        "groups",  "nproc",    "arch",    "tty",    "test",   "[",       "basename",
                        "dirname", "hostname", "whereis", "locale", "tr",     "logname", "users",
                        "uptime",  "env",      "expr",    "yes",    ":"};
  return k;
}

bool IsGlobWord(const std::string& w) {
  if (w.find_first_of("$`~{(") != std::string::npos) return false;
  return w.find_first_of("*?[") != std::string::npos;
}

// `~` or `~/path` with nothing else to expand: a path under the home directory.
bool IsTildePath(const std::string& w) {
  if (w != "~" && !StartsWith(w, "~/")) return false;
  return w.find_first_of("$`{(*?[\\'\"") == std::string::npos;
}

bool IsDevTarget(std::string_view t) {
  return t == "/dev/null" || t == "/dev/stdout" || t == "/dev/stderr" || t == "/dev/tty" ||
         StartsWith(t, "/dev/fd/");
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Short option cluster `-abc` containing `letter`.
bool ClusterHas(std::string_view w, char letter) {
  return w.size() >= 2 && w[0] == '-' && w[1] != '-' && w.find(letter) != std::string_view::npos;
}

// `git` and its arguments: read-only subcommands only.
bool GitReadOnly(const std::vector<std::string>& w, std::vector<std::string>* reads) {
  size_t i = 1;
  for (; i < w.size(); ++i) {
    const std::string& a = w[i];
    if (a == "--no-pager" || a == "-P" || a == "--no-optional-locks" ||
        a == "--literal-pathspecs" || a == "--no-replace-objects") {
      continue;
    }
    if (a == "-C" && i + 1 < w.size()) {
      reads->push_back(w[++i]);
      continue;
    }
    break;  // -c, --git-dir, --work-tree, --exec-path...: not read-only (they can run commands)
  }
  if (i >= w.size()) return false;
  const std::string& sub = w[i];
  std::vector<std::string> args(w.begin() + static_cast<long>(i) + 1, w.end());
  for (const std::string& a : args) {
    // Options that write a file or run a program.
    if (StartsWith(a, "--output") || a == "--ext-diff" || a == "-O" ||
        StartsWith(a, "--open-files-in-pager") || StartsWith(a, "--exec")) {
      return false;
    }
  }
  static const Set plain = {
      "status",    "log",        "diff",          "show",         "blame",     "shortlog",
      "describe",  "rev-parse",  "ls-files",      "ls-tree",      "cat-file",  "merge-base",
      "rev-list",  "name-rev",   "count-objects", "for-each-ref", "show-ref",  "check-ignore",
      "grep",      "version",    "whatchanged",   "show-branch",  "cherry",    "annotate",
      "diff-tree", "diff-files", "diff-index",    "var",          "ls-remote", "check-attr"};
  if (plain.count(sub)) return true;
  if (sub == "branch" || sub == "tag") {
    static const Set list_opts = {
        "-a",        "--all",       "-r",     "--remotes",      "-v",         "-vv",
        "--verbose", "-l",          "--list", "--show-current", "--no-color", "--color",
        "--column",  "--no-column", "-i",     "--ignore-case",  "-n"};
    static const Set value_opts = {"--contains",  "--no-contains", "--merged", "--no-merged",
                                   "--points-at", "--sort",        "--format"};
    bool list = args.empty();
    bool positional = false;
    for (size_t k = 0; k < args.size(); ++k) {
      const std::string& a = args[k];
      if (sub == "tag" && (a == "-a" || a == "-s" || a == "-u" || a == "-m" || a == "-F" ||
                           a == "-f" || a == "-d" || a == "--delete" || a == "-e")) {
        return false;
      }
      if (a == "-l" || a == "--list" || (sub == "tag" && StartsWith(a, "-n"))) list = true;
      if (list_opts.count(a) || (sub == "tag" && StartsWith(a, "-n"))) continue;
      std::string name = a.substr(0, a.find('='));
      if (value_opts.count(name)) {
        if (a.find('=') == std::string::npos) ++k;
        continue;
      }
      if (a.empty() || a[0] == '-') return false;  // -d, -D, -m, -f, -u, --delete...
      positional = true;
    }
    // `git branch NAME` creates a branch; with --list, NAME is a pattern.
    if (!list && !positional) list = true;
    return list;
  }
  if (sub == "remote") {
    if (args.empty() || (args.size() == 1 && (args[0] == "-v" || args[0] == "--verbose"))) {
      return true;
    }
    return args[0] == "show" || args[0] == "get-url";
  }
  if (sub == "stash") return !args.empty() && (args[0] == "list" || args[0] == "show");
  if (sub == "worktree") return !args.empty() && args[0] == "list";
  if (sub == "reflog") return args.empty() || args[0] == "show";
  if (sub == "config") {
    bool get = false;
    for (const std::string& a : args) {
      if (a == "--get" || a == "--get-all" || a == "--get-regexp" || a == "--list" || a == "-l" ||
          a == "--get-urlmatch" || a == "--get-color" || a == "--get-colorbool") {
        get = true;
      } else if (a == "--unset" || a == "--unset-all" || a == "--add" || a == "--replace-all" ||
                 a == "--rename-section" || a == "--remove-section" || a == "-e" || a == "--edit") {
        return false;
      }
    }
    return get;
  }
  return false;
}

}  // namespace

bool SedScriptIsSafe(std::string_view s) {
  size_t i = 0;
  auto skip_blanks = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == ';')) ++i;
  };
  // An address: a line number, `$`, `/regex/`, `\cREGEXc`, with `,`, `~`, `+`, `!` and `I`/`M`.
  auto skip_address = [&]() -> bool {
    while (i < s.size()) {
      char c = s[i];
      if ((c >= '0' && c <= '9') || c == '$' || c == ',' || c == '~' || c == '+' || c == '!' ||
          c == ' ') {
        ++i;
      } else if (c == '/' || c == '\\') {
        char delim = '/';
        if (c == '\\') {
          if (i + 1 >= s.size()) return false;
          delim = s[i + 1];
          ++i;
        }
        ++i;
        while (i < s.size() && s[i] != delim) {
          if (s[i] == '\\') ++i;
          ++i;
        }
        if (i >= s.size()) return false;
        ++i;
        while (i < s.size() && (s[i] == 'I' || s[i] == 'M')) ++i;
      } else {
        break;
      }
    }
    return true;
  };
  // Skips the rest of a command's text up to `;` or a newline.
  auto skip_to_end = [&] {
    while (i < s.size() && s[i] != ';' && s[i] != '\n') ++i;
  };
  while (true) {
    skip_blanks();
    if (i >= s.size()) return true;
    if (!skip_address()) return false;
    skip_blanks();
    if (i >= s.size()) return false;
    char cmd = s[i++];
    switch (cmd) {
      case '{':
      case '}':
      case '=':
      case 'd':
      case 'D':
      case 'g':
      case 'G':
      case 'h':
      case 'H':
      case 'x':
      case 'n':
      case 'N':
      case 'p':
      case 'P':
      case 'l':
      case 'z':
      case 'F':
        break;
      case 'q':
      case 'Q':
      case 'b':
      case 't':
      case 'T':
      case ':':
        skip_to_end();
        break;
      case '#':
        while (i < s.size() && s[i] != '\n') ++i;
        break;
      case 'a':
      case 'i':
      case 'c':
        // Text to the end of the line (GNU one-liner form); a backslash continues it.
        while (i < s.size() && s[i] != '\n') {
          if (s[i] == '\\') ++i;
          ++i;
        }
        break;
      case 's':
      case 'y': {
        if (i >= s.size() || s[i] == '\n' || s[i] == '\\') return false;
        char delim = s[i++];
        for (int part = 0; part < 2; ++part) {
          while (i < s.size() && s[i] != delim) {
            if (s[i] == '\\') ++i;
            ++i;
          }
          if (i >= s.size()) return false;
          ++i;
        }
        if (cmd == 's') {
          // Flags: g, p, i, I, m, M, numbers. `e` executes, `w` writes a file.
          while (i < s.size() && s[i] != ';' && s[i] != '\n' && s[i] != '}') {
            char f = s[i];
            if (f == 'e' || f == 'w' || f == 'W') return false;
            if (!(f == 'g' || f == 'p' || f == 'i' || f == 'I' || f == 'm' || f == 'M' ||
                  f == ' ' || (f >= '0' && f <= '9'))) {
              return false;
            }
            ++i;
          }
        }
        break;
      }
      default:
        return false;  // e, r, R, w, W, v and anything unknown
    }
  }
}

CommandFiles ClassifyCommand(const ShellCommand& c) {
  CommandFiles out;
  // Redirections: writes and reads, whatever the command.
  bool bad_redirect = false;
  for (const ShellRedirection& r : c.redirections) {
    const std::string& op = r.op;
    bool write = op == ">" || op == ">>" || op == ">|" || op == "&>" || op == "&>>" || op == "<>";
    if (op == ">&" && !AllDigits(r.target) && r.target != "-") write = true;
    if (write) {
      if (!r.literal) {
        out.writes_unknown = true;
        out.writes.push_back(r.target);
      } else if (!IsDevTarget(r.target)) {
        out.writes.push_back(r.target);
      }
    } else if (op == "<") {
      if (!r.literal) bad_redirect = true;
      out.reads.push_back(r.target);
    }
  }
  if (c.words.empty()) {
    out.read_only = !bad_redirect;
    return out;
  }
  const std::string name = c.base_name.empty() ? c.name : c.base_name;
  const std::vector<std::string>& w = c.words;
  auto literal = [&](size_t k) { return k < c.literal.size() ? c.literal[k] : false; };

  if (name == "touch" || name == "mkdir" || name == "cp" || name == "mv" || name == "ln" ||
      name == "install" || name == "chmod" || name == "truncate") {
    std::vector<std::string> operands;
    std::string target_dir;
    bool end_opts = false;
    for (size_t k = 1; k < w.size(); ++k) {
      const std::string& a = w[k];
      if (!literal(k) && !IsTildePath(a)) continue;  // not known: the command asks anyway
      if (!end_opts && a == "--") {
        end_opts = true;
        continue;
      }
      if (!end_opts && a.size() > 1 && a[0] == '-') {
        if (a == "-t" || a == "--target-directory") {
          if (k + 1 < w.size()) target_dir = w[++k];
        } else if (StartsWith(a, "--target-directory=")) {
          target_dir = a.substr(19);
        } else if (a[1] != '-' && a.find('t') != std::string::npos &&
                   (name == "cp" || name == "mv" || name == "ln" || name == "install")) {
          size_t t = a.find('t');
          target_dir = t + 1 < a.size() ? a.substr(t + 1) : (k + 1 < w.size() ? w[++k] : "");
        } else if ((name == "mkdir" && a == "-m") ||
                   (name == "touch" && (a == "-d" || a == "-t")) ||
                   ((name == "cp" || name == "mv") && a == "-S") ||
                   (name == "truncate" && a == "-s")) {
          ++k;
        } else if (name == "touch" && a == "-r" && k + 1 < w.size()) {
          out.reads.push_back(w[++k]);
        }
        continue;
      }
      operands.push_back(a);
    }
    if (name == "chmod" && !operands.empty()) operands.erase(operands.begin());  // the mode
    if (name == "cp" || name == "mv" || name == "ln" || name == "install") {
      if (target_dir.empty() && !operands.empty()) {
        target_dir = operands.back();
        operands.pop_back();
      }
      for (const std::string& o : operands) {
        out.reads.push_back(o);
        if (name == "mv") out.edits.push_back(o);
      }
      if (!target_dir.empty()) out.edits.push_back(target_dir);
    } else {
      out.edits = operands;
    }
    return out;
  }
  if (name == "rm" || name == "rmdir") {
    out.is_removal = true;
    bool end_opts = false;
    for (size_t k = 1; k < w.size(); ++k) {
      if (!end_opts && w[k] == "--") {
        end_opts = true;
        continue;
      }
      if (!end_opts && !w[k].empty() && w[k][0] == '-' && literal(k)) continue;
      out.removal_targets.push_back(w[k]);
    }
    return out;
  }
  if (name != c.name && c.name.find('/') != std::string::npos) {
    // A path-qualified name (`./ls`, `/tmp/cat`) may be any program.
    return out;
  }
  if (bad_redirect) return out;

  if (name == "cd") {
    out.is_cd = true;
    if (w.size() == 1) {
      out.read_only = true;
      out.reads.push_back("~");
    } else if (w.size() == 2 && literal(1) && w[1] != "-") {
      out.cd_target = w[1];
      out.read_only = true;
      out.reads.push_back(w[1]);  // read-only only when the directory is inside
    }
    return out;
  }
  if (TextCommands().count(name)) {
    if (name == "date") {
      for (const std::string& a : w) {
        if (a == "-s" || StartsWith(a, "--set")) return out;
      }
    }
    if (name == "hostname" && w.size() > 1) return out;
    if (name == "env" && w.size() > 1) return out;  // runs a command (reported as its child)
    out.read_only = true;
    return out;
  }
  if (name == "git") {
    out.is_git = true;
    for (size_t k = 1; k < w.size(); ++k) {
      if (!literal(k)) return out;  // a glob could expand to an option
    }
    out.read_only = GitReadOnly(w, &out.reads);
    return out;
  }
  if (name == "find") {
    static const Set actions = {"-exec",   "-execdir", "-ok",      "-okdir", "-delete",
                                "-fprint", "-fprint0", "-fprintf", "-fls"};
    bool in_expr = false;
    for (size_t k = 1; k < w.size(); ++k) {
      if (!literal(k)) return out;
      const std::string& a = w[k];
      if (actions.count(a)) return out;
      if (!in_expr && (a.empty() || a[0] == '-' || a == "(" || a == "!")) {
        // -H/-L/-P/-O/-D before the paths are options, not the expression.
        if (a == "-H" || a == "-L" || a == "-P" || StartsWith(a, "-O")) continue;
        if (a == "-D") {
          ++k;
          continue;
        }
        in_expr = true;
      }
      if (!in_expr) out.reads.push_back(a);
    }
    if (out.reads.empty()) out.reads.push_back(".");
    out.recursive = true;
    out.read_only = true;
    return out;
  }
  if (name == "sed") {
    bool script_given = false;
    bool in_place = false;
    std::vector<std::string> operands;
    for (size_t k = 1; k < w.size(); ++k) {
      if (!literal(k)) return out;
      const std::string& a = w[k];
      if (a == "-i" || StartsWith(a, "--in-place") || ClusterHas(a, 'i')) in_place = true;
      if (a == "-f" || StartsWith(a, "--file") || ClusterHas(a, 'f')) return out;
      if (in_place && !a.empty() && a[0] == '-') continue;
      if (a == "-e" || a == "--expression") {
        if (k + 1 >= w.size() || !SedScriptIsSafe(w[k + 1])) return out;
        script_given = true;
        ++k;
        continue;
      }
      if (StartsWith(a, "--expression=")) {
        if (!SedScriptIsSafe(a.substr(13))) return out;
        script_given = true;
        continue;
      }
      if (StartsWith(a, "-e") && a.size() > 2) {
        if (!SedScriptIsSafe(a.substr(2))) return out;
        script_given = true;
        continue;
      }
      if (!a.empty() && a[0] == '-' && a != "-") {
        if (a == "-l") ++k;  // line length
        continue;
      }
      operands.push_back(a);
    }
    size_t first = 0;
    if (!script_given) {
      if (operands.empty() || !SedScriptIsSafe(operands[0])) return out;
      first = 1;
    }
    for (size_t k = first; k < operands.size(); ++k) {
      out.reads.push_back(operands[k]);
      if (in_place) out.edits.push_back(operands[k]);
    }
    out.read_only = !in_place;
    return out;
  }
  if (name == "sort") {
    std::vector<std::string> reads;
    for (size_t k = 1; k < w.size(); ++k) {
      if (!literal(k)) return out;
      const std::string& a = w[k];
      if (a == "-o" || StartsWith(a, "--output") || StartsWith(a, "--compress-program") ||
          StartsWith(a, "--files0-from") || ClusterHas(a, 'o')) {
        return out;
      }
      if (a == "-k" || a == "-t" || a == "-S" || a == "-T" || a == "--parallel") {
        ++k;
        continue;
      }
      if (!a.empty() && a[0] == '-' && a != "-") continue;
      out.reads.push_back(a);
    }
    out.read_only = true;
    return out;
  }
  if (!PathReaders().count(name)) return out;

  // Generic file readers: options are skipped, operands are files. grep/rg take a pattern first.
  const bool searcher = name == "grep" || name == "egrep" || name == "fgrep" || name == "rg";
  bool pattern_given = false;
  bool end_opts = false;
  std::vector<std::string> operands;
  for (size_t k = 1; k < w.size(); ++k) {
    const std::string& a = w[k];
    if (!literal(k) && IsTildePath(a)) {
      operands.push_back(a);
      continue;
    }
    if (!literal(k)) {
      if (!IsGlobWord(a)) return out;  // `$x`, `$(..)`: not known
      out.has_glob = true;
      operands.push_back(a);
      continue;
    }
    if (!end_opts && a == "--") {
      end_opts = true;
      continue;
    }
    if (!end_opts && a.size() > 1 && a[0] == '-') {
      if (name == "rg" && (StartsWith(a, "--pre") || a == "--search-zip" || a == "-z")) return out;
      if (name == "file" && (a == "-m" || StartsWith(a, "--magic-file") || a == "-f" ||
                             StartsWith(a, "--files-from") || a == "-C" || a == "--compile")) {
        return out;
      }
      if (name == "tree" && (a == "-o" || StartsWith(a, "--output"))) return out;
      if (searcher) {
        if (a == "-e" || a == "-f" || a == "--regexp" || a == "--file") {
          pattern_given = true;
          if (a == "-f" || a == "--file") {
            if (k + 1 < w.size()) out.reads.push_back(w[k + 1]);
          }
          ++k;
          continue;
        }
        if (name == "rg" && (a == "--files" || a == "--type-list")) {
          pattern_given = true;  // lists files: no pattern
          continue;
        }
        if (StartsWith(a, "--regexp=") || StartsWith(a, "--file=")) {
          pattern_given = true;
          continue;
        }
        if (a == "-r" || a == "-R" || a == "--recursive" || a == "--dereference-recursive" ||
            (a[1] != '-' && (ClusterHas(a, 'r') || ClusterHas(a, 'R')))) {
          out.recursive = true;
        }
        static const Set with_value = {"-A",
                                       "-B",
                                       "-C",
                                       "-m",
                                       "-g",
                                       "--glob",
                                       "-t",
                                       "--type",
                                       "-T",
                                       "--type-not",
                                       "--include",
                                       "--exclude",
                                       "--exclude-dir",
                                       "-M",
                                       "--max-columns",
                                       "-j",
                                       "--threads",
                                       "--max-count",
                                       "--max-depth",
                                       "-d",
                                       "-D"};
        if (with_value.count(a)) ++k;
        continue;
      }
      if ((name == "ls" || name == "dir" || name == "vdir") &&
          (a == "-R" || a == "--recursive" || (a[1] != '-' && ClusterHas(a, 'R')))) {
        out.recursive = true;
      }
      if ((name == "diff") && (a == "-r" || a == "--recursive" || ClusterHas(a, 'r'))) {
        out.recursive = true;
      }
      if ((name == "head" || name == "tail") && (a == "-n" || a == "-c")) ++k;
      if ((name == "cut") && (a == "-d" || a == "-f" || a == "-c" || a == "-b")) ++k;
      continue;
    }
    operands.push_back(a);
  }
  size_t first = 0;
  if (searcher && !pattern_given) {
    if (operands.empty()) return out;
    first = 1;
  }
  if (name == "uniq" && operands.size() > 1) return out;  // `uniq in out` writes `out`
  for (size_t k = first; k < operands.size(); ++k) out.reads.push_back(operands[k]);
  if (name == "rg") out.recursive = true;
  if (name == "du" || name == "tree") out.recursive = true;
  if (out.recursive && operands.size() <= first) out.reads.push_back(".");
  out.read_only = true;
  return out;
}

}  // namespace brock
