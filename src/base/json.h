// JSON parsing with locations and limits. nlohmann::json is the value type; this header only
// forward declares it, so include <nlohmann/json.hpp> in the .cc files that use values.
//
// Every JSON that comes from outside brock (settings files, the SSO token cache, transcripts,
// the model's tool inputs, HTTP bodies, credential_process output, emulator scripts) is parsed
// here, never with nlohmann::json::parse directly, so that:
//   - nesting deeper than JsonLimits::max_depth and texts longer than max_bytes are refused
//     before the parser builds anything (deep documents would otherwise overflow the stack of
//     the recursive code that walks them: dump(), comparisons, conversions);
//   - error messages name the place ("<source>:<line>:<col>") and the kind of mistake, never the
//     text found there, which may be a secret (a key in a settings file, a token in a cache).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "base/error.h"

namespace brock {

using Json = nlohmann::json;

// Nesting deeper than this (arrays and objects) is refused. Real documents brock reads nest
// fewer than 20 levels; a transcript line wraps a tool input in about 6 more.
inline constexpr size_t kJsonMaxDepth = 256;
// Texts longer than this are refused by default (64 MiB).
inline constexpr size_t kJsonMaxBytes = size_t{64} << 20;

struct JsonLimits {
  size_t max_depth = kJsonMaxDepth;
  size_t max_bytes = kJsonMaxBytes;
};

// Parses `text`. On failure the Error's message is "<source>:<line>:<col>: <what>" (code
// "json.syntax", or "json.too_deep" / "json.too_large" past `limits`) and its fix says how to
// repair the file. `source` names the file (or "--settings" etc.). The message never quotes the
// text at the position.
Result<Json> ParseJson(std::string_view text, std::string_view source,
                       const JsonLimits& limits = {});

// Parses `text`, or returns a value whose is_discarded() is true when it is not JSON or exceeds
// `limits`: for callers that only need to know "JSON or not" (HTTP bodies, stream events).
Json ParseJsonOrDiscarded(std::string_view text, const JsonLimits& limits = {});

// The byte offset of the first '[' or '{' nested deeper than `max_depth` (strings are skipped),
// or std::string_view::npos when there is none.
size_t FindJsonTooDeep(std::string_view text, size_t max_depth);

// The 1-based line and column of byte `offset` in `text`.
void LineAndColumn(std::string_view text, size_t offset, size_t* line, size_t* column);

}  // namespace brock
