#include "aws/ini_edit.h"

#include <cctype>

#include "base/strings.h"

namespace brock {

namespace {

// The trimmed header of a "[ ... ]" line, or nullopt-like "" with is_header false.
bool HeaderOf(std::string_view line, std::string* header) {
  std::string_view t = Trim(line);
  if (t.size() < 2 || t.front() != '[') return false;
  size_t close = t.find(']');
  if (close == std::string_view::npos) return false;
  *header = std::string(Trim(t.substr(1, close - 1)));
  // Collapse inner runs of spaces ("profile   dev" == "profile dev").
  std::string collapsed;
  for (char c : *header) {
    if (c == ' ' && !collapsed.empty() && collapsed.back() == ' ') continue;
    collapsed += c;
  }
  *header = collapsed;
  return true;
}

std::string KeyOf(std::string_view line) {
  if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) return "";  // a continuation line
  std::string_view t = Trim(line);
  if (t.empty() || t[0] == '#' || t[0] == ';') return "";
  size_t eq = t.find('=');
  if (eq == std::string_view::npos) return "";
  return ToLower(Trim(t.substr(0, eq)));
}

}  // namespace

std::string ConfigProfileHeader(std::string_view profile) {
  return profile == "default" ? "default" : "profile " + std::string(profile);
}

bool IsValidProfileName(std::string_view profile) {
  if (profile.empty() || profile.size() > 64) return false;
  for (char c : profile) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
          c == '@' || c == '+')) {
      return false;
    }
  }
  return true;
}

std::string SetIniSection(std::string_view text, std::string_view header,
                          const std::vector<std::pair<std::string, std::string>>& values) {
  std::vector<std::string> lines = Split(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();  // the final newline
  std::vector<bool> done(values.size(), false);
  std::vector<std::string> out;
  bool in_section = false, found = false;
  size_t section_end = 0;  // index in `out` after the section's last key line
  for (const std::string& line : lines) {
    std::string h;
    if (HeaderOf(line, &h)) {
      in_section = h == header;
      if (in_section) {
        found = true;
        out.push_back(line);
        section_end = out.size();
        continue;
      }
      out.push_back(line);
      continue;
    }
    if (in_section) {
      std::string key = KeyOf(line);
      bool replaced = false;
      for (size_t i = 0; i < values.size() && !key.empty(); ++i) {
        if (ToLower(values[i].first) != key) continue;
        if (!done[i] && !values[i].second.empty()) {
          out.push_back(values[i].first + " = " + values[i].second);
        }
        done[i] = true;
        replaced = true;
        break;
      }
      if (!replaced) out.push_back(line);
      if (!Trim(line).empty()) section_end = out.size();
      continue;
    }
    out.push_back(line);
  }
  std::vector<std::string> added;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!done[i] && !values[i].second.empty()) {
      added.push_back(values[i].first + " = " + values[i].second);
    }
  }
  if (found) {
    out.insert(out.begin() + static_cast<std::ptrdiff_t>(section_end), added.begin(), added.end());
  } else if (!added.empty()) {
    if (!out.empty() && !Trim(out.back()).empty()) out.push_back("");
    out.push_back("[" + std::string(header) + "]");
    out.insert(out.end(), added.begin(), added.end());
  }
  std::string result = Join(out, "\n");
  if (!result.empty()) result += "\n";
  return result;
}

}  // namespace brock
