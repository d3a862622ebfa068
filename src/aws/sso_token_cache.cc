#include "aws/sso_token_cache.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "base/crypto.h"
#include "base/json.h"
#include "base/secrets.h"

namespace brock {

namespace {

// Reads exactly `n` digits at `*pos` into `*out`.
bool ReadDigits(std::string_view s, size_t* pos, int n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

std::string LoginFix(std::string_view profile) {
  std::string p(profile.empty() ? "NAME" : profile);
  return "run: brock login --profile " + p + " (or aws sso login --profile " + p + ")";
}

Error CacheInvalid(std::string_view path, std::string_view what, std::string_view profile) {
  return MakeError("sso.cache_invalid",
                   "the SSO token cache file " + std::string(path) + " " + std::string(what),
                   LoginFix(profile));
}

}  // namespace

bool SsoToken::CanRefresh(Clock::time_point now) const {
  return !refresh_token.empty() && !client_id.empty() && !client_secret.empty() &&
         registration_expires_at.has_value() && *registration_expires_at > now;
}

std::optional<Clock::time_point> ParseSsoTime(std::string_view text) {
  size_t pos = 0;
  int year, month, day, hour, minute, second;
  if (!ReadDigits(text, &pos, 4, &year) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &month) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &day)) {
    return std::nullopt;
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' '))
    return std::nullopt;
  ++pos;
  if (!ReadDigits(text, &pos, 2, &hour) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &minute) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::chrono::nanoseconds fraction{0};
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    size_t start = pos;
    int64_t scale = 100000000;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (scale > 0) fraction += std::chrono::nanoseconds((text[pos] - '0') * scale);
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  std::chrono::minutes offset{0};
  std::string_view zone = text.substr(pos);
  if (zone.empty() || zone == "Z" || zone == "z" || zone == "UTC" || zone == "GMT") {
    // UTC
  } else if (zone[0] == '+' || zone[0] == '-') {
    size_t zp = 1;
    int oh = 0, om = 0;
    if (!ReadDigits(zone, &zp, 2, &oh)) return std::nullopt;
    if (zp < zone.size()) {
      if (zone[zp] == ':') ++zp;
      if (!ReadDigits(zone, &zp, 2, &om)) return std::nullopt;
    }
    if (zp != zone.size() || oh > 23 || om > 59) return std::nullopt;
    offset = std::chrono::hours(oh) + std::chrono::minutes(om);
    if (zone[0] == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month),
                                  std::chrono::day(day)};
  if (!ymd.ok()) return std::nullopt;
  auto tp = std::chrono::sys_days(ymd) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
            std::chrono::seconds(second) - offset;
  return std::chrono::time_point_cast<Clock::duration>(tp) +
         std::chrono::duration_cast<Clock::duration>(fraction);
}

std::string FormatSsoTime(Clock::time_point time) {
  auto secs = std::chrono::floor<std::chrono::seconds>(time);
  auto days = std::chrono::floor<std::chrono::days>(secs);
  std::chrono::year_month_day ymd(days);
  std::chrono::hh_mm_ss hms(secs - days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string SsoCacheFileName(std::string_view key) { return Sha1Hex(key) + ".json"; }

std::string SsoTokenCachePath(const Env& env, std::string_view key) {
  std::string home;
  if (auto h = env.GetNonEmpty("HOME"))
    home = *h;
  else
    home = env.HomeDir();
  return JoinPath(JoinPath(home, ".aws/sso/cache"), SsoCacheFileName(key));
}

Result<SsoToken> ParseSsoToken(std::string_view text, std::string_view path,
                               std::string_view profile) {
  auto parsed = ParseJson(text, path);
  if (!parsed.ok()) {
    // The parser's message is "<path>:<line>:<col>: <what>"; it quotes no values.
    return MakeError("sso.cache_invalid",
                     "the SSO token cache file is not valid JSON: " + parsed.error().message,
                     LoginFix(profile));
  }
  const Json& j = *parsed;
  if (!j.is_object()) return CacheInvalid(path, "does not hold a JSON object", profile);

  SsoToken token;
  token.original_json = j.dump();
  // A string field, or "" when absent; a present non-string value is an error.
  std::optional<Error> type_error;
  auto str = [&](const char* key) -> std::string {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return "";
    if (!it->is_string()) {
      if (!type_error)
        type_error = CacheInvalid(path, std::string("has a non-string \"") + key + "\"", profile);
      return "";
    }
    return it->get<std::string>();
  };
  token.access_token = str("accessToken");
  std::string expires = str("expiresAt");
  token.refresh_token = str("refreshToken");
  token.client_id = str("clientId");
  token.client_secret = str("clientSecret");
  std::string registration = str("registrationExpiresAt");
  token.region = str("region");
  token.start_url = str("startUrl");
  if (type_error) return *type_error;

  RegisterSecret(token.access_token);
  RegisterSecret(token.refresh_token);
  RegisterSecret(token.client_secret);

  if (token.access_token.empty()) return CacheInvalid(path, "has no \"accessToken\"", profile);
  if (expires.empty()) return CacheInvalid(path, "has no \"expiresAt\"", profile);
  auto expires_at = ParseSsoTime(expires);
  if (!expires_at) {
    return CacheInvalid(
        path, "has an \"expiresAt\" that is not an ISO-8601 time (\"" + expires + "\")", profile);
  }
  token.expires_at = *expires_at;
  if (!registration.empty()) {
    // An unreadable registration time only disables refreshing, as in the SDKs.
    token.registration_expires_at = ParseSsoTime(registration);
  }
  return token;
}

Result<std::optional<SsoToken>> ReadSsoToken(const Env& env, const std::string& path,
                                             std::string_view profile) {
  FileInfo info = env.Stat(path);
  if (!info.exists) return std::optional<SsoToken>();
  if (info.is_directory) return CacheInvalid(path, "is a directory", profile);
  auto text = env.ReadFile(path);
  if (!text.ok()) {
    return MakeError("sso.cache_invalid",
                     "cannot read the SSO token cache file: " + text.error().message,
                     "check the permissions of " + path + ", or " + LoginFix(profile));
  }
  auto token = ParseSsoToken(*text, path, profile);
  if (!token.ok()) return std::move(token).error();
  return std::optional<SsoToken>(std::move(token).value());
}

std::string SerializeSsoToken(const SsoToken& token) {
  Json j = Json::object();
  if (!token.original_json.empty()) {
    Json parsed = ParseJsonOrDiscarded(token.original_json);
    if (parsed.is_object()) j = std::move(parsed);
  }
  auto set = [&](const char* key, const std::string& value) {
    if (value.empty())
      j.erase(key);
    else
      j[key] = value;
  };
  set("startUrl", token.start_url);
  set("region", token.region);
  set("accessToken", token.access_token);
  set("expiresAt", FormatSsoTime(token.expires_at));
  set("clientId", token.client_id);
  set("clientSecret", token.client_secret);
  set("registrationExpiresAt", token.registration_expires_at
                                   ? FormatSsoTime(*token.registration_expires_at)
                                   : std::string());
  set("refreshToken", token.refresh_token);
  return j.dump();
}

Status WriteSsoToken(Env& env, const std::string& path, const SsoToken& token) {
  Status made = env.MakeDirs(DirName(path), 0700);
  Status written = made.ok() ? env.WriteFileAtomic(path, SerializeSsoToken(token), 0600) : made;
  if (!written.ok()) {
    return MakeError("sso.cache_write",
                     "cannot write the SSO token cache file " + path + ": " +
                         ScrubSecrets(written.error().message),
                     "check that " + DirName(path) + " is writable by you");
  }
  return {};
}

}  // namespace brock
