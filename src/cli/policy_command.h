// `brock policy`: the IAM policy brock needs, ready for `aws iam create-policy
// --policy-document file://policy.json`.
//
//   brock policy [--broad] [--debug]
//
// Least privilege (the default), for the configured models (the session model and the sonnet,
// haiku and opus tiers as they resolve, see guide_context.h), in the region's partition (aws,
// aws-us-gov, aws-cn):
//   "InvokeConfiguredModels": bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on
//       each model's inference-profile (or application-inference-profile) ARN, as the catalog
//       lists it, and on the foundation-model ARN in every region the profile routes to (Bedrock
//       checks both when a cross-region profile forwards a request);
//   "ReadModelCatalog": bedrock:ListInferenceProfiles and bedrock:ListFoundationModels on "*"
//       (they take no resource), bedrock:GetInferenceProfile and bedrock:GetFoundationModel on the
//       same ARNs.
// The catalog (model_catalog.h) supplies the ARNs; a model it does not list is covered by a
// foundation-model ARN with region "*" and a note on stderr.
// --broad prints the setup guide's starting policy (every foundation model, inference profile and
// application inference profile), in the region's partition.
#pragma once

#include <string>
#include <vector>

#include "base/json.h"
#include "bedrock/model_catalog.h"

namespace brock {

// `argv[0]` is "policy". 0 on success, 1 on an error, 2 on a usage error.
int RunPolicyCommand(int argc, char** argv);

// The least-privilege policy for `model_ids` in `region` from `catalog`; `notes` gets a line per
// model the catalog does not know.
Json LeastPrivilegePolicy(const BedrockCatalog& catalog, const std::string& region,
                          const std::vector<std::string>& model_ids,
                          std::vector<std::string>* notes);

// The guide's starting policy in `region`'s partition.
Json BroadPolicy(const std::string& region);

}  // namespace brock
