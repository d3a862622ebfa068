// The `--input-format stream-json` line format (Claude Code's): each line of stdin is one user
// turn of the same session,
//   {"type":"user","message":{"role":"user","content":"text" | [content blocks]}}
// with optional "session_id" and "parent_tool_use_id" fields (accepted and ignored). The format
// is documented in docs/print-mode.md.
#pragma once

#include <string_view>

#include "base/json.h"

namespace brock {

// True for a line with nothing but whitespace (skipped between messages).
bool IsBlankInputLine(std::string_view line);

// Parses line `line_number` (1-based) of the input and returns the user turn's content: a
// non-empty string or a non-empty array of content blocks (each an object with a string
// "type"; "text" blocks need a string "text"; tool_result blocks are refused, since brock runs
// its own tools). Errors: "input.malformed" naming "stdin line N" and what is wrong (not JSON and
// where, a wrong "type", a missing or wrong "message", "role" or "content"), with a fix showing
// the expected shape.
Result<Json> ParseStreamJsonInputLine(std::string_view line, int line_number);

}  // namespace brock
