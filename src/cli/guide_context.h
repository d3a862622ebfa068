// What the guide commands (`brock models`, `brock policy`, `brock doctor`) share on top of the
// Session: the Bedrock control plane client for the session's region, endpoint
// (AWS_ENDPOINT_URL_BEDROCK, ...) and authentication; the catalog (cached, model_catalog.h); the
// models the configuration names (the session model, and each alias tier with its pin); and the
// IAM partition of the region.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bedrock/control_plane_client.h"
#include "bedrock/model_catalog.h"
#include "cli/session.h"

namespace brock {

// The control plane client of `session` (same region, credentials, API key and custom headers
// as the runtime). Errors: endpoint.invalid.
Result<std::unique_ptr<ControlPlaneClient>> MakeControlPlaneClient(Session& session);

// The catalog for `session`: the cache when fresh (unless `refresh`), else fetched and cached.
Result<BedrockCatalog> LoadSessionCatalog(Session& session, ControlPlaneClient& client,
                                          bool refresh);

// A model the configuration names.
struct ConfiguredModel {
  std::string role;  // "model" (what a session uses), "sonnet", "haiku", "opus"
  std::string model_id;
  std::string origin;   // where it came from ("ANTHROPIC_DEFAULT_HAIKU_MODEL (from ...)")
  bool pinned = false;  // set by a variable or settings, not the built-in default
};

// The session model, then the sonnet, haiku and opus tiers as they resolve now. Tiers that fail
// to resolve are left out.
std::vector<ConfiguredModel> ConfiguredModels(Session& session);

// The foundation model behind the session model when it is an application inference profile
// ARN: from the cached catalog when fresh, else one GetInferenceProfile call. "" when the model
// is not such an ARN or the lookup fails (logged with --debug; the session goes on without it).
std::string ApplicationProfileFoundationModel(Session& session);

// The settings variable a pin name writes: "sonnet" -> ANTHROPIC_DEFAULT_SONNET_MODEL, "haiku",
// "opus" likewise, "default" -> ANTHROPIC_MODEL; "" for anything else.
std::string PinVariable(const std::string& name);

}  // namespace brock
