// Service endpoints: partitions and DNS suffixes, FIPS and dual-stack, and the SDKs'
// configured-endpoint conventions (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, `services`
// sections and profile endpoint_url), which brock uses to reach the local emulator.
//
// Resolution order for a service (first hit wins), unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
// (or the profile's ignore_configured_endpoint_urls) is true, which skips 1-4:
//   1. AWS_ENDPOINT_URL_<SERVICE>      e.g. AWS_ENDPOINT_URL_BEDROCK_RUNTIME
//   2. AWS_ENDPOINT_URL
//   3. the profile's `services = NAME` -> [services NAME] -> `<service key> =\n  endpoint_url =
//   URL`
//   4. the profile's endpoint_url
//   5. the default: https://{prefix}[-fips].{region}.{dns suffix}, where dual-stack swaps the DNS
//      suffix for the partition's dual-stack one (api.aws, api.amazonwebservices.com.cn, ...),
//      exactly as botocore's endpoint rule sets produce them.
// FIPS: AWS_USE_FIPS_ENDPOINT, else the profile's use_fips_endpoint. Dual-stack:
// AWS_USE_DUALSTACK_ENDPOINT, else use_dualstack_endpoint. Configured URLs are used as given
// (FIPS/dual-stack do not apply to them).
#pragma once

#include <string>
#include <string_view>

#include "aws/config_file.h"
#include "base/env.h"
#include "base/error.h"

namespace brock {

enum class Partition { kAws, kAwsCn, kAwsUsGov, kAwsIso, kAwsIsoB, kAwsIsoE, kAwsIsoF, kAwsEusc };

// The partition a region belongs to, by name prefix (cn-, us-gov-, us-iso-, us-isob-, eu-isoe-,
// us-isof-, eusc-); everything else is the commercial "aws" partition.
Partition PartitionOf(std::string_view region);
// "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc".
std::string PartitionName(std::string_view region);
// "amazonaws.com" (aws, aws-us-gov), "amazonaws.com.cn" (cn-*), and the isolated partitions'.
std::string DnsSuffix(std::string_view region);
// "api.aws" (aws, aws-us-gov), "api.amazonwebservices.com.cn" (cn-*), ...
std::string DualStackDnsSuffix(std::string_view region);

struct EndpointOptions {
  bool use_fips = false;
  bool use_dualstack = false;
};

// FIPS and dual-stack settings from the environment, else the profile.
EndpointOptions EndpointOptionsFrom(const Env& env, const AwsConfig& config,
                                    std::string_view profile);

// The default endpoint (step 5) for a service id: "bedrock-runtime", "bedrock", "sts",
// "portal.sso" (alias "sso"), "oidc" (alias "sso-oidc"); other ids use the id as host prefix.
// Examples: https://bedrock-runtime-fips.us-east-1.amazonaws.com,
// https://portal.sso.eu-west-1.amazonaws.com, https://sts.cn-north-1.amazonaws.com.cn.
std::string DefaultEndpoint(std::string_view service_id, std::string_view region,
                            const EndpointOptions& options);

// The environment variable for a service's endpoint: "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
// "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL_SSO_OIDC",
// "AWS_ENDPOINT_URL_BEDROCK".
std::string EndpointEnvVar(std::string_view service_id);
// The key under a [services NAME] section: "bedrock_runtime", "sts", "sso", "sso_oidc", "bedrock".
std::string ServicesSectionKey(std::string_view service_id);

struct ResolvedEndpoint {
  std::string url;  // scheme://host[:port][/path], without a trailing '/'
  // "AWS_ENDPOINT_URL_BEDROCK_RUNTIME (from <VarOrigin>)", "AWS_ENDPOINT_URL (from ...)",
  // "[services local] bedrock_runtime.endpoint_url in /home/me/.aws/config (profile dev)",
  // "endpoint_url of profile dev in /home/me/.aws/config", or
  // "default for bedrock-runtime in us-east-1" (+ " with FIPS" / " with dual-stack").
  std::string origin;
};

// Resolves the endpoint as described above. Errors: "endpoint.invalid" (a configured URL that
// is not an absolute http(s) URL; names where it was set), "region.missing" / "region.invalid"
// when the default is needed and `region` is empty or malformed.
Result<ResolvedEndpoint> ResolveEndpoint(const Env& env, const AwsConfig& config,
                                         std::string_view profile, std::string_view service_id,
                                         std::string_view region);

}  // namespace brock
