#include "agent/shell_parser.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace brock {
namespace {

// The command names (last path component) a parse reports, sorted, and whether it is opaque.
std::string Names(std::string_view script) {
  ShellParse p = ParseShell(script);
  std::vector<std::string> names;
  for (const ShellCommand& c : p.commands) {
    if (!c.base_name.empty()) names.push_back(c.base_name);
  }
  std::sort(names.begin(), names.end());
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : " ") + n;
  return p.opaque ? out + " [opaque]" : out;
}

struct Case {
  const char* script;
  const char* names;
};

TEST(ShellParser, EveryConstructReportsWhatBashRuns) {
  const Case cases[] = {
      {"npm test && rm -rf build", "npm rm"},
      {"a || b; c | d |& e & f", "a b c d e f"},
      {"echo 'a && b'; ls", "echo ls"},
      {"echo $(rm x) `id` \"$(curl y)\" <(ls) >(cat)", "cat curl echo id ls rm"},
      {"echo \"${x:-$(rm a)}\"", "echo rm"},
      {"cat <<<$(rm a)", "cat rm"},
      {"cat <<EOF\n$(rm a)\nEOF\nls", "cat ls rm"},
      {"cat <<'EOF'\n$(rm a)\nEOF\nls", "cat ls"},
      {"cat <<-EOF\n\t`rm a`\n\tEOF", "cat rm"},
      {"\x01#; rm a", "\x01# rm"},
      {"ls # ; rm a", "ls"},
      {"ls a#b", "ls"},
      {"ls \\\n; rm a", "ls rm"},
      {"$'\\x72m' a; $'\\162m' b", "rm rm"},
      {"'rm' a; \"ls\"; r\\m b; r''m c; $\"git\"", "git ls rm rm rm"},
      {"/bin/rm a; ./rm b; ~/bin/rm c", "rm rm rm"},
      {"(cd x && make) ; { rm a; }", "cd make rm"},
      {"if ls; then rm; elif git; then make; else cat; fi", "cat git ls make rm"},
      {"for f in $(ls); do rm $f; done", "ls rm"},
      {"while false; do rm; done; until ls; do :; done", ": false ls rm"},
      {"case $(id) in a) rm;; (b|c) ls;& *) git;;& esac", "git id ls rm"},
      {"[[ $(rm a) == x && -n y ]]", "rm"},
      {"[[ x =~ (a|b) ]] && ls", "ls"},
      {"select x in a; do break; done", "break"},
      {"coproc NAME { ls; }", "ls"},
      {"time -p rm a", "rm"},
      {"ls | time -p rm", "ls rm time"},
      {"! rm a", "rm"},
      {"exec -a name rm a", "exec rm"},
      {"command -v rm", "command"},
      {"command rm a; builtin eval 'ls'", "builtin command eval ls rm"},
      {"bash -c 'rm a; ls'", "bash ls rm"},
      {"sh -xc \"git status\"", "git sh"},
      {"bash <<EOF\nrm a\nEOF", "bash rm"},
      {"bash <<<'rm a'", "bash rm"},
      {"eval 'rm a' \"; ls\"", "eval ls rm"},
      {"env X=1 nice -n 5 timeout -s KILL 5 nohup stdbuf -o0 rm a",
       "env nice nohup rm stdbuf timeout"},
      {"sudo -u bob rm a", "rm sudo"},
      {"xargs -n1 rm", "rm xargs"},
      {"xargs", "echo xargs"},
      {"env -S 'rm -f' x", "env rm"},
      {"find . -exec rm {} ;", "find rm"},
      {"trap 'rm a' EXIT", "rm trap"},
      {"a=$(rm a) b=(`ls`)", "ls rm"},
      {"ls > out.txt 2>&1 < in", "ls"},
      {"echo $((1 + 2))", "echo"},
  };
  for (const Case& c : cases) EXPECT_EQ(Names(c.script), c.names) << c.script;
}

TEST(ShellParser, WhatCannotBeKnownIsOpaque) {
  const char* opaque[] = {
      "$cmd a",
      "$(echo rm) a",
      "/bin/r? a",
      "{rm,a}",
      "eval \"$x\"",
      "source x.sh",
      ". x.sh",
      "bash x.sh",
      "bash -c \"$script\"",
      "echo rm | bash",
      "bash < script",
      "echo $(( $(rm a) ))",
      "echo $(( x ))",
      "(( i++ ))",
      "for ((i=0; i<3; i++)); do :; done",
      "[[ $x -eq 1 ]]",
      "echo ${!name}",
      "echo ${a[$i]}",
      "a[$i]=1",
      "declare -i x=1",
      "f() { ls; }; f",
      "alias ls=rm",
      "shopt -s expand_aliases",
      "BASH_ENV=x bash -c ls",
      "export LD_PRELOAD=x",
      "env BASH_ENV=x bash -c ls",
      "xargs sh -c",
      "xargs -I{} {} a",
      "echo 'unterminated",
      "echo $(ls",
      "mapfile -C cb arr",
      "let x=1",
      "exec $cmd",
      "$'\\u0072m' a",
  };
  for (const char* s : opaque) EXPECT_TRUE(ParseShell(s).opaque) << s;
  const char* known[] = {
      "ls -la",
      "echo \"$HOME\"",
      "git commit -m \"$(date)\"",
      "echo $((1+2))",
      "export PATH_EXTRA=\"$HOME/bin\"",
      "read -r line",
      "printf '%s\\n' \"$x\"",
      "cat <<EOF\nhi\nEOF",
  };
  for (const char* s : known) EXPECT_FALSE(ParseShell(s).opaque) << s;
}

TEST(ShellParser, WordsRedirectionsAndText) {
  ShellParse p = ParseShell("FOO=1 git commit -m \"a b\" 'c' > out.txt 2>&1 <<EOF\nbody $x\nEOF\n");
  ASSERT_EQ(p.commands.size(), 1u);
  const ShellCommand& c = p.commands[0];
  EXPECT_EQ(c.assignments, (std::vector<std::string>{"FOO=1"}));
  EXPECT_EQ(c.words, (std::vector<std::string>{"git", "commit", "-m", "a b", "c"}));
  ASSERT_EQ(c.redirections.size(), 3u);
  EXPECT_EQ(c.redirections[0].op, ">");
  EXPECT_EQ(c.redirections[0].target, "out.txt");
  EXPECT_EQ(c.redirections[1].fd, 2);
  EXPECT_EQ(c.redirections[1].op, ">&");
  EXPECT_EQ(c.redirections[2].op, "<<");
  EXPECT_EQ(c.redirections[2].target, "body $x\n");
  EXPECT_FALSE(c.redirections[2].literal);
  EXPECT_EQ(c.text, "git commit -m 'a b' c > out.txt 2>&1 <<EOF");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
}

TEST(ShellParser, WrappersAreTransparentChildren) {
  ShellParse p = ParseShell("timeout 5 npm test");
  ASSERT_EQ(p.commands.size(), 2u);
  EXPECT_TRUE(p.commands[0].transparent);
  EXPECT_EQ(p.commands[1].parent, 0);
  EXPECT_EQ(p.commands[1].text, "npm test");
}

}  // namespace
}  // namespace brock
