#include "aws/endpoint.h"

#include <gtest/gtest.h>

#include "base/strings.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

AwsConfig Config(const char* config_text) {
  auto c = ParseAwsConfig(config_text, "", "/home/user/.aws/config", "/home/user/.aws/credentials");
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
  return c.ok() ? *c : AwsConfig{};
}

TEST(Endpoint, Partitions) {
  EXPECT_EQ(PartitionOf("us-east-1"), Partition::kAws);
  EXPECT_EQ(PartitionOf("us-gov-west-1"), Partition::kAwsUsGov);
  EXPECT_EQ(PartitionOf("cn-northwest-1"), Partition::kAwsCn);
  EXPECT_EQ(PartitionOf("us-iso-east-1"), Partition::kAwsIso);
  EXPECT_EQ(PartitionOf("us-isob-east-1"), Partition::kAwsIsoB);
  EXPECT_EQ(PartitionOf("eu-isoe-west-1"), Partition::kAwsIsoE);
  EXPECT_EQ(PartitionOf("us-isof-south-1"), Partition::kAwsIsoF);
  EXPECT_EQ(PartitionOf("eusc-de-east-1"), Partition::kAwsEusc);
  EXPECT_EQ(PartitionName("us-gov-east-1"), "aws-us-gov");
  EXPECT_EQ(PartitionName("cn-north-1"), "aws-cn");
  EXPECT_EQ(PartitionName("eu-central-2"), "aws");
  EXPECT_EQ(DnsSuffix("cn-north-1"), "amazonaws.com.cn");
  EXPECT_EQ(DnsSuffix("us-gov-west-1"), "amazonaws.com");
  EXPECT_EQ(DnsSuffix("ap-southeast-5"), "amazonaws.com");
  EXPECT_EQ(DualStackDnsSuffix("us-east-1"), "api.aws");
  EXPECT_EQ(DualStackDnsSuffix("cn-north-1"), "api.amazonwebservices.com.cn");
}

// Expected values are botocore's (its endpoint rule sets), see sigv4_botocore_test.cc for the
// live comparison.
TEST(Endpoint, Defaults) {
  EndpointOptions plain, fips{true, false}, dual{false, true}, both{true, true};
  EXPECT_EQ(DefaultEndpoint("bedrock-runtime", "us-east-1", plain),
            "https://bedrock-runtime.us-east-1.amazonaws.com");
  EXPECT_EQ(DefaultEndpoint("bedrock-runtime", "us-east-1", fips),
            "https://bedrock-runtime-fips.us-east-1.amazonaws.com");
  EXPECT_EQ(DefaultEndpoint("bedrock-runtime", "us-east-1", dual),
            "https://bedrock-runtime.us-east-1.api.aws");
  EXPECT_EQ(DefaultEndpoint("bedrock-runtime", "us-east-1", both),
            "https://bedrock-runtime-fips.us-east-1.api.aws");
  EXPECT_EQ(DefaultEndpoint("bedrock-runtime", "us-gov-west-1", fips),
            "https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com");
  EXPECT_EQ(DefaultEndpoint("bedrock-runtime", "cn-north-1", plain),
            "https://bedrock-runtime.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(DefaultEndpoint("bedrock", "eu-central-2", plain),
            "https://bedrock.eu-central-2.amazonaws.com");
  EXPECT_EQ(DefaultEndpoint("sts", "us-east-1", plain), "https://sts.us-east-1.amazonaws.com");
  EXPECT_EQ(DefaultEndpoint("sts", "us-east-1", fips), "https://sts-fips.us-east-1.amazonaws.com");
  EXPECT_EQ(DefaultEndpoint("sts", "us-gov-west-1", fips),
            "https://sts.us-gov-west-1.amazonaws.com");
  EXPECT_EQ(DefaultEndpoint("sts", "us-gov-west-1", both),
            "https://sts-fips.us-gov-west-1.api.aws");
  EXPECT_EQ(DefaultEndpoint("portal.sso", "eu-west-1", plain),
            "https://portal.sso.eu-west-1.amazonaws.com");
  EXPECT_EQ(DefaultEndpoint("sso", "eu-west-1", fips),
            "https://portal.sso-fips.eu-west-1.amazonaws.com");
  EXPECT_EQ(DefaultEndpoint("oidc", "us-east-1", plain), "https://oidc.us-east-1.amazonaws.com");
  EXPECT_EQ(DefaultEndpoint("sso-oidc", "cn-north-1", dual),
            "https://oidc.cn-north-1.api.amazonwebservices.com.cn");
}

TEST(Endpoint, ServiceNames) {
  EXPECT_EQ(EndpointEnvVar("bedrock-runtime"), "AWS_ENDPOINT_URL_BEDROCK_RUNTIME");
  EXPECT_EQ(EndpointEnvVar("bedrock"), "AWS_ENDPOINT_URL_BEDROCK");
  EXPECT_EQ(EndpointEnvVar("sts"), "AWS_ENDPOINT_URL_STS");
  EXPECT_EQ(EndpointEnvVar("portal.sso"), "AWS_ENDPOINT_URL_SSO");
  EXPECT_EQ(EndpointEnvVar("oidc"), "AWS_ENDPOINT_URL_SSO_OIDC");
  EXPECT_EQ(ServicesSectionKey("bedrock-runtime"), "bedrock_runtime");
  EXPECT_EQ(ServicesSectionKey("portal.sso"), "sso");
  EXPECT_EQ(ServicesSectionKey("oidc"), "sso_oidc");
}

const char* kConfig = R"([profile dev]
region = us-west-2
services = local
endpoint_url = http://127.0.0.1:9000/
[profile plain]
region = us-west-2
[profile fips]
use_fips_endpoint = true
use_dualstack_endpoint = True
[profile ignoring]
ignore_configured_endpoint_urls = true
endpoint_url = http://127.0.0.1:9000
[services local]
bedrock_runtime =
  endpoint_url = http://127.0.0.1:8080/prefix/
sts =
  endpoint_url = http://127.0.0.1:8081
)";

TEST(Endpoint, OrderOfConfiguredEndpoints) {
  testing::FakeEnv env;
  AwsConfig cfg = Config(kConfig);

  // 3. services section beats 4. profile endpoint_url.
  auto e = ResolveEndpoint(env, cfg, "dev", "bedrock-runtime", "us-west-2");
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->url, "http://127.0.0.1:8080/prefix");
  EXPECT_EQ(
      e->origin,
      "[services local] bedrock_runtime.endpoint_url in /home/user/.aws/config (profile dev)");
  e = ResolveEndpoint(env, cfg, "dev", "sts", "us-west-2");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->url, "http://127.0.0.1:8081");

  // 4. profile endpoint_url for services the section does not list.
  e = ResolveEndpoint(env, cfg, "dev", "oidc", "us-west-2");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->url, "http://127.0.0.1:9000");
  EXPECT_EQ(e->origin, "endpoint_url of profile dev in /home/user/.aws/config");

  // 2. AWS_ENDPOINT_URL beats the config file.
  env.SetVar("AWS_ENDPOINT_URL", "http://localhost:7000", "/home/user/.claude/settings.json");
  e = ResolveEndpoint(env, cfg, "dev", "bedrock-runtime", "us-west-2");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->url, "http://localhost:7000");
  EXPECT_EQ(e->origin, "AWS_ENDPOINT_URL (from /home/user/.claude/settings.json)");

  // 1. The service-specific variable beats everything.
  env.vars["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = "http://127.0.0.1:6000";
  e = ResolveEndpoint(env, cfg, "dev", "bedrock-runtime", "us-west-2");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->url, "http://127.0.0.1:6000");
  EXPECT_EQ(e->origin, "AWS_ENDPOINT_URL_BEDROCK_RUNTIME (from the shell environment)");
  env.vars["AWS_ENDPOINT_URL_SSO_OIDC"] = "http://127.0.0.1:6001";
  e = ResolveEndpoint(env, cfg, "dev", "oidc", "us-west-2");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->url, "http://127.0.0.1:6001");
  // ... but only for its own service.
  e = ResolveEndpoint(env, cfg, "dev", "sts", "us-west-2");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->url, "http://localhost:7000");

  // AWS_IGNORE_CONFIGURED_ENDPOINT_URLS skips all of them.
  env.vars["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
  e = ResolveEndpoint(env, cfg, "dev", "bedrock-runtime", "us-west-2");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->url, "https://bedrock-runtime.us-west-2.amazonaws.com");
  EXPECT_EQ(e->origin, "default for bedrock-runtime in us-west-2");
}

TEST(Endpoint, IgnoreFlagInProfileAndEnvOverride) {
  testing::FakeEnv env;
  AwsConfig cfg = Config(kConfig);
  auto e = ResolveEndpoint(env, cfg, "ignoring", "bedrock-runtime", "us-east-1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->url, "https://bedrock-runtime.us-east-1.amazonaws.com");
  env.vars["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "false";  // the variable wins over the profile
  e = ResolveEndpoint(env, cfg, "ignoring", "bedrock-runtime", "us-east-1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->url, "http://127.0.0.1:9000");
}

TEST(Endpoint, FipsAndDualStackFromEnvOrProfile) {
  testing::FakeEnv env;
  AwsConfig cfg = Config(kConfig);
  auto e = ResolveEndpoint(env, cfg, "fips", "bedrock-runtime", "us-east-1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->url, "https://bedrock-runtime-fips.us-east-1.api.aws");
  EXPECT_EQ(e->origin, "default for bedrock-runtime in us-east-1 with FIPS with dual-stack");

  e = ResolveEndpoint(env, cfg, "plain", "bedrock-runtime", "us-gov-west-1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->url, "https://bedrock-runtime.us-gov-west-1.amazonaws.com");
  env.vars["AWS_USE_FIPS_ENDPOINT"] = "true";
  e = ResolveEndpoint(env, cfg, "plain", "bedrock-runtime", "us-gov-west-1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->url, "https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com");
  env.vars["AWS_USE_FIPS_ENDPOINT"] = "false";  // the variable wins over the profile
  env.vars["AWS_USE_DUALSTACK_ENDPOINT"] = "false";
  e = ResolveEndpoint(env, cfg, "fips", "sts", "us-east-1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->url, "https://sts.us-east-1.amazonaws.com");
}

TEST(Endpoint, Errors) {
  testing::FakeEnv env;
  AwsConfig cfg = Config(kConfig);
  auto e = ResolveEndpoint(env, cfg, "plain", "bedrock-runtime", "");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, "region.missing");
  EXPECT_TRUE(StartsWith(e.error().message, "Region error: AWS_REGION is not set"));
  e = ResolveEndpoint(env, cfg, "plain", "bedrock-runtime", "us-east-1a");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, "region.invalid");

  // A configured endpoint needs no region.
  env.SetVar("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://127.0.0.1:8080", "/s.json");
  e = ResolveEndpoint(env, cfg, "plain", "bedrock-runtime", "");
  ASSERT_TRUE(e.ok());

  env.SetVar("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "127.0.0.1:8080", "/s.json");
  e = ResolveEndpoint(env, cfg, "plain", "bedrock-runtime", "us-east-1");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, "endpoint.invalid");
  EXPECT_NE(e.error().message.find("AWS_ENDPOINT_URL_BEDROCK_RUNTIME (from /s.json)"),
            std::string::npos);
  env.SetVar("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "ftp://127.0.0.1/", "/s.json");
  EXPECT_FALSE(ResolveEndpoint(env, cfg, "plain", "bedrock-runtime", "us-east-1").ok());
}

}  // namespace
}  // namespace brock
