// BedrockRuntime: InvokeModelWithResponseStream and InvokeModel with an Anthropic Messages body.
// Owns authentication (Bedrock API key, SigV4, or unsigned), retries with capped exponential
// backoff and jitter, recovery of streams that break mid-way, and turning failures into
// user-facing errors (bedrock_errors.h).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "aws/credential_provider.h"
#include "base/env.h"
#include "base/json.h"
#include "bedrock/bedrock_errors.h"
#include "bedrock/message_assembler.h"
#include "net/http_client.h"

namespace brock {

enum class BedrockAuthKind { kSigV4, kBearer, kUnsigned };

struct BedrockAuth {
  BedrockAuthKind kind = BedrockAuthKind::kSigV4;
  std::string bearer_token;                  // kBearer
  CredentialSource* credentials = nullptr;   // kSigV4; not owned
};

struct RuntimeOptions {
  std::string base_url;       // "https://bedrock-runtime.us-east-1.amazonaws.com" (a path prefix is kept)
  std::string region;         // the SigV4 signing region
  BedrockAuth auth;
  HttpHeaders extra_headers;  // ANTHROPIC_CUSTOM_HEADERS; signed with the rest
  int max_retries = 10;       // CLAUDE_CODE_MAX_RETRIES
  std::chrono::milliseconds retry_base_delay{500};
  std::chrono::milliseconds retry_max_delay{8000};
  BedrockErrorContext context;  // for messages; model_id is filled per call
  // Called once per failure when Bedrock says the credentials expired (awsAuthRefresh);
  // success means "try again with refreshed credentials".
  std::function<Status()> on_credentials_expired;
};

struct StreamObserver {
  std::function<void(std::string_view text)> on_text;
  // Before each retry: why, which attempt comes next (1-based), and the wait.
  std::function<void(const Error& cause, int next_attempt, std::chrono::milliseconds delay)> on_retry;
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

  // InvokeModel (non-streaming): the parsed JSON reply.
  Result<Json> Invoke(const std::string& model_id, const Json& body,
                      const std::atomic<bool>* cancel = nullptr);

  // Requests sent so far (including retries).
  int requests_sent() const { return requests_sent_; }

 private:
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
