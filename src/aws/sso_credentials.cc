#include "aws/sso_credentials.h"

#include "aws/endpoint.h"
#include "aws/sso_oidc_client.h"
#include "aws/sso_portal_client.h"
#include "base/error_codes.h"
#include "base/log.h"
#include "base/secrets.h"

namespace brock {

namespace {

std::string Who(const SsoSessionConfig& session) {
  if (!session.profile.empty()) return "profile " + session.profile;
  return "sso-session " + session.session_name;
}

std::string LoginName(const SsoSessionConfig& session) {
  return session.profile.empty() ? session.session_name : session.profile;
}

bool IsTransient(const Error& e) {
  return e.retryable || errc::IsNetwork(e) || e.http_status >= 500;
}

// Why a token that needs refreshing cannot be.
std::string WhyNoRefresh(const SsoToken& token, Clock::time_point now) {
  if (token.refresh_token.empty()) return "the cached token has no refresh token";
  if (token.client_id.empty() || token.client_secret.empty()) {
    return "the cached token has no client registration (clientId/clientSecret)";
  }
  if (!token.registration_expires_at) return "the cached token has no registrationExpiresAt";
  if (*token.registration_expires_at <= now) {
    return "its client registration expired at " + FormatSsoTime(*token.registration_expires_at);
  }
  return "it cannot be refreshed";
}

}  // namespace

Error SsoLoginRequired(std::string_view profile, std::string_view reason) {
  std::string p(profile.empty() ? "NAME" : profile);
  Error e = MakeError(errc::kSsoLoginRequired, ScrubSecrets(reason),
                      "run: brock login --profile " + p + " (or aws sso login --profile " + p +
                          "), or set awsAuthRefresh in ~/.claude/settings.json");
  e.retryable = false;
  return e;
}

Result<SsoToken> LoadSsoAccessToken(Env& env, HttpClient& http, const AwsConfig& config,
                                    const SsoSessionConfig& session) {
  const std::string who = Who(session);
  const std::string login_name = LoginName(session);
  const std::string path = SsoTokenCachePath(env, session.cache_key());
  auto read = ReadSsoToken(env, path, login_name);
  if (!read.ok()) return std::move(read).error();
  if (!read->has_value()) {
    return SsoLoginRequired(login_name,
                            "you are not signed in to IAM Identity Center for " + who +
                                ": there is no cached SSO token for " +
                                (session.legacy() ? "start URL " + session.start_url
                                                  : "sso-session " + session.session_name) +
                                " (" + path + ")");
  }
  SsoToken token = std::move(**read);
  const Clock::time_point now = env.Now();
  const auto remaining = token.expires_at - now;
  const bool still_valid = remaining > Clock::duration::zero();
  const std::string expired_at =
      "the SSO session for " + who + " expired at " + FormatSsoTime(token.expires_at);

  if (session.legacy()) {
    // botocore: legacy tokens are never refreshed; an expired one fails before any call.
    if (!still_valid) {
      return SsoLoginRequired(login_name, expired_at +
                                              " (profiles with sso_start_url on the profile, "
                                              "without sso_session, cannot refresh their tokens)");
    }
    return token;
  }
  if (remaining > kSsoTokenRefreshWindow) return token;

  if (!token.CanRefresh(now)) {
    if (still_valid) return token;
    return SsoLoginRequired(login_name,
                            expired_at + " and cannot be refreshed: " + WhyNoRefresh(token, now));
  }

  auto endpoint = ResolveEndpoint(env, config, session.profile, "oidc", session.region);
  if (!endpoint.ok()) {
    if (still_valid) return token;
    return std::move(endpoint).error();
  }
  SsoOidcClient oidc(http, endpoint->url);
  auto refreshed =
      oidc.CreateTokenWithRefreshToken(token.client_id, token.client_secret, token.refresh_token);
  if (!refreshed.ok()) {
    const Error& e = refreshed.error();
    DebugLog("SSO token refresh for " + who + " at " + endpoint->url + " failed: " + e.message);
    if (still_valid) return token;  // good for a few more minutes; never drop it
    if (IsTransient(e)) {
      Error out =
          MakeError("sso.refresh_failed",
                    expired_at + " and refreshing it at " + endpoint->url + " failed: " + e.message,
                    "check your network connection and retry; if it keeps failing, run: brock "
                    "login --profile " +
                        login_name);
      out.retryable = true;
      out.http_status = e.http_status;
      return out;
    }
    return SsoLoginRequired(
        login_name,
        expired_at + " and IAM Identity Center refused to refresh it (" + e.message + ")");
  }

  SsoToken fresh = token;  // keeps the registration and every field other tools wrote
  fresh.access_token = refreshed->access_token;
  fresh.expires_at = now + std::chrono::seconds(refreshed->expires_in);
  // RFC 6749 section 6: a new refresh token replaces the old one; without one the old stays valid.
  if (!refreshed->refresh_token.empty()) fresh.refresh_token = refreshed->refresh_token;
  fresh.start_url = session.start_url;
  fresh.region = session.region;
  Status written = WriteSsoToken(env, path, fresh);
  if (!written.ok())
    DebugLog("could not save the refreshed SSO token: " + written.error().message);
  else
    DebugLog("refreshed the SSO token for " + who + "; it expires at " +
             FormatSsoTime(fresh.expires_at));
  return fresh;
}

SsoCredentialProvider::SsoCredentialProvider(Env& env, HttpClient& http, const AwsConfig& config,
                                             std::string profile)
    : env_(env), http_(http), config_(config), profile_(std::move(profile)) {}

std::string SsoCredentialProvider::name() const { return "SSO profile " + profile_; }

Result<std::optional<Credentials>> SsoCredentialProvider::Load() {
  auto resolved = ResolveSsoProfile(config_, profile_);
  if (!resolved.ok()) return std::move(resolved).error();
  if (!resolved->has_value()) return std::optional<Credentials>();
  const SsoProfileConfig& sso = **resolved;

  auto token = LoadSsoAccessToken(env_, http_, config_, sso.session);
  if (!token.ok()) return std::move(token).error();

  auto endpoint = ResolveEndpoint(env_, config_, profile_, "portal.sso", sso.session.region);
  if (!endpoint.ok()) return std::move(endpoint).error();
  SsoPortalClient portal(http_, endpoint->url);
  auto role = portal.GetRoleCredentials(token->access_token, sso.role_name, sso.account_id);
  if (!role.ok()) {
    Error e = std::move(role).error();
    if (errc::IsAwsException(e, "UnauthorizedException")) {
      return SsoLoginRequired(
          profile_, "IAM Identity Center rejected the cached SSO access token for profile " +
                        profile_ + " (" + e.message +
                        "): the session was signed out, revoked or has expired");
    }
    if (errc::IsAwsException(e, "ForbiddenException") ||
        errc::IsAwsException(e, "ResourceNotFoundException") ||
        errc::IsAwsException(e, "AccessDeniedException")) {
      Error out =
          MakeError("sso.no_access",
                    "IAM Identity Center refused role " + sso.role_name + " in account " +
                        sso.account_id + " for profile " + profile_ + " (" + e.message + ")",
                    "check sso_account_id and sso_role_name in [profile " + profile_ + "] (" +
                        config_.config_path +
                        "); list the roles you may use with: aws sso "
                        "list-account-roles --account-id " +
                        sso.account_id);
      out.http_status = e.http_status;
      return out;
    }
    e.message = "IAM Identity Center GetRoleCredentials for profile " + profile_ + " at " +
                endpoint->url + " failed: " + e.message;
    return e;
  }

  Credentials c;
  c.access_key_id = role->access_key_id;
  c.secret_access_key = role->secret_access_key;
  c.session_token = role->session_token;
  if (role->expiration_ms > 0) {
    c.expiration = Clock::time_point(std::chrono::duration_cast<Clock::duration>(
        std::chrono::milliseconds(role->expiration_ms)));
  }
  c.source = "SSO profile " + profile_;
  c.profile = profile_;
  c.account_id = sso.account_id;
  RegisterSecret(c.secret_access_key);
  RegisterSecret(c.session_token);
  return std::optional<Credentials>(std::move(c));
}

}  // namespace brock
