// What a simple command runs besides itself: the command behind a wrapper (`env X=1 nice -n 5
// rm x` runs `nice -n 5 rm x`, which runs `rm x`), the script of `eval` and `bash -c`, or a
// reason the command is opaque (`source`, `eval "$x"`, `alias`, `xargs sh -c` with the script
// from stdin...). Used by agent/shell_parser.h on every simple command it finds.
#pragma once

#include <string>
#include <vector>

namespace brock {

struct CommandWord {
  std::string text;     // after quote removal (the source text when not literal)
  bool literal = true;  // no expansions, globs or braces
};

struct WrapperAnalysis {
  enum class Kind {
    kPlain,        // runs nothing else (as far as anyone can tell from its words)
    kRunsCommand,  // runs `inner` (with more arguments appended when `appends_args`)
    kRunsScript,   // runs `script` as shell code (eval, bash -c, trap handlers)
    kStdinScript,  // a shell that reads its script from stdin
    kDoesNotRun,   // `command -v x`: names a command without running it
    kOpaque,       // runs something that cannot be known statically: `reason`
  };
  Kind kind = Kind::kPlain;
  std::vector<CommandWord> inner;
  bool appends_args = false;  // xargs: the inner command gets arguments from stdin
  std::string script;
  // Allow rules may look at `inner` / `script` instead of this command's own text.
  bool transparent = false;
  std::string reason;
};

// `words[0]` is the command name (after quote removal). `args_appended`: the command itself gets
// unknown extra arguments (it runs under xargs), so a wrapper without its command, or
// `sh -c` without its script, is opaque.
WrapperAnalysis AnalyzeWrapper(const std::vector<CommandWord>& words, bool args_appended);

// True when setting or exporting `name` can run code or change what later commands run:
// BASH_ENV, LD_PRELOAD, PS4, SHELLOPTS, BASHOPTS, BASH_FUNC_*...
bool IsDangerousVariable(std::string_view name);

}  // namespace brock
