// The emulator's Bedrock runtime over real sockets: signed requests in, responses decoded with
// the event-stream codec, faults and recording checked.
#include "emulator/bedrock_runtime.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "aws/eventstream.h"
#include "aws/sigv4.h"
#include "base/strings.h"
#include "emulator/emulator.h"
#include "testing/loopback_client.h"

namespace brock {
namespace {

using nlohmann::json;

constexpr char kModel[] = "anthropic.claude-3-5-sonnet-20240620-v1:0";

std::string Body(const std::string& prompt) {
  return json{{"anthropic_version", "bedrock-2023-05-31"},
              {"max_tokens", 64},
              {"messages", {{{"role", "user"}, {"content", prompt}}}}}
      .dump();
}

std::string EncodeModelId(const std::string& id) {
  return ReplaceAll(ReplaceAll(id, ":", "%3A"), "/", "%2F");
}

HttpRequest MakeRequest(const Emulator& emu, const std::string& model, const std::string& body,
                        bool stream) {
  HttpRequest r;
  r.method = "POST";
  r.url = emu.endpoint() + "/model/" + EncodeModelId(model) +
          (stream ? "/invoke-with-response-stream" : "/invoke");
  r.headers = {{"Content-Type", "application/json"}};
  r.body = body;
  return r;
}

HttpRequest SignedRequest(const Emulator& emu, const std::string& model, const std::string& body,
                          bool stream, const std::string& secret = kEmulatorSecretAccessKey) {
  HttpRequest r = MakeRequest(emu, model, body, stream);
  Credentials creds;
  creds.access_key_id = kEmulatorAccessKeyId;
  creds.secret_access_key = secret;
  SigV4Params p;
  p.region = "us-east-1";
  p.service = "bedrock";
  p.time = Clock::now();
  SignRequest(r, creds, p);
  return r;
}

std::unique_ptr<Emulator> StartWith(EmulatorOptions o = {}) {
  auto e = Emulator::Start(o);
  EXPECT_TRUE(e.ok()) << e.error().ToString();
  return e.ok() ? std::move(*e) : nullptr;
}

std::unique_ptr<Emulator> StartWithScript(const std::string& script_json) {
  auto script = ParseScript(script_json, "test-script");
  EXPECT_TRUE(script.ok()) << script.error().ToString();
  EmulatorOptions o;
  o.script = *script;
  return StartWith(o);
}

struct Decoded {
  std::vector<EventMessage> frames;
  std::vector<json> events;  // the Anthropic events inside chunk frames
  Status status;
  bool mid_message = false;
};

Decoded DecodeStream(const std::string& bytes) {
  Decoded d;
  EventStreamDecoder decoder;
  d.status = decoder.Feed(bytes, [&](EventMessage&& m) {
    if (m.StringHeader(":message-type") == "event") {
      json payload = json::parse(m.payload);
      std::string raw;
      EXPECT_TRUE(Base64Decode(payload["bytes"].get<std::string>(), &raw));
      EXPECT_TRUE(payload.contains("p"));
      d.events.push_back(json::parse(raw));
    }
    d.frames.push_back(std::move(m));
  });
  d.mid_message = decoder.mid_message();
  return d;
}

std::string ErrorTypeOf(const testing::LoopbackResponse& r) {
  std::string t = FindHeader(r.headers, "x-amzn-ErrorType");
  return t.substr(0, t.find(':'));
}

TEST(BedrockRuntimeTest, InvokeModelAnswersTheGardenState) {
  auto emu = StartWith();
  auto r = testing::SendLoopbackRequest(
      emu->port(), SignedRequest(*emu, kModel, Body("Which state is the Garden State?"), false));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(FindHeader(r->headers, "Content-Type"), "application/json");
  EXPECT_FALSE(FindHeader(r->headers, "x-amzn-RequestId").empty());
  json msg = json::parse(r->body);
  EXPECT_EQ(msg["type"], "message");
  EXPECT_EQ(msg["role"], "assistant");
  EXPECT_EQ(msg["model"], "claude-3-5-sonnet-20240620");
  EXPECT_EQ(msg["content"][0]["text"], "New Jersey is known as the Garden State.");
  EXPECT_EQ(msg["stop_reason"], "end_turn");
  EXPECT_EQ(FindHeader(r->headers, "X-Amzn-Bedrock-Output-Token-Count"),
            std::to_string(msg["usage"]["output_tokens"].get<int>()));
}

TEST(BedrockRuntimeTest, StreamDecodesToAnthropicEvents) {
  auto emu = StartWith();
  auto r = testing::SendLoopbackRequest(
      emu->port(), SignedRequest(*emu, "us.anthropic.claude-sonnet-4-6",
                                 Body("Which state is the Garden State? One sentence."), true));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_TRUE(r->chunked);
  EXPECT_TRUE(r->complete);
  EXPECT_EQ(FindHeader(r->headers, "Content-Type"), "application/vnd.amazon.eventstream");
  EXPECT_EQ(FindHeader(r->headers, "X-Amzn-Bedrock-Content-Type"), "application/json");
  Decoded d = DecodeStream(r->body);
  ASSERT_TRUE(d.status.ok()) << d.status.error().ToString();
  EXPECT_FALSE(d.mid_message);
  ASSERT_GE(d.events.size(), 6u);
  for (const auto& f : d.frames) {
    EXPECT_EQ(f.StringHeader(":event-type"), "chunk");
    EXPECT_EQ(f.StringHeader(":content-type"), "application/json");
  }
  EXPECT_EQ(d.events.front()["type"], "message_start");
  EXPECT_EQ(d.events.front()["message"]["model"], "claude-sonnet-4-6");
  EXPECT_GT(d.events.front()["message"]["usage"]["input_tokens"].get<int>(), 0);
  std::string text;
  int deltas = 0;
  for (const auto& e : d.events) {
    if (e["type"] == "content_block_delta") {
      text += e["delta"]["text"].get<std::string>();
      ++deltas;
    }
  }
  EXPECT_GE(deltas, 2);
  EXPECT_EQ(text, "New Jersey is known as the Garden State.");
  EXPECT_EQ(d.events.back()["type"], "message_stop");
  EXPECT_GT(d.events.back()["amazon-bedrock-invocationMetrics"]["outputTokenCount"].get<int>(), 0);
}

TEST(BedrockRuntimeTest, ModelIdsAreDecodedAndChecked) {
  auto emu = StartWith();
  std::string arn =
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/"
      "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
  auto r = testing::SendLoopbackRequest(emu->port(), SignedRequest(*emu, arn, Body("hi"), false));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200) << r->body;
  ASSERT_EQ(emu->requests().size(), 1u);
  EXPECT_EQ(emu->requests()[0].model_id, arn);
  EXPECT_NE(emu->requests()[0].path.find("%2F"), std::string::npos);

  r = testing::SendLoopbackRequest(
      emu->port(), SignedRequest(*emu, "meta.llama3-70b-instruct-v1:0", Body("hi"), false));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(ErrorTypeOf(*r), "ValidationException");
  EXPECT_EQ(json::parse(r->body)["message"], "The provided model identifier is invalid.");
  EXPECT_NE(FindHeader(r->headers, "x-amzn-ErrorType").find("com.amazon.bedrock"),
            std::string::npos);

  EmulatorOptions only;
  only.allowed_models = {"us.anthropic.claude-sonnet-4-6"};
  auto strict = StartWith(only);
  r = testing::SendLoopbackRequest(strict->port(),
                                   SignedRequest(*strict, kModel, Body("hi"), false));
  EXPECT_EQ(r->status, 400);
  r = testing::SendLoopbackRequest(
      strict->port(), SignedRequest(*strict, "us.anthropic.claude-sonnet-4-6", Body("hi"), false));
  EXPECT_EQ(r->status, 200);
}

TEST(BedrockRuntimeTest, BodyValidation) {
  auto emu = StartWith();
  struct Case {
    std::string body, needle;
  } cases[] = {
      {"not json", "Malformed input request"},
      {"[1]", "JSONObject"},
      {R"({"anthropic_version":"bedrock-2023-05-31","messages":[{"role":"user","content":"x"}]})",
       "required key [max_tokens]"},
      {R"({"max_tokens":5,"messages":[{"role":"user","content":"x"}]})", "anthropic_version"},
      {R"({"anthropic_version":"2023-06-01","max_tokens":5,"messages":[{"role":"user","content":"x"}]})",
       "anthropic_version"},
      {R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":0,"messages":[{"role":"user","content":"x"}]})",
       "max_tokens"},
      {R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":"5","messages":[{"role":"user","content":"x"}]})",
       "max_tokens"},
      {R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":5,"messages":[]})",
       "at least one message"},
      {R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":5,"messages":{}})", "JSONArray"},
      {R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":5,"messages":[{"role":"system","content":"x"}]})",
       "role"},
  };
  for (const auto& c : cases) {
    auto r = testing::SendLoopbackRequest(emu->port(), SignedRequest(*emu, kModel, c.body, false));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 400) << c.body;
    EXPECT_EQ(ErrorTypeOf(*r), "ValidationException") << c.body;
    EXPECT_NE(json::parse(r->body)["message"].get<std::string>().find(c.needle), std::string::npos)
        << c.body << " -> " << r->body;
  }
}

TEST(BedrockRuntimeTest, EffortAndCacheTtlAreChecked) {
  const json base = {{"anthropic_version", "bedrock-2023-05-31"},
                     {"max_tokens", 5},
                     {"messages", {{{"role", "user"}, {"content", "x"}}}}};
  EXPECT_EQ(ValidateInvokeBody(base), "");
  json body = base;
  body["output_config"] = {{"effort", "max"}};
  EXPECT_EQ(ValidateInvokeBody(body), "");
  body["output_config"] = {{"effort", "extreme"}};
  EXPECT_NE(ValidateInvokeBody(body).find("output_config.effort"), std::string::npos);
  body = base;
  body["system"] = {
      {{"type", "text"}, {"text", "s"}, {"cache_control", {{"type", "ephemeral"}, {"ttl", "1h"}}}}};
  EXPECT_EQ(ValidateInvokeBody(body), "");
  body["system"][0]["cache_control"]["ttl"] = "2h";
  EXPECT_EQ(ValidateInvokeBody(body), "system.0.cache_control.ttl: Input should be '5m' or '1h'");
  body = base;
  body["messages"][0]["content"] = {
      {{"type", "text"}, {"text", "x"}, {"cache_control", {{"type", "persistent"}}}}};
  EXPECT_NE(ValidateInvokeBody(body).find("messages.0.content.0.cache_control.type"),
            std::string::npos);
}

TEST(BedrockRuntimeTest, AuthFailuresAre403WithAwsErrorTypes) {
  EmulatorOptions o;
  o.bearer_token = "ABSKemulator-bearer-0001";
  o.expired_tokens = {"expired-token-000000001"};
  auto emu = StartWith(o);
  auto r = testing::SendLoopbackRequest(
      emu->port(), SignedRequest(*emu, kModel, Body("hi"), false, "wrong-secret-0000000"));
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(ErrorTypeOf(*r), "InvalidSignatureException");

  r = testing::SendLoopbackRequest(emu->port(), MakeRequest(*emu, kModel, Body("hi"), false));
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(ErrorTypeOf(*r), "MissingAuthenticationTokenException");

  HttpRequest bearer = MakeRequest(*emu, kModel, Body("hi"), false);
  bearer.headers.emplace_back("Authorization", "Bearer ABSKemulator-bearer-0001");
  r = testing::SendLoopbackRequest(emu->port(), bearer);
  EXPECT_EQ(r->status, 200) << r->body;
  bearer.headers.back().second = "Bearer ABSKwrong";
  r = testing::SendLoopbackRequest(emu->port(), bearer);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(ErrorTypeOf(*r), "AccessDeniedException");

  HttpRequest expired = MakeRequest(*emu, kModel, Body("hi"), false);
  Credentials creds;
  creds.access_key_id = kEmulatorAccessKeyId;
  creds.secret_access_key = kEmulatorSecretAccessKey;
  creds.session_token = "expired-token-000000001";
  SignRequest(expired, creds, {"us-east-1", "bedrock", Clock::now()});
  r = testing::SendLoopbackRequest(emu->port(), expired);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(ErrorTypeOf(*r), "ExpiredTokenException");
  EXPECT_EQ(json::parse(r->body)["message"],
            "The security token included in the request is expired");

  auto reqs = emu->requests();
  ASSERT_EQ(reqs.size(), 5u);
  EXPECT_EQ(reqs[0].auth_kind, "sigv4");
  EXPECT_FALSE(reqs[0].auth_ok);
  EXPECT_EQ(reqs[0].auth_error, "InvalidSignatureException");
  EXPECT_EQ(reqs[2].auth_kind, "bearer");
  EXPECT_TRUE(reqs[2].auth_ok);
  for (const auto& req : reqs) {
    for (const auto& [name, value] : req.headers) {
      EXPECT_EQ(value.find("ABSKemulator-bearer"), std::string::npos);
      EXPECT_EQ(value.find("expired-token-000000001"), std::string::npos);
    }
  }
}

TEST(BedrockRuntimeTest, NoAuthAcceptsUnsignedRequests) {
  EmulatorOptions o;
  o.no_auth = true;
  auto emu = StartWith(o);
  auto r = testing::SendLoopbackRequest(emu->port(), MakeRequest(*emu, kModel, Body("hi"), false));
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(emu->requests()[0].auth_kind, "none");
  EXPECT_TRUE(emu->requests()[0].auth_ok);
}

TEST(BedrockRuntimeTest, ScriptedErrorTimesThenSuccess) {
  auto emu = StartWithScript(R"([{"error":{"type":"ThrottlingException","message":"slow down"},
                                   "error_times":2,"text":"made it"}])");
  for (int i = 0; i < 2; ++i) {
    auto r =
        testing::SendLoopbackRequest(emu->port(), SignedRequest(*emu, kModel, Body("x"), false));
    EXPECT_EQ(r->status, 429);
    EXPECT_EQ(ErrorTypeOf(*r), "ThrottlingException");
    EXPECT_EQ(json::parse(r->body)["message"], "slow down");
  }
  auto r = testing::SendLoopbackRequest(emu->port(), SignedRequest(*emu, kModel, Body("x"), false));
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["content"][0]["text"], "made it");
}

TEST(BedrockRuntimeTest, ExceptionFrameMidStream) {
  auto emu = StartWithScript(R"([{"text":"a b c d e f g h i","exception_frame":
      {"type":"ServiceUnavailableException","message":"try later","after_events":3}}])");
  auto r = testing::SendLoopbackRequest(emu->port(), SignedRequest(*emu, kModel, Body("x"), true));
  ASSERT_EQ(r->status, 200);
  EXPECT_TRUE(r->complete);
  Decoded d = DecodeStream(r->body);
  ASSERT_TRUE(d.status.ok());
  ASSERT_EQ(d.frames.size(), 4u);
  EXPECT_EQ(d.events.size(), 3u);
  const EventMessage& ex = d.frames.back();
  EXPECT_EQ(ex.StringHeader(":message-type"), "exception");
  EXPECT_EQ(ex.StringHeader(":exception-type"), "serviceUnavailableException");
  EXPECT_EQ(json::parse(ex.payload)["message"], "try later");
  EXPECT_EQ(emu->requests()[0].stream_fault, "exception_frame");
}

TEST(BedrockRuntimeTest, DropMidStreamLeavesATruncatedStream) {
  auto emu = StartWithScript(R"([{"text":"a b c d e f g h i","drop_after_events":2,
                                   "stream_fault_times":1}])");
  auto r = testing::SendLoopbackRequest(emu->port(), SignedRequest(*emu, kModel, Body("x"), true));
  ASSERT_EQ(r->status, 200);
  EXPECT_FALSE(r->complete);
  Decoded d = DecodeStream(r->body);
  EXPECT_TRUE(d.status.ok());
  EXPECT_EQ(d.events.size(), 2u);
  EXPECT_EQ(d.events.back()["type"], "content_block_start");
  // stream_fault_times: 1 — the retry streams completely.
  r = testing::SendLoopbackRequest(emu->port(), SignedRequest(*emu, kModel, Body("x"), true));
  EXPECT_TRUE(r->complete);
  EXPECT_EQ(DecodeStream(r->body).events.back()["type"], "message_stop");
}

TEST(BedrockRuntimeTest, CorruptCrcIsRejectedByTheDecoder) {
  auto emu = StartWithScript(R"([{"text":"a b c d e f","corrupt_crc_after_events":2}])");
  auto r = testing::SendLoopbackRequest(emu->port(), SignedRequest(*emu, kModel, Body("x"), true));
  ASSERT_EQ(r->status, 200);
  Decoded d = DecodeStream(r->body);
  ASSERT_FALSE(d.status.ok());
  EXPECT_EQ(d.status.error().code, "eventstream.corrupt");
  EXPECT_EQ(d.events.size(), 2u);
}

TEST(BedrockRuntimeTest, DelayPerEventPacesTheStream) {
  auto emu = StartWithScript(R"([{"text":"a b c","delay_ms_per_event":30}])");
  auto start = std::chrono::steady_clock::now();
  auto r = testing::SendLoopbackRequest(emu->port(), SignedRequest(*emu, kModel, Body("x"), true));
  auto elapsed = std::chrono::steady_clock::now() - start;
  Decoded d = DecodeStream(r->body);
  ASSERT_TRUE(d.status.ok());
  // At least 30 ms before each event: a lower bound, so never flaky on a slow machine.
  EXPECT_GE(elapsed, std::chrono::milliseconds(30 * static_cast<int>(d.events.size())));
}

TEST(BedrockRuntimeTest, UnknownOperationsAre404) {
  auto emu = StartWith();
  HttpRequest r = SignedRequest(*emu, kModel, Body("x"), false);
  r.url = emu->endpoint() + "/foundation-models";
  auto resp = testing::SendLoopbackRequest(emu->port(), r);
  EXPECT_EQ(resp->status, 404);
  EXPECT_EQ(ErrorTypeOf(*resp), "UnknownOperationException");
}

TEST(BedrockRuntimeTest, RequestLogFileHasOneRedactedLinePerRequest) {
  std::string path =
      ::testing::TempDir() + "/brock-emulator-log-" + std::to_string(getpid()) + ".jsonl";
  std::remove(path.c_str());
  EmulatorOptions o;
  o.request_log_path = path;
  auto emu = StartWith(o);
  std::string body = Body("log me");
  ASSERT_EQ(
      testing::SendLoopbackRequest(emu->port(), SignedRequest(*emu, kModel, body, false))->status,
      200);
  ASSERT_EQ(
      testing::SendLoopbackRequest(emu->port(), SignedRequest(*emu, kModel, body, true))->status,
      200);
  std::ifstream in(path);
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["seq"], 1);
  EXPECT_EQ(lines[0]["operation"], "InvokeModel");
  EXPECT_EQ(lines[1]["operation"], "InvokeModelWithResponseStream");
  EXPECT_EQ(lines[0]["model_id"], kModel);
  EXPECT_EQ(lines[0]["body"], body);
  EXPECT_EQ(lines[0]["auth_kind"], "sigv4");
  EXPECT_EQ(lines[0]["access_key_id"], kEmulatorAccessKeyId);
  EXPECT_EQ(lines[0]["status"], 200);
  EXPECT_EQ(lines[0]["rule"], "default");
  std::string authz;
  for (const auto& h : lines[0]["headers"]) {
    if (ToLower(h[0].get<std::string>()) == "authorization") authz = h[1];
  }
  EXPECT_NE(authz.find("Credential=AKIDEMULATOREXAMPLE/"), std::string::npos);
  EXPECT_NE(authz.find("Signature=[REDACTED]"), std::string::npos);
  std::remove(path.c_str());
}

TEST(RequestLogTest, RedactsSecrets) {
  HttpHeaders h = RedactHeaders({{"Authorization", "Bearer ABSKsecretvalue"},
                                 {"X-Amz-Security-Token", "tok"},
                                 {"Content-Type", "application/json"}});
  EXPECT_EQ(h[0].second, "Bearer [REDACTED]");
  EXPECT_EQ(h[1].second, "[REDACTED]");
  EXPECT_EQ(h[2].second, "application/json");
}

}  // namespace
}  // namespace brock
