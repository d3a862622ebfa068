// Differential test of agent/shell_parser.h against bash itself. Generated and hand-written
// command strings run under `bash --norc --noprofile -c` with PATH set to a directory of logging
// stubs only (every external command the generator uses is a stub that appends its name to a
// log; the wrappers env, nice, timeout, nohup, stdbuf, xargs, time, bash and sh log and then run
// the real program, so what they run is checked too). Every command bash ran must be one the
// parser reported, or the parser must have said the command is opaque.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "agent/shell_parser.h"

namespace brock {
namespace {

const char* const kNames[] = {"rm", "ls", "cat", "git", "npm", "curl", "make", "grep", "touch"};
// Wrappers that log and then run the real program.
const std::pair<const char*, const char*> kWrappers[] = {
    {"env", "/usr/bin/env"},     {"nice", "/usr/bin/nice"},     {"timeout", "/usr/bin/timeout"},
    {"nohup", "/usr/bin/nohup"}, {"stdbuf", "/usr/bin/stdbuf"}, {"xargs", "/usr/bin/xargs"},
    {"time", "/usr/bin/time"},   {"bash", "/bin/bash"},         {"sh", "/bin/sh"}};

class Generator {
 public:
  Generator(unsigned seed, std::string stub_dir) : rng_(seed), stubs_(std::move(stub_dir)) {}

  std::string Command() { return List(0); }

 private:
  size_t Pick(size_t n) { return rng_() % n; }
  template <size_t N>
  std::string Of(const char* const (&options)[N]) {
    return options[Pick(N)];
  }

  std::string Name() {
    std::string n = kNames[Pick(std::size(kNames))];
    switch (Pick(12)) {
      case 0:
        return "'" + n + "'";
      case 1:
        return "\"" + n + "\"";
      case 2:
        return n.substr(0, 1) + "\\" + n.substr(1);
      case 3:
        return n.substr(0, 1) + "''" + n.substr(1);
      case 4: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(n[0]));
        return "$'" + std::string(buf) + n.substr(1) + "'";
      }
      case 5:
        return stubs_ + "/" + n;
      case 6:
        return "\"" + stubs_ + "\"/" + n;
      case 7:
        return "$\"" + n + "\"";
      default:
        return n;
    }
  }

  std::string Wrapped(int depth) {
    std::string inner = depth < 1 && Pick(3) == 0 ? Wrapped(depth + 1) : Name();
    switch (Pick(16)) {
      case 0:
        return "env X=1 " + inner;
      case 1:
        return "nice -n 5 " + inner;
      case 2:
        return "timeout 5 " + inner;
      case 3:
        return "timeout -s KILL 5 " + inner;
      case 4:
        return "nohup " + inner;
      case 5:
        return "stdbuf -o0 " + inner;
      case 6:
        return "command " + inner;
      case 7:
        return "builtin eval " + inner;
      case 8:
        return "exec " + inner;
      case 9:
        return "exec -a other " + inner;
      case 10:
        return "time -p " + inner;
      case 11:
        return "xargs " + inner;
      case 12:
        return "xargs -n1 " + inner;
      case 13:
        return "command -v " + inner;
      case 14:
        return "'time' -p " + inner;
      default:
        return "env -- " + inner;
    }
  }

  std::string Arg(int depth) {
    size_t pick = Pick(depth < 2 ? 40 : 10);
    if (pick >= 22) pick = Pick(10);  // mostly words that run nothing: fewer processes per command
    switch (pick) {
      case 0:
        return "a";
      case 1:
        return "\"b c\"";
      case 2:
        return "'$(rm)'";
      case 3:
        return depth == 0 ? "#c" : "a";
      case 4:
        return "a#b";
      case 5:
        return "$'\\x01'#d";
      case 6:
        return "-x";
      case 7:
        return "\\#e";
      case 8:
        return "${HOME:-x}";
      case 9:
        return "$((1+2))";
      case 10:
        return "$(" + List(depth + 1) + ")";
      case 11:
        return "`" + Simple(depth + 1) + "`";
      case 12:
        return "\"$(" + List(depth + 1) + ")\"";
      case 13:
        return "${x:-$(" + Simple(depth + 1) + ")}";
      case 14:
        return "<(" + List(depth + 1) + ")";
      case 15:
        return "$(( $(" + Simple(depth + 1) + ") ))";
      case 16:
        return "\"${y:=`" + Simple(depth + 1) + "`}\"";
      case 17:
        return "$'a\\'b'";
      case 18:
        return "x\\\ny";
      case 19:
        return "\"a\\\"$(" + Simple(depth + 1) + ")\"";
      case 20:
        return "$( (" + Simple(depth + 1) + ") )";
      default:
        return "'a;b'";
    }
  }

  std::string Simple(int depth) {
    std::string out;
    if (Pick(8) == 0) out += "X=$(" + (depth < 3 ? Simple(depth + 1) : Name()) + ") ";
    out += Pick(4) == 0 ? Wrapped(0) : Name();
    size_t args = depth == 0 ? Pick(3) : Pick(3) / 2;
    for (size_t i = 0; i < args; ++i) out += " " + Arg(depth);
    switch (Pick(10)) {
      case 0:
        out += " >/dev/null";
        break;
      case 1:
        out += " 2>&1";
        break;
      case 2:
        if (depth < 3) out += " <<<\"$(" + Simple(depth + 1) + ")\"";
        break;
      default:
        break;
    }
    return out;
  }

  std::string Quote(const std::string& s) { return ShellQuote(s); }

  std::string Compound(int depth) {
    if (depth >= 2) return Simple(depth);
    switch (Pick(40)) {
      case 0:
        return "( " + List(depth + 1) + " )";
      case 1:
        return "{ " + List(depth + 1) + "; }";
      case 2:
        return "if " + Simple(depth + 1) + "; then " + List(depth + 1) + "; else " +
               List(depth + 1) + "; fi";
      case 3:
        return "for v in 1 2; do " + List(depth + 1) + "; done";
      case 4:
        return "while false; do " + List(depth + 1) + "; done";
      case 5:
        return "case x in x) " + List(depth + 1) + ";; *) " + List(depth + 1) + ";; esac";
      case 6:
        return "bash -c " + Quote(List(depth + 1));
      case 7:
        return "sh -c " + Quote(List(depth + 1));
      case 8:
        return "eval " + Quote(List(depth + 1));
      case 9:
        return "cat <<EOF\n$(" + Simple(depth + 1) + ")\nEOF\n" + Simple(depth + 1);
      case 10:
        return "bash <<'EOF'\n" + List(depth + 1) + "\nEOF\n";
      case 11: {
        std::string f = "f" + std::to_string(++functions_);
        return f + "() { " + List(depth + 1) + "; }; " + f;
      }
      case 12:
        return "[[ -n $(" + Simple(depth + 1) + ") ]]";
      case 13:
        return "(( $(" + Simple(depth + 1) + ") ))";
      case 14:
        return Simple(depth) + " # ; " + Simple(depth);
      case 15:
        return "\x01#; " + Simple(depth);
      case 16:
        return Simple(depth) + " \\\n && " + Simple(depth);
      case 17:
        return "echo " + Quote(List(depth + 1)) + " | bash";
      case 18:
        return "bash -c \"$(echo " + Quote(Simple(depth + 1)) + ")\"";
      default:
        return Simple(depth);
    }
  }

  std::string List(int depth) {
    std::string out = Compound(depth);
    size_t more = depth == 0 ? Pick(3) : (Pick(4) == 0 ? 1 : 0);
    for (size_t i = 0; i < more; ++i) {
      const char* ops[] = {" && ", " || ", "; ", " | ", "\n"};
      out += ops[Pick(std::size(ops))] + Compound(depth);
    }
    return out;
  }

  std::mt19937 rng_;
  std::string stubs_;
  int functions_ = 0;
};

// Hand-written cases: each construct, and the strings that slipped past the old splitter.
std::vector<std::string> HandWritten(const std::string& stubs) {
  return {
      "echo $(( $(rm a) ))",
      "echo $[ $(rm a) ]",
      "cat <<EOF\n$(rm a)\nEOF",
      "cat <<'EOF'\n$(rm a)\nEOF\nls",
      "cat <<-EOF\n\t`rm a`\n\tEOF\nls",
      "\x01#; rm a",
      "\x02# rm a",
      "$'\\x72m' a",
      "$'\\162m' a",
      "'rm' a; \"ls\"; r\\m b; r''m c",
      stubs + "/rm a",
      "time -p rm a",
      "exec -a x rm a",
      "bash -c 'rm a; ls'",
      "sh -c \"git status\"",
      "bash -xc 'rm a'",
      "eval 'rm a'",
      "eval rm a",
      "builtin eval \"ls; rm\"",
      "command rm a; command -v ls",
      "env X=1 nice -n 5 timeout -s KILL 5 nohup stdbuf -o0 rm a",
      "xargs -n1 rm",
      "xargs -I{} rm {}",
      "echo \"${x:-$(rm a)}\"",
      "a=$(rm a) b=(`ls`)",
      "[[ $(rm a) == x ]]",
      "[[ x =~ (a|b) ]] && ls",
      "case $(rm a) in x) ls;; (y|z) git;; esac",
      "for f in $(ls); do rm $f; done",
      "select x in a; do break; done </dev/null; ls",
      "f() { rm a; }; f",
      "function g { ls; }; g",
      "coproc rm a",
      "coproc NAME { ls; }",
      "ls \\\n; rm a",
      "ls # ; rm a",
      "ls;#; rm a",
      "ls a#b; rm",
      "cat <(ls) >(rm a)",
      "cat <<<$(rm a)",
      "bash <<EOF\nrm a\nEOF",
      "bash <<<'rm a'",
      "echo rm | bash",
      "x=rm; $x a",
      "{ rm a; }",
      "(rm a)",
      "((x = $(rm a)))",
      "! rm a",
      "time rm a",
      "until true; do rm; done; ls",
      "if ls; then rm; elif git; then make; fi",
      "ls &> /dev/null & rm a",
      "ls |& rm a",
      "echo \"a`rm a`b\"",
      "echo `echo \\`rm a\\``",
      "echo $'a\\'b' ; rm",
      "echo $\"rm\"; ls",
      "timeout 5 bash -c 'rm a'",
      "env -S 'rm a'",
      "nohup xargs rm",
      "exec rm a",
      "a=(1 2 $(rm a)); ls",
  };
}

struct Result {
  int commands = 0;
  int opaque = 0;
  std::vector<std::string> disagreements;
  std::map<std::string, int> reasons;
};

std::string MakeTempDir() {
  char tmpl[] = "/tmp/brock_shdiff_XXXXXX";
  char* dir = mkdtemp(tmpl);
  return dir == nullptr ? "" : dir;
}

void WriteStub(const std::string& path, const std::string& log, const std::string& real) {
  std::ofstream f(path);
  f << "#!/bin/sh\nprintf '%s %s\\n' \"${BROCK_ID:-?}\" \"${0##*/}\" >> " << log << "\n";
  if (!real.empty()) f << "exec " << real << " \"$@\"\n";
  f.close();
  chmod(path.c_str(), 0755);
}

// Runs every command under bash with the stubs and compares with the parser.
// `fresh_bash`: each command runs in a bash of its own (`bash -c`, as the Bash tool runs it);
// otherwise in a subshell of one bash per shard with `eval`, which is how the Bash tool itself runs
// a command (agent/tool_bash.cc), without the cost of starting bash for every command.
Result RunDifferential(const std::vector<std::string>& commands, const std::string& dir,
                       bool fresh_bash) {
  Result result;
  const std::string stubs = dir + "/s";
  const std::string log = dir + "/log";
  const int shards = 2;
  std::vector<std::ofstream> files;
  for (int k = 0; k < shards; ++k) {
    std::ofstream cmds(dir + "/cmds" + std::to_string(k), std::ios::binary);
    for (size_t i = k; i < commands.size(); i += shards) {
      cmds << i << '\n' << commands[i] << '\0';
    }
  }
  for (int k = 0; k < shards; ++k) {
    std::ofstream driver(dir + "/driver" + std::to_string(k) + ".sh");
    driver << "unset BASH_ENV ENV CDPATH\ncd " << dir << "/w || exit 1\n"
           << "while IFS= read -r id && IFS= read -r -d '' cmd; do\n";
    if (fresh_bash) {
      driver << "  BROCK_ID=$id PATH=" << stubs
             << " /usr/bin/timeout -s KILL 10 /bin/bash --norc --noprofile -c \"$cmd\"";
    } else {
      driver << "  ( ulimit -t 5; export BROCK_ID=$id; PATH=" << stubs << "; eval \"$cmd\" )";
    }
    driver << " </dev/null >/dev/null 2>&1\ndone < " << dir << "/cmds" << k << "\n";
  }
  std::string run = "cd " + dir + " && (";
  for (int k = 0; k < shards; ++k) run += "/bin/bash driver" + std::to_string(k) + ".sh & ";
  run += "wait) && sleep 0.3";
  EXPECT_EQ(std::system(run.c_str()), 0);
  std::map<size_t, std::set<std::string>> ran;
  std::ifstream in(log);
  std::string id, name;
  while (in >> id >> name) {
    if (id == "?") {
      result.disagreements.push_back("a stub ran without BROCK_ID: " + name);
      continue;
    }
    ran[std::stoul(id)].insert(name);
  }
  for (size_t i = 0; i < commands.size(); ++i) {
    ++result.commands;
    ShellParse p = ParseShell(commands[i]);
    if (p.opaque) ++result.opaque;
    for (const std::string& reason : p.opaque_reasons) ++result.reasons[reason];
    std::set<std::string> reported;
    for (const ShellCommand& c : p.commands) reported.insert(c.base_name);
    for (const std::string& n : ran[i]) {
      if (!reported.count(n) && !p.opaque) {
        result.disagreements.push_back("bash ran " + n + " but the parser did not report it in:\n" +
                                       commands[i]);
      }
    }
  }
  return result;
}

class ShellParserBash : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/bin/bash", X_OK) != 0) GTEST_SKIP() << "no /bin/bash";
    dir_ = MakeTempDir();
    ASSERT_FALSE(dir_.empty());
    ASSERT_EQ(mkdir((dir_ + "/s").c_str(), 0755), 0);
    ASSERT_EQ(mkdir((dir_ + "/w").c_str(), 0755), 0);
    for (const char* n : kNames) WriteStub(dir_ + "/s/" + n, dir_ + "/log", "");
    for (const auto& [n, real] : kWrappers) {
      WriteStub(dir_ + "/s/" + n, dir_ + "/log", access(real, X_OK) == 0 ? real : "");
    }
  }
  void TearDown() override {
    if (!dir_.empty()) std::system(("rm -rf " + dir_).c_str());
  }

  void RunGenerated(unsigned seed, int count) {
    Generator gen(seed, dir_ + "/s");
    std::vector<std::string> commands;
    for (int i = 0; i < count; ++i) commands.push_back(gen.Command());
    Check(commands);
  }

  void Check(const std::vector<std::string>& commands) {
    Result r = RunDifferential(commands, dir_, false);
    for (const auto& [reason, n] : r.reasons)
      std::cout << "  opaque: " << n << " " << reason << "\n";
    std::cout << "[ differential ] " << r.commands << " commands, " << r.opaque << " opaque, "
              << r.disagreements.size() << " disagreements\n";
    for (size_t i = 0; i < r.disagreements.size() && i < 20; ++i) {
      ADD_FAILURE() << r.disagreements[i];
    }
    EXPECT_TRUE(r.disagreements.empty());
    // The parser must not get there by calling everything opaque.
    EXPECT_LT(r.opaque * 2, r.commands);
  }

  std::string dir_;
};

// 40 x 250 generated commands with fixed seeds: 10,000 in all, split so each test stays well
// inside the unit-test timeout on a loaded machine (ctest -j runs them side by side).
constexpr int kPerShard = 250;
TEST_F(ShellParserBash, GeneratedCommandsSeed1) { RunGenerated(1, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed2) { RunGenerated(2, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed3) { RunGenerated(3, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed4) { RunGenerated(4, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed5) { RunGenerated(5, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed6) { RunGenerated(6, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed7) { RunGenerated(7, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed8) { RunGenerated(8, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed9) { RunGenerated(9, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed10) { RunGenerated(10, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed11) { RunGenerated(11, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed12) { RunGenerated(12, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed13) { RunGenerated(13, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed14) { RunGenerated(14, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed15) { RunGenerated(15, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed16) { RunGenerated(16, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed17) { RunGenerated(17, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed18) { RunGenerated(18, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed19) { RunGenerated(19, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed20) { RunGenerated(20, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed21) { RunGenerated(21, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed22) { RunGenerated(22, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed23) { RunGenerated(23, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed24) { RunGenerated(24, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed25) { RunGenerated(25, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed26) { RunGenerated(26, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed27) { RunGenerated(27, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed28) { RunGenerated(28, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed29) { RunGenerated(29, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed30) { RunGenerated(30, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed31) { RunGenerated(31, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed32) { RunGenerated(32, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed33) { RunGenerated(33, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed34) { RunGenerated(34, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed35) { RunGenerated(35, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed36) { RunGenerated(36, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed37) { RunGenerated(37, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed38) { RunGenerated(38, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed39) { RunGenerated(39, kPerShard); }
TEST_F(ShellParserBash, GeneratedCommandsSeed40) { RunGenerated(40, kPerShard); }

TEST_F(ShellParserBash, HandWrittenCommands) {
  std::vector<std::string> commands = HandWritten(dir_ + "/s");
  Result r = RunDifferential(commands, dir_, true);
  for (const std::string& d : r.disagreements) ADD_FAILURE() << d;
}

}  // namespace
}  // namespace brock
