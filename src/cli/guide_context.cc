#include "cli/guide_context.h"

#include "aws/endpoint.h"
#include "base/log.h"

namespace brock {

Result<std::unique_ptr<ControlPlaneClient>> MakeControlPlaneClient(Session& session) {
  const BedrockConnection& c = session.connection();
  auto endpoint =
      ResolveEndpoint(session.env(), *session.aws_config(), c.profile, "bedrock", c.region);
  if (!endpoint.ok()) return std::move(endpoint).error();
  ControlPlaneOptions o;
  o.base_url = endpoint->url;
  o.region = c.region;
  o.auth = c.runtime.auth;
  if (o.auth.kind == BedrockAuthKind::kSigV4) o.auth.credentials = session.credentials();
  o.extra_headers = c.runtime.extra_headers;
  return std::make_unique<ControlPlaneClient>(session.env(), session.http(), std::move(o));
}

Result<BedrockCatalog> LoadSessionCatalog(Session& session, ControlPlaneClient& client,
                                          bool refresh) {
  const BedrockConnection& c = session.connection();
  std::string path =
      CatalogCachePath(session.env(), c.region, client.options().base_url, c.profile);
  return LoadCatalog(session.env(), client, path, refresh);
}

std::vector<ConfiguredModel> ConfiguredModels(Session& session) {
  std::vector<ConfiguredModel> out;
  const ModelChoice& m = session.model();
  out.push_back({"model", m.model_id, m.origin, m.origin != "default"});
  for (const char* tier : {"sonnet", "haiku", "opus"}) {
    auto r = ResolveModelAlias(session.env(), tier, session.connection().region, tier);
    if (!r.ok() || !r.value()) continue;
    const ModelChoice& c = **r;
    bool pinned = c.alias_source.rfind("ANTHROPIC_DEFAULT_", 0) == 0;
    out.push_back({tier, c.model_id, c.alias_source, pinned});
  }
  return out;
}

std::string ApplicationProfileFoundationModel(Session& session) {
  const std::string& id = session.model().model_id;
  if (!IsApplicationProfileArn(id)) return "";
  auto client = MakeControlPlaneClient(session);
  if (!client.ok()) return "";
  const BedrockConnection& c = session.connection();
  std::string path =
      CatalogCachePath(session.env(), c.region, (*client)->options().base_url, c.profile);
  if (auto cached = ReadCachedCatalog(session.env(), path)) {
    std::string fm = UnderlyingFoundationModel(*cached, id);
    if (!fm.empty()) return fm;
  }
  // A runtime reached through a configured URL (a gateway, the emulator) with the control plane
  // left at AWS's default: the lookup would go somewhere the user did not point brock at.
  auto endpoint =
      ResolveEndpoint(session.env(), *session.aws_config(), c.profile, "bedrock", c.region);
  if (!endpoint.ok() || (endpoint->origin.rfind("default", 0) == 0 &&
                         c.runtime.context.endpoint_origin.rfind("default", 0) != 0)) {
    DebugLog("application inference profile not looked up: set AWS_ENDPOINT_URL_BEDROCK");
    return "";
  }
  if (c.runtime.auth.kind == BedrockAuthKind::kUnsigned) return "";
  auto profile = (*client)->GetInferenceProfile(id);
  if (!profile.ok()) {
    DebugLog("application inference profile not resolved: " + profile.error().message);
    return "";
  }
  return profile->model_arns.empty() ? "" : ResourceIdFromArn(profile->model_arns.front());
}

std::string PinVariable(const std::string& name) {
  if (name == "sonnet") return "ANTHROPIC_DEFAULT_SONNET_MODEL";
  if (name == "haiku") return "ANTHROPIC_DEFAULT_HAIKU_MODEL";
  if (name == "opus") return "ANTHROPIC_DEFAULT_OPUS_MODEL";
  if (name == "default") return "ANTHROPIC_MODEL";
  return "";
}

}  // namespace brock
