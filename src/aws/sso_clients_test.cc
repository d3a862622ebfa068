// SsoOidcClient and SsoPortalClient against the emulator's IAM Identity Center service
// (testing/emulated_aws.h) over a real loopback socket with the libcurl client: what goes on the
// wire and how answers and errors are read.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "aws/sso_oidc_client.h"
#include "aws/sso_portal_client.h"
#include "base/secrets.h"
#include "testing/emulated_aws.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

int64_t EpochSeconds(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

class SsoClientsWire : public ::testing::Test {
 protected:
  SsoClientsWire() : aws(env), http(MakeCurlHttpClient()) {}

  testing::TestHttpRequest Last() const { return aws.requests().back(); }

  testing::FakeEnv env;
  testing::EmulatedAws aws;
  std::unique_ptr<HttpClient> http;
};

TEST_F(SsoClientsWire, RegisterStartAndBothGrants) {
  SsoOidcClient oidc(*http, aws.url() + "/");

  auto reg = oidc.RegisterClient("brock", "public", {"sso:account:access"});
  ASSERT_TRUE(reg.ok()) << reg.error().ToString();
  EXPECT_FALSE(reg->client_id.empty());
  EXPECT_FALSE(reg->client_secret.empty());
  EXPECT_EQ(reg->client_id_issued_at, EpochSeconds(env.now));
  EXPECT_EQ(reg->client_secret_expires_at,
            EpochSeconds(env.now + SsoServiceOptions{}.registration_lifetime));
  testing::TestHttpRequest r = Last();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/client/register");
  EXPECT_EQ(FindHeader(r.headers, "Content-Type"), "application/json");
  EXPECT_EQ(FindHeader(r.headers, "Authorization"), "");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body, (nlohmann::json{{"clientName", "brock"},
                                  {"clientType", "public"},
                                  {"scopes", {"sso:account:access"}}}));

  auto auth = oidc.StartDeviceAuthorization(reg->client_id, reg->client_secret,
                                            "https://x.awsapps.com/start");
  ASSERT_TRUE(auth.ok()) << auth.error().ToString();
  ASSERT_EQ(auth->user_code.size(), 9u) << auth->user_code;  // "ABCD-EF01"
  EXPECT_EQ(auth->user_code[4], '-');
  EXPECT_EQ(auth->interval, 1);
  EXPECT_EQ(auth->expires_in, 600);
  EXPECT_EQ(auth->verification_uri, aws.url() + "/device");
  EXPECT_EQ(auth->verification_uri_complete, aws.url() + "/device?user_code=" + auth->user_code);
  EXPECT_FALSE(auth->device_code.empty());
  r = Last();
  EXPECT_EQ(r.target, "/device_authorization");
  body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["startUrl"], "https://x.awsapps.com/start");
  EXPECT_EQ(body["clientId"], reg->client_id);
  EXPECT_EQ(body["clientSecret"], reg->client_secret);

  // The emulator approves on the third poll (approve_after_polls = 2).
  auto pending =
      oidc.CreateTokenWithDeviceCode(reg->client_id, reg->client_secret, auth->device_code);
  ASSERT_FALSE(pending.ok());
  EXPECT_TRUE(IsOidcError(pending.error(), "AuthorizationPendingException"))
      << pending.error().code;
  r = Last();
  EXPECT_EQ(r.target, "/token");
  body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["grantType"], "urn:ietf:params:oauth:grant-type:device_code");
  EXPECT_EQ(body["deviceCode"], auth->device_code);
  EXPECT_EQ(body["clientId"], reg->client_id);
  EXPECT_EQ(body["clientSecret"], reg->client_secret);
  ASSERT_FALSE(
      oidc.CreateTokenWithDeviceCode(reg->client_id, reg->client_secret, auth->device_code).ok());
  auto issued =
      oidc.CreateTokenWithDeviceCode(reg->client_id, reg->client_secret, auth->device_code);
  ASSERT_TRUE(issued.ok()) << issued.error().ToString();
  EXPECT_EQ(issued->token_type, "Bearer");
  EXPECT_EQ(issued->expires_in, 8 * 3600);
  ASSERT_FALSE(issued->refresh_token.empty());  // registered with scopes
  EXPECT_EQ(aws.sso().calls("CreateToken:device_code"), 3);

  aws.sso().SetAccessTokenLifetime(std::chrono::seconds(3600));
  auto refreshed =
      oidc.CreateTokenWithRefreshToken(reg->client_id, reg->client_secret, issued->refresh_token);
  ASSERT_TRUE(refreshed.ok()) << refreshed.error().ToString();
  EXPECT_FALSE(refreshed->access_token.empty());
  EXPECT_NE(refreshed->access_token, issued->access_token);
  EXPECT_FALSE(refreshed->refresh_token.empty());
  EXPECT_NE(refreshed->refresh_token, issued->refresh_token);  // rotated
  EXPECT_EQ(refreshed->expires_in, 3600);
  body = nlohmann::json::parse(Last().body);
  EXPECT_EQ(body["grantType"], "refresh_token");
  EXPECT_EQ(body["refreshToken"], issued->refresh_token);
  EXPECT_EQ(aws.sso().calls("CreateToken:refresh_token"), 1);
  // The secrets seen are registered.
  EXPECT_EQ(ScrubSecrets(refreshed->refresh_token + " " + reg->client_secret),
            "[REDACTED] [REDACTED]");
}

TEST_F(SsoClientsWire, OidcErrorsFromTheService) {
  SsoOidcClient oidc(*http, aws.url());
  // A refresh token the service never issued: 400 InvalidGrantException, not retryable.
  aws.sso().AddRefreshToken("known-refresh-token-1", "client-1", "client-secret-1");
  aws.sso().RevokeRefreshTokens();
  auto dead =
      oidc.CreateTokenWithRefreshToken("client-1", "client-secret-1", "known-refresh-token-1");
  ASSERT_FALSE(dead.ok());
  EXPECT_TRUE(IsOidcError(dead.error(), "InvalidGrantException")) << dead.error().code;
  EXPECT_FALSE(dead.error().retryable);
  EXPECT_EQ(dead.error().http_status, 400);
  // A server-side failure is retryable.
  aws.sso().FailNext("RegisterClient", 1, 500, "InternalServerException");
  auto busy = oidc.RegisterClient("brock", "public", {});
  ASSERT_FALSE(busy.ok());
  EXPECT_TRUE(busy.error().retryable);
}

// Wire forms the emulator never produces (it always sends x-amzn-ErrorType with a plain type and
// a JSON body, and always a token on success), so these answers are scripted with
// ForceResponse.
TEST_F(SsoClientsWire, ErrorsWithoutTheHeaderAreReadFromTheOAuthBody) {
  SsoOidcClient oidc(*http, aws.url());
  aws.ForceResponse(
      400, R"({"error":"invalid_grant","error_description":"Invalid refresh token provided"})", {});
  auto dead = oidc.CreateTokenWithRefreshToken("c", "s", "r");
  ASSERT_FALSE(dead.ok());
  EXPECT_TRUE(IsOidcError(dead.error(), "InvalidGrantException")) << dead.error().code;
  EXPECT_FALSE(dead.error().retryable);
  aws.ForceResponse(503, "<html>busy</html>", {});
  auto busy = oidc.RegisterClient("brock", "public", {});
  ASSERT_FALSE(busy.ok());
  EXPECT_TRUE(busy.error().retryable);
  // AWS may append ":<uri>" to the error type.
  aws.ForceResponse(400, R"({"error":"authorization_pending","error_description":"not yet"})",
                    {{"x-amzn-ErrorType", "AuthorizationPendingException:http://internal"}});
  auto pending = oidc.CreateTokenWithDeviceCode("c", "s", "d");
  ASSERT_FALSE(pending.ok());
  EXPECT_TRUE(IsOidcError(pending.error(), "AuthorizationPendingException"))
      << pending.error().code;
}

TEST_F(SsoClientsWire, SuccessWithoutTokenIsBadResponse) {
  SsoOidcClient oidc(*http, aws.url());
  aws.ForceResponse(200, R"({"tokenType":"Bearer"})", {});  // scripted: see above
  auto t = oidc.CreateTokenWithRefreshToken("c", "s", "r");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, "sso.bad_response");
}

TEST_F(SsoClientsWire, GetRoleCredentialsAndPagedLists) {
  SsoServiceOptions options = testing::EmulatedAws::DefaultSsoOptions();
  options.access_key_id = "ASIAWIRE";
  options.secret_access_key = "wire-secret-key-1";
  options.session_token = "wire-session-token-1";
  // 102 accounts: more than one page (the service's default page is 100).
  options.account_roles = {{"111122223333", {"Bedrock User", "Admin"}}};
  for (int64_t i = 0; i <= 100; ++i) options.account_roles[std::to_string(200000000000 + i)] = {};
  aws.ResetSso(options);
  aws.sso().AddAccessToken("bearer-wire-token-1", env.now + std::chrono::hours(1));
  SsoPortalClient portal(*http, aws.url());

  auto creds = portal.GetRoleCredentials("bearer-wire-token-1", "Bedrock User", "111122223333");
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(creds->access_key_id, "ASIAWIRE");
  EXPECT_EQ(creds->secret_access_key, "wire-secret-key-1");
  EXPECT_EQ(creds->session_token, "wire-session-token-1");
  EXPECT_EQ(creds->expiration_ms, 1767229200000);  // the FakeEnv's now + 1 h
  testing::TestHttpRequest r = Last();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/federation/credentials?role_name=Bedrock%20User&account_id=111122223333");
  EXPECT_EQ(FindHeader(r.headers, "x-amz-sso_bearer_token"), "bearer-wire-token-1");

  auto accounts = portal.ListAccounts("bearer-wire-token-1");
  ASSERT_TRUE(accounts.ok()) << accounts.error().ToString();
  ASSERT_EQ(accounts->size(), 102u);
  EXPECT_EQ((*accounts)[0].account_id, "111122223333");
  EXPECT_EQ((*accounts)[0].account_name, "emulator-111122223333");
  EXPECT_EQ((*accounts)[0].email_address, "111122223333@example.com");
  EXPECT_EQ((*accounts)[101].account_id, "200000000100");
  auto pages = aws.requests("GET", "/assignment/accounts");
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0].target, "/assignment/accounts");
  EXPECT_EQ(pages[1].target, "/assignment/accounts?next_token=100");
  EXPECT_EQ(aws.sso().calls("ListAccounts"), 2);

  // The next token is opaque and goes back percent-encoded. The emulator's tokens are plain
  // numbers, so a first page with a "/" in its token is scripted.
  aws.ForceResponse(
      200,
      R"({"accountList":[{"accountId":"1","accountName":"one","emailAddress":"a@x"}],"nextToken":"p/2"})",
      {{"Content-Type", "application/json"}});
  auto scripted = portal.ListAccounts("bearer-wire-token-1");
  ASSERT_TRUE(scripted.ok()) << scripted.error().ToString();
  EXPECT_EQ((*scripted)[0].account_name, "one");
  EXPECT_EQ((*scripted)[0].email_address, "a@x");
  pages = aws.requests("GET", "/assignment/accounts");
  ASSERT_GE(pages.size(), 4u);
  EXPECT_EQ(pages[3].target, "/assignment/accounts?next_token=p%2F2");

  auto roles = portal.ListAccountRoles("bearer-wire-token-1", "111122223333");
  ASSERT_TRUE(roles.ok()) << roles.error().ToString();
  ASSERT_EQ(roles->size(), 2u);
  EXPECT_EQ((*roles)[0].role_name, "Bedrock User");
  EXPECT_EQ((*roles)[1].role_name, "Admin");
  EXPECT_EQ((*roles)[1].account_id, "111122223333");
  EXPECT_EQ(Last().target, "/assignment/roles?account_id=111122223333");

  auto denied = portal.GetRoleCredentials("some-other-token-xyz", "R", "1");
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, "aws.UnauthorizedException");
  EXPECT_EQ(denied.error().http_status, 401);
  EXPECT_EQ(ScrubSecrets("wire-session-token-1"), "[REDACTED]");
}

}  // namespace
}  // namespace brock
