#include "emulator/emulator.h"

#include "emulator/bedrock_runtime.h"
#include "emulator/http_server.h"
#include "emulator/sso_service.h"

namespace brock {

struct Emulator::Parts {
  std::string host;
  std::unique_ptr<RequestRecorder> recorder;
  std::unique_ptr<BedrockRuntime> runtime;
  std::unique_ptr<SsoService> sso;
  std::unique_ptr<HttpServer> server;
};

Result<std::unique_ptr<Emulator>> Emulator::Start(const EmulatorOptions& options) {
  auto parts = std::make_unique<Parts>();
  parts->host = options.host;
  RuntimeOptions rt;
  rt.auth.region = options.region;
  rt.auth.no_auth = options.no_auth;
  rt.auth.session_token = options.session_token;
  rt.auth.bearer_token = options.bearer_token;
  rt.auth.expired.insert(options.expired_tokens.begin(), options.expired_tokens.end());
  if (options.access_keys.empty()) {
    rt.auth.access_keys[kEmulatorAccessKeyId] = kEmulatorSecretAccessKey;
  }
  for (const auto& [id, secret] : options.access_keys) rt.auth.access_keys[id] = secret;
  rt.allowed_models = options.allowed_models;
  rt.script = options.script;
  parts->recorder = std::make_unique<RequestRecorder>(options.request_log_path);
  parts->runtime = std::make_unique<BedrockRuntime>(std::move(rt), parts->recorder.get());
  // GetRoleCredentials hands out keys the runtime accepts.
  SsoServiceOptions so;
  so.access_key_id = options.access_keys.empty() ? kEmulatorAccessKeyId : options.access_keys[0].first;
  so.secret_access_key =
      options.access_keys.empty() ? kEmulatorSecretAccessKey : options.access_keys[0].second;
  so.session_token = options.session_token;
  so.role_credentials_lifetime = std::chrono::seconds(options.sso_role_credentials_seconds);
  parts->sso = std::make_unique<SsoService>(so);
  for (const auto& t : options.sso_access_tokens) {
    parts->sso->AddAccessToken(t, Clock::now() + std::chrono::hours(8));
  }
  for (const auto& [token, id, secret] : options.sso_refresh_tokens) {
    parts->sso->AddRefreshToken(token, id, secret);
  }
  HttpServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  BedrockRuntime* runtime = parts->runtime.get();
  SsoService* sso = parts->sso.get();
  auto server = HttpServer::Start(server_options, [runtime, sso](const HttpRequest& r, ResponseWriter& w) {
    if (sso->Handle(r, w)) return;
    runtime->Handle(r, w);
  });
  if (!server) return server.error();
  parts->server = std::move(*server);
  return std::unique_ptr<Emulator>(new Emulator(std::move(parts)));
}

Emulator::Emulator(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
Emulator::~Emulator() { Stop(); }

int Emulator::port() const { return parts_->server->port(); }

std::string Emulator::endpoint() const {
  std::string host = parts_->host.find(':') != std::string::npos && parts_->host[0] != '['
                         ? "[" + parts_->host + "]"
                         : parts_->host;
  return "http://" + host + ":" + std::to_string(port());
}

std::vector<RecordedRequest> Emulator::requests() const { return parts_->recorder->All(); }
void Emulator::ClearRequests() { parts_->recorder->Clear(); }
void Emulator::Stop() {
  if (parts_ && parts_->server) parts_->server->Stop();
}

}  // namespace brock
