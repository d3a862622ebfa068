#include "aws/container_credentials.h"

#include <mutex>

#include <gtest/gtest.h>

#include "base/secrets.h"
#include "testing/fake_env.h"
#include "testing/test_http_server.h"

namespace brock {
namespace {

constexpr char kCredsJson[] =
    R"({"AccessKeyId":"ASIACONT","SecretAccessKey":"cont-secret-123456","Token":"cont-token-123456","Expiration":"2026-01-01T06:00:00Z","AccountId":"444455556666","RoleArn":"arn:aws:iam::444455556666:role/task"})";

// Records requests instead of sending them: for URLs tests must never contact.
class RecordingHttp : public HttpClient {
 public:
  std::vector<HttpRequest> sent;
  Result<HttpResponse> Send(const HttpRequest& request, const BodySink&) override {
    sent.push_back(request);
    HttpResponse r;
    r.status = 200;
    r.body = kCredsJson;
    return r;
  }
};

struct Recorder {
  std::mutex mu;
  std::vector<testing::TestHttpRequest> requests;
};

TEST(ContainerCredentialsTest, NotConfiguredWithoutTheVariables) {
  testing::FakeEnv env;
  RecordingHttp http;
  ContainerCredentialProvider p(env, http);
  auto r = p.Load();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  EXPECT_TRUE(http.sent.empty());
}

TEST(ContainerCredentialsTest, RelativeUriGoesToTheEcsAddress) {
  testing::FakeEnv env;
  env.vars["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/abc-123";
  env.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:1/ignored";
  RecordingHttp http;  // never sends anything
  ContainerCredentialProvider p(env, http);
  auto r = p.Load();
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(http.sent.size(), 1u);
  EXPECT_EQ(http.sent[0].url, "http://169.254.170.2/v2/credentials/abc-123");
  EXPECT_EQ(http.sent[0].method, "GET");
  EXPECT_LE(http.sent[0].connect_timeout.count(), 2000);
  EXPECT_EQ((*r)->access_key_id, "ASIACONT");
  EXPECT_EQ((*r)->session_token, "cont-token-123456");
  EXPECT_EQ((*r)->account_id, "444455556666");
  EXPECT_EQ(*(*r)->expiration, env.now + std::chrono::hours(6));
}

TEST(ContainerCredentialsTest, FullUriOnLoopbackWithTokenFile) {
  Recorder rec;
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest& r, testing::TestHttpConnection& c) {
        {
          std::lock_guard<std::mutex> lock(rec.mu);
          rec.requests.push_back(r);
        }
        if (FindHeader(r.headers, "Authorization") != "pod-identity-token-xyz") {
          c.Respond(401, {}, R"({"code":"InvalidToken","message":"bad token"})");
          return;
        }
        c.Respond(200, {{"Content-Type", "application/json"}}, kCredsJson);
      });
  testing::FakeEnv env;
  env.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.Url("/v1/credentials");
  env.files["/var/run/token"] = "pod-identity-token-xyz\n";
  env.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = "/var/run/token";
  env.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "loses-to-the-file";
  auto http = MakeCurlHttpClient();
  ContainerCredentialProvider p(env, *http);
  auto r = p.Load();
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ((*r)->secret_access_key, "cont-secret-123456");
  ASSERT_EQ(rec.requests.size(), 1u);
  EXPECT_EQ(rec.requests[0].target, "/v1/credentials");
  EXPECT_EQ(ScrubSecrets("pod-identity-token-xyz"), "[REDACTED]");

  env.vars.erase("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  auto refused = p.Load();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "container.failed");
  EXPECT_EQ(refused.error().http_status, 401);
  EXPECT_NE(refused.error().message.find("bad token"), std::string::npos);
  EXPECT_EQ(rec.requests.size(), 2u);  // 4xx is not retried
}

TEST(ContainerCredentialsTest, ServerErrorsAreRetriedThreeTimes) {
  std::atomic<int> hits{0};
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest&, testing::TestHttpConnection& c) {
        ++hits;
        c.Respond(503, {}, "busy");
      });
  testing::FakeEnv env;
  env.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.Url("/creds");
  auto http = MakeCurlHttpClient();
  ContainerCredentialProvider p(env, *http);
  auto r = p.Load();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "container.failed");
  EXPECT_EQ(hits.load(), 3);
  EXPECT_EQ(env.slept, std::chrono::seconds(2));
}

TEST(ContainerCredentialsTest, DisallowedHostIsRefusedWithoutARequest) {
  testing::FakeEnv env;
  env.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://192.0.2.10/creds";
  RecordingHttp http;
  ContainerCredentialProvider p(env, http);
  auto r = p.Load();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "container.host_not_allowed");
  EXPECT_NE(r.error().message.find("http://192.0.2.10/creds"), std::string::npos);
  EXPECT_TRUE(http.sent.empty());
}

TEST(ContainerCredentialsTest, AllowedUrls) {
  for (const char* ok :
       {"http://127.0.0.1:8080/x", "http://127.1.2.3/x", "http://localhost/x", "http://[::1]:9/x",
        "http://169.254.170.2/x", "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/v1", "https://creds.example.com/x"}) {
    EXPECT_TRUE(ContainerUrlAllowed(ok)) << ok;
  }
  for (const char* bad : {"http://169.254.169.254/x", "http://10.0.0.1/x", "http://example.com/x",
                          "http://128.0.0.1/x", "ftp://127.0.0.1/x", "not a url"}) {
    EXPECT_FALSE(ContainerUrlAllowed(bad)) << bad;
  }
}

TEST(ContainerCredentialsTest, TokenWithLineBreakIsRefused) {
  testing::FakeEnv env;
  env.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:1/creds";
  env.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "abc\r\nX-Injected: yes";
  RecordingHttp http;
  ContainerCredentialProvider p(env, http);
  auto r = p.Load();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "container.bad_token");
  EXPECT_TRUE(http.sent.empty());
}

}  // namespace
}  // namespace brock
