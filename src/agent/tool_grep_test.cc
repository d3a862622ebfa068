#include "agent/tool_grep.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "agent/grep_search.h"
#include "testing/grep_test_tree.h"

namespace brock {
namespace {

using testing::BuildOracleTree;
using testing::FindRipgrep;
using testing::Lines;
using testing::RunRipgrep;
using testing::TempTree;

std::string TextOf(const ToolResult& r) {
  std::string out;
  for (const Json& block : r.content) {
    if (block.value("type", "") == "text") out += block.value("text", "");
  }
  return out;
}

struct GrepRun {
  std::string text;
  bool is_error = false;
};

GrepRun RunGrep(const Json& input, const std::string& cwd) {
  ToolContext ctx{RealEnv(), RealProcessRunner(), cwd, {}, nullptr};
  auto tool = MakeGrepTool();
  auto r = tool->Run(input, ctx);
  EXPECT_TRUE(r.ok());
  if (!r.ok()) return {};
  return {TextOf(*r), r->is_error};
}

// "[Omitted long line with N matches]" (ripgrep 14, Claude Code's) vs "[Omitted long matching
// line]" (ripgrep 13): the same thing.
std::string NormalizeLine(std::string line) {
  static const std::string kNew = "[Omitted long line with ";
  size_t p = line.find(kNew);
  if (p != std::string::npos) line = line.substr(0, p) + "[Omitted long matching line]";
  return line;
}

// One case: Grep's input, and the ripgrep flags Claude Code would pass for it.
struct Case {
  Json input;
  std::vector<std::string> rg_args;
};

class GrepOracleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rg_ = FindRipgrep();
    if (rg_.empty()) GTEST_SKIP() << "ripgrep (rg) is not installed; the oracle is unavailable";
    BuildOracleTree(tree_);
  }

  // Builds rg's argv the way Claude Code does for `input`.
  std::vector<std::string> RgArgs(const Json& input) {
    std::vector<std::string> a = {"--hidden"};
    for (const char* d : {".git", ".svn", ".hg", ".bzr"}) {
      a.push_back("--glob");
      a.push_back(std::string("!") + d);
    }
    a.push_back("--max-columns");
    a.push_back("500");
    std::string mode = input.value("output_mode", "files_with_matches");
    if (input.value("multiline", false)) {
      a.push_back("-U");
      a.push_back("--multiline-dotall");
    }
    if (input.value("-i", false)) a.push_back("-i");
    if (mode == "files_with_matches") a.push_back("-l");
    if (mode == "count") a.push_back("-c");
    if (mode == "content" && input.value("-n", true)) a.push_back("-n");
    if (mode == "content") {
      for (const char* k : {"-C", "-A", "-B"}) {
        if (input.contains(k)) {
          a.push_back(k);
          a.push_back(std::to_string(input[k].get<int>()));
        }
      }
    }
    a.push_back("-e");
    a.push_back(input["pattern"].get<std::string>());
    if (input.contains("type")) {
      a.push_back("--type");
      a.push_back(input["type"].get<std::string>());
    }
    if (input.contains("glob")) {
      a.push_back("--glob");
      a.push_back(input["glob"].get<std::string>());
    }
    return a;
  }

  void Compare(const Json& input) {
    SCOPED_TRACE(input.dump());
    std::string mode = input.value("output_mode", "files_with_matches");
    GrepRun mine = RunGrep(input, tree_.root());
    ASSERT_FALSE(mine.is_error) << mine.text;
    std::string theirs = RunRipgrep(rg_, RgArgs(input), tree_.root());
    std::vector<std::string> rg_lines = Lines(theirs);
    std::vector<std::string> my_lines;
    if (mine.text != "No files found" && mine.text != "No matches found") {
      my_lines = Lines(mine.text);
    }
    if (mode == "files_with_matches") {
      if (!my_lines.empty()) {
        EXPECT_EQ(my_lines[0].rfind("Found ", 0), 0u);
        my_lines.erase(my_lines.begin());
      }
    } else if (mode == "count") {
      // Drop the blank line and the "Found N total occurrences" summary.
      if (my_lines.size() >= 2) my_lines.resize(my_lines.size() - 2);
    }
    std::multiset<std::string> want, got;
    for (const std::string& l : rg_lines) want.insert(NormalizeLine(l));
    for (const std::string& l : my_lines) got.insert(NormalizeLine(l));
    EXPECT_EQ(got, want) << "mine:\n" << mine.text << "\nrg:\n" << theirs;
    EXPECT_FALSE(want.empty() && input.value("expect_hits", true))
        << "the oracle found nothing; the case proves little";
  }

  std::string rg_;
  TempTree tree_;
};

Json WithMode(Json j, const char* mode) {
  j["output_mode"] = mode;
  return j;
}

TEST_F(GrepOracleTest, FilesCountAndContentForManyPatterns) {
  const char* patterns[] = {"TODO",          "todo",      "fn\\s+\\w+", "^line \\d+$",
                            "again$",        "^TODO",     "caf\\w",     "\\w+\\s+todo",
                            "[0-9]{2,}",     "field",     "r\\w+sum",   "x{10}",
                            "line (1|2)\\d", "TODO end$", "last TODO$", "(?i)readme"};
  for (const char* p : patterns) {
    // `$` does not match before "\r" (crlf.txt), in ripgrep as here: an agreed empty result.
    bool hits = std::string(p) != "again$";
    Json base = {{"pattern", p}, {"expect_hits", hits}};
    Compare(base);
    Compare(WithMode(base, "count"));
    Compare(WithMode(base, "content"));
  }
}

TEST_F(GrepOracleTest, CaseInsensitive) {
  Json base = {{"pattern", "todo"}, {"-i", true}};
  Compare(base);
  Compare(WithMode(base, "count"));
  Compare(WithMode(base, "content"));
  Compare(WithMode(
      Json{{"pattern", "\xCF\x83\xCE\xAF\xCF\x83\xCF\x85\xCF\x86\xCE\xBF\xCF\x82"}, {"-i", true}},
      "content"));
}

TEST_F(GrepOracleTest, ContentWithoutLineNumbers) {
  Compare(Json{{"pattern", "TODO"}, {"output_mode", "content"}, {"-n", false}});
}

TEST_F(GrepOracleTest, ContextLines) {
  for (const char* key : {"-C", "-A", "-B"}) {
    for (int n : {1, 2, 3, 5}) {
      Compare(Json{{"pattern", "TODO"}, {"output_mode", "content"}, {key, n}});
    }
  }
  Compare(Json{{"pattern", "TODO"}, {"output_mode", "content"}, {"-A", 1}, {"-B", 4}});
  Compare(Json{{"pattern", "TODO"}, {"output_mode", "content"}, {"-C", 2}, {"-n", false}});
}

TEST_F(GrepOracleTest, ContextSeparatorsCountMatches) {
  for (int n : {0, 1, 2, 4}) {
    Json input = {{"pattern", "TODO"}, {"output_mode", "content"}, {"-C", n}, {"glob", "*.txt"}};
    GrepRun mine = RunGrep(input, tree_.root());
    std::string theirs = RunRipgrep(rg_, RgArgs(input), tree_.root());
    auto seps = [](const std::string& s) {
      auto lines = Lines(s);
      return std::count(lines.begin(), lines.end(), "--");
    };
    EXPECT_EQ(seps(mine.text), seps(theirs)) << "-C " << n << "\nmine:\n" << mine.text;
  }
}

TEST_F(GrepOracleTest, GlobFilters) {
  for (const char* g : {"*.rs", "*.{ts,tsx}", "!*.txt", "src/**", "*.log", "**/*.md", "*.md"}) {
    Compare(Json{{"pattern", "TODO"}, {"glob", g}, {"-i", true}});
    Compare(Json{{"pattern", "TODO"},
                 {"glob", g},
                 {"output_mode", "count"},
                 {"-i", true},
                 {"expect_hits", false}});
  }
}

TEST_F(GrepOracleTest, TypeFilters) {
  for (const char* t : {"rust", "py", "js", "ts", "md", "sh", "make", "yaml", "json", "txt"}) {
    Compare(Json{{"pattern", "todo"}, {"-i", true}, {"type", t}});
    Compare(Json{{"pattern", "todo"}, {"-i", true}, {"type", t}, {"output_mode", "content"}});
  }
}

TEST_F(GrepOracleTest, Multiline) {
  for (const char* p : {"struct Config \\{.*field", "foo = 1\\n\\s+bar", "helper.*return 42",
                        "def \\w+\\(\\):\\n.*TODO"}) {
    Json base = {{"pattern", p}, {"multiline", true}};
    Compare(base);
    Compare(WithMode(base, "content"));
    Compare(WithMode(base, "count"));
  }
  // Without multiline a newline in the pattern never matches.
  GrepRun r = RunGrep(Json{{"pattern", "foo = 1\\n\\s+bar"}}, tree_.root());
  EXPECT_EQ(r.text, "No files found");
}

// --- behaviour that does not need the oracle ---

TEST(GrepToolTest, FilesSortedNewestFirstWithCountHeader) {
  TempTree t;
  t.Write("old.txt", "needle\n", 1000000000);
  t.Write("new.txt", "needle\n", 1700000000);
  t.Write("mid/x.txt", "needle\n", 1500000000);
  t.Write("none.txt", "hay\n", 1800000000);
  GrepRun r = RunGrep(Json{{"pattern", "needle"}}, t.root());
  EXPECT_EQ(r.text, "Found 3 files\nnew.txt\nmid/x.txt\nold.txt");
}

TEST(GrepToolTest, PathsOutsideCwdAreAbsolute) {
  TempTree t;
  t.Write("a/one.txt", "needle\n");
  GrepRun r = RunGrep(Json{{"pattern", "needle"}, {"path", t.Path("a")}}, "/nonexistent-cwd");
  EXPECT_EQ(r.text, "Found 1 file\n" + t.Path("a/one.txt"));
  GrepRun rel = RunGrep(Json{{"pattern", "needle"}, {"path", "a"}}, t.root());
  EXPECT_EQ(rel.text, "Found 1 file\na/one.txt");
}

TEST(GrepToolTest, HeadLimitAndOffset) {
  TempTree t;
  std::string data;
  for (int i = 1; i <= 10; ++i) data += "match " + std::to_string(i) + "\n";
  t.Write("f.txt", data);
  GrepRun r = RunGrep(
      Json{{"pattern", "match"}, {"output_mode", "content"}, {"head_limit", 3}, {"offset", 2}},
      t.root());
  EXPECT_EQ(r.text,
            "f.txt:3:match 3\nf.txt:4:match 4\nf.txt:5:match 5\n\n"
            "[Showing results with pagination = limit: 3, offset: 2]");
}

TEST(GrepToolTest, CountSummary) {
  TempTree t;
  t.Write("a.txt", "x\nx\ny\n");
  t.Write("b.txt", "x\n");
  GrepRun r = RunGrep(Json{{"pattern", "x"}, {"output_mode", "count"}}, t.root());
  EXPECT_EQ(r.text, "a.txt:2\nb.txt:1\n\nFound 3 total occurrences across 2 files.");
}

TEST(GrepToolTest, ContextFormattingAndSeparators) {
  TempTree t;
  t.Write("f.txt", "a\nhit1\nb\nc\nd\ne\nhit2\nf\n");
  GrepRun r = RunGrep(Json{{"pattern", "hit"}, {"output_mode", "content"}, {"-C", 1}}, t.root());
  EXPECT_EQ(r.text, "f.txt-1-a\nf.txt:2:hit1\nf.txt-3-b\n--\nf.txt-6-e\nf.txt:7:hit2\nf.txt-8-f");
  GrepRun merged =
      RunGrep(Json{{"pattern", "hit"}, {"output_mode", "content"}, {"-C", 2}}, t.root());
  EXPECT_EQ(merged.text,
            "f.txt-1-a\nf.txt:2:hit1\nf.txt-3-b\nf.txt-4-c\nf.txt-5-d\nf.txt-6-e\nf.txt:7:hit2\n"
            "f.txt-8-f");
}

TEST(GrepToolTest, BadInputIsAToolError) {
  TempTree t;
  GrepRun bad_regex = RunGrep(Json{{"pattern", "foo("}}, t.root());
  EXPECT_TRUE(bad_regex.is_error);
  EXPECT_NE(bad_regex.text.find("invalid regex"), std::string::npos);
  GrepRun bad_type = RunGrep(Json{{"pattern", "x"}, {"type", "nosuchtype"}}, t.root());
  EXPECT_TRUE(bad_type.is_error);
  GrepRun missing = RunGrep(Json{{"pattern", "x"}, {"path", "nope"}}, t.root());
  EXPECT_TRUE(missing.is_error);
  GrepRun no_pattern = RunGrep(Json{{"path", "."}}, t.root());
  EXPECT_TRUE(no_pattern.is_error);
  GrepRun bad_mode = RunGrep(Json{{"pattern", "x"}, {"output_mode", "lines"}}, t.root());
  EXPECT_TRUE(bad_mode.is_error);
}

TEST(GrepToolTest, SubjectIsTheAbsoluteSearchRoot) {
  auto tool = MakeGrepTool();
  ToolContext ctx{RealEnv(), RealProcessRunner(), "/work/x", {}, nullptr};
  PermissionSubject s = tool->Subject(Json{{"pattern", "a"}, {"path", "src/../lib"}}, ctx);
  EXPECT_EQ(s.kind, PermissionSubject::Kind::kPath);
  EXPECT_EQ(s.value, "/work/x/lib");
  EXPECT_EQ(tool->Subject(Json{{"pattern", "a"}}, ctx).value, "/work/x");
  EXPECT_TRUE(tool->read_only());
  EXPECT_EQ(tool->name(), "Grep");
  EXPECT_EQ(tool->input_schema()["required"], Json::array({"pattern"}));
}

TEST(GrepToolTest, ExplicitBinaryFileReportsLikeRipgrep) {
  TempTree t;
  t.Write("b.bin", std::string("ab\0cd needle\n", 13));
  GrepRun r =
      RunGrep(Json{{"pattern", "needle"}, {"path", "b.bin"}, {"output_mode", "content"}}, t.root());
  EXPECT_EQ(r.text, "b.bin: binary file matches (found \"\\0\" byte around offset 2)");
  GrepRun walked = RunGrep(Json{{"pattern", "needle"}}, t.root());
  EXPECT_EQ(walked.text, "No files found");
}

TEST(GrepToolTest, LongLinesAreOmitted) {
  TempTree t;
  t.Write("l.txt", std::string(501, 'a') + "needle needle\nneedle\n");
  GrepRun r = RunGrep(Json{{"pattern", "needle"}, {"output_mode", "content"}}, t.root());
  EXPECT_EQ(r.text, "l.txt:1:[Omitted long line with 2 matches]\nl.txt:2:needle");
}

TEST(GrepSearchTest, RustClassesAreUnicodeAware) {
  auto m = GrepMatcher::Compile("^\\w+$", false, false);
  ASSERT_TRUE(m.ok());
  FileSearchResult r = SearchBuffer("caf\xC3\xA9\nabc def\n\xCE\xA3\xCE\xAF\n", "f", *m,
                                    GrepFormat{GrepMode::kCount});
  EXPECT_EQ(r.count, 2u);
  EXPECT_EQ(RustRegexToRe2("(?<year>\\d+)"), "(?P<year>\\p{Nd}+)");
  EXPECT_EQ(RustRegexToRe2("[\\w-]"), "[\\p{L}\\p{M}\\p{Nd}\\p{Pc}-]");
}

TEST(GrepSearchTest, EmptyMatchesCountRealLinesOnly) {
  auto m = GrepMatcher::Compile("", false, false);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(SearchBuffer("a\nb\n", "f", *m, GrepFormat{GrepMode::kCount}).count, 2u);
  EXPECT_EQ(SearchBuffer("a\nb", "f", *m, GrepFormat{GrepMode::kCount}).count, 2u);
  EXPECT_EQ(SearchBuffer("", "f", *m, GrepFormat{GrepMode::kCount}).count, 0u);
}

}  // namespace
}  // namespace brock
