// Shell command splitting for the permission engine. A Bash call like `npm test && rm -rf build`
// is checked part by part, so a rule that allows `npm test` does not also allow `rm -rf build`.
//
// This is not a shell: it understands just enough POSIX sh syntax to find where one simple command
// ends and the next begins (quotes, escapes, comments, control operators, command and process
// substitution, subshells and braces). When in doubt it splits more, never less, so a command
// is at worst checked in smaller pieces.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace brock {

// The simple commands of `command`, trimmed, in order. Separators are `&&`, `||`, `;`, `|`,
// `|&`, `&` (background; not the `&` of `2>&1` or `&>`), newlines, and `(` / `)`. Quotes and
// backslashes are respected; `# comments` are dropped. The text of each `$(...)`, `` `...` ``,
// `<(...)` and `>(...)` is split recursively and its parts are appended after the part that
// contains it (which keeps its literal text). Leading keywords (`if`, `then`, `do`, `!`, `{`,
// `time`...) are removed and parts that are only a closing keyword (`fi`, `done`, `}`...) are
// dropped. An empty or all-comment command gives an empty vector.
std::vector<std::string> SplitShellCommand(std::string_view command);

// One word of a simple command: its text after quote removal, and where it starts and ends in the
// input (byte offsets), so callers can cut the original text.
struct ShellWord {
  std::string text;
  size_t begin = 0;
  size_t end = 0;
};

// The words of one simple command (no separators expected), with quotes removed. Unbalanced
// quotes run to the end of the input.
std::vector<ShellWord> ShellWords(std::string_view simple_command);

// `simple_command` with leading variable assignments (`FOO=1`) and wrapper commands that run
// their arguments as a command (`sudo`, `env`, `nohup`, `exec`, `nice`, `timeout`, `time`,
// `command`, `builtin`, `xargs`, `stdbuf`, `ionice`) and their options removed, repeatedly:
// `sudo -u bob env X=1 rm -rf /` -> `rm -rf /`. Returns the input (trimmed) when there is nothing
// to strip. Used so deny and ask rules see through wrappers.
std::string StripCommandWrappers(std::string_view simple_command);

}  // namespace brock
