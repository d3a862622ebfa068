#include "e2e_harness.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "base/crypto.h"
#include "base/process.h"

namespace brock::e2e {

namespace fs = std::filesystem;

RunOutput RunProcess(const std::vector<std::string>& argv,
                     const std::map<std::string, std::string>& env, const std::string& cwd,
                     const std::string& stdin_data, int timeout_seconds) {
  ProcessSpec spec;
  spec.argv = {"/usr/bin/env", "-i"};
  for (const auto& [k, v] : env) spec.argv.push_back(k + "=" + v);
  for (const auto& a : argv) spec.argv.push_back(a);
  spec.cwd = cwd;
  spec.stdin_data = stdin_data;
  spec.timeout = std::chrono::seconds(timeout_seconds);
  RunOutput out;
  auto r = RealProcessRunner().Run(spec);
  if (!r.ok()) {
    ADD_FAILURE() << "cannot run " << argv[0] << ": " << r.error().message;
    return out;
  }
  EXPECT_FALSE(r->timed_out) << argv[0] << " timed out";
  out.exit_code = r->exit_code;
  out.out = r->stdout_data;
  out.err = r->stderr_data;
  return out;
}

void EmulatorProcess::Start(const std::string& dir, std::vector<std::string> args) {
  std::string port_file = dir + "/emulator.port";
  log_path_ = dir + "/emulator-requests.jsonl";
  fs::remove(port_file);
  args.insert(args.begin(), {BROCK_EMULATOR_BIN, "--port", "0", "--port-file", port_file,
                             "--request-log", log_path_, "--quiet"});
  pid_ = fork();
  if (pid_ == 0) {
    std::vector<char*> cargv;
    for (auto& a : args) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  ASSERT_GT(pid_, 0);
  for (int i = 0; i < 500; ++i) {
    std::ifstream in(port_file);
    if (in >> port_ && port_ > 0) return;
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      FAIL() << "brock-emulator exited early (status " << status << ")";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL() << "brock-emulator did not start listening";
}

void EmulatorProcess::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status;
  for (int i = 0; i < 200; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::vector<Json> EmulatorProcess::Requests() const {
  std::vector<Json> out;
  std::ifstream in(log_path_);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    out.push_back(Json::parse(line, nullptr, false));
  }
  return out;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Json Body(const Json& request) { return Json::parse(request.value("body", ""), nullptr, false); }

std::vector<Json> BedrockRequests(const std::vector<Json>& requests) {
  std::vector<Json> out;
  for (const Json& r : requests) {
    if (r.value("path", "").rfind("/model/", 0) == 0) out.push_back(r);
  }
  return out;
}

std::string RequestHeader(const Json& request, const std::string& name) {
  auto lower = [](std::string v) {
    for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return v;
  };
  for (const Json& h : request.value("headers", Json::array())) {
    if (h.is_array() && h.size() == 2 && lower(h[0].get<std::string>()) == lower(name)) {
      return h[1].get<std::string>();
    }
  }
  return "";
}

std::string RequestRegion(const Json& request) {
  std::string auth = RequestHeader(request, "authorization");
  size_t cred = auth.find("Credential=");
  if (cred == std::string::npos) return "";
  std::string scope = auth.substr(cred + 11, auth.find(',', cred) - cred - 11);
  // AKID/20260101/us-west-2/bedrock/aws4_request
  size_t a = scope.find('/'), b = scope.find('/', a + 1), c = scope.find('/', b + 1);
  if (c == std::string::npos) return "";
  return scope.substr(b + 1, c - b - 1);
}

void E2eTest::SetUp() {
  char tmpl[] = "/tmp/brock-e2e-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  root_ = tmpl;
  home_ = root_ + "/home";
  project_ = home_ + "/work/project";
  fs::create_directories(project_ + "/.git");
  fs::create_directories(root_ + "/managed");
}

bool E2eTest::ManagedSettingsAvailable() {
  static const bool available = [] {
    char tmpl[] = "/tmp/brock-e2e-ns-XXXXXX";
    if (!mkdtemp(tmpl)) return false;
    std::string dir = tmpl;
    fs::create_directories(dir + "/managed");
    RunOutput r = RunProcess({BROCK_E2E_MANAGED_NS_BIN, dir + "/managed", dir + "/scratch",
                              "/bin/sh", "-c", "test -d /etc/claude-code"},
                             {}, dir, "");
    std::error_code ec;
    fs::permissions(dir + "/scratch/work/work", fs::perms::owner_all, ec);
    fs::remove_all(dir, ec);
    if (r.exit_code != 0) {
      std::fprintf(stderr,
                   "e2e: no user namespaces here (%s): brock runs without a test managed "
                   "directory and managed-policy tests skip\n",
                   r.err.c_str());
    }
    return r.exit_code == 0;
  }();
  return available;
}

void E2eTest::TrustProject() {
  RunOutput r = RunBrock({"trust", project_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

void E2eTest::TearDown() {
  emulator_.Stop();
  // Overlay work directories are left without permissions; give them back so they can go.
  std::error_code ec;
  for (const auto& e :
       fs::recursive_directory_iterator(root_, fs::directory_options::skip_permission_denied, ec)) {
    if (e.path().filename() == "work") fs::permissions(e.path(), fs::perms::owner_all, ec);
  }
  if (!HasFailure())
    fs::remove_all(root_);
  else
    std::fprintf(stderr, "e2e: kept %s for inspection\n", root_.c_str());
}

void E2eTest::WriteFile(const std::string& path, const std::string& content) {
  std::string full = path.empty() || path[0] == '/' ? path : root_ + "/" + path;
  fs::create_directories(fs::path(full).parent_path());
  std::ofstream out(full, std::ios::binary);
  out << content;
}

void E2eTest::WriteGuideSetup(const std::string& profile, const std::string& region) {
  WriteFile(home_ + "/.claude/settings.json",
            "{\n  \"env\": {\n    \"CLAUDE_CODE_USE_BEDROCK\": \"1\",\n    \"AWS_REGION\": \"" +
                region + "\",\n    \"AWS_PROFILE\": \"" + profile + "\"\n  }\n}\n");
  WriteFile(home_ + "/.aws/credentials", "[" + profile + "]\naws_access_key_id = " + kKeyId +
                                             "\naws_secret_access_key = " + kSecret + "\n");
}

void E2eTest::StartEmulator(std::vector<std::string> extra) {
  std::vector<std::string> args = {"--access-key", std::string(kKeyId) + ":" + kSecret};
  args.insert(args.end(), extra.begin(), extra.end());
  emulator_.Start(root_, args);
}

std::string E2eTest::WriteSsoSetup(const std::string& access_token, const std::string& expires_at,
                                   const std::string& refresh_token) {
  WriteFile(
      home_ + "/.claude/settings.json",
      R"({"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "AWS_PROFILE": "ui-dev"}})");
  WriteFile(
      home_ + "/.aws/config",
      "[profile ui-dev]\nsso_session = corp\nsso_account_id = 111122223333\n"
      "sso_role_name = BedrockUser\nregion = us-east-1\n\n"
      "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"
      "sso_registration_scopes = sso:account:access\n");
  std::string cache_path = home_ + "/.aws/sso/cache/" + Sha1Hex("corp") + ".json";
  WriteFile(cache_path, Json{{"startUrl", "https://corp.awsapps.com/start"},
                             {"region", "us-east-1"},
                             {"accessToken", access_token},
                             {"expiresAt", expires_at},
                             {"clientId", "client-id-e2e"},
                             {"clientSecret", "client-secret-e2e-0000000000"},
                             {"registrationExpiresAt", "2099-01-01T00:00:00Z"},
                             {"refreshToken", refresh_token}}
                            .dump());
  return cache_path;
}

std::map<std::string, std::string> E2eTest::SsoEndpoints() const {
  return {{"AWS_ENDPOINT_URL_SSO_OIDC", emulator_.url()},
          {"AWS_ENDPOINT_URL_SSO", emulator_.url()}};
}

std::map<std::string, std::string> E2eTest::BrockEnv(std::map<std::string, std::string> env) const {
  std::map<std::string, std::string> full = {
      {"HOME", home_},
      {"PATH", "/usr/local/bin:/usr/bin:/bin"},
      {"BROCK_RETRY_BASE_DELAY_MS", "5"},
      {"BROCK_RETRY_MAX_DELAY_MS", "20"},
      // Never reach for the real instance metadata address from a test.
      {"AWS_EC2_METADATA_DISABLED", "true"},
      // Thinking is on by default, as in Claude Code; tests that are not about it send no
      // thinking parameter so each reply stays what its script says (thinking_test.cc unsets
      // this with "<unset>").
      {"CLAUDE_CODE_DISABLE_THINKING", "1"},
  };
  // Without an emulator (it failed to start, or the test needs none), a port on 127.0.0.1 that
  // refuses connections: a test must never fall through to the real AWS endpoint.
  full["ANTHROPIC_BEDROCK_BASE_URL"] =
      emulator_.port() > 0 ? emulator_.url() : "http://127.0.0.1:9";
  for (auto& [k, v] : env) {
    if (v == "<unset>")
      full.erase(k);
    else
      full[k] = v;
  }
  return full;
}

RunOutput E2eTest::RunBrock(const std::vector<std::string>& args,
                            std::map<std::string, std::string> env, const std::string& stdin_data) {
  std::vector<std::string> argv;
  if (ManagedSettingsAvailable()) {
    static int run = 0;
    argv = {BROCK_E2E_MANAGED_NS_BIN, root_ + "/managed", root_ + "/ns-" + std::to_string(++run)};
  }
  argv.push_back(BROCK_BIN);
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, BrockEnv(std::move(env)), project_, stdin_data);
}

}  // namespace brock::e2e
