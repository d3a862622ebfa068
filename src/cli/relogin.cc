#include "cli/relogin.h"

#include "aws/config_file.h"
#include "aws/sso_config.h"
#include "aws/sso_login.h"
#include "base/process.h"
#include "cli/browser.h"

namespace brock {

namespace {

// The profile whose SSO login feeds `profile`: itself, or the first SSO profile along its
// source_profile chain; "" when there is none.
std::string SsoProfileFor(const AwsConfig& config, std::string profile) {
  for (int depth = 0; depth < 16 && !profile.empty(); ++depth) {
    auto session = ResolveSsoSession(config, profile);
    if (session.ok() && session->has_value()) return profile;
    auto legacy = ResolveSsoProfile(config, profile);
    if (legacy.ok() && legacy->has_value()) return profile;
    profile = config.Get(profile, "source_profile").value_or("");
  }
  return "";
}

}  // namespace

std::string LoginHint(const SessionSetup& setup) {
  const BedrockConnection& c = *setup.connection;
  if (c.runtime.auth.kind != BedrockAuthKind::kSigV4 || !c.aws_config) return "";
  std::string sso = SsoProfileFor(*c.aws_config, c.profile);
  return sso.empty() ? "" : "brock login --profile " + sso;
}

Result<std::string> Relogin(Env& env, SessionSetup& setup, const ReloginPrinter& print,
                            const std::atomic<bool>* cancel) {
  BedrockConnection& c = *setup.connection;
  if (c.runtime.auth.kind == BedrockAuthKind::kBearer) {
    return MakeError("relogin.not_possible",
                     "this session uses a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK), read when brock started",
                     "create a new key in the Bedrock console, set AWS_BEARER_TOKEN_BEDROCK to it and "
                     "start brock again (brock -c continues this conversation)");
  }
  if (c.runtime.auth.kind != BedrockAuthKind::kSigV4 || !c.chain) {
    return MakeError("relogin.not_possible", "this session does not sign its requests (" + c.auth_summary + ")",
                     "nothing to renew; check the endpoint's own authentication");
  }
  if (c.runtime.on_credentials_expired) {
    print("Running awsAuthRefresh…");
    if (Status s = c.runtime.on_credentials_expired(); !s.ok()) return s.error();
  } else if (std::string sso = SsoProfileFor(*c.aws_config, c.profile); !sso.empty()) {
    auto signed_in = RunSsoLogin(env, *setup.http, *c.aws_config, sso, print, [&env](std::string_view url) {
      return OpenBrowser(env, RealProcessRunner(), url);
    }, cancel);
    if (!signed_in.ok()) return std::move(signed_in).error();
    print("Saved the session to " + signed_in->cache_path);
  } else {
    // Keys pasted into ~/.aws/credentials (or a changed config) are picked up by re-reading.
    auto fresh = LoadAwsConfig(env);
    if (!fresh.ok()) return std::move(fresh).error();
    *c.aws_config = std::move(fresh).value();
  }
  auto creds = c.chain->Get(/*force_refresh=*/true);
  if (!creds.ok()) return std::move(creds).error();
  return c.auth_summary;
}

}  // namespace brock
