#include "aws/credential_time.h"

#include <ctime>

namespace brock {

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::optional<Clock::time_point> ParseIso8601(std::string_view s) {
  int year, month, day, hour, minute, second;
  if (!Digits(s, 0, 4, &year) || s.size() < 19 || s[4] != '-' || !Digits(s, 5, 2, &month) ||
      s[7] != '-' || !Digits(s, 8, 2, &day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !Digits(s, 11, 2, &hour) || s[13] != ':' || !Digits(s, 14, 2, &minute) || s[16] != ':' ||
      !Digits(s, 17, 2, &second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  size_t pos = 19;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  long offset_seconds = 0;
  if (pos < s.size()) {
    char z = s[pos];
    if ((z == 'Z' || z == 'z') && pos + 1 == s.size()) {
      // UTC
    } else if (z == '+' || z == '-') {
      int oh, om;
      std::string_view rest = s.substr(pos + 1);
      if (rest.size() == 5 && rest[2] == ':' && Digits(rest, 0, 2, &oh) &&
          Digits(rest, 3, 2, &om)) {
      } else if (rest.size() == 4 && Digits(rest, 0, 2, &oh) && Digits(rest, 2, 2, &om)) {
      } else if (rest.size() == 2 && Digits(rest, 0, 2, &oh)) {
        om = 0;
      } else {
        return std::nullopt;
      }
      if (oh > 23 || om > 59) return std::nullopt;
      offset_seconds = (oh * 3600L + om * 60L) * (z == '+' ? 1 : -1);
    } else {
      return std::nullopt;
    }
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  time_t t = timegm(&tm);
  return Clock::from_time_t(t - offset_seconds);
}

std::string FormatIso8601(Clock::time_point time) {
  time_t t = Clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace brock
