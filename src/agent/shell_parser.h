// A bash parser for the permission engine: for a command string, every simple command bash may
// run, with its words after quote removal and its redirections, and whether anything in it is
// opaque (could run commands that cannot be known without running it).
//
// It follows bash's grammar (the bash manual's SHELL GRAMMAR, QUOTING and EXPANSION sections and
// POSIX's Shell Command Language): single, double, ANSI-C ($'..') and locale ($"..") quoting,
// backslashes and line continuations, comments (a `#` only at the start of a word), command,
// process, arithmetic and parameter expansions nested anywhere (inside double quotes, heredoc
// bodies, `${x:-$(y)}`, `$(( $(y) ))`, here-strings, redirection targets), heredocs, subshells,
// groups, `if`/`while`/`until`/`for`/`select`/`case`, `[[ ]]`, `(( ))`, functions and coprocs.
// Commands that run other commands are followed (agent/shell_wrappers.h): `eval` with literal
// arguments and `bash -c 'literal'` are parsed in turn, wrappers (`env`, `time`, `nice`,
// `timeout`, `nohup`, `stdbuf`, `command`, `builtin`, `exec`, `xargs`, `sudo`...) report the
// command they run as well.
//
// The rule: anything whose executed commands are not known statically makes the parse opaque
// (`$cmd` or `$(..)` as a command name, globs in a command name, `eval "$x"`, `source`, a shell
// reading a script from a file or a pipe, arithmetic over variables, calls of functions defined
// in the script, aliases and shopt...). The permission engine never allows an opaque command.
// The differential test (shell_parser_bash_test.cc) runs generated commands under bash with
// logging stubs and checks that every command bash ran was reported or the parse was opaque.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace brock {

// One redirection of a simple command.
struct ShellRedirection {
  int fd = -1;          // the explicit file descriptor (`2>`), -1 when none was written
  std::string op;       // "<", ">", ">>", ">|", "<>", "<&", ">&", "&>", "&>>", "<<", "<<-", "<<<"
  std::string target;   // the target after quote removal; a heredoc's body; a here-string's word
  bool literal = true;  // target known exactly (no expansions, globs or braces)
  std::string text;     // as written: "2>&1", "> out.txt", "<<EOF"
};

// One simple command bash may run.
struct ShellCommand {
  std::vector<std::string> words;  // after quote removal; a word with expansions keeps its source
  std::vector<bool> literal;       // per word: no expansions, globs, braces or tilde
  std::vector<std::string> assignments;  // leading `NAME=value` words, as written
  std::vector<ShellRedirection> redirections;
  std::string name;       // words[0] ("" when the command has no words: only redirections)
  std::string base_name;  // name's last path component: "rm" for "/bin/rm"; "" when unknown
  std::string text;       // words re-quoted where needed, then redirections: for rule matching
  int parent = -1;        // index of the command that runs this one (a wrapper, `bash -c`, `eval`)
  // Allow rules may judge this command by the commands it runs (its children) instead of by its
  // own text: harmless wrappers (`time`, `nice`, `timeout 5`...) and literal scripts
  // (`bash -c 'npm test'`, `eval 'ls'`).
  bool transparent = false;
};

struct ShellParse {
  std::vector<ShellCommand> commands;       // every simple command bash may run (order unspecified)
  bool opaque = false;                      // something may run that is not in `commands`
  std::vector<std::string> opaque_reasons;  // why, one short phrase each
  bool syntax_error = false;                // bash would reject (part of) it; also opaque
};

// Parses `script` as `bash -c` would.
ShellParse ParseShell(std::string_view script);

// `word` quoted for a shell if it needs it ('it''s' style single quotes), else as is.
std::string ShellQuote(std::string_view word);

}  // namespace brock
