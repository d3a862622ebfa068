#include "base/json.h"

#include <nlohmann/json.hpp>

namespace brock {

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

Result<Json> ParseJson(std::string_view text, std::string_view source) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    // nlohmann's byte is 1-based and points just past the offending character.
    size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    size_t line, column;
    LineAndColumn(text, offset, &line, &column);
    std::string what = e.what();
    // Keep only the part after "syntax error while parsing value - ".
    if (size_t dash = what.rfind(" - "); dash != std::string::npos) what = what.substr(dash + 3);
    Error err = MakeError("json.syntax",
                          std::string(source) + ":" + std::to_string(line) + ":" +
                              std::to_string(column) + ": invalid JSON: " + what,
                          "fix the JSON at that position (a missing comma, quote or brace is "
                          "the usual cause), then run brock again");
    return err;
  }
}

}  // namespace brock
