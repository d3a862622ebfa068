#include "emulator/control_plane.h"

#include <nlohmann/json.hpp>

#include "aws/uri.h"
#include "base/crypto.h"
#include "base/strings.h"
#include "emulator/bedrock_runtime.h"
#include "emulator/sts_service.h"

namespace brock {

using nlohmann::json;

namespace {

constexpr char kCreatedAt[] = "2025-09-29T00:00:00Z";
constexpr char kUpdatedAt[] = "2025-10-15T00:00:00Z";
constexpr int kDefaultPageSize = 10;
constexpr char kTokenPrefix[] = "emu1.";

std::string NewRequestId() {
  std::string h = HexEncode(RandomBytes(16));
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20, 12);
}

json ProfileJson(const CatalogProfile& p) {
  json models = json::array();
  for (const auto& arn : p.model_arns) models.push_back({{"modelArn", arn}});
  return {
      {"inferenceProfileName", p.name}, {"description", p.description}, {"createdAt", kCreatedAt},
      {"updatedAt", kUpdatedAt},        {"inferenceProfileArn", p.arn}, {"models", models},
      {"inferenceProfileId", p.id},     {"status", "ACTIVE"},           {"type", p.type}};
}

json ModelJson(const CatalogFoundationModel& m) {
  return {{"modelArn", m.arn},
          {"modelId", m.id},
          {"modelName", m.name},
          {"providerName", m.provider},
          {"inputModalities", m.provider == "Anthropic" ? json{"TEXT", "IMAGE"} : json{"TEXT"}},
          {"outputModalities", json{"TEXT"}},
          {"responseStreamingSupported", true},
          {"customizationsSupported", json::array()},
          {"inferenceTypesSupported", m.inference_types},
          {"modelLifecycle", {{"status", "ACTIVE"}}}};
}

}  // namespace

EmulatedControlPlane::EmulatedControlPlane(EmulatedControlPlaneOptions options,
                                           RequestRecorder* recorder)
    : options_(std::move(options)), recorder_(recorder) {}

bool EmulatedControlPlane::Handle(const HttpRequest& request, ResponseWriter& writer) {
  size_t scheme = request.url.find("://");
  size_t path_start = request.url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  std::string target = path_start == std::string::npos ? "/" : request.url.substr(path_start);
  size_t q = target.find('?');
  std::string path = target.substr(0, q);
  std::string query = q == std::string::npos ? "" : target.substr(q + 1);
  bool profiles = path == "/inference-profiles" || StartsWith(path, "/inference-profiles/");
  bool models = path == "/foundation-models" || StartsWith(path, "/foundation-models/");
  if (!profiles && !models) return false;

  std::string request_id = NewRequestId();
  RecordedRequest record;
  record.method = request.method;
  record.path = target;
  record.headers = RedactHeaders(request.headers);
  std::string item;  // the {identifier} path segment, decoded
  if (profiles && path.size() > 20) item = UriDecode(path.substr(20));
  if (models && path.size() > 19) item = UriDecode(path.substr(19));
  if (profiles) record.operation = item.empty() ? "ListInferenceProfiles" : "GetInferenceProfile";
  if (models) record.operation = item.empty() ? "ListFoundationModels" : "GetFoundationModel";
  record.model_id = item;

  auto fail = [&](int status, const std::string& type, const std::string& message) {
    record.status = status;
    record.error_type = type;
    recorder_->Record(record);
    SendBedrockError(writer, status, type, message, request_id);
    return true;
  };
  if (request.method != "GET") {
    return fail(404, "UnknownOperationException",
                "Unknown operation " + request.method + " " + path);
  }
  AuthOutcome auth = CheckAuth(request, options_.auth, Clock::now());
  record.auth_kind = auth.kind;
  record.access_key_id = auth.access_key_id;
  record.auth_ok = auth.ok;
  record.auth_error = auth.error_type;
  if (!auth.ok) return fail(auth.status, auth.error_type, auth.message);
  const EmulatedCatalog& c = options_.catalog;
  std::string action = "bedrock:" + record.operation;
  if (options_.denied_actions.count(action)) {
    std::string who = auth.access_key_id.empty() ? "the caller" : auth.access_key_id;
    return fail(403, "AccessDeniedException",
                "User: arn:" + c.partition + ":iam::" + c.account + ":user/" + who +
                    " is not authorized to perform: " + action +
                    " because no identity-based policy allows the " + action + " action");
  }
  auto params = ParseFormBody(query);
  auto ok = [&](const json& body) {
    record.status = 200;
    recorder_->Record(record);
    writer.Send(200, {{"Content-Type", "application/json"}, {"x-amzn-RequestId", request_id}},
                body.dump());
    return true;
  };

  if (record.operation == "GetInferenceProfile") {
    const CatalogProfile* p = c.FindProfile(item);
    if (!p) {
      return fail(404, "ResourceNotFoundException",
                  "The specified inference profile " + item + " was not found.");
    }
    return ok(ProfileJson(*p));
  }
  if (record.operation == "GetFoundationModel") {
    const CatalogFoundationModel* m = c.FindModel(item);
    if (!m)
      return fail(404, "ResourceNotFoundException",
                  "Could not resolve the foundation model from the provided model identifier.");
    return ok({{"modelDetails", ModelJson(*m)}});
  }
  if (record.operation == "ListFoundationModels") {
    json list = json::array();
    std::string provider = params.count("byProvider") ? ToLower(params["byProvider"]) : "";
    std::string inference = params.count("byInferenceType") ? params["byInferenceType"] : "";
    for (const auto& m : c.models) {
      if (!provider.empty() && ToLower(m.provider) != provider) continue;
      if (!inference.empty() && std::find(m.inference_types.begin(), m.inference_types.end(),
                                          inference) == m.inference_types.end()) {
        continue;
      }
      list.push_back(ModelJson(m));
    }
    return ok({{"modelSummaries", list}});
  }
  // ListInferenceProfiles.
  std::string type = params.count("type") ? params["type"] : "SYSTEM_DEFINED";
  if (type != "SYSTEM_DEFINED" && type != "APPLICATION") {
    return fail(400, "ValidationException",
                "1 validation error detected: Value '" + type +
                    "' at 'typeEquals' failed to satisfy constraint: Member must satisfy enum "
                    "value set: [SYSTEM_DEFINED, APPLICATION]");
  }
  int page = kDefaultPageSize;
  if (params.count("maxResults")) {
    const std::string& v = params["maxResults"];
    bool digits =
        !v.empty() && v.size() < 6 && v.find_first_not_of("0123456789") == std::string::npos;
    page = digits ? std::stoi(v) : 0;
    if (page < 1 || page > 1000) {
      return fail(400, "ValidationException",
                  "1 validation error detected: Value '" + v +
                      "' at 'maxResults' failed to satisfy constraint: Member must have value "
                      "between 1 and 1000");
    }
  }
  std::vector<const CatalogProfile*> matching;
  for (const auto& p : c.profiles) {
    if (p.type == type) matching.push_back(&p);
  }
  size_t start = 0;
  if (params.count("nextToken")) {
    const std::string& t = params["nextToken"];
    std::string rest = StartsWith(t, kTokenPrefix) ? t.substr(sizeof(kTokenPrefix) - 1) : "";
    bool digits = !rest.empty() && rest.size() < 6 &&
                  rest.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || static_cast<size_t>(std::stoi(rest)) > matching.size()) {
      return fail(400, "ValidationException", "The pagination token is invalid.");
    }
    start = static_cast<size_t>(std::stoi(rest));
  }
  json list = json::array();
  size_t end = std::min(matching.size(), start + static_cast<size_t>(page));
  for (size_t i = start; i < end; ++i) list.push_back(ProfileJson(*matching[i]));
  json body = {{"inferenceProfileSummaries", list}};
  if (end < matching.size()) body["nextToken"] = kTokenPrefix + std::to_string(end);
  return ok(body);
}

}  // namespace brock
