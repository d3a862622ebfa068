// BedrockCatalog: what one region's Bedrock control plane offers (inference profiles of both
// types and foundation models), fetched with ControlPlaneClient and kept in a small on-disk cache
// with a short TTL, so `brock models`, `brock policy`, `brock doctor` and model resolution do not
// list the catalog on every run.
//
// Cache file: $XDG_CACHE_HOME/brock/ (else ~/.cache/brock/) bedrock-catalog-<region>-<key>.json,
// where <key> is a hash of the endpoint and the credentials' profile (different accounts see
// different application profiles), mode 0600, written atomically:
//   {"version":1,"region":"us-east-1","fetchedAt":<unix seconds>,
//    "inferenceProfiles":[...ListInferenceProfiles' summaries...],
//    "foundationModels":[...ListFoundationModels' summaries...]}
// A cache that is missing, unreadable, malformed, from the future or older than the TTL (15
// minutes by default) is ignored and refetched; it never holds a secret.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "base/error.h"
#include "bedrock/control_plane_client.h"

namespace brock {

inline constexpr std::chrono::seconds kCatalogCacheTtl{15 * 60};

struct BedrockCatalog {
  std::string region;
  Clock::time_point fetched_at;
  bool from_cache = false;
  std::vector<InferenceProfileInfo> profiles;  // SYSTEM_DEFINED first, then APPLICATION
  std::vector<FoundationModelInfo> models;

  // The profile whose id or ARN is `id_or_arn` (case-sensitive), or null.
  const InferenceProfileInfo* FindProfile(std::string_view id_or_arn) const;
  // The foundation model whose id or ARN is `id_or_arn`, or null.
  const FoundationModelInfo* FindModel(std::string_view id_or_arn) const;
};

// Lists both kinds of profile and the foundation models (every page).
Result<BedrockCatalog> FetchCatalog(Env& env, ControlPlaneClient& client);

// The cache file for a region, endpoint and profile.
std::string CatalogCachePath(const Env& env, std::string_view region, std::string_view endpoint,
                             std::string_view profile);
// The cached catalog when present, parseable and younger than `ttl`; nullopt otherwise.
std::optional<BedrockCatalog> ReadCachedCatalog(const Env& env, const std::string& path,
                                                std::chrono::seconds ttl = kCatalogCacheTtl);
Status WriteCachedCatalog(Env& env, const std::string& path, const BedrockCatalog& catalog);

// The cache when fresh (unless `refresh`), else FetchCatalog and write the cache (a cache that
// cannot be written is not an error).
Result<BedrockCatalog> LoadCatalog(Env& env, ControlPlaneClient& client, const std::string& path,
                                   bool refresh = false);

// The foundation model id behind `model_id` when it is an inference profile (system or
// application) the catalog knows: the id in its first model ARN ("anthropic.claude-..."). ""
// when the catalog does not know it.
std::string UnderlyingFoundationModel(const BedrockCatalog& catalog, std::string_view model_id);

// True for an application inference profile ARN ("arn:...:application-inference-profile/...").
bool IsApplicationProfileArn(std::string_view model_id);

}  // namespace brock
