#include "aws/profile_provider.h"

#include "aws/container_credentials.h"
#include "aws/env_credentials.h"
#include "aws/imds_credentials.h"
#include "aws/process_credentials.h"
#include "aws/profile_credentials.h"
#include "aws/sts_client.h"
#include "aws/web_identity_credentials.h"

namespace brock {

namespace {

// Tries its providers in order; the first that is configured answers.
class FirstConfiguredProvider : public CredentialProvider {
 public:
  FirstConfiguredProvider(std::string name,
                          std::vector<std::unique_ptr<CredentialProvider>> providers)
      : name_(std::move(name)), providers_(std::move(providers)) {}
  std::string name() const override { return name_; }
  Result<std::optional<Credentials>> Load() override {
    for (auto& p : providers_) {
      auto r = p->Load();
      if (!r.ok() || r->has_value()) return r;
    }
    return std::optional<Credentials>();
  }

 private:
  std::string name_;
  std::vector<std::unique_ptr<CredentialProvider>> providers_;
};

// Reports a configuration error when (and only when) the chain reaches it, so environment
// variables earlier in the chain still work with a broken profile, as in botocore.
class ErrorProvider : public CredentialProvider {
 public:
  ErrorProvider(std::string name, Error error) : name_(std::move(name)), error_(std::move(error)) {}
  std::string name() const override { return name_; }
  Result<std::optional<Credentials>> Load() override { return error_; }

 private:
  std::string name_;
  Error error_;
};

bool Has(const ProfileSection* p, std::string_view key) {
  if (!p) return false;
  auto v = p->Get(key);
  return v && !v->empty();
}

class Builder {
 public:
  Builder(const Env& env, HttpClient& http, ProcessRunner& runner, const AwsConfig& config,
          std::string top_profile, ProfileProviderOptions options)
      : env_(env),
        http_(http),
        runner_(runner),
        config_(config),
        top_(std::move(top_profile)),
        options_(std::move(options)) {}

  ImdsOptions Imds() const {
    ImdsOptions o;
    o.config_endpoint = config_.Get(top_, "ec2_metadata_service_endpoint").value_or("");
    o.config_endpoint_mode = config_.Get(top_, "ec2_metadata_service_endpoint_mode").value_or("");
    return o;
  }

  Result<StsClient> Sts() const {
    auto endpoint = ResolveStsEndpoint(env_, config_, top_);
    if (!endpoint.ok()) return std::move(endpoint).error();
    return StsClient(env_, http_, std::move(endpoint).value());
  }

  // Steps 2-6 for `profile`. `top`: the selected profile (explicit selection and environment
  // web identity apply) rather than a source_profile.
  Result<std::unique_ptr<CredentialProvider>> ProfileChain(const std::string& profile, bool top) {
    std::vector<std::unique_ptr<CredentialProvider>> list;
    const ProfileSection* section = config_.Find(profile);
    bool use_env = top && options_.use_env_web_identity;
    if (auto wi = FindWebIdentityConfig(env_, config_, profile, use_env)) {
      auto sts = Sts();
      if (!sts.ok()) return std::move(sts).error();
      list.push_back(
          std::make_unique<WebIdentityCredentialProvider>(env_, std::move(sts).value(), *wi));
    }
    bool explicit_selection = top && options_.explicit_selection;
    std::string origin = top ? options_.selection_origin : "source_profile";
    if (section) {
      if ((Has(section, "sso_session") || Has(section, "sso_start_url")) && options_.make_sso) {
        if (auto sso = options_.make_sso(profile)) list.push_back(std::move(sso));
      }
      if (Has(section, "aws_access_key_id") &&
          section->Origin("aws_access_key_id") == config_.credentials_path) {
        list.push_back(std::make_unique<ProfileCredentialProvider>(config_, profile,
                                                                   explicit_selection, origin));
      }
      if (Has(section, "credential_process")) {
        list.push_back(std::make_unique<ProcessCredentialProvider>(
            env_, runner_, profile, *section->Get("credential_process"),
            section->Origin("credential_process"), options_.process_timeout));
      }
    }
    list.push_back(
        std::make_unique<ProfileCredentialProvider>(config_, profile, explicit_selection, origin));
    return std::unique_ptr<CredentialProvider>(
        std::make_unique<FirstConfiguredProvider>("profile " + profile, std::move(list)));
  }

  Result<std::unique_ptr<CredentialProvider>> Top() {
    const ProfileSection* section = config_.Find(top_);
    if (!section || !HasAssumeRoleConfig(*section)) return ProfileChain(top_, true);
    auto sts = Sts();
    if (!sts.ok()) return std::move(sts).error();
    RoleChainContext ctx{env_,
                         config_,
                         std::move(sts).value(),
                         options_.mfa_prompt,
                         [this](const std::string& p) { return ProfileChain(p, false); },
                         [this](const std::string& source) -> std::unique_ptr<CredentialProvider> {
                           if (source == "Environment")
                             return std::make_unique<EnvCredentialProvider>(env_);
                           if (source == "EcsContainer")
                             return std::make_unique<ContainerCredentialProvider>(env_, http_);
                           return std::make_unique<ImdsCredentialProvider>(env_, http_, Imds());
                         }};
    return MakeAssumeRoleChain(ctx, top_);
  }

 private:
  const Env& env_;
  HttpClient& http_;
  ProcessRunner& runner_;
  const AwsConfig& config_;
  std::string top_;
  ProfileProviderOptions options_;
};

}  // namespace

Result<std::unique_ptr<CredentialProvider>> MakeProfileProvider(const Env& env, HttpClient& http,
                                                                ProcessRunner& runner,
                                                                const AwsConfig& config,
                                                                std::string profile,
                                                                ProfileProviderOptions options) {
  Builder builder(env, http, runner, config, std::move(profile), std::move(options));
  return builder.Top();
}

std::unique_ptr<CredentialProvider> MakeDeferredErrorProvider(std::string name, Error error) {
  return std::make_unique<ErrorProvider>(std::move(name), std::move(error));
}

Result<std::vector<std::unique_ptr<CredentialProvider>>> MakeDefaultCredentialProviders(
    const Env& env, HttpClient& http, ProcessRunner& runner, const AwsConfig& config,
    ProfileProviderOptions options) {
  ProfileSelection selection = SelectProfile(env);
  options.explicit_selection = selection.explicit_;
  options.selection_origin = selection.origin;
  ImdsOptions imds;
  imds.config_endpoint = config.Get(selection.name, "ec2_metadata_service_endpoint").value_or("");
  imds.config_endpoint_mode =
      config.Get(selection.name, "ec2_metadata_service_endpoint_mode").value_or("");
  auto profile = MakeProfileProvider(env, http, runner, config, selection.name, std::move(options));
  std::vector<std::unique_ptr<CredentialProvider>> providers;
  providers.push_back(std::make_unique<EnvCredentialProvider>(env));
  if (profile.ok()) {
    providers.push_back(std::move(profile).value());
  } else {
    providers.push_back(
        std::make_unique<ErrorProvider>("profile " + selection.name, std::move(profile).error()));
  }
  providers.push_back(std::make_unique<ContainerCredentialProvider>(env, http));
  providers.push_back(std::make_unique<ImdsCredentialProvider>(env, http, imds));
  return providers;
}

}  // namespace brock
