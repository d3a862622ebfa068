#include "aws/sts_client.h"

#include <gtest/gtest.h>

#include "base/secrets.h"
#include "testing/emulated_aws.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

AssumeRoleRequest Req(std::string arn) {
  AssumeRoleRequest r;
  r.role_arn = std::move(arn);
  r.role_session_name = "session";
  return r;
}

class StsClientTest : public ::testing::Test {
 protected:
  StsClientTest() : sts_(env_), http_(MakeCurlHttpClient()) {
    sts_.AddKey("AKIDBASE", "base-secret-0123456789");
    base_.access_key_id = "AKIDBASE";
    base_.secret_access_key = "base-secret-0123456789";
  }
  StsClient Client(std::string region = "us-west-2") {
    return StsClient(env_, *http_, StsEndpoint{sts_.url(), region, "test"});
  }

  testing::FakeEnv env_;
  testing::EmulatedAws sts_;
  std::unique_ptr<HttpClient> http_;
  Credentials base_;
};

TEST_F(StsClientTest, AssumeRoleIsASignedQueryProtocolPost) {
  AssumeRoleRequest r;
  r.role_arn = "arn:aws:iam::123456789012:role/Dev Ops";
  r.role_session_name = "me@example";
  r.external_id = "ext-42";
  r.duration_seconds = 1800;
  auto creds = Client().AssumeRole(base_, r);
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();

  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  const testing::StsCall& call = calls[0];
  EXPECT_EQ(call.raw.method, "POST");
  EXPECT_EQ(call.raw.target, "/");
  EXPECT_EQ(FindHeader(call.raw.headers, "Content-Type"),
            "application/x-www-form-urlencoded; charset=utf-8");
  // Exact wire form: Action and Version first, values percent-encoded.
  EXPECT_EQ(call.raw.body,
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%"
            "2FDev%20Ops"
            "&RoleSessionName=me%40example&DurationSeconds=1800&ExternalId=ext-42");
  EXPECT_TRUE(call.signed_request);
  EXPECT_EQ(call.verify_error, "");
  EXPECT_EQ(call.signer_key_id, "AKIDBASE");
  EXPECT_NE(FindHeader(call.raw.headers, "Authorization").find("/us-west-2/sts/aws4_request"),
            std::string::npos);

  const IssuedCredential issued = testing::EmulatedAws::Issued(1);
  EXPECT_EQ(creds->access_key_id, issued.access_key_id);
  EXPECT_EQ(creds->secret_access_key, sts_.SecretFor(issued.access_key_id));
  EXPECT_EQ(creds->session_token, issued.session_token);
  EXPECT_EQ(creds->account_id, "123456789012");
  ASSERT_TRUE(creds->expiration.has_value());
  EXPECT_EQ(*creds->expiration, env_.now + std::chrono::hours(1));
  // Secrets are registered as soon as they are parsed.
  EXPECT_EQ(ScrubSecrets(creds->secret_access_key + " " + creds->session_token),
            "[REDACTED] [REDACTED]");
}

TEST_F(StsClientTest, MfaSerialAndCodeAreSent) {
  AssumeRoleRequest r;
  r.role_arn = "arn:aws:iam::123456789012:role/Admin";
  r.role_session_name = "session";
  r.serial_number = "arn:aws:iam::111122223333:mfa/me";
  r.token_code = "123456";
  ASSERT_TRUE(Client().AssumeRole(base_, r).ok());
  auto p = sts_.calls()[0].params;
  EXPECT_EQ(p["SerialNumber"], "arn:aws:iam::111122223333:mfa/me");
  EXPECT_EQ(p["TokenCode"], "123456");
  EXPECT_EQ(p.count("ExternalId"), 0u);
  EXPECT_EQ(p.count("DurationSeconds"), 0u);
}

TEST_F(StsClientTest, SessionTokenOfTheSourceIsSent) {
  auto first = Client().AssumeRole(base_, Req("arn:aws:iam::111111111111:role/A"));
  ASSERT_TRUE(first.ok());
  auto second = Client().AssumeRole(*first, Req("arn:aws:iam::111111111111:role/B"));
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].signer_key_id, first->access_key_id);
  EXPECT_EQ(FindHeader(calls[1].raw.headers, "X-Amz-Security-Token"), first->session_token);
}

TEST_F(StsClientTest, AccessDeniedBecomesStsAccessDenied) {
  sts_.DenyRole("arn:aws:iam::123456789012:role/denied");
  auto r = Client().AssumeRole(base_, Req("arn:aws:iam::123456789012:role/denied"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "sts.access_denied");
  EXPECT_EQ(r.error().http_status, 403);
  EXPECT_NE(r.error().message.find("AccessDenied: User: " + testing::EmulatedAws::CallerArn() +
                                   " is not authorized"),
            std::string::npos)
      << r.error().message;
  EXPECT_FALSE(r.error().fix.empty());
}

TEST_F(StsClientTest, WrongSecretIsInvalidCredentials) {
  Credentials bad = base_;
  bad.secret_access_key = "not-the-right-secret";
  auto r = Client().AssumeRole(bad, Req("arn:aws:iam::111111111111:role/A"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "sts.invalid_credentials");
}

TEST_F(StsClientTest, ThrottlingIsRetried) {
  sts_.ForceResponse(400,
                     "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate "
                     "exceeded</Message></Error></ErrorResponse>");
  auto r = Client().AssumeRole(base_, Req("arn:aws:iam::111111111111:role/A"));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(sts_.calls().size(), 2u);
  EXPECT_GT(env_.slept.count(), 0);
}

TEST_F(StsClientTest, ExpiredTokenIsNotRetried) {
  sts_.ForceResponse(400,
                     "<ErrorResponse><Error><Code>ExpiredToken</Code><Message>The security token "
                     "included in the request is expired</Message></Error></ErrorResponse>");
  auto r = Client().AssumeRole(base_, Req("arn:aws:iam::111111111111:role/A"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "sts.expired_token");
  EXPECT_EQ(sts_.calls().size(), 1u);
}

TEST_F(StsClientTest, GarbageSuccessBodyIsBadResponse) {
  sts_.ForceResponse(200, "<html>captive portal</html>");
  auto r = Client().AssumeRole(base_, Req("arn:aws:iam::111111111111:role/A"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "sts.bad_response");
}

TEST_F(StsClientTest, WebIdentityCallIsUnsigned) {
  AssumeRoleWithWebIdentityRequest r;
  r.role_arn = "arn:aws:iam::123456789012:role/ci";
  r.role_session_name = "gha";
  r.web_identity_token = "eyJhbGciOi.jwt-token-body.sig";
  auto creds = Client().AssumeRoleWithWebIdentity(r);
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  auto call = sts_.calls().at(0);
  EXPECT_FALSE(call.signed_request);
  EXPECT_EQ(call.action, "AssumeRoleWithWebIdentity");
  EXPECT_EQ(call.params["WebIdentityToken"], "eyJhbGciOi.jwt-token-body.sig");
  EXPECT_EQ(call.params["RoleSessionName"], "gha");
  EXPECT_EQ(ScrubSecrets("eyJhbGciOi.jwt-token-body.sig"), "[REDACTED]");
}

TEST_F(StsClientTest, GetCallerIdentity) {
  auto id = Client().GetCallerIdentity(base_);
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  EXPECT_EQ(id->arn, testing::EmulatedAws::CallerArn());
  EXPECT_EQ(id->account, "111122223333");
  EXPECT_EQ(sts_.calls().at(0).raw.body, "Action=GetCallerIdentity&Version=2011-06-15");
}

TEST_F(StsClientTest, UnreachableEndpoint) {
  testing::TestHttpServer* dead = new testing::TestHttpServer(
      [](const testing::TestHttpRequest&, testing::TestHttpConnection&) {});
  std::string url = dead->Url("");
  delete dead;
  StsClient client(env_, *http_, StsEndpoint{url, "us-east-1", "test"});
  auto r = client.GetCallerIdentity(base_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "sts.unreachable");
}

TEST(StsEndpointTest, RegionalDefaultConfiguredOverrideAndNoRegion) {
  testing::FakeEnv env;
  auto config = ParseAwsConfig("[profile p]\nregion = eu-west-1\n", "");
  ASSERT_TRUE(config.ok());
  auto e = ResolveStsEndpoint(env, *config, "p");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->url, "https://sts.eu-west-1.amazonaws.com");
  EXPECT_EQ(e->region, "eu-west-1");

  auto none = ResolveStsEndpoint(env, *config, "other");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->region, "us-east-1");

  env.vars["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:9";
  env.vars["AWS_REGION"] = "ap-south-1";
  auto configured = ResolveStsEndpoint(env, *config, "p");
  ASSERT_TRUE(configured.ok());
  EXPECT_EQ(configured->url, "http://127.0.0.1:9");
  EXPECT_EQ(configured->region, "ap-south-1");

  env.vars["AWS_REGION"] = "US-EAST-1";
  EXPECT_EQ(ResolveStsEndpoint(env, *config, "p").error().code, "region.invalid");
}

TEST(StsHelpersTest, AccountFromArnAndFormEncode) {
  EXPECT_EQ(AccountFromArn("arn:aws:sts::123456789012:assumed-role/x/y"), "123456789012");
  EXPECT_EQ(AccountFromArn("not an arn"), "");
  EXPECT_EQ(FormEncode({{"a b", "c/d=e&f"}, {"x", ""}}), "a%20b=c%2Fd%3De%26f&x=");
}

}  // namespace
}  // namespace brock

namespace brock {
namespace {

TEST_F(StsClientTest, ErrorsNestedInErrorsAreUnderstood) {
  // moto answers <ErrorResponse><Errors><Error>.
  sts_.ForceResponse(
      403,
      "<?xml version=\"1.0\"?><ErrorResponse><Errors><Error><Code>AccessDenied</Code>"
      "<Message>User: x is not authorized</Message></Error></Errors></ErrorResponse>");
  auto r = Client().AssumeRole(base_, Req("arn:aws:iam::111111111111:role/A"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "sts.access_denied");
  EXPECT_NE(r.error().message.find("AccessDenied: User: x is not authorized"), std::string::npos)
      << r.error().message;
}

}  // namespace
}  // namespace brock
