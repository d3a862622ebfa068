// BedrockRuntime: InvokeModelWithResponseStream and InvokeModel with an Anthropic Messages body.
// Owns authentication (Bedrock API key, SigV4, or unsigned), retries with capped exponential
// backoff and jitter, recovery of streams that break mid-way, and turning failures into
// user-facing errors (bedrock_errors.h).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credential_provider.h"
#include "base/env.h"
#include "base/json.h"
#include "bedrock/bedrock_errors.h"
#include "bedrock/message_assembler.h"
#include "net/http_client.h"

namespace brock {

// API_TIMEOUT_MS's default, as in Claude Code: 10 minutes.
inline constexpr std::chrono::milliseconds kDefaultBedrockCallTimeout{600000};
// 64 MiB: a reply of 128k output tokens with thinking is a few MiB of event-stream frames.
inline constexpr size_t kBedrockMaxResponseBytes = size_t{64} << 20;

enum class BedrockAuthKind { kSigV4, kBearer, kUnsigned };

struct BedrockAuth {
  BedrockAuthKind kind = BedrockAuthKind::kSigV4;
  std::string bearer_token;                 // kBearer
  CredentialSource* credentials = nullptr;  // kSigV4; not owned
};

struct RuntimeOptions {
  std::string
      base_url;        // "https://bedrock-runtime.us-east-1.amazonaws.com" (a path prefix is kept)
  std::string region;  // the SigV4 signing region
  BedrockAuth auth;
  HttpHeaders extra_headers;  // ANTHROPIC_CUSTOM_HEADERS; signed with the rest
  int max_retries = 10;       // CLAUDE_CODE_MAX_RETRIES
  std::chrono::milliseconds retry_base_delay{500};
  std::chrono::milliseconds retry_max_delay{8000};
  // The overall deadline of one call: every attempt, and the waits between them, end within it
  // ("bedrock.deadline" after). API_TIMEOUT_MS, as in Claude Code; 0: none. The idle watchdog
  // (HttpRequest::idle_timeout) still ends a silent attempt sooner.
  std::chrono::milliseconds call_timeout{kDefaultBedrockCallTimeout};
  // The most bytes one reply may take: the event stream of a streamed reply, or InvokeModel's
  // JSON ("net.too_large" past it).
  size_t max_response_bytes = kBedrockMaxResponseBytes;
  BedrockErrorContext context;  // for messages; model_id is filled per call
  // Called once per failure when Bedrock says the credentials expired (awsAuthRefresh);
  // success means "try again with refreshed credentials".
  std::function<Status()> on_credentials_expired;
};

struct StreamObserver {
  std::function<void(std::string_view text)> on_text;
  // Thinking deltas as they arrive (a retried stream may repeat them).
  std::function<void(std::string_view thinking)> on_thinking;
  // Before each retry: why, which attempt comes next (1-based), and the wait.
  std::function<void(const Error& cause, int next_attempt, std::chrono::milliseconds delay)>
      on_retry;
};

class BedrockRuntime {
 public:
  BedrockRuntime(HttpClient& http, Env& env, RuntimeOptions options);

  // Streams one reply. Text reaches observer.on_text exactly once, in order, even when a broken
  // stream is retried: the retried stream's text is checked against what was already shown and
  // only the rest is passed on; if it differs the run fails with the original cause.
  Result<AssistantReply> Stream(const std::string& model_id, const Json& body,
                                const StreamObserver& observer,
                                const std::atomic<bool>* cancel = nullptr);

  // InvokeModel (non-streaming): the parsed JSON reply. Same request path as Stream: retries
  // with backoff (observer.on_retry is told), and the one awsAuthRefresh run on expired
  // credentials.
  Result<Json> Invoke(const std::string& model_id, const Json& body,
                      const std::atomic<bool>* cancel = nullptr,
                      const StreamObserver& observer = {});

  // Requests sent so far (including retries).
  int requests_sent() const { return requests_sent_; }

 private:
  // What one attempt came to.
  struct AttemptOutcome {
    std::optional<Error> failure;  // nullopt: the attempt succeeded
    bool final = false;            // return `failure` as it is: no refresh, retry or explaining
  };
  // The caller's part of one call, around the shared request path (Call).
  struct CallHooks {
    // A new attempt starts: reset per-attempt state; the sink for a 2xx body (null: the body
    // stays in the response).
    std::function<BodySink()> begin;
    // The attempt's transfer ended: judge it.
    std::function<AttemptOutcome(const Result<HttpResponse>& response)> end;
    // Adjusts the explained error the call finally fails with (not final or refresh errors).
    std::function<void(Error& e)> on_final_error;
  };

  // The one request path of every runtime call: builds and signs the request (credentials
  // that need a login run on_credentials_expired once, then load again), sends it, lets
  // `hooks` judge it, and on failure: an expired-token answer runs on_credentials_expired at
  // most once per call and retries at once (not counted as a retry); a retryable failure is
  // retried after capped exponential backoff up to max_retries; anything else, or running
  // out of retries, ends the call with ExplainBedrockError's error. The whole call ends by
  // options_.call_timeout: each attempt's total timeout is the time left, and a retry whose wait
  // would pass the deadline fails at once with "bedrock.deadline". `ctx` gets the auth source
  // and attempt count for messages.
  Status Call(const std::string& model_id, std::string_view action, const std::string& body,
              bool streaming, BedrockErrorContext& ctx, const std::atomic<bool>* cancel,
              const StreamObserver& observer, const CallHooks& hooks);
  Result<HttpRequest> BuildRequest(const std::string& model_id, std::string_view action,
                                   const std::string& body, bool streaming);
  std::chrono::milliseconds BackoffDelay(int attempt);

  HttpClient& http_;
  Env& env_;
  RuntimeOptions options_;
  int requests_sent_ = 0;
  std::string auth_description_;  // where the last request's credentials came from
  std::string auth_profile_;      // the profile that supplied them, or ""
};

// The URL path for a model action: "/model/<id, URI-encoded with '/' and ':' escaped>/<action>".
std::string ModelPath(std::string_view model_id, std::string_view action);

}  // namespace brock
