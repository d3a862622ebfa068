// `brock --version` and `brock -v`: the version line, exit status 0, nothing on stderr, and
// nothing read first (no settings, AWS files or environment), because they are answered before
// the rest of the program starts (src/cli/version_preinit.cc, main's fast path).
#include <string>

#include "cli/version.h"
#include "e2e_harness.h"

namespace brock::e2e {
namespace {

const std::string kVersionLine = std::string(kBrockVersion) + " (brock)\n";

class VersionTest : public E2eTest {};

TEST_F(VersionTest, LongAndShortFlagPrintTheVersionLine) {
  for (const char* flag : {"--version", "-v"}) {
    RunOutput r = RunBrock({flag});
    EXPECT_EQ(r.exit_code, 0) << flag << ": " << r.err;
    EXPECT_EQ(r.out, kVersionLine) << flag;
    EXPECT_EQ(r.err, "") << flag;
  }
}

TEST_F(VersionTest, AnswersWithAnEmptyEnvironmentAndBrokenConfiguration) {
  WriteFile(home_ + "/.claude/settings.json", "{ this is not json");
  WriteFile(home_ + "/.aws/config", "[profile dev\nregion = \n");
  RunOutput r = RunBrock({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, kVersionLine);
  EXPECT_EQ(r.err, "");
  // Not even HOME or PATH.
  r = RunProcess({BROCK_BIN, "--version"}, {}, project_, "");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, kVersionLine);
}

TEST_F(VersionTest, OtherCommandLinesStillReachTheOptionParser) {
  // --help is not the fast path: the full parser prints the usage.
  RunOutput r = RunBrock({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Usage: brock"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(kVersionLine), std::string::npos) << r.out;
  // An unknown flag next to --version is an option error, not the version line.
  r = RunBrock({"--version", "--no-such-flag"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out, kVersionLine);
  EXPECT_NE(r.err.find("no-such-flag"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace brock::e2e
