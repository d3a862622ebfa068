// SsoOidcClient and SsoPortalClient over a real loopback socket with the libcurl client: what
// goes on the wire and how answers and errors are read.
#include <gtest/gtest.h>

#include <mutex>
#include <nlohmann/json.hpp>

#include "aws/sso_oidc_client.h"
#include "aws/sso_portal_client.h"
#include "base/secrets.h"
#include "testing/test_http_server.h"

namespace brock {
namespace {

struct Recorder {
  std::mutex mu;
  std::vector<testing::TestHttpRequest> requests;
  void Add(const testing::TestHttpRequest& r) {
    std::lock_guard<std::mutex> lock(mu);
    requests.push_back(r);
  }
  testing::TestHttpRequest Last() {
    std::lock_guard<std::mutex> lock(mu);
    return requests.back();
  }
};

std::string Header(const testing::TestHttpRequest& r, std::string_view name) {
  return FindHeader(r.headers, name);
}

TEST(SsoOidcClientWire, RegisterStartAndBothGrants) {
  Recorder rec;
  testing::TestHttpServer server([&](const testing::TestHttpRequest& req,
                                     testing::TestHttpConnection& conn) {
    rec.Add(req);
    HttpHeaders h = {{"Content-Type", "application/json"}};
    if (req.target == "/client/register") {
      conn.Respond(
          200, h,
          R"({"clientId":"cid-1","clientSecret":"client-secret-wire-1","clientIdIssuedAt":1767225600,)"
          R"("clientSecretExpiresAt":1774915200})");
    } else if (req.target == "/device_authorization") {
      conn.Respond(
          200, h,
          R"({"deviceCode":"device-code-wire-1","userCode":"ABCD-EFGH","verificationUri":"https://device.sso)"
          R"(.us-east-1.amazonaws.com/","verificationUriComplete":"https://device.sso.us-east-1.amazonaws.com/)"
          R"(?user_code=ABCD-EFGH","expiresIn":600,"interval":1})");
    } else if (req.target == "/token") {
      auto body = nlohmann::json::parse(req.body);
      if (body["grantType"] == "refresh_token") {
        conn.Respond(200, h,
                     R"({"accessToken":"access-wire-2","tokenType":"Bearer","expiresIn":3600,)"
                     R"("refreshToken":"refresh-wire-2"})");
      } else {
        conn.Respond(400, {{"x-amzn-ErrorType", "AuthorizationPendingException:http://internal"}},
                     R"({"error":"authorization_pending","error_description":"not yet"})");
      }
    } else {
      conn.Respond(404, {}, "");
    }
  });
  auto http = MakeCurlHttpClient();
  SsoOidcClient oidc(*http, server.Url("") + "/");

  auto reg = oidc.RegisterClient("brock", "public", {"sso:account:access"});
  ASSERT_TRUE(reg.ok()) << reg.error().ToString();
  EXPECT_EQ(reg->client_id, "cid-1");
  EXPECT_EQ(reg->client_secret, "client-secret-wire-1");
  EXPECT_EQ(reg->client_secret_expires_at, 1774915200);
  testing::TestHttpRequest r = rec.Last();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(Header(r, "Content-Type"), "application/json");
  EXPECT_EQ(Header(r, "Authorization"), "");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body, (nlohmann::json{{"clientName", "brock"},
                                  {"clientType", "public"},
                                  {"scopes", {"sso:account:access"}}}));

  auto auth =
      oidc.StartDeviceAuthorization("cid-1", "client-secret-wire-1", "https://x.awsapps.com/start");
  ASSERT_TRUE(auth.ok()) << auth.error().ToString();
  EXPECT_EQ(auth->user_code, "ABCD-EFGH");
  EXPECT_EQ(auth->interval, 1);
  EXPECT_EQ(auth->expires_in, 600);
  EXPECT_EQ(auth->verification_uri_complete,
            "https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH");
  EXPECT_EQ(nlohmann::json::parse(rec.Last().body)["startUrl"], "https://x.awsapps.com/start");

  auto refreshed =
      oidc.CreateTokenWithRefreshToken("cid-1", "client-secret-wire-1", "refresh-wire-1");
  ASSERT_TRUE(refreshed.ok()) << refreshed.error().ToString();
  EXPECT_EQ(refreshed->access_token, "access-wire-2");
  EXPECT_EQ(refreshed->refresh_token, "refresh-wire-2");
  EXPECT_EQ(refreshed->expires_in, 3600);

  auto pending =
      oidc.CreateTokenWithDeviceCode("cid-1", "client-secret-wire-1", "device-code-wire-1");
  ASSERT_FALSE(pending.ok());
  EXPECT_TRUE(IsOidcError(pending.error(), "AuthorizationPendingException"))
      << pending.error().code;
  body = nlohmann::json::parse(rec.Last().body);
  EXPECT_EQ(body["grantType"], "urn:ietf:params:oauth:grant-type:device_code");
  EXPECT_EQ(body["deviceCode"], "device-code-wire-1");
  // The secrets seen are registered.
  EXPECT_EQ(ScrubSecrets("refresh-wire-2 client-secret-wire-1"), "[REDACTED] [REDACTED]");
}

TEST(SsoOidcClientWire, ErrorsWithoutTheHeaderAreReadFromTheOAuthBody) {
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest& req, testing::TestHttpConnection& conn) {
        if (req.target == "/token") {
          conn.Respond(
              400, {},
              R"({"error":"invalid_grant","error_description":"Invalid refresh token provided"})");
        } else {
          conn.Respond(503, {}, "<html>busy</html>");
        }
      });
  auto http = MakeCurlHttpClient();
  SsoOidcClient oidc(*http, server.Url(""));
  auto dead = oidc.CreateTokenWithRefreshToken("c", "s", "r");
  ASSERT_FALSE(dead.ok());
  EXPECT_TRUE(IsOidcError(dead.error(), "InvalidGrantException")) << dead.error().code;
  EXPECT_FALSE(dead.error().retryable);
  auto busy = oidc.RegisterClient("brock", "public", {});
  ASSERT_FALSE(busy.ok());
  EXPECT_TRUE(busy.error().retryable);
}

TEST(SsoOidcClientWire, SuccessWithoutTokenIsBadResponse) {
  testing::TestHttpServer server(
      [&](const testing::TestHttpRequest&, testing::TestHttpConnection& conn) {
        conn.Respond(200, {}, R"({"tokenType":"Bearer"})");
      });
  auto http = MakeCurlHttpClient();
  SsoOidcClient oidc(*http, server.Url(""));
  auto t = oidc.CreateTokenWithRefreshToken("c", "s", "r");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, "sso.bad_response");
}

TEST(SsoPortalClientWire, GetRoleCredentialsAndPagedLists) {
  Recorder rec;
  testing::TestHttpServer server([&](const testing::TestHttpRequest& req,
                                     testing::TestHttpConnection& conn) {
    rec.Add(req);
    if (Header(req, "x-amz-sso_bearer_token") != "bearer-wire-token-1") {
      conn.Respond(401, {{"x-amzn-ErrorType", "UnauthorizedException"}},
                   R"({"message":"Session token not found or invalid"})");
      return;
    }
    if (req.target.rfind("/federation/credentials?", 0) == 0) {
      conn.Respond(
          200, {},
          R"({"roleCredentials":{"accessKeyId":"ASIAWIRE","secretAccessKey":"wire-secret-key-1",)"
          R"("sessionToken":"wire-session-token-1","expiration":1767229200000}})");
    } else if (req.target == "/assignment/accounts") {
      conn.Respond(
          200, {},
          R"({"accountList":[{"accountId":"1","accountName":"one","emailAddress":"a@x"}],"nextToken":"p/2"})");
    } else if (req.target == "/assignment/accounts?next_token=p%2F2") {
      conn.Respond(200, {}, R"({"accountList":[{"accountId":"2","accountName":"two"}]})");
    } else if (req.target == "/assignment/roles?account_id=1") {
      conn.Respond(
          200, {},
          R"({"roleList":[{"roleName":"Dev","accountId":"1"},{"roleName":"Admin","accountId":"1"}]})");
    } else {
      conn.Respond(404, {{"x-amzn-ErrorType", "ResourceNotFoundException"}},
                   R"({"message":"nope"})");
    }
  });
  auto http = MakeCurlHttpClient();
  SsoPortalClient portal(*http, server.Url(""));

  auto creds = portal.GetRoleCredentials("bearer-wire-token-1", "Bedrock User", "111122223333");
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(creds->access_key_id, "ASIAWIRE");
  EXPECT_EQ(creds->secret_access_key, "wire-secret-key-1");
  EXPECT_EQ(creds->session_token, "wire-session-token-1");
  EXPECT_EQ(creds->expiration_ms, 1767229200000);
  testing::TestHttpRequest r = rec.Last();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/federation/credentials?role_name=Bedrock%20User&account_id=111122223333");

  auto accounts = portal.ListAccounts("bearer-wire-token-1");
  ASSERT_TRUE(accounts.ok()) << accounts.error().ToString();
  ASSERT_EQ(accounts->size(), 2u);
  EXPECT_EQ((*accounts)[0].account_name, "one");
  EXPECT_EQ((*accounts)[0].email_address, "a@x");
  EXPECT_EQ((*accounts)[1].account_id, "2");

  auto roles = portal.ListAccountRoles("bearer-wire-token-1", "1");
  ASSERT_TRUE(roles.ok()) << roles.error().ToString();
  ASSERT_EQ(roles->size(), 2u);
  EXPECT_EQ((*roles)[1].role_name, "Admin");

  auto denied = portal.GetRoleCredentials("some-other-token-xyz", "R", "1");
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, "aws.UnauthorizedException");
  EXPECT_EQ(denied.error().http_status, 401);
  EXPECT_EQ(ScrubSecrets("wire-session-token-1"), "[REDACTED]");
}

}  // namespace
}  // namespace brock
