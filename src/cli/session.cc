#include "cli/session.h"

#include <cstdio>

#include "agent/memory.h"
#include "aws/auth_refresh.h"
#include "aws/ca_bundle.h"
#include "base/log.h"
#include "base/strings.h"
#include "bedrock/model_table.h"
#include "bedrock/prices.h"
#include "cli/guide_context.h"
#include "mcp/mcp_config.h"
#include "settings/trust_store.h"

namespace brock {

namespace {

void CopyToStderr(std::string_view chunk, bool) {
  std::fwrite(chunk.data(), 1, chunk.size(), stderr);  // the user's own login output
  std::fflush(stderr);
}

// The CLAUDE.md imports an untrusted project would bring in from outside `directory`.
std::vector<std::string> RefusedMemoryImports(const Env& env, const std::string& directory) {
  MemoryOptions mo;
  mo.cwd = env.CurrentDir();
  mo.home = env.HomeDir();
  mo.confine_project_to = directory;
  return LoadMemory(env, mo).refused;
}

Error ModelNotAvailable(const ModelChoice& model, const ManagedPolicy& policy) {
  return MakeError("model.not_available",
                   "model " + model.model_id + " (" + model.origin +
                       ") is not in availableModels [" + Join(*policy.available_models, ", ") +
                       "] of " + policy.available_models_origin,
                   "choose one of those models (--model, ANTHROPIC_MODEL or the model setting); "
                   "the list is your organisation's policy, set in " +
                       policy.available_models_origin);
}

}  // namespace

Session::~Session() = default;

Result<std::unique_ptr<Session>> Session::Open(Env& env, const CliOptions& options,
                                               const SessionHooks& hooks, Depth depth) {
  std::unique_ptr<Session> s(new Session(env));
  if (Status st = s->OpenAws(options, hooks); !st.ok()) return st.error();
  if (depth == Depth::kAws) return s;
  if (Status st = s->OpenBedrock(options, hooks); !st.ok()) return st.error();
  return s;
}

Status Session::LoadWorkspaceSettings(const CliOptions& options, const SessionHooks& hooks) {
  std::string cwd = env_.CurrentDir();
  trust_directory_ = TrustDirectoryFor(cwd, FindProject(env_, cwd));
  TrustDecision decision;
  if (auto looked_up = LookUpTrust(env_, trust_directory_); looked_up.ok()) {
    decision = *looked_up;
  } else {
    warnings_.push_back(looked_up.error().ToString());  // a broken store trusts nothing
  }
  SettingsOptions so;
  so.cwd = cwd;
  so.cli_settings = options.settings;
  so.managed_dir = hooks.managed_dir;
  so.project_trusted = decision.state == TrustState::kTrusted;
  so.sources = options.setting_sources;
  if (options.restricted) so.sources = std::vector<std::string>{};  // managed and --settings only
  auto settings = LoadSettings(env_, so);
  if (!settings.ok()) return std::move(settings).error();
  settings_ = std::move(settings).value();
  for (const std::string& w : settings_.warnings) warnings_.push_back(w);
  if (settings_.project_trusted) return {};

  TrustReport report;
  report.directory = trust_directory_;
  report.rememberable = CanRememberTrust(env_, trust_directory_);
  report.ignored = settings_.ignored;
  report.refused_imports = RefusedMemoryImports(env_, trust_directory_);
  for (auto& item : ProjectMcpServersForTrustReport(env_, cwd)) {
    report.ignored.push_back(std::move(item));
  }
  if (report.empty()) return {};
  bool ask = hooks.ask_trust && decision.state == TrustState::kUnknown;
  if (ask) {
    bool trusted = hooks.ask_trust(report);
    if (report.rememberable) {
      if (Status st = RecordTrust(env_, trust_directory_, trusted); !st.ok()) {
        warnings_.push_back("the answer was not remembered: " + st.error().ToString());
      }
    }
    if (trusted) {
      so.project_trusted = true;
      auto full = LoadSettings(env_, so);
      if (!full.ok()) return std::move(full).error();
      settings_ = std::move(full).value();
      for (const std::string& w : settings_.warnings) warnings_.push_back(w);
      return {};
    }
  }
  warnings_.push_back(UntrustedNotice(report));
  return {};
}

Status Session::OpenAws(const CliOptions& options, const SessionHooks& hooks) {
  if (Status st = LoadWorkspaceSettings(options, hooks); !st.ok()) return st;
  ApplySettingsEnv(settings_, env_);
  for (const std::string& f : settings_.files_loaded) DebugLog("settings: " + f);

  // The AWS files, read once. The CA bundle (AWS_CA_BUNDLE, else the active profile's
  // ca_bundle) is checked here, before any request.
  auto config = LoadAwsConfig(env_);
  if (!config.ok()) return std::move(config).error();
  initial_config_ = std::move(config).value();
  auto ho = AwsHttpClientOptions(env_, initial_config_, ActiveProfileName(env_));
  if (!ho.ok()) return std::move(ho).error();
  if (!ho->ca_bundle.empty())
    DebugLog("CA bundle " + ho->ca_bundle + " (" + ho->ca_bundle_origin + ")");
  http_ = MakeCurlHttpClient(*ho);
  return {};
}

Status Session::OpenBedrock(const CliOptions& options, const SessionHooks& hooks) {
  auto conn = ResolveBedrockConnection(env_, initial_config_);
  if (!conn.ok()) return std::move(conn).error();
  connection_ = std::move(conn).value();
  provenance_.profile = {connection_.profile, connection_.profile_origin};
  provenance_.region = {connection_.region, connection_.region_origin};
  provenance_.endpoint = {connection_.runtime.base_url,
                          connection_.runtime.context.endpoint_origin};
  provenance_.auth = {connection_.auth_summary, ""};

  on_refresh_output_ = hooks.on_refresh_output ? hooks.on_refresh_output : CopyToStderr;
  if (connection_.runtime.auth.kind == BedrockAuthKind::kSigV4) {
    DefaultChainOptions co;
    co.profile = connection_.profile;
    co.profile_explicit = connection_.profile_explicit;
    co.credential_export = settings_.aws_credential_export;
    co.credential_export_origin = settings_.aws_credential_export_origin;
    co.mfa_prompt = hooks.mfa_prompt;
    Env* env = &env_;
    HttpClient* http = http_.get();
    auto chain =
        ReloadableCredentials::Create(env_, initial_config_, [env, http, co](const AwsConfig& cfg) {
          return BuildDefaultCredentialChain(*env, *http, RealProcessRunner(), cfg, co);
        });
    if (!chain.ok()) return std::move(chain).error();
    credentials_ = std::move(chain).value();
    for (const auto& w : credentials_->warnings()) warnings_.push_back(w);
  }

  ModelRequest mr;
  mr.cli_model = options.model;
  mr.settings_model = settings_.model;
  mr.settings_model_origin = settings_.model_origin;
  mr.region = connection_.region;
  auto model = ResolveModel(env_, mr);
  if (!model.ok()) return std::move(model).error();
  const ManagedPolicy& policy = settings_.policy;
  if (policy.available_models && !IsModelAvailable(*policy.available_models, *model)) {
    return ModelNotAvailable(*model, policy);
  }
  model_ = std::move(model).value();
  provenance_.model = {model_.model_id, model_.origin};
  BuildModelClient();
  // An application inference profile ARN names no model: the catalog says which one it serves.
  if (std::string fm = ApplicationProfileFoundationModel(*this); !fm.empty()) {
    model_.family = ModelFamily(fm);
    RegisterUnderlyingModel(model_.model_id, fm);
    DebugLog(model_.model_id + " serves " + fm);
  }
  DebugLog("region " + connection_.region + " (" + connection_.region_origin + "), model " +
           model_.model_id + " (" + model_.origin + "), endpoint " + connection_.runtime.base_url +
           ", auth " + connection_.auth_summary);
  return {};
}

void Session::BuildModelClient() {
  RuntimeOptions rt = connection_.runtime;
  rt.context.model_origin = model_.origin;
  if (credentials_) {
    rt.auth.credentials = credentials_.get();
    if (has_auth_refresh()) {
      rt.on_credentials_expired = [this] { return RunAuthRefresh(); };
      rt.context.has_auth_refresh = true;
    }
  }
  model_client_.reset();
  runtime_ = std::make_unique<BedrockRuntime>(*http_, env_, std::move(rt));
  model_client_ = std::make_unique<BedrockModelClient>(*runtime_);
}

std::shared_ptr<const AwsConfig> Session::aws_config() const {
  if (credentials_) return credentials_->config();
  return std::shared_ptr<const AwsConfig>(std::shared_ptr<void>(), &initial_config_);
}

CredentialSource* Session::credentials() { return credentials_.get(); }

Status Session::SetModel(ModelChoice choice) {
  const ManagedPolicy& policy = settings_.policy;
  if (policy.available_models && !IsModelAvailable(*policy.available_models, choice)) {
    return ModelNotAvailable(choice, policy);
  }
  model_ = std::move(choice);
  provenance_.model = {model_.model_id, model_.origin};
  BuildModelClient();
  return {};
}

Status Session::RunAuthRefresh() {
  if (!credentials_ || !settings_.aws_auth_refresh) return {};
  AuthRefreshOptions ro;
  ro.profile = connection_.profile_explicit ? connection_.profile : "";
  ro.origin = settings_.aws_auth_refresh_origin;
  ro.on_output = on_refresh_output_;
  if (Status s = brock::RunAuthRefresh(RealProcessRunner(), *settings_.aws_auth_refresh, ro);
      !s.ok()) {
    return s;
  }
  return ReloadCredentials();
}

Status Session::ReloadCredentials() {
  if (!credentials_) return {};
  return credentials_->Reload();
}

}  // namespace brock
