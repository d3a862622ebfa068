#include "cli/login_command.h"

#include <cstdio>
#include <string>
#include <string_view>

#include "aws/ca_bundle.h"
#include "aws/config_file.h"
#include "aws/sso_login.h"
#include "base/env.h"
#include "base/log.h"
#include "base/process.h"
#include "base/secrets.h"
#include "cli/browser.h"
#include "cli/report_error.h"
#include "net/http_client.h"
#include "settings/settings.h"

namespace brock {

namespace {

constexpr char kUsage[] =
    "Usage: brock login [--profile NAME | --sso-session NAME] [--no-browser]\n"
    "\n"
    "Signs in to IAM Identity Center (AWS SSO) with a browser approval, like `aws sso login`,\n"
    "and saves the session in ~/.aws/sso/cache where brock and the AWS CLI find it.\n"
    "\n"
    "  --profile NAME      the profile to sign in for (default: AWS_PROFILE, else \"default\")\n"
    "  --sso-session NAME  sign in to an [sso-session NAME] directly\n"
    "  --no-browser        only print the sign-in URL; do not try to open a browser\n"
    "  --debug             log the requests' progress to stderr\n";

int Usage(std::string_view problem) {
  std::fprintf(stderr, "Error: %.*s\n\n%s", static_cast<int>(problem.size()), problem.data(), kUsage);
  return 2;
}

// Applies the settings files' `env` blocks so AWS_PROFILE / AWS_CONFIG_FILE set there count.
Status ApplySettings(Env& env) {
  SettingsOptions so;
  so.cwd = env.CurrentDir();
  if (auto managed = env.GetNonEmpty("BROCK_MANAGED_SETTINGS_DIR")) so.managed_dir = *managed;
  auto settings = LoadSettings(env, so);
  if (!settings.ok()) return std::move(settings).error();
  ApplySettingsEnv(*settings, env);
  return {};
}

}  // namespace

int RunLoginCommand(int argc, char** argv) {
  std::string profile, session_name;
  bool no_browser = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&](std::string_view flag, std::string* out) -> bool {
      if (arg == flag) {
        if (i + 1 >= argc) return false;
        *out = argv[++i];
        return true;
      }
      std::string prefix = std::string(flag) + "=";
      if (arg.substr(0, prefix.size()) == prefix) {
        *out = std::string(arg.substr(prefix.size()));
        return true;
      }
      return false;
    };
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "--no-browser") {
      no_browser = true;
    } else if (arg == "--debug") {
      SetDebugLogging(true);
    } else if (arg.substr(0, 9) == "--profile") {
      if (!value("--profile", &profile) || profile.empty()) return Usage("--profile needs a profile name");
    } else if (arg.substr(0, 13) == "--sso-session") {
      if (!value("--sso-session", &session_name) || session_name.empty()) {
        return Usage("--sso-session needs a session name");
      }
    } else {
      return Usage("unknown argument: " + std::string(arg));
    }
  }
  if (!profile.empty() && !session_name.empty()) return Usage("use either --profile or --sso-session, not both");

  Env& env = RealEnv();
  if (Status applied = ApplySettings(env); !applied.ok()) return ReportError(applied.error());
  auto config = LoadAwsConfig(env);
  if (!config.ok()) return ReportError(config.error());

  auto ho = AwsHttpClientOptions(env, *config, profile.empty() ? ActiveProfileName(env) : profile);
  if (!ho.ok()) return ReportError(ho.error());
  auto http = MakeCurlHttpClient(*ho);
  auto print = [](std::string_view line) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  };
  SsoBrowserOpener opener = nullptr;
  if (!no_browser) opener = [&env](std::string_view url) { return OpenBrowser(env, RealProcessRunner(), url); };

  Result<SsoLoginResult> result = MakeError("internal", "");
  if (!session_name.empty()) {
    auto session = ResolveSsoSessionByName(*config, session_name);
    if (!session.ok()) return ReportError(session.error());
    result = RunSsoLoginForSession(env, *http, *config, *session, print, opener);
  } else {
    if (profile.empty()) profile = ActiveProfileName(env);
    result = RunSsoLogin(env, *http, *config, profile, print, opener);
  }
  if (!result.ok()) return ReportError(result.error());
  print("Saved the session to " + result->cache_path);
  return 0;
}

}  // namespace brock
