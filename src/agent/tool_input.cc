#include "agent/tool_input.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace brock {
namespace {

const Json* Field(const Json& input, std::string_view key) {
  if (!input.is_object()) return nullptr;
  auto it = input.find(std::string(key));
  if (it == input.end() || it->is_null()) return nullptr;
  return &*it;
}

bool Missing(std::string_view key, bool required, std::string* error) {
  if (!required) return true;
  *error = "The required parameter `" + std::string(key) + "` is missing.";
  return false;
}

}  // namespace

bool GetStringField(const Json& input, std::string_view key, bool required, std::string* out,
                    std::string* error) {
  const Json* v = Field(input, key);
  if (v == nullptr) return Missing(key, required, error);
  if (!v->is_string()) {
    *error = "The parameter `" + std::string(key) + "` must be a string.";
    return false;
  }
  *out = v->get<std::string>();
  return true;
}

bool GetIntField(const Json& input, std::string_view key, bool required, int64_t* out,
                 std::string* error) {
  const Json* v = Field(input, key);
  if (v == nullptr) return Missing(key, required, error);
  if (v->is_number_integer()) {
    *out = v->get<int64_t>();
    return true;
  }
  if (v->is_number_float()) {
    double d = v->get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15) {
      *out = static_cast<int64_t>(d);
      return true;
    }
  } else if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    char* end = nullptr;
    errno = 0;
    long long n = std::strtoll(s.c_str(), &end, 10);
    if (!s.empty() && end != nullptr && *end == '\0' && errno == 0) {
      *out = n;
      return true;
    }
  }
  *error = "The parameter `" + std::string(key) + "` must be an integer.";
  return false;
}

bool GetBoolField(const Json& input, std::string_view key, bool required, bool* out,
                  std::string* error) {
  const Json* v = Field(input, key);
  if (v == nullptr) return Missing(key, required, error);
  if (v->is_boolean()) {
    *out = v->get<bool>();
    return true;
  }
  if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    if (s == "true" || s == "false") {
      *out = s == "true";
      return true;
    }
  }
  *error = "The parameter `" + std::string(key) + "` must be true or false.";
  return false;
}

size_t FindControlCharacter(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) return i;
    if (c == 0xc2 && i + 1 < text.size()) {
      unsigned char next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9f) return i;
    }
  }
  return std::string_view::npos;
}

bool GetPathField(const Json& input, std::string_view key, bool required, std::string* out,
                  std::string* error) {
  std::string value;
  if (!GetStringField(input, key, required, &value, error)) return false;
  const Json* v = Field(input, key);
  if (v == nullptr) return true;
  if (size_t at = FindControlCharacter(value); at != std::string_view::npos) {
    std::string what = value[at] == '\0' ? "a NUL byte" : "a control character";
    *error = "The parameter `" + std::string(key) + "` contains " + what + " (at byte " +
             std::to_string(at) +
             "); paths with NUL bytes or control characters are refused. Give the plain path.";
    return false;
  }
  *out = std::move(value);
  return true;
}

std::string ToolPathError(const Json& input) {
  for (std::string_view key : kToolPathFields) {
    std::string ignored, error;
    if (!GetPathField(input, key, false, &ignored, &error)) {
      const Json* v = Field(input, key);
      if (v != nullptr && v->is_string()) return error;  // wrong types are the tool's to report
    }
  }
  return "";
}

}  // namespace brock
