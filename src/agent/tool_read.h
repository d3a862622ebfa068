// Read: shows a file to the model in `cat -n` form (right-aligned line number, TAB, the line),
// or an image as an image content block. Records the read in ToolContext::reads so that Write,
// Edit and MultiEdit accept the file afterwards. See docs/tools.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/tool.h"

namespace brock {

// The Read tool ("Read"; input {file_path, offset?, limit?}).
std::unique_ptr<Tool> MakeReadTool();

// Limits of Read, exposed for tests and docs.
inline constexpr int64_t kReadDefaultLineLimit = 2000;     // lines shown without `limit`
inline constexpr size_t kReadMaxLineLength = 2000;         // longer lines are cut
inline constexpr size_t kReadMaxOutputChars = 256 * 1024;  // total text shown per call
inline constexpr int64_t kReadMaxFileBytes = 256LL << 20;  // larger files are refused
inline constexpr int64_t kReadMaxImageBytes = 5 << 20;     // larger images are refused

// The lines of `text` without their terminators ("\n" or "\r\n"); a final newline does not start
// another line, so "a\nb\n" and "a\nb" both give {"a", "b"} and "" gives {}.
std::vector<std::string_view> SplitLines(std::string_view text);

// One line in `cat -n` form: the number right-aligned in 6 columns, a TAB, the line, "\n".
std::string NumberedLine(int64_t number, std::string_view line);

// The media type of an image from its first bytes ("image/png", "image/jpeg", "image/gif",
// "image/webp"), or "" when the bytes are none of these.
std::string SniffImageType(std::string_view data);

}  // namespace brock
