#include "bedrock/runtime_client.h"

#include <nlohmann/json.hpp>
#include <random>

#include "aws/aws_error.h"
#include "aws/eventstream.h"
#include "aws/sigv4.h"
#include "aws/uri.h"
#include "base/error_codes.h"
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

// Feeds an event-stream "chunk" message's payload ({"bytes": base64}) to the assembler.
Status FeedChunk(const EventMessage& msg, MessageAssembler& assembler) {
  Json payload = ParseJsonOrDiscarded(msg.payload);
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

// The call ran out of API_TIMEOUT_MS after `attempts` attempts.
Error CallDeadlineError(std::chrono::milliseconds timeout, int attempts,
                        const std::string& operation) {
  std::string secs = std::to_string(timeout.count() / 1000);
  if (timeout.count() % 1000 != 0)
    secs = std::to_string(timeout.count()) + " ms";
  else
    secs += " s";
  std::string name = operation.rfind("bedrock:", 0) == 0 ? operation.substr(8) : operation;
  return MakeError("bedrock.deadline",
                   "the Bedrock call " + name + " did not finish within API_TIMEOUT_MS (" + secs +
                       ", " + std::to_string(attempts) +
                       (attempts == 1 ? " attempt" : " attempts") + ")",
                   "if replies are legitimately this slow, raise API_TIMEOUT_MS (milliseconds) "
                   "in the shell or the \"env\" block of ~/.claude/settings.json; otherwise "
                   "check your network and proxy, then try again");
}

}  // namespace

Status BedrockRuntime::Call(const std::string& model_id, std::string_view action,
                            const std::string& body, bool streaming, BedrockErrorContext& ctx,
                            const std::atomic<bool>* cancel, const StreamObserver& observer,
                            const CallHooks& hooks) {
  bool expired_refresh_used = false;
  ctx.bearer = options_.auth.kind == BedrockAuthKind::kBearer;
  const bool has_deadline = options_.call_timeout.count() > 0;
  const Clock::time_point deadline = env_.Now() + options_.call_timeout;
  auto time_left = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - env_.Now());
  };
  for (int attempt = 0;; ++attempt) {
    if (has_deadline && time_left().count() <= 0) {
      return CallDeadlineError(options_.call_timeout, attempt, ctx.operation);
    }
    auto req = BuildRequest(model_id, action, body, streaming);
    if (!req.ok()) {
      // Credentials that cannot be loaded because a login expired: awsAuthRefresh, once.
      if (NeedsFreshLogin(req.error()) && !expired_refresh_used &&
          options_.on_credentials_expired) {
        expired_refresh_used = true;
        if (Status s = options_.on_credentials_expired(); !s.ok()) return s.error();
        (void)options_.auth.credentials->Get(/*force_refresh=*/true);
        --attempt;
        continue;
      }
      return std::move(req).error();
    }
    req->cancel = cancel;
    req->max_response_bytes = options_.max_response_bytes;
    if (has_deadline) {
      auto left = std::max(time_left(), std::chrono::milliseconds(1));
      if (req->total_timeout.count() == 0 || req->total_timeout > left) req->total_timeout = left;
    }
    ctx.auth = auth_description_;
    ctx.profile = auth_profile_;

    BodySink sink = hooks.begin ? hooks.begin() : nullptr;
    ++requests_sent_;
    DebugLog("POST " + req->url + " (attempt " + std::to_string(attempt + 1) + ")");
    auto resp = http_.Send(*req, sink);
    AttemptOutcome outcome = hooks.end(resp);
    if (!outcome.failure) return {};
    const Error& failure = *outcome.failure;
    ctx.attempts = attempt + 1;
    if (outcome.final || errc::Is(failure, errc::kNetCancelled)) return failure;
    if (IsExpiredTokenError(failure) && !expired_refresh_used && options_.on_credentials_expired) {
      expired_refresh_used = true;
      ctx.has_auth_refresh = true;
      if (Status s = options_.on_credentials_expired(); !s.ok()) return s.error();
      if (options_.auth.credentials) (void)options_.auth.credentials->Get(/*force_refresh=*/true);
      --attempt;  // the refresh retry does not count against CLAUDE_CODE_MAX_RETRIES
      continue;
    }
    if (!failure.retryable || attempt >= options_.max_retries) {
      Error e = ExplainBedrockError(failure, ctx);
      if (hooks.on_final_error) hooks.on_final_error(e);
      return e;
    }
    auto delay = BackoffDelay(attempt);
    if (has_deadline && time_left() <= delay) {
      return CallDeadlineError(options_.call_timeout, attempt + 1, ctx.operation);
    }
    DebugLog("retrying after " + failure.code + ": " + failure.message);
    if (observer.on_retry) observer.on_retry(failure, attempt + 2, delay);
    env_.SleepFor(delay);
    if (cancel && cancel->load()) {
      return MakeError("net.cancelled", "interrupted", "");
    }
  }
}

Result<AssistantReply> BedrockRuntime::Stream(const std::string& model_id, const Json& body,
                                              const StreamObserver& observer,
                                              const std::atomic<bool>* cancel) {
  const std::string body_text = body.dump();
  std::string shown;  // text passed to observer.on_text over all attempts
  BedrockErrorContext ctx = options_.context;
  ctx.model_id = model_id;
  ctx.operation = "bedrock:InvokeModelWithResponseStream";

  // The state of the current attempt.
  struct AttemptState {
    std::string received;  // text of this attempt; only the part beyond `shown` is passed on
    bool diverged = false;
    std::optional<MessageAssembler> assembler;
    EventStreamDecoder decoder;
    std::optional<Error> stream_error;
  };
  std::unique_ptr<AttemptState> st;
  std::optional<AssistantReply> reply;

  CallHooks hooks;
  hooks.begin = [&]() -> BodySink {
    st = std::make_unique<AttemptState>();
    AttemptState* a = st.get();
    a->assembler.emplace(
        [&shown, &observer, a](std::string_view delta) {
          a->received.append(delta);
          if (a->diverged) return;
          const std::string& received = a->received;
          if (received.size() <= shown.size()) {
            if (shown.compare(0, received.size(), received) != 0) a->diverged = true;
            return;
          }
          size_t overlap_start = received.size() - delta.size();
          if (overlap_start < shown.size() &&
              shown.compare(overlap_start, std::string::npos, received, overlap_start,
                            shown.size() - overlap_start) != 0) {
            a->diverged = true;
            return;
          }
          std::string_view fresh(received);
          fresh.remove_prefix(std::max(shown.size(), overlap_start));
          shown.append(fresh);
          if (observer.on_text) observer.on_text(fresh);
        },
        observer.on_thinking);
    return [a](std::string_view bytes) {
      Status s = a->decoder.Feed(bytes, [a](EventMessage&& msg) {
        if (a->stream_error || a->diverged) return;
        std::string type = msg.StringHeader(":message-type");
        if (type == "event") {
          if (msg.StringHeader(":event-type") != "chunk") return;
          if (Status fs = FeedChunk(msg, *a->assembler); !fs.ok()) a->stream_error = fs.error();
        } else {
          a->stream_error = ErrorFromEventMessage(msg);
        }
      });
      if (!s.ok() && !a->stream_error) {
        a->stream_error = s.error();
        a->stream_error->retryable = true;  // a corrupt frame in transit: the next try may be clean
      }
      return !a->stream_error && !a->diverged;
    };
  };
  hooks.end = [&](const Result<HttpResponse>& resp) -> AttemptOutcome {
    AttemptState& a = *st;
    AttemptOutcome out;
    if (a.stream_error) {
      out.failure = *a.stream_error;
    } else if (!resp.ok()) {
      out.failure = resp.error();
    } else if (resp->status < 200 || resp->status >= 300) {
      out.failure = ParseAwsJsonError(resp->status, resp->headers, resp->body);
    } else if (a.decoder.mid_message() || !a.assembler->done()) {
      out.failure = MakeError(
          "net.dropped", "the response stream from Bedrock ended before the reply was complete",
          "retry; check your network or proxy if it keeps happening");
      out.failure->retryable = true;
    }
    // A complete retried reply shorter than what was already shown cannot continue it.
    if (!out.failure && a.received.size() < shown.size()) a.diverged = true;
    if (a.diverged) {
      out.failure = MakeError("bedrock.stream_broken",
                              "the reply from Bedrock broke off after output had begun, and the "
                              "retried reply differed from what was already shown",
                              "run the prompt again; the text above is incomplete");
      out.final = true;
      return out;
    }
    if (!out.failure) reply = a.assembler->Finish();
    return out;
  };
  hooks.on_final_error = [&shown](Error& e) {
    if (!shown.empty()) e.message = "the reply broke off after output had begun: " + e.message;
  };
  if (Status s = Call(model_id, "invoke-with-response-stream", body_text, /*streaming=*/true, ctx,
                      cancel, observer, hooks);
      !s.ok()) {
    return s.error();
  }
  return std::move(*reply);
}

Result<Json> BedrockRuntime::Invoke(const std::string& model_id, const Json& body,
                                    const std::atomic<bool>* cancel,
                                    const StreamObserver& observer) {
  const std::string body_text = body.dump();
  BedrockErrorContext ctx = options_.context;
  ctx.model_id = model_id;
  ctx.operation = "bedrock:InvokeModel";
  Json reply;
  CallHooks hooks;
  hooks.end = [&](const Result<HttpResponse>& resp) -> AttemptOutcome {
    AttemptOutcome out;
    if (!resp.ok()) {
      out.failure = resp.error();
    } else if (resp->status < 200 || resp->status >= 300) {
      out.failure = ParseAwsJsonError(resp->status, resp->headers, resp->body);
    } else {
      reply = ParseJsonOrDiscarded(resp->body);
      if (reply.is_discarded()) {
        out.failure = MakeError("bedrock.bad_reply", "Bedrock's reply is not valid JSON",
                                "retry; if it persists, run with --debug and report the output");
        out.final = true;
      }
    }
    return out;
  };
  if (Status s =
          Call(model_id, "invoke", body_text, /*streaming=*/false, ctx, cancel, observer, hooks);
      !s.ok()) {
    return s.error();
  }
  return reply;
}

}  // namespace brock
