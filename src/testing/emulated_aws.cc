#include "testing/emulated_aws.h"

#include <cstdio>
#include <cstdlib>

#include "base/strings.h"
#include "emulator/auth.h"
#include "emulator/sts_service.h"

namespace brock::testing {

namespace {

// "/a?b" from "http://host:1/a?b".
std::string TargetOf(const std::string& url) {
  size_t scheme = url.find("://");
  size_t start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return start == std::string::npos ? "/" : url.substr(start);
}

// The region of a SigV4 Authorization header's credential scope ("AKID/date/REGION/sts/..."),
// or "".
std::string SignedRegion(const std::string& authorization) {
  size_t cred = authorization.find("Credential=");
  if (cred == std::string::npos) return "";
  std::string scope = authorization.substr(cred + 11, authorization.find(',', cred) - cred - 11);
  std::vector<std::string> parts = Split(scope, '/');
  return parts.size() > 2 ? parts[2] : "";
}

}  // namespace

EmulatedAws::EmulatedAws(const Env& env)
    : env_(env), issued_(std::chrono::hours(1), kSeed, [&env] { return env.Now(); }) {
  ImdsServiceOptions imds_options;
  imds_options.account = kAccount;
  imds_ = std::make_unique<ImdsService>(imds_options, &issued_, &recorder_);
  ResetSso(DefaultSsoOptions());
  auto server = HttpServer::Start(
      HttpServerOptions{}, [this](const HttpRequest& r, ResponseWriter& w) { Handle(r, w); });
  if (!server.ok()) {
    std::fprintf(stderr, "EmulatedAws: %s\n", server.error().ToString().c_str());
    std::abort();
  }
  server_ = std::move(*server);
}

EmulatedAws::~EmulatedAws() { server_->Stop(); }

std::string EmulatedAws::url() const {
  return "http://127.0.0.1:" + std::to_string(server_->port());
}

void EmulatedAws::AddKey(const std::string& key_id, const std::string& secret) {
  std::lock_guard<std::mutex> lock(mu_);
  keys_[key_id] = secret;
}

void EmulatedAws::DenyRole(const std::string& role_arn) {
  std::lock_guard<std::mutex> lock(mu_);
  denied_.insert(role_arn);
}

void EmulatedAws::ForceResponse(int status, std::string body, HttpHeaders headers) {
  std::lock_guard<std::mutex> lock(mu_);
  forced_.push_back({status, std::move(body), std::move(headers)});
}

void EmulatedAws::ResetSso(SsoServiceOptions options) {
  if (!options.now) options.now = [this] { return env_.Now(); };
  std::lock_guard<std::mutex> lock(mu_);
  sso_ = std::make_unique<SsoService>(std::move(options));
}

std::vector<StsCall> EmulatedAws::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

std::vector<TestHttpRequest> EmulatedAws::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::vector<TestHttpRequest> EmulatedAws::requests(std::string_view method,
                                                   std::string_view path) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<TestHttpRequest> out;
  for (const TestHttpRequest& r : requests_) {
    if (r.method == method && std::string_view(r.target).substr(0, r.target.find('?')) == path) {
      out.push_back(r);
    }
  }
  return out;
}

std::string EmulatedAws::SecretFor(const std::string& key_id) const {
  std::optional<brock::IssuedCredential> c = issued_.Find(key_id);
  return c ? c->secret_access_key : "";
}

brock::IssuedCredential EmulatedAws::Issued(int n) { return DeterministicCredential(kSeed, n); }

std::string EmulatedAws::CallerArn() {
  return std::string("arn:aws:iam::") + kAccount + ":user/emulator-user";
}

std::string EmulatedAws::ImdsRole() { return ImdsServiceOptions{}.role_name; }

SsoServiceOptions EmulatedAws::DefaultSsoOptions() {
  SsoServiceOptions options;
  options.access_key_id = kSsoAccessKeyId;
  options.secret_access_key = kSsoSecretAccessKey;
  options.account_roles = {{kAccount, {"BedrockUser"}}};
  return options;
}

void EmulatedAws::Handle(const HttpRequest& request, ResponseWriter& writer) {
  std::lock_guard<std::mutex> lock(mu_);  // one call at a time: calls() stays in order
  TestHttpRequest raw{request.method, TargetOf(request.url), request.headers, request.body};
  requests_.push_back(raw);
  std::map<std::string, std::string> params = ParseFormBody(request.body);
  bool is_sts = request.method == "POST" && params.count("Action");
  StsCall call;
  if (is_sts) {
    call.raw = raw;
    call.params = params;
    call.action = params["Action"];
    std::string authorization = FindHeader(request.headers, "Authorization");
    call.signed_request = !authorization.empty();
    call.signer_key_id = AccessKeyIdFromAuthorization(authorization);
  }
  if (!forced_.empty()) {
    Forced forced = std::move(forced_.front());
    forced_.pop_front();
    if (is_sts) calls_.push_back(call);
    writer.Send(forced.status, forced.headers, forced.body);
    return;
  }
  if (sso_->Handle(request, writer)) return;
  if (imds_->Handle(request, writer)) return;
  StsServiceOptions options;
  options.auth.access_keys = keys_;
  options.auth.region = SignedRegion(FindHeader(request.headers, "Authorization"));
  options.denied_roles = denied_;
  options.account = kAccount;
  StsService sts(options, &issued_, &recorder_);
  size_t before = recorder_.All().size();
  if (sts.Handle(request, writer)) {
    std::vector<RecordedRequest> records = recorder_.All();
    if (call.signed_request && records.size() > before && !records.back().auth_ok) {
      call.verify_error = records.back().auth_error;
    }
    calls_.push_back(call);
    return;
  }
  writer.Send(404, {{"Content-Type", "text/plain"}}, "EmulatedAws: no service for " + raw.target);
}

}  // namespace brock::testing
