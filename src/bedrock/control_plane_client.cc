#include "bedrock/control_plane_client.h"

#include <nlohmann/json.hpp>

#include <chrono>

#include "aws/aws_error.h"
#include "aws/sigv4.h"
#include "aws/uri.h"
#include "base/log.h"
#include "base/strings.h"

namespace brock {

namespace {

std::vector<std::string> StringArray(const Json& j, const char* key) {
  std::vector<std::string> out;
  if (j.contains(key) && j[key].is_array()) {
    for (const auto& v : j[key]) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

std::string Str(const Json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

}  // namespace

InferenceProfileInfo InferenceProfileFromJson(const Json& j) {
  InferenceProfileInfo p;
  p.id = Str(j, "inferenceProfileId");
  p.name = Str(j, "inferenceProfileName");
  p.arn = Str(j, "inferenceProfileArn");
  p.type = Str(j, "type");
  p.status = Str(j, "status");
  p.description = Str(j, "description");
  if (j.contains("models") && j["models"].is_array()) {
    for (const auto& m : j["models"]) {
      if (m.is_object()) {
        std::string arn = Str(m, "modelArn");
        if (!arn.empty()) p.model_arns.push_back(arn);
      }
    }
  }
  return p;
}

FoundationModelInfo FoundationModelFromJson(const Json& j) {
  FoundationModelInfo m;
  m.id = Str(j, "modelId");
  m.name = Str(j, "modelName");
  m.provider = Str(j, "providerName");
  m.arn = Str(j, "modelArn");
  m.inference_types = StringArray(j, "inferenceTypesSupported");
  if (j.contains("modelLifecycle") && j["modelLifecycle"].is_object()) {
    m.status = Str(j["modelLifecycle"], "status");
  }
  return m;
}

Json InferenceProfileToJson(const InferenceProfileInfo& p) {
  Json models = Json::array();
  for (const auto& arn : p.model_arns) models.push_back({{"modelArn", arn}});
  return {{"inferenceProfileId", p.id},
          {"inferenceProfileName", p.name},
          {"inferenceProfileArn", p.arn},
          {"type", p.type},
          {"status", p.status},
          {"description", p.description},
          {"models", models}};
}

Json FoundationModelToJson(const FoundationModelInfo& m) {
  return {{"modelId", m.id},
          {"modelName", m.name},
          {"providerName", m.provider},
          {"modelArn", m.arn},
          {"inferenceTypesSupported", m.inference_types},
          {"modelLifecycle", {{"status", m.status}}}};
}

std::string RegionFromArn(std::string_view arn) {
  std::vector<std::string> parts = Split(arn, ':');
  return parts.size() >= 6 && parts[0] == "arn" ? parts[3] : "";
}

std::string ResourceIdFromArn(std::string_view arn) {
  size_t slash = arn.rfind('/');
  return slash == std::string_view::npos ? std::string(arn) : std::string(arn.substr(slash + 1));
}

ControlPlaneClient::ControlPlaneClient(Env& env, HttpClient& http, ControlPlaneOptions options)
    : env_(env), http_(http), options_(std::move(options)) {}

Result<Json> ControlPlaneClient::Get(std::string_view operation,
                                     const std::string& path_and_query) {
  constexpr int kAttempts = 3;
  Error last = MakeError("bedrock.control_plane", "no attempt made");
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (attempt > 0) {
      env_.SleepFor(std::chrono::milliseconds(200 << attempt));
    }
    HttpRequest req;
    req.method = "GET";
    req.url = options_.base_url + path_and_query;
    req.headers = {{"Accept", "application/json"}};
    for (const auto& h : options_.extra_headers) req.headers.push_back(h);
    req.total_timeout = std::chrono::seconds(30);
    switch (options_.auth.kind) {
      case BedrockAuthKind::kBearer:
        req.headers.emplace_back("Authorization", "Bearer " + options_.auth.bearer_token);
        break;
      case BedrockAuthKind::kUnsigned:
        break;
      case BedrockAuthKind::kSigV4: {
        if (!options_.auth.credentials) {
          return MakeError("bedrock.control_plane",
                           "no AWS credentials to sign " + std::string(operation) + " with");
        }
        auto creds = options_.auth.credentials->Get();
        if (!creds.ok()) return std::move(creds).error();
        SigV4Params params;
        params.region = options_.region;
        params.service = "bedrock";
        params.time = env_.Now();
        SignRequest(req, *creds, params);
        break;
      }
    }
    ++requests_sent_;
    DebugLog("GET " + req.url + " (" + std::string(operation) + ")");
    auto resp = http_.Send(req);
    if (!resp.ok()) {
      last = std::move(resp).error();
      last.message = std::string(operation) + " via " + options_.base_url + ": " + last.message;
      continue;
    }
    if (resp->status / 100 == 2) {
      Json body = ParseJsonOrDiscarded(resp->body);
      if (body.is_discarded() || !body.is_object()) {
        return MakeError("bedrock.control_plane",
                         std::string(operation) + " via " + options_.base_url +
                             " answered with a body that is not a JSON object",
                         "check that the endpoint is the Bedrock control plane "
                         "(AWS_ENDPOINT_URL_BEDROCK)");
      }
      return body;
    }
    Error e = ParseAwsJsonError(resp->status, resp->headers, resp->body);
    e.message = std::string(operation) + " via " + options_.base_url + ": " + e.message;
    if (e.code == "aws.AccessDeniedException") {
      e.fix = "allow bedrock:" + std::string(operation) +
              " for your IAM identity (`brock policy` prints a least-privilege policy that "
              "includes it)";
    } else if (e.code == "aws.ResourceNotFoundException") {
      e.fix = "check the ID; `brock models` lists what this region offers";
    } else if (e.code == "aws.UnrecognizedClientException" ||
               e.code == "aws.ExpiredTokenException" || e.code == "aws.InvalidSignatureException") {
      e.fix = "refresh your AWS credentials (aws sso login, or new keys), then try again";
    }
    if (!e.retryable) return e;
    last = std::move(e);
  }
  return last;
}

Result<std::vector<InferenceProfileInfo>> ControlPlaneClient::ListInferenceProfiles(
    std::string_view type) {
  std::vector<InferenceProfileInfo> out;
  std::string token;
  for (int page = 0; page < 1000; ++page) {
    std::vector<std::string> params;
    if (options_.page_size > 0)
      params.push_back("maxResults=" + std::to_string(options_.page_size));
    if (!token.empty()) params.push_back("nextToken=" + UriEncode(token, true));
    if (!type.empty()) params.push_back("type=" + UriEncode(type, true));
    std::string q = "/inference-profiles";
    if (!params.empty()) q += "?" + Join(params, "&");
    auto body = Get("ListInferenceProfiles", q);
    if (!body.ok()) return std::move(body).error();
    if (body->contains("inferenceProfileSummaries") &&
        (*body)["inferenceProfileSummaries"].is_array()) {
      for (const auto& p : (*body)["inferenceProfileSummaries"]) {
        if (p.is_object()) out.push_back(InferenceProfileFromJson(p));
      }
    }
    std::string next = Str(*body, "nextToken");
    if (next.empty()) return out;
    if (next == token) break;
    token = next;
  }
  return MakeError("bedrock.control_plane",
                   "ListInferenceProfiles via " + options_.base_url + " never stopped paging",
                   "check the endpoint (AWS_ENDPOINT_URL_BEDROCK)");
}

Result<InferenceProfileInfo> ControlPlaneClient::GetInferenceProfile(std::string_view id_or_arn) {
  auto body = Get("GetInferenceProfile", "/inference-profiles/" + UriEncode(id_or_arn, true));
  if (!body.ok()) return std::move(body).error();
  return InferenceProfileFromJson(*body);
}

Result<std::vector<FoundationModelInfo>> ControlPlaneClient::ListFoundationModels(
    std::string_view provider) {
  std::string q = "/foundation-models";
  if (!provider.empty()) q += "?byProvider=" + UriEncode(provider, true);
  auto body = Get("ListFoundationModels", q);
  if (!body.ok()) return std::move(body).error();
  std::vector<FoundationModelInfo> out;
  if (body->contains("modelSummaries") && (*body)["modelSummaries"].is_array()) {
    for (const auto& m : (*body)["modelSummaries"]) {
      if (m.is_object()) out.push_back(FoundationModelFromJson(m));
    }
  }
  return out;
}

Result<FoundationModelInfo> ControlPlaneClient::GetFoundationModel(std::string_view id_or_arn) {
  auto body = Get("GetFoundationModel", "/foundation-models/" + UriEncode(id_or_arn, true));
  if (!body.ok()) return std::move(body).error();
  if (!body->contains("modelDetails") || !(*body)["modelDetails"].is_object()) {
    return MakeError("bedrock.control_plane", "GetFoundationModel answered without modelDetails");
  }
  return FoundationModelFromJson((*body)["modelDetails"]);
}

}  // namespace brock
