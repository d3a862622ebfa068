#include "agent/hook_matcher.h"

#include <regex>
#include <string>

namespace brock {

namespace {

bool IsNameList(std::string_view matcher) {
  for (char c : matcher) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '|' || c == '-';
    if (!word) return false;
  }
  return true;
}

}  // namespace

bool HookMatcherMatches(std::string_view matcher, std::string_view subject) {
  if (matcher.empty() || matcher == "*") return true;
  if (IsNameList(matcher)) {
    size_t start = 0;
    for (;;) {
      size_t bar = matcher.find('|', start);
      std::string_view name =
          matcher.substr(start, bar == std::string_view::npos ? bar : bar - start);
      if (name == subject) return true;
      if (bar == std::string_view::npos) return false;
      start = bar + 1;
    }
  }
  try {
    std::regex re{std::string(matcher), std::regex::ECMAScript};
    return std::regex_search(std::string(subject), re);
  } catch (const std::regex_error&) {
    return false;
  }
}

}  // namespace brock
