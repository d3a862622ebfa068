#include "emulator/emulator.h"

#include "emulator/bedrock_runtime.h"
#include "emulator/container_service.h"
#include "emulator/control_plane.h"
#include "emulator/http_server.h"
#include "emulator/imds_service.h"
#include "emulator/sso_service.h"
#include "emulator/sts_service.h"

namespace brock {

struct Emulator::Parts {
  std::string host;
  bool tls = false;
  std::unique_ptr<RequestRecorder> recorder;
  std::unique_ptr<IssuedCredentialStore> issued;
  std::unique_ptr<StsService> sts;
  std::unique_ptr<ImdsService> imds;
  std::unique_ptr<ContainerService> container;
  std::unique_ptr<EmulatedRuntime> runtime;
  std::unique_ptr<EmulatedControlPlane> control_plane;
  std::unique_ptr<SsoService> sso;
  std::unique_ptr<HttpServer> server;
};

Result<std::unique_ptr<Emulator>> Emulator::Start(const EmulatorOptions& options) {
  auto parts = std::make_unique<Parts>();
  parts->host = options.host;
  parts->tls = !options.tls_cert_file.empty();
  EmulatedRuntimeOptions rt;
  rt.auth.region = options.region;
  rt.auth.no_auth = options.no_auth;
  rt.auth.session_token = options.session_token;
  rt.auth.bearer_token = options.bearer_token;
  rt.auth.expired.insert(options.expired_tokens.begin(), options.expired_tokens.end());
  if (options.access_keys.empty()) {
    rt.auth.access_keys[kEmulatorAccessKeyId] = kEmulatorSecretAccessKey;
  }
  for (const auto& [id, secret] : options.access_keys) rt.auth.access_keys[id] = secret;
  parts->issued = std::make_unique<IssuedCredentialStore>(
      std::chrono::seconds(options.issued_credentials_seconds), options.issued_credentials_seed);
  rt.auth.issued = parts->issued.get();
  rt.allowed_models = options.allowed_models;
  EmulatedControlPlaneOptions cp;
  cp.catalog = BuildEmulatedCatalog(options.region, "111122223333");
  cp.denied_actions.insert(options.denied_actions.begin(), options.denied_actions.end());
  for (const auto& p : cp.catalog.profiles) {
    if (p.type == "APPLICATION") rt.extra_model_ids.push_back(p.arn);
  }
  rt.denied_actions = cp.denied_actions;
  rt.script = options.script;
  parts->recorder = std::make_unique<RequestRecorder>(options.request_log_path);
  StsServiceOptions sts_options;
  sts_options.auth = rt.auth;
  sts_options.web_identity_token = options.web_identity_token;
  sts_options.denied_roles.insert(options.sts_denied_roles.begin(), options.sts_denied_roles.end());
  parts->sts = std::make_unique<StsService>(std::move(sts_options), parts->issued.get(),
                                            parts->recorder.get());
  ImdsServiceOptions imds_options;
  imds_options.role_name = options.imds_role_name;
  parts->imds =
      std::make_unique<ImdsService>(imds_options, parts->issued.get(), parts->recorder.get());
  ContainerServiceOptions container_options;
  container_options.path = options.container_path;
  container_options.token = options.container_token;
  parts->container = std::make_unique<ContainerService>(container_options, parts->issued.get(),
                                                        parts->recorder.get());
  cp.auth = rt.auth;
  parts->control_plane =
      std::make_unique<EmulatedControlPlane>(std::move(cp), parts->recorder.get());
  parts->runtime = std::make_unique<EmulatedRuntime>(std::move(rt), parts->recorder.get());
  // GetRoleCredentials hands out keys the runtime accepts.
  SsoServiceOptions so;
  so.access_key_id =
      options.access_keys.empty() ? kEmulatorAccessKeyId : options.access_keys[0].first;
  so.secret_access_key =
      options.access_keys.empty() ? kEmulatorSecretAccessKey : options.access_keys[0].second;
  so.session_token = options.session_token;
  so.role_credentials_lifetime = std::chrono::seconds(options.sso_role_credentials_seconds);
  so.access_token_lifetime = std::chrono::seconds(options.sso_access_token_seconds);
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
  server_options.tls_cert_file = options.tls_cert_file;
  server_options.tls_key_file = options.tls_key_file;
  EmulatedRuntime* runtime = parts->runtime.get();
  SsoService* sso = parts->sso.get();
  StsService* sts = parts->sts.get();
  ImdsService* imds = parts->imds.get();
  ContainerService* container = parts->container.get();
  EmulatedControlPlane* control_plane = parts->control_plane.get();
  auto server = HttpServer::Start(
      server_options,
      [runtime, sso, sts, imds, container, control_plane](const HttpRequest& r, ResponseWriter& w) {
        if (control_plane->Handle(r, w)) return;
        if (sso->Handle(r, w)) return;
        if (sts->Handle(r, w)) return;
        if (imds->Handle(r, w)) return;
        if (container->Handle(r, w)) return;
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
  return (parts_->tls ? "https://" : "http://") + host + ":" + std::to_string(port());
}

std::vector<RecordedRequest> Emulator::requests() const { return parts_->recorder->All(); }
void Emulator::ClearRequests() { parts_->recorder->Clear(); }
std::vector<IssuedCredential> Emulator::issued_credentials() const { return parts_->issued->All(); }
void Emulator::Stop() {
  if (parts_ && parts_->server) parts_->server->Stop();
}

}  // namespace brock
