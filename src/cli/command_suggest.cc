#include "cli/command_suggest.h"

#include <algorithm>

namespace brock {

const std::vector<std::string>& SubcommandNames() {
  static const std::vector<std::string> names = {"setup", "doctor", "models", "policy",  "whoami",
                                                 "login", "trust",  "mcp",    "emulator"};
  return names;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string SuggestSubcommand(std::string_view word) {
  if (word.size() < 3 || word.size() > 20) return "";
  for (char c : word) {
    if (!((c >= 'a' && c <= 'z') || c == '-')) return "";
  }
  std::string best;
  size_t best_distance = 3;  // at most two edits
  for (const auto& name : SubcommandNames()) {
    if (name == word) return "";
    size_t d = EditDistance(word, name);
    // A short word must be closer: "set" is not "setup"'s typo, "setpu" is.
    size_t limit = word.size() <= 4 ? 1 : 2;
    if (d <= limit && d < best_distance) {
      best = name;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace brock
