// Bash: runs a shell command (Claude Code's "Bash"; input {command, timeout?, description?,
// run_in_background?}). The command runs with /bin/bash -c (/bin/sh when bash is missing) through
// ToolContext::processes in ToolContext::cwd, and a `cd` persists: the shell's final working
// directory becomes the new ctx.cwd. See docs/tools.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "agent/tool.h"

namespace brock {

std::unique_ptr<Tool> MakeBashTool();

inline constexpr int64_t kBashDefaultTimeoutMs = 120000;  // BASH_DEFAULT_TIMEOUT_MS overrides
inline constexpr int64_t kBashMaxTimeoutMs = 600000;      // BASH_MAX_TIMEOUT_MS overrides
inline constexpr size_t kBashMaxOutputChars = 30000;      // BASH_MAX_OUTPUT_LENGTH overrides

// The marker the wrapper script prints before the final working directory on stdout.
inline constexpr std::string_view kBashCwdMarker = "__BROCK_CWD__";

// `text` when it has at most `max_chars` bytes; otherwise its head and tail (about half each)
// around a line "... [N characters truncated] ...".
std::string TruncateMiddle(std::string_view text, size_t max_chars);

// Splits the wrapper's trailer off `stdout_data`: returns the directory it names and removes the
// trailer (and the newline the wrapper put before it); returns "" and leaves `stdout_data`
// unchanged when there is no trailer.
std::string TakeCwdTrailer(std::string* stdout_data);

}  // namespace brock
