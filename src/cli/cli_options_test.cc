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

// Claude Code's flags, one test each (the pinned Claude Code's --help is the checklist; see
// docs/print-mode.md). Behaviour is tested end to end in tests/e2e/cli_flags_test.cc.

TEST(CliOptions, DebugFilterMustBeAttachedSoThePromptStays) {
  auto o = Parse({"-p", "--debug=api,hooks", "question"});
  ASSERT_TRUE(o.ok()) << o.error().ToString();
  EXPECT_TRUE(o->debug);
  EXPECT_EQ(o->debug_filter, "api,hooks");
  EXPECT_EQ(o->prompt, "question");
  auto bare = Parse({"-p", "--debug", "question"});
  ASSERT_TRUE(bare.ok());
  EXPECT_TRUE(bare->debug);
  EXPECT_EQ(bare->debug_filter, "");
  EXPECT_EQ(bare->prompt, "question");
}

TEST(CliOptions, DebugFileTurnsDebugOn) {
  auto o = Parse({"--debug-file", "/tmp/x.log"});
  ASSERT_TRUE(o.ok());
  EXPECT_TRUE(o->debug);
  EXPECT_EQ(o->debug_file, "/tmp/x.log");
}

TEST(CliOptions, SpaceSeparatedToolListsKeepParentheses) {
  auto o = Parse({"--allowedTools", "Bash(git log:*) Edit,Read", "--disallowedTools",
                  "Bash(rm -rf:*)  WebFetch"});
  ASSERT_TRUE(o.ok()) << o.error().ToString();
  EXPECT_EQ(o->allowed_tools, (std::vector<std::string>{"Bash(git log:*)", "Edit", "Read"}));
  EXPECT_EQ(o->disallowed_tools, (std::vector<std::string>{"Bash(rm -rf:*)", "WebFetch"}));
}

TEST(CliOptions, ToolsEmptyMeansNoneAndAbsentMeansAll) {
  auto none = Parse({"--tools", ""});
  ASSERT_TRUE(none.ok()) << none.error().ToString();
  ASSERT_TRUE(none->tools.has_value());
  EXPECT_TRUE(none->tools->empty());
  auto some = Parse({"--tools", "Bash,Read"});
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(*some->tools, (std::vector<std::string>{"Bash", "Read"}));
  EXPECT_FALSE(Parse({})->tools.has_value());
}

TEST(CliOptions, BareResumeOpensThePicker) {
  auto bare = Parse({"-r"});
  ASSERT_TRUE(bare.ok()) << bare.error().ToString();
  EXPECT_TRUE(bare->resume_picker);
  EXPECT_EQ(bare->resume, "");
  auto with_id = Parse({"--resume", "abc"});
  ASSERT_TRUE(with_id.ok());
  EXPECT_FALSE(with_id->resume_picker);
  EXPECT_EQ(with_id->resume, "abc");
}

TEST(CliOptions, SessionFlags) {
  auto o = Parse({"--session-id", "123e4567-e89b-42d3-a456-426614174000", "--fork-session",
                  "--no-session-persistence"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->session_id, "123e4567-e89b-42d3-a456-426614174000");
  EXPECT_TRUE(o->fork_session);
  EXPECT_TRUE(o->no_session_persistence);
}

TEST(CliOptions, FallbackModelsAreCommaSeparated) {
  auto o = Parse({"--fallback-model", "sonnet, haiku"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->fallback_models, (std::vector<std::string>{"sonnet", "haiku"}));
}

TEST(CliOptions, SettingSourcesAreCheckedAtParse) {
  auto o = Parse({"--setting-sources", "user,local"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(*o->setting_sources, (std::vector<std::string>{"user", "local"}));
  auto none = Parse({"--setting-sources", ""});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->setting_sources->empty());
  auto bad = Parse({"--setting-sources", "user,global"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("global"), std::string::npos);
}

TEST(CliOptions, PromptFilesAndStreamJsonSwitches) {
  auto o = Parse({"--system-prompt-file", "s.txt", "--append-system-prompt-file", "a.txt",
                  "--include-partial-messages", "--replay-user-messages", "--include-hook-events",
                  "--json-schema", "{\"type\":\"object\"}"});
  ASSERT_TRUE(o.ok()) << o.error().ToString();
  EXPECT_EQ(o->system_prompt_file, "s.txt");
  EXPECT_EQ(o->append_system_prompt_file, "a.txt");
  EXPECT_TRUE(o->include_partial_messages);
  EXPECT_TRUE(o->replay_user_messages);
  EXPECT_TRUE(o->include_hook_events);
  EXPECT_EQ(o->json_schema, "{\"type\":\"object\"}");
}

TEST(CliOptions, PermissionFlags) {
  auto o = Parse({"--allow-dangerously-skip-permissions", "--permission-mode", "auto",
                  "--permission-prompts", "none"});
  ASSERT_TRUE(o.ok());
  EXPECT_TRUE(o->allow_dangerously_skip_permissions);
  EXPECT_EQ(o->permission_mode, "auto");
  EXPECT_EQ(o->permission_prompts, "none");
  EXPECT_FALSE(Parse({"--permission-prompts", "maybe"}).ok());
}

TEST(CliOptions, EffortIsOneOfClaudeCodesLevels) {
  for (const char* level : {"low", "medium", "high", "xhigh", "max", "ultracode"}) {
    auto o = Parse({"--effort", level});
    ASSERT_TRUE(o.ok()) << level;
    EXPECT_EQ(o->effort, level);
  }
  EXPECT_FALSE(Parse({"--effort", "extreme"}).ok());
}

TEST(CliOptions, ModesAgentsAndCompaction) {
  auto o = Parse({"--bare", "--safe-mode", "--restricted", "--disable-slash-commands", "--agents",
                  "{\"r\":{}}", "--autocompact", "150000"});
  ASSERT_TRUE(o.ok()) << o.error().ToString();
  EXPECT_TRUE(o->bare);
  EXPECT_TRUE(o->safe_mode);
  EXPECT_TRUE(o->restricted);
  EXPECT_TRUE(o->disable_slash_commands);
  EXPECT_EQ(o->agents, "{\"r\":{}}");
  EXPECT_EQ(o->autocompact, "150000");
  EXPECT_TRUE(o->notices.empty());
}

TEST(CliOptions, FlagsWithoutMeaningOnBedrockLeaveOneNoticeEach) {
  auto o = Parse({"-p", "--ide", "--chrome", "--plugin-dir", "/x", "--betas", "a", "b", "--name",
                  "n", "--worktree", "--", "prompt"});
  ASSERT_TRUE(o.ok()) << o.error().ToString();
  EXPECT_EQ(o->prompt, "prompt");
  ASSERT_EQ(o->notices.size(), 6u);
  for (const std::string& n : o->notices) {
    EXPECT_NE(n.find("accepted and ignored"), std::string::npos) << n;
  }
  EXPECT_EQ(o->notices[0].rfind("--betas", 0), 0u) << o->notices[0];
}

TEST(CliOptions, EveryFlagWithoutMeaningOnBedrockIsAccepted) {
  // Each of Claude Code's flags that brock accepts and ignores, with a value where it takes one.
  const std::vector<std::vector<std::string>> flags = {
      {"--ax-screen-reader"},
      {"--bg"},
      {"--background"},
      {"--betas", "x"},
      {"--brief"},
      {"--chrome"},
      {"--no-chrome"},
      {"--cloud"},
      {"--desktop"},
      {"--environment", "e"},
      {"--exclude-dynamic-system-prompt-sections"},
      {"--file", "f"},
      {"--forward-subagent-text"},
      {"--from-pr"},
      {"--ide"},
      {"--plugin-dir", "/p"},
      {"--plugin-url", "https://example.invalid/p"},
      {"--prompt-suggestions"},
      {"--remote-control"},
      {"--remote-control-session-name-prefix", "x"},
      {"--system-prompt-snapshot", "s"},
      {"--teleport"},
      {"--tmux"},
      {"--worktree"},
      {"-w"},
      {"--name", "n"},
      {"-n", "n"},
      {"--agent", "reviewer"},
  };
  for (const auto& flag : flags) {
    std::vector<std::string> args = {"-p"};
    args.insert(args.end(), flag.begin(), flag.end());
    args.insert(args.end(), {"--", "prompt"});
    auto o = Parse(args);
    ASSERT_TRUE(o.ok()) << flag[0] << ": " << o.error().ToString();
    EXPECT_EQ(o->prompt, "prompt") << flag[0];
    ASSERT_EQ(o->notices.size(), 1u) << flag[0];
    EXPECT_NE(o->notices[0].find("accepted and ignored"), std::string::npos) << o->notices[0];
  }
}

TEST(CliOptions, MaxThinkingTokens) {
  auto o = Parse({"-p", "hi"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->max_thinking_tokens, -1) << "not given";
  o = Parse({"-p", "hi", "--max-thinking-tokens", "0"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->max_thinking_tokens, 0);
  o = Parse({"-p", "hi", "--max-thinking-tokens", "8000"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->max_thinking_tokens, 8000);
  EXPECT_FALSE(Parse({"-p", "hi", "--max-thinking-tokens", "lots"}).ok());
}

TEST(CliOptions, SplitToolList) {
  EXPECT_EQ(SplitToolList("Read, Bash(npm run test:*)\tEdit"),
            (std::vector<std::string>{"Read", "Bash(npm run test:*)", "Edit"}));
  EXPECT_TRUE(SplitToolList(" , ").empty());
}

}  // namespace
}  // namespace brock
