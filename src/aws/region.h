// Which AWS region brock talks to, and where that choice came from.
//
// Order (as Claude Code on Bedrock and the AWS SDKs): AWS_REGION, then AWS_DEFAULT_REGION, then
// the `region` of the selected profile in ~/.aws/config (or credentials). Empty variables count
// as unset. The Bedrock setup guide asks users to set AWS_REGION explicitly, so the errors point
// there.
#pragma once

#include <string>
#include <string_view>

#include "aws/config_file.h"
#include "base/env.h"
#include "base/error.h"

namespace brock {

struct ResolvedRegion {
  std::string region;
  // "AWS_REGION (from <VarOrigin>)", "AWS_DEFAULT_REGION (from <VarOrigin>)", or
  // "profile ui-dev in /home/me/.aws/config".
  std::string origin;
};

// Resolves the region. Errors:
//   "region.missing": nothing sets it; message starts "Region error: AWS_REGION is not set".
//   "region.invalid": the first value found is not a region name; the message names the value and
//                     where it came from (and hints at the likely mistake: an availability zone,
//                     upper case, stray spaces).
// Both carry the same fix: set AWS_REGION in ~/.claude/settings.json or the shell.
Result<ResolvedRegion> ResolveRegion(const Env& env, const AwsConfig& config,
                                     std::string_view profile);

// True for names shaped like AWS regions: ^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$, at most 32 characters
// (us-east-1, us-gov-west-1, cn-north-1, eu-isoe-west-1, eusc-de-east-1, ap-southeast-5 ...).
// Unknown but well-formed names pass, so new regions work without a brock update.
bool IsValidRegionName(std::string_view name);

// The fix text shared by the region errors.
extern const char kRegionFix[];

}  // namespace brock
