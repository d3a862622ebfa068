#include "bedrock/runtime_client.h"

#include <nlohmann/json.hpp>
#include <random>

#include "aws/aws_error.h"
#include "aws/eventstream.h"
#include "aws/sigv4.h"
#include "aws/uri.h"
#include "base/log.h"
#include "base/strings.h"

namespace brock {

std::string ModelPath(std::string_view model_id, std::string_view action) {
  return "/model/" + UriEncode(model_id, /*encode_slash=*/true) + "/" + std::string(action);
}

BedrockRuntime::BedrockRuntime(HttpClient& http, Env& env, RuntimeOptions options)
    : http_(http), env_(env), options_(std::move(options)) {
  while (EndsWith(options_.base_url, "/")) options_.base_url.pop_back();
}

Result<HttpRequest> BedrockRuntime::BuildRequest(const std::string& model_id,
                                                 std::string_view action, const std::string& body,
                                                 bool streaming) {
  HttpRequest req;
  req.method = "POST";
  req.url = options_.base_url + ModelPath(model_id, action);
  req.headers = {{"Content-Type", "application/json"},
                 {"Accept", streaming ? "application/vnd.amazon.eventstream" : "application/json"}};
  for (const auto& h : options_.extra_headers) req.headers.push_back(h);
  req.body = body;
  switch (options_.auth.kind) {
    case BedrockAuthKind::kBearer:
      req.headers.emplace_back("Authorization", "Bearer " + options_.auth.bearer_token);
      auth_description_ = "the Bedrock API key in AWS_BEARER_TOKEN_BEDROCK";
      break;
    case BedrockAuthKind::kUnsigned:
      auth_description_ = "no credentials (CLAUDE_CODE_SKIP_BEDROCK_AUTH=1)";
      break;
    case BedrockAuthKind::kSigV4: {
      auto creds = options_.auth.credentials->Get();
      if (!creds.ok()) return std::move(creds).error();
      auth_description_ = creds->source;
      auth_profile_ = creds->profile;
      SigV4Params params;
      params.region = options_.region;
      params.service = "bedrock";
      params.time = env_.Now();
      SignRequest(req, *creds, params);
      break;
    }
  }
  return req;
}

std::chrono::milliseconds BedrockRuntime::BackoffDelay(int attempt) {
  // Capped exponential backoff with "equal jitter": between half and all of the capped value.
  double cap = static_cast<double>(options_.retry_max_delay.count());
  double base = static_cast<double>(options_.retry_base_delay.count());
  double exp = std::min(cap, base * static_cast<double>(1LL << std::min(attempt, 20)));
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  return std::chrono::milliseconds(static_cast<int64_t>(exp * jitter(rng)));
}

namespace {

// True for credential failures that a fresh login (awsAuthRefresh) can cure.
bool NeedsLogin(const Error& e) {
  return e.code == "sso.login_required" || e.code == "sts.expired_token" || IsExpiredTokenError(e);
}

// Feeds an event-stream "chunk" message's payload ({"bytes": base64}) to the assembler.
Status FeedChunk(const EventMessage& msg, MessageAssembler& assembler) {
  Json payload = Json::parse(msg.payload, nullptr, false);
  if (!payload.is_object() || !payload.contains("bytes") || !payload["bytes"].is_string()) {
    return MakeError("bedrock.bad_event", "Bedrock sent a chunk without a \"bytes\" field",
                     "retry; if it persists, run with --debug and report the output");
  }
  std::string decoded;
  if (!Base64Decode(payload["bytes"].get<std::string>(), &decoded)) {
    return MakeError("bedrock.bad_event", "Bedrock sent a chunk whose bytes are not base64",
                     "retry; if it persists, run with --debug and report the output");
  }
  return assembler.Feed(decoded);
}

}  // namespace

Result<AssistantReply> BedrockRuntime::Stream(const std::string& model_id, const Json& body,
                                              const StreamObserver& observer,
                                              const std::atomic<bool>* cancel) {
  const std::string body_text = body.dump();
  std::string shown;  // text passed to observer.on_text over all attempts
  bool expired_refresh_used = false;
  BedrockErrorContext ctx = options_.context;
  ctx.model_id = model_id;
  ctx.operation = "bedrock:InvokeModelWithResponseStream";
  ctx.bearer = options_.auth.kind == BedrockAuthKind::kBearer;

  for (int attempt = 0;; ++attempt) {
    auto req = BuildRequest(model_id, "invoke-with-response-stream", body_text, true);
    if (!req.ok()) {
      // Credentials that cannot be loaded because a login expired: awsAuthRefresh, once.
      if (NeedsLogin(req.error()) && !expired_refresh_used && options_.on_credentials_expired) {
        expired_refresh_used = true;
        if (Status s = options_.on_credentials_expired(); !s.ok()) return s.error();
        (void)options_.auth.credentials->Get(/*force_refresh=*/true);
        --attempt;
        continue;
      }
      return std::move(req).error();
    }
    req->cancel = cancel;
    ctx.auth = auth_description_;
    ctx.profile = auth_profile_;

    // Text of this attempt; only the part beyond `shown` is passed on.
    std::string received;
    bool diverged = false;
    MessageAssembler assembler([&](std::string_view delta) {
      received.append(delta);
      if (diverged) return;
      if (received.size() <= shown.size()) {
        if (shown.compare(0, received.size(), received) != 0) diverged = true;
        return;
      }
      size_t overlap_start = received.size() - delta.size();
      if (overlap_start < shown.size() &&
          shown.compare(overlap_start, std::string::npos, received, overlap_start,
                        shown.size() - overlap_start) != 0) {
        diverged = true;
        return;
      }
      std::string_view fresh(received);
      fresh.remove_prefix(std::max(shown.size(), overlap_start));
      shown.append(fresh);
      if (observer.on_text) observer.on_text(fresh);
    });
    EventStreamDecoder decoder;
    std::optional<Error> stream_error;
    BodySink sink = [&](std::string_view bytes) {
      Status s = decoder.Feed(bytes, [&](EventMessage&& msg) {
        if (stream_error || diverged) return;
        std::string type = msg.StringHeader(":message-type");
        if (type == "event") {
          if (msg.StringHeader(":event-type") != "chunk") return;
          if (Status fs = FeedChunk(msg, assembler); !fs.ok()) stream_error = fs.error();
        } else {
          stream_error = ErrorFromEventMessage(msg);
        }
      });
      if (!s.ok() && !stream_error) {
        stream_error = s.error();
        stream_error->retryable = true;  // a corrupt frame in transit: the next try may be clean
      }
      return !stream_error && !diverged;
    };

    ++requests_sent_;
    DebugLog("POST " + req->url + " (attempt " + std::to_string(attempt + 1) + ")");
    auto resp = http_.Send(*req, sink);
    std::optional<Error> failure;
    if (stream_error) {
      failure = *stream_error;
    } else if (!resp.ok()) {
      failure = resp.error();
    } else if (resp->status < 200 || resp->status >= 300) {
      failure = ParseAwsJsonError(resp->status, resp->headers, resp->body);
    } else if (decoder.mid_message() || !assembler.done()) {
      failure = MakeError("net.dropped",
                          "the response stream from Bedrock ended before the reply was complete",
                          "retry; check your network or proxy if it keeps happening");
      failure->retryable = true;
    }
    // A complete retried reply shorter than what was already shown cannot continue it.
    if (!failure && received.size() < shown.size()) diverged = true;
    if (!failure && !diverged) return assembler.Finish();
    ctx.attempts = attempt + 1;
    if (diverged) {
      Error e = MakeError("bedrock.stream_broken",
                          "the reply from Bedrock broke off after output had begun, and the "
                          "retried reply differed from what was already shown",
                          "run the prompt again; the text above is incomplete");
      return e;
    }
    if (failure->code == "net.cancelled") return *failure;
    if (IsExpiredTokenError(*failure) && !expired_refresh_used && options_.on_credentials_expired) {
      expired_refresh_used = true;
      ctx.has_auth_refresh = true;
      if (Status s = options_.on_credentials_expired(); s.ok()) {
        if (options_.auth.credentials) (void)options_.auth.credentials->Get(/*force_refresh=*/true);
        --attempt;  // the refresh retry does not count against CLAUDE_CODE_MAX_RETRIES
        continue;
      } else {
        return s.error();
      }
    }
    if (!failure->retryable || attempt >= options_.max_retries) {
      Error e = ExplainBedrockError(*failure, ctx);
      if (!shown.empty()) {
        e.message = "the reply broke off after output had begun: " + e.message;
      }
      return e;
    }
    auto delay = BackoffDelay(attempt);
    DebugLog("retrying after " + failure->code + ": " + failure->message);
    if (observer.on_retry) observer.on_retry(*failure, attempt + 2, delay);
    env_.SleepFor(delay);
    if (cancel && cancel->load()) {
      return MakeError("net.cancelled", "interrupted", "");
    }
  }
}

Result<Json> BedrockRuntime::Invoke(const std::string& model_id, const Json& body,
                                    const std::atomic<bool>* cancel) {
  const std::string body_text = body.dump();
  BedrockErrorContext ctx = options_.context;
  ctx.model_id = model_id;
  ctx.operation = "bedrock:InvokeModel";
  ctx.bearer = options_.auth.kind == BedrockAuthKind::kBearer;
  for (int attempt = 0;; ++attempt) {
    auto req = BuildRequest(model_id, "invoke", body_text, false);
    if (!req.ok()) return std::move(req).error();
    req->cancel = cancel;
    ctx.auth = auth_description_;
    ctx.profile = auth_profile_;
    ++requests_sent_;
    auto resp = http_.Send(*req);
    Error failure;
    if (!resp.ok()) {
      failure = resp.error();
    } else if (resp->status >= 200 && resp->status < 300) {
      Json reply = Json::parse(resp->body, nullptr, false);
      if (reply.is_discarded()) {
        return MakeError("bedrock.bad_reply", "Bedrock's reply is not valid JSON",
                         "retry; if it persists, run with --debug and report the output");
      }
      return reply;
    } else {
      failure = ParseAwsJsonError(resp->status, resp->headers, resp->body);
    }
    ctx.attempts = attempt + 1;
    if (!failure.retryable || attempt >= options_.max_retries) {
      return ExplainBedrockError(failure, ctx);
    }
    env_.SleepFor(BackoffDelay(attempt));
  }
}

}  // namespace brock
