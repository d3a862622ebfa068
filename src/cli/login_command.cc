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
#include "cli/session.h"
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

int UsageError(std::string_view problem) {
  std::fprintf(stderr, "Error: %.*s\n\n%s", static_cast<int>(problem.size()), problem.data(),
               kUsage);
  return 2;
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
      if (!value("--profile", &profile) || profile.empty())
        return UsageError("--profile needs a profile name");
    } else if (arg.substr(0, 13) == "--sso-session") {
      if (!value("--sso-session", &session_name) || session_name.empty()) {
        return UsageError("--sso-session needs a session name");
      }
    } else {
      return UsageError("unknown argument: " + std::string(arg));
    }
  }
  if (!profile.empty() && !session_name.empty())
    return UsageError("use either --profile or --sso-session, not both");

  Env& env = RealEnv();
  // The settings' env blocks (AWS_PROFILE, AWS_CONFIG_FILE set there count) and the AWS files;
  // no region or model is needed to sign in.
  auto opened = Session::Open(env, CliOptions{}, {}, Session::Depth::kAws);
  if (!opened.ok()) return ReportError(opened.error());
  Session& s = **opened;
  std::shared_ptr<const AwsConfig> config = s.aws_config();
  // Another profile's ca_bundle may differ from the active one's.
  std::unique_ptr<HttpClient> profile_http;
  if (!profile.empty() && profile != ActiveProfileName(env)) {
    auto ho = AwsHttpClientOptions(env, *config, profile);
    if (!ho.ok()) return ReportError(ho.error());
    profile_http = MakeCurlHttpClient(*ho);
  }
  HttpClient& http = profile_http ? *profile_http : s.http();
  auto print = [](std::string_view line) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  };
  SsoBrowserOpener opener = nullptr;
  if (!no_browser)
    opener = [&env](std::string_view url) { return OpenBrowser(env, RealProcessRunner(), url); };

  Result<SsoLoginResult> result = MakeError("internal", "");
  if (!session_name.empty()) {
    auto session = ResolveSsoSessionByName(*config, session_name);
    if (!session.ok()) return ReportError(session.error());
    result = RunSsoLoginForSession(env, http, *config, *session, print, opener);
  } else {
    if (profile.empty()) profile = ActiveProfileName(env);
    result = RunSsoLogin(env, http, *config, profile, print, opener);
  }
  if (!result.ok()) return ReportError(result.error());
  print("Saved the session to " + result->cache_path);
  return 0;
}

}  // namespace brock
