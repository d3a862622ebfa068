// Extended thinking, effort and the one-hour cache end to end: thinking is on by default (the
// harness turns it off for other tests), the request carries the budget and the
// interleaved-thinking beta on fixed-budget models, adaptive thinking and output_config.effort on
// Opus 4.6, the emulator streams signed thinking blocks, and brock sends them
// back unchanged before the tool_use they led to (the emulator rejects the follow-up request,
// as Bedrock does, if they were altered or dropped); stream-json and the transcript keep them.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "e2e_harness.h"

namespace brock::e2e {
namespace {

class ThinkingTest : public E2eTest {
 protected:
  void StartWithToolRound() {
    WriteGuideSetup("dev");
    Json rules = Json::array(
        {{{"match", {{"contains", "list"}}},
          {"content",
           Json::array(
               {{{"type", "tool_use"}, {"name", "Bash"}, {"input", {{"command", "ls"}}}}})}},
         {{"match", {{"tool_result_contains", "notes.txt"}}}, {"text", "There is notes.txt."}},
         {{"text", "Hello."}}});
    WriteFile("script.json", Json{{"rules", rules}}.dump(2));
    WriteFile(project_ + "/notes.txt", "x\n");
    StartEmulator({"--script", root_ + "/script.json"});
  }
  // brock with thinking left to its defaults (the harness disables it for other tests).
  RunOutput Run(const std::vector<std::string>& args, std::map<std::string, std::string> env = {}) {
    env.emplace("CLAUDE_CODE_DISABLE_THINKING", "<unset>");
    return RunBrock(args, std::move(env));
  }
  // The bodies of the model requests so far.
  std::vector<Json> Bodies() {
    std::vector<Json> out;
    for (const Json& r : BedrockRequests(emulator_.Requests())) out.push_back(Body(r));
    return out;
  }
  static bool HasBeta(const Json& body, const std::string& beta) {
    if (!body.contains("anthropic_beta")) return false;
    for (const Json& b : body["anthropic_beta"]) {
      if (b == beta) return true;
    }
    return false;
  }
};

TEST_F(ThinkingTest, AlwaysThinkingEnabledSendsSignedThinkingBackBeforeTheToolUse) {
  StartWithToolRound();
  RunOutput r =
      Run({"-p", "list the files", "--output-format", "stream-json", "--verbose", "--allowedTools",
           "Bash(ls)", "--settings", R"({"alwaysThinkingEnabled": true})"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;

  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 2u);
  Json first = Body(reqs[0]);
  EXPECT_EQ(first["thinking"], (Json{{"type", "enabled"}, {"budget_tokens", 31999}}));
  EXPECT_GT(first["max_tokens"].get<int>(), 31999);
  EXPECT_TRUE(HasBeta(first, "interleaved-thinking-2025-05-14")) << first.dump();
  Json second = Body(reqs[1]);
  const Json& assistant = second["messages"][1];
  ASSERT_EQ(assistant["role"], "assistant");
  ASSERT_GE(assistant["content"].size(), 2u);
  EXPECT_EQ(assistant["content"][0]["type"], "thinking");
  EXPECT_FALSE(assistant["content"][0]["signature"].get<std::string>().empty());
  EXPECT_FALSE(assistant["content"][0].contains("cache_control"));
  EXPECT_EQ(assistant["content"].back()["type"], "tool_use");

  // stream-json carries the thinking blocks (with their signatures) in assistant messages.
  int thinking_blocks = 0;
  std::string result;
  for (const std::string& line : Split(r.out, '\n')) {
    Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;
    if (j["type"] == "result") result = j.value("result", "");
    if (j["type"] != "assistant") continue;
    for (const Json& b : j["message"]["content"]) {
      if (b["type"] == "thinking" && !b["signature"].get<std::string>().empty()) ++thinking_blocks;
    }
  }
  EXPECT_EQ(thinking_blocks, 2) << "one before the tool call, one (interleaved) after it";
  EXPECT_EQ(result, "There is notes.txt.");

  // The transcript keeps them for a resumed session.
  std::string transcript;
  for (const auto& e : std::filesystem::recursive_directory_iterator(home_ + "/.brock/sessions")) {
    if (e.path().extension() == ".jsonl") transcript += ReadAll(e.path().string());
  }
  EXPECT_NE(transcript.find(assistant["content"][0]["signature"].get<std::string>()),
            std::string::npos);
}

TEST_F(ThinkingTest, MaxThinkingTokensSetsTheBudgetAndZeroTurnsItOff) {
  StartWithToolRound();
  RunOutput r = Run({"-p", "list the files", "--allowedTools", "Bash(ls)"},
                    {{"MAX_THINKING_TOKENS", "4096"}});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(Body(reqs[0])["thinking"]["budget_tokens"], 4096);

  r = Run({"-p", "list the files", "--allowedTools", "Bash(ls)", "--settings",
           R"({"alwaysThinkingEnabled": true})"},
          {{"MAX_THINKING_TOKENS", "0"}});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 4u);
  EXPECT_FALSE(Body(reqs[2]).contains("thinking"));
  EXPECT_FALSE(HasBeta(Body(reqs[2]), "interleaved-thinking-2025-05-14"));
}

TEST_F(ThinkingTest, OnByDefaultAndOffWithTheSettingOrTheDisableVariable) {
  StartWithToolRound();
  ASSERT_EQ(Run({"-p", "list the files", "--allowedTools", "Bash(ls)"}).exit_code, 0);
  auto bodies = Bodies();
  ASSERT_EQ(bodies.size(), 2u);
  // The default model (Sonnet 4.5) thinks with the full budget and between tool calls; it takes
  // no effort.
  EXPECT_EQ(bodies[0]["thinking"], (Json{{"type", "enabled"}, {"budget_tokens", 31999}}));
  EXPECT_TRUE(HasBeta(bodies[0], "interleaved-thinking-2025-05-14"));
  EXPECT_FALSE(bodies[0].contains("output_config"));

  RunOutput r = Run({"-p", "list the files", "--allowedTools", "Bash(ls)", "--settings",
                     R"({"alwaysThinkingEnabled": false})"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run({"-p", "list the files", "--allowedTools", "Bash(ls)"},
          {{"CLAUDE_CODE_DISABLE_THINKING", "1"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run({"-p", "list the files", "--allowedTools", "Bash(ls)"},
          {{"DISABLE_INTERLEAVED_THINKING", "1"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  bodies = Bodies();
  ASSERT_EQ(bodies.size(), 8u);
  EXPECT_FALSE(bodies[2].contains("thinking")) << "alwaysThinkingEnabled: false";
  EXPECT_FALSE(bodies[4].contains("thinking")) << "CLAUDE_CODE_DISABLE_THINKING";
  EXPECT_TRUE(bodies[6].contains("thinking"));
  EXPECT_FALSE(HasBeta(bodies[6], "interleaved-thinking-2025-05-14"));
}

TEST_F(ThinkingTest, OpusFourSixThinksAdaptivelyAtTheChosenEffort) {
  StartWithToolRound();
  RunOutput r = Run({"-p", "list the files", "--allowedTools", "Bash(ls)", "--model", "opus",
                     "--output-format", "stream-json", "--verbose"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto bodies = Bodies();
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0]["thinking"], (Json{{"type", "adaptive"}}));
  EXPECT_EQ(bodies[0]["output_config"], (Json{{"effort", "high"}})) << "the model's default";
  EXPECT_FALSE(HasBeta(bodies[0], "interleaved-thinking-2025-05-14"));
  // Adaptive thinking interleaves: the reply after the tool result thinks again, and the signed
  // block before the tool call went back intact.
  EXPECT_EQ(bodies[1]["messages"][1]["content"][0]["type"], "thinking");
  int thinking_blocks = 0;
  for (const std::string& line : Split(r.out, '\n')) {
    Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || j["type"] != "assistant") continue;
    for (const Json& b : j["message"]["content"]) thinking_blocks += b["type"] == "thinking";
  }
  EXPECT_EQ(thinking_blocks, 2);

  struct Case {
    std::vector<std::string> extra;
    std::map<std::string, std::string> env;
    std::string effort;
  };
  const std::vector<Case> cases = {
      {{"--effort", "low"}, {}, "low"},
      {{"--effort", "xhigh"}, {}, "high"},  // Opus 4.6 has no xhigh: the next level down
      {{"--effort", "max"}, {}, "max"},
      {{"--effort", "ultracode"}, {}, "high"},
      {{"--effort", "low"}, {{"CLAUDE_CODE_EFFORT_LEVEL", "medium"}}, "medium"},
      {{"--effort", "low"}, {{"CLAUDE_CODE_EFFORT_LEVEL", "auto"}}, "high"},
      {{"--settings", R"({"effortLevel": "medium"})"}, {}, "medium"},
      {{"--settings", R"({"effortLevel": "medium"})", "--effort", "low"}, {}, "low"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"-p", "hi", "--model", "opus"};
    args.insert(args.end(), c.extra.begin(), c.extra.end());
    r = Run(args, c.env);
    ASSERT_EQ(r.exit_code, 0) << Join(c.extra, " ") << "\n" << r.err;
    EXPECT_EQ(Bodies().back()["output_config"]["effort"], c.effort) << Join(c.extra, " ");
  }

  // CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING brings back the fixed budget, with MAX_THINKING_TOKENS.
  r = Run({"-p", "hi", "--model", "opus"},
          {{"CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING", "1"}, {"MAX_THINKING_TOKENS", "5000"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json last = Bodies().back();
  EXPECT_EQ(last["thinking"], (Json{{"type", "enabled"}, {"budget_tokens", 5000}}));
  EXPECT_TRUE(HasBeta(last, "interleaved-thinking-2025-05-14"));
  // Without it the number is ignored on an adaptive model.
  r = Run({"-p", "hi", "--model", "opus"}, {{"MAX_THINKING_TOKENS", "5000"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Bodies().back()["thinking"], (Json{{"type", "adaptive"}}));
}

TEST_F(ThinkingTest, EffortIsNotSentToModelsWithoutIt) {
  StartWithToolRound();
  RunOutput r = Run({"-p", "hi", "--effort", "low"}, {{"CLAUDE_CODE_EFFORT_LEVEL", "max"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(Bodies().back().contains("output_config")) << Bodies().back().dump();
}

TEST_F(ThinkingTest, OneHourPromptCachingMarksEveryCachePoint) {
  StartWithToolRound();
  ASSERT_EQ(Run({"-p", "list the files", "--allowedTools", "Bash(ls)"},
                {{"ENABLE_PROMPT_CACHING_1H", "1"}})
                .exit_code,
            0);
  ASSERT_EQ(Run({"-p", "hi"}, {{"ENABLE_PROMPT_CACHING_1H_BEDROCK", "1"}}).exit_code, 0);
  ASSERT_EQ(Run({"-p", "hi"}, {{"ENABLE_PROMPT_CACHING_1H", "1"}, {"FORCE_PROMPT_CACHING_5M", "1"}})
                .exit_code,
            0);
  ASSERT_EQ(Run({"-p", "hi"}).exit_code, 0);
  auto bodies = Bodies();
  ASSERT_EQ(bodies.size(), 5u);
  // Every cache_control in a body.
  auto marks = [](const Json& body) {
    std::vector<Json> out;
    for (const char* key : {"system", "tools"}) {
      for (const Json& b : body.value(key, Json::array())) {
        if (b.contains("cache_control")) out.push_back(b["cache_control"]);
      }
    }
    for (const Json& m : body["messages"]) {
      if (!m["content"].is_array()) continue;
      for (const Json& b : m["content"]) {
        if (b.contains("cache_control")) out.push_back(b["cache_control"]);
      }
    }
    return out;
  };
  const Json one_hour = {{"type", "ephemeral"}, {"ttl", "1h"}};
  const Json five_minutes = {{"type", "ephemeral"}};
  for (size_t i = 0; i < bodies.size(); ++i) {
    auto m = marks(bodies[i]);
    ASSERT_GE(m.size(), 2u) << i;
    for (const Json& c : m) EXPECT_EQ(c, i < 3 ? one_hour : five_minutes) << i;
  }
}

}  // namespace
}  // namespace brock::e2e
