// The emulator's STS against brock's own StsClient over real loopback HTTP (libcurl), plus the
// wire shapes (XML answers and errors) checked on raw requests.
#include "emulator/sts_service.h"

#include <gtest/gtest.h>

#include <thread>

#include "aws/sigv4.h"
#include "aws/sts_client.h"
#include "base/secrets.h"
#include "emulator/emulator.h"
#include "testing/fake_env.h"
#include "testing/loopback_client.h"

namespace brock {
namespace {

constexpr char kRole[] = "arn:aws:iam::123456789012:role/BedrockDev";

class StsServiceTest : public ::testing::Test {
 protected:
  void Start(EmulatorOptions options = {}) {
    auto emu = Emulator::Start(options);
    ASSERT_TRUE(emu.ok()) << emu.error().ToString();
    emulator = std::move(*emu);
    env.now = Clock::now();
    http = MakeCurlHttpClient();
  }
  StsClient Client() { return StsClient(env, *http, {emulator->endpoint(), "us-east-1", "test"}); }
  Credentials StaticKeys() {
    Credentials c;
    c.access_key_id = kEmulatorAccessKeyId;
    c.secret_access_key = kEmulatorSecretAccessKey;
    return c;
  }
  // A signed InvokeModel with `creds`, sent raw; returns the HTTP status.
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
    if (!resp.ok()) return -1;
    last_body = resp->body;
    return resp->status;
  }
  // A raw STS call with form `body`, signed by `creds` when given.
  testing::LoopbackResponse RawSts(const std::string& body, const Credentials* creds) {
    HttpRequest r;
    r.method = "POST";
    r.url = emulator->endpoint() + "/";
    r.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    r.body = body;
    if (creds) {
      SigV4Params p;
      p.region = "us-east-1";
      p.service = "sts";
      p.time = Clock::now();
      SignRequest(r, *creds, p);
    }
    auto resp = testing::SendLoopbackRequest(emulator->port(), r);
    EXPECT_TRUE(resp.ok());
    return resp.ok() ? *resp : testing::LoopbackResponse{};
  }

  testing::FakeEnv env;
  std::unique_ptr<HttpClient> http;
  std::unique_ptr<Emulator> emulator;
  std::string last_body;
};

TEST_F(StsServiceTest, AssumeRoleIssuesCredentialsTheRuntimeAccepts) {
  Start();
  StsClient sts = Client();
  AssumeRoleRequest req;
  req.role_arn = kRole;
  req.role_session_name = "brock-test";
  auto creds = sts.AssumeRole(StaticKeys(), req);
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(creds->access_key_id.rfind("ASIA", 0), 0u);
  EXPECT_FALSE(creds->session_token.empty());
  ASSERT_TRUE(creds->expiration);
  auto left = *creds->expiration - Clock::now();
  EXPECT_GT(left, std::chrono::minutes(59));
  EXPECT_LE(left, std::chrono::minutes(60));
  EXPECT_EQ(creds->account_id, "123456789012");
  EXPECT_EQ(InvokeWith(*creds), 200) << last_body;

  auto who = sts.GetCallerIdentity(*creds);
  ASSERT_TRUE(who.ok()) << who.error().ToString();
  EXPECT_EQ(who->arn, "arn:aws:sts::123456789012:assumed-role/BedrockDev/brock-test");
  EXPECT_EQ(who->account, "123456789012");
  EXPECT_NE(who->user_id.find(":brock-test"), std::string::npos);

  auto me = sts.GetCallerIdentity(StaticKeys());
  ASSERT_TRUE(me.ok());
  EXPECT_EQ(me->account, "111122223333");
  EXPECT_EQ(me->arn, "arn:aws:iam::111122223333:user/emulator-user");

  // Issued credentials sign a further AssumeRole (a role chain).
  req.role_arn = "arn:aws:iam::210987654321:role/path/Second";
  auto chained = sts.AssumeRole(*creds, req);
  ASSERT_TRUE(chained.ok()) << chained.error().ToString();
  EXPECT_NE(chained->access_key_id, creds->access_key_id);
  EXPECT_EQ(InvokeWith(*chained), 200);

  auto reqs = emulator->requests();
  ASSERT_GE(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].operation, "AssumeRole");
  EXPECT_EQ(reqs[0].access_key_id, kEmulatorAccessKeyId);
  EXPECT_TRUE(reqs[0].auth_ok);
  EXPECT_EQ(reqs[0].status, 200);
  EXPECT_EQ(reqs[1].operation, "InvokeModel");
  EXPECT_EQ(reqs[1].access_key_id, creds->access_key_id);
  EXPECT_EQ(emulator->issued_credentials().size(), 2u);
}

TEST_F(StsServiceTest, WebIdentityIsUnsignedAndChecksTheConfiguredToken) {
  EmulatorOptions o;
  o.web_identity_token = "eyJ.valid-web-identity-token.sig";
  Start(o);
  StsClient sts = Client();
  AssumeRoleWithWebIdentityRequest req;
  req.role_arn = kRole;
  req.role_session_name = "pod";
  req.web_identity_token = "eyJ.valid-web-identity-token.sig";
  auto creds = sts.AssumeRoleWithWebIdentity(req);
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(InvokeWith(*creds), 200) << last_body;

  req.web_identity_token = "eyJ.some-other-token.sig";
  auto bad = sts.AssumeRoleWithWebIdentity(req);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "sts.invalid_identity_token");

  auto reqs = emulator->requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].operation, "AssumeRoleWithWebIdentity");
  EXPECT_EQ(reqs[0].auth_kind, "none");
  EXPECT_EQ(reqs[0].body.find("valid-web-identity-token"), std::string::npos) << reqs[0].body;
  EXPECT_NE(reqs[0].body.find("WebIdentityToken=[REDACTED]"), std::string::npos) << reqs[0].body;
  EXPECT_EQ(reqs[2].error_type, "InvalidIdentityToken");
  EXPECT_EQ(reqs[2].status, 400);
}

TEST_F(StsServiceTest, AuthenticationErrorsAreStsErrors) {
  EmulatorOptions o;
  o.sts_denied_roles = {kRole};
  Start(o);
  StsClient sts = Client();
  AssumeRoleRequest req;
  req.role_arn = kRole;
  req.role_session_name = "s1";
  auto denied = sts.AssumeRole(StaticKeys(), req);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, "sts.access_denied");
  EXPECT_NE(denied.error().message.find("not authorized to perform: sts:AssumeRole"),
            std::string::npos)
      << denied.error().message;

  Credentials wrong = StaticKeys();
  wrong.secret_access_key = "wrongSecretKeyForTheEmulator000000000000";
  req.role_arn = "arn:aws:iam::123456789012:role/Other";
  auto bad_sig = sts.AssumeRole(wrong, req);
  ASSERT_FALSE(bad_sig.ok());
  EXPECT_EQ(bad_sig.error().code, "sts.invalid_credentials");
  EXPECT_NE(bad_sig.error().message.find("SignatureDoesNotMatch"), std::string::npos)
      << bad_sig.error().message;

  Credentials unknown = StaticKeys();
  unknown.access_key_id = "AKIDUNKNOWN000000000";
  auto bad_key = sts.AssumeRole(unknown, req);
  ASSERT_FALSE(bad_key.ok());
  EXPECT_NE(bad_key.error().message.find("InvalidClientTokenId"), std::string::npos);

  // The exact wire shape of an error.
  testing::LoopbackResponse raw =
      RawSts("Action=AssumeRole&Version=2011-06-15&RoleSessionName=x1", nullptr);
  EXPECT_EQ(raw.status, 403);
  EXPECT_NE(raw.body.find("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"),
            std::string::npos);
  EXPECT_NE(raw.body.find("<Type>Sender</Type>"), std::string::npos) << raw.body;
  EXPECT_NE(raw.body.find("<Code>MissingAuthenticationToken</Code>"), std::string::npos)
      << raw.body;
  EXPECT_NE(raw.body.find("<RequestId>"), std::string::npos);
  EXPECT_EQ(FindHeader(raw.headers, "Content-Type"), "text/xml");
}

TEST_F(StsServiceTest, ValidationAndUnknownActions) {
  Start();
  Credentials keys = StaticKeys();
  testing::LoopbackResponse no_arn =
      RawSts("Action=AssumeRole&Version=2011-06-15&RoleSessionName=ok", &keys);
  EXPECT_EQ(no_arn.status, 400);
  EXPECT_NE(no_arn.body.find("<Code>ValidationError</Code>"), std::string::npos) << no_arn.body;
  EXPECT_NE(no_arn.body.find("roleArn"), std::string::npos);

  testing::LoopbackResponse bad_session =
      RawSts("Action=AssumeRole&Version=2011-06-15&RoleSessionName=has%20space&RoleArn=" +
                 std::string("arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FR"),
             &keys);
  EXPECT_EQ(bad_session.status, 400);
  EXPECT_NE(bad_session.body.find("roleSessionName"), std::string::npos) << bad_session.body;

  testing::LoopbackResponse bad_duration =
      RawSts("Action=AssumeRole&Version=2011-06-15&RoleSessionName=ok&DurationSeconds=60&RoleArn=" +
                 std::string("arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FR"),
             &keys);
  EXPECT_EQ(bad_duration.status, 400);
  EXPECT_NE(bad_duration.body.find("durationSeconds"), std::string::npos) << bad_duration.body;

  testing::LoopbackResponse unknown = RawSts("Action=GetSessionToken&Version=2011-06-15", &keys);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("<Code>InvalidAction</Code>"), std::string::npos) << unknown.body;

  testing::LoopbackResponse ok = RawSts("Action=GetCallerIdentity&Version=2011-06-15", &keys);
  EXPECT_EQ(ok.status, 200);
  EXPECT_NE(ok.body.find(
                "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"),
            std::string::npos);
  EXPECT_NE(ok.body.find("<Account>111122223333</Account>"), std::string::npos) << ok.body;

  // A POST without Action is not STS: the runtime answers it.
  testing::LoopbackResponse other = RawSts("hello", &keys);
  EXPECT_EQ(other.status, 404);
}

TEST_F(StsServiceTest, MfaDeviceNeedsASixDigitCode) {
  Start();
  Credentials keys = StaticKeys();
  std::string base = std::string("Action=AssumeRole&Version=2011-06-15&RoleArn=") +
                     "arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FBedrockDev&RoleSessionName=s1" +
                     "&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fjane";
  testing::LoopbackResponse missing = RawSts(base, &keys);
  EXPECT_EQ(missing.status, 403);
  EXPECT_NE(missing.body.find("MultiFactorAuthentication failed"), std::string::npos)
      << missing.body;
  testing::LoopbackResponse bad = RawSts(base + "&TokenCode=12ab56", &keys);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("tokenCode"), std::string::npos) << bad.body;
  testing::LoopbackResponse good = RawSts(base + "&TokenCode=123456", &keys);
  EXPECT_EQ(good.status, 200) << good.body;
  EXPECT_NE(good.body.find("<AccessKeyId>"), std::string::npos);
}

TEST_F(StsServiceTest, IssuedCredentialsExpireOnSchedule) {
  EmulatorOptions o;
  o.issued_credentials_seconds = 1;
  Start(o);
  AssumeRoleRequest req;
  req.role_arn = kRole;
  req.role_session_name = "short";
  auto creds = Client().AssumeRole(StaticKeys(), req);
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(InvokeWith(*creds), 200) << last_body;
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(InvokeWith(*creds), 403);
  EXPECT_NE(last_body.find("expired"), std::string::npos) << last_body;
  EXPECT_EQ(emulator->requests().back().error_type, "ExpiredTokenException");
  // STS itself refuses them too.
  testing::LoopbackResponse sts = RawSts("Action=GetCallerIdentity&Version=2011-06-15", &*creds);
  EXPECT_EQ(sts.status, 400);
  EXPECT_NE(sts.body.find("<Code>ExpiredToken</Code>"), std::string::npos) << sts.body;
}

TEST_F(StsServiceTest, SeededCredentialsAreTheDocumentedOnes) {
  EmulatorOptions o;
  o.issued_credentials_seed = "unitseed";
  Start(o);
  AssumeRoleRequest req;
  req.role_arn = kRole;
  req.role_session_name = "seeded";
  auto a = Client().AssumeRole(StaticKeys(), req);
  auto b = Client().AssumeRole(StaticKeys(), req);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->secret_access_key, DeterministicCredential("unitseed", 1).secret_access_key);
  EXPECT_EQ(b->session_token, DeterministicCredential("unitseed", 2).session_token);
  EXPECT_EQ(b->access_key_id, DeterministicCredential("unitseed", 2).access_key_id);
}

TEST(StsFormTest, ParsesAndEscapes) {
  auto f =
      ParseFormBody("Action=AssumeRole&RoleSessionName=a+b&RoleArn=arn%3Aaws%3Aiam&Empty=&Flag");
  EXPECT_EQ(f["Action"], "AssumeRole");
  EXPECT_EQ(f["RoleSessionName"], "a b");
  EXPECT_EQ(f["RoleArn"], "arn:aws:iam");
  EXPECT_EQ(f["Empty"], "");
  EXPECT_TRUE(f.count("Flag"));
  EXPECT_EQ(XmlEscape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
}

}  // namespace
}  // namespace brock
