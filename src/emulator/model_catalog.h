// The emulator's Bedrock model catalog: the foundation models and inference profiles the control
// plane (control_plane.h) lists and the runtime accepts, as Bedrock shows them in one region.
//
// For region R in partition P (aws, aws-us-gov, aws-cn) and account A:
//   foundation models   arn:P:bedrock:R::foundation-model/<id>  (Anthropic Claude models and one
//                       Amazon model, so provider filters mean something)
//   system-defined      <geo>.<model id>, geo = us / eu / apac / us-gov (InferenceProfilePrefix's
//   profiles            rule) and, in the aws partition, global. for the newest models;
//                       arn:P:bedrock:R:A:inference-profile/<id>; each lists its foundation model
//                       in every region it routes to (R first)
//   application         one profile created by the account, "team-sonnet", id "emuteamsonnet",
//   profiles            arn:P:bedrock:R:A:application-inference-profile/emuteamsonnet, copied
//                       from the geo Sonnet 4.5 profile (same models and regions)
// Everything is ACTIVE; createdAt/updatedAt are fixed dates. The data is built, not read from a
// file: the emulator's catalog is part of its contract (docs/emulator.md).
#pragma once

#include <string>
#include <vector>

namespace brock {

struct CatalogFoundationModel {
  std::string id;        // "anthropic.claude-sonnet-4-5-20250929-v1:0"
  std::string name;      // "Claude Sonnet 4.5"
  std::string provider;  // "Anthropic"
  std::string arn;
  std::vector<std::string> inference_types;  // "ON_DEMAND", "INFERENCE_PROFILE"
};

struct CatalogProfile {
  std::string id;    // "us.anthropic.claude-sonnet-4-5-20250929-v1:0" or "emuteamsonnet"
  std::string name;  // "US Claude Sonnet 4.5", "team-sonnet"
  std::string description;
  std::string arn;
  std::string type;                     // "SYSTEM_DEFINED" | "APPLICATION"
  std::vector<std::string> model_arns;  // foundation-model ARNs, one per routed region
};

struct EmulatedCatalog {
  std::string region, partition, account;
  std::vector<CatalogFoundationModel> models;
  std::vector<CatalogProfile> profiles;  // system-defined first, then application profiles

  // The profile whose id or ARN is `id_or_arn`, or null.
  const CatalogProfile* FindProfile(const std::string& id_or_arn) const;
  // The foundation model whose id or ARN is `id_or_arn`, or null.
  const CatalogFoundationModel* FindModel(const std::string& id_or_arn) const;
};

// The catalog of `region` for `account`.
EmulatedCatalog BuildEmulatedCatalog(const std::string& region, const std::string& account);

// The regions a geo profile prefix ("us.", "eu.", "apac.", "us-gov.", "global.") routes to, with
// `region` first.
std::vector<std::string> EmulatedRoutingRegions(const std::string& prefix,
                                                const std::string& region);

}  // namespace brock
