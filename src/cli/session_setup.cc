#include "cli/session_setup.h"

#include <cstdio>

#include "base/log.h"
#include "base/process.h"

namespace brock {

Result<std::unique_ptr<SessionSetup>> SetUpSession(Env& env, const CliOptions& options) {
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

  HttpClientOptions ho;
  if (auto ca = env.GetNonEmpty("AWS_CA_BUNDLE")) ho.ca_bundle = *ca;
  setup->http = MakeCurlHttpClient(ho);

  BedrockAuthSettings auth;
  auth.aws_auth_refresh = setup->settings.aws_auth_refresh;
  auth.aws_auth_refresh_origin = setup->settings.aws_auth_refresh_origin;
  auth.aws_credential_export = setup->settings.aws_credential_export;
  auth.aws_credential_export_origin = setup->settings.aws_credential_export_origin;
  auth.on_refresh_output = [](std::string_view chunk, bool) {
    std::fwrite(chunk.data(), 1, chunk.size(), stderr);  // the user's own login output
    std::fflush(stderr);
  };
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
