#include "bedrock/model_catalog.h"

#include <nlohmann/json.hpp>

#include "base/crypto.h"
#include "base/json.h"
#include "base/log.h"

namespace brock {

const InferenceProfileInfo* BedrockCatalog::FindProfile(std::string_view id_or_arn) const {
  for (const auto& p : profiles) {
    if (p.id == id_or_arn || p.arn == id_or_arn) return &p;
  }
  return nullptr;
}

const FoundationModelInfo* BedrockCatalog::FindModel(std::string_view id_or_arn) const {
  for (const auto& m : models) {
    if (m.id == id_or_arn || m.arn == id_or_arn) return &m;
  }
  return nullptr;
}

Result<BedrockCatalog> FetchCatalog(Env& env, ControlPlaneClient& client) {
  BedrockCatalog c;
  c.region = client.options().region;
  c.fetched_at = env.Now();
  for (const char* type : {"SYSTEM_DEFINED", "APPLICATION"}) {
    auto list = client.ListInferenceProfiles(type);
    if (!list.ok()) return std::move(list).error();
    for (auto& p : *list) c.profiles.push_back(std::move(p));
  }
  auto models = client.ListFoundationModels();
  if (!models.ok()) return std::move(models).error();
  c.models = std::move(*models);
  return c;
}

std::string CatalogCachePath(const Env& env, std::string_view region, std::string_view endpoint,
                             std::string_view profile) {
  std::string dir;
  if (auto xdg = env.GetNonEmpty("XDG_CACHE_HOME"); xdg && (*xdg)[0] == '/') {
    dir = *xdg + "/brock";
  } else {
    dir = env.HomeDir() + "/.cache/brock";
  }
  std::string key = Sha256Hex(std::string(endpoint) + "\n" + std::string(profile)).substr(0, 16);
  std::string safe_region;
  for (char ch : region) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
    safe_region += ok ? ch : '_';
  }
  return dir + "/bedrock-catalog-" + safe_region + "-" + key + ".json";
}

std::optional<BedrockCatalog> ReadCachedCatalog(const Env& env, const std::string& path,
                                                std::chrono::seconds ttl) {
  auto text = env.ReadFile(path);
  if (!text.ok()) return std::nullopt;
  Json j = ParseJsonOrDiscarded(*text);
  if (!j.is_object() || j.value("version", 0) != 1 || !j.contains("fetchedAt") ||
      !j["fetchedAt"].is_number_integer()) {
    return std::nullopt;
  }
  BedrockCatalog c;
  c.region = j.value("region", "");
  c.fetched_at = Clock::time_point(std::chrono::seconds(j["fetchedAt"].get<int64_t>()));
  auto age = env.Now() - c.fetched_at;
  if (age < std::chrono::seconds(-60) || age > ttl) return std::nullopt;
  c.from_cache = true;
  if (j.contains("inferenceProfiles") && j["inferenceProfiles"].is_array()) {
    for (const auto& p : j["inferenceProfiles"]) {
      if (p.is_object()) c.profiles.push_back(InferenceProfileFromJson(p));
    }
  }
  if (j.contains("foundationModels") && j["foundationModels"].is_array()) {
    for (const auto& m : j["foundationModels"]) {
      if (m.is_object()) c.models.push_back(FoundationModelFromJson(m));
    }
  }
  return c;
}

Status WriteCachedCatalog(Env& env, const std::string& path, const BedrockCatalog& catalog) {
  Json profiles = Json::array();
  for (const auto& p : catalog.profiles) profiles.push_back(InferenceProfileToJson(p));
  Json models = Json::array();
  for (const auto& m : catalog.models) models.push_back(FoundationModelToJson(m));
  Json j = {{"version", 1},
            {"region", catalog.region},
            {"fetchedAt",
             std::chrono::duration_cast<std::chrono::seconds>(catalog.fetched_at.time_since_epoch())
                 .count()},
            {"inferenceProfiles", profiles},
            {"foundationModels", models}};
  return env.WriteFileAtomic(path, j.dump(1) + "\n", 0600);
}

Result<BedrockCatalog> LoadCatalog(Env& env, ControlPlaneClient& client, const std::string& path,
                                   bool refresh) {
  if (!refresh) {
    if (auto cached = ReadCachedCatalog(env, path)) return std::move(*cached);
  }
  auto fetched = FetchCatalog(env, client);
  if (!fetched.ok()) return fetched;
  if (Status s = WriteCachedCatalog(env, path, *fetched); !s.ok()) {
    DebugLog("model catalog cache not written: " + s.error().message);
  }
  return fetched;
}

std::string UnderlyingFoundationModel(const BedrockCatalog& catalog, std::string_view model_id) {
  const InferenceProfileInfo* p = catalog.FindProfile(model_id);
  if (!p || p->model_arns.empty()) return "";
  return ResourceIdFromArn(p->model_arns.front());
}

bool IsApplicationProfileArn(std::string_view model_id) {
  return model_id.substr(0, 4) == "arn:" &&
         model_id.find(":application-inference-profile/") != std::string_view::npos;
}

}  // namespace brock
