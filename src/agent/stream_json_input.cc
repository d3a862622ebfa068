#include "agent/stream_json_input.h"

#include <nlohmann/json.hpp>
#include <string>

namespace brock {

namespace {

constexpr char kExpected[] =
    "send one JSON object per line: {\"type\":\"user\",\"message\":{\"role\":\"user\","
    "\"content\":\"your prompt\"}} (content may also be an array of content blocks)";

Error Malformed(int line_number, const std::string& what) {
  return MakeError("input.malformed", "stdin line " + std::to_string(line_number) + ": " + what,
                   kExpected);
}

std::string TypeName(const Json& j) { return j.type_name(); }

}  // namespace

bool IsBlankInputLine(std::string_view line) {
  return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

Result<Json> ParseStreamJsonInputLine(std::string_view line, int line_number) {
  std::string source = "stdin line " + std::to_string(line_number);
  Json j = ParseJsonOrDiscarded(line);
  if (j.is_discarded()) {
    auto parsed = ParseJson(line, source);  // for the column and the reason
    std::string what = parsed.ok() ? "not valid JSON" : parsed.error().message;
    // ParseJson's message starts with "<source>:1:<col>: "; keep "column N: reason".
    if (what.rfind(source + ":1:", 0) == 0)
      what = "not valid JSON at column " + what.substr(source.size() + 3);
    return MakeError("input.malformed", source + ": " + what, kExpected);
  }
  if (!j.is_object()) return Malformed(line_number, "expected a JSON object, got " + TypeName(j));
  if (!j.contains("type")) return Malformed(line_number, "the object has no \"type\"");
  if (!j["type"].is_string() || j["type"] != "user") {
    return Malformed(line_number, "\"type\" is " + j["type"].dump() +
                                      "; only \"user\" messages are accepted on input");
  }
  if (!j.contains("message") || !j["message"].is_object()) {
    return Malformed(line_number, "\"message\" is missing or not an object");
  }
  const Json& m = j["message"];
  if (m.contains("role") && m["role"] != "user") {
    return Malformed(line_number,
                     "\"message.role\" is " + m["role"].dump() + "; it must be \"user\"");
  }
  if (!m.contains("content")) return Malformed(line_number, "\"message.content\" is missing");
  const Json& c = m["content"];
  if (c.is_string()) {
    if (c.get<std::string>().empty()) return Malformed(line_number, "\"message.content\" is empty");
    return c;
  }
  if (!c.is_array()) {
    return Malformed(line_number,
                     "\"message.content\" must be a string or an array of content "
                     "blocks, got " +
                         TypeName(c));
  }
  if (c.empty()) return Malformed(line_number, "\"message.content\" is an empty array");
  for (size_t i = 0; i < c.size(); ++i) {
    const Json& b = c[i];
    std::string where = "\"message.content[" + std::to_string(i) + "]\"";
    if (!b.is_object() || !b.contains("type") || !b["type"].is_string()) {
      return Malformed(line_number, where + " is not a content block (an object with a \"type\")");
    }
    std::string type = b["type"];
    if (type == "text" && (!b.contains("text") || !b["text"].is_string())) {
      return Malformed(line_number, where + " is a text block without a string \"text\"");
    }
    if (type == "tool_result" || type == "tool_use") {
      return Malformed(line_number, where + " is a " + type +
                                        " block; brock runs its own tools, send text or images");
    }
  }
  return c;
}

}  // namespace brock
