#include "aws/default_chain.h"

#include "aws/container_credentials.h"
#include "aws/credential_export.h"
#include "aws/env_credentials.h"
#include "aws/imds_credentials.h"
#include "aws/profile_provider.h"
#include "aws/sso_credentials.h"
#include "base/strings.h"

namespace brock {

namespace {

std::string StaleKeysWarning(const Env& env, const std::string& profile) {
  std::vector<std::string> set;
  for (const char* v : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}) {
    if (env.GetNonEmpty(v)) set.push_back(v);
  }
  std::string origin = env.VarOrigin("AWS_ACCESS_KEY_ID");
  if (!env.GetNonEmpty("AWS_ACCESS_KEY_ID")) origin = env.VarOrigin("AWS_SECRET_ACCESS_KEY");
  return "warning: " + Join(set, ", ") + " " + (set.size() == 1 ? "is" : "are") + " set (from " +
         origin + ") while AWS_PROFILE=" + profile + " (from " + env.VarOrigin("AWS_PROFILE") +
         ") is also set; brock uses the profile " + profile +
         ". If these keys are stale, remove them: unset " + Join(set, " ");
}

}  // namespace

Result<DefaultChain> BuildDefaultCredentialChain(Env& env, HttpClient& http, ProcessRunner& runner,
                                                 const AwsConfig& cfg,
                                                 const DefaultChainOptions& options) {
  DefaultChain out;
  std::vector<std::unique_ptr<CredentialProvider>> providers;
  if (options.credential_export) {
    CredentialExportOptions eo;
    eo.profile = options.profile_explicit ? options.profile : "";
    eo.origin = options.credential_export_origin;
    providers.push_back(
        std::make_unique<CredentialExportProvider>(env, runner, *options.credential_export, eo));
  }
  if (options.profile_explicit) {
    if (EnvHasAccessKeys(env)) out.warnings.push_back(StaleKeysWarning(env, options.profile));
  } else {
    providers.push_back(std::make_unique<EnvCredentialProvider>(env));
  }
  ProfileProviderOptions po;
  po.explicit_selection = options.profile_explicit;
  po.selection_origin = env.VarOrigin("AWS_PROFILE");
  po.mfa_prompt = options.mfa_prompt;
  po.make_sso = [&env, &http,
                 &cfg](const std::string& profile) -> std::unique_ptr<CredentialProvider> {
    return std::make_unique<SsoCredentialProvider>(env, http, cfg, profile);
  };
  auto profile_provider = MakeProfileProvider(env, http, runner, cfg, options.profile, po);
  if (profile_provider.ok()) {
    providers.push_back(std::move(profile_provider).value());
  } else if (options.profile_explicit) {
    return std::move(profile_provider).error();
  } else {
    providers.push_back(MakeDeferredErrorProvider("profile " + options.profile,
                                                  std::move(profile_provider).error()));
  }
  providers.push_back(std::make_unique<ContainerCredentialProvider>(env, http));
  ImdsOptions imds;
  imds.config_endpoint = cfg.Get(options.profile, "ec2_metadata_service_endpoint").value_or("");
  imds.config_endpoint_mode =
      cfg.Get(options.profile, "ec2_metadata_service_endpoint_mode").value_or("");
  providers.push_back(std::make_unique<ImdsCredentialProvider>(env, http, imds));
  out.chain = std::make_unique<CredentialChain>(env, std::move(providers));
  return out;
}

Result<std::shared_ptr<ReloadableCredentials::Generation>> ReloadableCredentials::Build(
    const ChainFactory& factory, AwsConfig config, std::vector<std::string>* warnings) {
  auto gen = std::make_shared<Generation>();
  gen->config = std::move(config);
  auto built = factory(gen->config);
  if (!built.ok()) return std::move(built).error();
  gen->chain = std::move(built->chain);
  if (warnings) *warnings = std::move(built->warnings);
  return gen;
}

Result<std::unique_ptr<ReloadableCredentials>> ReloadableCredentials::Create(const Env& env,
                                                                             AwsConfig config,
                                                                             ChainFactory factory) {
  std::unique_ptr<ReloadableCredentials> r(new ReloadableCredentials(env, std::move(factory)));
  auto gen = Build(r->factory_, std::move(config), &r->warnings_);
  if (!gen.ok()) return std::move(gen).error();
  r->current_ = std::move(gen).value();
  return r;
}

std::shared_ptr<ReloadableCredentials::Generation> ReloadableCredentials::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

Result<Credentials> ReloadableCredentials::Get(bool force_refresh) {
  std::shared_ptr<Generation> gen = Current();  // keeps it alive while it answers
  return gen->chain->Get(force_refresh);
}

Status ReloadableCredentials::Reload() {
  auto fresh = LoadAwsConfig(env_);
  if (!fresh.ok()) return std::move(fresh).error();
  auto gen = Build(factory_, std::move(fresh).value(), nullptr);
  if (!gen.ok()) return std::move(gen).error();
  std::lock_guard<std::mutex> lock(mu_);
  current_ = std::move(gen).value();
  return {};
}

std::shared_ptr<const AwsConfig> ReloadableCredentials::config() const {
  std::shared_ptr<Generation> gen = Current();
  return std::shared_ptr<const AwsConfig>(gen, &gen->config);
}

}  // namespace brock
