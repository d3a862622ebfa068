// ControlPlaneClient: the Bedrock control-plane calls brock makes (the `bedrock` service,
// REST-JSON over GET, signed with SigV4 service "bedrock" or a Bedrock API key), the calls behind
// `aws bedrock list-inference-profiles` and friends:
//   ListInferenceProfiles   GET /inference-profiles?type=T&maxResults=N&nextToken=X  (every page)
//   GetInferenceProfile     GET /inference-profiles/{id or ARN}
//   ListFoundationModels    GET /foundation-models[?byProvider=P]
//   GetFoundationModel      GET /foundation-models/{id or ARN}
// Throttling, 5xx and network failures are retried (3 attempts in all, short backoff). Errors
// keep ParseAwsJsonError's code ("aws.AccessDeniedException", ...) with a message that names the
// operation and endpoint, and a fix for access denied that names the IAM action to allow.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "base/error.h"
#include "base/json.h"
#include "bedrock/runtime_client.h"
#include "net/http_client.h"

namespace brock {

struct InferenceProfileInfo {
  std::string id;    // "us.anthropic.claude-sonnet-4-6", or an application profile's id
  std::string name;  // "US Claude Sonnet 4.6"
  std::string arn;
  std::string type;    // "SYSTEM_DEFINED" | "APPLICATION"
  std::string status;  // "ACTIVE"
  std::string description;
  std::vector<std::string> model_arns;  // foundation-model ARNs, one per region it routes to
};

struct FoundationModelInfo {
  std::string id;  // "anthropic.claude-sonnet-4-6"
  std::string name;
  std::string provider;
  std::string arn;
  std::string status;                        // modelLifecycle.status: "ACTIVE" | "LEGACY"
  std::vector<std::string> inference_types;  // "ON_DEMAND", "INFERENCE_PROFILE", ...
};

struct ControlPlaneOptions {
  std::string base_url;  // "https://bedrock.us-east-1.amazonaws.com", or a configured endpoint
  std::string region;    // the signing region
  BedrockAuth auth;      // kSigV4 (credentials not owned), kBearer or kUnsigned
  HttpHeaders extra_headers;
  int page_size = 0;  // maxResults of each ListInferenceProfiles page; 0: the service's default
};

class ControlPlaneClient {
 public:
  // `env` (clock, sleeps) and `http` must outlive the client.
  ControlPlaneClient(Env& env, HttpClient& http, ControlPlaneOptions options);

  // Every profile of `type` ("SYSTEM_DEFINED" or "APPLICATION"), following nextToken to the end.
  Result<std::vector<InferenceProfileInfo>> ListInferenceProfiles(std::string_view type);
  Result<InferenceProfileInfo> GetInferenceProfile(std::string_view id_or_arn);
  // Every foundation model; `provider` ("Anthropic") filters when non-empty.
  Result<std::vector<FoundationModelInfo>> ListFoundationModels(std::string_view provider = "");
  Result<FoundationModelInfo> GetFoundationModel(std::string_view id_or_arn);

  // Requests sent so far (pages and retries included).
  int requests_sent() const { return requests_sent_; }
  const ControlPlaneOptions& options() const { return options_; }

 private:
  // GETs `path_and_query` as `operation`; returns the parsed 2xx JSON body.
  Result<Json> Get(std::string_view operation, const std::string& path_and_query);

  Env& env_;
  HttpClient& http_;
  ControlPlaneOptions options_;
  int requests_sent_ = 0;
};

// Parsers for the JSON shapes (exposed for tests and the catalog cache).
InferenceProfileInfo InferenceProfileFromJson(const Json& j);
FoundationModelInfo FoundationModelFromJson(const Json& j);
Json InferenceProfileToJson(const InferenceProfileInfo& p);
Json FoundationModelToJson(const FoundationModelInfo& m);

// The region in an ARN ("arn:aws:bedrock:us-west-2::foundation-model/x" -> "us-west-2"), or "".
std::string RegionFromArn(std::string_view arn);
// The resource id after the last '/' of an ARN ("...foundation-model/anthropic.x" ->
// "anthropic.x").
std::string ResourceIdFromArn(std::string_view arn);

}  // namespace brock
