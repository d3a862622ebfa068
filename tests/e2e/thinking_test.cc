// Extended thinking end to end: settings turn it on, the request carries the budget and the
// interleaved-thinking beta, the emulator streams signed thinking blocks, and brock sends them
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
         {{"match", {{"tool_result_contains", "notes.txt"}}}, {"text", "There is notes.txt."}}});
    WriteFile("script.json", Json{{"rules", rules}}.dump(2));
    WriteFile(project_ + "/notes.txt", "x\n");
    StartEmulator({"--script", root_ + "/script.json"});
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
      RunBrock({"-p", "list the files", "--output-format", "stream-json", "--verbose",
                "--allowedTools", "Bash(ls)", "--settings", R"({"alwaysThinkingEnabled": true})"});
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
  for (const auto& e : std::filesystem::recursive_directory_iterator(home_ + "/.claude/projects")) {
    if (e.path().extension() == ".jsonl") transcript += ReadAll(e.path().string());
  }
  EXPECT_NE(transcript.find(assistant["content"][0]["signature"].get<std::string>()),
            std::string::npos);
}

TEST_F(ThinkingTest, MaxThinkingTokensSetsTheBudgetAndZeroTurnsItOff) {
  StartWithToolRound();
  RunOutput r = RunBrock({"-p", "list the files", "--allowedTools", "Bash(ls)"},
                         {{"MAX_THINKING_TOKENS", "4096"}});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  auto reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(Body(reqs[0])["thinking"]["budget_tokens"], 4096);

  r = RunBrock({"-p", "list the files", "--allowedTools", "Bash(ls)", "--settings",
                R"({"alwaysThinkingEnabled": true})"},
               {{"MAX_THINKING_TOKENS", "0"}});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  reqs = BedrockRequests(emulator_.Requests());
  ASSERT_EQ(reqs.size(), 4u);
  EXPECT_FALSE(Body(reqs[2]).contains("thinking"));
  EXPECT_FALSE(HasBeta(Body(reqs[2]), "interleaved-thinking-2025-05-14"));
}

}  // namespace
}  // namespace brock::e2e
