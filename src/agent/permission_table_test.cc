// The permission table (src/agent/permission_table.txt): hundreds of commands and paths with the
// decision each must get in every permission mode, checked against the real engine on a real
// directory tree (so symlinks resolve the way they do for users).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "agent/permissions.h"
#include "base/strings.h"

namespace brock {
namespace {

namespace fs = std::filesystem;

constexpr PermissionMode kModeOrder[] = {PermissionMode::kDefault, PermissionMode::kAcceptEdits,
                                         PermissionMode::kPlan, PermissionMode::kBypassPermissions,
                                         PermissionMode::kDontAsk};

char Letter(PermissionBehavior b) {
  return b == PermissionBehavior::kAllow ? 'A' : b == PermissionBehavior::kAsk ? 'Q' : 'D';
}

class PermissionTable : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/brock-permtable-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    home_ = root_ + "/home";
    cwd_ = root_ + "/work/proj";
    for (const char* d :
         {"home/.ssh", "home/.aws", "work/proj/src", "work/proj/sub", "work/proj/secrets",
          "work/proj/.git", "work/proj/.claude", "work/extra", "outside"}) {
      fs::create_directories(root_ + "/" + d);
    }
    for (const char* f :
         {"home/.ssh/id_rsa", "home/.bashrc", "home/.aws/credentials", "work/proj/README.md",
          "work/proj/notes.txt", "work/proj/.env", "work/proj/src/a.cc", "work/proj/sub/.env",
          "work/proj/secrets/k.pem", "work/proj/.git/config", "work/proj/.claude/settings.json",
          "work/extra/b.txt", "outside/x.txt"}) {
      std::ofstream(root_ + "/" + f) << "content\n";
    }
    fs::create_symlink(home_ + "/.ssh/id_rsa", cwd_ + "/key");
    fs::create_symlink(home_ + "/.ssh", cwd_ + "/sshdir");
    fs::create_symlink("src", cwd_ + "/inside");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  std::string root_, home_, cwd_;
};

// "deny Read(./.env); allow Bash" -> rule specs rooted at the working directory.
std::vector<PermissionRuleSpec> ParseRules(const std::string& text, const std::string& cwd) {
  std::vector<PermissionRuleSpec> out;
  for (const std::string& item : Split(text, ';')) {
    std::string t(Trim(item));
    if (t.empty()) continue;
    size_t space = t.find(' ');
    out.push_back(
        {std::string(Trim(t.substr(space + 1))), t.substr(0, space), "permission_table.txt", cwd});
  }
  return out;
}

TEST_F(PermissionTable, EveryRowGetsItsDecisionInEveryMode) {
  std::ifstream in(std::string(BROCK_SOURCE_DIR) + "/src/agent/permission_table.txt");
  ASSERT_TRUE(in) << "src/agent/permission_table.txt not found under " << BROCK_SOURCE_DIR;
  std::string rules_text;
  std::vector<std::string> extra;
  std::vector<std::unique_ptr<PermissionEngine>> engines;
  auto rebuild = [&] {
    engines.clear();
    for (PermissionMode m : kModeOrder) {
      engines.push_back(
          std::make_unique<PermissionEngine>(ParseRules(rules_text, cwd_), m, cwd_, extra, home_));
      ASSERT_TRUE(engines.back()->warnings().empty()) << engines.back()->warnings()[0];
    }
  };
  rebuild();
  int commands = 0, paths = 0, line_no = 0;
  std::vector<std::string> failures;
  std::string line;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    if (StartsWith(line, "@rules")) {
      rules_text = line.size() > 6 ? line.substr(7) : "";
      extra.clear();
      rebuild();
      continue;
    }
    if (StartsWith(line, "@extra ")) {
      extra.push_back(root_ + "/" + line.substr(7));
      rebuild();
      continue;
    }
    std::istringstream row(line);
    std::string expected, tool;
    row >> expected >> tool;
    std::string input;
    std::getline(row, input);
    input = std::string(Trim(input));
    ASSERT_EQ(expected.size(), 5u) << "line " << line_no << ": " << line;
    const bool bash = tool == "Bash";
    PermissionSubject subject;
    if (bash) {
      size_t p;
      while ((p = input.find("<NL>")) != std::string::npos) input.replace(p, 4, "\n");
      subject = {PermissionSubject::Kind::kCommand, input};
      ++commands;
    } else {
      subject = {PermissionSubject::Kind::kPath, NormalizePath(input, cwd_, home_)};
      ++paths;
    }
    const bool read_only = tool == "Read" || tool == "Grep" || tool == "Glob" || tool == "LS";
    const bool edits = tool == "Edit" || tool == "Write" || tool == "MultiEdit";
    std::string got;
    std::string reasons;
    for (size_t m = 0; m < engines.size(); ++m) {
      PermissionDecision d = engines[m]->Check(tool, read_only, edits, subject);
      got += Letter(d.behavior);
      if (Letter(d.behavior) != expected[m]) {
        reasons += "\n    " + std::string(PermissionModeName(kModeOrder[m])) + ": " + d.reason;
      }
    }
    if (got != expected) {
      failures.push_back("line " + std::to_string(line_no) + ": " + tool + " " + input +
                         "\n    expected " + expected + ", got " + got + reasons);
    }
  }
  for (const std::string& f : failures) ADD_FAILURE() << f;
  EXPECT_GE(commands, 300) << "the table must hold at least 300 commands";
  EXPECT_GE(paths, 100) << "the table must hold at least 100 path cases";
}

}  // namespace
}  // namespace brock
