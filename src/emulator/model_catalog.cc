#include "emulator/model_catalog.h"

#include <algorithm>

#include "base/strings.h"

namespace brock {

namespace {

struct ModelSeed {
  const char* id;
  const char* name;
  const char* provider;
  bool on_demand;  // older models are also invocable without a profile
  bool global;     // offered as a global. profile (aws partition)
};

constexpr ModelSeed kModels[] = {
    {"anthropic.claude-3-5-haiku-20241022-v1:0", "Claude 3.5 Haiku", "Anthropic", true, false},
    {"anthropic.claude-3-7-sonnet-20250219-v1:0", "Claude 3.7 Sonnet", "Anthropic", false, false},
    {"anthropic.claude-sonnet-4-20250514-v1:0", "Claude Sonnet 4", "Anthropic", false, true},
    {"anthropic.claude-opus-4-1-20250805-v1:0", "Claude Opus 4.1", "Anthropic", false, false},
    {"anthropic.claude-sonnet-4-5-20250929-v1:0", "Claude Sonnet 4.5", "Anthropic", false, true},
    {"anthropic.claude-haiku-4-5-20251001-v1:0", "Claude Haiku 4.5", "Anthropic", false, true},
    {"anthropic.claude-opus-4-5-20251101-v1:0", "Claude Opus 4.5", "Anthropic", false, true},
    {"anthropic.claude-opus-4-6-v1", "Claude Opus 4.6", "Anthropic", false, true},
    {"anthropic.claude-sonnet-4-6", "Claude Sonnet 4.6", "Anthropic", false, true},
    {"amazon.nova-pro-v1:0", "Nova Pro", "Amazon", true, false},
};

std::string PartitionOfRegion(const std::string& region) {
  if (StartsWith(region, "us-gov-")) return "aws-us-gov";
  if (StartsWith(region, "cn-")) return "aws-cn";
  return "aws";
}

std::string GeoPrefix(const std::string& region) {
  if (StartsWith(region, "us-gov-")) return "us-gov.";
  if (StartsWith(region, "us-")) return "us.";
  if (StartsWith(region, "eu-")) return "eu.";
  if (StartsWith(region, "ap-")) return "apac.";
  return "";
}

std::string GeoName(const std::string& prefix) {
  if (prefix == "us.") return "US";
  if (prefix == "eu.") return "EU";
  if (prefix == "apac.") return "APAC";
  if (prefix == "us-gov.") return "US-GOV";
  return "GLOBAL";
}

std::string FoundationArn(const std::string& partition, const std::string& region,
                          const std::string& id) {
  return "arn:" + partition + ":bedrock:" + region + "::foundation-model/" + id;
}

}  // namespace

std::vector<std::string> EmulatedRoutingRegions(const std::string& prefix,
                                                const std::string& region) {
  std::vector<std::string> regions;
  if (prefix == "us.") regions = {"us-east-1", "us-east-2", "us-west-2"};
  if (prefix == "eu.") regions = {"eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1"};
  if (prefix == "apac.") regions = {"ap-northeast-1", "ap-southeast-1", "ap-southeast-2"};
  if (prefix == "us-gov.") regions = {"us-gov-west-1", "us-gov-east-1"};
  if (prefix == "global.") regions = {"us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"};
  regions.erase(std::remove(regions.begin(), regions.end(), region), regions.end());
  regions.insert(regions.begin(), region);
  return regions;
}

EmulatedCatalog BuildEmulatedCatalog(const std::string& region, const std::string& account) {
  EmulatedCatalog c;
  c.region = region;
  c.partition = PartitionOfRegion(region);
  c.account = account;
  std::string geo = GeoPrefix(region);
  auto profile_arn = [&](const std::string& kind, const std::string& id) {
    return "arn:" + c.partition + ":bedrock:" + region + ":" + account + ":" + kind + "/" + id;
  };
  for (const ModelSeed& s : kModels) {
    CatalogFoundationModel m;
    m.id = s.id;
    m.name = s.name;
    m.provider = s.provider;
    m.arn = FoundationArn(c.partition, region, s.id);
    if (s.on_demand) m.inference_types.push_back("ON_DEMAND");
    m.inference_types.push_back("INFERENCE_PROFILE");
    c.models.push_back(std::move(m));
  }
  auto add_profile = [&](const std::string& prefix, const ModelSeed& s) {
    CatalogProfile p;
    p.id = prefix + s.id;
    p.name = GeoName(prefix) + " " + s.name;
    p.description =
        "Routes requests to " + std::string(s.name) + " in " +
        (prefix == "global." ? "commercial AWS regions." : GeoName(prefix) + " regions.");
    p.arn = profile_arn("inference-profile", p.id);
    p.type = "SYSTEM_DEFINED";
    for (const std::string& r : EmulatedRoutingRegions(prefix, region)) {
      p.model_arns.push_back(FoundationArn(c.partition, r, s.id));
    }
    c.profiles.push_back(std::move(p));
  };
  if (!geo.empty()) {
    for (const ModelSeed& s : kModels) add_profile(geo, s);
  }
  if (c.partition == "aws") {
    for (const ModelSeed& s : kModels) {
      if (s.global) add_profile("global.", s);
    }
  }
  // The application profile copies the region's Sonnet 4.5 profile.
  const std::string sonnet = "anthropic.claude-sonnet-4-5-20250929-v1:0";
  const CatalogProfile* source = c.FindProfile((geo.empty() ? "global." : geo) + sonnet);
  CatalogProfile app;
  app.id = "emuteamsonnet";
  app.name = "team-sonnet";
  app.description = "Sonnet for the team, with cost allocation tags";
  app.arn = profile_arn("application-inference-profile", app.id);
  app.type = "APPLICATION";
  app.model_arns = source ? source->model_arns
                          : std::vector<std::string>{FoundationArn(c.partition, region, sonnet)};
  c.profiles.push_back(std::move(app));
  return c;
}

const CatalogProfile* EmulatedCatalog::FindProfile(const std::string& id_or_arn) const {
  for (const auto& p : profiles) {
    if (p.id == id_or_arn || p.arn == id_or_arn) return &p;
  }
  return nullptr;
}

const CatalogFoundationModel* EmulatedCatalog::FindModel(const std::string& id_or_arn) const {
  for (const auto& m : models) {
    if (m.id == id_or_arn || m.arn == id_or_arn) return &m;
  }
  return nullptr;
}

}  // namespace brock
