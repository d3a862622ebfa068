// Grep: Claude Code's content search tool, implemented natively (no ripgrep needed) with
// ripgrep's defaults. Input schema as in Claude Code: {pattern (required), path, glob, type,
// output_mode ("files_with_matches" default | "content" | "count"), "-i", "-n", "-A", "-B", "-C",
// head_limit, offset, multiline}.
//
// Like Claude Code's ripgrep call (`rg --hidden --glob '!.git' ... --max-columns 500`): hidden
// files are searched, VCS directories (.git, .svn, .hg, .bzr) are skipped, .gitignore / .ignore /
// .git/info/exclude are honored, binary files (a NUL byte) are skipped. Output formats follow
// ripgrep's; paths are relative to the working directory when under it. See docs/grep.md.
#pragma once

#include <memory>

#include "agent/tool.h"

namespace brock {

// The Grep tool. Never null.
std::unique_ptr<Tool> MakeGrepTool();

}  // namespace brock
