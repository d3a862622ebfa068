#include "cli/session_setup.h"

#include <cstdio>

#include "aws/ca_bundle.h"
#include "aws/config_file.h"
#include "base/log.h"
#include "base/process.h"

namespace brock {

Result<std::unique_ptr<SessionSetup>> SetUpSession(Env& env, const CliOptions& options,
                                                   const SessionHooks& hooks) {
  auto setup = std::make_unique<SessionSetup>();
  SettingsOptions so;
  so.cwd = env.CurrentDir();
  so.cli_settings = options.settings;
  if (auto managed = env.GetNonEmpty("BROCK_MANAGED_SETTINGS_DIR")) so.managed_dir = *managed;
  auto settings = LoadSettings(env, so);
  if (!settings.ok()) return std::move(settings).error();
  setup->settings = std::move(settings).value();
  ApplySettingsEnv(setup->settings, env);
  for (const std::string& f : setup->settings.files_loaded) DebugLog("settings: " + f);

  // The CA bundle (AWS_CA_BUNDLE, else the active profile's ca_bundle) is checked here, before
  // any request. (ResolveBedrockConnection reads the AWS files again below; they are small.)
  auto aws_config = LoadAwsConfig(env);
  if (!aws_config.ok()) return std::move(aws_config).error();
  auto ho = AwsHttpClientOptions(env, *aws_config, ActiveProfileName(env));
  if (!ho.ok()) return std::move(ho).error();
  if (!ho->ca_bundle.empty()) DebugLog("CA bundle " + ho->ca_bundle + " (" + ho->ca_bundle_origin + ")");
  setup->http = MakeCurlHttpClient(*ho);

  BedrockAuthSettings auth;
  auth.aws_auth_refresh = setup->settings.aws_auth_refresh;
  auth.aws_auth_refresh_origin = setup->settings.aws_auth_refresh_origin;
  auth.aws_credential_export = setup->settings.aws_credential_export;
  auth.aws_credential_export_origin = setup->settings.aws_credential_export_origin;
  auth.on_refresh_output = hooks.on_refresh_output;
  if (!auth.on_refresh_output) {
    auth.on_refresh_output = [](std::string_view chunk, bool) {
      std::fwrite(chunk.data(), 1, chunk.size(), stderr);  // the user's own login output
      std::fflush(stderr);
    };
  }
  auth.mfa_prompt = hooks.mfa_prompt;
  auto conn = ResolveBedrockConnection(env, *setup->http, RealProcessRunner(), auth);
  if (!conn.ok()) return std::move(conn).error();
  setup->connection = std::move(conn).value();
  for (const auto& w : setup->connection->warnings) setup->warnings.push_back(w);

  ModelRequest mr;
  mr.cli_model = options.model;
  mr.settings_model = setup->settings.model;
  mr.settings_model_origin = setup->settings.model_origin;
  mr.region = setup->connection->region;
  auto model = ResolveModel(env, mr);
  if (!model.ok()) return std::move(model).error();
  setup->model = std::move(model).value();
  setup->connection->runtime.context.model_origin = setup->model.origin;
  DebugLog("region " + setup->connection->region + " (" + setup->connection->region_origin +
           "), model " + setup->model.model_id + " (" + setup->model.origin + "), endpoint " +
           setup->connection->runtime.base_url + ", auth " + setup->connection->auth_summary);
  return setup;
}

}  // namespace brock
