#include "aws/imds_credentials.h"

#include <mutex>

#include <gtest/gtest.h>

#include "testing/emulated_aws.h"
#include "testing/fake_env.h"
#include "testing/test_http_server.h"

namespace brock {
namespace {

constexpr char kRolePath[] = "/latest/meta-data/iam/security-credentials/";
constexpr char kCreds[] =
    R"({"Code":"Success","LastUpdated":"2026-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAEC2","SecretAccessKey":"ec2-secret-abcdef","Token":"ec2-token-abcdef","Expiration":"2026-01-01T06:00:00Z"})";

// A scripted IMDS for the failure modes: `token_status` answers the token PUT; GETs require the
// token when it was issued.
class FakeImds {
 public:
  int token_status = 200;
  bool has_role = true;
  std::mutex mu;
  std::vector<testing::TestHttpRequest> requests;
  testing::TestHttpServer server{
      [this](const testing::TestHttpRequest& r, testing::TestHttpConnection& c) { Handle(r, c); }};

 private:
  void Handle(const testing::TestHttpRequest& r, testing::TestHttpConnection& c) {
    {
      std::lock_guard<std::mutex> lock(mu);
      requests.push_back(r);
    }
    if (r.method == "PUT" && r.target == "/latest/api/token") {
      if (token_status != 200) return (void)c.Respond(token_status, {}, "");
      if (FindHeader(r.headers, "X-aws-ec2-metadata-token-ttl-seconds") != "21600") {
        return (void)c.Respond(400, {}, "missing ttl");
      }
      return (void)c.Respond(200, {}, "imds-session-token-1234");
    }
    if (token_status == 200 &&
        FindHeader(r.headers, "X-aws-ec2-metadata-token") != "imds-session-token-1234") {
      return (void)c.Respond(401, {}, "");
    }
    if (r.target == kRolePath)
      return (void)c.Respond(has_role ? 200 : 404, {}, has_role ? "web-role" : "");
    if (r.target == std::string(kRolePath) + "web-role") return (void)c.Respond(200, {}, kCreds);
    c.Respond(404, {}, "");
  }
};

class ImdsTest : public ::testing::Test {
 protected:
  ImdsTest() : http_(MakeCurlHttpClient()) {
    env_.vars["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds_.server.Url("/");
  }
  Result<std::optional<Credentials>> Load() {
    ImdsCredentialProvider p(env_, *http_);
    return p.Load();
  }
  testing::FakeEnv env_;
  FakeImds imds_;
  std::unique_ptr<HttpClient> http_;
};

// Against the emulator's IMDS (IMDSv2 only), in process.
TEST(ImdsEmulatedTest, V2TokenThenRoleThenCredentials) {
  testing::FakeEnv env;
  testing::EmulatedAws aws(env);
  env.vars["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = aws.url() + "/";
  std::unique_ptr<HttpClient> http = MakeCurlHttpClient();
  ImdsCredentialProvider p(env, *http);
  auto r = p.Load();
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_TRUE(r->has_value());
  const IssuedCredential issued = testing::EmulatedAws::Issued(1);
  EXPECT_EQ((*r)->access_key_id, issued.access_key_id);
  EXPECT_EQ((*r)->session_token, issued.session_token);
  EXPECT_EQ(*(*r)->expiration, env.now + std::chrono::hours(1));
  EXPECT_NE((*r)->source.find("role " + testing::EmulatedAws::ImdsRole()), std::string::npos);
  std::vector<testing::TestHttpRequest> requests = aws.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[1].target, kRolePath);
  EXPECT_EQ(requests[2].target, std::string(kRolePath) + testing::EmulatedAws::ImdsRole());
}

// The failure modes below (IMDSv1 fallback, no role, refused token) are ones the emulator's
// IMDSv2-only service does not offer: a scripted server plays them.
TEST_F(ImdsTest, FallsBackToV1WhenTheTokenIsRefused) {
  imds_.token_status = 403;
  auto r = Load();
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ(FindHeader(imds_.requests.back().headers, "X-aws-ec2-metadata-token"), "");

  env_.vars["AWS_EC2_METADATA_V1_DISABLED"] = "true";
  auto refused = Load();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "imds.v1_disabled");
}

TEST_F(ImdsTest, NoRoleMeansNotConfigured) {
  imds_.has_role = false;
  auto r = Load();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST_F(ImdsTest, DisabledMakesNoRequest) {
  env_.vars["AWS_EC2_METADATA_DISABLED"] = "TRUE";
  auto r = Load();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  EXPECT_EQ(imds_.server.connections(), 0);
}

TEST_F(ImdsTest, UnreachableIsNotConfiguredAndQuick) {
  std::string dead_url;
  {
    testing::TestHttpServer dead(
        [](const testing::TestHttpRequest&, testing::TestHttpConnection&) {});
    dead_url = dead.Url("");
  }
  env_.vars["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = dead_url;
  auto start = std::chrono::steady_clock::now();
  auto r = Load();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST_F(ImdsTest, StalledServiceTimesOutAfterAboutASecond) {
  testing::TestHttpServer stall(
      [](const testing::TestHttpRequest&, testing::TestHttpConnection& c) {
        c.Sleep(std::chrono::seconds(10));
      });
  env_.vars["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = stall.Url("");
  auto start = std::chrono::steady_clock::now();
  auto r = Load();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST_F(ImdsTest, BadTokenRequestIsAnError) {
  imds_.token_status = 400;
  auto r = Load();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "imds.bad_request");
}

TEST(ImdsEndpointTest, DefaultsModesAndOverrides) {
  testing::FakeEnv env;
  EXPECT_EQ(ImdsEndpoint(env, {}), "http://169.254.169.254");
  env.vars["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"] = "IPv6";
  EXPECT_EQ(ImdsEndpoint(env, {}), "http://[fd00:ec2::254]");
  ImdsOptions o;
  o.config_endpoint = "http://127.0.0.1:1234/";
  EXPECT_EQ(ImdsEndpoint(env, o), "http://127.0.0.1:1234");
  env.vars["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://127.0.0.2:99";
  EXPECT_EQ(ImdsEndpoint(env, o), "http://127.0.0.2:99");
}

}  // namespace
}  // namespace brock
