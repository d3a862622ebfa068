#include "emulator/auth.h"

#include <gtest/gtest.h>

#include "aws/sigv4.h"

namespace brock {
namespace {

constexpr char kKey[] = "AKIDAUTHTEST";
constexpr char kSecret[] = "authTestSecret/0123456789abcdefghijklmn";

AuthConfig Config() {
  AuthConfig c;
  c.access_keys[kKey] = kSecret;
  c.region = "us-east-1";
  return c;
}

HttpRequest Signed(const std::string& key = kKey, const std::string& secret = kSecret,
                   const std::string& token = "", const std::string& region = "us-east-1",
                   const std::string& service = "bedrock") {
  HttpRequest r;
  r.method = "POST";
  r.url = "http://127.0.0.1:4321/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke";
  r.headers = {{"Content-Type", "application/json"}};
  r.body = R"({"a":1})";
  Credentials creds;
  creds.access_key_id = key;
  creds.secret_access_key = secret;
  creds.session_token = token;
  SigV4Params p;
  p.region = region;
  p.service = service;
  p.time = Clock::now();
  SignRequest(r, creds, p);
  return r;
}

TEST(AuthTest, AcceptsAValidSignature) {
  AuthOutcome out = CheckAuth(Signed(), Config(), Clock::now());
  EXPECT_TRUE(out.ok) << out.error_type << ": " << out.message;
  EXPECT_EQ(out.kind, "sigv4");
  EXPECT_EQ(out.access_key_id, kKey);
}

TEST(AuthTest, WrongSecretIsInvalidSignature) {
  AuthOutcome out = CheckAuth(Signed(kKey, "not-the-secret-000000"), Config(), Clock::now());
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.status, 403);
  EXPECT_EQ(out.error_type, "InvalidSignatureException");
  EXPECT_EQ(out.message.find("not-the-secret"), std::string::npos);
}

TEST(AuthTest, TamperedBodyIsInvalidSignature) {
  HttpRequest r = Signed();
  r.body = R"({"a":2})";
  EXPECT_EQ(CheckAuth(r, Config(), Clock::now()).error_type, "InvalidSignatureException");
}

TEST(AuthTest, UnknownKeyIsUnrecognizedClient) {
  AuthOutcome out = CheckAuth(Signed("AKIDUNKNOWN"), Config(), Clock::now());
  EXPECT_EQ(out.error_type, "UnrecognizedClientException");
  EXPECT_EQ(out.message, "The security token included in the request is invalid.");
  EXPECT_EQ(out.access_key_id, "AKIDUNKNOWN");
}

TEST(AuthTest, ExpiredTokenOrKey) {
  AuthConfig c = Config();
  c.expired.insert("old-session-token-123");
  AuthOutcome out = CheckAuth(Signed(kKey, kSecret, "old-session-token-123"), c, Clock::now());
  EXPECT_EQ(out.error_type, "ExpiredTokenException");
  EXPECT_EQ(out.message, "The security token included in the request is expired");
  c.expired = {kKey};
  EXPECT_EQ(CheckAuth(Signed(), c, Clock::now()).error_type, "ExpiredTokenException");
}

TEST(AuthTest, RequiredSessionToken) {
  AuthConfig c = Config();
  c.session_token = "the-session-token-0001";
  EXPECT_TRUE(CheckAuth(Signed(kKey, kSecret, "the-session-token-0001"), c, Clock::now()).ok);
  EXPECT_EQ(CheckAuth(Signed(), c, Clock::now()).error_type, "UnrecognizedClientException");
  EXPECT_EQ(CheckAuth(Signed(kKey, kSecret, "another-token-000001"), c, Clock::now()).error_type,
            "UnrecognizedClientException");
}

TEST(AuthTest, RegionAndServiceMustMatch) {
  AuthOutcome region = CheckAuth(Signed(kKey, kSecret, "", "eu-west-1"), Config(), Clock::now());
  EXPECT_EQ(region.error_type, "InvalidSignatureException");
  EXPECT_NE(region.message.find("region"), std::string::npos);
  AuthOutcome service =
      CheckAuth(Signed(kKey, kSecret, "", "us-east-1", "bedrock-runtime"), Config(), Clock::now());
  EXPECT_EQ(service.error_type, "InvalidSignatureException");
  EXPECT_NE(service.message.find("'bedrock'"), std::string::npos);
}

TEST(AuthTest, StaleSignatureIsRejected) {
  AuthOutcome out = CheckAuth(Signed(), Config(), Clock::now() + std::chrono::hours(1));
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error_type, "InvalidSignatureException");
}

TEST(AuthTest, BearerTokens) {
  AuthConfig c = Config();
  c.bearer_token = "ABSKbearer-token-value-01";
  HttpRequest r;
  r.headers = {{"Authorization", "Bearer ABSKbearer-token-value-01"}};
  AuthOutcome ok = CheckAuth(r, c, Clock::now());
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.kind, "bearer");
  r.headers = {{"Authorization", "Bearer ABSKsomething-else-0001"}};
  AuthOutcome bad = CheckAuth(r, c, Clock::now());
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.status, 403);
  EXPECT_EQ(bad.error_type, "AccessDeniedException");
  EXPECT_EQ(bad.message.find("something-else"), std::string::npos);
}

TEST(AuthTest, UnsignedRequestsNeedNoAuth) {
  HttpRequest r;
  AuthOutcome out = CheckAuth(r, Config(), Clock::now());
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.kind, "none");
  EXPECT_EQ(out.error_type, "MissingAuthenticationTokenException");
  AuthConfig open = Config();
  open.no_auth = true;
  out = CheckAuth(r, open, Clock::now());
  EXPECT_TRUE(out.ok);
  EXPECT_EQ(out.kind, "none");
  // --no-auth still reports how a signed request was authenticated.
  out = CheckAuth(Signed(kKey, "wrong-secret-00000000"), open, Clock::now());
  EXPECT_TRUE(out.ok);
  EXPECT_EQ(out.kind, "sigv4");
  EXPECT_EQ(out.access_key_id, kKey);
}

TEST(AuthTest, AccessKeyIdFromAuthorization) {
  EXPECT_EQ(AccessKeyIdFromAuthorization(
                "AWS4-HMAC-SHA256 Credential=AKIDX/20240101/us-east-1/bedrock/aws4_request, "
                "SignedHeaders=host, Signature=abc"),
            "AKIDX");
  EXPECT_EQ(AccessKeyIdFromAuthorization("garbage"), "");
}

}  // namespace
}  // namespace brock
