// brock -p end to end: the setup guide's configuration against the emulator.
#include <nlohmann/json.hpp>

#include "e2e_harness.h"

namespace brock::e2e {
namespace {

const char kQuestion[] = "Which state is the Garden State? Answer in one sentence.";

class PrintModeTest : public E2eTest {};

TEST_F(PrintModeTest, GuideSetupWithProjectProfileOverrideAnswers) {
  // User settings select ui-dev; the project's .claude/settings.json overrides it with proj-acct,
  // and only proj-acct has the keys the emulator accepts.
  WriteFile(
      home_ + "/.claude/settings.json",
      R"({"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "AWS_PROFILE": "ui-dev"}})");
  WriteFile(project_ + "/.claude/settings.json", R"({"env": {"AWS_PROFILE": "proj-acct"}})");
  WriteFile(
      home_ + "/.aws/credentials",
      std::string("[ui-dev]\naws_access_key_id = AKIDWRONGWRONGWRONG1\naws_secret_access_key = "
                  "wrongwrongwrongwrongwrongwrongwrongwrong\n\n[proj-acct]\naws_access_key_id = ") +
          kKeyId + "\naws_secret_access_key = " + kSecret + "\n");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("New Jersey"), std::string::npos) << r.out;
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 1u) << "exactly one request per prompt";
  EXPECT_EQ(reqs[0].value("access_key_id", ""), kKeyId);
  EXPECT_TRUE(reqs[0].value("auth_ok", false));
}

TEST_F(PrintModeTest, PromptOnStdin) {
  WriteGuideSetup("dev");
  StartEmulator();
  RunOutput r = RunBrock({"-p"}, {}, kQuestion);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("New Jersey"), std::string::npos) << r.out;
}

TEST_F(PrintModeTest, JsonOutputHasClaudeCodeShape) {
  WriteGuideSetup("dev");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion, "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_EQ(j["type"], "result");
  EXPECT_EQ(j["subtype"], "success");
  EXPECT_EQ(j["is_error"], false);
  EXPECT_NE(j["result"].get<std::string>().find("New Jersey"), std::string::npos);
  EXPECT_EQ(j["num_turns"], 1);
  EXPECT_TRUE(j["session_id"].is_string());
  EXPECT_TRUE(j["duration_ms"].is_number());
  EXPECT_GT(j["usage"]["output_tokens"].get<int>(), 0);
  EXPECT_GT(j["total_cost_usd"].get<double>(), 0.0);
}

TEST_F(PrintModeTest, StreamJsonEmitsInitAssistantResult) {
  WriteGuideSetup("dev");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion, "--output-format", "stream-json", "--verbose"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<Json> lines;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) lines.push_back(Json::parse(line, nullptr, false));
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0]["type"], "system");
  EXPECT_EQ(lines[0]["subtype"], "init");
  EXPECT_EQ(lines[1]["type"], "assistant");
  EXPECT_EQ(lines[1]["message"]["role"], "assistant");
  EXPECT_EQ(lines[2]["type"], "result");
  EXPECT_EQ(lines[0]["session_id"], lines[2]["session_id"]);
}

TEST_F(PrintModeTest, StreamJsonWithoutVerboseIsAnError) {
  WriteGuideSetup("dev");
  RunOutput r = RunBrock({"-p", "hi", "--output-format", "stream-json"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--verbose"), std::string::npos) << r.err;
}

TEST_F(PrintModeTest, BearerTokenIsSentWithoutSigV4) {
  WriteFile(
      home_ + "/.claude/settings.json",
      R"({"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "AWS_BEARER_TOKEN_BEDROCK": "bedrock-api-key-e2e-0123456789"}})");
  StartEmulator({"--bearer-token", "bedrock-api-key-e2e-0123456789"});
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("New Jersey"), std::string::npos);
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].value("auth_kind", ""), "bearer");
}

TEST_F(PrintModeTest, EnvironmentKeysUsedWithoutProfile) {
  WriteFile(home_ + "/.claude/settings.json", R"({"env": {"AWS_REGION": "us-west-2"}})");
  StartEmulator({"--region", "us-west-2"});
  RunOutput r =
      RunBrock({"-p", kQuestion}, {{"AWS_ACCESS_KEY_ID", kKeyId},
                                   {"AWS_SECRET_ACCESS_KEY", kSecret},
                                   {"AWS_SESSION_TOKEN", "session-token-e2e-0123456789"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].value("access_key_id", ""), kKeyId);
  EXPECT_EQ(RequestRegion(reqs[0]), "us-west-2");
}

TEST_F(PrintModeTest, ExplicitProfileBeatsStaleEnvironmentKeysWithWarning) {
  WriteGuideSetup("ui-dev");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion},
                         {{"AWS_ACCESS_KEY_ID", "AKIDSTALESTALESTALE1"},
                          {"AWS_SECRET_ACCESS_KEY", "staleSecretstaleSecretstaleSecret000"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("AWS_ACCESS_KEY_ID"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("AWS_SECRET_ACCESS_KEY"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ui-dev"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unset"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("staleSecret"), std::string::npos) << "secret leaked: " << r.err;
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].value("access_key_id", ""), kKeyId);
}

TEST_F(PrintModeTest, ShellEnvironmentProfileIsOverriddenBySettingsEnv) {
  WriteGuideSetup("from-settings");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion}, {{"AWS_PROFILE", "from-shell"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(PrintModeTest, SkipBedrockAuthSendsUnsignedRequests) {
  WriteFile(home_ + "/.claude/settings.json",
            R"({"env": {"AWS_REGION": "us-east-1", "CLAUDE_CODE_SKIP_BEDROCK_AUTH": "1"}})");
  StartEmulator({"--no-auth"});
  RunOutput r = RunBrock({"-p", kQuestion});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].value("auth_kind", ""), "none");
}

TEST_F(PrintModeTest, ModelAliasUsesPinAndRegionPrefix) {
  WriteFile(
      home_ + "/.claude/settings.json",
      R"({"env": {"AWS_REGION": "eu-west-1", "AWS_PROFILE": "dev", "ANTHROPIC_DEFAULT_HAIKU_MODEL": "eu.anthropic.claude-haiku-4-5-20251001-v1:0"}})");
  WriteFile(home_ + "/.aws/credentials", std::string("[dev]\naws_access_key_id = ") + kKeyId +
                                             "\naws_secret_access_key = " + kSecret + "\n");
  StartEmulator({"--region", "eu-west-1"});
  RunOutput r = RunBrock({"-p", kQuestion, "--model", "haiku"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = RunBrock({"-p", kQuestion, "--model", "sonnet"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].value("model_id", ""), "eu.anthropic.claude-haiku-4-5-20251001-v1:0");
  EXPECT_EQ(reqs[1].value("model_id", "").rfind("eu.anthropic.claude-sonnet", 0), 0u)
      << reqs[1].value("model_id", "");
}

TEST_F(PrintModeTest, ModelIdWithColonAndArnAreSentVerbatim) {
  WriteGuideSetup("dev");
  StartEmulator();
  const std::string arn =
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/anthropic.claude-x1";
  RunOutput r = RunBrock({"-p", kQuestion},
                         {{"ANTHROPIC_MODEL", "anthropic.claude-3-5-sonnet-20240620-v1:0"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = RunBrock({"-p", kQuestion, "--model", arn});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].value("model_id", ""), "anthropic.claude-3-5-sonnet-20240620-v1:0");
  EXPECT_EQ(reqs[1].value("model_id", ""), arn);
  EXPECT_TRUE(reqs[1].value("auth_ok", false)) << "signature over the encoded ARN path";
}

TEST_F(PrintModeTest, BetasGoInTheBodyArray) {
  WriteGuideSetup("dev");
  StartEmulator();
  ASSERT_EQ(RunBrock({"-p", kQuestion}).exit_code, 0);
  RunOutput r = RunBrock({"-p", kQuestion, "--model", "sonnet[1m]"},
                         {{"ANTHROPIC_BETAS", "extra-beta-2025-01-01"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_FALSE(Json::parse(reqs[0].value("body", "")).contains("anthropic_beta"))
      << "no betas unless used";
  Json betas = Json::parse(reqs[1].value("body", ""))["anthropic_beta"];
  ASSERT_TRUE(betas.is_array());
  EXPECT_EQ(betas, Json::array({"context-1m-2025-08-07", "extra-beta-2025-01-01"}));
}

TEST_F(PrintModeTest, CustomHeadersAreSentAndSigned) {
  WriteGuideSetup("dev");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion},
                         {{"ANTHROPIC_CUSTOM_HEADERS", "X-Team: platform\nX-Cost-Center: 42"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(RequestHeader(reqs[0], "x-team"), "platform");
  EXPECT_TRUE(reqs[0].value("auth_ok", false));
}

TEST_F(PrintModeTest, RequestBodyIsAnAnthropicMessagesBody) {
  WriteGuideSetup("dev");
  StartEmulator();
  RunOutput r = RunBrock({"-p", kQuestion});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 1u);
  Json body = Json::parse(reqs[0].value("body", ""), nullptr, false);
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body["anthropic_version"], "bedrock-2023-05-31");
  EXPECT_GT(body["max_tokens"].get<int>(), 0);
  EXPECT_TRUE(body["system"].is_array());
  EXPECT_EQ(body["messages"].back()["role"], "user");
  EXPECT_FALSE(body.contains("model")) << "the model goes in the path on Bedrock";
}

}  // namespace
}  // namespace brock::e2e
