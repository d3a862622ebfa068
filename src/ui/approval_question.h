// The question the interactive terminal asks before a tool call that needs approval. It must show
// the user exactly what would run: the whole argument (Bash's command, the path of Read, Write
// and Edit, Grep's pattern), never a shortened one, with control characters made visible and
// long lines folded to the terminal's width (ui/visible_text.h).
//
//   Bash needs approval: Bash(rm -rf build) needs approval
//     rm -rf build && printf '\e[2J'
//   ↳ <the rest of a row longer than the terminal>
#pragma once

#include <string>
#include <string_view>

#include "base/json.h"

namespace brock {

// The lines shown before "Allow?": "  <Tool> needs approval: <reason>", then the argument (when
// the call has one) one row per line, indented by four columns; a row continuing a folded line
// starts with "  ↳ ". `width` is the terminal's width (rows fit in width - 4 columns). Every line
// ends with '\n'.
std::string ApprovalQuestion(const Json& tool_use_block, std::string_view reason, int width,
                             bool styled);

}  // namespace brock
