// brock's SigV4 and default endpoints against botocore (the AWS SDK for Python) as an oracle.
// botocore runs in a child python3 without network (unshare -n when available; it makes no
// calls anyway). Requests go to it as JSON on stdin; nothing is pasted into a command line.
// Skips with the reason when python3 or botocore is missing.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "aws/endpoint.h"
#include "aws/sigv4.h"
#include "base/process.h"
#include "base/strings.h"

namespace brock {
namespace {

using nlohmann::json;

constexpr const char* kScript = R"PY(
import datetime, json, os, sys
for k in list(os.environ):
    if k.startswith("AWS_"):
        del os.environ[k]
os.environ["AWS_CONFIG_FILE"] = "/nonexistent/brock-test-config"
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/brock-test-credentials"
try:
    import botocore, botocore.auth, botocore.awsrequest, botocore.config, botocore.credentials, botocore.session
except ImportError as e:
    print("botocore is not installed: %s" % e, file=sys.stderr)
    sys.exit(77)

job = json.load(sys.stdin)
out = {"botocore": botocore.__version__, "signatures": [], "endpoints": []}
for case in job["sign"]:
    fixed = datetime.datetime.strptime(case["time"], "%Y%m%dT%H%M%SZ")
    if hasattr(botocore.auth, "get_current_datetime"):
        botocore.auth.get_current_datetime = lambda fixed=fixed: fixed
    else:
        class FakeDatetime(datetime.datetime):
            @classmethod
            def utcnow(cls, fixed=fixed):
                return fixed
        class FakeModule:
            datetime = FakeDatetime
        botocore.auth.datetime = FakeModule
    creds = botocore.credentials.Credentials(case["key"], case["secret"], case["token"] or None)
    req = botocore.awsrequest.AWSRequest(method=case["method"], url=case["url"],
                                         data=case["body"].encode("utf-8"), headers=case["headers"])
    auth = botocore.auth.SigV4Auth(creds, case["service"], case["region"])
    auth.add_auth(req)
    authorization = req.headers["Authorization"]
    del req.headers["Authorization"]  # the canonical request as it was when signing
    out["signatures"].append({
        "authorization": authorization,
        "x_amz_date": req.headers["X-Amz-Date"],
        "canonical_request": auth.canonical_request(req),
    })

session = botocore.session.get_session()
for e in job["endpoints"]:
    cfg = botocore.config.Config(use_fips_endpoint=e["fips"], use_dualstack_endpoint=e["dualstack"])
    client = session.create_client(e["botocore_service"], region_name=e["region"], config=cfg,
                                   aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="x")
    out["endpoints"].append(client.meta.endpoint_url)
print(json.dumps(out))
)PY";

std::string FindPython() {
  for (const char* p :
       {"/root/.pyenv/shims/python3", "/usr/local/bin/python3", "/usr/bin/python3"}) {
    if (std::filesystem::exists(p)) return p;
  }
  return "";
}

struct Oracle {
  bool ran = false;
  std::string skip_reason;
  json output;
};

Oracle RunBotocore(const json& job) {
  Oracle o;
  std::string python = FindPython();
  if (python.empty()) {
    o.skip_reason = "python3 not found";
    return o;
  }
  ProcessSpec spec;
  spec.stdin_data = job.dump();
  spec.timeout = std::chrono::seconds(120);
  // Prefer no network at all; fall back to a plain run where unprivileged namespaces are not
  // allowed.
  std::vector<std::vector<std::string>> attempts;
  if (std::filesystem::exists("/usr/bin/unshare"))
    attempts.push_back({"/usr/bin/unshare", "-n", python, "-c", kScript});
  attempts.push_back({python, "-c", kScript});
  std::string last_error;
  for (const auto& argv : attempts) {
    spec.argv = argv;
    auto r = RealProcessRunner().Run(spec);
    if (!r.ok()) {
      last_error = r.error().message;
      continue;
    }
    if (r->exit_code == 77) {
      o.skip_reason = std::string(Trim(r->stderr_data));
      return o;
    }
    if (r->exit_code != 0) {
      last_error = "exit " + std::to_string(r->exit_code) + ": " + r->stderr_data;
      continue;
    }
    o.output = json::parse(r->stdout_data);
    o.ran = true;
    return o;
  }
  o.skip_reason = "could not run python3 with botocore: " + last_error;
  return o;
}

struct SignCase {
  std::string url;
  bool token;
};

TEST(SigV4Botocore, BedrockSignaturesAndEndpointsMatch) {
  const std::string key = "AKIDEXAMPLE";
  const std::string secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  const std::string token = "IQoJb3JpZ2luX2VjEXAMPLE/token+with=chars//0123456789";
  const std::string body =
      R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"messages":[{"role":"user","content":"héllo \"quoted\""}]})";
  const Clock::time_point when =
      Clock::from_time_t(1767225600) + std::chrono::seconds(45296);  // 2026-01-01T12:34:56Z
  std::vector<SignCase> cases;
  for (bool t : {false, true}) {
    cases.push_back(
        {"https://bedrock-runtime.us-east-1.amazonaws.com/model/"
         "anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke-with-response-stream",
         t});
    cases.push_back(
        {"https://bedrock-runtime.us-east-1.amazonaws.com/model/"
         "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fa1b2c3/"
         "invoke",
         t});
    cases.push_back(
        {"https://bedrock.us-east-1.amazonaws.com/"
         "inference-profiles?maxResults=10&type=SYSTEM_DEFINED",
         t});
  }

  json job;
  job["sign"] = json::array();
  for (const auto& c : cases) {
    job["sign"].push_back(
        {{"method", "POST"},
         {"url", c.url},
         {"body", body},
         {"headers", {{"Content-Type", "application/json"}, {"Accept", "application/json"}}},
         {"key", key},
         {"secret", secret},
         {"token", c.token ? token : ""},
         {"service", "bedrock"},
         {"region", "us-east-1"},
         {"time", FormatAmzDate(when)}});
  }
  struct EndpointCase {
    std::string brock_id, botocore_service, region;
    bool fips, dualstack;
  };
  std::vector<EndpointCase> endpoints;
  const std::vector<std::pair<std::string, std::string>> services = {
      {"bedrock-runtime", "bedrock-runtime"},
      {"bedrock", "bedrock"},
      {"sts", "sts"},
      {"portal.sso", "sso"},
      {"oidc", "sso-oidc"}};
  for (const auto& [brock_id, boto_id] : services) {
    for (const char* region :
         {"us-east-1", "us-gov-west-1", "cn-north-1", "eu-central-2", "ap-southeast-2"}) {
      for (bool fips : {false, true}) {
        for (bool dual : {false, true})
          endpoints.push_back({brock_id, boto_id, region, fips, dual});
      }
    }
  }
  job["endpoints"] = json::array();
  for (const auto& e : endpoints) {
    job["endpoints"].push_back({{"botocore_service", e.botocore_service},
                                {"region", e.region},
                                {"fips", e.fips},
                                {"dualstack", e.dualstack}});
  }

  Oracle oracle = RunBotocore(job);
  if (!oracle.ran) GTEST_SKIP() << oracle.skip_reason;
  std::printf("botocore %s\n", oracle.output["botocore"].get<std::string>().c_str());

  ASSERT_EQ(oracle.output["signatures"].size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].url + (cases[i].token ? " with session token" : ""));
    const json& want = oracle.output["signatures"][i];
    HttpRequest r;
    r.method = "POST";
    r.url = cases[i].url;
    r.body = body;
    r.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    Credentials creds;
    creds.access_key_id = key;
    creds.secret_access_key = secret;
    if (cases[i].token) creds.session_token = token;
    SigV4Params p;
    p.region = "us-east-1";
    p.service = "bedrock";
    p.time = when;
    SigV4Trace trace = SignRequest(r, creds, p);
    EXPECT_EQ(trace.canonical_request, want["canonical_request"].get<std::string>());
    EXPECT_EQ(FindHeader(r.headers, "Authorization"), want["authorization"].get<std::string>());
    EXPECT_EQ(FindHeader(r.headers, "X-Amz-Date"), want["x_amz_date"].get<std::string>());
    if (StartsWith(cases[i].url, "https://bedrock-runtime.us-east-1.amazonaws.com/model/arn")) {
      EXPECT_NE(trace.canonical_request.find(
                    "/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A123456789012%253A"
                    "application-inference-profile%252Fa1b2c3/invoke\n"),
                std::string::npos);
    }
    // And brock's verifier accepts botocore's signature.
    HttpRequest received = r;
    received.url = ReplaceAll(r.url, "https://", "http://");
    auto lookup = [&](const std::string& id) -> std::optional<std::string> {
      return id == key ? std::optional<std::string>(secret) : std::nullopt;
    };
    for (auto& [k, v] : received.headers) {
      if (k == "Authorization") v = want["authorization"].get<std::string>();
    }
    EXPECT_TRUE(VerifySigV4(received, lookup, when).ok);
  }

  ASSERT_EQ(oracle.output["endpoints"].size(), endpoints.size());
  for (size_t i = 0; i < endpoints.size(); ++i) {
    const auto& e = endpoints[i];
    SCOPED_TRACE(e.brock_id + " " + e.region + (e.fips ? " fips" : "") +
                 (e.dualstack ? " dualstack" : ""));
    EXPECT_EQ(DefaultEndpoint(e.brock_id, e.region, {e.fips, e.dualstack}),
              oracle.output["endpoints"][i].get<std::string>());
  }
}

}  // namespace
}  // namespace brock
