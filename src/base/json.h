// JSON parsing with locations. nlohmann::json is the value type; this header only forward
// declares it, so include <nlohmann/json.hpp> in the .cc files that use values.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "base/error.h"

namespace brock {

using Json = nlohmann::json;

// Parses `text`. On failure the Error's message is "<source>:<line>:<col>: <what>" and its fix
// says how to repair the file. `source` names the file (or "--settings" etc.).
Result<Json> ParseJson(std::string_view text, std::string_view source);

// The 1-based line and column of byte `offset` in `text`.
void LineAndColumn(std::string_view text, size_t offset, size_t* line, size_t* column);

}  // namespace brock
