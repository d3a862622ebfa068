#include "ui/print_sink.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/secrets.h"
#include "base/strings.h"

namespace brock {
namespace {

SessionInfo Info(std::string id, std::string cwd, std::string model, std::string mode,
                 std::vector<std::string> tools) {
  SessionInfo info;
  info.session_id = std::move(id);
  info.cwd = std::move(cwd);
  info.model = std::move(model);
  info.permission_mode = std::move(mode);
  info.tools = std::move(tools);
  return info;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A pair of tmpfile() streams standing in for stdout and stderr.
class Files {
 public:
  Files() : out_(std::tmpfile()), err_(std::tmpfile()) {}
  ~Files() {
    if (out_) std::fclose(out_);
    if (err_) std::fclose(err_);
  }
  std::FILE* out() { return out_; }
  std::FILE* err() { return err_; }
  std::string Out() { return Read(out_); }
  std::string Err() { return Read(err_); }

 private:
  static std::string Read(std::FILE* f) {
    std::fflush(f);
    long end = std::ftell(f);
    std::string data(static_cast<size_t>(end), '\0');
    std::rewind(f);
    size_t n = std::fread(data.data(), 1, data.size(), f);
    data.resize(n);
    std::fseek(f, 0, SEEK_END);
    return data;
  }
  std::FILE* out_;
  std::FILE* err_;
};

// Every line of `text` parsed as JSON (the test fails on a line that is not).
std::vector<Json> JsonLines(const std::string& text) {
  std::vector<Json> out;
  for (const std::string& line : Split(text, '\n')) {
    if (line.empty()) continue;
    Json j = Json::parse(line, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << line;
    out.push_back(j);
  }
  return out;
}

RunResult Success(const std::string& text) {
  RunResult r;
  r.result = text;
  r.session_id = "0b6f1c2e-1111-4222-8333-444455556666";
  r.num_turns = 2;
  r.duration_ms = 1234;
  r.duration_api_ms = 1000;
  r.usage = {100, 20, 300, 40};
  r.total_cost_usd = 0.0123;
  ModelUsage mu;
  mu.usage = r.usage;
  mu.cost_usd = 0.0123;
  r.model_usage["us.anthropic.claude-sonnet-4-5-20250929-v1:0"] = mu;
  return r;
}

RunResult Failure() {
  RunResult r;
  r.is_error = true;
  r.subtype = "error_during_execution";
  r.error = MakeError("region.missing", "Region error: AWS_REGION is not set",
                      "set AWS_REGION in ~/.claude/settings.json or the shell, then restart");
  r.result = r.error->ToString();
  r.session_id = "sess-1";
  return r;
}

ModelReply Reply(const Json& message) {
  ModelReply r;
  r.message = MessageFromJson(message);
  r.stop_reason = "end_turn";
  r.model = "claude-test";
  r.usage = {7, 3, 0, 0};
  return r;
}

TEST(PrintSinkTest, ParseOutputFormat) {
  EXPECT_EQ(*ParseOutputFormat("text"), OutputFormat::kText);
  EXPECT_EQ(*ParseOutputFormat("json"), OutputFormat::kJson);
  EXPECT_EQ(*ParseOutputFormat("stream-json"), OutputFormat::kStreamJson);
  auto bad = ParseOutputFormat("yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "cli.output_format");
  EXPECT_TRUE(Has(bad.error().message, "yaml"));
  EXPECT_TRUE(Has(bad.error().fix, "stream-json"));
}

TEST(PrintSinkTest, TextPrintsTheResultAtTheEndWithANewline) {
  Files f;
  auto sink = MakePrintSink(OutputFormat::kText, false, f.out(), f.err());
  sink->OnInit(SessionInfo{});
  sink->OnTextDelta("Hello");
  EXPECT_EQ(f.Out(), "") << "as Claude Code: only the result is printed";
  sink->OnTextDelta(", world");
  sink->OnResult(Success("Hello, world"));
  EXPECT_EQ(f.Out(), "Hello, world\n");
  EXPECT_EQ(f.Err(), "");
}

TEST(PrintSinkTest, TextAddsNoSecondNewline) {
  Files f;
  auto sink = MakePrintSink(OutputFormat::kText, false, f.out(), f.err());
  sink->OnTextDelta("line\n");
  sink->OnResult(Success("line\n"));
  EXPECT_EQ(f.Out(), "line\n");
}

TEST(PrintSinkTest, TextWithNoOutputPrintsNothing) {
  Files f;
  auto sink = MakePrintSink(OutputFormat::kText, false, f.out(), f.err());
  sink->OnResult(Success(""));
  EXPECT_EQ(f.Out(), "");
}

TEST(PrintSinkTest, TextPrintsOnlyTheLastTurn) {
  Files f;
  auto sink = MakePrintSink(OutputFormat::kText, false, f.out(), f.err());
  sink->OnTextDelta("Let me look.");
  sink->OnAssistantMessage(Reply(Json{{"role", "assistant"}, {"content", Json::array()}}));
  sink->OnUserMessage(Message{Role::kUser, {}});
  sink->OnTextDelta("Found it.");
  sink->OnAssistantMessage(Reply(Json{{"role", "assistant"}, {"content", Json::array()}}));
  sink->OnResult(Success("Found it."));
  EXPECT_EQ(f.Out(), "Found it.\n");
}

TEST(PrintSinkTest, TextErrorsGoToStderrWithTheFix) {
  Files f;
  auto sink = MakePrintSink(OutputFormat::kText, false, f.out(), f.err());
  sink->OnResult(Failure());
  EXPECT_EQ(f.Out(), "");
  std::string err = f.Err();
  EXPECT_TRUE(Has(err, "Error: Region error: AWS_REGION is not set")) << err;
  EXPECT_TRUE(Has(err, "fix: set AWS_REGION")) << err;
}

TEST(PrintSinkTest, ErrorWithoutAnErrorObjectPrintsTheResultText) {
  Files f;
  auto sink = MakePrintSink(OutputFormat::kText, false, f.out(), f.err());
  RunResult r;
  r.is_error = true;
  r.subtype = "error_max_turns";
  r.result = "Reached the maximum number of turns (2)";
  sink->OnResult(r);
  EXPECT_EQ(f.Err(), "Error: Reached the maximum number of turns (2)\n");
}

TEST(PrintSinkTest, RetriesAndWarningsGoToStderr) {
  for (OutputFormat format :
       {OutputFormat::kText, OutputFormat::kJson, OutputFormat::kStreamJson}) {
    Files f;
    auto sink = MakePrintSink(format, true, f.out(), f.err());
    sink->OnRetry(MakeError("aws.ThrottlingException", "ThrottlingException: slow down"), 2,
                  std::chrono::milliseconds(750));
    sink->OnWarning("AWS_ACCESS_KEY_ID is set while AWS_PROFILE=dev is also set");
    if (format == OutputFormat::kStreamJson) {
      // stream-json also reports the retry on stdout, as Claude Code's system/api_retry.
      Json retry = Json::parse(f.Out(), nullptr, false);
      EXPECT_EQ(retry["subtype"], "api_retry") << f.Out();
      EXPECT_EQ(retry["attempt"], 2);
      EXPECT_EQ(retry["retry_delay_ms"], 750);
      EXPECT_EQ(retry["error"], "rate_limit");
    } else {
      EXPECT_EQ(f.Out(), "");
    }
    std::string err = f.Err();
    EXPECT_TRUE(Has(err, "ThrottlingException: slow down")) << err;
    EXPECT_TRUE(Has(err, "750 ms")) << err;
    EXPECT_TRUE(Has(err, "attempt 2")) << err;
    EXPECT_TRUE(Has(err, "AWS_PROFILE=dev")) << err;
  }
}

TEST(PrintSinkTest, JsonResultHasClaudeCodesShape) {
  Files f;
  auto sink = MakePrintSink(OutputFormat::kJson, false, f.out(), f.err());
  sink->OnInit(Info("0b6f1c2e-1111-4222-8333-444455556666", "/work", "m", "default", {"Read"}));
  sink->OnTextDelta("not printed in json");
  sink->OnAssistantMessage(Reply(Json{{"role", "assistant"}, {"content", Json::array()}}));
  RunResult r = Success("The answer.");
  r.permission_denials.push_back({{"tool_name", "Bash"},
                                  {"tool_use_id", "toolu_9"},
                                  {"tool_input", {{"command", "rm -rf /"}}}});
  sink->OnResult(r);
  auto lines = JsonLines(f.Out());
  ASSERT_EQ(lines.size(), 1u) << f.Out();
  const Json& j = lines[0];
  for (const char* key :
       {"type", "subtype", "is_error", "result", "session_id", "num_turns", "duration_ms",
        "duration_api_ms", "usage", "total_cost_usd", "modelUsage", "permission_denials", "uuid"}) {
    EXPECT_TRUE(j.contains(key)) << key << " missing in " << j.dump();
  }
  EXPECT_EQ(j["type"], "result");
  EXPECT_EQ(j["subtype"], "success");
  EXPECT_EQ(j["is_error"], false);
  EXPECT_EQ(j["result"], "The answer.");
  EXPECT_EQ(j["session_id"], "0b6f1c2e-1111-4222-8333-444455556666");
  EXPECT_EQ(j["num_turns"], 2);
  EXPECT_EQ(j["duration_ms"], 1234);
  EXPECT_DOUBLE_EQ(j["total_cost_usd"].get<double>(), 0.0123);
  EXPECT_EQ(j["usage"]["input_tokens"], 100);
  EXPECT_EQ(j["usage"]["output_tokens"], 20);
  EXPECT_EQ(j["usage"]["cache_read_input_tokens"], 300);
  EXPECT_EQ(j["usage"]["cache_creation_input_tokens"], 40);
  const Json& mu = j["modelUsage"]["us.anthropic.claude-sonnet-4-5-20250929-v1:0"];
  EXPECT_EQ(mu["inputTokens"], 100);
  EXPECT_EQ(mu["outputTokens"], 20);
  EXPECT_EQ(mu["cacheReadInputTokens"], 300);
  EXPECT_EQ(mu["cacheCreationInputTokens"], 40);
  EXPECT_DOUBLE_EQ(mu["costUSD"].get<double>(), 0.0123);
  ASSERT_EQ(j["permission_denials"].size(), 1u);
  EXPECT_EQ(j["permission_denials"][0]["tool_name"], "Bash");
  EXPECT_EQ(j["permission_denials"][0]["tool_use_id"], "toolu_9");
  EXPECT_EQ(f.Err(), "");
}

TEST(PrintSinkTest, JsonErrorIsInTheResultAndOnStderr) {
  Files f;
  auto sink = MakePrintSink(OutputFormat::kJson, false, f.out(), f.err());
  sink->OnResult(Failure());
  auto lines = JsonLines(f.Out());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["is_error"], true);
  EXPECT_EQ(lines[0]["subtype"], "error_during_execution");
  EXPECT_TRUE(Has(lines[0]["result"].get<std::string>(), "AWS_REGION is not set"));
  EXPECT_TRUE(Has(f.Err(), "fix:")) << f.Err();
}

TEST(PrintSinkTest, StreamJsonEmitsInitAssistantUserResult) {
  Files f;
  auto sink = MakePrintSink(OutputFormat::kStreamJson, true, f.out(), f.err());
  SessionInfo info =
      Info("sess-42", "/home/user/project", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
           "default", {"Read", "Bash"});
  sink->OnInit(info);
  sink->OnTextDelta("deltas are not lines");
  Json assistant = {{"role", "assistant"},
                    {"content", Json::array({{{"type", "text"}, {"text", "Reading."}},
                                             {{"type", "tool_use"},
                                              {"id", "toolu_1"},
                                              {"name", "Read"},
                                              {"input", {{"file_path", "/a"}}}}})}};
  ModelReply reply = Reply(assistant);
  reply.stop_reason = "tool_use";
  sink->OnAssistantMessage(reply);
  Json user = {{"role", "user"},
               {"content",
                Json::array({{{"type", "tool_result"},
                              {"tool_use_id", "toolu_1"},
                              {"content", Json::array({{{"type", "text"}, {"text", "data"}}})}}})}};
  sink->OnUserMessage(MessageFromJson(user));
  RunResult r = Success("Reading.");
  r.session_id = "sess-42";
  sink->OnResult(r);

  auto lines = JsonLines(f.Out());
  ASSERT_EQ(lines.size(), 4u) << f.Out();
  EXPECT_EQ(lines[0]["type"], "system");
  EXPECT_EQ(lines[0]["subtype"], "init");
  EXPECT_EQ(lines[0]["session_id"], "sess-42");
  EXPECT_EQ(lines[0]["cwd"], "/home/user/project");
  EXPECT_EQ(lines[0]["model"], "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
  EXPECT_EQ(lines[0]["permissionMode"], "default");
  EXPECT_EQ(lines[0]["tools"], (Json{"Read", "Bash"}));

  EXPECT_EQ(lines[1]["type"], "assistant");
  EXPECT_EQ(lines[1]["session_id"], "sess-42");
  EXPECT_TRUE(lines[1].contains("parent_tool_use_id"));
  EXPECT_EQ(lines[1]["message"]["role"], "assistant");
  EXPECT_EQ(lines[1]["message"]["type"], "message");
  EXPECT_EQ(lines[1]["message"]["stop_reason"], "tool_use");
  EXPECT_EQ(lines[1]["message"]["model"], "claude-test");
  EXPECT_EQ(lines[1]["message"]["usage"]["input_tokens"], 7);
  EXPECT_EQ(lines[1]["message"]["content"], assistant["content"]);

  EXPECT_EQ(lines[2]["type"], "user");
  EXPECT_EQ(lines[2]["session_id"], "sess-42");
  EXPECT_EQ(lines[2]["message"], user);

  EXPECT_EQ(lines[3]["type"], "result");
  EXPECT_EQ(lines[3]["session_id"], "sess-42");
  EXPECT_EQ(lines[3]["result"], "Reading.");
  // Each line has its own uuid.
  EXPECT_NE(lines[0]["uuid"], lines[1]["uuid"]);
  EXPECT_NE(lines[1]["uuid"], lines[2]["uuid"]);
}

TEST(PrintSinkTest, StreamJsonCarriesThinkingContentAndThinkingDeltas) {
  Files f;
  auto sink = MakePrintSink(OutputFormat::kStreamJson, true, f.out(), f.err(), true);
  sink->OnInit(Info("sess-7", "/p", "m", "default", {}));
  sink->OnThinkingDelta("Weighing ");
  sink->OnThinkingDelta("the options.");
  sink->OnTextDelta("Done.");
  Json assistant = {
      {"role", "assistant"},
      {"content",
       Json::array(
           {{{"type", "thinking"}, {"thinking", "Weighing the options."}, {"signature", "sig-1"}},
            {{"type", "redacted_thinking"}, {"data", "opaque"}},
            {{"type", "text"}, {"text", "Done."}}})}};
  sink->OnAssistantMessage(Reply(assistant));
  sink->OnResult(Success("Done."));

  std::string thinking_deltas;
  bool thinking_block_started = false;
  Json message;
  for (const Json& line : JsonLines(f.Out())) {
    if (line["type"] == "assistant") message = line["message"];
    if (line["type"] != "stream_event") continue;
    const Json& e = line["event"];
    if (e["type"] == "content_block_start" && e["content_block"]["type"] == "thinking") {
      thinking_block_started = true;
    }
    if (e["type"] == "content_block_delta" && e["delta"]["type"] == "thinking_delta") {
      thinking_deltas += e["delta"]["thinking"].get<std::string>();
    }
  }
  EXPECT_TRUE(thinking_block_started) << f.Out();
  EXPECT_EQ(thinking_deltas, "Weighing the options.");
  // The assistant message keeps the blocks whole, signature and redacted data included.
  EXPECT_EQ(message["content"], assistant["content"]);
}

TEST(PrintSinkTest, RegisteredSecretsAreScrubbedFromEveryFormat) {
  const std::string secret = "printsink-secret-Xy7Q9w2Lk";
  RegisterSecret(secret);
  for (OutputFormat format :
       {OutputFormat::kText, OutputFormat::kJson, OutputFormat::kStreamJson}) {
    Files f;
    auto sink = MakePrintSink(format, true, f.out(), f.err());
    sink->OnInit(Info("s", "/home/" + secret, "m", "default", {}));
    sink->OnTextDelta("the key is " + secret + "!");
    Json msg = {{"role", "assistant"},
                {"content", Json::array({{{"type", "text"}, {"text", "key " + secret}}})}};
    sink->OnAssistantMessage(Reply(msg));
    sink->OnUserMessage(MessageFromJson(
        {{"role", "user"},
         {"content",
          Json::array({{{"type", "tool_result"}, {"tool_use_id", "t"}, {"content", secret}}})}}));
    sink->OnRetry(MakeError("net.connect", "failed with " + secret), 2,
                  std::chrono::milliseconds(5));
    sink->OnWarning("warning about " + secret);
    RunResult r = Failure();
    r.result = "result " + secret;
    r.error->message = "error " + secret;
    r.error->fix = "fix " + secret;
    sink->OnResult(r);
    std::string out = f.Out();
    std::string err = f.Err();
    EXPECT_FALSE(Has(out, secret)) << "stdout: " << out;
    EXPECT_FALSE(Has(err, secret)) << "stderr: " << err;
    EXPECT_TRUE(Has(out + err, "[REDACTED]"));
  }
}

TEST(PrintSinkTest, ResultJsonScrubsTheResultText) {
  const std::string secret = "resultjson-secret-Mn3Bv8";
  RegisterSecret(secret);
  Json j = ResultJson(Success("token " + secret));
  EXPECT_EQ(j["result"], "token [REDACTED]");
}

TEST(PrintSinkTest, SecretSplitAcrossTextDeltasIsScrubbed) {
  const std::string secret = "splitdelta-secret-Qw4Er5";
  RegisterSecret(secret);
  Files f;
  auto sink = MakePrintSink(OutputFormat::kText, false, f.out(), f.err());
  sink->OnTextDelta("key: " + secret.substr(0, 10));
  sink->OnTextDelta(secret.substr(10) + " end");
  sink->OnResult(Success("key: " + secret + " end"));
  EXPECT_FALSE(Has(f.Out(), secret)) << f.Out();
}

}  // namespace
}  // namespace brock
