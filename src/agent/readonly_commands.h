// What one simple shell command does to files, as far as the permission engine needs to know:
// whether it is one of the built-in read-only commands (Claude Code's list: `ls`, `cat`, `head`,
// `grep`, `find` without actions, `sed` without `-i` or `e`/`w`/`r` commands, read-only `git`
// subcommands, `echo`, `pwd`...) with every argument checked, which files it reads, which files
// it writes (output redirections), and which it removes (`rm`, `rmdir`). The engine
// (agent/permissions.h) then checks those paths against Read/Edit rules, the working directories
// and the protected and critical paths. Pure: no file system access.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/shell_parser.h"

namespace brock {

struct CommandFiles {
  // A built-in read-only form: runs without asking in every mode when the paths it reads are
  // inside the working directories (and no Read rule stops them).
  bool read_only = false;
  // Paths it reads (as written; relative ones resolve against the working directory).
  std::vector<std::string> reads;
  // It reads whole directory trees (`grep -r`, `rg`, `find`, `ls -R`, `du`, `tree`): a Read
  // deny or ask rule below them makes it ask.
  bool recursive = false;
  // An argument is an unquoted glob (`ls *.ts`): what it reads is not known exactly.
  bool has_glob = false;
  // Output redirection targets (`> out.txt`, `2>> log`, `&> f`), as written; /dev/null and the
  // other /dev/std* targets are left out. A target that is not literal is kept with
  // `writes_unknown` set.
  std::vector<std::string> writes;
  bool writes_unknown = false;
  // Files a file command changes through its operands (`touch a`, `mkdir d`, `sed -i .. f`,
  // the target of `cp`/`mv`, every operand of `mv`): checked against Edit/Read deny and ask
  // rules and the protected paths, whatever rule allows the command.
  std::vector<std::string> edits;
  // `cd DIR`: the directory, as written ("" for `cd` alone, which goes home).
  bool is_cd = false;
  std::string cd_target;
  bool is_git = false;
  // `rm` / `rmdir`: their operands as written (globs and variables kept as source text).
  bool is_removal = false;
  std::vector<std::string> removal_targets;
};

// Classifies one simple command from agent/shell_parser.h.
CommandFiles ClassifyCommand(const ShellCommand& command);

// True when a sed script only prints or transforms its input: no `e` (execute), `w`/`W` (write a
// file), `r`/`R` (read a file) commands and no `e`/`w` flags on `s`. Scripts it cannot parse are
// not safe.
bool SedScriptIsSafe(std::string_view script);

}  // namespace brock
