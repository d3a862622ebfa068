#include "aws/endpoint.h"

#include "aws/region.h"
#include "aws/uri.h"
#include "base/error_codes.h"
#include "base/strings.h"

namespace brock {

Partition PartitionOf(std::string_view region) {
  if (StartsWith(region, "cn-")) return Partition::kAwsCn;
  if (StartsWith(region, "us-gov-")) return Partition::kAwsUsGov;
  if (StartsWith(region, "us-isob-")) return Partition::kAwsIsoB;
  if (StartsWith(region, "us-isof-")) return Partition::kAwsIsoF;
  if (StartsWith(region, "us-iso-")) return Partition::kAwsIso;
  if (StartsWith(region, "eu-isoe-")) return Partition::kAwsIsoE;
  if (StartsWith(region, "eusc-")) return Partition::kAwsEusc;
  return Partition::kAws;
}

namespace {

struct PartitionInfo {
  const char* name;
  const char* dns_suffix;
  const char* dualstack_suffix;
};

PartitionInfo Info(std::string_view region) {
  switch (PartitionOf(region)) {
    case Partition::kAwsCn:
      return {"aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn"};
    case Partition::kAwsUsGov:
      return {"aws-us-gov", "amazonaws.com", "api.aws"};
    case Partition::kAwsIso:
      return {"aws-iso", "c2s.ic.gov", "api.aws.ic.gov"};
    case Partition::kAwsIsoB:
      return {"aws-iso-b", "sc2s.sgov.gov", "api.aws.scloud"};
    case Partition::kAwsIsoE:
      return {"aws-iso-e", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk"};
    case Partition::kAwsIsoF:
      return {"aws-iso-f", "csp.hci.ic.gov", "api.aws.hci.ic.gov"};
    case Partition::kAwsEusc:
      return {"aws-eusc", "amazonaws.eu", "api.amazonwebservices.eu"};
    case Partition::kAws:
      break;
  }
  return {"aws", "amazonaws.com", "api.aws"};
}

// The SDK service identity behind one of brock's service ids.
struct ServiceNames {
  std::string host_prefix;  // "portal.sso"
  std::string env_suffix;   // "SSO"
  std::string section_key;  // "sso"
};

ServiceNames Names(std::string_view id) {
  std::string lower = ToLower(id);
  if (lower == "portal.sso" || lower == "sso") return {"portal.sso", "SSO", "sso"};
  if (lower == "oidc" || lower == "sso-oidc" || lower == "sso_oidc")
    return {"oidc", "SSO_OIDC", "sso_oidc"};
  ServiceNames n;
  n.host_prefix = lower;
  for (char c : lower) {
    char k = (c == '-' || c == ' ' || c == '.') ? '_' : c;
    n.section_key.push_back(k);
    n.env_suffix.push_back(k >= 'a' && k <= 'z' ? static_cast<char>(k - 32) : k);
  }
  return n;
}

// True/false from a config-style boolean; nullopt when unset or empty.
std::optional<bool> BoolSetting(const Env& env, const char* var, const AwsConfig& config,
                                std::string_view profile, const char* key) {
  if (auto v = env.GetNonEmpty(var)) return ToLower(Trim(*v)) == "true";
  if (auto v = config.Get(profile, key); v && !v->empty()) return ToLower(Trim(*v)) == "true";
  return std::nullopt;
}

Result<ResolvedEndpoint> Configured(const std::string& value, std::string origin) {
  std::string_view v = Trim(value);
  auto url = ParseUrl(v);
  if (!url.ok() || (url->scheme != "http" && url->scheme != "https")) {
    return MakeError(
        "endpoint.invalid",
        "endpoint URL \"" + std::string(v) + "\" from " + origin +
            " is not an absolute http(s) URL",
        "set it to a URL such as http://127.0.0.1:8080 or https://bedrock-runtime.us-east-1."
        "amazonaws.com, or remove it to use the default endpoint");
  }
  while (v.size() > url->scheme.size() + 3 && v.back() == '/') v.remove_suffix(1);
  return ResolvedEndpoint{std::string(v), std::move(origin)};
}

}  // namespace

std::string PartitionName(std::string_view region) { return Info(region).name; }
std::string DnsSuffix(std::string_view region) { return Info(region).dns_suffix; }
std::string DualStackDnsSuffix(std::string_view region) { return Info(region).dualstack_suffix; }

std::string EndpointEnvVar(std::string_view service_id) {
  return "AWS_ENDPOINT_URL_" + Names(service_id).env_suffix;
}
std::string ServicesSectionKey(std::string_view service_id) {
  return Names(service_id).section_key;
}

EndpointOptions EndpointOptionsFrom(const Env& env, const AwsConfig& config,
                                    std::string_view profile) {
  EndpointOptions o;
  o.use_fips = BoolSetting(env, "AWS_USE_FIPS_ENDPOINT", config, profile, "use_fips_endpoint")
                   .value_or(false);
  o.use_dualstack =
      BoolSetting(env, "AWS_USE_DUALSTACK_ENDPOINT", config, profile, "use_dualstack_endpoint")
          .value_or(false);
  return o;
}

std::string DefaultEndpoint(std::string_view service_id, std::string_view region,
                            const EndpointOptions& options) {
  ServiceNames n = Names(service_id);
  PartitionInfo p = Info(region);
  std::string host = n.host_prefix;
  bool fips = options.use_fips;
  // STS in GovCloud is FIPS already: botocore's rules keep the plain name there.
  if (fips && !options.use_dualstack && n.host_prefix == "sts" &&
      PartitionOf(region) == Partition::kAwsUsGov) {
    fips = false;
  }
  if (fips) host += "-fips";
  host += ".";
  host += region;
  host += ".";
  host += options.use_dualstack ? p.dualstack_suffix : p.dns_suffix;
  return "https://" + host;
}

Result<ResolvedEndpoint> ResolveEndpoint(const Env& env, const AwsConfig& config,
                                         std::string_view profile, std::string_view service_id,
                                         std::string_view region) {
  ServiceNames names = Names(service_id);
  bool ignore = BoolSetting(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", config, profile,
                            "ignore_configured_endpoint_urls")
                    .value_or(false);
  if (!ignore) {
    std::string var = "AWS_ENDPOINT_URL_" + names.env_suffix;
    if (auto v = env.GetNonEmpty(var))
      return Configured(*v, var + " (from " + env.VarOrigin(var) + ")");
    if (auto v = env.GetNonEmpty("AWS_ENDPOINT_URL")) {
      return Configured(*v, "AWS_ENDPOINT_URL (from " + env.VarOrigin("AWS_ENDPOINT_URL") + ")");
    }
    if (const ProfileSection* services = config.ServicesFor(profile)) {
      auto sub = services->sub_properties.find(names.section_key);
      if (sub != services->sub_properties.end()) {
        auto url = sub->second.find("endpoint_url");
        if (url != sub->second.end() && !Trim(url->second).empty()) {
          return Configured(url->second, "[services " + services->name + "] " + names.section_key +
                                             ".endpoint_url in " +
                                             services->Origin(names.section_key) + " (profile " +
                                             std::string(profile) + ")");
        }
      }
    }
    if (const ProfileSection* p = config.Find(profile)) {
      if (auto v = p->Get("endpoint_url"); v && !Trim(*v).empty()) {
        return Configured(*v, "endpoint_url of profile " + std::string(profile) + " in " +
                                  p->Origin("endpoint_url"));
      }
    }
  }
  if (region.empty()) {
    return MakeError(errc::kRegionMissing,
                     "Region error: AWS_REGION is not set, so brock cannot choose the " +
                         std::string(service_id) + " endpoint",
                     kRegionFix);
  }
  if (!IsValidRegionName(region)) {
    return MakeError("region.invalid",
                     "Region error: \"" + std::string(region) +
                         "\" is not a valid AWS region name, so brock "
                         "cannot choose the " +
                         std::string(service_id) + " endpoint",
                     kRegionFix);
  }
  EndpointOptions options = EndpointOptionsFrom(env, config, profile);
  std::string origin = "default for " + std::string(service_id) + " in " + std::string(region);
  if (options.use_fips) origin += " with FIPS";
  if (options.use_dualstack) origin += " with dual-stack";
  return ResolvedEndpoint{DefaultEndpoint(service_id, region, options), std::move(origin)};
}

}  // namespace brock
