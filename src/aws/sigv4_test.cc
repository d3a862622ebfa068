#include "aws/sigv4.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "aws/uri.h"
#include "base/strings.h"

namespace brock {
namespace {

namespace fs = std::filesystem;

const std::string kSuiteDir = std::string(BROCK_SHARED_DIR) + "/testdata/sigv4";

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One request.txt, parsed: "METHOD target HTTP/1.1", "Name:value" lines (a line starting with
// whitespace continues the previous value, kept with its line break), a blank line, the body.
struct RawRequest {
  std::string method, target, version;
  HttpHeaders headers;
  std::string body;
};

RawRequest ParseRawRequest(const std::string& text) {
  RawRequest r;
  size_t pos = 0;
  auto next_line = [&](std::string* line) {
    if (pos > text.size()) return false;
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    *line = text.substr(pos, nl - pos);
    pos = nl + 1;
    return true;
  };
  std::string line;
  next_line(&line);
  size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
  r.method = line.substr(0, sp1);
  r.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  r.version = line.substr(sp2 + 1);
  while (next_line(&line)) {
    if (line.empty()) {
      if (pos <= text.size()) r.body = text.substr(pos);
      break;
    }
    if (line[0] == ' ' || line[0] == '\t') {
      r.headers.back().second += "\n" + line;
      continue;
    }
    size_t colon = line.find(':');
    r.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return r;
}

// The signed request in the suite's format.
std::string Render(const HttpRequest& req, const std::string& version) {
  std::string target = req.url.substr(std::string("http://example.amazonaws.com").size());
  std::string out = req.method + " " + target + " " + version + "\n";
  for (const auto& [k, v] : req.headers) out += k + ":" + v + "\n";
  out += "\n" + req.body;
  return out;
}

Clock::time_point ParseIsoTime(const std::string& s) {
  std::tm tm{};
  strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return Clock::from_time_t(timegm(&tm));
}

struct SuiteCase {
  std::string name;
  fs::path dir;
};

std::vector<SuiteCase> SuiteCases() {
  std::vector<SuiteCase> cases;
  if (!fs::is_directory(kSuiteDir)) return cases;
  for (const auto& e : fs::directory_iterator(kSuiteDir)) {
    if (e.is_directory() && fs::exists(e.path() / "context.json"))
      cases.push_back({e.path().filename(), e.path()});
  }
  std::sort(cases.begin(), cases.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return cases;
}

struct Prepared {
  HttpRequest request;
  Credentials creds;
  SigV4Params params;
  std::string version;
  int expires = 0;
};

Prepared Prepare(const SuiteCase& c) {
  auto ctx = nlohmann::json::parse(ReadText(c.dir / "context.json"));
  RawRequest raw = ParseRawRequest(ReadText(c.dir / "request.txt"));
  Prepared p;
  p.request.method = raw.method;
  p.request.url = "http://example.amazonaws.com" + raw.target;
  p.request.headers = raw.headers;
  p.request.body = raw.body;
  p.version = raw.version;
  p.creds.access_key_id = ctx["credentials"]["access_key_id"];
  p.creds.secret_access_key = ctx["credentials"]["secret_access_key"];
  p.creds.session_token = ctx["credentials"].value("token", "");
  p.params.region = ctx["region"];
  p.params.service = ctx["service"];
  p.params.time = ParseIsoTime(ctx["timestamp"]);
  p.params.normalize_path = ctx.value("normalize", true);
  p.params.add_content_sha256_header = ctx.value("sign_body", false);
  p.params.sign_session_token = !ctx.value("omit_session_token", false);
  p.expires = ctx.value("expiration_in_seconds", 3600);
  return p;
}

TEST(SigV4Suite, HasCases) {
  if (!fs::is_directory(kSuiteDir))
    GTEST_SKIP() << "AWS SigV4 test suite not found at " << kSuiteDir;
  EXPECT_GE(SuiteCases().size(), 30u);
}

TEST(SigV4Suite, HeaderSigningMatchesEveryCase) {
  auto cases = SuiteCases();
  if (cases.empty()) GTEST_SKIP() << "AWS SigV4 test suite not found at " << kSuiteDir;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Prepared p = Prepare(c);
    SigV4Trace t = SignRequest(p.request, p.creds, p.params);
    EXPECT_EQ(t.canonical_request, ReadText(c.dir / "header-canonical-request.txt"));
    EXPECT_EQ(t.string_to_sign, ReadText(c.dir / "header-string-to-sign.txt"));
    EXPECT_EQ(t.signature, ReadText(c.dir / "header-signature.txt"));
    EXPECT_EQ(Render(p.request, p.version), ReadText(c.dir / "header-signed-request.txt"));
  }
}

TEST(SigV4Suite, QuerySigningMatchesEveryCase) {
  auto cases = SuiteCases();
  if (cases.empty()) GTEST_SKIP() << "AWS SigV4 test suite not found at " << kSuiteDir;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Prepared p = Prepare(c);
    SigV4Trace t = PresignRequest(p.request, p.creds, p.params, std::chrono::seconds(p.expires));
    EXPECT_EQ(t.canonical_request, ReadText(c.dir / "query-canonical-request.txt"));
    EXPECT_EQ(t.string_to_sign, ReadText(c.dir / "query-string-to-sign.txt"));
    EXPECT_EQ(t.signature, ReadText(c.dir / "query-signature.txt"));
    EXPECT_EQ(Render(p.request, p.version), ReadText(c.dir / "query-signed-request.txt"));
  }
}

TEST(SigV4Suite, ResigningReplacesPreviousSignature) {
  auto cases = SuiteCases();
  if (cases.empty()) GTEST_SKIP() << "AWS SigV4 test suite not found at " << kSuiteDir;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Prepared p = Prepare(c);
    SigV4Params earlier = p.params;
    earlier.time -= std::chrono::hours(30);
    SignRequest(p.request, p.creds, earlier);
    SigV4Trace t = SignRequest(p.request, p.creds, p.params);
    EXPECT_EQ(t.signature, ReadText(c.dir / "header-signature.txt"));
    EXPECT_EQ(Render(p.request, p.version), ReadText(c.dir / "header-signed-request.txt"));
  }
}

// ---- a Bedrock request, for the verifier ----

Credentials TestCreds(bool token) {
  Credentials c;
  c.access_key_id = "AKIDEXAMPLE";
  c.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  if (token) c.session_token = "FwoGZXIvYXdzEBYaDexampletokenvalue0123456789";
  return c;
}

SigV4Params BedrockParams(Clock::time_point t) {
  SigV4Params p;
  p.region = "us-east-1";
  p.service = "bedrock";
  p.time = t;
  return p;
}

HttpRequest BedrockRequest() {
  HttpRequest r;
  r.method = "POST";
  r.url =
      "http://127.0.0.1:8123/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3A"
      "application-inference-profile%2Fa1b2c3/invoke?trace=1";
  r.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  r.body = R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":16})";
  return r;
}

const Clock::time_point kT0 = Clock::from_time_t(1767225600);  // 2026-01-01T00:00:00Z

SecretLookup Lookup() {
  return [](const std::string& id) -> std::optional<std::string> {
    if (id == "AKIDEXAMPLE") return std::string("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    return std::nullopt;
  };
}

TEST(SigV4Verify, AcceptsWhatSignRequestProduces) {
  for (bool token : {false, true}) {
    HttpRequest r = BedrockRequest();
    SignRequest(r, TestCreds(token), BedrockParams(kT0));
    EXPECT_EQ(FindHeader(r.headers, "host"), "127.0.0.1:8123");
    SigV4Verification v = VerifySigV4(r, Lookup(), kT0 + std::chrono::minutes(3));
    EXPECT_TRUE(v.ok) << v.error_type << ": " << v.message;
    EXPECT_EQ(v.access_key_id, "AKIDEXAMPLE");
    EXPECT_EQ(v.region, "us-east-1");
    EXPECT_EQ(v.service, "bedrock");
    EXPECT_EQ(v.session_token, token ? TestCreds(true).session_token : "");
  }
}

TEST(SigV4Verify, AcceptsContentSha256HeaderAndRejectsWrongOne) {
  HttpRequest r = BedrockRequest();
  SigV4Params p = BedrockParams(kT0);
  p.add_content_sha256_header = true;
  SignRequest(r, TestCreds(false), p);
  EXPECT_TRUE(VerifySigV4(r, Lookup(), kT0).ok);
  r.body += " ";
  SigV4Verification v = VerifySigV4(r, Lookup(), kT0);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.error_type, "InvalidSignatureException");
}

TEST(SigV4Verify, RejectsTamperedBody) {
  HttpRequest r = BedrockRequest();
  SignRequest(r, TestCreds(false), BedrockParams(kT0));
  r.body[5] = 'X';
  SigV4Verification v = VerifySigV4(r, Lookup(), kT0);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.error_type, "InvalidSignatureException");
  EXPECT_TRUE(StartsWith(v.message, "The request signature we calculated does not match"));
}

TEST(SigV4Verify, RejectsTamperedSignedHeader) {
  HttpRequest r = BedrockRequest();
  SignRequest(r, TestCreds(false), BedrockParams(kT0));
  for (auto& [k, v] : r.headers) {
    if (k == "Content-Type") v = "text/plain";
  }
  SigV4Verification v = VerifySigV4(r, Lookup(), kT0);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.error_type, "InvalidSignatureException");
}

TEST(SigV4Verify, RejectsRemovedSignedHeaderButIgnoresUnsignedOnes) {
  HttpRequest r = BedrockRequest();
  r.headers.emplace_back("User-Agent", "brock/0.1");
  SignRequest(r, TestCreds(false), BedrockParams(kT0));
  HttpRequest changed_ua = r;
  for (auto& [k, v] : changed_ua.headers) {
    if (k == "User-Agent") v = "curl/8";
  }
  changed_ua.headers.emplace_back("X-Forwarded-For", "10.0.0.1");
  EXPECT_TRUE(VerifySigV4(changed_ua, Lookup(), kT0).ok);
  HttpRequest removed = r;
  removed.headers.erase(removed.headers.begin());  // Content-Type
  EXPECT_EQ(VerifySigV4(removed, Lookup(), kT0).error_type, "InvalidSignatureException");
}

TEST(SigV4Verify, RejectsTamperedPathQueryAndMethod) {
  HttpRequest r = BedrockRequest();
  SignRequest(r, TestCreds(false), BedrockParams(kT0));
  HttpRequest path = r;
  path.url = ReplaceAll(path.url, "a1b2c3", "a1b2c4");
  EXPECT_EQ(VerifySigV4(path, Lookup(), kT0).error_type, "InvalidSignatureException");
  HttpRequest query = r;
  query.url = ReplaceAll(query.url, "trace=1", "trace=2");
  EXPECT_EQ(VerifySigV4(query, Lookup(), kT0).error_type, "InvalidSignatureException");
  HttpRequest method = r;
  method.method = "PUT";
  EXPECT_EQ(VerifySigV4(method, Lookup(), kT0).error_type, "InvalidSignatureException");
  // The path as decoded by a careless proxy (':' instead of %3A) is a different path.
  HttpRequest decoded = r;
  decoded.url = ReplaceAll(decoded.url, "%3A", ":");
  EXPECT_EQ(VerifySigV4(decoded, Lookup(), kT0).error_type, "InvalidSignatureException");
}

TEST(SigV4Verify, RejectsUnknownKeyAndWrongSecret) {
  HttpRequest r = BedrockRequest();
  Credentials c = TestCreds(false);
  c.access_key_id = "AKIDUNKNOWN";
  SignRequest(r, c, BedrockParams(kT0));
  SigV4Verification v = VerifySigV4(r, Lookup(), kT0);
  EXPECT_EQ(v.error_type, "UnrecognizedClientException");
  EXPECT_EQ(v.message, "The security token included in the request is invalid.");
  EXPECT_EQ(v.access_key_id, "AKIDUNKNOWN");

  HttpRequest r2 = BedrockRequest();
  Credentials wrong = TestCreds(false);
  wrong.secret_access_key = "not-the-secret";
  SignRequest(r2, wrong, BedrockParams(kT0));
  EXPECT_EQ(VerifySigV4(r2, Lookup(), kT0).error_type, "InvalidSignatureException");
}

TEST(SigV4Verify, RejectsSkewedClock) {
  HttpRequest r = BedrockRequest();
  SignRequest(r, TestCreds(false), BedrockParams(kT0));
  EXPECT_TRUE(VerifySigV4(r, Lookup(), kT0 + std::chrono::minutes(14)).ok);
  EXPECT_TRUE(VerifySigV4(r, Lookup(), kT0 - std::chrono::minutes(14)).ok);
  SigV4Verification late = VerifySigV4(r, Lookup(), kT0 + std::chrono::minutes(16));
  EXPECT_EQ(late.error_type, "InvalidSignatureException");
  EXPECT_EQ(late.message,
            "Signature expired: 20260101T000000Z is now earlier than 20260101T000100Z "
            "(20260101T001600Z - 15 min.)");
  SigV4Verification early = VerifySigV4(r, Lookup(), kT0 - std::chrono::minutes(16));
  EXPECT_EQ(early.error_type, "InvalidSignatureException");
  EXPECT_TRUE(StartsWith(early.message, "Signature not yet current: 20260101T000000Z"))
      << early.message;
  EXPECT_TRUE(
      VerifySigV4(r, Lookup(), kT0 + std::chrono::minutes(16), std::chrono::minutes(20)).ok);
}

TEST(SigV4Verify, RejectsMissingOrMalformedAuthorization) {
  HttpRequest r = BedrockRequest();
  SignRequest(r, TestCreds(false), BedrockParams(kT0));
  auto without = [&](std::string_view name) {
    HttpRequest c = r;
    c.headers.erase(std::remove_if(c.headers.begin(), c.headers.end(),
                                   [&](const auto& h) { return ToLower(h.first) == name; }),
                    c.headers.end());
    return c;
  };
  SigV4Verification v = VerifySigV4(without("authorization"), Lookup(), kT0);
  EXPECT_EQ(v.error_type, "IncompleteSignatureException");
  v = VerifySigV4(without("x-amz-date"), Lookup(), kT0);
  EXPECT_EQ(v.error_type, "IncompleteSignatureException");
  EXPECT_NE(v.message.find("'X-Amz-Date'"), std::string::npos) << v.message;

  HttpRequest garbled = r;
  for (auto& [k, val] : garbled.headers) {
    if (k == "Authorization")
      val = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/bedrock/aws4_request";
  }
  v = VerifySigV4(garbled, Lookup(), kT0);
  EXPECT_EQ(v.error_type, "IncompleteSignatureException");
  EXPECT_NE(v.message.find("'Signature'"), std::string::npos);
  EXPECT_NE(v.message.find("'SignedHeaders'"), std::string::npos);
  EXPECT_EQ(v.message.find("'Credential'"), std::string::npos);

  HttpRequest bad_date = r;
  for (auto& [k, val] : bad_date.headers) {
    if (k == "X-Amz-Date") val = "2026-01-01T00:00:00Z";
  }
  EXPECT_EQ(VerifySigV4(bad_date, Lookup(), kT0).error_type, "IncompleteSignatureException");

  HttpRequest basic = r;
  for (auto& [k, val] : basic.headers) {
    if (k == "Authorization") val = "Basic dXNlcjpwYXNz";
  }
  EXPECT_EQ(VerifySigV4(basic, Lookup(), kT0).error_type, "IncompleteSignatureException");
}

TEST(SigV4, PresignedUrlCarriesTokenAndSignature) {
  HttpRequest r;
  r.url = "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15";
  SigV4Params p = BedrockParams(kT0);
  p.service = "sts";
  SigV4Trace t = PresignRequest(r, TestCreds(true), p, std::chrono::seconds(900));
  EXPECT_TRUE(r.headers.empty());
  EXPECT_TRUE(StartsWith(
      r.url,
      "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&"
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260101%2F"
      "us-east-1%2Fsts%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-SignedHeaders=host"
      "&X-Amz-Expires=900&X-Amz-Security-Token="))
      << r.url;
  EXPECT_TRUE(EndsWith(r.url, "&X-Amz-Signature=" + t.signature));
  EXPECT_NE(t.canonical_request.find("\nhost:sts.us-east-1.amazonaws.com\n"), std::string::npos);
}

TEST(SigV4, ResigningWithoutTokenDropsStaleToken) {
  HttpRequest r = BedrockRequest();
  SignRequest(r, TestCreds(true), BedrockParams(kT0));
  EXPECT_NE(FindHeader(r.headers, "x-amz-security-token"), "");
  SigV4Trace t = SignRequest(r, TestCreds(false), BedrockParams(kT0));
  EXPECT_EQ(FindHeader(r.headers, "x-amz-security-token"), "");
  EXPECT_EQ(t.canonical_request.find("x-amz-security-token"), std::string::npos);
  int auth_headers = 0;
  for (const auto& h : r.headers) auth_headers += ToLower(h.first) == "authorization";
  EXPECT_EQ(auth_headers, 1);
  EXPECT_TRUE(VerifySigV4(r, Lookup(), kT0).ok);
}

TEST(SigV4, FormatsAndParsesAmzDate) {
  EXPECT_EQ(FormatAmzDate(kT0 + std::chrono::seconds(3723) + std::chrono::milliseconds(999)),
            "20260101T010203Z");
  auto t = ParseAmzDate("20150830T123600Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatAmzDate(*t), "20150830T123600Z");
  EXPECT_FALSE(ParseAmzDate("20150830T123600").has_value());
  EXPECT_FALSE(ParseAmzDate("2015083XT123600Z").has_value());
  EXPECT_FALSE(ParseAmzDate("20151330T123600Z").has_value());
}

TEST(SigV4, DoubleEncodesBedrockModelIdAndKeepsHostPort) {
  HttpRequest r = BedrockRequest();
  SigV4Trace t = SignRequest(r, TestCreds(false), BedrockParams(kT0));
  EXPECT_TRUE(StartsWith(t.canonical_request,
                         "POST\n/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A123456789012%253A"
                         "application-inference-profile%252Fa1b2c3/invoke\ntrace=1\n"))
      << t.canonical_request;
  SigV4Params single = BedrockParams(kT0);
  single.double_encode_path = false;
  HttpRequest r2 = BedrockRequest();
  t = SignRequest(r2, TestCreds(false), single);
  EXPECT_TRUE(StartsWith(t.canonical_request, "POST\n/model/arn%3Aaws%3Abedrock%3A"))
      << t.canonical_request;
}

// ---- uri.h ----

TEST(Uri, EncodesReservedAndUtf8) {
  EXPECT_EQ(UriEncode("a b/c:d~e_f.g-h", true), "a%20b%2Fc%3Ad~e_f.g-h");
  EXPECT_EQ(UriEncode("a b/c", false), "a%20b/c");
  EXPECT_EQ(UriEncode("\xe1\x88\xb4", true), "%E1%88%B4");
  EXPECT_EQ(UriEncode("+=&%", true), "%2B%3D%26%25");
  EXPECT_EQ(UriDecode("%E1%88%B4%2f+%zz%4"), "\xe1\x88\xb4/+%zz%4");
}

TEST(Uri, ParsesUrls) {
  auto u = ParseUrl("HTTPS://Bedrock-Runtime.us-east-1.amazonaws.com/model/x%3A1/invoke?a=b#frag");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "bedrock-runtime.us-east-1.amazonaws.com");
  EXPECT_EQ(u->port, 0);
  EXPECT_EQ(u->EffectivePort(), 443);
  EXPECT_EQ(u->path, "/model/x%3A1/invoke");
  EXPECT_EQ(u->query, "a=b");
  EXPECT_EQ(u->HostHeader(), "bedrock-runtime.us-east-1.amazonaws.com");

  u = ParseUrl("http://127.0.0.1:8080");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->path, "/");
  EXPECT_EQ(u->HostHeader(), "127.0.0.1:8080");
  EXPECT_EQ(u->Origin(), "http://127.0.0.1:8080");
  u = ParseUrl("https://h:443/");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->HostHeader(), "h");
  u = ParseUrl("http://[::1]:9000/x");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "[::1]");
  EXPECT_EQ(u->port, 9000);

  for (const char* bad : {"bedrock.amazonaws.com", "http://", "http://h:0", "http://h:99999",
                          "http://u@h/", "http://h:x/", "://h"}) {
    auto r = ParseUrl(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, "url.invalid");
    }
  }
}

}  // namespace
}  // namespace brock
