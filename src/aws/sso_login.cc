#include "aws/sso_login.h"

#include <algorithm>

#include "aws/endpoint.h"
#include "aws/sso_oidc_client.h"
#include "base/error_codes.h"
#include "base/log.h"
#include "base/secrets.h"

namespace brock {

namespace {

constexpr std::chrono::seconds kDefaultInterval{5};
constexpr std::chrono::seconds kSlowDownDelay{5};
constexpr std::chrono::seconds kDefaultAuthorizationLifetime{600};

bool IsTransient(const Error& e) {
  return e.retryable || errc::IsNetwork(e) || e.http_status >= 500;
}

std::string LoginCommandFor(const SsoSessionConfig& session) {
  if (!session.profile.empty()) return "brock login --profile " + session.profile;
  return "brock login --sso-session " + session.session_name;
}

Error WithContext(Error e, std::string_view what) {
  e.message = std::string(what) + ": " + e.message;
  return e;
}

}  // namespace

Result<SsoLoginResult> RunSsoLogin(Env& env, HttpClient& http, const AwsConfig& config,
                                   std::string_view profile, const SsoLoginPrinter& print,
                                   const SsoBrowserOpener& open_browser,
                                   const std::atomic<bool>* cancel) {
  auto session = ResolveSsoSession(config, profile);
  if (!session.ok()) return std::move(session).error();
  if (!session->has_value()) {
    std::string p(profile);
    bool exists = config.Find(profile) != nullptr;
    return MakeError(
        "sso.not_configured",
        exists ? "profile " + p + " in " + config.config_path +
                     " has no IAM Identity Center settings (sso_session or sso_start_url)"
               : "there is no profile " + p + " in " + config.config_path,
        "configure it with: aws configure sso --profile " + p +
            " (or add sso_session, sso_account_id and sso_role_name to [profile " + p + "])");
  }
  return RunSsoLoginForSession(env, http, config, **session, print, open_browser, cancel);
}

Result<SsoLoginResult> RunSsoLoginForSession(Env& env, HttpClient& http, const AwsConfig& config,
                                             const SsoSessionConfig& session,
                                             const SsoLoginPrinter& print,
                                             const SsoBrowserOpener& open_browser,
                                             const std::atomic<bool>* cancel) {
  auto say = [&](std::string_view line) {
    if (print) print(ScrubSecrets(line));
  };
  auto endpoint = ResolveEndpoint(env, config, session.profile, "oidc", session.region);
  if (!endpoint.ok()) return std::move(endpoint).error();
  SsoOidcClient oidc(http, endpoint->url);

  std::vector<std::string> scopes = session.registration_scopes;
  if (scopes.empty() && !session.legacy()) scopes.push_back(kDefaultSsoRegistrationScope);
  auto registration = oidc.RegisterClient(kSsoLoginClientName, "public", scopes);
  if (!registration.ok()) {
    return WithContext(
        std::move(registration).error(),
        "registering brock with IAM Identity Center at " + endpoint->url + " failed");
  }
  auto authorization = oidc.StartDeviceAuthorization(
      registration->client_id, registration->client_secret, session.start_url);
  if (!authorization.ok()) {
    return WithContext(std::move(authorization).error(),
                       "starting the sign-in for " + session.start_url + " failed");
  }
  const std::string url = authorization->verification_uri_complete.empty()
                              ? authorization->verification_uri
                              : authorization->verification_uri_complete;
  bool opened = false;
  if (open_browser) {
    say("Attempting to open the IAM Identity Center sign-in page in your default browser.");
    opened = open_browser(url);
  }
  say(opened ? "If it does not open, or to sign in on another device, open this URL:"
             : "To sign in, open this URL in a browser (on any device):");
  say("");
  say("  " + url);
  say("");
  say("and check that it shows this code: " + authorization->user_code);
  say("");
  say("Waiting for you to approve the request...");

  std::chrono::seconds interval = authorization->interval > 0
                                      ? std::chrono::seconds(authorization->interval)
                                      : kDefaultInterval;
  const Clock::time_point deadline =
      env.Now() + (authorization->expires_in > 0 ? std::chrono::seconds(authorization->expires_in)
                                                 : kDefaultAuthorizationLifetime);
  const std::string retry = "run " + LoginCommandFor(session) + " again";
  std::optional<SsoOidcToken> issued;
  while (!issued) {
    auto polled = oidc.CreateTokenWithDeviceCode(
        registration->client_id, registration->client_secret, authorization->device_code);
    if (polled.ok()) {
      issued = std::move(polled).value();
      break;
    }
    const Error& e = polled.error();
    if (IsOidcError(e, "AuthorizationPendingException")) {
      // not approved yet
    } else if (IsOidcError(e, "SlowDownException")) {
      interval += kSlowDownDelay;
    } else if (IsOidcError(e, "ExpiredTokenException")) {
      return MakeError(
          errc::kSsoLoginExpired,
          "the sign-in request for " + session.start_url + " expired before it was approved",
          retry + " and approve the code in the browser within a few minutes");
    } else if (IsOidcError(e, "AccessDeniedException")) {
      return MakeError("sso.login_denied",
                       "the sign-in request for " + session.start_url + " was denied",
                       retry + " and choose Allow in the browser");
    } else if (IsTransient(e)) {
      DebugLog("SSO sign-in poll failed, will retry: " + e.message);
    } else {
      return WithContext(e, "waiting for the sign-in to " + session.start_url + " failed");
    }
    if (env.Now() >= deadline) {
      return MakeError(errc::kSsoLoginExpired,
                       "the sign-in request for " + session.start_url + " was not approved in time",
                       retry + " and approve the code in the browser within a few minutes");
    }
    // Wait in short slices so a cancel is noticed at once.
    for (std::chrono::milliseconds left = interval; left.count() > 0;) {
      if (cancel && cancel->load()) {
        return MakeError("sso.login_cancelled",
                         "the sign-in to " + session.start_url + " was cancelled",
                         retry + " when you are ready to approve it");
      }
      std::chrono::milliseconds slice = std::min(left, std::chrono::milliseconds(100));
      env.SleepFor(slice);
      left -= slice;
    }
  }

  const Clock::time_point now = env.Now();
  SsoLoginResult result;
  result.start_url = session.start_url;
  result.cache_path = SsoTokenCachePath(env, session.cache_key());
  SsoToken& token = result.token;
  token.start_url = session.start_url;
  token.region = session.region;
  token.access_token = issued->access_token;
  token.expires_at = now + std::chrono::seconds(issued->expires_in);
  token.refresh_token = issued->refresh_token;
  token.client_id = registration->client_id;
  token.client_secret = registration->client_secret;
  if (registration->client_secret_expires_at > 0) {
    token.registration_expires_at = Clock::time_point(std::chrono::duration_cast<Clock::duration>(
        std::chrono::seconds(registration->client_secret_expires_at)));
  }
  Status written = WriteSsoToken(env, result.cache_path, token);
  if (!written.ok()) return std::move(written).error();
  say("Signed in to " + session.start_url + "; the session is valid until " +
      FormatSsoTime(token.expires_at) +
      (token.refresh_token.empty() ? "." : " and brock refreshes it automatically."));
  return result;
}

}  // namespace brock
