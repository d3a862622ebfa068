#include "agent/shell_split.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace brock {
namespace {

using Parts = std::vector<std::string>;

Parts Sorted(Parts p) {
  std::sort(p.begin(), p.end());
  return p;
}

TEST(ShellSplit, ControlOperatorsSplitCommands) {
  EXPECT_EQ(SplitShellCommand("npm test && rm -rf build"), (Parts{"npm test", "rm -rf build"}));
  EXPECT_EQ(SplitShellCommand("a || b; c | d |& e"), (Parts{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(SplitShellCommand("a\nb\n\n c "), (Parts{"a", "b", "c"}));
  EXPECT_EQ(SplitShellCommand("sleep 1 & rm x"), (Parts{"sleep 1", "rm x"}));
}

TEST(ShellSplit, QuotesAndEscapesHideOperators) {
  EXPECT_EQ(SplitShellCommand("echo 'a && b' ; ls"), (Parts{"echo 'a && b'", "ls"}));
  // Parts are re-quoted after quote removal.
  EXPECT_EQ(SplitShellCommand("echo \"x; y | z\""), (Parts{"echo 'x; y | z'"}));
  EXPECT_EQ(SplitShellCommand("echo a\\;b"), (Parts{"echo 'a;b'"}));
  EXPECT_EQ(SplitShellCommand("grep 'a|b' f | wc -l"), (Parts{"grep 'a|b' f", "wc -l"}));
}

TEST(ShellSplit, RedirectionsAreNotSeparators) {
  EXPECT_EQ(SplitShellCommand("make 2>&1 | tee log"), (Parts{"make 2>&1", "tee log"}));
  EXPECT_EQ(SplitShellCommand("make &> log"), (Parts{"make &> log"}));
  EXPECT_EQ(SplitShellCommand("echo x >| f"), (Parts{"echo x >| f"}));
}

TEST(ShellSplit, SubstitutionsAreCheckedToo) {
  EXPECT_EQ(Sorted(SplitShellCommand("echo $(rm -rf /tmp/x)")),
            Sorted({"echo $(rm -rf /tmp/x)", "rm -rf /tmp/x"}));
  EXPECT_EQ(Sorted(SplitShellCommand("echo `whoami; id`")),
            Sorted({"echo `whoami; id`", "whoami", "id"}));
  EXPECT_EQ(Sorted(SplitShellCommand("echo \"$(curl x | sh)\"")),
            Sorted({"echo \"$(curl x | sh)\"", "curl x", "sh"}));
  EXPECT_EQ(Sorted(SplitShellCommand("diff <(ls a) <(ls b)")),
            Sorted({"diff <(ls a) <(ls b)", "ls a", "ls b"}));
  // Arithmetic is not a command.
  EXPECT_EQ(SplitShellCommand("echo $((1+2))"), (Parts{"echo $((1+2))"}));
  // Single quotes keep $( literal.
  EXPECT_EQ(SplitShellCommand("echo '$(rm x)'"), (Parts{"echo '$(rm x)'"}));
}

TEST(ShellSplit, SubshellsBracesAndKeywords) {
  EXPECT_EQ(SplitShellCommand("(cd sub && make)"), (Parts{"cd sub", "make"}));
  EXPECT_EQ(SplitShellCommand("{ rm a; rm b; }"), (Parts{"rm a", "rm b"}));
  EXPECT_EQ(SplitShellCommand("if test -f x; then rm x; fi"), (Parts{"test -f x", "rm x"}));
  EXPECT_EQ(SplitShellCommand("while true; do rm x; done"), (Parts{"true", "rm x"}));
  EXPECT_EQ(SplitShellCommand("! grep x f"), (Parts{"grep x f"}));
}

TEST(ShellSplit, CommentsAreDropped) {
  EXPECT_EQ(SplitShellCommand("ls # && rm -rf /"), (Parts{"ls"}));
  EXPECT_EQ(SplitShellCommand("# only a comment"), (Parts{}));
  EXPECT_EQ(SplitShellCommand("echo a#b"), (Parts{"echo 'a#b'"}));
  EXPECT_EQ(SplitShellCommand(""), (Parts{}));
}

TEST(ShellSplit, LineContinuationJoins) {
  EXPECT_EQ(SplitShellCommand("git commit \\\n -m x"), (Parts{"git commit -m x"}));
}

TEST(ShellWords, RemovesQuotes) {
  auto words = ShellWords("git commit -m \"a b\" 'c d' e\\ f");
  ASSERT_EQ(words.size(), 6u);
  EXPECT_EQ(words[3].text, "a b");
  EXPECT_EQ(words[4].text, "c d");
  EXPECT_EQ(words[5].text, "e f");
  EXPECT_EQ(words[1].begin, 4u);
}

TEST(StripCommandWrappers, SeesThroughWrappers) {
  EXPECT_EQ(StripCommandWrappers("sudo rm -rf /"), "rm -rf /");
  EXPECT_EQ(StripCommandWrappers("sudo -u bob env X=1 rm -rf /"), "rm -rf /");
  EXPECT_EQ(StripCommandWrappers("FOO=1 BAR='a b' rm x"), "rm x");
  EXPECT_EQ(StripCommandWrappers("timeout -s KILL 10 nohup rm x"), "rm x");
  EXPECT_EQ(StripCommandWrappers("nice -n 5 exec rm x"), "rm x");
  EXPECT_EQ(StripCommandWrappers("ls -la"), "ls -la");
  EXPECT_EQ(StripCommandWrappers("sudo"), "sudo");
}

TEST(ShellSplit, ArbitraryInputNeverCrashesAndPartsAreTrimmed) {
  const std::string alphabet = "ab $()`'\"\\;&|<>#\n{}!";
  std::mt19937 rng(42);
  for (int round = 0; round < 20000; ++round) {
    std::string cmd;
    int len = static_cast<int>(rng() % 24);
    for (int i = 0; i < len; ++i) cmd += alphabet[rng() % alphabet.size()];
    for (const std::string& part : SplitShellCommand(cmd)) {
      ASSERT_FALSE(part.empty()) << cmd;
      ASSERT_NE(part.front(), ' ') << cmd;
    }
    ShellWords(cmd);
    StripCommandWrappers(cmd);
  }
}

}  // namespace
}  // namespace brock
