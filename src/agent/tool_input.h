// Reading fields of a tool's JSON input, with error texts the model can act on. Models sometimes
// send numbers or booleans as strings ("10", "true"); those are accepted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/json.h"

namespace brock {

// Each Get* returns true and sets *out when the field is present with a usable value, or when it
// is absent and not `required` (then *out is left unchanged). Otherwise it returns false and sets
// *error to a sentence naming the field and what was expected. `input` that is not a JSON object
// counts as having no fields.
bool GetStringField(const Json& input, std::string_view key, bool required, std::string* out,
                    std::string* error);
bool GetIntField(const Json& input, std::string_view key, bool required, int64_t* out,
                 std::string* error);
bool GetBoolField(const Json& input, std::string_view key, bool required, bool* out,
                  std::string* error);

// Paths. A NUL byte would end the path early at the system call (so "./.env\0.txt" would pass a
// `Read(./.env)` rule and then read .env), and other control characters can hide parts of a
// path on the user's terminal; paths holding any are refused, never cleaned.

// The byte offset of the first control character in `text` (C0 including NUL, DEL, or a UTF-8
// encoded C1 U+0080..U+009F), or std::string_view::npos.
size_t FindControlCharacter(std::string_view text);
// GetStringField, also refusing a value with a control character.
bool GetPathField(const Json& input, std::string_view key, bool required, std::string* out,
                  std::string* error);
// The fields of Claude Code's tools that name a file or directory.
inline constexpr std::string_view kToolPathFields[] = {"file_path", "path", "notebook_path"};
// A refusal for the first string field of kToolPathFields that holds a control character, or ""
// when there is none. The agent checks this before the permission rules see the call.
std::string ToolPathError(const Json& input);

}  // namespace brock
