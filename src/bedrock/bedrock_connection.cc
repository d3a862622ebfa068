#include "bedrock/bedrock_connection.h"

#include "aws/auth_refresh.h"
#include "aws/container_credentials.h"
#include "aws/credential_export.h"
#include "aws/endpoint.h"
#include "aws/env_credentials.h"
#include "aws/imds_credentials.h"
#include "aws/profile_provider.h"
#include "aws/region.h"
#include "aws/sso_credentials.h"
#include "base/secrets.h"
#include "base/strings.h"

namespace brock {

Result<HttpHeaders> ParseCustomHeaders(std::string_view text) {
  HttpHeaders out;
  for (const std::string& raw : Split(text, '\n')) {
    std::string_view line = Trim(raw);
    if (line.empty()) continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return MakeError("settings.custom_headers",
                       "ANTHROPIC_CUSTOM_HEADERS has a line without \"Name: Value\": " +
                           std::string(line.substr(0, 40)),
                       "write one header per line as Name: Value");
    }
    out.emplace_back(std::string(Trim(line.substr(0, colon))),
                     std::string(Trim(line.substr(colon + 1))));
  }
  return out;
}

namespace {

std::string StaleKeysWarning(const Env& env, const std::string& profile,
                             const std::string& profile_origin) {
  std::vector<std::string> set;
  for (const char* v : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}) {
    if (env.GetNonEmpty(v)) set.push_back(v);
  }
  std::string origin = env.VarOrigin("AWS_ACCESS_KEY_ID");
  if (!env.GetNonEmpty("AWS_ACCESS_KEY_ID")) origin = env.VarOrigin("AWS_SECRET_ACCESS_KEY");
  return "warning: " + Join(set, ", ") + " " + (set.size() == 1 ? "is" : "are") +
         " set (from " + origin + ") while AWS_PROFILE=" + profile + " (from " + profile_origin +
         ") is also set; brock uses the profile " + profile +
         ". If these keys are stale, remove them: unset " + Join(set, " ");
}

}  // namespace

Result<std::unique_ptr<BedrockConnection>> ResolveBedrockConnection(
    Env& env, HttpClient& http, ProcessRunner& runner, const BedrockAuthSettings& auth_settings) {
  auto conn = std::make_unique<BedrockConnection>();
  auto config = LoadAwsConfig(env);
  if (!config.ok()) return std::move(config).error();
  conn->aws_config = std::make_unique<AwsConfig>(std::move(config).value());
  const AwsConfig& cfg = *conn->aws_config;

  conn->profile_explicit = env.GetNonEmpty("AWS_PROFILE").has_value();
  conn->profile = ActiveProfileName(env);
  conn->profile_origin = conn->profile_explicit ? "AWS_PROFILE (from " + env.VarOrigin("AWS_PROFILE") + ")"
                                                : "the default profile";

  auto region = ResolveRegion(env, cfg, conn->profile);
  if (!region.ok()) return std::move(region).error();
  conn->region = region->region;
  conn->region_origin = region->origin;

  RuntimeOptions& rt = conn->runtime;
  rt.region = conn->region;
  if (auto base = env.GetNonEmpty("ANTHROPIC_BEDROCK_BASE_URL")) {
    rt.base_url = *base;
    rt.context.endpoint_origin = "ANTHROPIC_BEDROCK_BASE_URL (from " +
                                 env.VarOrigin("ANTHROPIC_BEDROCK_BASE_URL") + ")";
  } else {
    auto ep = ResolveEndpoint(env, cfg, conn->profile, "bedrock-runtime", conn->region);
    if (!ep.ok()) return std::move(ep).error();
    rt.base_url = ep->url;
    rt.context.endpoint_origin = ep->origin;
  }
  rt.context.endpoint = rt.base_url;
  rt.context.region = conn->region;
  rt.context.region_origin = conn->region_origin;

  if (auto headers = env.GetNonEmpty("ANTHROPIC_CUSTOM_HEADERS")) {
    auto parsed = ParseCustomHeaders(*headers);
    if (!parsed.ok()) return std::move(parsed).error();
    rt.extra_headers = std::move(parsed).value();
  }
  rt.max_retries = static_cast<int>(env.GetInt("CLAUDE_CODE_MAX_RETRIES", 10));
  rt.retry_base_delay = std::chrono::milliseconds(env.GetInt("BROCK_RETRY_BASE_DELAY_MS", 500));
  rt.retry_max_delay = std::chrono::milliseconds(
      std::max<int64_t>(env.GetInt("BROCK_RETRY_MAX_DELAY_MS", 8000), rt.retry_base_delay.count()));

  if (env.GetBool("CLAUDE_CODE_SKIP_BEDROCK_AUTH")) {
    rt.auth.kind = BedrockAuthKind::kUnsigned;
    conn->auth_summary = "none (CLAUDE_CODE_SKIP_BEDROCK_AUTH=1)";
  } else if (auto token = env.GetNonEmpty("AWS_BEARER_TOKEN_BEDROCK")) {
    RegisterSecret(*token);
    rt.auth.kind = BedrockAuthKind::kBearer;
    rt.auth.bearer_token = *token;
    conn->auth_summary = "Bedrock API key (AWS_BEARER_TOKEN_BEDROCK from " +
                         env.VarOrigin("AWS_BEARER_TOKEN_BEDROCK") + ")";
  } else {
    // The AWS JS SDK's order, as Claude Code uses it: awsCredentialExport when set, then
    // environment keys unless a profile was selected explicitly (then the profile wins and the
    // keys are ignored, with a warning), the profile (roles, web identity, SSO, keys, process),
    // container credentials, EC2 instance metadata.
    std::vector<std::unique_ptr<CredentialProvider>> providers;
    if (auth_settings.aws_credential_export) {
      CredentialExportOptions eo;
      eo.profile = conn->profile_explicit ? conn->profile : "";
      eo.origin = auth_settings.aws_credential_export_origin;
      providers.push_back(std::make_unique<CredentialExportProvider>(
          env, runner, *auth_settings.aws_credential_export, eo));
    }
    if (conn->profile_explicit) {
      if (EnvHasAccessKeys(env)) {
        conn->warnings.push_back(StaleKeysWarning(env, conn->profile, env.VarOrigin("AWS_PROFILE")));
      }
    } else {
      providers.push_back(std::make_unique<EnvCredentialProvider>(env));
    }
    ProfileProviderOptions po;
    po.explicit_selection = conn->profile_explicit;
    po.selection_origin = env.VarOrigin("AWS_PROFILE");
    po.mfa_prompt = auth_settings.mfa_prompt;
    po.make_sso = [&env, &http, &cfg](const std::string& profile) -> std::unique_ptr<CredentialProvider> {
      return std::make_unique<SsoCredentialProvider>(env, http, cfg, profile);
    };
    auto profile_provider = MakeProfileProvider(env, http, runner, cfg, conn->profile, po);
    if (profile_provider.ok()) {
      providers.push_back(std::move(profile_provider).value());
    } else if (conn->profile_explicit) {
      return std::move(profile_provider).error();
    } else {
      providers.push_back(MakeDeferredErrorProvider("profile " + conn->profile,
                                                  std::move(profile_provider).error()));
    }
    providers.push_back(std::make_unique<ContainerCredentialProvider>(env, http));
    ImdsOptions imds;
    imds.config_endpoint = cfg.Get(conn->profile, "ec2_metadata_service_endpoint").value_or("");
    imds.config_endpoint_mode = cfg.Get(conn->profile, "ec2_metadata_service_endpoint_mode").value_or("");
    providers.push_back(std::make_unique<ImdsCredentialProvider>(env, http, imds));
    conn->chain = std::make_unique<CredentialChain>(env, std::move(providers));
    rt.auth.kind = BedrockAuthKind::kSigV4;
    rt.auth.credentials = conn->chain.get();
    conn->auth_summary = conn->profile_explicit ? "profile " + conn->profile
                                                : "environment keys or the default profile";
    rt.context.profile = conn->profile;
    rt.context.profile_origin = conn->profile_origin;
  }
  if (auth_settings.aws_auth_refresh && rt.auth.kind == BedrockAuthKind::kSigV4) {
    AuthRefreshOptions ro;
    ro.profile = conn->profile_explicit ? conn->profile : "";
    ro.origin = auth_settings.aws_auth_refresh_origin;
    ro.on_output = auth_settings.on_refresh_output;
    std::string command = *auth_settings.aws_auth_refresh;
    AwsConfig* config = conn->aws_config.get();
    rt.on_credentials_expired = [&env, &runner, command, ro, config]() -> Status {
      if (Status s = RunAuthRefresh(runner, command, ro); !s.ok()) return s;
      // The login may have rewritten ~/.aws/credentials or config: read them again, in place,
      // so the providers (which refer to this AwsConfig) see the new values.
      auto fresh = LoadAwsConfig(env);
      if (!fresh.ok()) return std::move(fresh).error();
      *config = std::move(fresh).value();
      return {};
    };
    rt.context.has_auth_refresh = true;
  }
  return conn;
}

}  // namespace brock
