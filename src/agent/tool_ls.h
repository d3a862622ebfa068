// LS: lists a directory as an indented tree (Claude Code's "LS"; input {path, ignore?: [glob]}).
// Hidden entries (names starting with '.', such as .git) and __pycache__ are skipped; the listing
// is breadth-first and stops after kLsMaxEntries entries. See docs/tools.md.
#pragma once

#include <memory>
#include <string_view>

#include "agent/tool.h"

namespace brock {

std::unique_ptr<Tool> MakeLsTool();

inline constexpr size_t kLsMaxEntries = 1000;

// True when `pattern` (shell glob: * ? [...]; "**" also crosses '/') matches the entry's `name`
// or its path `relative` to the listed directory.
bool LsIgnoreMatches(std::string_view pattern, std::string_view name, std::string_view relative);

}  // namespace brock
