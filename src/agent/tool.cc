#include "agent/tool.h"

#include <nlohmann/json.hpp>

#include "agent/tool_bash.h"
#include "agent/tool_edit.h"
#include "agent/tool_glob.h"
#include "agent/tool_grep.h"
#include "agent/tool_ls.h"
#include "agent/tool_multiedit.h"
#include "agent/tool_read.h"
#include "agent/tool_todowrite.h"
#include "agent/tool_write.h"

namespace brock {

ToolResult ToolResult::Text(std::string text, bool is_error) {
  ToolResult r;
  r.content.push_back(Json{{"type", "text"}, {"text", std::move(text)}});
  r.is_error = is_error;
  return r;
}

std::string ToolResult::AllText() const {
  std::string out;
  bool first = true;
  for (const Json& block : content) {
    if (!block.is_object() || block.value("type", "") != "text") continue;
    auto it = block.find("text");
    if (it == block.end() || !it->is_string()) continue;
    if (!first) out += '\n';
    out += it->get<std::string>();
    first = false;
  }
  return out;
}

std::vector<std::unique_ptr<Tool>> MakeBuiltinTools() {
  // Claude Code's order.
  std::vector<std::unique_ptr<Tool>> tools;
  tools.push_back(MakeBashTool());
  tools.push_back(MakeGlobTool());
  tools.push_back(MakeGrepTool());
  tools.push_back(MakeLsTool());
  tools.push_back(MakeReadTool());
  tools.push_back(MakeEditTool());
  tools.push_back(MakeMultiEditTool());
  tools.push_back(MakeWriteTool());
  tools.push_back(MakeTodoWriteTool());
  return tools;
}

}  // namespace brock
