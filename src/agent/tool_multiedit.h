// MultiEdit: several Edit-style replacements in one file, applied in order, all or nothing
// (Claude Code's "MultiEdit"; input {file_path, edits: [{old_string, new_string, replace_all?}]}).
#pragma once

#include <memory>

#include "agent/tool.h"

namespace brock {

std::unique_ptr<Tool> MakeMultiEditTool();

}  // namespace brock
