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

std::string LoginHint(const Session& session) {
  const BedrockConnection& c = session.connection();
  if (c.runtime.auth.kind != BedrockAuthKind::kSigV4) return "";
  std::string sso = SsoProfileFor(*session.aws_config(), c.profile);
  return sso.empty() ? "" : "brock login --profile " + sso;
}

Result<std::string> Relogin(Env& env, Session& session, const ReloginPrinter& print,
                            const std::atomic<bool>* cancel) {
  const BedrockConnection& c = session.connection();
  if (c.runtime.auth.kind == BedrockAuthKind::kBearer) {
    return MakeError(
        "relogin.not_possible",
        "this session uses a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK), read when brock started",
        "create a new key in the Bedrock console, set AWS_BEARER_TOKEN_BEDROCK to it and "
        "start brock again (brock -c continues this conversation)");
  }
  if (c.runtime.auth.kind != BedrockAuthKind::kSigV4 || !session.credentials()) {
    return MakeError("relogin.not_possible",
                     "this session does not sign its requests (" + c.auth_summary + ")",
                     "nothing to renew; check the endpoint's own authentication");
  }
  if (session.has_auth_refresh()) {
    print("Running awsAuthRefresh…");
    if (Status s = session.RunAuthRefresh(); !s.ok()) return s.error();
  } else {
    std::shared_ptr<const AwsConfig> config = session.aws_config();
    if (std::string sso = SsoProfileFor(*config, c.profile); !sso.empty()) {
      auto signed_in = RunSsoLogin(
          env, session.http(), *config, sso, print,
          [&env](std::string_view url) { return OpenBrowser(env, RealProcessRunner(), url); },
          cancel);
      if (!signed_in.ok()) return std::move(signed_in).error();
      print("Saved the session to " + signed_in->cache_path);
    }
    // Keys pasted into ~/.aws/credentials (or a changed config) count too: read the files again.
    if (Status s = session.ReloadCredentials(); !s.ok()) return s.error();
  }
  auto creds = session.credentials()->Get(/*force_refresh=*/true);
  if (!creds.ok()) return std::move(creds).error();
  return c.auth_summary;
}

}  // namespace brock
