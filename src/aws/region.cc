#include "aws/region.h"

#include "base/error_codes.h"
#include "base/strings.h"

namespace brock {

const char kRegionFix[] =
    "set AWS_REGION in the \"env\" block of ~/.claude/settings.json (e.g. \"AWS_REGION\": "
    "\"us-east-1\") or "
    "export AWS_REGION=us-east-1 in your shell, then run brock again";

bool IsValidRegionName(std::string_view s) {
  if (s.size() < 6 || s.size() > 32) return false;
  auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  size_t i = 0;
  while (i < s.size() && lower(s[i])) ++i;
  if (i < 2 || i > 4) return false;
  // Then one or more "-letters" groups, then "-digits" at the end.
  int letter_groups = 0;
  while (i < s.size()) {
    if (s[i] != '-') return false;
    ++i;
    size_t start = i;
    if (i < s.size() && lower(s[i])) {
      while (i < s.size() && lower(s[i])) ++i;
      ++letter_groups;
      continue;
    }
    while (i < s.size() && digit(s[i])) ++i;
    size_t n = i - start;
    return n >= 1 && n <= 2 && i == s.size() && letter_groups >= 1;
  }
  return false;
}

namespace {

std::string Hint(const std::string& value) {
  std::string t(Trim(value));
  if (t != value && IsValidRegionName(t)) return " (it has leading or trailing spaces)";
  if (IsValidRegionName(ToLower(t))) return " (region names are lower case: " + ToLower(t) + ")";
  if (!t.empty() && t.back() >= 'a' && t.back() <= 'z' &&
      IsValidRegionName(t.substr(0, t.size() - 1))) {
    return " (that is an availability zone; the region is " + t.substr(0, t.size() - 1) + ")";
  }
  return "";
}

Result<ResolvedRegion> Check(std::string value, std::string origin) {
  if (IsValidRegionName(value)) return ResolvedRegion{std::move(value), std::move(origin)};
  return MakeError("region.invalid",
                   "Region error: \"" + value + "\" (set by " + origin +
                       ") is not a valid AWS region name" + Hint(value),
                   kRegionFix);
}

}  // namespace

Result<ResolvedRegion> ResolveRegion(const Env& env, const AwsConfig& config,
                                     std::string_view profile) {
  for (const char* var : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (auto v = env.GetNonEmpty(var)) {
      return Check(*v, std::string(var) + " (from " + env.VarOrigin(var) + ")");
    }
  }
  if (const ProfileSection* p = config.Find(profile)) {
    if (auto r = p->Get("region"); r && !r->empty()) {
      std::string origin = "profile " + std::string(profile) + " in " + p->Origin("region");
      return Check(*r, origin);
    }
  }
  std::string where = config.Find(profile) ? "profile " + std::string(profile) + " has no region"
                                           : "there is no profile " + std::string(profile);
  return MakeError(errc::kRegionMissing,
                   "Region error: AWS_REGION is not set (nor AWS_DEFAULT_REGION, and " + where +
                       " in " + config.config_path + ")",
                   kRegionFix);
}

}  // namespace brock
