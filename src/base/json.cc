#include "base/json.h"

#include <nlohmann/json.hpp>

namespace brock {

namespace {

std::string Place(std::string_view source, std::string_view text, size_t offset) {
  size_t line, column;
  LineAndColumn(text, offset, &line, &column);
  return std::string(source) + ":" + std::to_string(line) + ":" + std::to_string(column);
}

// nlohmann's message without its prefix and without "; last read: '<text>'", which quotes the
// input (possibly a secret): "syntax error while parsing value - invalid literal; last read:
// 'AKIA...'" -> "invalid literal".
std::string ReasonOnly(std::string what) {
  if (size_t dash = what.rfind(" - "); dash != std::string::npos) what = what.substr(dash + 3);
  if (size_t last = what.find("; last read"); last != std::string::npos) what.resize(last);
  if (size_t last = what.find("last read:"); last != std::string::npos) what.resize(last);
  return what;
}

}  // namespace

void LineAndColumn(std::string_view text, size_t offset, size_t* line, size_t* column) {
  *line = 1;
  *column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++*line;
      *column = 1;
    } else {
      ++*column;
    }
  }
}

size_t FindJsonTooDeep(std::string_view text, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth) return i;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return std::string_view::npos;
}

Result<Json> ParseJson(std::string_view text, std::string_view source, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return MakeError("json.too_large",
                     std::string(source) + ": " + std::to_string(text.size()) +
                         " bytes of JSON is more than the limit of " +
                         std::to_string(limits.max_bytes) + " bytes",
                     "check that " + std::string(source) +
                         " is the file you meant; brock does not read JSON this large");
  }
  if (size_t deep = FindJsonTooDeep(text, limits.max_depth); deep != std::string_view::npos) {
    return MakeError("json.too_deep",
                     Place(source, text, deep) + ": JSON nested more than " +
                         std::to_string(limits.max_depth) + " levels deep",
                     "check that " + std::string(source) +
                         " is the file you meant; brock does not read JSON nested this deeply");
  }
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    // nlohmann's byte is 1-based and points just past the offending character.
    size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    return MakeError("json.syntax",
                     Place(source, text, offset) + ": invalid JSON: " + ReasonOnly(e.what()),
                     "fix the JSON at that position (a missing comma, quote or brace is "
                     "the usual cause), then run brock again");
  }
}

Json ParseJsonOrDiscarded(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes ||
      FindJsonTooDeep(text, limits.max_depth) != std::string_view::npos) {
    return Json(Json::value_t::discarded);
  }
  return Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

}  // namespace brock
