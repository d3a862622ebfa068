// Shell command splitting for the permission engine. A Bash call like `npm test && rm -rf build`
// is checked part by part, so a rule that allows `npm test` does not also allow `rm -rf build`.
//
// The parsing is agent/shell_parser.h's; this file keeps the simple word-level helpers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace brock {

// The text (ShellCommand::text of agent/shell_parser.h: words re-quoted, then redirections) of
// every simple command of `command` that the shell itself runs, including those inside
// substitutions, in no particular order; commands run by wrappers, `eval` and `bash -c` are not
// included. An empty or all-comment command gives an empty vector.
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
