// Edit: exact string replacement in one file (Claude Code's "Edit"; input {file_path,
// old_string, new_string, replace_all?}). The file must have been Read first and be unchanged
// since. See agent/edit_apply.h for the rules and docs/tools.md.
#pragma once

#include <memory>

#include "agent/tool.h"

namespace brock {

std::unique_ptr<Tool> MakeEditTool();

}  // namespace brock
