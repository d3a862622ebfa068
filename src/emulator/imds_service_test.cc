// The emulator's IMDSv2 and container credentials endpoints against brock's own providers over
// real loopback HTTP, plus their refusals checked on raw requests.
#include "emulator/imds_service.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "aws/container_credentials.h"
#include "aws/imds_credentials.h"
#include "aws/sigv4.h"
#include "emulator/container_service.h"
#include "emulator/emulator.h"
#include "testing/fake_env.h"
#include "testing/loopback_client.h"

namespace brock {
namespace {

class MetadataServicesTest : public ::testing::Test {
 protected:
  void Start(EmulatorOptions options = {}) {
    auto emu = Emulator::Start(options);
    ASSERT_TRUE(emu.ok()) << emu.error().ToString();
    emulator = std::move(*emu);
    env.now = Clock::now();
    http = MakeCurlHttpClient();
  }
  testing::LoopbackResponse Raw(const std::string& method, const std::string& path,
                                HttpHeaders headers = {}) {
    HttpRequest r;
    r.method = method;
    r.url = emulator->endpoint() + path;
    r.headers = std::move(headers);
    auto resp = testing::SendLoopbackRequest(emulator->port(), r);
    EXPECT_TRUE(resp.ok());
    return resp.ok() ? *resp : testing::LoopbackResponse{};
  }
  int InvokeWith(const Credentials& creds) {
    HttpRequest r;
    r.method = "POST";
    r.url = emulator->endpoint() + "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke";
    r.headers = {{"Content-Type", "application/json"}};
    r.body =
        R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"hi"}]})";
    SigV4Params p;
    p.region = "us-east-1";
    p.service = "bedrock";
    p.time = Clock::now();
    SignRequest(r, creds, p);
    auto resp = testing::SendLoopbackRequest(emulator->port(), r);
    return resp.ok() ? resp->status : -1;
  }

  testing::FakeEnv env;
  std::unique_ptr<HttpClient> http;
  std::unique_ptr<Emulator> emulator;
};

TEST_F(MetadataServicesTest, ImdsV2HandsOutCredentialsTheRuntimeAccepts) {
  Start();
  env.vars["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = emulator->endpoint();
  ImdsCredentialProvider provider(env, *http);
  auto creds = provider.Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  ASSERT_TRUE(creds->has_value());
  const Credentials& c = **creds;
  EXPECT_EQ(c.access_key_id.rfind("ASIA", 0), 0u);
  ASSERT_TRUE(c.expiration);
  EXPECT_GT(*c.expiration - Clock::now(), std::chrono::minutes(59));
  EXPECT_EQ(InvokeWith(c), 200);

  // The same credentials while they are fresh.
  auto again = provider.Load();
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->access_key_id, c.access_key_id);

  std::vector<std::string> ops;
  for (const auto& r : emulator->requests()) ops.push_back(r.operation);
  ASSERT_GE(ops.size(), 3u);
  EXPECT_EQ(ops[0], "ImdsGetToken");
  EXPECT_EQ(ops[1], "ImdsListRoles");
  EXPECT_EQ(ops[2], "ImdsGetCredentials");
  for (const auto& r : emulator->requests()) {
    std::string token = FindHeader(r.headers, "X-aws-ec2-metadata-token");
    if (!token.empty()) {
      EXPECT_EQ(token, "[REDACTED]");
    }
  }
}

TEST_F(MetadataServicesTest, ImdsRefusesRequestsWithoutAValidToken) {
  EmulatorOptions o;
  o.imds_role_name = "web-role";
  Start(o);
  EXPECT_EQ(Raw("PUT", "/latest/api/token").status, 400) << "the TTL header is required";
  EXPECT_EQ(
      Raw("PUT", "/latest/api/token", {{"X-aws-ec2-metadata-token-ttl-seconds", "99999"}}).status,
      400);
  EXPECT_EQ(Raw("GET", "/latest/meta-data/iam/security-credentials/").status, 401);
  EXPECT_EQ(Raw("GET", "/latest/meta-data/iam/security-credentials/",
                {{"X-aws-ec2-metadata-token", "made-up-token"}})
                .status,
            401);

  testing::LoopbackResponse token =
      Raw("PUT", "/latest/api/token", {{"X-aws-ec2-metadata-token-ttl-seconds", "60"}});
  ASSERT_EQ(token.status, 200);
  EXPECT_EQ(FindHeader(token.headers, "X-aws-ec2-metadata-token-ttl-seconds"), "60");
  HttpHeaders with = {{"X-aws-ec2-metadata-token", token.body}};
  testing::LoopbackResponse list = Raw("GET", "/latest/meta-data/iam/security-credentials/", with);
  EXPECT_EQ(list.status, 200);
  EXPECT_EQ(list.body, "web-role");
  EXPECT_EQ(Raw("GET", "/latest/meta-data/iam/security-credentials/other-role", with).status, 404);
  testing::LoopbackResponse creds =
      Raw("GET", "/latest/meta-data/iam/security-credentials/web-role", with);
  ASSERT_EQ(creds.status, 200);
  nlohmann::json j = nlohmann::json::parse(creds.body);
  EXPECT_EQ(j["Code"], "Success");
  EXPECT_EQ(j["Type"], "AWS-HMAC");
  for (const char* key : {"AccessKeyId", "SecretAccessKey", "Token", "Expiration", "LastUpdated"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
}

TEST_F(MetadataServicesTest, ContainerEndpointChecksTheAuthorizationToken) {
  EmulatorOptions o;
  o.container_token = "container-auth-token-0001";
  o.issued_credentials_seconds = 900;
  Start(o);
  env.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = emulator->endpoint() + "/container-credentials";
  env.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "container-auth-token-0001";
  ContainerCredentialProvider provider(env, *http);
  auto creds = provider.Load();
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  ASSERT_TRUE(creds->has_value());
  ASSERT_TRUE((*creds)->expiration);
  EXPECT_LE(*(*creds)->expiration - Clock::now(), std::chrono::seconds(900));
  EXPECT_EQ(InvokeWith(**creds), 200);
  auto reqs = emulator->requests();
  ASSERT_GE(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].operation, "ContainerCredentials");
  EXPECT_EQ(FindHeader(reqs[0].headers, "Authorization"), "[REDACTED]");

  env.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "wrong-token";
  auto refused = ContainerCredentialProvider(env, *http).Load();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message.find("wrong-token"), std::string::npos);

  testing::LoopbackResponse raw = Raw("GET", "/container-credentials");
  EXPECT_EQ(raw.status, 401);
  testing::LoopbackResponse good =
      Raw("GET", "/container-credentials", {{"Authorization", "container-auth-token-0001"}});
  ASSERT_EQ(good.status, 200);
  nlohmann::json j = nlohmann::json::parse(good.body);
  EXPECT_EQ(j["RoleArn"], "arn:aws:iam::111122223333:role/emulator-task-role");
  EXPECT_EQ(j["AccessKeyId"], (*creds)->access_key_id) << "the same credentials while fresh";
}

}  // namespace
}  // namespace brock
