// ControlPlaneClient and the catalog cache against the emulator's control plane over real
// loopback HTTP: paging, both profile types, application profile ARNs, errors with their fixes,
// and the cache's TTL.
#include "bedrock/control_plane_client.h"

#include <gtest/gtest.h>

#include "bedrock/model_catalog.h"
#include "emulator/emulator.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

class FixedCredentials : public CredentialSource {
 public:
  Result<Credentials> Get(bool) override {
    Credentials c;
    c.access_key_id = kEmulatorAccessKeyId;
    c.secret_access_key = kEmulatorSecretAccessKey;
    c.source = "test";
    return c;
  }
};

class ControlPlaneClientTest : public ::testing::Test {
 protected:
  void Start(EmulatorOptions options = {}) {
    auto emu = Emulator::Start(options);
    ASSERT_TRUE(emu.ok()) << emu.error().ToString();
    emulator = std::move(*emu);
    env.now = Clock::now();
    http = MakeCurlHttpClient();
  }
  std::unique_ptr<ControlPlaneClient> Client(int page_size = 0, std::string region = "us-east-1") {
    ControlPlaneOptions o;
    o.base_url = emulator->endpoint();
    o.region = std::move(region);
    o.auth.kind = BedrockAuthKind::kSigV4;
    o.auth.credentials = &creds;
    o.page_size = page_size;
    return std::make_unique<ControlPlaneClient>(env, *http, o);
  }
  int Count(const std::string& operation) {
    int n = 0;
    for (const auto& r : emulator->requests()) n += r.operation == operation;
    return n;
  }

  testing::FakeEnv env;
  FixedCredentials creds;
  std::unique_ptr<Emulator> emulator;
  std::unique_ptr<HttpClient> http;
};

TEST_F(ControlPlaneClientTest, FollowsEveryPage) {
  Start();
  auto client = Client(/*page_size=*/3);
  auto list = client->ListInferenceProfiles("SYSTEM_DEFINED");
  ASSERT_TRUE(list.ok()) << list.error().ToString();
  EXPECT_EQ(list->size(), 16u);                  // 10 us. and 6 global. profiles
  EXPECT_EQ(Count("ListInferenceProfiles"), 6);  // ceil(16 / 3)
  std::set<std::string> ids;
  for (const auto& p : *list) {
    ids.insert(p.id);
    EXPECT_EQ(p.type, "SYSTEM_DEFINED");
    EXPECT_EQ(p.status, "ACTIVE");
    EXPECT_FALSE(p.model_arns.empty());
  }
  EXPECT_EQ(ids.size(), 16u) << "no profile twice, none skipped";
  auto sonnet = std::find_if(list->begin(), list->end(), [](const InferenceProfileInfo& p) {
    return p.id == "us.anthropic.claude-sonnet-4-6";
  });
  ASSERT_NE(sonnet, list->end());
  EXPECT_EQ(
      sonnet->arn,
      "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-sonnet-4-6");
  EXPECT_EQ(sonnet->model_arns,
            (std::vector<std::string>{
                "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6",
                "arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-sonnet-4-6",
                "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-6"}));
}

TEST_F(ControlPlaneClientTest, ApplicationProfilesAndGetByArn) {
  Start();
  auto client = Client();
  auto apps = client->ListInferenceProfiles("APPLICATION");
  ASSERT_TRUE(apps.ok()) << apps.error().ToString();
  ASSERT_EQ(apps->size(), 1u);
  const std::string arn = (*apps)[0].arn;
  EXPECT_EQ(arn,
            "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/emuteamsonnet");
  auto got = client->GetInferenceProfile(arn);
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->type, "APPLICATION");
  EXPECT_EQ(ResourceIdFromArn(got->model_arns.at(0)), "anthropic.claude-sonnet-4-5-20250929-v1:0");
  auto missing = client->GetInferenceProfile("us.anthropic.claude-nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "aws.ResourceNotFoundException");
  EXPECT_NE(missing.error().fix.find("brock models"), std::string::npos);
}

TEST_F(ControlPlaneClientTest, FoundationModels) {
  Start();
  auto client = Client();
  auto all = client->ListFoundationModels();
  ASSERT_TRUE(all.ok()) << all.error().ToString();
  EXPECT_EQ(all->size(), 10u);
  auto anthropic = client->ListFoundationModels("Anthropic");
  ASSERT_TRUE(anthropic.ok());
  EXPECT_EQ(anthropic->size(), 9u);
  auto one = client->GetFoundationModel("anthropic.claude-haiku-4-5-20251001-v1:0");
  ASSERT_TRUE(one.ok()) << one.error().ToString();
  EXPECT_EQ(one->name, "Claude Haiku 4.5");
  EXPECT_EQ(one->status, "ACTIVE");
  EXPECT_EQ(one->arn,
            "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0");
}

TEST_F(ControlPlaneClientTest, AccessDeniedNamesTheAction) {
  EmulatorOptions o;
  o.denied_actions = {"bedrock:ListInferenceProfiles"};
  Start(o);
  auto r = Client()->ListInferenceProfiles("SYSTEM_DEFINED");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "aws.AccessDeniedException");
  EXPECT_NE(r.error().fix.find("bedrock:ListInferenceProfiles"), std::string::npos);
  EXPECT_NE(r.error().fix.find("brock policy"), std::string::npos);
}

TEST_F(ControlPlaneClientTest, WrongSigningRegionIsRefused) {
  Start();
  auto r = Client(0, "us-west-2")->ListFoundationModels();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "aws.InvalidSignatureException");
}

TEST_F(ControlPlaneClientTest, GovCloudCatalogUsesItsPartition) {
  EmulatorOptions o;
  o.region = "us-gov-west-1";
  Start(o);
  auto list = Client(0, "us-gov-west-1")->ListInferenceProfiles("SYSTEM_DEFINED");
  ASSERT_TRUE(list.ok()) << list.error().ToString();
  ASSERT_FALSE(list->empty());
  for (const auto& p : *list) {
    EXPECT_EQ(p.id.rfind("us-gov.", 0), 0u) << p.id;
    EXPECT_EQ(p.arn.rfind("arn:aws-us-gov:bedrock:us-gov-west-1:", 0), 0u) << p.arn;
    for (const auto& m : p.model_arns) EXPECT_EQ(m.rfind("arn:aws-us-gov:bedrock:us-gov-", 0), 0u);
  }
}

TEST_F(ControlPlaneClientTest, CatalogIsCachedForItsTtl) {
  Start();
  auto client = Client();
  std::string path = CatalogCachePath(env, "us-east-1", emulator->endpoint(), "dev");
  EXPECT_EQ(path.rfind("/home/user/.cache/brock/bedrock-catalog-us-east-1-", 0), 0u) << path;
  auto first = LoadCatalog(env, *client, path);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_FALSE(first->from_cache);
  EXPECT_EQ(first->profiles.size(), 17u);
  EXPECT_EQ(env.modes[path], 0600u);
  int calls = client->requests_sent();
  auto second = LoadCatalog(env, *client, path);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->from_cache);
  EXPECT_EQ(client->requests_sent(), calls);
  EXPECT_EQ(second->profiles.size(), 17u);
  EXPECT_EQ(
      UnderlyingFoundationModel(
          *second,
          "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/emuteamsonnet"),
      "anthropic.claude-sonnet-4-5-20250929-v1:0");
  // Past the TTL the cache is ignored (a short TTL here: the emulator checks the signing time
  // against its own clock); --refresh fetches again; a corrupt file is ignored.
  env.now += std::chrono::seconds(2);
  EXPECT_FALSE(ReadCachedCatalog(env, path, std::chrono::seconds(1)).has_value());
  EXPECT_TRUE(ReadCachedCatalog(env, path).has_value());
  auto third = LoadCatalog(env, *client, path, /*refresh=*/true);
  ASSERT_TRUE(third.ok()) << third.error().ToString();
  EXPECT_FALSE(third->from_cache);
  env.files[path] = "{not json";
  EXPECT_FALSE(ReadCachedCatalog(env, path).has_value());
}

}  // namespace
}  // namespace brock
