// Glob: Claude Code's file-name search tool. Input {pattern (required), path (optional dir)}.
//
// Lists the files under `path` (default: the working directory) whose path relative to `path`
// matches `pattern` (agent/glob_pattern.h syntax: `*`, `**`, `?`, `[...]`, `{a,b}`), honoring
// .gitignore/.ignore like ripgrep and skipping hidden files unless the pattern names a hidden
// component. Results are sorted by modification time, newest first, and capped at 100 with a
// note when truncated. Paths are shown relative to the working directory when under it, else
// absolute. See docs/grep.md.
#pragma once

#include <memory>

#include "agent/tool.h"

namespace brock {

// The Glob tool. Never null.
std::unique_ptr<Tool> MakeGlobTool();

}  // namespace brock
