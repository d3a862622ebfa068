#include "cli/cli_options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace brock {
namespace {

// Parses `args` as the command line after "brock".
Result<CliOptions> Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "brock");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return ParseCliOptions(static_cast<int>(args.size()), argv.data());
}

TEST(CliOptions, DefaultsWithNoArguments) {
  auto o = Parse({});
  ASSERT_TRUE(o.ok()) << o.error().ToString();
  EXPECT_FALSE(o->print);
  EXPECT_EQ(o->prompt, "");
  EXPECT_EQ(o->output_format, "text");
  EXPECT_EQ(o->input_format, "text");
  EXPECT_FALSE(o->verbose);
  EXPECT_FALSE(o->debug);
  EXPECT_EQ(o->max_turns, 0);
  EXPECT_EQ(o->max_budget_usd, 0);
  EXPECT_FALSE(o->continue_session);
  EXPECT_TRUE(o->allowed_tools.empty());
  EXPECT_EQ(o->permission_mode, "");
  EXPECT_FALSE(o->show_version);
  EXPECT_FALSE(o->show_help);
  EXPECT_EQ(o->help_text, "");
}

TEST(CliOptions, PrintModeWithPromptAndFormat) {
  auto o =
      Parse({"-p", "fix the tests", "--output-format", "stream-json", "--verbose", "--input-format",
             "stream-json", "--model", "sonnet", "--max-turns", "7", "--max-budget-usd", "1.5"});
  ASSERT_TRUE(o.ok()) << o.error().ToString();
  EXPECT_TRUE(o->print);
  EXPECT_EQ(o->prompt, "fix the tests");
  EXPECT_EQ(o->output_format, "stream-json");
  EXPECT_EQ(o->input_format, "stream-json");
  EXPECT_TRUE(o->verbose);
  EXPECT_EQ(o->model, "sonnet");
  EXPECT_EQ(o->max_turns, 7);
  EXPECT_DOUBLE_EQ(o->max_budget_usd, 1.5);
}

TEST(CliOptions, LongAndShortFlagsAgree) {
  auto o = Parse({"--print", "--continue", "--debug", "hi"});
  ASSERT_TRUE(o.ok());
  EXPECT_TRUE(o->print);
  EXPECT_TRUE(o->continue_session);
  EXPECT_TRUE(o->debug);
  EXPECT_EQ(o->prompt, "hi");
  auto s = Parse({"-c", "-d", "-r", "abc-123"});
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->continue_session);
  EXPECT_TRUE(s->debug);
  EXPECT_EQ(s->resume, "abc-123");
}

TEST(CliOptions, ToolRulesSplitOnCommasAndRepeat) {
  auto o = Parse({"--allowedTools", "Read,Bash(npm run test:*)", "--allowed-tools", "Edit",
                  "--disallowedTools", "Bash(rm:*)", "--disallowed-tools", "WebFetch"});
  ASSERT_TRUE(o.ok()) << o.error().ToString();
  EXPECT_EQ(o->allowed_tools, (std::vector<std::string>{"Read", "Bash(npm run test:*)", "Edit"}));
  EXPECT_EQ(o->disallowed_tools, (std::vector<std::string>{"Bash(rm:*)", "WebFetch"}));
}

TEST(CliOptions, DirectoriesModeAndPrompts) {
  auto o = Parse({"--add-dir", "../lib", "--add-dir", "/opt/x", "--permission-mode", "acceptEdits",
                  "--system-prompt", "be brief", "--append-system-prompt", "and kind", "--settings",
                  "{\"model\":\"haiku\"}"});
  ASSERT_TRUE(o.ok()) << o.error().ToString();
  EXPECT_EQ(o->add_dirs, (std::vector<std::string>{"../lib", "/opt/x"}));
  // The mode is checked when the session is built (agent/permissions.h), not here.
  EXPECT_EQ(o->permission_mode, "acceptEdits");
  EXPECT_EQ(o->system_prompt, "be brief");
  EXPECT_EQ(o->append_system_prompt, "and kind");
  EXPECT_EQ(o->settings, "{\"model\":\"haiku\"}");
}

TEST(CliOptions, VersionAndHelp) {
  auto v = Parse({"--version"});
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->show_version);
  auto short_v = Parse({"-v"});
  ASSERT_TRUE(short_v.ok());
  EXPECT_TRUE(short_v->show_version);
  auto h = Parse({"--help"});
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->show_help);
  EXPECT_NE(h->help_text.find("--permission-mode"), std::string::npos);
  EXPECT_NE(h->help_text.find("--allowedTools"), std::string::npos);
  EXPECT_TRUE(Parse({"-h"})->show_help);
}

TEST(CliOptions, UsageErrorsSayHowToGetHelp) {
  for (std::vector<std::string> bad : {std::vector<std::string>{"--no-such-flag"},
                                       {"--max-turns", "many"},
                                       {"--input-format", "xml"},
                                       {"--model"},
                                       {"one", "two"}}) {
    auto o = Parse(bad);
    ASSERT_FALSE(o.ok()) << bad[0];
    EXPECT_EQ(o.error().code, "cli.usage");
    EXPECT_FALSE(o.error().message.empty());
    EXPECT_EQ(o.error().fix, "run brock --help for the options");
  }
}

}  // namespace
}  // namespace brock
