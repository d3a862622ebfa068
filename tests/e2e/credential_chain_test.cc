// The credential chain end to end: the real brock binary getting its Bedrock credentials from
// the emulator's STS (role profiles, role chains, web identity), container endpoint and IMDSv2,
// credentials that expire between two requests of one run, and a --debug run whose output and
// files are searched for every secret involved.
//
// The emulator runs with --issued-credentials-seed, so the n-th credentials it issues are
// DeterministicCredential(seed, n) (emulator/issued_credentials.h): the tests know which key
// must sign each Bedrock request, and which secrets must never appear anywhere.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "e2e_harness.h"
#include "emulator/issued_credentials.h"
#include "emulator/sts_service.h"

namespace brock::e2e {
namespace {

namespace fs = std::filesystem;

const char kQuestion[] = "Which state is the Garden State? Answer in one sentence.";
const char kSeed[] = "CanarySeedQ7";

bool IsBedrock(const Json& r) {
  std::string op = r.value("operation", "");
  return op == "InvokeModel" || op == "InvokeModelWithResponseStream";
}

std::vector<Json> WithOperation(const std::vector<Json>& reqs, const std::string& op) {
  std::vector<Json> out;
  for (const Json& r : reqs) {
    if (r.value("operation", "") == op) out.push_back(r);
  }
  return out;
}

std::vector<Json> BedrockRequests(const std::vector<Json>& reqs) {
  std::vector<Json> out;
  for (const Json& r : reqs) {
    if (IsBedrock(r)) out.push_back(r);
  }
  return out;
}

// The decoded form parameter `key` of a recorded STS request.
std::string FormParam(const Json& r, const std::string& key) {
  auto form = ParseFormBody(r.value("body", ""));
  auto it = form.find(key);
  return it == form.end() ? "" : it->second;
}

std::string Issued(int n) { return DeterministicCredential(kSeed, n).access_key_id; }

class CredentialChainTest : public E2eTest {
 protected:
  // settings.json for Bedrock in us-east-1, with AWS_PROFILE when `profile` is not empty.
  void WriteSettings(const std::string& profile) {
    Json env = {{"CLAUDE_CODE_USE_BEDROCK", "1"}, {"AWS_REGION", "us-east-1"}};
    if (!profile.empty()) env["AWS_PROFILE"] = profile;
    WriteFile(home_ + "/.claude/settings.json", Json{{"env", env}}.dump(2));
  }
  void WriteStaticKeys(const std::string& profile) {
    WriteFile(home_ + "/.aws/credentials", "[" + profile + "]\naws_access_key_id = " + kKeyId +
                                               "\naws_secret_access_key = " + kSecret + "\n");
  }
  void StartSeeded(std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), {"--issued-credentials-seed", kSeed});
    StartEmulator(extra);
  }
  std::map<std::string, std::string> StsEnv() {
    return {{"AWS_ENDPOINT_URL_STS", emulator_.url()}};
  }

  // Every Bedrock request succeeded, signed by `key` with a session token.
  void ExpectBedrockSignedBy(const std::vector<Json>& reqs, const std::string& key) {
    std::vector<Json> bedrock = BedrockRequests(reqs);
    ASSERT_FALSE(bedrock.empty()) << "no Bedrock request was sent";
    for (const Json& r : bedrock) {
      EXPECT_EQ(r.value("access_key_id", ""), key) << r.dump();
      EXPECT_TRUE(r.value("auth_ok", false)) << r.dump();
      EXPECT_EQ(r.value("status", 0), 200) << r.dump();
      EXPECT_EQ(RequestHeader(r, "X-Amz-Security-Token"), "[REDACTED]")
          << "a session token was sent";
    }
  }
};

TEST_F(CredentialChainTest, RoleProfileWithStaticSourceProfile) {
  WriteSettings("dev");
  WriteFile(
      home_ + "/.aws/config",
      "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/BedrockDev\n"
      "source_profile = base\nrole_session_name = e2e-dev\n\n[profile base]\nregion = us-east-1\n");
  WriteStaticKeys("base");
  StartSeeded();
  RunOutput r = RunBrock({"-p", kQuestion}, StsEnv());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("New Jersey"), std::string::npos) << r.out;
  auto reqs = emulator_.Requests();
  auto assume = WithOperation(reqs, "AssumeRole");
  ASSERT_EQ(assume.size(), 1u);
  EXPECT_EQ(assume[0]["access_key_id"], kKeyId) << "signed by the source profile's keys";
  EXPECT_EQ(assume[0]["status"], 200);
  EXPECT_EQ(FormParam(assume[0], "RoleArn"), "arn:aws:iam::123456789012:role/BedrockDev");
  EXPECT_EQ(FormParam(assume[0], "RoleSessionName"), "e2e-dev");
  EXPECT_EQ(RequestRegion(assume[0]), "us-east-1");
  EXPECT_NE(RequestHeader(assume[0], "Authorization").find("/sts/aws4_request"), std::string::npos);
  ExpectBedrockSignedBy(reqs, Issued(1));
  EXPECT_LT(assume[0]["seq"].get<int>(), BedrockRequests(reqs)[0]["seq"].get<int>());
}

TEST_F(CredentialChainTest, ChainOfThreeProfiles) {
  WriteSettings("app");
  WriteFile(home_ + "/.aws/config",
            "[profile app]\nrole_arn = arn:aws:iam::333333333333:role/App\nsource_profile = mid\n"
            "role_session_name = hop2\n\n"
            "[profile mid]\nrole_arn = arn:aws:iam::222222222222:role/Mid\nsource_profile = base\n"
            "role_session_name = hop1\n\n"
            "[profile base]\nregion = us-east-1\n");
  WriteStaticKeys("base");
  StartSeeded();
  RunOutput r = RunBrock({"-p", kQuestion}, StsEnv());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("New Jersey"), std::string::npos);
  auto reqs = emulator_.Requests();
  auto assume = WithOperation(reqs, "AssumeRole");
  ASSERT_EQ(assume.size(), 2u);
  EXPECT_EQ(FormParam(assume[0], "RoleArn"), "arn:aws:iam::222222222222:role/Mid");
  EXPECT_EQ(assume[0]["access_key_id"], kKeyId);
  EXPECT_EQ(FormParam(assume[1], "RoleArn"), "arn:aws:iam::333333333333:role/App");
  EXPECT_EQ(assume[1]["access_key_id"], Issued(1))
      << "the second hop is signed by the first hop's keys";
  EXPECT_EQ(RequestHeader(assume[1], "X-Amz-Security-Token"), "[REDACTED]");
  for (const Json& a : assume) EXPECT_EQ(a["status"], 200) << a.dump();
  ExpectBedrockSignedBy(reqs, Issued(2));
}

TEST_F(CredentialChainTest, ProfileCycleIsReportedAndNothingIsSent) {
  WriteSettings("a");
  WriteFile(home_ + "/.aws/config",
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = b\n\n"
            "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/B\nsource_profile = c\n\n"
            "[profile c]\nrole_arn = arn:aws:iam::123456789012:role/C\nsource_profile = a\n");
  StartSeeded();
  RunOutput r = RunBrock({"-p", kQuestion}, StsEnv());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("loop"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("fix:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("a -> b -> c -> a"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("Segmentation"), std::string::npos);
  EXPECT_TRUE(emulator_.Requests().empty()) << "no STS or Bedrock request for a broken chain";
}

TEST_F(CredentialChainTest, WebIdentityFromEnvironment) {
  WriteSettings("");
  const std::string token = "eyJhbGciOiJSUzI1NiJ9.e2e-web-identity-claims.e2e-signature";
  WriteFile(root_ + "/token/web-identity", token + "\n");
  StartSeeded({"--web-identity-token", token});
  auto env = StsEnv();
  env["AWS_WEB_IDENTITY_TOKEN_FILE"] = root_ + "/token/web-identity";
  env["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/PodRole";
  env["AWS_ROLE_SESSION_NAME"] = "e2e-pod";
  RunOutput r = RunBrock({"-p", kQuestion}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("New Jersey"), std::string::npos);
  auto reqs = emulator_.Requests();
  auto assume = WithOperation(reqs, "AssumeRoleWithWebIdentity");
  ASSERT_EQ(assume.size(), 1u);
  EXPECT_EQ(assume[0]["auth_kind"], "none") << "the call is unsigned";
  EXPECT_EQ(assume[0]["status"], 200);
  EXPECT_EQ(FormParam(assume[0], "RoleArn"), "arn:aws:iam::123456789012:role/PodRole");
  EXPECT_EQ(FormParam(assume[0], "RoleSessionName"), "e2e-pod");
  ExpectBedrockSignedBy(reqs, Issued(1));
  EXPECT_EQ(ReadAll(root_ + "/emulator-requests.jsonl").find(token), std::string::npos);
  EXPECT_EQ(r.err.find(token), std::string::npos);
}

TEST_F(CredentialChainTest, ContainerCredentials) {
  WriteSettings("");
  const std::string token = "e2e-container-authorization-token-01";
  StartSeeded({"--container-token", token});
  RunOutput r =
      RunBrock({"-p", kQuestion},
               {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", emulator_.url() + "/container-credentials"},
                {"AWS_CONTAINER_AUTHORIZATION_TOKEN", token}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("New Jersey"), std::string::npos);
  auto reqs = emulator_.Requests();
  auto container = WithOperation(reqs, "ContainerCredentials");
  ASSERT_GE(container.size(), 1u);
  EXPECT_EQ(container[0]["status"], 200);
  EXPECT_TRUE(container[0]["auth_ok"]) << "the Authorization token matched";
  ExpectBedrockSignedBy(reqs, Issued(1));
}

TEST_F(CredentialChainTest, InstanceMetadataWhenNothingElseIsConfigured) {
  WriteSettings("");
  StartSeeded();
  RunOutput r =
      RunBrock({"-p", kQuestion}, {{"AWS_EC2_METADATA_DISABLED", "false"},
                                   {"AWS_EC2_METADATA_SERVICE_ENDPOINT", emulator_.url()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("New Jersey"), std::string::npos);
  auto reqs = emulator_.Requests();
  auto token = WithOperation(reqs, "ImdsGetToken");
  ASSERT_GE(token.size(), 1u);
  EXPECT_EQ(token[0]["method"], "PUT");
  EXPECT_EQ(token[0]["status"], 200);
  EXPECT_FALSE(RequestHeader(token[0], "X-aws-ec2-metadata-token-ttl-seconds").empty());
  ASSERT_GE(WithOperation(reqs, "ImdsListRoles").size(), 1u);
  auto creds = WithOperation(reqs, "ImdsGetCredentials");
  ASSERT_GE(creds.size(), 1u);
  EXPECT_EQ(creds[0]["path"], "/latest/meta-data/iam/security-credentials/emulator-ec2-role");
  EXPECT_TRUE(creds[0]["auth_ok"]) << "IMDSv2: the GETs carry the session token";
  ExpectBedrockSignedBy(reqs, Issued(1));
}

TEST_F(CredentialChainTest, InstanceMetadataIsNotAskedWhenAProfileHasKeys) {
  WriteSettings("base");
  WriteStaticKeys("base");
  StartSeeded();
  RunOutput r =
      RunBrock({"-p", kQuestion}, {{"AWS_EC2_METADATA_DISABLED", "false"},
                                   {"AWS_EC2_METADATA_SERVICE_ENDPOINT", emulator_.url()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto reqs = emulator_.Requests();
  for (const Json& q : reqs) {
    EXPECT_EQ(q.value("operation", "").rfind("Imds", 0), std::string::npos) << q.dump();
  }
  std::vector<Json> bedrock = BedrockRequests(reqs);
  ASSERT_FALSE(bedrock.empty());
  EXPECT_EQ(bedrock[0]["access_key_id"], kKeyId);
}

TEST_F(CredentialChainTest, CredentialsExpiringMidRunAreFetchedAgain) {
  WriteSettings("dev");
  WriteFile(home_ + "/.aws/config",
            "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/BedrockDev\nsource_profile = "
            "base\n");
  WriteStaticKeys("base");
  // The first reply runs a command that outlives the first credentials (2 s); the second
  // request must be signed with fresh ones.
  Json rules = Json::array({
      {{"name", "wait"},
       {"match", {{"contains", "wait a moment"}}},
       {"content", Json::array({{{"type", "tool_use"},
                                 {"name", "Bash"},
                                 {"input", {{"command", "sleep 3"}, {"description", "Wait"}}}}})}},
      {{"name", "done"}, {"match", {{"tool_result_regex", "."}}}, {"text", "Waited long enough."}},
      {{"name", "done-empty"}, {"text", "Waited long enough."}},
  });
  WriteFile("script.json", Json{{"rules", rules}}.dump(2));
  StartSeeded({"--issued-credentials-seconds", "2", "--script", root_ + "/script.json"});
  RunOutput r = RunBrock(
      {"-p", "Please wait a moment", "--output-format", "json", "--allowedTools", "Bash(sleep 3)"},
      StsEnv());
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  Json j = Json::parse(r.out, nullptr, false);
  EXPECT_EQ(j["result"], "Waited long enough.") << r.out;
  auto reqs = emulator_.Requests();
  std::vector<Json> bedrock = BedrockRequests(reqs);
  ASSERT_EQ(bedrock.size(), 2u) << "a tool round, then the answer";
  auto assume = WithOperation(reqs, "AssumeRole");
  ASSERT_GE(assume.size(), 2u) << "fresh credentials were fetched for the second request";
  for (const Json& q : reqs) {
    EXPECT_NE(q.value("error_type", ""), "ExpiredTokenException")
        << "expired credentials were reused: " << q.dump();
    EXPECT_EQ(q.value("status", 0), 200) << q.dump();
  }
  EXPECT_EQ(bedrock[0]["access_key_id"], Issued(1));
  std::string second = bedrock[1].value("access_key_id", "");
  EXPECT_NE(second, Issued(1)) << "the second request must not use the expired first credentials";
  bool issued = false;
  for (int n = 2; n <= static_cast<int>(assume.size()); ++n) issued = issued || second == Issued(n);
  EXPECT_TRUE(issued) << second;
  EXPECT_TRUE(bedrock[1]["auth_ok"]);
}

TEST_F(CredentialChainTest, SecretsNeverLeakInDebugOutputOrFiles) {
  WriteSettings("app");
  WriteFile(
      home_ + "/.aws/config",
      "[profile app]\nrole_arn = arn:aws:iam::333333333333:role/App\nsource_profile = mid\n\n"
      "[profile mid]\nrole_arn = arn:aws:iam::222222222222:role/Mid\nsource_profile = base\n\n"
      "[profile base]\nregion = us-east-1\n");
  WriteStaticKeys("base");
  WriteFile(project_ + "/notes.txt", "remember the milk\n");
  Json rules = Json::array({
      {{"match", {{"contains", "notes"}}},
       {"content", Json::array({{{"type", "tool_use"},
                                 {"name", "Read"},
                                 {"input", {{"file_path", project_ + "/notes.txt"}}}}})}},
      {{"match", {{"tool_result_contains", "milk"}}},
       {"text", "Your note says to remember the milk."}},
  });
  WriteFile("script.json", Json{{"rules", rules}}.dump(2));
  // Short-lived credentials: every request assumes both roles again, so several are issued.
  StartSeeded({"--script", root_ + "/script.json", "--issued-credentials-seconds", "120"});
  RunOutput r = RunBrock(
      {"-p", "what do my notes say?", "--debug", "--output-format", "stream-json", "--verbose"},
      StsEnv());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("remember the milk"), std::string::npos);
  EXPECT_FALSE(r.err.empty()) << "--debug writes a trace";

  auto reqs = emulator_.Requests();
  int issued = static_cast<int>(WithOperation(reqs, "AssumeRole").size());
  ASSERT_GE(issued, 2);
  ASSERT_EQ(BedrockRequests(reqs).size(), 2u);
  ExpectBedrockSignedBy({BedrockRequests(reqs)[0]}, Issued(2));

  std::vector<std::pair<std::string, std::string>> secrets = {{"source secret key", kSecret},
                                                              {"issued-credentials seed", kSeed}};
  for (int n = 1; n <= issued; ++n) {
    IssuedCredential c = DeterministicCredential(kSeed, n);
    secrets.push_back({"issued secret key " + std::to_string(n), c.secret_access_key});
    secrets.push_back({"issued session token " + std::to_string(n), c.session_token});
    // A leak of a prefix is still a leak: the first 16 characters of each secret.
    secrets.push_back(
        {"start of issued secret key " + std::to_string(n), c.secret_access_key.substr(0, 16)});
  }
  std::vector<std::pair<std::string, std::string>> places = {{"stdout", r.out}, {"stderr", r.err}};
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(home_)) {
    if (!entry.is_regular_file()) continue;
    std::string path = entry.path().string();
    if (path == home_ + "/.aws/credentials") continue;  // where the source key lives by design
    places.push_back({path, ReadAll(path)});
    if (path.find("/.brock/sessions/") != std::string::npos) ++files;
  }
  places.push_back({"emulator request log", ReadAll(root_ + "/emulator-requests.jsonl")});
  EXPECT_GE(files, 1) << "the transcript under ~/.brock/sessions/ was searched";
  for (const auto& [where, text] : places) {
    for (const auto& [what, secret] : secrets) {
      EXPECT_EQ(text.find(secret), std::string::npos) << what << " appears in " << where;
    }
  }
}

}  // namespace
}  // namespace brock::e2e
