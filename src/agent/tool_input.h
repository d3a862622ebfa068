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

}  // namespace brock
