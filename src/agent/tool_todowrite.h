// TodoWrite: the model's task list for the session (Claude Code's "TodoWrite"; input {todos:
// [{content, status, activeForm?, id?, priority?}]}). Each call replaces the whole list in
// *ToolContext::todos after validating it. See docs/tools.md.
#pragma once

#include <memory>

#include "agent/tool.h"

namespace brock {

std::unique_ptr<Tool> MakeTodoWriteTool();

}  // namespace brock
