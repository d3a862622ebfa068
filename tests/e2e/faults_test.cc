// Throttling, server errors and broken streams: retried with backoff when that can help, failing
// at once when it cannot, and never printing a piece of the answer twice.
#include <nlohmann/json.hpp>

#include "e2e_harness.h"

namespace brock::e2e {
namespace {

const char kAnswer[] =
    "This answer arrives in one piece, whatever happened to the stream on the way.";

class FaultsTest : public E2eTest {
 protected:
  // Starts the emulator with one scripted rule (plus the given fields) answering kAnswer.
  void StartWithRule(const std::string& rule_fields) {
    WriteGuideSetup("dev");
    WriteFile("script.json", std::string("{\"rules\": [{\"text\": \"") + kAnswer + "\"" +
                                 (rule_fields.empty() ? "" : ", " + rule_fields) + "}]}");
    StartEmulator({"--script", root_ + "/script.json"});
  }
};

TEST_F(FaultsTest, ThrottlingIsRetriedThenSucceeds) {
  StartWithRule(R"("error": {"type": "ThrottlingException"}, "error_times": 2)");
  RunOutput r = RunBrock({"-p", "hello"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string(kAnswer) + "\n");
  EXPECT_EQ(emulator_.Requests().size(), 3u);
  EXPECT_NE(r.err.find("retrying"), std::string::npos) << r.err;
}

TEST_F(FaultsTest, ThrottlingGivesUpAfterMaxRetriesWithFix) {
  StartWithRule(R"("error": {"type": "ThrottlingException"})");
  RunOutput r = RunBrock({"-p", "hello"}, {{"CLAUDE_CODE_MAX_RETRIES", "2"}});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(emulator_.Requests().size(), 3u) << "one try and two retries";
  EXPECT_NE(r.err.find("ThrottlingException"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("3 attempt"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("CLAUDE_CODE_MAX_RETRIES"), std::string::npos) << r.err;
}

TEST_F(FaultsTest, ServiceUnavailableIsRetried) {
  StartWithRule(R"("error": {"type": "ServiceUnavailableException"}, "error_times": 1)");
  RunOutput r = RunBrock({"-p", "hello"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(emulator_.Requests().size(), 2u);
}

TEST_F(FaultsTest, AccessDeniedFailsAtOnceNamingPermissionModelAndRegion) {
  StartWithRule(
      R"("error": {"type": "AccessDeniedException", "message": "You don't have access to the model with the specified model ID."})");
  RunOutput r = RunBrock({"-p", "hello"}, {{"ANTHROPIC_MODEL", "us.anthropic.claude-sonnet-4-6"}});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(emulator_.Requests().size(), 1u) << "not retried";
  EXPECT_NE(r.err.find("AccessDeniedException"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bedrock:InvokeModelWithResponseStream"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("us.anthropic.claude-sonnet-4-6"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("us-east-1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("model access"), std::string::npos) << r.err;
}

TEST_F(FaultsTest, ExceptionFrameBeforeOutputIsRetried) {
  StartWithRule(
      R"("exception_frame": {"type": "modelStreamErrorException", "after_events": 1}, "stream_fault_times": 1)");
  RunOutput r = RunBrock({"-p", "hello"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string(kAnswer) + "\n");
  EXPECT_EQ(emulator_.Requests().size(), 2u);
}

TEST_F(FaultsTest, ExceptionFrameAfterOutputRecoversWithoutRepeatingText) {
  StartWithRule(
      R"("exception_frame": {"type": "throttlingException", "after_events": 5}, "stream_fault_times": 1)");
  RunOutput r = RunBrock({"-p", "hello"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string(kAnswer) + "\n") << "no text shown twice";
  EXPECT_EQ(emulator_.Requests().size(), 2u);
}

TEST_F(FaultsTest, DroppedConnectionMidStreamRecoversWithoutRepeatingText) {
  StartWithRule(R"("drop_after_events": 5, "stream_fault_times": 1)");
  RunOutput r = RunBrock({"-p", "hello"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string(kAnswer) + "\n");
  EXPECT_EQ(emulator_.Requests().size(), 2u);
}

TEST_F(FaultsTest, CorruptFrameMidStreamRecovers) {
  StartWithRule(R"("corrupt_crc_after_events": 4, "stream_fault_times": 1)");
  RunOutput r = RunBrock({"-p", "hello"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string(kAnswer) + "\n");
  EXPECT_EQ(emulator_.Requests().size(), 2u);
}

TEST_F(FaultsTest, StreamThatAlwaysBreaksIsReportedWithItsCause) {
  StartWithRule(R"("drop_after_events": 5)");
  RunOutput r =
      RunBrock({"-p", "hello", "--output-format", "json"}, {{"CLAUDE_CODE_MAX_RETRIES", "2"}});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(emulator_.Requests().size(), 3u);
  Json j = Json::parse(r.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_EQ(j["is_error"], true);
  EXPECT_NE(r.err.find("broke off after output had begun"), std::string::npos) << r.err;
}

TEST_F(FaultsTest, ValidationErrorIsNotRetried) {
  StartWithRule(
      R"("error": {"type": "ValidationException", "message": "messages: text content blocks must be non-empty"})");
  RunOutput r = RunBrock({"-p", "hello"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(emulator_.Requests().size(), 1u);
  EXPECT_NE(r.err.find("non-empty"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace brock::e2e
