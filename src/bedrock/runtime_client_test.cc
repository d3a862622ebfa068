#include "bedrock/runtime_client.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "aws/sigv4.h"
#include "base/strings.h"
#include "testing/bedrock_fake_http.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

using testing::AwsErrorReply;
using testing::ChunkFrame;
using testing::ExceptionFrame;
using testing::FakeBedrockHttp;
using testing::FakeReply;
using testing::Frames;
using testing::ReplyEvents;
using testing::ReplySpec;
using testing::StreamReply;

constexpr char kModel[] = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
constexpr char kBase[] = "https://bedrock-runtime.us-west-2.amazonaws.com";

// Credentials that fail with `error` until `logged_in` is set (by a test's refresh hook).
class FakeCredentialSource : public CredentialSource {
 public:
  Result<Credentials> Get(bool force_refresh) override {
    ++gets;
    if (force_refresh) ++forced_refreshes;
    if (error && !logged_in) return *error;
    return creds;
  }
  Credentials creds{"AKIDEXAMPLE",
                    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                    "session-token-123456",
                    std::nullopt,
                    "test credentials",
                    "dev",
                    ""};
  std::optional<Error> error;
  bool logged_in = false;
  int gets = 0;
  int forced_refreshes = 0;
};

Json Body() {
  return {{"anthropic_version", "bedrock-2023-05-31"},
          {"max_tokens", 100},
          {"messages", Json::array({{{"role", "user"}, {"content", "hi"}}})}};
}

ReplySpec TextSpec(std::vector<std::string> pieces) {
  ReplySpec s;
  s.pieces = std::move(pieces);
  return s;
}

// The event frames of a reply cut off after `n` events (no message_stop).
std::vector<std::string> FirstFrames(const ReplySpec& spec, size_t n) {
  auto frames = Frames(ReplyEvents(spec));
  frames.resize(n);
  return frames;
}

struct Recorder {
  std::string text;
  std::vector<std::string> deltas;
  std::vector<int> next_attempts;
  std::vector<std::chrono::milliseconds> delays;
  std::vector<std::string> causes;
  StreamObserver observer() {
    StreamObserver o;
    o.on_text = [this](std::string_view t) {
      text.append(t);
      deltas.emplace_back(t);
    };
    o.on_retry = [this](const Error& cause, int next, std::chrono::milliseconds delay) {
      causes.push_back(cause.code);
      next_attempts.push_back(next);
      delays.push_back(delay);
    };
    return o;
  }
};

class RuntimeClientTest : public ::testing::Test {
 protected:
  RuntimeOptions Options() {
    RuntimeOptions o;
    o.base_url = kBase;
    o.region = "us-west-2";
    o.auth.kind = BedrockAuthKind::kSigV4;
    o.auth.credentials = &creds_;
    o.max_retries = 3;
    o.retry_base_delay = std::chrono::milliseconds(100);
    o.retry_max_delay = std::chrono::milliseconds(1000);
    o.context.region = "us-west-2";
    return o;
  }

  testing::FakeEnv env_;
  FakeBedrockHttp http_;
  FakeCredentialSource creds_;
  Recorder rec_;
};

TEST(ModelPathTest, EscapesColonAndSlash) {
  EXPECT_EQ(ModelPath(kModel, "invoke-with-response-stream"),
            "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream");
  EXPECT_EQ(ModelPath("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123",
                      "invoke"),
            "/model/"
            "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%"
            "2Fabc123/invoke");
  EXPECT_EQ(ModelPath("anthropic.claude-3-haiku-20240307-v1:0", "invoke"),
            "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke");
}

TEST_F(RuntimeClientTest, StreamsTextAndReturnsTheReply) {
  ReplySpec spec = TextSpec({"Hello", ", ", "world"});
  spec.input_tokens = 17;
  spec.output_tokens = 4;
  http_.script.push_back(StreamReply(spec));
  BedrockRuntime rt(http_, env_, Options());
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(rec_.deltas, (std::vector<std::string>{"Hello", ", ", "world"}));
  EXPECT_EQ((*r->message)["content"][0]["text"], "Hello, world");
  EXPECT_EQ(r->stop_reason, "end_turn");
  EXPECT_EQ(r->usage.input_tokens, 17);
  EXPECT_EQ(r->usage.output_tokens, 4);
  EXPECT_EQ(rt.requests_sent(), 1);
  ASSERT_EQ(http_.requests.size(), 1u);
  const HttpRequest& req = http_.requests[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(
      req.url,
      std::string(kBase) +
          "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream");
  EXPECT_EQ(FindHeader(req.headers, "Accept"), "application/vnd.amazon.eventstream");
  EXPECT_EQ(FindHeader(req.headers, "Content-Type"), "application/json");
  EXPECT_EQ(Json::parse(req.body), Body());
  EXPECT_EQ(env_.slept.count(), 0);
  EXPECT_TRUE(rec_.next_attempts.empty());
}

TEST_F(RuntimeClientTest, ArnModelIdAndBaseUrlWithPathPrefix) {
  http_.script.push_back(StreamReply(TextSpec({"ok"})));
  RuntimeOptions o = Options();
  o.base_url = "http://127.0.0.1:8443/gateway/bedrock/";
  BedrockRuntime rt(http_, env_, o);
  const std::string arn =
      "arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/p9x";
  auto r = rt.Stream(arn, Body(), rec_.observer());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(http_.requests[0].url,
            "http://127.0.0.1:8443/gateway/bedrock/model/"
            "arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Aapplication-inference-profile%2Fp9x/"
            "invoke-with-response-stream");
}

TEST_F(RuntimeClientTest, BearerTokenGoesInTheAuthorizationHeader) {
  http_.script.push_back(StreamReply(TextSpec({"ok"})));
  RuntimeOptions o = Options();
  o.auth.kind = BedrockAuthKind::kBearer;
  o.auth.bearer_token = "ABSKbearer-token-value-0123456789";
  o.auth.credentials = nullptr;
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const HttpRequest& req = http_.requests[0];
  EXPECT_EQ(FindHeader(req.headers, "Authorization"), "Bearer ABSKbearer-token-value-0123456789");
  EXPECT_EQ(FindHeader(req.headers, "X-Amz-Date"), "");
  EXPECT_EQ(FindHeader(req.headers, "X-Amz-Security-Token"), "");
  EXPECT_EQ(creds_.gets, 0);
}

TEST_F(RuntimeClientTest, UnsignedRequestsCarryNoAuthorization) {
  http_.script.push_back(StreamReply(TextSpec({"ok"})));
  RuntimeOptions o = Options();
  o.auth.kind = BedrockAuthKind::kUnsigned;
  o.auth.credentials = nullptr;
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(FindHeader(http_.requests[0].headers, "Authorization"), "");
  EXPECT_EQ(FindHeader(http_.requests[0].headers, "X-Amz-Date"), "");
}

TEST_F(RuntimeClientTest, SigV4SignsForBedrockInTheRegionWithCustomHeaders) {
  http_.script.push_back(StreamReply(TextSpec({"ok"})));
  RuntimeOptions o = Options();
  o.extra_headers = {{"X-Gateway-Team", "ml-platform"}, {"X-Trace-Tag", "run 7"}};
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const HttpRequest& req = http_.requests[0];
  std::string auth = FindHeader(req.headers, "Authorization");
  EXPECT_TRUE(StartsWith(
      auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-west-2/bedrock/aws4_request"))
      << auth;
  EXPECT_NE(auth.find("x-gateway-team"), std::string::npos)
      << "custom headers are signed: " << auth;
  EXPECT_NE(auth.find("x-trace-tag"), std::string::npos) << auth;
  EXPECT_EQ(FindHeader(req.headers, "X-Amz-Date"), "20260101T000000Z");
  EXPECT_EQ(FindHeader(req.headers, "X-Amz-Security-Token"), "session-token-123456");
  EXPECT_EQ(FindHeader(req.headers, "X-Gateway-Team"), "ml-platform");
  EXPECT_EQ(FindHeader(req.headers, "X-Trace-Tag"), "run 7");

  // The signature verifies as a server would check it.
  SigV4Verification v = VerifySigV4(
      req,
      [&](const std::string& id) -> std::optional<std::string> {
        if (id == creds_.creds.access_key_id) return creds_.creds.secret_access_key;
        return std::nullopt;
      },
      env_.now);
  EXPECT_TRUE(v.ok) << v.error_type << ": " << v.message;
  EXPECT_EQ(v.service, "bedrock");
  EXPECT_EQ(v.region, "us-west-2");
}

TEST_F(RuntimeClientTest, CustomHeadersAreSentWithBearerAuthToo) {
  http_.script.push_back(StreamReply(TextSpec({"ok"})));
  RuntimeOptions o = Options();
  o.auth.kind = BedrockAuthKind::kBearer;
  o.auth.bearer_token = "bearer-token-value-abcdefgh";
  o.extra_headers = {{"anthropic-beta", "context-1m-2025-08-07"}};
  BedrockRuntime rt(http_, env_, o);
  ASSERT_TRUE(rt.Stream(kModel, Body(), rec_.observer()).ok());
  EXPECT_EQ(FindHeader(http_.requests[0].headers, "anthropic-beta"), "context-1m-2025-08-07");
}

TEST_F(RuntimeClientTest, RetriesThrottlingThenSucceeds) {
  http_.script.push_back(
      AwsErrorReply(429, "ThrottlingException", "Too many requests, please wait"));
  http_.script.push_back(StreamReply(TextSpec({"done"})));
  BedrockRuntime rt(http_, env_, Options());
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(rt.requests_sent(), 2);
  EXPECT_EQ(rec_.text, "done");
  ASSERT_EQ(rec_.next_attempts, std::vector<int>{2});
  EXPECT_EQ(rec_.causes[0], "aws.ThrottlingException");
  EXPECT_GT(env_.slept.count(), 0);
  EXPECT_EQ(env_.slept, rec_.delays[0]);
}

TEST_F(RuntimeClientTest, Retries503ThenSucceeds) {
  http_.script.push_back(
      AwsErrorReply(503, "ServiceUnavailableException", "Bedrock is unavailable"));
  http_.script.push_back(StreamReply(TextSpec({"done"})));
  BedrockRuntime rt(http_, env_, Options());
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(rt.requests_sent(), 2);
  EXPECT_GT(env_.slept.count(), 0);
}

TEST_F(RuntimeClientTest, BackoffGrowsAndIsCappedByRetryMaxDelay) {
  http_.script.push_back(AwsErrorReply(503, "ServiceUnavailableException", "busy"));  // always
  RuntimeOptions o = Options();
  o.max_retries = 8;
  o.retry_base_delay = std::chrono::milliseconds(100);
  o.retry_max_delay = std::chrono::milliseconds(1000);
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "aws.ServiceUnavailableException");
  EXPECT_EQ(rt.requests_sent(), 9);
  ASSERT_EQ(rec_.delays.size(), 8u);
  std::chrono::milliseconds total{0};
  for (size_t i = 0; i < rec_.delays.size(); ++i) {
    int64_t capped = std::min<int64_t>(1000, 100LL << i);
    EXPECT_LE(rec_.delays[i].count(), capped) << "retry " << i;
    EXPECT_GE(rec_.delays[i].count(), capped / 2) << "retry " << i;
    EXPECT_LE(rec_.delays[i].count(), 1000) << "retry " << i;
    EXPECT_EQ(rec_.next_attempts[i], static_cast<int>(i) + 2);
    total += rec_.delays[i];
  }
  EXPECT_EQ(env_.slept, total);
  // The later waits are at the cap's range, the first ones well below it.
  EXPECT_LE(rec_.delays[0].count(), 100);
  EXPECT_GE(rec_.delays[7].count(), 500);
  EXPECT_NE(r.error().message.find("9 attempts"), std::string::npos) << r.error().message;
}

// API_TIMEOUT_MS bounds the whole call: each attempt gets the time left as its total timeout,
// and a retry whose wait would pass the deadline ends the call at once.
TEST_F(RuntimeClientTest, CallDeadlineBoundsAttemptsAndRetries) {
  http_.script.push_back(AwsErrorReply(503, "ServiceUnavailableException", "busy"));  // always
  RuntimeOptions o = Options();
  o.max_retries = 8;
  o.call_timeout = std::chrono::milliseconds(250);
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "bedrock.deadline");
  EXPECT_FALSE(r.error().retryable);
  EXPECT_NE(r.error().message.find("API_TIMEOUT_MS (250 ms"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().fix.find("API_TIMEOUT_MS"), std::string::npos);
  EXPECT_LT(rt.requests_sent(), 9);
  EXPECT_LT(env_.slept, std::chrono::milliseconds(250));
  ASSERT_FALSE(http_.requests.empty());
  EXPECT_EQ(http_.requests[0].total_timeout, std::chrono::milliseconds(250));
  for (size_t i = 1; i < http_.requests.size(); ++i) {
    EXPECT_LT(http_.requests[i].total_timeout, http_.requests[i - 1].total_timeout);
  }
  EXPECT_EQ(http_.requests[0].max_response_bytes, kBedrockMaxResponseBytes);
}

TEST_F(RuntimeClientTest, ZeroCallTimeoutMeansNoDeadline) {
  http_.script.push_back(StreamReply(TextSpec({"done"})));
  RuntimeOptions o = Options();
  o.call_timeout = std::chrono::milliseconds(0);
  o.max_response_bytes = 12345;
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(http_.requests[0].total_timeout.count(), 0);
  EXPECT_EQ(http_.requests[0].max_response_bytes, 12345u);
}

TEST_F(RuntimeClientTest, MaxRetriesIsHonoured) {
  http_.script.push_back(AwsErrorReply(429, "ThrottlingException", "slow down"));
  RuntimeOptions o = Options();
  o.max_retries = 2;
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(rt.requests_sent(), 3);
  EXPECT_EQ(rec_.next_attempts, (std::vector<int>{2, 3}));
  EXPECT_EQ(r.error().code, "aws.ThrottlingException");
  EXPECT_NE(r.error().message.find("3 attempt"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().fix.find("CLAUDE_CODE_MAX_RETRIES"), std::string::npos) << r.error().fix;
}

TEST_F(RuntimeClientTest, ZeroMaxRetriesSendsOnce) {
  http_.script.push_back(AwsErrorReply(503, "ServiceUnavailableException", "busy"));
  RuntimeOptions o = Options();
  o.max_retries = 0;
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(rt.requests_sent(), 1);
  EXPECT_EQ(env_.slept.count(), 0);
}

TEST_F(RuntimeClientTest, NoRetryOnValidationError) {
  http_.script.push_back(AwsErrorReply(400, "ValidationException", "max_tokens: must be positive"));
  http_.script.push_back(StreamReply(TextSpec({"never"})));
  BedrockRuntime rt(http_, env_, Options());
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "aws.ValidationException");
  EXPECT_EQ(r.error().http_status, 400);
  EXPECT_EQ(rt.requests_sent(), 1);
  EXPECT_EQ(env_.slept.count(), 0);
  EXPECT_TRUE(rec_.next_attempts.empty());
}

TEST_F(RuntimeClientTest, NoRetryOnAccessDenied) {
  http_.script.push_back(AwsErrorReply(403, "AccessDeniedException", "not authorized"));
  http_.script.push_back(StreamReply(TextSpec({"never"})));
  BedrockRuntime rt(http_, env_, Options());
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "aws.AccessDeniedException");
  EXPECT_EQ(rt.requests_sent(), 1);
  EXPECT_EQ(env_.slept.count(), 0);
  // The explanation names the model and the region it was invoked in.
  EXPECT_NE(r.error().message.find(kModel), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("us-west-2"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("test credentials"), std::string::npos) << r.error().message;
}

TEST_F(RuntimeClientTest, TransportErrorsAreRetried) {
  FakeReply dropped;
  dropped.transport_error = MakeError("net.connect", "could not connect");
  dropped.transport_error->retryable = true;
  http_.script.push_back(dropped);
  http_.script.push_back(StreamReply(TextSpec({"back"})));
  BedrockRuntime rt(http_, env_, Options());
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(rt.requests_sent(), 2);
  EXPECT_EQ(rec_.causes, std::vector<std::string>{"net.connect"});
}

TEST_F(RuntimeClientTest, ExceptionFrameBeforeTextIsRetried) {
  ReplySpec spec = TextSpec({"Fresh ", "answer"});
  auto first = FirstFrames(spec, 2);  // message_start, content_block_start
  first.push_back(ExceptionFrame("modelStreamErrorException", "model stream failed"));
  http_.script.push_back(StreamReply(first));
  http_.script.push_back(StreamReply(spec));
  BedrockRuntime rt(http_, env_, Options());
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(rt.requests_sent(), 2);
  EXPECT_EQ(rec_.text, "Fresh answer");
  EXPECT_EQ(rec_.causes, std::vector<std::string>{"aws.ModelStreamErrorException"});
}

TEST_F(RuntimeClientTest, ExceptionFrameAfterTextRecoversWithoutDuplicates) {
  ReplySpec spec = TextSpec({"Hello, ", "wor", "ld! ", "More text."});
  auto first = FirstFrames(spec, 4);  // start, block start, "Hello, ", "wor"
  first.push_back(ExceptionFrame("internalServerException", "oops"));
  http_.script.push_back(StreamReply(first));
  // The retried stream has the same text, cut into different deltas.
  http_.script.push_back(StreamReply(TextSpec({"Hel", "lo, wo", "rld", "! More text."})));
  BedrockRuntime rt(http_, env_, Options());
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(rt.requests_sent(), 2);
  // Every character reached the observer exactly once, in order.
  EXPECT_EQ(rec_.text, "Hello, world! More text.");
  EXPECT_EQ((*r->message)["content"][0]["text"], "Hello, world! More text.");
  ASSERT_GE(rec_.deltas.size(), 3u);
  EXPECT_EQ(rec_.deltas[0], "Hello, ");
  EXPECT_EQ(rec_.deltas[1], "wor");
}

TEST_F(RuntimeClientTest, DivergingRetriedTextIsAStreamBrokenError) {
  ReplySpec spec = TextSpec({"The answer is ", "42", "."});
  auto first = FirstFrames(spec, 4);  // "The answer is ", "42"
  first.push_back(ExceptionFrame("modelStreamErrorException", "broke"));
  http_.script.push_back(StreamReply(first));
  http_.script.push_back(StreamReply(TextSpec({"The answer is ", "41", "."})));
  BedrockRuntime rt(http_, env_, Options());
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "bedrock.stream_broken");
  EXPECT_FALSE(r.error().fix.empty());
  // Nothing of the differing retry was shown.
  EXPECT_EQ(rec_.text, "The answer is 42");
  EXPECT_EQ(rt.requests_sent(), 2);
}

TEST_F(RuntimeClientTest, DivergenceInsideADeltaThatCrossesTheShownTextIsCaught) {
  ReplySpec spec = TextSpec({"abc", "def"});
  auto first = FirstFrames(spec, 4);
  first.push_back(ExceptionFrame("modelStreamErrorException", "broke"));
  http_.script.push_back(StreamReply(first));
  http_.script.push_back(StreamReply(TextSpec({"abcdXf-and-more"})));
  BedrockRuntime rt(http_, env_, Options());
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "bedrock.stream_broken");
  EXPECT_EQ(rec_.text, "abcdef");
}

TEST_F(RuntimeClientTest, RetriedReplyShorterThanShownTextIsNotAccepted) {
  ReplySpec spec = TextSpec({"Hello", ", world", " and more"});
  auto first = FirstFrames(spec, 4);  // shown: "Hello, world"
  first.push_back(ExceptionFrame("modelStreamErrorException", "broke"));
  http_.script.push_back(StreamReply(first));
  http_.script.push_back(StreamReply(TextSpec({"Hello"})));
  BedrockRuntime rt(http_, env_, Options());
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  if (r.ok()) {
    ADD_FAILURE() << "accepted a reply (" << (*r->message)["content"][0]["text"]
                  << ") shorter than the text shown (" << rec_.text << ")";
  } else {
    EXPECT_EQ(r.error().code, "bedrock.stream_broken");
  }
}

TEST_F(RuntimeClientTest, TruncatedStreamWithoutMessageStopIsRetried) {
  ReplySpec spec = TextSpec({"part one, ", "part two"});
  http_.script.push_back(StreamReply(FirstFrames(spec, 3)));  // start, block start, "part one, "
  http_.script.push_back(StreamReply(spec));
  BedrockRuntime rt(http_, env_, Options());
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(rt.requests_sent(), 2);
  EXPECT_EQ(rec_.text, "part one, part two");
  EXPECT_EQ(rec_.causes, std::vector<std::string>{"net.dropped"});
}

TEST_F(RuntimeClientTest, StreamCutInsideAFrameIsRetried) {
  ReplySpec spec = TextSpec({"abc"});
  auto frames = FirstFrames(spec, 3);
  std::string last = ChunkFrame({{"type", "content_block_delta"},
                                 {"index", 0},
                                 {"delta", {{"type", "text_delta"}, {"text", "zzz"}}}});
  frames.push_back(last.substr(0, last.size() - 7));  // half a frame
  http_.script.push_back(StreamReply(frames));
  http_.script.push_back(StreamReply(spec));
  BedrockRuntime rt(http_, env_, Options());
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(rt.requests_sent(), 2);
  EXPECT_EQ(rec_.text, "abc");
}

TEST_F(RuntimeClientTest, TruncatedStreamFailsAfterMaxRetries) {
  ReplySpec spec = TextSpec({"never ends"});
  http_.script.push_back(StreamReply(FirstFrames(spec, 3)));
  RuntimeOptions o = Options();
  o.max_retries = 1;
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.dropped");
  EXPECT_EQ(rt.requests_sent(), 2);
  EXPECT_EQ(rec_.text, "never ends");
  EXPECT_NE(r.error().message.find("broke off after output had begun"), std::string::npos)
      << r.error().message;
}

TEST_F(RuntimeClientTest, ExpiredTokenRunsTheRefreshHookOnceThenRetries) {
  http_.script.push_back(AwsErrorReply(403, "ExpiredTokenException",
                                       "The security token included in the request is expired"));
  http_.script.push_back(StreamReply(TextSpec({"fresh"})));
  RuntimeOptions o = Options();
  int hook_runs = 0;
  o.on_credentials_expired = [&]() -> Status {
    ++hook_runs;
    return {};
  };
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(hook_runs, 1);
  EXPECT_EQ(creds_.forced_refreshes, 1);
  EXPECT_EQ(rt.requests_sent(), 2);
  EXPECT_EQ(env_.slept.count(), 0) << "the refresh retry does not back off";
}

TEST_F(RuntimeClientTest, ExpiredTokenTwiceRunsTheHookOnlyOnce) {
  http_.script.push_back(AwsErrorReply(403, "ExpiredTokenException",
                                       "The security token included in the request is expired"));
  RuntimeOptions o = Options();
  o.context.profile = "dev";
  int hook_runs = 0;
  o.on_credentials_expired = [&]() -> Status {
    ++hook_runs;
    return {};
  };
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "aws.ExpiredTokenException");
  EXPECT_EQ(hook_runs, 1);
  EXPECT_EQ(rt.requests_sent(), 2);
  EXPECT_NE(r.error().fix.find("aws sso login --profile dev"), std::string::npos) << r.error().fix;
}

TEST_F(RuntimeClientTest, FailingRefreshHookStopsWithItsError) {
  http_.script.push_back(AwsErrorReply(403, "ExpiredTokenException", "expired"));
  RuntimeOptions o = Options();
  o.on_credentials_expired = []() -> Status {
    return MakeError("auth_refresh.failed", "awsAuthRefresh exited with status 1",
                     "run it by hand");
  };
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "auth_refresh.failed");
  EXPECT_EQ(rt.requests_sent(), 1);
}

TEST_F(RuntimeClientTest, CredentialsNeedingLoginRunTheHookOnceThenSucceed) {
  creds_.error = MakeError("sso.login_required", "the SSO session for profile dev has expired",
                           "run aws sso login --profile dev");
  http_.script.push_back(StreamReply(TextSpec({"after login"})));
  RuntimeOptions o = Options();
  int hook_runs = 0;
  o.on_credentials_expired = [&]() -> Status {
    ++hook_runs;
    creds_.logged_in = true;
    return {};
  };
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(hook_runs, 1);
  EXPECT_EQ(rec_.text, "after login");
  EXPECT_EQ(rt.requests_sent(), 1);
  EXPECT_GE(creds_.forced_refreshes, 1);
}

TEST_F(RuntimeClientTest, CredentialsStillNeedingLoginFailAfterOneHookRun) {
  creds_.error = MakeError("sso.login_required", "the SSO session for profile dev has expired",
                           "run aws sso login --profile dev");
  http_.script.push_back(StreamReply(TextSpec({"never"})));
  RuntimeOptions o = Options();
  int hook_runs = 0;
  o.on_credentials_expired = [&]() -> Status {
    ++hook_runs;
    return {};
  };
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "sso.login_required");
  EXPECT_EQ(hook_runs, 1);
  EXPECT_EQ(rt.requests_sent(), 0);
}

TEST_F(RuntimeClientTest, OtherCredentialErrorsDoNotRunTheHook) {
  creds_.error = MakeError("credentials.missing", "no AWS credentials found", "set AWS_PROFILE");
  RuntimeOptions o = Options();
  int hook_runs = 0;
  o.on_credentials_expired = [&]() -> Status {
    ++hook_runs;
    return {};
  };
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Stream(kModel, Body(), rec_.observer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "credentials.missing");
  EXPECT_EQ(hook_runs, 0);
  EXPECT_EQ(rt.requests_sent(), 0);
}

TEST_F(RuntimeClientTest, InvokeReturnsTheJsonReplyAndRetries) {
  FakeReply ok;
  ok.body = R"({"id":"msg_1","role":"assistant","content":[{"type":"text","text":"pong"}]})";
  http_.script.push_back(AwsErrorReply(503, "ServiceUnavailableException", "busy"));
  http_.script.push_back(ok);
  BedrockRuntime rt(http_, env_, Options());
  auto r = rt.Invoke(kModel, Body());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ((*r)["content"][0]["text"], "pong");
  EXPECT_EQ(rt.requests_sent(), 2);
  EXPECT_EQ(http_.requests[0].url,
            std::string(kBase) + "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke");
  EXPECT_EQ(FindHeader(http_.requests[0].headers, "Accept"), "application/json");
  EXPECT_GT(env_.slept.count(), 0);
}

TEST_F(RuntimeClientTest, InvokeWithInvalidJsonIsABadReply) {
  FakeReply bad;
  bad.body = "<html>proxy</html>";
  http_.script.push_back(bad);
  BedrockRuntime rt(http_, env_, Options());
  auto r = rt.Invoke(kModel, Body());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "bedrock.bad_reply");
}

TEST_F(RuntimeClientTest, InvokeExpiredTokenRunsTheRefreshHookOnceThenRetries) {
  http_.script.push_back(AwsErrorReply(403, "ExpiredTokenException",
                                       "The security token included in the request is expired"));
  FakeReply ok;
  ok.body = R"({"id":"msg_2","role":"assistant","content":[{"type":"text","text":"refreshed"}]})";
  http_.script.push_back(ok);
  RuntimeOptions o = Options();
  int hook_runs = 0;
  o.on_credentials_expired = [&]() -> Status {
    ++hook_runs;
    return {};
  };
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Invoke(kModel, Body());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ((*r)["content"][0]["text"], "refreshed");
  EXPECT_EQ(hook_runs, 1);
  EXPECT_EQ(creds_.forced_refreshes, 1);
  EXPECT_EQ(rt.requests_sent(), 2);
  EXPECT_EQ(env_.slept.count(), 0) << "the refresh retry does not back off";
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_TRUE(EndsWith(http_.requests[1].url, "/invoke"));
}

TEST_F(RuntimeClientTest, InvokeExpiredTokenTwiceRunsTheHookOnlyOnce) {
  http_.script.push_back(AwsErrorReply(403, "ExpiredTokenException",
                                       "The security token included in the request is expired"));
  http_.script.push_back(AwsErrorReply(403, "ExpiredTokenException",
                                       "The security token included in the request is expired"));
  RuntimeOptions o = Options();
  o.context.profile = "dev";
  int hook_runs = 0;
  o.on_credentials_expired = [&]() -> Status {
    ++hook_runs;
    return {};
  };
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Invoke(kModel, Body());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "aws.ExpiredTokenException");
  EXPECT_EQ(hook_runs, 1);
  EXPECT_EQ(rt.requests_sent(), 2);
}

TEST_F(RuntimeClientTest, InvokeCredentialsNeedingLoginRunTheHookOnceThenSucceed) {
  creds_.error = MakeError("sso.login_required", "the SSO session for profile dev has expired",
                           "run aws sso login --profile dev");
  FakeReply ok;
  ok.body = R"({"id":"msg_3","role":"assistant","content":[{"type":"text","text":"after login"}]})";
  http_.script.push_back(ok);
  RuntimeOptions o = Options();
  int hook_runs = 0;
  o.on_credentials_expired = [&]() -> Status {
    ++hook_runs;
    creds_.logged_in = true;
    return {};
  };
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Invoke(kModel, Body());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ((*r)["content"][0]["text"], "after login");
  EXPECT_EQ(hook_runs, 1);
  EXPECT_EQ(rt.requests_sent(), 1);
}

TEST_F(RuntimeClientTest, InvokeFailingRefreshHookStopsWithItsError) {
  http_.script.push_back(AwsErrorReply(403, "ExpiredTokenException", "expired"));
  RuntimeOptions o = Options();
  o.on_credentials_expired = []() -> Status {
    return MakeError("auth_refresh.failed", "awsAuthRefresh exited with status 1",
                     "run it by hand");
  };
  BedrockRuntime rt(http_, env_, o);
  auto r = rt.Invoke(kModel, Body());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "auth_refresh.failed");
  EXPECT_EQ(rt.requests_sent(), 1);
}

TEST_F(RuntimeClientTest, InvokeReportsRetriesToTheObserver) {
  FakeReply ok;
  ok.body = R"({"id":"msg_4","role":"assistant","content":[]})";
  http_.script.push_back(AwsErrorReply(429, "ThrottlingException", "Too many requests"));
  http_.script.push_back(ok);
  BedrockRuntime rt(http_, env_, Options());
  auto r = rt.Invoke(kModel, Body(), nullptr, rec_.observer());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(rec_.next_attempts.size(), 1u);
  EXPECT_EQ(rec_.next_attempts[0], 2);
  EXPECT_EQ(rec_.causes[0], "aws.ThrottlingException");
}

TEST_F(RuntimeClientTest, InvokeNoRetryOnValidationError) {
  http_.script.push_back(AwsErrorReply(400, "ValidationException", "bad body"));
  BedrockRuntime rt(http_, env_, Options());
  auto r = rt.Invoke(kModel, Body());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(rt.requests_sent(), 1);
  EXPECT_EQ(env_.slept.count(), 0);
}

}  // namespace
}  // namespace brock
