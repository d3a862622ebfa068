// Write: creates or overwrites a file with the given content (Claude Code's "Write"; input
// {file_path, content}). Overwriting requires that the model Read the file first and that it is
// unchanged since. Parent directories are created; the write is atomic and keeps the existing
// file's mode; an existing CRLF file stays CRLF.
#pragma once

#include <memory>

#include "agent/tool.h"

namespace brock {

std::unique_ptr<Tool> MakeWriteTool();

}  // namespace brock
