// The store of issued credentials, and the runtime's authentication of them: accepted with their
// own session token until they expire, then ExpiredTokenException.
#include "emulator/issued_credentials.h"

#include <gtest/gtest.h>

#include <atomic>

#include "aws/sigv4.h"
#include "emulator/auth.h"

namespace brock {
namespace {

HttpRequest SignedBy(const IssuedCredential& c, const std::string& token) {
  HttpRequest r;
  r.method = "POST";
  r.url = "http://127.0.0.1:4321/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke";
  r.headers = {{"Content-Type", "application/json"}};
  r.body = R"({"a":1})";
  Credentials creds;
  creds.access_key_id = c.access_key_id;
  creds.secret_access_key = c.secret_access_key;
  creds.session_token = token;
  SigV4Params p;
  p.region = "us-east-1";
  p.service = "bedrock";
  p.time = Clock::now();
  SignRequest(r, creds, p);
  return r;
}

TEST(IssuedCredentialsTest, SeededValuesFollowTheDocumentedPattern) {
  IssuedCredential a = DeterministicCredential("seedA", 1);
  EXPECT_EQ(a.access_key_id.size(), 20u);
  EXPECT_EQ(a.access_key_id.rfind("ASIA", 0), 0u);
  EXPECT_EQ(a.secret_access_key.rfind("seedA/secret/1/", 0), 0u);
  EXPECT_EQ(a.session_token.rfind("IQoJseedA/token/1/", 0), 0u);
  EXPECT_NE(DeterministicCredential("seedA", 2).access_key_id, a.access_key_id);
  EXPECT_NE(DeterministicCredential("seedB", 1).secret_access_key, a.secret_access_key);

  IssuedCredentialStore store(std::chrono::seconds(60), "seedA");
  IssuedCredential first = store.Issue("arn:x", "id:x", "AssumeRole");
  IssuedCredential second = store.Issue("arn:y", "id:y", "IMDS");
  EXPECT_EQ(first.secret_access_key, a.secret_access_key);
  EXPECT_EQ(second.session_token, DeterministicCredential("seedA", 2).session_token);
  EXPECT_EQ(store.All().size(), 2u);
  ASSERT_TRUE(store.Find(second.access_key_id));
  EXPECT_EQ(store.Find(second.access_key_id)->arn, "arn:y");
  EXPECT_FALSE(store.Find("ASIANOTISSUED0000000"));
}

TEST(IssuedCredentialsTest, RandomValuesDifferEachTime) {
  IssuedCredentialStore store(std::chrono::seconds(60));
  IssuedCredential a = store.Issue("arn:x", "id", "AssumeRole");
  IssuedCredential b = store.Issue("arn:x", "id", "AssumeRole");
  EXPECT_NE(a.access_key_id, b.access_key_id);
  EXPECT_NE(a.secret_access_key, b.secret_access_key);
  EXPECT_NE(a.session_token, b.session_token);
  EXPECT_GE(a.secret_access_key.size(), 40u);
}

TEST(IssuedCredentialsTest, ExpiryAndFreshnessFollowTheStoreClock) {
  std::atomic<int64_t> seconds{1000};
  IssuedCredentialStore store(std::chrono::seconds(10), "", [&] {
    return Clock::time_point(std::chrono::seconds(seconds.load()));
  });
  IssuedCredential c = store.Issue("arn", "id", "IMDS");
  EXPECT_EQ(c.expires_at - c.issued_at, std::chrono::seconds(10));
  EXPECT_TRUE(store.StillFresh(c));
  seconds = 1005;
  EXPECT_FALSE(store.StillFresh(c));
  EXPECT_FALSE(store.Expired(c));
  seconds = 1010;
  EXPECT_TRUE(store.Expired(c));
}

TEST(IssuedCredentialsTest, RuntimeAuthAcceptsIssuedKeysUntilTheyExpire) {
  std::atomic<int64_t> offset{0};
  IssuedCredentialStore store(std::chrono::seconds(30), "",
                              [&] { return Clock::now() + std::chrono::seconds(offset.load()); });
  AuthConfig config;
  config.access_keys["AKIDSTATIC"] = "staticSecret";
  config.session_token = "required-for-static-keys";  // does not apply to issued keys
  config.issued = &store;
  IssuedCredential c =
      store.Issue("arn:aws:sts::111122223333:assumed-role/R/s", "AROA:s", "AssumeRole");

  AuthOutcome ok = CheckAuth(SignedBy(c, c.session_token), config, Clock::now());
  EXPECT_TRUE(ok.ok) << ok.error_type << ": " << ok.message;
  EXPECT_EQ(ok.access_key_id, c.access_key_id);

  AuthOutcome no_token = CheckAuth(SignedBy(c, ""), config, Clock::now());
  EXPECT_FALSE(no_token.ok);
  EXPECT_EQ(no_token.error_type, "UnrecognizedClientException");
  AuthOutcome wrong_token = CheckAuth(SignedBy(c, "some-other-token"), config, Clock::now());
  EXPECT_EQ(wrong_token.error_type, "UnrecognizedClientException");

  IssuedCredential forged = c;
  forged.secret_access_key = "not-the-secret";
  EXPECT_EQ(CheckAuth(SignedBy(forged, c.session_token), config, Clock::now()).error_type,
            "InvalidSignatureException");

  offset = 31;
  AuthOutcome expired = CheckAuth(SignedBy(c, c.session_token), config, Clock::now());
  EXPECT_FALSE(expired.ok);
  EXPECT_EQ(expired.status, 403);
  EXPECT_EQ(expired.error_type, "ExpiredTokenException");
  EXPECT_EQ(expired.message, "The security token included in the request is expired");

  AuthConfig without_store = config;
  without_store.issued = nullptr;
  offset = 0;
  EXPECT_EQ(CheckAuth(SignedBy(c, c.session_token), without_store, Clock::now()).error_type,
            "UnrecognizedClientException");
}

}  // namespace
}  // namespace brock
