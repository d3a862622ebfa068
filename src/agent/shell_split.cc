#include "agent/shell_split.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "agent/shell_parser.h"
#include "base/strings.h"

namespace brock {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

bool IsAssignment(std::string_view word) {
  if (word.empty() || !(std::isalpha(static_cast<unsigned char>(word[0])) || word[0] == '_')) {
    return false;
  }
  for (size_t i = 1; i < word.size(); ++i) {
    char c = word[i];
    if (c == '=') return true;
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return false;
}

// Options of a wrapper that take the following word as their value.
bool OptionTakesValue(const std::string& wrapper, const std::string& opt) {
  static const std::set<std::pair<std::string, std::string>> k = {
      {"sudo", "-u"},          {"sudo", "-g"},
      {"sudo", "-h"},          {"sudo", "-p"},
      {"sudo", "-C"},          {"sudo", "-D"},
      {"sudo", "-r"},          {"sudo", "-t"},
      {"sudo", "-U"},          {"nice", "-n"},
      {"timeout", "-s"},       {"timeout", "-k"},
      {"timeout", "--signal"}, {"timeout", "--kill-after"},
      {"ionice", "-c"},        {"ionice", "-n"},
      {"ionice", "-p"},        {"xargs", "-I"},
      {"xargs", "-n"},         {"xargs", "-P"},
      {"xargs", "-d"},         {"xargs", "-E"},
      {"xargs", "-L"},         {"xargs", "-s"},
      {"xargs", "-a"},         {"env", "-u"},
      {"env", "-C"},           {"env", "-S"},
      {"stdbuf", "-i"},        {"stdbuf", "-o"},
      {"stdbuf", "-e"},        {"command", "-v"}};
  return k.count({wrapper, opt}) > 0;
}

}  // namespace

std::vector<std::string> SplitShellCommand(std::string_view command) {
  std::vector<std::string> out;
  for (const ShellCommand& c : ParseShell(command).commands) {
    if (c.parent == -1 && !c.words.empty()) out.push_back(c.text);
  }
  return out;
}

std::vector<ShellWord> ShellWords(std::string_view s) {
  std::vector<ShellWord> words;
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    while (i < n && (IsSpace(s[i]) || s[i] == '\n')) ++i;
    if (i >= n) break;
    ShellWord w;
    w.begin = i;
    while (i < n && !IsSpace(s[i]) && s[i] != '\n') {
      char c = s[i];
      if (c == '\\') {
        if (i + 1 < n) w.text += s[i + 1];
        i += 2;
      } else if (c == '\'') {
        size_t q = s.find('\'', i + 1);
        size_t end = q == std::string_view::npos ? n : q;
        w.text.append(s.substr(i + 1, end - i - 1));
        i = end + 1;
      } else if (c == '"') {
        ++i;
        while (i < n && s[i] != '"') {
          if (s[i] == '\\' && i + 1 < n &&
              (s[i + 1] == '"' || s[i + 1] == '\\' || s[i + 1] == '$' || s[i + 1] == '`')) {
            w.text += s[i + 1];
            i += 2;
          } else {
            w.text += s[i++];
          }
        }
        ++i;
      } else {
        w.text += c;
        ++i;
      }
    }
    w.end = std::min(i, n);
    words.push_back(std::move(w));
  }
  return words;
}

std::string StripCommandWrappers(std::string_view simple_command) {
  static const std::set<std::string> wrappers = {"sudo",    "env",     "nohup",  "exec",
                                                 "nice",    "timeout", "time",   "command",
                                                 "builtin", "xargs",   "stdbuf", "ionice"};
  std::string s(Trim(simple_command));
  for (int guard = 0; guard < 16; ++guard) {
    std::vector<ShellWord> words = ShellWords(s);
    size_t idx = 0;
    while (idx < words.size() && IsAssignment(words[idx].text)) ++idx;
    if (idx < words.size() && wrappers.count(words[idx].text)) {
      std::string w = words[idx].text;
      ++idx;
      while (idx < words.size() && words[idx].text.size() > 1 && words[idx].text[0] == '-') {
        std::string opt = words[idx].text;
        ++idx;
        if (opt == "--") break;
        if (OptionTakesValue(w, opt) && idx < words.size()) ++idx;
      }
      if (w == "env") {
        while (idx < words.size() && IsAssignment(words[idx].text)) ++idx;
      }
      if (w == "timeout" && idx < words.size() && !words[idx].text.empty() &&
          std::isdigit(static_cast<unsigned char>(words[idx].text[0]))) {
        ++idx;
      }
    } else if (idx == 0) {
      break;
    }
    if (idx >= words.size()) break;  // a bare wrapper: nothing to see through
    s = std::string(Trim(std::string_view(s).substr(words[idx].begin)));
  }
  return s;
}

}  // namespace brock
